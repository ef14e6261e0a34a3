import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { getTenant, provisionTenant, type Invitation, type Tenant } from './platform-api';
import { SagaSteps, problemText } from './TenantPanel';

const FIELDS = [
  'slug',
  'name',
  'mrnPrefix',
  'timeZone',
  'defaultPhoneRegion',
  'adminEmail',
  'adminName',
] as const;
type Field = (typeof FIELDS)[number];
const LABELS = {
  slug: 'opSlug',
  name: 'opName',
  mrnPrefix: 'opMrnPrefix',
  timeZone: 'opTimeZone',
  defaultPhoneRegion: 'opPhoneRegion',
  adminEmail: 'opAdminEmail',
  adminName: 'opAdminName',
} as const;
/** API field paths to this form's fields (nested DTO fields arrive as dotted paths). */
const API_FIELD: Record<string, Field> = {
  slug: 'slug',
  name: 'name',
  'settings.mrnPrefix': 'mrnPrefix',
  'settings.timeZone': 'timeZone',
  'settings.defaultPhoneRegion': 'defaultPhoneRegion',
  'firstAdmin.email': 'adminEmail',
  'firstAdmin.displayName': 'adminName',
};
const EMPTY: Record<Field, string> = {
  slug: '',
  name: '',
  mrnPrefix: '',
  timeZone: 'Asia/Kolkata',
  defaultPhoneRegion: 'IN',
  adminEmail: '',
  adminName: '',
};

/** Onboards a clinic and shows the saga's steps; a 202 is followed until the saga ends. */
export function OnboardForm({ onDone }: { onDone: (tenantId: string) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState(EMPTY);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [tenant, setTenant] = useState<Tenant | null>(null);
  const [invitation, setInvitation] = useState<Invitation | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage('');
    const answer = await provisionTenant(
      {
        slug: form.slug.trim(),
        name: form.name.trim(),
        settings: {
          mrnPrefix: form.mrnPrefix.trim(),
          timeZone: form.timeZone.trim(),
          defaultPhoneRegion: form.defaultPhoneRegion.trim(),
        },
        firstAdmin: { email: form.adminEmail.trim(), displayName: form.adminName.trim() },
      },
      key,
    );
    if (!answer.ok) {
      setBusy(false);
      const next: Partial<Record<Field, string>> = {};
      for (const fe of answer.problem.errors ?? []) {
        const f = API_FIELD[fe.field];
        if (f) next[f] = t('opFieldInvalid');
      }
      if (answer.problem.type === 'urn:hims:problem:conflict') next.slug = t('opSlugTaken');
      setErrors(next);
      setMessage(problemText(answer.problem, t));
      // A refused request provisioned nothing: the next attempt is a new one.
      setKey(crypto.randomUUID());
      return;
    }
    setTenant(answer.body);
    setInvitation(answer.body.firstAdmin.invitation ?? null);
    let current: Tenant = answer.body;
    // 202: the saga goes on in the background; follow it until it ends.
    while (current.status === 'provisioning') {
      await new Promise((r) => setTimeout(r, 1000));
      const next = await getTenant(current.id);
      if (!next.ok) break;
      current = next.body;
      setTenant(current);
    }
    setBusy(false);
    setForm(EMPTY);
    setKey(crypto.randomUUID());
    onDone(current.id);
  }

  return (
    <section aria-labelledby="onboard-title" className="panel">
      <h2 id="onboard-title">{t('opOnboard')}</h2>
      <form onSubmit={submit} noValidate>
        {FIELDS.map((f) => (
          <div key={f} className={errors[f] ? 'field invalid' : 'field'}>
            <label htmlFor={`ob-${f}`}>{t(LABELS[f])}</label>
            <input
              id={`ob-${f}`}
              value={form[f]}
              required
              type={f === 'adminEmail' ? 'email' : 'text'}
              aria-invalid={errors[f] ? true : undefined}
              aria-describedby={errors[f] ? `ob-${f}-error` : undefined}
              onChange={(e) => setForm({ ...form, [f]: e.target.value })}
            />
            {errors[f] && (
              <span id={`ob-${f}-error`} className="error">
                {errors[f]}
              </span>
            )}
          </div>
        ))}
        <button type="submit" disabled={busy}>
          {t('opOnboardButton')}
        </button>
      </form>
      {message && (
        <p role="alert" className="error">
          {message}
        </p>
      )}
      {tenant && (
        <div aria-live="polite">
          <h3>
            {tenant.name} — {t(`st_${tenant.status}` as 'st_active')}
          </h3>
          {tenant.status === 'provisioning' && <p>{t('opStillRunning')}</p>}
          <SagaSteps tenant={tenant} />
          {invitation && (
            <p className="invitation">
              {t('opInvitation')} <code data-testid="invitation-token">{invitation.token}</code> (
              {t('opExpires')} {new Date(invitation.expiresAt).toLocaleString()})
            </p>
          )}
        </div>
      )}
    </section>
  );
}
