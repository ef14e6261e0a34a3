import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, asProblem, type Schemas } from '../../api/client';
import { useSession } from '../../session';
import { useQueueMessages, type QueueMessageKey } from './messages';
import './queue.css';

type Entry = Schemas['QueueEntryResponse'];
type Move = 'called' | 'in-consultation' | 'done' | 'skipped' | 'recalled';

/** The signed-in doctor's own queue: call next, start, finish, skip, recall. */
export function DoctorQueuePage() {
  const t = useQueueMessages();
  const { tenantHeader, me } = useSession();
  const queries = useQueryClient();
  const doctorId = me?.user.id ?? '';
  const key = ['my-queue', tenantHeader['X-Tenant-ID'], doctorId];
  const [message, setMessage] = useState<string | null>(null);
  const lane = useQuery({
    queryKey: key,
    enabled: !!doctorId,
    queryFn: async () => {
      const res = await api.GET('/api/v1/queue/doctors/{doctorId}', {
        params: { header: tenantHeader, path: { doctorId }, query: {} },
      });
      if (!res.data) throw new Error('queue failed');
      return res.data;
    },
    refetchInterval: 15_000,
  });
  const refresh = () => void queries.invalidateQueries({ queryKey: key });

  async function callNext() {
    const res = await api.POST('/api/v1/queue/call-next', {
      params: { header: tenantHeader },
      body: { doctorId },
    });
    setMessage(
      res.data
        ? `${t('called')}: ${t('token')} ${res.data.token}`
        : (asProblem(res.error)?.detail ?? t('error')),
    );
    refresh();
  }

  async function move(e: Entry, status: Move) {
    const res = await api.POST('/api/v1/queue/entries/{id}/status', {
      params: { header: tenantHeader, path: { id: e.id } },
      body: { status },
    });
    setMessage(
      res.data
        ? `${t('token')} ${e.token}: ${t(status as QueueMessageKey)}`
        : (asProblem(res.error)?.detail ?? t('error')),
    );
    refresh();
  }

  const items = lane.data?.items ?? [];
  const actions = (e: Entry): [Move, QueueMessageKey][] =>
    e.status === 'called' || e.status === 'recalled'
      ? [
          ['in-consultation', 'start'],
          ['skipped', 'skip'],
        ]
      : e.status === 'in-consultation'
        ? [['done', 'finish']]
        : e.status === 'skipped'
          ? [['recalled', 'recall']]
          : [];
  return (
    <>
      <h1>{t('myQueueTitle')}</h1>
      {lane.data && <p className="muted">{t('pace', { n: lane.data.paceMinutes })}</p>}
      <div className="actions">
        <button type="button" onClick={callNext} disabled={!items.some((e) => e.status === 'waiting')}>
          {t('callNext')}
        </button>
      </div>
      {message && (
        <p role="status" className="note">
          {message}
        </p>
      )}
      <section className="card lane" aria-label={t('myQueueTitle')}>
        {items.length === 0 ? (
          <p className="muted">{t('nobodyWaiting')}</p>
        ) : (
          <ol>
            {items
              .filter((e) => e.status !== 'done')
              .map((e) => (
                <li
                  key={e.id}
                  className={e.status === 'waiting' || e.status === 'skipped' ? undefined : 'active'}
                >
                  <span className="tok">{e.token}</span>
                  <span className="grow">{e.patientName}</span>
                  <span className={`badge ${e.status}`}>{t(e.status as QueueMessageKey)}</span>
                  {e.estimatedWaitMinutes !== null && (
                    <small>{t('estWait', { n: e.estimatedWaitMinutes })}</small>
                  )}
                  <span className="row-actions">
                    {actions(e).map(([to, label]) => (
                      <button
                        key={to}
                        type="button"
                        onClick={() => move(e, to)}
                        aria-label={`${t(label)}: ${t('token')} ${e.token}`}
                      >
                        {t(label)}
                      </button>
                    ))}
                  </span>
                </li>
              ))}
          </ol>
        )}
      </section>
    </>
  );
}
