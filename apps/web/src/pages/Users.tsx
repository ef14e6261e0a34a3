import { useState, type FormEvent } from 'react';
import { ConfirmAction } from '../clinic/ConfirmAction';
import { CopyButton } from '../clinic/PatientBanner';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, asProblem, type Schemas } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';

type Role = Schemas['CreateUserDto']['roles'][number];
const ROLES: Role[] = ['receptionist', 'nurse', 'doctor', 'tenant_admin'];

type User = Schemas['UserDto'];

/** The roles of one user as checkboxes; the API keeps the last active administrator (409 otherwise). */
function RoleEditor(props: { user: User; onDone: (message: string | null) => void }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const [roles, setRoles] = useState<string[]>(props.user.roles);
  const [error, setError] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (roles.length === 0) return setError(t('atLeastOneRole'));
    const res = await api.PATCH('/api/v1/users/{id}', {
      params: { header: tenantHeader, path: { id: props.user.id } },
      body: { roles: ROLES.filter((r) => roles.includes(r)) },
    });
    if (res.data) props.onDone(t('rolesSaved'));
    else setError(asProblem(res.error)?.detail ?? t('error'));
  }

  const legend = `${t('rolesOf')} ${props.user.displayName} (${props.user.email})`;
  return (
    <form className="card" onSubmit={save} aria-label={legend}>
      <fieldset className="role-choices" aria-describedby={error ? 'role-error' : undefined}>
        <legend>{legend}</legend>
        {ROLES.map((r) => (
          <label key={r}>
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles((rs) => (e.target.checked ? [...rs, r] : rs.filter((x) => x !== r)))}
            />
            {t(`role_${r}`)}
          </label>
        ))}
      </fieldset>
      {error && (
        <p id="role-error" role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit">{t('save')}</button>
        <button type="button" onClick={() => props.onDone(null)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** tenant_admin: the clinic's staff; invite (one-time token), roles, password reset, disable / enable. */
export function UsersPage() {
  const { t } = useI18n();
  const { tenantHeader, me, reloadMe } = useSession();
  const queries = useQueryClient();
  const key = ['users', tenantHeader['X-Tenant-ID']];
  const users = useQuery({
    queryKey: key,
    queryFn: async () => {
      const res = await api.GET('/api/v1/users', { params: { header: tenantHeader, query: { limit: 100 } } });
      if (!res.data) throw new Error('users failed');
      return res.data.items;
    },
  });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('receptionist');
  const [note, setNote] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [resetToken, setResetToken] = useState<{ email: string; token: string } | null>(null);
  const [editing, setEditing] = useState<User | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function invite(e: FormEvent) {
    e.preventDefault();
    clearNotes();
    const res = await api.POST('/api/v1/users', {
      params: { header: { ...tenantHeader, 'Idempotency-Key': crypto.randomUUID() } },
      body: { email, displayName: name, roles: [role] },
    });
    if (res.data) {
      setToken(res.data.invitation?.token ?? null);
      setEmail('');
      setName('');
      await queries.invalidateQueries({ queryKey: key });
    } else setNote(asProblem(res.error)?.detail ?? t('error'));
  }

  function clearNotes() {
    setNote(null);
    setDone(null);
    setToken(null);
    setResetToken(null);
  }

  async function setStatus(id: string, status: 'active' | 'disabled') {
    clearNotes();
    const res = await api.PATCH('/api/v1/users/{id}', {
      params: { header: tenantHeader, path: { id } },
      body: { status },
    });
    if (!res.data) setNote(asProblem(res.error)?.detail ?? t('error'));
    await queries.invalidateQueries({ queryKey: key });
  }

  /** The one-time token is shown here once; the user sets a new password with it. */
  async function resetPassword(u: User) {
    clearNotes();
    const res = await api.POST('/api/v1/users/{id}/password-reset', {
      params: { header: tenantHeader, path: { id: u.id } },
    });
    if (res.data) setResetToken({ email: u.email, token: res.data.token });
    else setNote(asProblem(res.error)?.detail ?? t('error'));
  }

  async function rolesDone(message: string | null) {
    const who = editing;
    setEditing(null);
    if (message) {
      setDone(message);
      await queries.invalidateQueries({ queryKey: key });
      // Their own roles changed: the header's links and the admin screens follow at once.
      if (who?.id === me?.user.id) await reloadMe();
    }
    // Back to the button that opened the editor, for keyboard users.
    if (who) document.getElementById(`edit-roles-${who.id}`)?.focus();
  }

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('usersTitle')}</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('displayName')}</th>
            <th scope="col">{t('email')}</th>
            <th scope="col">{t('roles')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.displayName}</td>
              <td>{u.email}</td>
              <td>{u.roles.map((r) => t(`role_${r}` as MessageKey)).join(', ')}</td>
              <td>{u.status === 'active' ? t('active') : t('inactive')}</td>
              <td className="row-actions">
                <button
                  type="button"
                  id={`edit-roles-${u.id}`}
                  aria-label={`${t('editRoles')}: ${u.email}`}
                  aria-expanded={editing?.id === u.id}
                  onClick={() => {
                    clearNotes();
                    setEditing(u);
                  }}
                >
                  {t('editRoles')}
                </button>
                {u.status === 'active' && (
                  <button
                    type="button"
                    aria-label={`${t('resetPassword')}: ${u.email}`}
                    onClick={() => void resetPassword(u)}
                  >
                    {t('resetPassword')}
                  </button>
                )}
                {u.status === 'active' ? (
                  <ConfirmAction
                    label={t('disable')}
                    ariaLabel={`${t('disable')}: ${u.email}`}
                    danger
                    question={`${u.email}: ${t('disableConfirm')}`}
                    onConfirm={() => setStatus(u.id, 'disabled')}
                  />
                ) : (
                  <button type="button" aria-label={`${t('enable')}: ${u.email}`} onClick={() => void setStatus(u.id, 'active')}>
                    {t('enable')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <RoleEditor key={editing.id} user={editing} onDone={(m) => void rolesDone(m)} />}
      {resetToken && (
        <p role="status" className="note">
          {t('resetIssued')} ({resetToken.email}): <code data-testid="reset-token">{resetToken.token}</code> <CopyButton value={resetToken.token} label={t('oneTimeToken')} />
        </p>
      )}
      <form className="card filters" onSubmit={invite} aria-label={t('invite')}>
        <label htmlFor="u-name">{t('displayName')}</label>
        <input id="u-name" required value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="u-email">{t('email')}</label>
        <input id="u-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="u-role">{t('roles')}</label>
        <select id="u-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role_${r}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t('invite')}</button>
      </form>
      {note && <p role="alert">{note}</p>}
      {done && <p role="status">{done}</p>}
      {token && (
        <p role="status" className="note">
          {t('invited')}: <code data-testid="invite-token">{token}</code> <CopyButton value={token} label={t('oneTimeToken')} />
        </p>
      )}
    </section>
  );
}
