import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { TenantScope } from '@hims/tenancy';
import { BILLING_ROLES, conflict, notFound, requireRole, stale } from './billing-rules';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService, InvoiceWithLines } from './invoices.service';
import { invoiceTotals, negateLine } from './money';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';

/**
 * A finalised invoice is never edited: it is cancelled by a credit note (its own CN series,
 * every line negated, so invoice + credit note net to zero), and whatever is still paid on it
 * is refunded to each payment's own mode in the same transaction (tenant_admin only).
 */
@Injectable()
export class CreditNotesService {
  constructor(
    private readonly repo: InvoicesRepository,
    private readonly payments: PaymentsRepository,
    private readonly paymentsService: PaymentsService,
    private readonly invoices: InvoicesService,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
  ) {}

  async cancel(
    id: string,
    expected: number | undefined,
    reason: string,
  ): Promise<{ invoice: InvoiceWithLines; creditNote: InvoiceWithLines }> {
    requireRole(this.scope.roles, BILLING_ROLES.admin, 'cancel an invoice');
    const original = await this.repo.find(id, true);
    if (!original || original.kind !== 'invoice') throw notFound('invoice');
    if (original.status === 'draft')
      throw conflict('A draft is changed, not cancelled; remove its lines instead');
    if (original.status === 'cancelled')
      throw conflict('This invoice is already cancelled', { creditNoteId: original.creditNoteId });
    if (expected !== undefined && original.version !== expected) throw stale('invoice', original.version);

    for (const p of await this.payments.forInvoice(id)) {
      const left = p.amountPaise - p.refundedPaise;
      if (left > 0) await this.paymentsService.refundUnchecked(p, left, `Cancelled: ${reason}`.slice(0, 500));
    }
    const lines = await this.repo.lines(id);
    const negated = lines.map((l) => ({
      ...l,
      ...negateLine({ ...l, taxablePaise: l.grossPaise - l.discountPaise }),
    }));
    const draft = await this.repo.insertCreditNote(original, invoiceTotals(negated));
    for (const l of negated) {
      await this.repo.insertLine(draft.id, {
        ...l,
        quantity: -l.quantity,
        unitPricePaise: l.unitPricePaise,
        gstRateBp: l.gstRateBp,
      });
    }
    const creditNote = await this.invoices.assignNumber(draft, 'CN');
    const current = (await this.repo.find(id))!;
    const cancelled = await this.repo.markCancelled(id, current.version, reason, creditNote.id);
    if (!cancelled) throw stale('invoice');
    await this.audit.record({
      action: 'cancel',
      entityType: 'invoice',
      entityId: id,
      details: { creditNoteId: creditNote.id, creditNoteNumber: creditNote.number },
    });
    await this.invoices.event(cancelled, 'billing.invoice_cancelled', {
      number: cancelled.number,
      creditNoteId: creditNote.id,
      creditNoteNumber: creditNote.number,
      totalPaise: creditNote.totalPaise,
      department: cancelled.department,
    });
    return {
      invoice: { invoice: cancelled, lines },
      creditNote: { invoice: creditNote, lines: await this.repo.lines(creditNote.id) },
    };
  }
}
