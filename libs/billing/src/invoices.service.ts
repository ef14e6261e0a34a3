import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { OutboxWriter } from '@hims/events';
import { TenantScope } from '@hims/tenancy';
import {
  ADMIN_DISCOUNT_LIMIT_BP,
  BILLING_ROLES,
  conflict,
  finalisedProblem,
  invalid,
  notFound,
  requireRole,
  stale,
} from './billing-rules';
import type { AddLineDto } from './dto/invoice.dto';
import { DEFAULT_TIME_ZONE, fiscalYearOf, invoiceNumber, localDay } from './fiscal';
import type { Invoice, InvoiceLine } from './invoice.model';
import { InvoicesRepository, NewLine } from './invoices.repository';
import { computeLine, invoiceTotals } from './money';
import { PriceItem, PriceListRepository } from './price-list.repository';

export interface InvoiceWithLines {
  invoice: Invoice;
  lines: InvoiceLine[];
}

/**
 * The visit's bill: the draft opens with the visit's consultation charge (by rule), billing
 * staff add and remove price-list items with discounts within their limit, and finalisation
 * gives it the next number of its series and financial year. Every call runs in the request's
 * tenant transaction; changes are audited and emit billing.* events through the outbox.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly repo: InvoicesRepository,
    private readonly prices: PriceListRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    private readonly outbox: OutboxWriter,
  ) {}

  get timeZone(): string {
    const tz = this.scope.state.tenant?.settings?.timeZone;
    return typeof tz === 'string' && tz ? tz : DEFAULT_TIME_ZONE;
  }

  /**
   * The visit's open draft; the first call creates it with the consultation charge: the
   * doctor's, else the department's, else the clinic's consultation item in effect on the
   * visit day, at its follow-up price when the patient had that consultation within its
   * follow-up days.
   */
  async openForVisit(visitId: string): Promise<InvoiceWithLines & { created: boolean }> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'open a bill');
    const visit = await this.repo.visit(visitId);
    if (!visit) throw notFound('visit');
    if (visit.status === 'cancelled' || visit.status === 'entered-in-error') {
      throw conflict(`A visit in status ${visit.status} is not billed`);
    }
    const { invoice, created } = await this.repo.openDraft(visit);
    if (!created) return { invoice, lines: await this.repo.lines(invoice.id), created };
    const day = localDay(new Date(visit.scheduledAt), this.timeZone);
    const item = await this.prices.consultationFor(visit.attendingDoctorId, visit.department, day);
    let current = invoice;
    if (item) {
      const followUp =
        item.followUpDays !== null &&
        (await this.repo.consultedWithin(visit.patientId, item.id, day, item.followUpDays, this.timeZone));
      const price = followUp ? item.followUpPricePaise! : item.pricePaise;
      await this.repo.insertLine(invoice.id, newLine(item, 1, price, {}, followUp));
      current = await this.retotal(invoice.id, invoice.version);
    }
    await this.audit.record({
      action: 'create',
      entityType: 'invoice',
      entityId: invoice.id,
      details: { visitId },
    });
    await this.event(current, 'billing.invoice_opened', { visitId, lineCount: item ? 1 : 0 });
    return { invoice: current, lines: await this.repo.lines(invoice.id), created };
  }

  async get(id: string): Promise<InvoiceWithLines> {
    requireRole(this.scope.roles, BILLING_ROLES.read, 'read invoices');
    const invoice = await this.repo.find(id);
    if (!invoice) throw notFound('invoice');
    await this.audit.record({ action: 'read', entityType: 'invoice', entityId: id });
    return { invoice, lines: await this.repo.lines(id) };
  }

  async listForVisit(visitId: string): Promise<InvoiceWithLines[]> {
    requireRole(this.scope.roles, BILLING_ROLES.read, 'read invoices');
    if (!(await this.repo.visit(visitId))) throw notFound('visit');
    const invoices = await this.repo.forVisit(visitId);
    await this.audit.record({
      action: 'list_invoices',
      entityType: 'visit',
      entityId: visitId,
      details: { invoiceIds: invoices.map((i) => i.id) },
    });
    return Promise.all(
      invoices.map(async (invoice) => ({ invoice, lines: await this.repo.lines(invoice.id) })),
    );
  }

  async addLine(id: string, expected: number, dto: AddLineDto): Promise<InvoiceWithLines> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'change a bill');
    const invoice = await this.draft(id, expected);
    if (dto.discountBp !== undefined && dto.discountPaise !== undefined) {
      throw invalid('discountPaise', 'give a discount as discountBp or discountPaise, not both');
    }
    const visitDay = invoice.visitId
      ? localDay(new Date((await this.repo.visit(invoice.visitId))!.scheduledAt), this.timeZone)
      : localDay(new Date(), this.timeZone);
    const item = await this.prices.findByCode(dto.code, visitDay);
    if (!item) throw invalid('code', `no price list item ${dto.code} is in effect on ${visitDay}`);
    const quantity = dto.quantity ?? 1;
    const line = newLine(item, quantity, item.pricePaise, dto, false);
    await this.requireDiscountLimit(line);
    await this.repo.insertLine(id, line);
    const updated = await this.retotal(id, invoice.version);
    await this.audit.record({
      action: 'add_line',
      entityType: 'invoice',
      entityId: id,
      details: { code: item.code, quantity, discounted: line.discountPaise !== 0 },
    });
    await this.event(updated, 'billing.invoice_changed', { change: 'line_added' });
    return { invoice: updated, lines: await this.repo.lines(id) };
  }

  async removeLine(id: string, expected: number, lineId: string): Promise<InvoiceWithLines> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'change a bill');
    await this.draft(id, expected);
    if (!(await this.repo.deleteLine(id, lineId))) throw notFound('line on this invoice');
    const updated = await this.retotal(id, expected);
    await this.audit.record({
      action: 'remove_line',
      entityType: 'invoice',
      entityId: id,
      details: { lineId },
    });
    await this.event(updated, 'billing.invoice_changed', { change: 'line_removed' });
    return { invoice: updated, lines: await this.repo.lines(id) };
  }

  /** Gives the draft the next invoice number of this financial year (clinic time) and freezes it. */
  async finalise(id: string, expected: number | undefined): Promise<InvoiceWithLines> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'finalise a bill');
    const current = await this.repo.find(id, true);
    if (!current) throw notFound('invoice');
    if (current.status !== 'draft') throw finalisedProblem();
    if (expected !== undefined && current.version !== expected) throw stale('invoice', current.version);
    const lines = await this.repo.lines(id);
    if (lines.length === 0) throw conflict('An invoice needs at least one line before it is finalised');
    const invoice = await this.assignNumber(current, 'INV');
    await this.audit.record({
      action: 'finalise',
      entityType: 'invoice',
      entityId: id,
      details: { number: invoice.number },
    });
    await this.event(invoice, 'billing.invoice_finalised', {
      number: invoice.number,
      fiscalYear: invoice.fiscalYear,
      totalPaise: invoice.totalPaise,
      taxPaise: invoice.taxPaise,
      department: invoice.department,
    });
    return { invoice, lines };
  }

  /** Allocates the series' next number and marks the (locked) draft finalised with it. */
  async assignNumber(draft: Invoice, series: 'INV' | 'CN'): Promise<Invoice> {
    const fiscalYear = fiscalYearOf(new Date(), this.timeZone);
    const seq = await this.repo.nextNumber(series, fiscalYear);
    const done = await this.repo.markFinalised(
      draft.id,
      draft.version,
      series,
      fiscalYear,
      seq,
      invoiceNumber(series, fiscalYear, seq),
    );
    if (!done) throw stale('invoice');
    return done;
  }

  event(invoice: Invoice, eventType: string, extra: Record<string, unknown>): Promise<string> {
    return this.outbox.append({
      aggregateType: 'billing',
      aggregateId: invoice.id,
      eventType,
      payload: {
        invoiceId: invoice.id,
        patientId: invoice.patientId,
        visitId: invoice.visitId,
        status: invoice.status,
        version: invoice.version,
        ...extra,
      },
    });
  }

  private async draft(id: string, expected: number): Promise<Invoice> {
    const invoice = await this.repo.find(id, true);
    if (!invoice) throw notFound('invoice');
    if (invoice.status !== 'draft') throw finalisedProblem();
    if (invoice.version !== expected) throw stale('invoice', invoice.version);
    return invoice;
  }

  private async retotal(id: string, expected: number): Promise<Invoice> {
    const lines = await this.repo.lines(id);
    const updated = await this.repo.setTotals(
      id,
      expected,
      invoiceTotals(lines.map((l) => ({ ...l, taxablePaise: 0 }))),
    );
    if (!updated) throw stale('invoice');
    return updated;
  }

  private async requireDiscountLimit(line: NewLine): Promise<void> {
    if (line.discountPaise === 0) return;
    if (line.discountPaise > line.grossPaise)
      throw invalid('discountPaise', 'a discount cannot exceed the line amount');
    const limitBp = this.scope.roles.includes('tenant_admin')
      ? ADMIN_DISCOUNT_LIMIT_BP
      : ((await this.prices.settings())?.receptionistDiscountLimitBp ?? 1000);
    // discount / gross <= limit / 10 000, compared in integers.
    if (BigInt(line.discountPaise) * 10000n > BigInt(line.grossPaise) * BigInt(limitBp)) {
      throw new ProblemException(
        'forbidden',
        `Your role may discount at most ${limitBp / 100} % of a line; ask a clinic administrator`,
        { limitBp },
      );
    }
  }
}

function newLine(
  item: PriceItem,
  quantity: number,
  unitPricePaise: number,
  discount: Pick<AddLineDto, 'discountBp' | 'discountPaise' | 'discountReason'>,
  followUp: boolean,
): NewLine {
  const amounts = computeLine({
    unitPricePaise,
    quantity,
    discountBp: discount.discountBp,
    discountPaise: discount.discountPaise,
    gstRateBp: item.gstExempt ? null : item.gstRateBp,
  });
  return {
    ...amounts,
    priceItemId: item.id,
    code: item.code,
    description: followUp ? `${item.name} (follow-up)` : item.name,
    quantity,
    unitPricePaise,
    discountReason: amounts.discountPaise !== 0 ? (discount.discountReason ?? null) : null,
    gstRateBp: item.gstExempt ? null : item.gstRateBp,
    hsnSac: item.gstExempt ? null : item.hsnSac,
    followUp,
  };
}
