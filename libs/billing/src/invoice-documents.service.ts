import { Injectable } from '@nestjs/common';
import type { Bundle } from '@medplum/fhirtypes';
import { AuditRecorder } from '@hims/audit';
import { TenantScope } from '@hims/tenancy';
import { BILLING_ROLES, conflict, notFound, requireRole } from './billing-rules';
import { renderInvoiceFhir } from './fhir/invoice-fhir';
import type { Invoice, InvoiceLine } from './invoice.model';
import { InvoicesRepository } from './invoices.repository';
import { Payment, PaymentsRepository, Refund } from './payments.repository';

/** Everything a printed invoice or its FHIR rendering shows. */
export interface InvoiceDocumentData {
  invoice: Invoice;
  lines: InvoiceLine[];
  payments: Payment[];
  refunds: Refund[];
  clinic: { name: string; legalName: string | null; address: string | null; gstin: string | null };
  patient: { id: string; name: string; mrn: string };
  /** For a credit note: the number of the invoice it cancels. */
  creditNoteForNumber: string | null;
  timeZone: string;
}

/** Loads an invoice for printing or FHIR (finalised or cancelled only; audited as a read). */
@Injectable()
export class InvoiceDocumentsService {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly payments: PaymentsRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
  ) {}

  async load(id: string, purpose: 'print' | 'fhir'): Promise<InvoiceDocumentData> {
    requireRole(this.scope.roles, BILLING_ROLES.read, 'read invoices');
    const invoice = await this.invoices.find(id);
    if (!invoice) throw notFound('invoice');
    if (invoice.status === 'draft') throw conflict('A draft has no number yet; finalise it first');
    const lines = await this.invoices.lines(id);
    const payments = await this.payments.forInvoice(id);
    const refunds = await this.payments.refundsOf(payments.map((p) => p.id));
    const clinic = await this.invoices.clinic();
    const patient = (await this.invoices.patientSummary(invoice.patientId)) ?? { name: '', mrn: '' };
    const original = invoice.creditNoteFor ? await this.invoices.find(invoice.creditNoteFor) : undefined;
    await this.audit.record({
      action: purpose === 'print' ? 'print' : 'read_fhir',
      entityType: 'invoice',
      entityId: id,
    });
    const tz = this.scope.state.tenant?.settings?.timeZone;
    return {
      invoice,
      lines,
      payments,
      refunds,
      clinic,
      patient: { id: invoice.patientId, ...patient },
      creditNoteForNumber: original?.number ?? null,
      timeZone: typeof tz === 'string' && tz ? tz : 'Asia/Kolkata',
    };
  }

  async fhir(id: string): Promise<Bundle> {
    const d = await this.load(id, 'fhir');
    return renderInvoiceFhir({
      invoice: d.invoice,
      lines: d.lines,
      tenantId: this.scope.tenantId!,
      clinic: { name: d.clinic.legalName ?? d.clinic.name, gstin: d.clinic.gstin },
      patient: d.patient,
    });
  }
}
