import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, asProblem } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { saveBlob } from './billing-api';
import { rupees, toPaise } from './money';

/** The cashier's shift (open with a float, close with the count) and the day's collections. */
export function CounterPage() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="counter-title" className="billing">
      <h1 id="counter-title">{t('counterTitle')}</h1>
      <ShiftPanel />
      <DayReport />
    </section>
  );
}

function ShiftPanel() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const queries = useQueryClient();
  const key = ['shift', tenantHeader['X-Tenant-ID']];
  const shift = useQuery({
    queryKey: key,
    queryFn: async () =>
      (await api.GET('/api/v1/billing/shifts/current', { params: { header: tenantHeader } })).data?.shift ??
      null,
  });
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = shift.data;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const paise = toPaise(amount);
    if (paise === null) return setError(t('amountInvalid'));
    setError(null);
    const res = current
      ? await api.POST('/api/v1/billing/shifts/{id}/close', {
          params: { header: tenantHeader, path: { id: current.id } },
          body: { countedCashPaise: paise, ...(note.trim() ? { note: note.trim() } : {}) },
        })
      : await api.POST('/api/v1/billing/shifts', {
          params: { header: tenantHeader },
          body: { openingFloatPaise: paise },
        });
    if (!res.data) return setError(asProblem(res.error)?.detail ?? t('error'));
    setMessage(current ? `${t('shiftClosed')} ${rupees(res.data.differencePaise ?? 0)}` : null);
    setAmount('');
    setNote('');
    void queries.invalidateQueries({ queryKey: key });
    void queries.invalidateQueries({ queryKey: ['day-report'] });
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="shift-title">
      <h2 id="shift-title">{t('shift')}</h2>
      {current ? (
        <dl className="facts">
          <dt>{t('shiftOpenSince')}</dt>
          <dd>{new Date(current.openedAt).toLocaleString('en-IN')}</dd>
          <dt>{t('openingFloat')}</dt>
          <dd>{rupees(current.openingFloatPaise)}</dd>
          <dt>{t('cashInDrawer')}</dt>
          <dd>{rupees(current.openingFloatPaise + current.cashMovementPaise)}</dd>
        </dl>
      ) : (
        <p>{t('noOpenShift')}</p>
      )}
      {message && (
        <p role="status" className="note">
          {message}
        </p>
      )}
      <div className="grid">
        <div className="field">
          <label htmlFor="shift-amount">{current ? t('countedCash') : t('openingFloat')}</label>
          <input
            id="shift-amount"
            inputMode="decimal"
            required
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </div>
        {current && (
          <div className="field">
            <label htmlFor="shift-note">{t('closeNote')}</label>
            <input id="shift-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
          </div>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit">{current ? t('closeShift') : t('openShift')}</button>
      </div>
    </form>
  );
}

const MODE_COLOURS: Record<string, string> = { cash: '#1b6e3a', upi: '#12355b', card: '#8a4b08' };

