import { useState, type FormEvent } from 'react';
import { api, asProblem } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { Invoice } from './billing-api';
import { rupees, toPaise, toRupeeText } from './money';

type Tender = {
  mode: 'cash' | 'upi' | 'card';
  amountPaise: number;
  tenderedPaise?: number;
  reference?: string;
};

/**
 * Cash (with the cash handed over, for change), UPI and card (with their references), split in
 * any mix. One Idempotency-Key per filled-in form: a double click or a retry takes money once.
 */
export function PaymentForm({ invoice, onPaid }: { invoice: Invoice; onPaid: (changeDue: number) => void }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const [cash, setCash] = useState(toRupeeText(invoice.balancePaise));
  const [tendered, setTendered] = useState('');
  const [upi, setUpi] = useState('');
  const [upiRef, setUpiRef] = useState('');
  const [card, setCard] = useState('');
  const [cardRef, setCardRef] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(() => crypto.randomUUID());

  async function submit(e: FormEvent) {
    e.preventDefault();
    const tenders: Tender[] = [];
    for (const [mode, text, extra] of [
      ['cash', cash, tendered],
      ['upi', upi, upiRef],
      ['card', card, cardRef],
    ] as const) {
      if (!text.trim()) continue;
      const amountPaise = toPaise(text);
      if (!amountPaise) return setError(t('amountInvalid'));
      if (mode === 'cash') {
        const given = extra.trim() ? toPaise(extra) : amountPaise;
        if (given === null) return setError(t('amountInvalid'));
        tenders.push({ mode, amountPaise, tenderedPaise: given });
      } else tenders.push({ mode, amountPaise, reference: extra.trim() });
    }
    if (tenders.length === 0) return setError(t('amountInvalid'));
    setBusy(true);
    const res = await api.POST('/api/v1/invoices/{id}/payments', {
      params: {
        header: { ...tenantHeader, 'Idempotency-Key': key } as typeof tenantHeader,
        path: { id: invoice.id },
      },
      body: { tenders },
    });
    setBusy(false);
    if (res.data) return onPaid(res.data.changeDuePaise);
    const problem = asProblem(res.error);
    setError(
      problem?.errors?.map((x) => `${x.field}: ${x.message}`).join('; ') || problem?.detail || t('error'),
    );
  }

  return (
    <form className="card pay" onSubmit={submit} aria-labelledby="pay-title">
      <h2 id="pay-title">
        {t('takePayment')} · {t('balanceDue')} {rupees(invoice.balancePaise)}
      </h2>
      <div className="grid">
        <div className="field">
          <label htmlFor="pay-cash">
            {t('cash')} · {t('amountRupees')}
          </label>
          <input id="pay-cash" inputMode="decimal" value={cash} onChange={(e) => setCash(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pay-tendered">{t('cashTendered')}</label>
          <input
            id="pay-tendered"
            inputMode="decimal"
            value={tendered}
            onChange={(e) => setTendered(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="pay-upi">
            {t('upi')} · {t('amountRupees')}
          </label>
          <input id="pay-upi" inputMode="decimal" value={upi} onChange={(e) => setUpi(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pay-upi-ref">{t('upiReference')}</label>
          <input id="pay-upi-ref" value={upiRef} onChange={(e) => setUpiRef(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pay-card">
            {t('card')} · {t('amountRupees')}
          </label>
          <input id="pay-card" inputMode="decimal" value={card} onChange={(e) => setCard(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pay-card-ref">{t('cardReference')}</label>
          <input id="pay-card-ref" value={cardRef} onChange={(e) => setCardRef(e.target.value)} />
        </div>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('pay')}
        </button>
      </div>
    </form>
  );
}
