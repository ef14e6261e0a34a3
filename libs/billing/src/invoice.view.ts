import type { InvoiceResponse, PaymentView } from './dto/invoice.dto';
import type { Invoice, InvoiceLine } from './invoice.model';
import type { Payment } from './payments.repository';

export function toPaymentView(p: Payment): PaymentView {
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    mode: p.mode,
    amountPaise: p.amountPaise,
    refundedPaise: p.refundedPaise,
    tenderedPaise: p.tenderedPaise,
    changePaise: p.changePaise,
    reference: p.reference,
    receivedBy: p.receivedBy,
    receivedAt: p.receivedAt,
  };
}

/** The API's JSON of an invoice (or credit note) with its lines and payments. */
export function toInvoiceView(invoice: Invoice, lines: InvoiceLine[], payments: Payment[]): InvoiceResponse {
  const owed = invoice.kind === 'invoice' && invoice.status === 'finalised' ? invoice.totalPaise : 0;
  return {
    ...invoice,
    balancePaise: invoice.status === 'draft' ? invoice.totalPaise : owed - invoice.paidPaise,
    lines,
    payments: payments.map(toPaymentView),
  };
}
