import { useEffect, useState, type FormEvent } from 'react';
import { startMfaEnrolment, verifyMfa } from '../api/client';
import { useI18n } from '../i18n';
import { useSession, type Clinic } from '../session';

export interface MfaChallenge {
  mfaToken: string;
  enrolmentRequired: boolean;
}

/**
 * The second step of sign-in (docs/auth.md "Two-step sign-in"): on the first sign-in the
 * authenticator is set up from a QR code (or its key typed by hand), then a 6-digit code, or
 * one of the recovery codes, completes the sign-in. Right after enrolment the recovery codes
 * are shown once, to print or keep.
 */
export function MfaStep({
  clinic,
  challenge,
  onRestart,
}: {
  clinic: Clinic;
  challenge: MfaChallenge;
  onRestart: () => void;
}) {
  const { t } = useI18n();
  const { finishSignIn } = useSession();
  const [enrolment, setEnrolment] = useState<{ secret: string; qrSvg: string } | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  useEffect(() => {
    if (!challenge.enrolmentRequired) return;
    void startMfaEnrolment(clinic.tenantId, challenge.mfaToken).then((res) => {
      if (res.data) setEnrolment({ secret: res.data.secret, qrSvg: res.data.qrSvg });
      else setError(t('mfaExpired'));
    });
  }, [challenge, clinic, t]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const input = useRecovery ? { recoveryCode: value.trim() } : { code: value.replace(/\s/g, '') };
      const res = await verifyMfa(clinic.tenantId, { mfaToken: challenge.mfaToken, ...input });
      if (!res.data) {
        const status = res.response.status;
        return setError(
          status === 429 ? t('tooMany') : status === 400 ? t('mfaWrongCode') : t('mfaWrongCode'),
        );
      }
      if (res.data.recoveryCodes?.length) setRecoveryCodes(res.data.recoveryCodes);
      else await finishSignIn(clinic);
    } catch {
      setError(t('error'));
    } finally {
      setBusy(false);
    }
  }

  if (recoveryCodes) {
    return (
      <section className="card narrow" aria-labelledby="recovery-title">
        <h1 id="recovery-title">{t('mfaRecoveryTitle')}</h1>
        <p>{t('mfaRecoveryHint')}</p>
        <ol id="recovery-codes" className="codes">
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <button type="button" className="secondary no-print" onClick={() => window.print()}>
          {t('print')}
        </button>
        <button type="button" className="no-print" onClick={() => void finishSignIn(clinic)}>
          {t('mfaSaved')}
        </button>
      </section>
    );
  }

  const title = challenge.enrolmentRequired ? t('mfaEnrolTitle') : t('mfaTitle');
  return (
    <form className="card narrow" onSubmit={submit} aria-labelledby="mfa-title">
      <h1 id="mfa-title">{title}</h1>
      {challenge.enrolmentRequired && enrolment && (
        <>
          <p>{t('mfaEnrolHint')}</p>
          <img
            className="qr"
            alt={t('mfaQrAlt')}
            width={200}
            height={200}
            src={`data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`}
          />
          <p>
            {t('mfaKey')}: <code id="mfa-secret">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
        </>
      )}
      <label htmlFor={useRecovery ? 'mfa-recovery' : 'mfa-code'}>
        {useRecovery ? t('mfaRecoveryCode') : t('mfaCode')}
      </label>
      <input
        id={useRecovery ? 'mfa-recovery' : 'mfa-code'}
        key={useRecovery ? 'recovery' : 'code'}
        name="one-time-code"
        autoComplete="one-time-code"
        inputMode={useRecovery ? 'text' : 'numeric'}
        pattern={useRecovery ? undefined : '[0-9 ]{6,7}'}
        required
        autoFocus
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'mfa-error' : undefined}
        onChange={(e) => setValue(e.target.value)}
      />
      {error && (
        <p id="mfa-error" role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('mfaVerify')}
      </button>
      {!challenge.enrolmentRequired && (
        <button
          type="button"
          className="link"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setValue('');
            setError(null);
          }}
        >
          {useRecovery ? t('mfaUseCode') : t('mfaUseRecovery')}
        </button>
      )}
      <button type="button" className="link" onClick={onRestart}>
        {t('backToSignIn')}
      </button>
    </form>
  );
}
