import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, asProblem, type Patient } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { saveBlob, useDoctors, useRoles } from './clinic-api';
import { formatDateTime, parseDateTime, formatDate, formatTime } from './format';
import { PrintButtons } from './PrintButtons';

/** The patient's chart: visits newest first, booking, the OPD card, and the history link. */
export function PatientChart({ patient }: { patient: Patient }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const roles = useRoles();
  const doctors = useDoctors();
  const visits = useQuery({
    queryKey: ['visits', tenantHeader['X-Tenant-ID'], patient.id],
    queryFn: async () => {
      const res = await api.GET('/api/v1/patients/{patientId}/visits', {
        params: { header: tenantHeader, path: { patientId: patient.id }, query: { limit: 50 } },
      });
      if (!res.data) throw new Error('visits failed');
      return res.data.items;
    },
  });
  const doctorName = (id: string) => doctors.data?.find((d) => d.id === id)?.displayName ?? '—';

  return (
    <>
      <div className="actions chart-actions">
        <PrintButtons
          idPrefix="opd"
          label={t('printOpdCard')}
          onPrint={async (lang, size) => {
            const res = await api.GET('/api/v1/patients/{patientId}/opd-card.pdf', {
              params: { header: tenantHeader, path: { patientId: patient.id }, query: { lang, size } },
              parseAs: 'blob',
            });
            if (!res.data) return false;
            saveBlob(res.data as unknown as Blob, `opd-card-${patient.mrn}-${lang}.pdf`);
            return true;
          }}
        />
        {roles.admin && (
          <Link className="button secondary" to={`/patients/${patient.id}/history`}>
            {t('history')}
          </Link>
        )}
      </div>
      <section className="card" aria-labelledby="chart-title">
        <h2 id="chart-title">{t('chart')}</h2>
        {visits.isError && <p role="alert">{t('error')}</p>}
        {visits.data && visits.data.length === 0 && <p>{t('noVisits')}</p>}
        {visits.data && visits.data.length > 0 && (
          <div className="table-scroll">
            <table className="visits">
              <caption className="visually-hidden">{t('chart')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('date')}</th>
                  <th scope="col">{t('doctor')}</th>
                  <th scope="col">{t('department')}</th>
                  <th scope="col">{t('visitStatus')}</th>
                </tr>
              </thead>
              <tbody>
                {visits.data.map((v) => (
                  <tr key={v.id}>
                    <td>
                      <Link to={`/visits/${v.id}`}>{formatDateTime(v.scheduledAt)}</Link>
                    </td>
                    <td>{doctorName(v.attendingDoctorId)}</td>
                    <td>{v.department}</td>
                    <td>
                      {t(`status_${v.status}` as MessageKey)}
                      {v.signed ? ` · ${t('signed')}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {patient.active && <BookVisit patient={patient} />}
    </>
  );
}

function BookVisit({ patient }: { patient: Patient }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const roles = useRoles();
  const doctors = useDoctors();
  const queries = useQueryClient();
  const now = new Date();
  const [form, setForm] = useState({
    doctor: '',
    department: 'General Medicine',
    at: `${formatDate(now)} ${formatTime(now.toISOString())}`,
    reason: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const active = doctors.data?.filter((d) => d.active) ?? [];

  if (!roles.reception) {
    return (
      <section className="card" aria-labelledby="book-title">
        <h2 id="book-title">{t('bookVisit')}</h2>
        <p className="muted">{t('onlyReception')}</p>
      </section>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const scheduledAt = parseDateTime(form.at);
    const doctor = form.doctor || active[0]?.id || '';
    if (!scheduledAt) {
      setErrors({ scheduledAt: t('scheduledAt') });
      return;
    }
    const res = await api.POST('/api/v1/patients/{patientId}/visits', {
      params: { header: { ...tenantHeader, 'Idempotency-Key': idempotencyKey } as typeof tenantHeader, path: { patientId: patient.id } },
      body: { attendingDoctorId: doctor, department: form.department, scheduledAt, reason: form.reason || undefined },
    });
    if (res.data) {
      setErrors({});
      setIdempotencyKey(crypto.randomUUID());
      setMessage(t('booked'));
      await queries.invalidateQueries({ queryKey: ['visits', tenantHeader['X-Tenant-ID'], patient.id] });
      return;
    }
    const problem = asProblem(res.error);
    setErrors(Object.fromEntries((problem?.errors ?? []).map((er) => [er.field, er.message])));
    setMessage(problem?.detail ?? t('error'));
  }

  const field = (id: string, label: string, input: React.ReactNode) => (
    <div className={`field${errors[id] ? ' invalid' : ''}`}>
      <label htmlFor={`book-${id}`}>{label}</label>
      {input}
      {errors[id] && (
        <span id={`book-${id}-error`} className="error">
          {errors[id]}
        </span>
      )}
    </div>
  );
  const aria = (id: string) => (errors[id] ? { 'aria-invalid': true, 'aria-describedby': `book-${id}-error` } : {});

  return (
    <form className="card grid" onSubmit={submit} aria-labelledby="book-title" noValidate>
      <h2 id="book-title" className="wide">
        {t('bookVisit')}
      </h2>
      {field(
        'attendingDoctorId',
        t('doctor'),
        <select id="book-attendingDoctorId" value={form.doctor || active[0]?.id || ''} onChange={(e) => setForm({ ...form, doctor: e.target.value })} {...aria('attendingDoctorId')}>
          {active.map((d) => (
            <option key={d.id} value={d.id}>
              {d.displayName}
            </option>
          ))}
        </select>,
      )}
      {field('department', t('department'), <input id="book-department" value={form.department} onChange={(e) => setForm({ ...form, department: e.target.value })} {...aria('department')} />)}
      {field('scheduledAt', t('scheduledAt'), <input id="book-scheduledAt" inputMode="numeric" value={form.at} onChange={(e) => setForm({ ...form, at: e.target.value })} {...aria('scheduledAt')} />)}
      {field('reason', t('visitReason'), <input id="book-reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} {...aria('reason')} />)}
      <div className="wide actions">
        <button type="submit">{t('book')}</button>
        {message && (
          <span role="status" className="note">
            {message}
          </span>
        )}
      </div>
    </form>
  );
}
