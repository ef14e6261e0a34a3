import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, asProblem } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { rupees, toPaise } from './money';

const KINDS = ['consultation', 'procedure', 'registration', 'investigation', 'other'] as const;
type Kind = (typeof KINDS)[number];

/** tenant_admin: the clinic's price list (prices in rupees here, paise in the API), GST-exempt or rate + HSN/SAC. */
export function PriceListPage() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const queries = useQueryClient();
  const key = ['price-items', tenantHeader['X-Tenant-ID']];
  const items = useQuery({
    queryKey: key,
    queryFn: async () =>
      (await api.GET('/api/v1/billing/price-items', { params: { header: tenantHeader } })).data?.items ?? [],
  });
  const [form, setForm] = useState({
    code: '',
    name: '',
    kind: 'consultation' as Kind,
    department: '',
    price: '',
    rate: '',
    hsn: '',
    fuDays: '',
    fuPrice: '',
    from: new Date().toISOString().slice(0, 10),
  });
  const [errors, setErrors] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const pricePaise = toPaise(form.price);
    const fuPrice = form.fuPrice.trim() ? toPaise(form.fuPrice) : undefined;
    if (pricePaise === null || fuPrice === null) return setErrors(t('amountInvalid'));
    const exempt = !form.rate.trim();
    const res = await api.POST('/api/v1/billing/price-items', {
      params: { header: tenantHeader },
      body: {
        code: form.code.trim().toUpperCase(),
        name: form.name,
        kind: form.kind,
        ...(form.department.trim() ? { department: form.department.trim() } : {}),
        pricePaise,
        gstExempt: exempt,
        ...(exempt
          ? {}
          : {
              gstRateBp: Math.round(Number(form.rate) * 100) as 0 | 500 | 1200 | 1800 | 2800,
              hsnSac: form.hsn.trim(),
            }),
        ...(form.fuDays.trim()
          ? { followUpDays: Number(form.fuDays), followUpPricePaise: fuPrice ?? 0 }
          : {}),
        effectiveFrom: form.from,
      },
    });
    if (!res.data) {
      const p = asProblem(res.error);
      return setErrors(
        p?.errors?.map((x) => `${x.field}: ${x.message}`).join('; ') || p?.detail || t('error'),
      );
    }
    setErrors(null);
    setSaved(true);
    void queries.invalidateQueries({ queryKey: key });
  }

  return (
    <section aria-labelledby="prices-title" className="billing">
      <h1 id="prices-title">{t('priceListTitle')}</h1>
      <div className="scroll">
        <table>
          <caption className="visually-hidden">{t('priceListTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('code')}</th>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col" className="num">
                {t('price')}
              </th>
              <th scope="col">{t('gst')}</th>
              <th scope="col">{t('followUpRule')}</th>
              <th scope="col">{t('effectiveFrom')}</th>
            </tr>
          </thead>
          <tbody>
            {(items.data ?? []).map((p) => (
              <tr key={p.id}>
                <td className="mono">{p.code}</td>
                <td>
                  {p.name}
                  {p.department && <div className="muted">{p.department}</div>}
                </td>
                <td>{t(`kind_${p.kind as Kind}`)}</td>
                <td className="num">{rupees(p.pricePaise)}</td>
                <td>{p.gstExempt ? t('gstExempt') : `${(p.gstRateBp ?? 0) / 100}% · ${p.hsnSac}`}</td>
                <td>{p.followUpDays ? `${p.followUpDays} d · ${rupees(p.followUpPricePaise ?? 0)}` : ''}</td>
                <td>
                  {p.effectiveFrom}
                  {p.effectiveTo ? ` – ${p.effectiveTo}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="card" onSubmit={submit} aria-labelledby="add-price-title">
        <h2 id="add-price-title">{t('addPriceItem')}</h2>
        <div className="grid">
          {(
            [
              ['code', t('code')],
              ['name', t('name')],
              ['department', t('department')],
              ['price', t('price')],
              ['rate', t('gstRate')],
              ['hsn', t('hsnSac')],
              ['fuDays', t('followUpDays')],
              ['fuPrice', t('followUpPrice')],
              ['from', t('effectiveFrom')],
            ] as const
          ).map(([k, label]) => (
            <div className="field" key={k}>
              <label htmlFor={`pi-${k}`}>{label}</label>
              <input
                id={`pi-${k}`}
                value={form[k]}
                required={k === 'code' || k === 'name' || k === 'price' || k === 'from'}
                onChange={set(k)}
              />
            </div>
          ))}
          <div className="field">
            <label htmlFor="pi-kind">{t('kind')}</label>
            <select id="pi-kind" value={form.kind} onChange={set('kind')}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind_${k}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {errors && (
          <p role="alert" className="error">
            {errors}
          </p>
        )}
        {saved && (
          <p role="status" className="note">
            {t('priceSaved')}
          </p>
        )}
        <div className="actions">
          <button type="submit">{t('addPriceItem')}</button>
        </div>
      </form>
    </section>
  );
}
