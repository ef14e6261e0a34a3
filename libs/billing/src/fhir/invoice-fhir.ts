import type {
  Bundle,
  ChargeItem,
  Invoice as FhirInvoice,
  InvoiceLineItemPriceComponent,
  Money,
  Organization,
  Patient,
} from '@medplum/fhirtypes';
import { uuidV5 } from '@hims/auth';
import type { Invoice, InvoiceLine } from '../invoice.model';

/** Namespace of the name-based ids in an invoice bundle (random, fixed forever). */
const INVOICE_NAMESPACE = '8b0e6f4c-2a71-4c53-9d1e-6f0a3b7c5e21';

export interface InvoiceFhirInput {
  invoice: Invoice;
  lines: InvoiceLine[];
  tenantId: string;
  clinic: { name: string; gstin: string | null };
  patient: { id: string; name: string; mrn: string };
}

const inr = (paise: number): Money => ({ value: paise / 100, currency: 'INR' });
const urn = (name: string) => `urn:uuid:${uuidV5(name, INVOICE_NAMESPACE)}`;

/** Invoice.status from ours: a finalised invoice is issued until paid in full (balanced). */
function status(i: Invoice): FhirInvoice['status'] {
  if (i.status === 'cancelled') return 'cancelled';
  if (i.status === 'draft') return 'draft';
  return i.kind === 'invoice' && i.paidPaise >= i.totalPaise ? 'balanced' : 'issued';
}

/**
 * A finalised invoice (or credit note) as a FHIR R4 collection Bundle: the Invoice, one
 * ChargeItem per line (billed), the issuing Organization and the Patient. Amounts are INR
 * decimals from integer paise; price components are base, discount and the two GST taxes.
 * Ids are name-based, so every read of one invoice version gives the same bundle.
 */
export function renderInvoiceFhir(input: InvoiceFhirInput): Bundle {
  const { invoice, lines, tenantId } = input;
  const orgUrl = urn(`organization:${tenantId}`);
  const patientUrl = urn(`patient:${input.patient.id}`);
  const invoiceUrl = urn(`invoice:${invoice.id}:${invoice.version}`);
  const organization: Organization = {
    resourceType: 'Organization',
    name: input.clinic.name,
    ...(input.clinic.gstin ? { identifier: [{ system: 'urn:hims:gstin', value: input.clinic.gstin }] } : {}),
  };
  const patient: Patient = {
    resourceType: 'Patient',
    identifier: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
        system: `urn:hims:mrn:${tenantId}`,
        value: input.patient.mrn,
      },
    ],
    name: [{ text: input.patient.name }],
  };
  const charges: { url: string; resource: ChargeItem }[] = lines.map((l) => ({
    url: urn(`charge:${invoice.id}:${l.id}`),
    resource: {
      resourceType: 'ChargeItem',
      status: invoice.status === 'cancelled' ? 'aborted' : 'billed',
      code: {
        coding: [{ system: `urn:hims:price-list:${tenantId}`, code: l.code, display: l.description }],
        text: l.description,
      },
      subject: { reference: patientUrl },
      quantity: { value: l.quantity },
      priceOverride: inr(l.unitPricePaise),
      ...(invoice.finalisedAt ? { enteredDate: invoice.finalisedAt } : {}),
      ...(l.hsnSac
        ? { productCodeableConcept: { coding: [{ system: 'urn:hims:hsn-sac', code: l.hsnSac }] } }
        : {}),
    },
  }));
  const components = (l: InvoiceLine): InvoiceLineItemPriceComponent[] => [
    { type: 'base', amount: inr(l.grossPaise) },
    ...(l.discountPaise ? [{ type: 'discount' as const, amount: inr(l.discountPaise) }] : []),
    ...(l.gstExempt
      ? []
      : [
          {
            type: 'tax' as const,
            code: { text: 'CGST' },
            factor: l.gstRateBp! / 20000,
            amount: inr(l.cgstPaise),
          },
          {
            type: 'tax' as const,
            code: { text: 'SGST' },
            factor: l.gstRateBp! / 20000,
            amount: inr(l.sgstPaise),
          },
        ]),
  ];
  const fhirInvoice: FhirInvoice = {
    resourceType: 'Invoice',
    identifier: invoice.number
      ? [{ system: `urn:hims:invoice-number:${tenantId}`, value: invoice.number }]
      : [],
    status: status(invoice),
    ...(invoice.status === 'cancelled' && invoice.cancelReason
      ? { cancelledReason: invoice.cancelReason }
      : {}),
    type: { text: invoice.kind === 'credit_note' ? 'Credit note' : 'Invoice' },
    subject: { reference: patientUrl },
    ...(invoice.finalisedAt ? { date: invoice.finalisedAt } : {}),
    issuer: { reference: orgUrl },
    lineItem: lines.map((l, i) => ({
      sequence: l.position,
      chargeItemReference: { reference: charges[i].url },
      priceComponent: components(l),
    })),
    totalNet: inr(invoice.subtotalPaise - invoice.discountPaise),
    totalGross: inr(invoice.totalPaise),
  };
  if (fhirInvoice.identifier?.length === 0) delete fhirInvoice.identifier;
  return {
    resourceType: 'Bundle',
    type: 'collection',
    identifier: { system: 'urn:ietf:rfc:3986', value: invoiceUrl },
    timestamp: invoice.finalisedAt ?? invoice.createdAt,
    entry: [
      { fullUrl: invoiceUrl, resource: fhirInvoice },
      ...charges.map((c) => ({ fullUrl: c.url, resource: c.resource })),
      { fullUrl: orgUrl, resource: organization },
      { fullUrl: patientUrl, resource: patient },
    ],
  };
}
