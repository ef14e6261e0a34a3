import { useState } from 'react';
import { useI18n } from '../i18n';

export type PaperSize = 'A5' | 'A4';

/**
 * PDF downloads in English and Hindi, with the paper size chosen once for both.
 * `fetchPdf` does the authorised request; the caller saves the blob.
 */
export function PrintButtons({
  label,
  onPrint,
  idPrefix,
}: {
  label: string;
  onPrint: (lang: 'en' | 'hi', size: PaperSize) => Promise<boolean>;
  idPrefix: string;
}) {
  const { t } = useI18n();
  const [size, setSize] = useState<PaperSize>('A5');
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (lang: 'en' | 'hi') => {
    setBusy(true);
    setFailed(!(await onPrint(lang, size)));
    setBusy(false);
  };
  return (
    <div className="print-buttons" role="group" aria-label={label}>
      <label htmlFor={`${idPrefix}-size`}>{t('pageSize')}</label>
      <select id={`${idPrefix}-size`} value={size} onChange={(e) => setSize(e.target.value === 'A4' ? 'A4' : 'A5')}>
        <option value="A5">A5</option>
        <option value="A4">A4</option>
      </select>
      <button type="button" disabled={busy} onClick={() => void run('en')}>
        {label}
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={() => void run('hi')}>
        {label} {t('printHindi')}
      </button>
      {failed && (
        <span role="alert" className="error">
          {t('error')}
        </span>
      )}
    </div>
  );
}
