import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, asProblem } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { useCounterRoles, type Invoice } from './billing-api';
import { rupees } from './money';
import { PaymentForm } from './PaymentForm';
import { Payments } from './Payments';
import { ReceiptActions } from './ReceiptActions';

const STATUS = { draft: 'billDraft', finalised: 'billFinalised', cancelled: 'billCancelled' } as const;

/** The bill at the end of the visit: items, discounts, finalise, payment, receipt, refunds, credit note. */
export function BillPage() {
  const { visitId = '' } = useParams();
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const roles = useCounterRoles();
  const queries = useQueryClient();
  const key = ['visit-bills', tenantHeader['X-Tenant-ID'], visitId];
  const [note, setNote] = useState<string | null>(null);
  const bills = useQuery({
    queryKey: key,
    queryFn: async () => {
      const list = await api.GET('/api/v1/visits/{visitId}/invoices', {
        params: { header: tenantHeader, path: { visitId } },
      });
      if (!list.data) throw new Error('bills failed');
      const open = list.data.items.find((i) => i.kind === 'invoice' && i.status === 'draft');
      const paid = list.data.items.some((i) => i.kind === 'invoice' && i.status !== 'draft');
      // The first visit to this screen opens the draft with the consultation charge.
      if (!open && !paid && roles.counter) {
        const opened = await api.POST('/api/v1/visits/{visitId}/bill', {
          params: { header: tenantHeader, path: { visitId } },
        });
        if (opened.data) return [opened.data];
      }
      return list.data.items;
    },
  });
  const reload = () => queries.invalidateQueries({ queryKey: key });
  const items = bills.data ?? [];

  return (
    <section aria-labelledby="bill-title" className="billing">
      <h1 id="bill-title">{t('billOfVisit')}</h1>
      {bills.isError && <p role="alert">{t('error')}</p>}
      {note && (
        <p role="status" className="note">
          {note}
        </p>
      )}
      {items.map((inv) => (
        <InvoiceCard key={inv.id} invoice={inv} onChange={(message) => (setNote(message), void reload())} />
      ))}
    </section>
  );
}