/** Collected (solid) and refunded (light) per mode as horizontal bars; the tables below hold the same figures. */
function ModeChart({
  rows,
  label,
}: {
  rows: { mode: string; collectedPaise: number; refundedPaise: number; netPaise: number }[];
  label: string;
}) {
  const { t } = useI18n();
  const max = Math.max(1, ...rows.map((r) => Math.max(r.collectedPaise, r.refundedPaise)));
  const height = 44 * rows.length + 8;
  const summary = rows.map(
    (r) =>
      `${t(r.mode as 'cash')}: ${t('collected')} ${rupees(r.collectedPaise)}, ${t('refunded')} ${rupees(r.refundedPaise)}, ${t('net')} ${rupees(r.netPaise)}`,
  );
  return (
    <svg
      className="chart"
      role="img"
      aria-label={`${label}. ${summary.join('; ')}`}
      viewBox={`0 0 440 ${height}`}
      width="100%"
      style={{ maxWidth: 560 }}
    >
      {rows.map((r, i) => {
        const w = (p: number) => Math.round((p / max) * 240);
        const colour = MODE_COLOURS[r.mode] ?? '#444';
        return (
          <g key={r.mode} transform={`translate(0 ${4 + i * 44})`}>
            <text x="0" y="15" fontSize="13">
              {t(r.mode as 'cash')}
            </text>
            <rect x="60" y="2" width={w(r.collectedPaise)} height="16" fill={colour} />
            <text x={66 + w(r.collectedPaise)} y="15" fontSize="12">
              {rupees(r.collectedPaise)}
            </text>
            <rect x="60" y="21" width={w(r.refundedPaise)} height="14" fill={colour} fillOpacity="0.35" />
            <text x={66 + w(r.refundedPaise)} y="33" fontSize="12">
              −{rupees(r.refundedPaise)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function DayReport() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const [dayInput, setDayInput] = useState('');
  const [day, setDay] = useState<string | undefined>(undefined);
  const report = useQuery({
    queryKey: ['day-report', tenantHeader['X-Tenant-ID'], day],
    queryFn: async () => {
      const res = await api.GET('/api/v1/billing/reports/day', {
        params: { header: tenantHeader, query: { day } },
      });
      if (!res.data) throw new Error('report failed');
      return res.data;
    },
  });
  async function csv() {
    const res = await api.GET('/api/v1/billing/reports/day.csv', {
      params: { header: tenantHeader, query: { day } },
      parseAs: 'blob',
    });
    if (res.data) saveBlob(res.data as unknown as Blob, `collections-${report.data?.day ?? 'today'}.csv`);
  }
  const r = report.data;
  return (
    <div className="card" aria-labelledby="day-title">
      <h2 id="day-title">
        {t('dayReport')} {r?.day ?? ''}
      </h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setDay(dayInput.trim() || undefined);
        }}
      >
        <label htmlFor="day">{t('day')}</label>
        <input
          id="day"
          value={dayInput}
          pattern="\d{4}-\d{2}-\d{2}"
          onChange={(e) => setDayInput(e.target.value)}
        />
        <button type="submit">{t('show')}</button>
        <button type="button" className="secondary" onClick={() => void csv()}>
          {t('downloadCsv')}
        </button>
      </form>
      {report.isError && <p role="alert">{t('error')}</p>}
      {r && (
        <>
          <dl className="facts">
            <dt>{t('collected')}</dt>
            <dd>{rupees(r.totals.collectedPaise)}</dd>
            <dt>{t('refunded')}</dt>
            <dd>{rupees(r.totals.refundedPaise)}</dd>
            <dt>{t('net')}</dt>
            <dd className="total">{rupees(r.totals.netPaise)}</dd>
            <dt>{t('invoicesBilled')}</dt>
            <dd>
              {r.billed.invoices} · {rupees(r.billed.invoicedPaise)}
            </dd>
            <dt>{t('creditNotes')}</dt>
            <dd>
              {r.billed.creditNotes} · {rupees(r.billed.creditedPaise)}
            </dd>
          </dl>
          {r.byMode.length > 0 && <ModeChart rows={r.byMode} label={t('chartLabel')} />}
          <div className="scroll">
            <table>
              <caption>{t('dayReport')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('user')}</th>
                  <th scope="col">{t('mode')}</th>
                  <th scope="col" className="num">
                    {t('count')}
                  </th>
                  <th scope="col" className="num">
                    {t('collected')}
                  </th>
                  <th scope="col" className="num">
                    {t('refunded')}
                  </th>
                  <th scope="col" className="num">
                    {t('net')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.collections.map((c) => (
                  <tr key={`${c.userId}-${c.mode}`}>
                    <td>{c.userName}</td>
                    <td>{t(c.mode as 'cash')}</td>
                    <td className="num">{c.count}</td>
                    <td className="num">{rupees(c.collectedPaise)}</td>
                    <td className="num">{rupees(c.refundedPaise)}</td>
                    <td className="num">{rupees(c.netPaise)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.shifts.length > 0 && (
            <div className="scroll">
              <table>
                <caption>{t('shift')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('opened')}</th>
                    <th scope="col">{t('closed')}</th>
                    <th scope="col" className="num">
                      {t('expected')}
                    </th>
                    <th scope="col" className="num">
                      {t('counted')}
                    </th>
                    <th scope="col" className="num">
                      {t('difference')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.shifts.map((s) => (
                    <tr key={s.id}>
                      <td>{new Date(s.openedAt).toLocaleTimeString('en-IN')}</td>
                      <td>{s.closedAt ? new Date(s.closedAt).toLocaleTimeString('en-IN') : ''}</td>
                      <td className="num">
                        {s.expectedCashPaise === null ? '' : rupees(s.expectedCashPaise)}
                      </td>
                      <td className="num">{s.countedCashPaise === null ? '' : rupees(s.countedCashPaise)}</td>
                      <td className="num">{s.differencePaise === null ? '' : rupees(s.differencePaise)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
