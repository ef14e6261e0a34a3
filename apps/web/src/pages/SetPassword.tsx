import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, asProblem, PROBLEM } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';

type Errors = Partial<Record<'token' | 'password', string>>;

/**
 * Signed out: the one-time token of an invitation or an administrator's
 * password reset, and the new password (POST /api/v1/auth/invitations/accept).
 * The API's password rules are the only ones; its field messages show beside the field.
 */
export function SetPasswordPage() {
  const { t } = useI18n();
  const { clinic } = useSession();
  const [slug, setSlug] = useState(clinic?.slug ?? '');
  const [token, setToken] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setError(null);
    setBusy(true);
    try {
      const lookup = await api.GET('/api/v1/tenants/by-slug/{slug}', {
        params: { path: { slug: slug.trim().toLowerCase() } },
      });
      if (!lookup.data) return setError(t('clinicUnknown'));
      const res = await api.POST('/api/v1/auth/invitations/accept', {
        params: { header: { 'X-Tenant-ID': lookup.data.tenantId } },
        body: { token: token.trim(), password },
      });
      if (res.response.status === 204) return setDone(true);
      const problem = asProblem(res.error);
      if (problem?.type === PROBLEM.validation && problem.errors?.length) {
        const next: Errors = {};
        for (const fe of problem.errors)
          if (fe.field === 'token' || fe.field === 'password') next[fe.field] ??= fe.message;
        setErrors(next);
      } else setError(res.response.status === 401 ? t('tokenInvalid') : t('error'));
    } catch {
      setError(t('error'));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section className="card narrow" aria-labelledby="setpw-title">
        <h1 id="setpw-title">{t('setPasswordTitle')}</h1>
        <p role="status">{t('passwordSet')}</p>
        <Link to="/">{t('backToSignIn')}</Link>
      </section>
    );
  }

  const described = (id: 'token' | 'password', hint?: string) =>
    [hint, errors[id] ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <form className="card narrow" onSubmit={submit} aria-labelledby="setpw-title">
      <h1 id="setpw-title">{t('setPasswordTitle')}</h1>
      <label htmlFor="clinic">{t('clinic')}</label>
      <input
        id="clinic"
        name="clinic"
        autoComplete="organization"
        required
        value={slug}
        aria-describedby="clinic-hint"
        onChange={(e) => setSlug(e.target.value)}
      />
      <small id="clinic-hint">{t('clinicHint')}</small>
      <label htmlFor="token">{t('oneTimeToken')}</label>
      <input
        id="token"
        name="token"
        autoComplete="off"
        spellCheck={false}
        required
        value={token}
        aria-invalid={errors.token ? true : undefined}
        aria-describedby={described('token', 'token-hint')}
        onChange={(e) => setToken(e.target.value)}
      />
      <small id="token-hint">{t('oneTimeTokenHint')}</small>
      {errors.token && (
        <span id="token-error" className="error">
          {errors.token}
        </span>
      )}
      <label htmlFor="new-password">{t('newPassword')}</label>
      <input
        id="new-password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        value={password}
        aria-invalid={errors.password ? true : undefined}
        aria-describedby={described('password', 'password-hint')}
        onChange={(e) => setPassword(e.target.value)}
      />
      <small id="password-hint">{t('newPasswordHint')}</small>
      {errors.password && (
        <span id="password-error" className="error">
          {errors.password}
        </span>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('setPassword')}
      </button>
      <Link to="/">{t('backToSignIn')}</Link>
    </form>
  );
}
