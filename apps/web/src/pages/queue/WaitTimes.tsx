import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useSession } from '../../session';
import { useQueueMessages } from './messages';
import './queue.css';

const DAY_MS = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const COLORS = { median: '#12355b', p90: '#a86b00' };

/** Median and 90th-percentile waits per doctor per day (last 14 days): bars and the same figures as a table. */
export function WaitTimesPage() {
  const t = useQueueMessages();
  const { tenantHeader } = useSession();
  const to = new Date();
  const from = new Date(to.getTime() - 13 * DAY_MS);
  const figures = useQuery({
    queryKey: ['waits', tenantHeader['X-Tenant-ID'], iso(to)],
    queryFn: async () =>
      (
        await api.GET('/api/v1/queue/analytics/waits', {
          params: { header: tenantHeader, query: { from: iso(from), to: iso(to) } },
        })
      ).data?.items ?? [],
  });
  const rows = figures.data ?? [];
  const max = Math.max(1, ...rows.map((r) => r.p90WaitMinutes ?? 0));
  const barH = 14;
  const rowH = 2 * barH + 14;
  const label = 220;
  const width = 760;
  return (
    <>
      <h1>{t('waitsTitle')}</h1>
      {rows.length === 0 ? (
        <p className="muted">{t('noData')}</p>
      ) : (
        <>
          <p className="legend">
            <span className="median">{t('median')}</span>
            <span className="p90">{t('p90')}</span>
          </p>
          <svg
            className="chart"
            viewBox={`0 0 ${width} ${rows.length * rowH + 10}`}
            role="img"
            aria-labelledby="waits-caption"
          >
            <title id="waits-caption">{t('waitsTitle')}</title>
            {rows.map((r, i) => {
              const y = 5 + i * rowH;
              const scale = (v: number | null) => ((v ?? 0) / max) * (width - label - 60);
              return (
                <g key={`${r.doctorId}-${r.day}`}>
                  <text x={4} y={y + barH + 4} fontSize={12}>
                    {r.day} · {r.doctorName}
                  </text>
                  <rect
                    x={label}
                    y={y}
                    width={scale(r.medianWaitMinutes)}
                    height={barH}
                    fill={COLORS.median}
                  />
                  <text x={label + scale(r.medianWaitMinutes) + 4} y={y + barH - 2} fontSize={11}>
                    {r.medianWaitMinutes ?? '–'}
                  </text>
                  <rect
                    x={label}
                    y={y + barH + 2}
                    width={scale(r.p90WaitMinutes)}
                    height={barH}
                    fill={COLORS.p90}
                  />
                  <text x={label + scale(r.p90WaitMinutes) + 4} y={y + 2 * barH} fontSize={11}>
                    {r.p90WaitMinutes ?? '–'}
                  </text>
                </g>
              );
            })}
          </svg>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('day')}</th>
                  <th scope="col">{t('doctor')}</th>
                  <th scope="col">{t('seen')}</th>
                  <th scope="col">{t('median')}</th>
                  <th scope="col">{t('p90')}</th>
                  <th scope="col">{t('noShows')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.doctorId}-${r.day}`}>
                    <td>{r.day}</td>
                    <td>{r.doctorName}</td>
                    <td>{r.seen}</td>
                    <td>{r.medianWaitMinutes ?? '–'}</td>
                    <td>{r.p90WaitMinutes ?? '–'}</td>
                    <td>{r.noShows}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
