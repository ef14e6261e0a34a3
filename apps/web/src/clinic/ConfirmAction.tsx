import { useId, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';

/**
 * A consequential action behind a confirmation that says what will happen, optionally with
 * a reason to type (sent with the action). Focus moves into the question and back after.
 */
export function ConfirmAction({
  label,
  question,
  reasonLabel,
  danger,
  onConfirm,
  ariaLabel,
}: {
  label: string;
  /** A fuller name for the opening button when several rows share `label`. */
  ariaLabel?: string;
  question: ReactNode;
  reasonLabel?: string;
  danger?: boolean;
  onConfirm: (reason: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    setReason('');
    setMissing(false);
    setTimeout(() => opener.current?.focus(), 0);
  };
  if (!open) {
    return (
      <button type="button" ref={opener} aria-label={ariaLabel} className={danger ? 'danger' : undefined} onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  return (
    <div className="card confirm" role="alertdialog" aria-labelledby={`${id}-q`} aria-modal="false">
      <p id={`${id}-q`} tabIndex={-1} ref={(el) => el?.focus()}>
        {question}
      </p>
      {reasonLabel && (
        <div className={`field${missing ? ' invalid' : ''}`}>
          <label htmlFor={`${id}-reason`}>{reasonLabel}</label>
          <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={missing || undefined} aria-describedby={missing ? `${id}-err` : undefined} />
          {missing && (
            <span id={`${id}-err`} className="error">
              {t('reasonRequired')}
            </span>
          )}
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          className={danger ? 'danger' : undefined}
          onClick={async () => {
            if (reasonLabel && !reason.trim()) {
              setMissing(true);
              return;
            }
            await onConfirm(reason.trim());
            close();
          }}
        >
          {t('confirm')}
        </button>
        <button type="button" className="secondary" onClick={close}>
          {t('keep')}
        </button>
      </div>
    </div>
  );
}
