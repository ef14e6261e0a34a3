import type { ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { emptyMedication, VITALS, type ConsultationForm, type FindingRow, type MedicationRow } from './consultation-form';
import { ICD10_COMMON, icdOption, parseIcdOption } from './icd10';

/** Field id of an API error path: consultation.medications.0.dose → c-medications-0-dose. */
export const fieldId = (path: string) => `c-${path.replace(/^consultation\./, '').replace(/\./g, '-')}`;

const MED_FIELDS: (keyof MedicationRow)[] = ['drug', 'strength', 'dose', 'route', 'frequency', 'durationDays', 'instructions'];

/** Vitals with ranges and units, findings with ICD-10 look-up, medicines, advice, follow-up, notes. */
export function ConsultationFields({
  form,
  onChange,
  errors,
}: {
  form: ConsultationForm;
  onChange: (f: ConsultationForm) => void;
  errors: Set<string>;
}) {
  const { t } = useI18n();
  const input = (id: string, label: string, value: string, set: (v: string) => void, extra: Record<string, unknown> = {}): ReactNode => {
    const bad = errors.has(id);
    return (
      <div className={`field${bad ? ' invalid' : ''}`} key={id}>
        <label htmlFor={id}>{label}</label>
        <input id={id} value={value} onChange={(e) => set(e.target.value)} aria-invalid={bad || undefined} aria-describedby={bad ? `${id}-error` : undefined} {...extra} />
        {bad && (
          <span id={`${id}-error`} className="error">
            {t('fieldInvalid')}
          </span>
        )}
      </div>
    );
  };
  const weight = Number(form.vitals.weightKg);
  const height = Number(form.vitals.heightCm) / 100;
  const bmi = weight > 0 && height > 0 ? (weight / (height * height)).toFixed(1) : '';

  const findings = (key: 'complaints' | 'diagnoses', single: MessageKey) => {
    const rows = form[key];
    const set = (i: number, row: FindingRow) => onChange({ ...form, [key]: rows.map((r, j) => (j === i ? row : r)) });
    return (
      <fieldset className="wide rows">
        <legend>{t(key)}</legend>
        {rows.map((r, i) => (
          <div className="row" key={i}>
            {input(
              `c-${key}-${i}-text`,
              `${t(single)} ${i + 1}`,
              r.text,
              // Picking a look-up option ("J06.9 · Acute …") fills the code and the words.
              (v) => {
                const picked = key === 'diagnoses' ? parseIcdOption(v) : { text: v };
                set(i, { text: picked.text, icd10: picked.icd10 ?? r.icd10 });
              },
              key === 'diagnoses' ? { list: 'icd10-common', title: t('icdLookup') } : {},
            )}
            {key === 'diagnoses' && input(`c-${key}-${i}-icd10`, t('icd10'), r.icd10, (v) => set(i, { ...r, icd10: v.toUpperCase() }), { className: 'short' })}
            <button type="button" className="secondary" onClick={() => onChange({ ...form, [key]: rows.filter((_, j) => j !== i) })}>
              {t('remove')} {i + 1}
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => onChange({ ...form, [key]: [...rows, { text: '', icd10: '' }] })}>
          {t('add')}: {t(single)}
        </button>
      </fieldset>
    );
  };

  return (
    <>
      <fieldset className="wide grid vitals">
        <legend>{t('vitals')}</legend>
        {VITALS.map(([k, label]) => input(`c-vitals-${k}`, t(label), form.vitals[k], (v) => onChange({ ...form, vitals: { ...form.vitals, [k]: v } }), { inputMode: 'decimal' }))}
        <p className="field">
          <span className="label">{t('bmi')}</span> <output aria-live="polite">{bmi || '—'}</output>
        </p>
      </fieldset>
      {findings('complaints', 'complaint')}
      {findings('diagnoses', 'diagnosis')}
      <datalist id="icd10-common">
        {ICD10_COMMON.map(([code, title]) => (
          <option key={code} value={icdOption(code, title)} />
        ))}
      </datalist>
      <fieldset className="wide rows">
        <legend>{t('medications')}</legend>
        {form.medications.map((m, i) => (
          <div className="row med" key={i}>
            {MED_FIELDS.map((f) =>
              input(`c-medications-${i}-${f}`, `${t(f as MessageKey)}${f === 'drug' ? ` ${i + 1}` : ''}`, m[f], (v) => onChange({ ...form, medications: form.medications.map((r, j) => (j === i ? { ...r, [f]: v } : r)) }), f === 'durationDays' ? { inputMode: 'numeric' } : {}),
            )}
            <button type="button" className="secondary" onClick={() => onChange({ ...form, medications: form.medications.filter((_, j) => j !== i) })}>
              {t('remove')} {i + 1}
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => onChange({ ...form, medications: [...form.medications, emptyMedication()] })}>
          {t('add')}: {t('drug')}
        </button>
      </fieldset>
      <div className={`field wide${errors.has('c-advice') ? ' invalid' : ''}`}>
        <label htmlFor="c-advice">{t('advice')}</label>
        <textarea id="c-advice" rows={2} value={form.advice} onChange={(e) => onChange({ ...form, advice: e.target.value })} />
      </div>
      {input('c-followUpDate', t('followUp'), form.followUp, (v) => onChange({ ...form, followUp: v }), { inputMode: 'numeric', placeholder: 'DD/MM/YYYY' })}
      <div className="field wide">
        <label htmlFor="c-notes">{t('notes')}</label>
        <textarea id="c-notes" rows={3} value={form.notes} onChange={(e) => onChange({ ...form, notes: e.target.value })} />
      </div>
    </>
  );
}

/** The consultation read-only (signed, or for a role that may not record it). */
export function ConsultationSummary({ c }: { c: import('../api/client').Schemas['ConsultationView'] }) {
  const { t } = useI18n();
  const vitals = VITALS.filter(([k]) => c.vitals[k] !== undefined);
  return (
    <dl className="summary">
      {vitals.length > 0 && (
        <>
          <dt>{t('vitals')}</dt>
          <dd>
            {vitals.map(([k, label]) => `${t(label).replace(/ \(.*\)$/, '')}: ${c.vitals[k]}`).join(' · ')}
            {c.vitals.bmi !== undefined ? ` · ${t('bmi')}: ${c.vitals.bmi}` : ''}
          </dd>
        </>
      )}
      {c.complaints.length > 0 && (
        <>
          <dt>{t('complaints')}</dt>
          <dd>{c.complaints.map((f) => f.text).join('; ')}</dd>
        </>
      )}
      {c.diagnoses.length > 0 && (
        <>
          <dt>{t('diagnoses')}</dt>
          <dd>{c.diagnoses.map((f) => (f.icd10 ? `${f.text} (${f.icd10})` : f.text)).join('; ')}</dd>
        </>
      )}
      {c.medications.length > 0 && (
        <>
          <dt>{t('medications')}</dt>
          <dd>
            <ul>
              {c.medications.map((m, i) => (
                <li key={i}>
                  {[m.drug, m.strength, m.dose, m.route, m.frequency, m.durationDays ? `${m.durationDays} ${t('durationDays')}` : '', m.instructions].filter(Boolean).join(' · ')}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      {c.advice && (
        <>
          <dt>{t('advice')}</dt>
          <dd>{c.advice}</dd>
        </>
      )}
      {c.followUpDate && (
        <>
          <dt>{t('followUp').replace(/ \(.*\)$/, '')}</dt>
          <dd>{c.followUpDate.split('-').reverse().join('/')}</dd>
        </>
      )}
      {c.notes && (
        <>
          <dt>{t('notes')}</dt>
          <dd>{c.notes}</dd>
        </>
      )}
    </dl>
  );
}
