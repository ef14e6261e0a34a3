import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, asProblem, PROBLEM, type Schemas } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { saveBlob, useDoctors, useRoles } from './clinic-api';
import { ConfirmAction } from './ConfirmAction';
import { ConsultationFields, ConsultationSummary, fieldId } from './ConsultationForm';
import { toConsultationForm, toConsultationPatch, type ConsultationForm } from './consultation-form';
import { formatDateTime } from './format';
import { PatientBanner } from './PatientBanner';
import { PrintButtons } from './PrintButtons';
import { VisitVersions } from './VisitVersions';

type Visit = Schemas['VisitResponse'];

/** One visit: its status steps, the consultation (record, sign, amend), versions, FHIR, print. */
export function VisitPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const roles = useRoles();
  const doctors = useDoctors();
  const queries = useQueryClient();
  const key = ['visit', tenantHeader['X-Tenant-ID'], id];
  const visit = useQuery({
    queryKey: key,
    queryFn: async () => {
      const res = await api.GET('/api/v1/visits/{id}', { params: { header: tenantHeader, path: { id } } });
      if (res.response.status === 404) return null;
      if (!res.data) throw new Error('visit failed');
      return res.data;
    },
  });
  const patientId = visit.data?.patientId;
  const patient = useQuery({
    enabled: !!patientId,
    queryKey: ['patient', tenantHeader['X-Tenant-ID'], patientId],
    queryFn: async () => {
      const res = await api.GET('/api/v1/patients/{id}', { params: { header: tenantHeader, path: { id: patientId! } } });
      if (!res.data) throw new Error('patient failed');
      return res.data;
    },
  });
  const [form, setForm] = useState<ConsultationForm | null>(null);
  const [amendReason, setAmendReason] = useState<string | null>(null);
  const [errors, setErrors] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ text: string; alert?: boolean } | null>(null);
  const [fhir, setFhir] = useState<string | null>(null);

  if (visit.isPending) return <p>{t('loading')}</p>;
  if (visit.isError) return <p role="alert">{t('error')}</p>;
  const v = visit.data;
  if (!v) return <h1>{t('notFound')}</h1>;

  const attending = v.attendingDoctorId === roles.userId && roles.doctor;
  const doctorName = doctors.data?.find((d) => d.id === v.attendingDoctorId)?.displayName ?? '—';
  const recordable = !v.signed && ['arrived', 'in-progress', 'finished'].includes(v.status);
  const set = (next: Visit) => queries.setQueryData(key, next);

  async function changeStatus(status: Schemas['ChangeStatusDto']['status'], reason?: string) {
    setMessage(null);
    const res = await api.POST('/api/v1/visits/{id}/status', {
      params: { header: { ...tenantHeader, 'If-Match': `"${v!.version}"` }, path: { id } },
      body: { status, ...(reason ? { reason } : {}) },
    });
    if (res.data) {
      set(res.data);
      await queries.invalidateQueries({ queryKey: ['visits'] });
      await queries.invalidateQueries({ queryKey: ['day'] });
    } else setMessage({ text: asProblem(res.error)?.detail ?? t('error'), alert: true });
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    setMessage(null);
    const consultation = toConsultationPatch(form);
    const header = { ...tenantHeader, 'If-Match': `"${v!.version}"` };
    const res =
      amendReason === null
        ? await api.PATCH('/api/v1/visits/{id}', { params: { header, path: { id } }, body: { consultation } })
        : await api.POST('/api/v1/visits/{id}/amendments', {
            params: { header: { ...header, 'Idempotency-Key': crypto.randomUUID() }, path: { id } },
            body: { reason: amendReason, consultation },
          });
    if (res.data) {
      set(res.data);
      setForm(null);
      setAmendReason(null);
      setErrors(new Set());
      setMessage({ text: t('consultationSaved') });
      await queries.invalidateQueries({ queryKey: ['versions', id] });
      return;
    }
    const problem = asProblem(res.error);
    if (problem?.type === PROBLEM.precondition) {
      // Someone saved meanwhile: load their version, keep this form; the next save goes on top.
      await visit.refetch();
      setMessage({ text: t('visitConflict'), alert: true });
      return;
    }
    if (problem?.type === PROBLEM.validation) {
      setErrors(new Set((problem.errors ?? []).map((er) => fieldId(er.field))));
      setMessage({ text: t('fixErrors'), alert: true });
      return;
    }
    setMessage({ text: problem?.detail ?? t('error'), alert: true });
  }

  async function sign() {
    const res = await api.POST('/api/v1/visits/{id}/sign', {
      params: { header: { ...tenantHeader, 'If-Match': `"${v!.version}"` }, path: { id } },
    });
    if (res.data) {
      set(res.data);
      setMessage({ text: t('signed') });
    } else setMessage({ text: asProblem(res.error)?.detail ?? t('error'), alert: true });
  }

  const statusSteps = (
    <div className="actions">
      {v.status === 'planned' &&
        (roles.reception ? (
          <button type="button" onClick={() => void changeStatus('arrived')}>
            {t('checkIn')}
          </button>
        ) : (
          <span className="muted">
            {t('checkIn')}: {t('onlyReception')}
          </span>
        ))}
      {['planned', 'arrived'].includes(v.status) && roles.reception && (
        <ConfirmAction label={t('cancelVisit')} danger question={t('cancelVisitConfirm')} reasonLabel={t('cancelReason')} onConfirm={(reason) => changeStatus('cancelled', reason)} />
      )}
      {v.status === 'arrived' &&
        (roles.clinician ? (
          <button type="button" onClick={() => void changeStatus('in-progress')}>
            {t('start')}
          </button>
        ) : (
          <span className="muted">
            {t('start')}: {t('onlyClinician')}
          </span>
        ))}
      {recordable && !form && (roles.clinician ? (
        <button type="button" onClick={() => setForm(toConsultationForm(v.consultation))}>
          {t('edit')}
        </button>
      ) : (
        v.status !== 'arrived' && <span className="muted">{t('onlyClinician')}</span>
      ))}
      {!v.signed && ['arrived', 'in-progress', 'finished'].includes(v.status) && !form &&
        (attending ? (
          <ConfirmAction label={t('sign')} question={t('signConfirm')} onConfirm={sign} />
        ) : (
          <span className="muted">
            {t('sign')}: {t('onlyAttending')}
          </span>
        ))}
      {v.signed && !form &&
        (attending ? (
          <button type="button" onClick={() => { setAmendReason(''); setForm(toConsultationForm(v.consultation)); }}>
            {t('amend')}
          </button>
        ) : (
          <span className="muted">
            {t('amend')}: {t('onlyAttending')}
          </span>
        ))}
      {(attending || roles.admin) && v.status !== 'entered-in-error' && (
        <ConfirmAction label={t('enteredInError')} danger question={t('enteredInErrorConfirm')} reasonLabel={t('reasonRequired')} onConfirm={(reason) => changeStatus('entered-in-error', reason)} />
      )}
    </div>
  );

  return (
    <section aria-labelledby="patient-title">
      {patient.data && <PatientBanner patient={patient.data} />}
      <h2 className="visit-head">
        {t('visitTitle')}: {formatDateTime(v.scheduledAt)} · {v.department} · {doctorName} ·{' '}
        <span className={`badge status-${v.status}`}>{t(`status_${v.status}` as MessageKey)}</span>
        {v.signed && <span className="badge ok">{t('signed')} ({t('versionN')} {v.contentVersion})</span>}
      </h2>
      <p>
        <Link to={`/patients/${v.patientId}`}>← {patient.data?.name.text ?? t('patient')}</Link>
        {(roles.reception || roles.admin) && !['cancelled', 'entered-in-error'].includes(v.status) && (
          <>
            {' · '}
            <Link to={`/visits/${id}/bill`}>{t('billOfVisit')} →</Link>
          </>
        )}
      </p>
      {statusSteps}
      {message && (
        <p role={message.alert ? 'alert' : 'status'} className={message.alert ? 'note error-note' : 'note'}>
          {message.text}
        </p>
      )}
      {form ? (
        <form className="card grid consultation" onSubmit={save} noValidate aria-label={t('saveConsultation')}>
          {amendReason !== null && (
            <div className="field wide">
              <label htmlFor="c-amend-reason">{t('amendReason')}</label>
              <input id="c-amend-reason" required value={amendReason} onChange={(e) => setAmendReason(e.target.value)} />
            </div>
          )}
          <ConsultationFields form={form} onChange={setForm} errors={errors} />
          <div className="wide actions sticky-actions">
            <button type="submit">{amendReason !== null ? t('saveAmendment') : t('saveConsultation')}</button>
            <button type="button" className="secondary" onClick={() => { setForm(null); setAmendReason(null); setErrors(new Set()); }}>
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : (
        <section className="card" aria-label={t('visitTitle')}>
          <ConsultationSummary c={v.consultation} />
        </section>
      )}
      {v.signed ? (
        <>
          <section className="card" aria-labelledby="print-title">
            <h2 id="print-title">{t('print')}</h2>
            <PrintButtons
              idPrefix="rx"
              label={t('printPrescription')}
              onPrint={async (lang, size) => {
                const res = await api.GET('/api/v1/visits/{id}/prescription.pdf', {
                  params: { header: tenantHeader, path: { id }, query: { lang, size } },
                  parseAs: 'blob',
                });
                if (!res.data) return false;
                saveBlob(res.data as unknown as Blob, `prescription-${lang}.pdf`);
                return true;
              }}
            />
          </section>
          <section className="card" aria-labelledby="fhir-title">
            <h2 id="fhir-title">{t('fhirDocument')}</h2>
            <div className="actions">
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  const res = await api.GET('/api/v1/visits/{id}/fhir', { params: { header: tenantHeader, path: { id } }, parseAs: 'text' });
                  if (res.data) setFhir(JSON.stringify(JSON.parse(res.data as unknown as string), null, 2));
                }}
              >
                {t('showFhir')}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  const res = await api.GET('/api/v1/visits/{id}/fhir', { params: { header: tenantHeader, path: { id } }, parseAs: 'blob' });
                  if (res.data) saveBlob(res.data as unknown as Blob, `visit-${id}.fhir.json`);
                }}
              >
                {t('downloadFhir')}
              </button>
            </div>
            {fhir && (
              <pre className="fhir" tabIndex={0} aria-label={t('fhirDocument')}>
                {fhir}
              </pre>
            )}
          </section>
          <VisitVersions visitId={id} />
        </>
      ) : (
        <p className="muted">{t('notSignedYet')}</p>
      )}
    </section>
  );
}