function InvoiceCard({
  invoice,
  onChange,
}: {
  invoice: Invoice;
  onChange: (message: string | null) => void;
}) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const roles = useCounterRoles();
  const [error, setError] = useState<string | null>(null);
  const draft = invoice.status === 'draft';
  const title = invoice.kind === 'credit_note' ? t('creditNote') : t('billTitle');
  const fail = (e: unknown) => setError(asProblem(e)?.detail ?? t('error'));
  const ifMatch = { ...tenantHeader, 'If-Match': `"${invoice.version}"` };

  async function removeLine(lineId: string) {
    const res = await api.DELETE('/api/v1/invoices/{id}/lines/{lineId}', {
      params: { header: ifMatch, path: { id: invoice.id, lineId } },
    });
    if (res.data) onChange(null);
    else fail(res.error);
  }
  async function finalise() {
    const res = await api.POST('/api/v1/invoices/{id}/finalise', {
      params: { header: ifMatch, path: { id: invoice.id } },
    });
    if (res.data) onChange(`${t('billFinalised')}: ${res.data.number}`);
    else fail(res.error);
  }

  return (
    <article className="card invoice" aria-labelledby={`inv-${invoice.id}`}>
      <h2 id={`inv-${invoice.id}`}>
        {title} {invoice.number ?? ''}{' '}
        <span className={`badge ${invoice.status}`}>{t(STATUS[invoice.status as keyof typeof STATUS])}</span>
      </h2>
      {invoice.cancelReason && (
        <p>
          {t('cancelReason')}: {invoice.cancelReason}
        </p>
      )}
      <div className="scroll">
        <table className="lines">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('item')}</th>
              <th scope="col">{t('quantity')}</th>
              <th scope="col" className="num">
                {t('unitPrice')}
              </th>
              <th scope="col" className="num">
                {t('discount')}
              </th>
              <th scope="col" className="num">
                {t('tax')}
              </th>
              <th scope="col" className="num">
                {t('amount')}
              </th>
              {draft && roles.counter && (
                <th scope="col">
                  <span className="visually-hidden">{t('remove')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.description}
                  {l.discountReason && <div className="muted">{l.discountReason}</div>}
                </td>
                <td>{l.quantity}</td>
                <td className="num">{rupees(l.unitPricePaise)}</td>
                <td className="num">{l.discountPaise ? rupees(l.discountPaise) : ''}</td>
                <td className="num">
                  {l.gstRateBp === null
                    ? ''
                    : `${rupees(l.cgstPaise + l.sgstPaise)} (${(l.gstRateBp ?? 0) / 100}%)`}
                </td>
                <td className="num">{rupees(l.totalPaise)}</td>
                {draft && roles.counter && (
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void removeLine(l.id)}
                      aria-label={`${t('remove')} ${l.description}`}
                    >
                      {t('remove')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="totals">
        <dt>{t('subtotal')}</dt>
        <dd>{rupees(invoice.subtotalPaise)}</dd>
        <dt>{t('discount')}</dt>
        <dd>{rupees(invoice.discountPaise)}</dd>
        <dt>{t('tax')}</dt>
        <dd>{rupees(invoice.taxPaise)}</dd>
        <dt>{t('total')}</dt>
        <dd className="total">{rupees(invoice.totalPaise)}</dd>
        {invoice.kind === 'invoice' && invoice.status !== 'draft' && (
          <>
            <dt>{t('paid')}</dt>
            <dd>{rupees(invoice.paidPaise)}</dd>
            <dt>{t('balanceDue')}</dt>
            <dd className="total">{rupees(invoice.balancePaise)}</dd>
          </>
        )}
      </dl>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {draft && roles.counter && (
        <>
          <AddLine invoice={invoice} onAdded={() => onChange(null)} />
          <p className="muted">{t('finaliseHint')}</p>
          <div className="actions">
            <button type="button" onClick={() => void finalise()} disabled={invoice.lines.length === 0}>
              {t('finalise')}
            </button>
          </div>
        </>
      )}
      {invoice.status === 'finalised' &&
        invoice.kind === 'invoice' &&
        invoice.balancePaise > 0 &&
        roles.counter && (
          <PaymentForm
            invoice={invoice}
            onPaid={(change) => onChange(`${t('paymentTaken')}. ${t('changeDue')}: ${rupees(change)}`)}
          />
        )}
      {invoice.payments.length > 0 && <Payments invoice={invoice} onChange={onChange} />}
      {invoice.number && <ReceiptActions invoiceId={invoice.id} number={invoice.number} />}
      {invoice.status === 'finalised' && invoice.kind === 'invoice' && roles.admin && (
        <CancelInvoice invoice={invoice} onDone={onChange} />
      )}
    </article>
  );
}

function AddLine({ invoice, onAdded }: { invoice: Invoice; onAdded: () => void }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const prices = useQuery({
    queryKey: ['price-items', tenantHeader['X-Tenant-ID']],
    queryFn: async () =>
      (await api.GET('/api/v1/billing/price-items', { params: { header: tenantHeader } })).data?.items ?? [],
  });
  const [code, setCode] = useState('');
  const [qty, setQty] = useState('1');
  const [pct, setPct] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = `add-${invoice.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const discountBp = pct.trim() ? Math.round(Number(pct) * 100) : undefined;
    const res = await api.POST('/api/v1/invoices/{id}/lines', {
      params: { header: { ...tenantHeader, 'If-Match': `"${invoice.version}"` }, path: { id: invoice.id } },
      body: {
        code,
        quantity: Number(qty),
        ...(discountBp ? { discountBp, discountReason: reason.trim() || undefined } : {}),
      },
    });
    if (res.data) {
      setCode('');
      setPct('');
      setReason('');
      return onAdded();
    }
    const problem = asProblem(res.error);
    setError(
      problem?.errors?.map((x) => `${x.field}: ${x.message}`).join('; ') || problem?.detail || t('error'),
    );
  }

  return (
    <form className="add-line" onSubmit={submit} aria-label={t('addItem')}>
      <div className="field">
        <label htmlFor={`${id}-code`}>{t('priceItem')}</label>
        <select id={`${id}-code`} value={code} required onChange={(e) => setCode(e.target.value)}>
          <option value="" />
          {(prices.data ?? []).map((p) => (
            <option key={p.id} value={p.code}>
              {p.code} · {p.name} · {rupees(p.pricePaise)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-qty`}>{t('quantity')}</label>
        <input
          id={`${id}-qty`}
          type="number"
          min={1}
          max={1000}
          value={qty}
          onChange={(e) => setQty(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-pct`}>{t('discountPercent')}</label>
        <input id={`${id}-pct`} inputMode="decimal" value={pct} onChange={(e) => setPct(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('discountReason')}</label>
        <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="submit">{t('addItem')}</button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}

function CancelInvoice({ invoice, onDone }: { invoice: Invoice; onDone: (message: string | null) => void }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = `cancel-${invoice.id}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await api.POST('/api/v1/invoices/{id}/cancel', {
      params: { header: tenantHeader, path: { id: invoice.id } },
      body: { reason },
    });
    if (res.data) onDone(`${t('cancelled')} ${res.data.number}`);
    else setError(asProblem(res.error)?.detail ?? t('error'));
  }
  return (
    <form className="cancel" onSubmit={submit} aria-label={t('cancelBill')}>
      <p className="muted">{t('cancelHint')}</p>
      <label htmlFor={id}>{t('cancelReason')}</label>
      <input id={id} value={reason} required maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="danger">
        {t('cancelBill')}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
