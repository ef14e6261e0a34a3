import { useState, type KeyboardEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, asProblem, type Schemas } from '../../api/client';
import { useSession } from '../../session';
import { useQueueMessages, type QueueMessageKey } from './messages';
import './queue.css';

type Entry = Schemas['QueueEntryResponse'];
type Appointment = Schemas['AppointmentResponse'];

const ACTIVE = ['called', 'recalled', 'in-consultation'];
const timeOf = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** One doctor's lane on the board: active and waiting patients, call next, keyboard reorder. */
function Lane(props: { doctorId: string; name: string; entries: Entry[]; onChanged: () => void }) {
  const t = useQueueMessages();
  const { tenantHeader } = useSession();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const waiting = props.entries.filter((e) => e.status === 'waiting');
  const shown = [...props.entries.filter((e) => ACTIVE.includes(e.status)), ...waiting];
  const reasonId = `reason-${props.doctorId}`;

  async function callNext() {
    const res = await api.POST('/api/v1/queue/call-next', {
      params: { header: tenantHeader },
      body: { doctorId: props.doctorId },
    });
    setMessage(
      res.data
        ? `${t('called')}: ${t('token')} ${res.data.token}`
        : (asProblem(res.error)?.detail ?? t('error')),
    );
    props.onChanged();
  }

  async function move(entry: Entry, by: number, focusAfter: boolean) {
    if (!reason.trim()) {
      setMessage(t('reasonNeeded'));
      document.getElementById(reasonId)?.focus();
      return;
    }
    const index = waiting.findIndex((e) => e.id === entry.id) + by;
    if (index < 0 || index >= waiting.length) return;
    const res = await api.POST('/api/v1/queue/entries/{id}/reorder', {
      params: { header: tenantHeader, path: { id: entry.id } },
      body: { index, reason: reason.trim() },
    });
    setMessage(res.data ? null : (asProblem(res.error)?.detail ?? t('error')));
    props.onChanged();
    if (focusAfter) requestAnimationFrame(() => document.getElementById(`entry-${entry.id}`)?.focus());
  }

  function onKey(e: KeyboardEvent<HTMLLIElement>, entry: Entry) {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    void move(entry, e.key === 'ArrowUp' ? -1 : 1, true);
  }

  return (
    <section className="card lane" aria-labelledby={`lane-${props.doctorId}`}>
      <h2 id={`lane-${props.doctorId}`}>
        <span>{props.name}</span>
        <button type="button" onClick={callNext} disabled={waiting.length === 0}>
          {t('callNext')}
        </button>
      </h2>
      <div className="field">
        <label htmlFor={reasonId}>{t('reorderReason')}</label>
        <input id={reasonId} value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
      </div>
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="muted">{t('nobodyWaiting')}</p>
      ) : (
        <ol aria-label={`${props.name}: ${t('waiting')}`}>
          {shown.map((e) => (
            <li
              key={e.id}
              id={`entry-${e.id}`}
              tabIndex={e.status === 'waiting' ? 0 : -1}
              className={ACTIVE.includes(e.status) ? 'active' : undefined}
              onKeyDown={(k) => onKey(k, e)}
              aria-label={`${t('token')} ${e.token}, ${e.patientName ?? ''}, ${t(e.status as QueueMessageKey)}`}
            >
              <span className="tok">{e.token}</span>
              <span className="grow">{e.patientName}</span>
              <span className={`badge ${e.status}`}>{t(e.status as QueueMessageKey)}</span>
              {e.estimatedWaitMinutes !== null && (
                <small>{t('estWait', { n: e.estimatedWaitMinutes })}</small>
              )}
              {e.status === 'waiting' && (
                <span className="row-actions">
                  <button
                    type="button"
                    onClick={() => move(e, -1, false)}
                    aria-label={`${t('moveUp')}: ${t('token')} ${e.token}`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    onClick={() => move(e, 1, false)}
                    aria-label={`${t('moveDown')}: ${t('token')} ${e.token}`}
                  >
                    ↓
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Reception's board for today: every doctor's queue and today's appointments to check in. */
export function ReceptionBoardPage() {
  const t = useQueueMessages();
  const { tenantHeader } = useSession();
  const queries = useQueryClient();
  const tenant = tenantHeader['X-Tenant-ID'];
  const [note, setNote] = useState<string | null>(null);

  const schedules = useQuery({
    queryKey: ['schedules', tenant],
    queryFn: async () =>
      (await api.GET('/api/v1/schedules', { params: { header: tenantHeader } })).data?.items ?? [],
  });
  const board = useQuery({
    queryKey: ['queue-board', tenant],
    queryFn: async () => {
      const res = await api.GET('/api/v1/queue', { params: { header: tenantHeader, query: {} } });
      if (!res.data) throw new Error('board failed');
      return res.data;
    },
    refetchInterval: 15_000,
  });
  const day = board.data?.day;
  const lanesWithEntries = new Set((board.data?.items ?? []).map((e) => e.doctorId));
  const appointments = useQuery({
    queryKey: ['appointments-today', tenant, day],
    enabled: !!day,
    queryFn: async () =>
      (await api.GET('/api/v1/appointments', { params: { header: tenantHeader, query: { day: day! } } })).data
        ?.items ?? [],
  });
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: ['queue-board', tenant] });
    void queries.invalidateQueries({ queryKey: ['appointments-today', tenant] });
  };

  async function checkIn(a: Appointment) {
    const res = await api.POST('/api/v1/appointments/{id}/check-in', {
      params: { header: tenantHeader, path: { id: a.id } },
    });
    setNote(
      res.data
        ? `${a.patientName ?? ''}: ${t('checkedIn', { n: res.data.token })}`
        : (asProblem(res.error)?.detail ?? t('error')),
    );
    refresh();
  }

  const doctors = new Map<string, string>();
  for (const s of schedules.data ?? []) doctors.set(s.doctorId, s.doctorName);
  for (const e of board.data?.items ?? [])
    if (e.doctorId) doctors.set(e.doctorId, e.doctorName ?? e.doctorId);
  const names = new Map(doctors);

  return (
    <>
      <h1>
        {t('boardTitle')} {day && <small>({day})</small>}
      </h1>
      <p className="muted">{t('boardHint')}</p>
      {note && (
        <p role="status" className="note">
          {note}
        </p>
      )}
      <div className="lanes">
        {[...doctors.entries()]
          .filter(([id]) => lanesWithEntries.has(id) || (schedules.data ?? []).some((s) => s.doctorId === id))
          .map(([id, name]) => (
            <Lane
              key={id}
              doctorId={id}
              name={name}
              entries={(board.data?.items ?? []).filter((e) => e.doctorId === id)}
              onChanged={refresh}
            />
          ))}
      </div>
      <section className="card" aria-labelledby="appts-today">
        <h2 id="appts-today">{t('appointmentsToday')}</h2>
        {(appointments.data ?? []).length === 0 ? (
          <p className="muted">{t('noAppointments')}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('time')}</th>
                  <th scope="col">{t('patient')}</th>
                  <th scope="col">{t('doctor')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('checkIn')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(appointments.data ?? []).map((a) => (
                  <tr key={a.id}>
                    <td>{timeOf(a.slotStart)}</td>
                    <td>{a.patientName}</td>
                    <td>{names.get(a.doctorId) ?? a.doctorId}</td>
                    <td>{a.status}</td>
                    <td>
                      {a.status === 'booked' && (
                        <button
                          type="button"
                          onClick={() => checkIn(a)}
                          aria-label={`${t('checkIn')}: ${a.patientName ?? ''}`}
                        >
                          {t('checkIn')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
