import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { enrolSecondFactor, operatorSignIn, verifySecondFactor, type Enrolment } from './platform-api';

/**
 * Password, then (when the API asks for it) the authenticator code: a first sign-in shows the
 * new secret to type into the app, and the recovery codes once, before going on.
 */
export function OperatorSignIn({ onIn }: { onIn: () => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError('');
    if (mfaToken) {
      const v = await verifySecondFactor(mfaToken, code.trim());
      if (!v.ok) return setError(v.status === 429 ? t('opTooMany') : t('opBadLogin'));
      if (v.body.recoveryCodes?.length) return setRecoveryCodes(v.body.recoveryCodes);
      return onIn();
    }
    const a = await operatorSignIn(email.trim(), password);
    if (!a.ok) return setError(a.status === 429 ? t('opTooMany') : t('opBadLogin'));
    if ('accessToken' in a.body) return onIn();
    setMfaToken(a.body.mfaToken);
    if (a.body.enrolmentRequired) {
      const en = await enrolSecondFactor(a.body.mfaToken);
      if (en.ok) setEnrolment(en.body);
      else setError(t('opFailed'));
    }
  }

  if (recoveryCodes) {
    return (
      <section className="panel narrow" aria-labelledby="op-recovery">
        <h1 id="op-recovery">{t('opRecoveryCodes')}</h1>
        <ul>
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" onClick={onIn}>
          {t('opContinue')}
        </button>
      </section>
    );
  }

  return (
    <form onSubmit={submit} className="panel narrow" aria-labelledby="op-signin">
      <h1 id="op-signin">{t('opSignIn')}</h1>
      {!mfaToken ? (
        <>
          <div className="field">
            <label htmlFor="op-email">{t('opEmail')}</label>
            <input
              id="op-email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          </div>
          <div className="field">
            <label htmlFor="op-password">{t('opPassword')}</label>
            <input
              id="op-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </div>
        </>
      ) : (
        <div className="field">
          {enrolment && (
            <p>
              {t('opEnrol')} <code className="secret">{enrolment.secret}</code>
            </p>
          )}
          <p>{t('opCodeNeeded')}</p>
          <label htmlFor="op-code">{t('opCode')}</label>
          <input
            id="op-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoFocus
          />
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit">{t('opSignInButton')}</button>
    </form>
  );
}
