export type InvoiceStatus = 'draft' | 'finalised' | 'cancelled';
export type InvoiceKind = 'invoice' | 'credit_note';

export interface InvoiceLine {
  id: string;
  position: number;
  priceItemId: string | null;
  code: string;
  description: string;
  quantity: number;
  unitPricePaise: number;
  grossPaise: number;
  discountPaise: number;
  discountReason: string | null;
  gstExempt: boolean;
  gstRateBp: number | null;
  hsnSac: string | null;
  cgstPaise: number;
  sgstPaise: number;
  totalPaise: number;
  followUp: boolean;
}

export interface Invoice {
  id: string;
  kind: InvoiceKind;
  visitId: string | null;
  patientId: string;
  department: string | null;
  status: InvoiceStatus;
  number: string | null;
  fiscalYear: string | null;
  subtotalPaise: number;
  discountPaise: number;
  taxPaise: number;
  totalPaise: number;
  paidPaise: number;
  creditNoteFor: string | null;
  creditNoteId: string | null;
  cancelReason: string | null;
  finalisedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  version: number;
}

export const INVOICE_MONEY = [
  'subtotalPaise',
  'discountPaise',
  'taxPaise',
  'totalPaise',
  'paidPaise',
] as const;
export const LINE_MONEY = [
  'unitPricePaise',
  'grossPaise',
  'discountPaise',
  'cgstPaise',
  'sgstPaise',
  'totalPaise',
] as const;

/** What a visit contributes to its bill. */
export interface VisitForBilling {
  id: string;
  patientId: string;
  department: string;
  attendingDoctorId: string;
  scheduledAt: Date;
  status: string;
}
