import { useState } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { printHtml, saveBlob } from './billing-api';

type Size = 'a4' | 'a5' | '80mm';

/** Print (A4, A5 or the 80 mm roll) or download the PDF (A4/A5) of a finalised invoice or credit note, English or Hindi. */
export function ReceiptActions({ invoiceId, number }: { invoiceId: string; number: string }) {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const [size, setSize] = useState<Size>('a5');
  const [lang, setLang] = useState<'en' | 'hi'>('en');
  const [failed, setFailed] = useState(false);
  const id = `receipt-${invoiceId}`;

  async function print() {
    const res = await api.GET('/api/v1/invoices/{id}/print', {
      params: { header: tenantHeader, path: { id: invoiceId }, query: { size, lang } },
      parseAs: 'text',
    });
    setFailed(!res.data);
    if (res.data) printHtml(res.data as unknown as string);
  }

  async function pdf() {
    const res = await api.GET('/api/v1/invoices/{id}/pdf', {
      params: {
        header: tenantHeader,
        path: { id: invoiceId },
        query: { size: size === '80mm' ? 'a5' : size, lang },
      },
      parseAs: 'blob',
    });
    setFailed(!res.data);
    if (res.data) saveBlob(res.data as unknown as Blob, `${number}-${lang}.pdf`);
  }

  return (
    <div className="print-buttons" role="group" aria-label={`${t('receipt')} ${number}`}>
      <label htmlFor={`${id}-size`}>{t('paper')}</label>
      <select id={`${id}-size`} value={size} onChange={(e) => setSize(e.target.value as Size)}>
        <option value="a5">A5</option>
        <option value="a4">A4</option>
        <option value="80mm">80 mm</option>
      </select>
      <label htmlFor={`${id}-lang`}>{t('printLanguage')}</label>
      <select id={`${id}-lang`} value={lang} onChange={(e) => setLang(e.target.value === 'hi' ? 'hi' : 'en')}>
        <option value="en">English</option>
        <option value="hi">हिन्दी</option>
      </select>
      <button type="button" onClick={() => void print()}>
        {t('printReceipt')}
      </button>
      <button type="button" className="secondary" onClick={() => void pdf()}>
        {t('downloadPdf')}
      </button>
      {failed && (
        <span role="alert" className="error">
          {t('error')}
        </span>
      )}
    </div>
  );
}
