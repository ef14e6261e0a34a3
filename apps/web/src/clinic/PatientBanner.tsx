import { useState } from 'react';
import { formatAbha, type Patient } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { ageInYears } from './format';

/** Copies a value (an MRN, a one-time token) and says so in a live region. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="secondary small"
      aria-label={`${t('copy')} ${label}`}
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => undefined);
        setDone(true);
        setTimeout(() => setDone(false), 2000);
      }}
    >
      {t('copy')}
      <span role="status" className="visually-hidden">
        {done ? t('copied') : ''}
      </span>
    </button>
  );
}

/** Who this is, on every patient screen: name, age and sex, MRN, phone, ABHA. */
export function PatientBanner({ patient: p, headingId = 'patient-title' }: { patient: Patient; headingId?: string }) {
  const { t } = useI18n();
  const age = ageInYears(p.birthDate, p.birthYear);
  return (
    <header className="banner" aria-labelledby={headingId}>
      <h1 id={headingId}>{p.name.text}</h1>
      <dl className="banner-facts">
        <div>
          <dt>{t('age')} / {t('sex')}</dt>
          <dd data-testid="age-sex">
            {p.birthDateApproximate ? '~' : ''}
            {age} {t('yearsShort')} / {t(p.gender as MessageKey)}
          </dd>
        </div>
        <div>
          <dt>{t('mrn')}</dt>
          <dd>
            <span data-testid="mrn">{p.mrn}</span> <CopyButton value={p.mrn} label={t('mrn')} />
          </dd>
        </div>
        {p.phones[0] && (
          <div>
            <dt>{t('phone')}</dt>
            <dd>
              <a href={`tel:${p.phones[0]}`}>{p.phones[0]}</a>
            </dd>
          </div>
        )}
        {p.abhaNumber && (
          <div>
            <dt>{t('abhaNumber')}</dt>
            <dd data-testid="abha">{formatAbha(p.abhaNumber)}</dd>
          </div>
        )}
        {p.abhaAddress && (
          <div>
            <dt>{t('abhaAddress')}</dt>
            <dd>{p.abhaAddress}</dd>
          </div>
        )}
        {!p.active && (
          <div>
            <dt>{t('status')}</dt>
            <dd className="badge warn">{t('inactive')}</dd>
          </div>
        )}
      </dl>
    </header>
  );
}
