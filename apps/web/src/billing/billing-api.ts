import { useSession } from '../session';
import type { Schemas } from '../api/client';

export type Invoice = Schemas['InvoiceResponse'];
export type Payment = Schemas['PaymentView'];

/** What the signed-in user's roles allow at the counter (the API enforces it too). */
export function useCounterRoles() {
  const { me } = useSession();
  const roles = me?.roles ?? [];
  return {
    counter: roles.includes('receptionist') || roles.includes('tenant_admin'),
    admin: roles.includes('tenant_admin'),
  };
}

/** Hands a fetched file to the browser as a download (the bearer token lives in memory, so no plain link). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Prints an HTML page (the receipt) through a hidden frame, so the console itself is not printed. */
export function printHtml(html: string): void {
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.srcdoc = html;
  frame.onload = () => {
    frame.contentWindow?.print();
    setTimeout(() => frame.remove(), 60_000);
  };
  document.body.append(frame);
}
