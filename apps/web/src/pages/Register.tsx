import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, asProblem, formatAbha, PROBLEM, type Patient, type Problem } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { EMPTY_FORM, Field, fieldErrors, toCreateBody, type FieldErrors, type PatientForm } from './form';

interface Duplicate {
  overridable: boolean;
  candidates: { id: string; mrn: string; reasons: string[]; patient?: Patient }[];
}

export function RegisterPage() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const navigate = useNavigate();
  const [form, setForm] = useState<PatientForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<string[]>([]);
  const [duplicate, setDuplicate] = useState<Duplicate | null>(null);
  const [busy, setBusy] = useState(false);

  // The warning takes focus, so a screen reader (and the keyboard) lands on it, not past it.
  useEffect(() => {
    if (duplicate) document.getElementById('dup-title')?.focus();
  }, [duplicate]);

  /** A shared ABHA named in words: "The ABHA number … belongs to patient MRN …". */
  const clash = (reason: string, mrn: string): string | null => {
    if (reason === 'abha_number' && form.abhaNumber.trim())
      return t('dupAbhaNumber').replace('{value}', formatAbha(form.abhaNumber)).replace('{mrn}', mrn);
    if (reason === 'abha_address' && form.abhaAddress.trim())
      return t('dupAbhaAddress').replace('{value}', form.abhaAddress.trim()).replace('{mrn}', mrn);
    return null;
  };

  const change = (id: keyof PatientForm, v: string) => setForm((f) => ({ ...f, [id]: v }));

  async function send(allowDuplicate: boolean) {
    setBusy(true);
    setErrors({});
    setOther([]);
    try {
      const res = await api.POST('/api/v1/patients', {
        params: { header: { ...tenantHeader, 'Idempotency-Key': crypto.randomUUID() } },
        body: { ...toCreateBody(form), allowDuplicate },
      });
      if (res.data) return navigate(`/patients/${res.data.id}`);
      const problem = asProblem(res.error);
      if (problem?.type === PROBLEM.duplicate) return showDuplicate(problem);
      if (problem?.type === PROBLEM.validation) {
        const { fields, other: rest } = fieldErrors(problem);
        setErrors(fields);
        setOther([t('fixErrors'), ...rest]);
        document.getElementById(`f-${Object.keys(fields)[0] ?? 'given'}`)?.focus();
        return;
      }
      setOther([problem?.detail ?? t('error')]);
    } finally {
      setBusy(false);
    }
  }

  async function showDuplicate(problem: Problem) {
    const candidates = await Promise.all(
      (problem.candidates ?? []).slice(0, 3).map(async (c) => {
        const r = await api.GET('/api/v1/patients/{id}', {
          params: { header: tenantHeader, path: { id: c.id } },
        });
        return { ...c, patient: r.data };
      }),
    );
    setDuplicate({ overridable: problem.overridable !== false, candidates });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setDuplicate(null);
    void send(false);
  }

  const f = { form, errors, onChange: change };
  return (
    <section aria-labelledby="register-title">
      <h1 id="register-title">{t('registerTitle')}</h1>
      <form className="card grid" onSubmit={submit} noValidate>
        <Field id="given" label={t('givenName')} required {...f} />
        <Field id="family" label={t('familyName')} {...f} />
        <Field id="gender" label={t('gender')} required {...f}>
          <option value="">—</option>
          <option value="female">{t('female')}</option>
          <option value="male">{t('male')}</option>
          <option value="other">{t('other')}</option>
          <option value="unknown">{t('unknown')}</option>
        </Field>
        <Field id="birthDate" label={t('birthDate')} required {...f} />
        <Field id="phone" label={t('phone')} type="tel" inputMode="tel" {...f} />
        <Field id="email" label={t('email')} type="email" {...f} />
        <Field id="abhaNumber" label={t('abhaNumber')} inputMode="numeric" {...f} />
        <Field id="abhaAddress" label={t('abhaAddress')} {...f} />
        <Field id="line" label={t('addressLine')} {...f} />
        <Field id="city" label={t('city')} {...f} />
        <Field id="district" label={t('district')} {...f} />
        <Field id="state" label={t('state')} {...f} />
        <Field id="postalCode" label={t('postalCode')} inputMode="numeric" {...f} />
        {other.length > 0 && (
          <div role="alert" className="error wide">
            {other.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        <div className="wide">
          <button type="submit" disabled={busy}>
            {t('register')}
          </button>
        </div>
      </form>
      {duplicate && (
        <section className="card duplicate" role="alertdialog" aria-labelledby="dup-title">
          <h2 id="dup-title" tabIndex={-1}>
            {t('duplicateTitle')}
          </h2>
          {duplicate.candidates
            .flatMap((c) =>
              c.reasons.map((r) => clash(r, c.mrn)).filter((line): line is string => line !== null),
            )
            .map((line) => (
              <p key={line} className="clash">
                {line}
              </p>
            ))}
          {!duplicate.overridable && <p id="dup-help">{t('duplicateBlocked')}</p>}
          <div className="side-by-side">
            <div>
              <h3>{t('yourEntry')}</h3>
              <dl>
                <dt>{t('name')}</dt>
                <dd>{[form.given, form.family].join(' ').trim()}</dd>
                <dt>{t('birthDate')}</dt>
                <dd>{form.birthDate}</dd>
                <dt>{t('phone')}</dt>
                <dd>{form.phone}</dd>
                <dt>{t('abhaNumber')}</dt>
                <dd>{formatAbha(form.abhaNumber)}</dd>
              </dl>
              {duplicate.overridable && (
                <button type="button" disabled={busy} onClick={() => void send(true)}>
                  {t('registerAnyway')}
                </button>
              )}
            </div>
            {duplicate.candidates.map((c) => (
              <div key={c.id} className="candidate">
                <h3>
                  {t('candidate')} {c.mrn}
                </h3>
                <dl>
                  <dt>{t('name')}</dt>
                  <dd>{c.patient?.name.text}</dd>
                  <dt>{t('birthDate')}</dt>
                  <dd>{c.patient?.birthDate}</dd>
                  <dt>{t('phone')}</dt>
                  <dd>{c.patient?.phones.join(', ')}</dd>
                  <dt>{t('abhaNumber')}</dt>
                  <dd>{formatAbha(c.patient?.abhaNumber)}</dd>
                  <dt>{t('reasons')}</dt>
                  <dd>{c.reasons.join(', ')}</dd>
                </dl>
                <Link className="button" to={`/patients/${c.id}`}>
                  {t('openThis')}
                </Link>
              </div>
            ))}
          </div>
        </section>
      )}
    </section>
  );
}
