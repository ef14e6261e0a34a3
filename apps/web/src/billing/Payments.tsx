import { useState, type FormEvent } from 'react';
import { api, asProblem } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { useCounterRoles, type Invoice, type Payment } from './billing-api';
import { rupees, toPaise } from './money';

/** An invoice's payments, with a refund form per payment for clinic administrators. */
export function Payments({
  invoice,
  onChange,
}: {
  invoice: Invoice;
  onChange: (message: string | null) => void;
}) {
  const { t } = useI18n();
  const roles = useCounterRoles();
  return (
    <div className="scroll">
      <table className="payments">
        <caption>{t('payments')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('mode')}</th>
            <th scope="col">{t('reference')}</th>
            <th scope="col" className="num">
              {t('amount')}
            </th>
            <th scope="col" className="num">
              {t('refunded')}
            </th>
            {roles.admin && invoice.status === 'finalised' && <th scope="col">{t('refund')}</th>}
          </tr>
        </thead>
        <tbody>
          {invoice.payments.map((p) => (
            <tr key={p.id}>
              <td>{t(p.mode as 'cash' | 'upi' | 'card')}</td>
              <td>{p.reference ?? ''}</td>
              <td className="num">{rupees(p.amountPaise)}</td>
              <td className="num">{p.refundedPaise ? rupees(p.refundedPaise) : ''}</td>
              {roles.admin && invoice.status === 'finalised' && (
                <td>{p.amountPaise > p.refundedPaise && <RefundForm payment={p} onDone={onChange} />}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RefundForm({ payment, onDone }: { payment: Payment; onDone: (message: string | null) => void }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = `refund-${payment.id}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const amountPaise = toPaise(amount);
    if (!amountPaise) return setError(t('amountInvalid'));
    const res = await api.POST('/api/v1/payments/{id}/refunds', {
      params: { header: tenantHeader, path: { id: payment.id } },
      body: { amountPaise, reason },
    });
    if (res.data) onDone(`${t('refundDone')}: ${rupees(res.data.amountPaise)}`);
    else setError(asProblem(res.error)?.detail ?? t('error'));
  }
  return (
    <form className="refund" onSubmit={submit} aria-label={`${t('refund')} ${rupees(payment.amountPaise)}`}>
      <label htmlFor={`${id}-amount`}>{t('refundAmount')}</label>
      <input
        id={`${id}-amount`}
        inputMode="decimal"
        size={8}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
      />
      <label htmlFor={`${id}-reason`}>{t('refundReason')}</label>
      <input id={`${id}-reason`} required value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="secondary">
        {t('refund')}
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </form>
  );
}
