import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, asProblem, type Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';

type Role = Schemas['CreateUserDto']['roles'][number];
const ROLES: Role[] = ['receptionist', 'nurse', 'doctor', 'tenant_admin'];

/** tenant_admin: the clinic's staff; invite (one-time token) and disable / enable. */
export function UsersPage() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
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

  async function invite(e: FormEvent) {
    e.preventDefault();
    setNote(null);
    setToken(null);
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

  async function setStatus(id: string, status: 'active' | 'disabled') {
    await api.PATCH('/api/v1/users/{id}', {
      params: { header: tenantHeader, path: { id } },
      body: { status },
    });
    await queries.invalidateQueries({ queryKey: key });
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
            <th scope="col">
              <span className="visually-hidden">{t('status')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.displayName}</td>
              <td>{u.email}</td>
              <td>{u.roles.join(', ')}</td>
              <td>{u.status === 'active' ? t('active') : t('inactive')}</td>
              <td>
                <button
                  type="button"
                  aria-label={`${u.status === 'active' ? t('disable') : t('enable')} ${u.email}`}
                  onClick={() => void setStatus(u.id, u.status === 'active' ? 'disabled' : 'active')}
                >
                  {u.status === 'active' ? t('disable') : t('enable')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card filters" onSubmit={invite} aria-label={t('invite')}>
        <label htmlFor="u-name">{t('displayName')}</label>
        <input id="u-name" required value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="u-email">{t('email')}</label>
        <input id="u-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="u-role">{t('roles')}</label>
        <select id="u-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit">{t('invite')}</button>
      </form>
      {note && <p role="alert">{note}</p>}
      {token && (
        <p role="status" className="note">
          {t('invited')}: <code>{token}</code>
        </p>
      )}
    </section>
  );
}
