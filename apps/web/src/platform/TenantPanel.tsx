import { useState, type FormEvent } from 'react';
import type { Problem } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { reissueInvitation, setLimits, setStatus, type Invitation, type Tenant } from './platform-api';

type T = (k: MessageKey) => string;

/** A problem in the operator's language (never the API's English). */
export function problemText(p: Problem, t: T): string {
  if (p.status === 409 || p.status === 412) return t('opConflict');
  if (p.status === 429) return t('opTooMany');
  return t('opFailed');
}

export function SagaSteps({ tenant }: { tenant: Tenant }) {
  const { t } = useI18n();
  if (!tenant.saga) return null;
  return (
    <>
      <h4>{t('opSteps')}</h4>
      <ol className="saga-steps">
        {tenant.saga.steps.map((s) => (
          <li key={s.step} data-status={s.status}>
            <span>{s.step}</span>: <strong>{t(`step_${s.status}` as MessageKey)}</strong>
          </li>
        ))}
      </ol>
    </>
  );
}

const LIMITS = [
  ['maxConcurrentTransactions', 'opMaxConcurrent'],
  ['writesPerMinute', 'opWritesPerMinute'],
  ['searchesPerMinute', 'opSearchesPerMinute'],
] as const;
type LimitKey = (typeof LIMITS)[number][0];

function limitsOf(tenant: Tenant): Record<LimitKey, string> {
  const l = (tenant.settings.limits ?? {}) as Partial<Record<LimitKey, number>>;
  return {
    maxConcurrentTransactions: l.maxConcurrentTransactions?.toString() ?? '',
    writesPerMinute: l.writesPerMinute?.toString() ?? '',
    searchesPerMinute: l.searchesPerMinute?.toString() ?? '',
  };
}

/** One clinic: its steps, suspend or reactivate, its limits, and a fresh first-admin invitation. */
export function TenantPanel({ tenant, onChange }: { tenant: Tenant; onChange: (t: Tenant) => void }) {
  const { t } = useI18n();
  const [limits, setLimitForm] = useState(() => limitsOf(tenant));
  const [limitErrors, setLimitErrors] = useState<Partial<Record<LimitKey, string>>>({});
  const [message, setMessage] = useState('');
  const [saved, setSaved] = useState(false);
  const [invitation, setInvitation] = useState<Invitation | null>(null);

  async function status(to: 'suspend' | 'reactivate') {
    setMessage('');
    const a = await setStatus(tenant.id, to);
    if (a.ok) onChange(a.body);
    else setMessage(problemText(a.problem, t));
  }

  async function saveLimits(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    setMessage('');
    setLimitErrors({});
    const body: Partial<Record<LimitKey, number>> = {};
    for (const [k] of LIMITS) if (limits[k].trim() !== '') body[k] = Number(limits[k]);
    const a = await setLimits(tenant.id, body);
    if (a.ok) {
      setSaved(true);
      onChange(a.body);
      return;
    }
    const next: Partial<Record<LimitKey, string>> = {};
    for (const fe of a.problem.errors ?? [])
      if (LIMITS.some(([k]) => k === fe.field)) next[fe.field as LimitKey] = t('opFieldInvalid');
    setLimitErrors(next);
    setMessage(problemText(a.problem, t));
  }

  async function reissue() {
    setMessage('');
    const a = await reissueInvitation(tenant.id);
    if (a.ok) setInvitation(a.body);
    else setMessage(problemText(a.problem, t));
  }

  return (
    <section aria-labelledby="tenant-title" className="panel">
      <h2 id="tenant-title">
        {tenant.name} ({tenant.slug}) —{' '}
        <span data-testid="tenant-status">{t(`st_${tenant.status}` as MessageKey)}</span>
      </h2>
      {message && (
        <p role="alert" className="error">
          {message}
        </p>
      )}
      <div className="actions">
        {tenant.status === 'active' && (
          <button type="button" onClick={() => void status('suspend')}>
            {t('opSuspend')}
          </button>
        )}
        {tenant.status === 'suspended' && (
          <button type="button" onClick={() => void status('reactivate')}>
            {t('opReactivate')}
          </button>
        )}
        {tenant.status === 'active' && (
          <button type="button" className="secondary" onClick={() => void reissue()}>
            {t('opReissue')}
          </button>
        )}
      </div>
      {invitation && (
        <p className="invitation" aria-live="polite">
          {t('opInvitation')} <code data-testid="reissued-token">{invitation.token}</code> ({t('opExpires')}{' '}
          {new Date(invitation.expiresAt).toLocaleString()})
        </p>
      )}
      {(tenant.status === 'active' || tenant.status === 'suspended') && (
        <form onSubmit={saveLimits} noValidate>
          <fieldset>
            <legend>{t('opLimits')}</legend>
            <p className="hint">{t('opLimitsHint')}</p>
            {LIMITS.map(([k, label]) => (
              <div key={k} className={limitErrors[k] ? 'field invalid' : 'field'}>
                <label htmlFor={`lim-${k}`}>{t(label)}</label>
                <input
                  id={`lim-${k}`}
                  inputMode="numeric"
                  value={limits[k]}
                  aria-invalid={limitErrors[k] ? true : undefined}
                  aria-describedby={limitErrors[k] ? `lim-${k}-error` : undefined}
                  onChange={(e) => setLimitForm({ ...limits, [k]: e.target.value })}
                />
                {limitErrors[k] && (
                  <span id={`lim-${k}-error`} className="error">
                    {limitErrors[k]}
                  </span>
                )}
              </div>
            ))}
            <button type="submit">{t('opSaveLimits')}</button>{' '}
            {saved && <span role="status">{t('opSaved')}</span>}
          </fieldset>
        </form>
      )}
      <SagaSteps tenant={tenant} />
    </section>
  );
}
