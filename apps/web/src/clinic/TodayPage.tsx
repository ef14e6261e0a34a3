import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, asProblem } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { useRoles } from './clinic-api';
import { ConfirmAction } from './ConfirmAction';
import { formatDate, formatTime, todayWindow } from './format';

/** Today's visits: the front desk checks in and cancels; a doctor can narrow it to their own. */
export function TodayPage() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const roles = useRoles();
  const queries = useQueryClient();
  const [mine, setMine] = useState(roles.doctor && !roles.reception);
  const [problem, setProblem] = useState<string | null>(null);
  const window = todayWindow();
  const key = ['day', tenantHeader['X-Tenant-ID'], window.from, mine];
  const day = useQuery({
    queryKey: key,
    queryFn: async () => {
      const res = await api.GET('/api/v1/visits', {
        params: { header: tenantHeader, query: { ...window, ...(mine ? { attendingDoctorId: roles.userId } : {}) } },
      });
      if (!res.data) throw new Error('day failed');
      return res.data.items;
    },
  });

  async function step(id: string, version: number, status: 'arrived' | 'cancelled', reason?: string) {
    setProblem(null);
    const res = await api.POST('/api/v1/visits/{id}/status', {
      params: { header: { ...tenantHeader, 'If-Match': `"${version}"` }, path: { id } },
      body: { status, ...(reason ? { reason } : {}) },
    });
    if (!res.data) setProblem(asProblem(res.error)?.detail ?? t('error'));
    await queries.invalidateQueries({ queryKey: ['day'] });
  }

  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title">
        {t('todayTitle')} · {formatDate(new Date())}
      </h1>
      {roles.doctor && (
        <label className="check">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> {t('myList')}
        </label>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {day.isError && <p role="alert">{t('error')}</p>}
      {day.data && day.data.length === 0 && <p>{t('noVisits')}</p>}
      {day.data && day.data.length > 0 && (
        <ul className="day-list" aria-label={t('todayTitle')}>
          {day.data.map((v) => (
            <li key={v.id} className="card day-item">
              <span className="time">{formatTime(v.scheduledAt)}</span>
              <span className="who">
                <Link to={`/visits/${v.id}`}>{v.patient.name}</Link> <span className="mono">{v.patient.mrn}</span>
              </span>
              <span>
                {v.attendingDoctorName ?? '—'} · {v.department}
              </span>
              <span className={`badge status-${v.status}`}>{t(`status_${v.status}` as MessageKey)}</span>
              <span className="actions">
                {v.status === 'planned' && roles.reception && (
                  <button type="button" onClick={() => void step(v.id, v.version, 'arrived')} aria-label={`${t('checkIn')}: ${v.patient.name}`}>
                    {t('checkIn')}
                  </button>
                )}
                {['planned', 'arrived'].includes(v.status) && roles.reception && (
                  <ConfirmAction
                    label={t('cancelVisit')}
                    danger
                    question={`${v.patient.name}: ${t('cancelVisitConfirm')}`}
                    reasonLabel={t('cancelReason')}
                    onConfirm={(reason) => step(v.id, v.version, 'cancelled', reason)}
                  />
                )}
                {v.status === 'planned' && !roles.reception && <span className="muted">{t('onlyReception')}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
