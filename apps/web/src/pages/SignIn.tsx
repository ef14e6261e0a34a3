import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { useSession, type Clinic } from '../session';
import { MfaStep, type MfaChallenge } from './MfaStep';

export function SignInPage() {
  const { t } = useI18n();
  const { clinic, login } = useSession();
  const [slug, setSlug] = useState(clinic?.slug ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [second, setSecond] = useState<{ clinic: Clinic; challenge: MfaChallenge } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const lookup = await api.GET('/api/v1/tenants/by-slug/{slug}', {
        params: { path: { slug: slug.trim().toLowerCase() } },
      });
      if (!lookup.data) return setError(t('clinicUnknown'));
      const c = { slug: slug.trim().toLowerCase(), tenantId: lookup.data.tenantId };
      const res = await login(c, email, password);
      if (!res.data) setError(res.response.status === 429 ? t('tooMany') : t('badCredentials'));
      else if ('mfaRequired' in res.data) {
        setPassword('');
        setSecond({ clinic: c, challenge: res.data });
      }
    } catch {
      setError(t('error'));
    } finally {
      setBusy(false);
    }
  }

  if (second)
    return <MfaStep clinic={second.clinic} challenge={second.challenge} onRestart={() => setSecond(null)} />;
  return (
    <form className="card narrow" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signInTitle')}</h1>
      <label htmlFor="clinic">{t('clinic')}</label>
      <input
        id="clinic"
        name="clinic"
        autoComplete="organization"
        required
        value={slug}
        aria-describedby="clinic-hint"
        autoFocus={!clinic}
        onChange={(e) => setSlug(e.target.value)}
      />
      <small id="clinic-hint">{t('clinicHint')}</small>
      <label htmlFor="email">{t('email')}</label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus={!!clinic}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <label htmlFor="password">{t('password')}</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('signIn')}
      </button>
      <Link to="/set-password">{t('setPasswordLink')}</Link>
    </form>
  );
}
