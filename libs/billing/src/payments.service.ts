import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { OutboxWriter } from '@hims/events';
import { TenantScope } from '@hims/tenancy';
import { BILLING_ROLES, conflict, invalid, notFound, requireRole } from './billing-rules';
import type { CapturePaymentDto, DepositDto, RefundDto, TenderDto } from './dto/invoice.dto';
import type { Invoice } from './invoice.model';
import { InvoicesRepository } from './invoices.repository';
import { Payment, PaymentsRepository, Refund } from './payments.repository';

export interface PaymentResult {
  invoice: Invoice;
  payments: Payment[];
  changeDuePaise: number;
}

/**
 * Money in and out at the counter. Each movement is a payment or refund row plus its ledger
 * row, and the invoice's paid_paise moves with it in the same transaction; the database
 * re-checks the sums at commit (migration 1765300000000). The invoice row is locked first,
 * so two concurrent payments on one invoice queue and the second sees the first's balance.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly invoices: InvoicesRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Takes one or more tenders (split payment) and optionally the patient's advance against a finalised invoice. */
  async capture(invoiceId: string, dto: CapturePaymentDto): Promise<PaymentResult> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'take payments');
    if (dto.tenders.length === 0 && !dto.advancePaise)
      throw invalid('tenders', 'send at least one tender or advancePaise');
    const invoice = await this.invoices.find(invoiceId, true);
    if (!invoice) throw notFound('invoice');
    if (invoice.kind !== 'invoice' || invoice.status !== 'finalised') {
      throw conflict(`Payments are taken against a finalised invoice (this one is ${invoice.status})`);
    }
    const amount = dto.tenders.reduce((a, t) => a + t.amountPaise, 0) + (dto.advancePaise ?? 0);
    const balance = invoice.totalPaise - invoice.paidPaise;
    if (amount > balance) {
      throw conflict(`The payment (${amount} paise) is more than the balance due (${balance} paise)`, {
        balancePaise: balance,
      });
    }
    const shiftId = await this.shiftFor(dto.tenders);
    if (dto.advancePaise) {
      const available = await this.repo.advanceBalance(invoice.patientId, true);
      if (dto.advancePaise > available) {
        throw conflict(`The patient's advance is ${available} paise`, { advancePaise: available });
      }
      await this.repo.ledger({
        entry: 'advance_used',
        invoiceId: null,
        patientId: invoice.patientId,
        amountPaise: -dto.advancePaise,
        mode: null,
      });
      await this.repo.ledger({
        entry: 'advance_applied',
        invoiceId,
        patientId: invoice.patientId,
        amountPaise: dto.advancePaise,
        mode: null,
      });
    }
    const payments: Payment[] = [];
    for (const t of dto.tenders) {
      const p = await this.repo.insertPayment(this.tender(t, invoiceId, invoice.patientId, shiftId));
      await this.repo.ledger({
        entry: 'payment',
        invoiceId,
        patientId: invoice.patientId,
        amountPaise: p.amountPaise,
        mode: p.mode,
        paymentId: p.id,
        shiftId: p.shiftId,
      });
      payments.push(p);
    }
    const updated = await this.invoices.addPaid(invoiceId, amount);
    const changeDuePaise = payments.reduce((a, p) => a + p.changePaise, 0);
    await this.audit.record({
      action: 'payment',
      entityType: 'invoice',
      entityId: invoiceId,
      details: { paymentIds: payments.map((p) => p.id), advanceApplied: dto.advancePaise ?? 0 },
    });
    await this.outbox.append({
      aggregateType: 'billing',
      aggregateId: invoiceId,
      eventType: 'billing.payment_captured',
      payload: {
        invoiceId,
        patientId: invoice.patientId,
        paymentIds: payments.map((p) => p.id),
        modes: payments.map((p) => p.mode),
        amountPaise: amount,
        advanceAppliedPaise: dto.advancePaise ?? 0,
        balancePaise: updated.totalPaise - updated.paidPaise,
        version: updated.version,
      },
    });
    return { invoice: updated, payments, changeDuePaise };
  }

  /** A deposit before billing: the patient's advance, applied to an invoice later. */
  async deposit(patientId: string, dto: DepositDto): Promise<{ balancePaise: number; payments: Payment[] }> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'take deposits');
    if (!(await this.repo.patientExists(patientId))) throw notFound('patient');
    const shiftId = await this.shiftFor(dto.tenders);
    const payments: Payment[] = [];
    for (const t of dto.tenders) {
      const p = await this.repo.insertPayment(this.tender(t, null, patientId, shiftId));
      await this.repo.ledger({
        entry: 'deposit',
        invoiceId: null,
        patientId,
        amountPaise: p.amountPaise,
        mode: p.mode,
        paymentId: p.id,
        shiftId: p.shiftId,
      });
      payments.push(p);
    }
    await this.audit.record({
      action: 'deposit',
      entityType: 'patient',
      entityId: patientId,
      details: { paymentIds: payments.map((p) => p.id) },
    });
    await this.outbox.append({
      aggregateType: 'billing',
      aggregateId: payments[0].id,
      eventType: 'billing.deposit_taken',
      payload: {
        patientId,
        paymentIds: payments.map((p) => p.id),
        amountPaise: payments.reduce((a, p) => a + p.amountPaise, 0),
      },
    });
    return { balancePaise: await this.repo.advanceBalance(patientId), payments };
  }

  async advances(patientId: string): Promise<{ balancePaise: number; payments: Payment[] }> {
    requireRole(this.scope.roles, BILLING_ROLES.counter, 'read advances');
    if (!(await this.repo.patientExists(patientId))) throw notFound('patient');
    await this.audit.record({ action: 'read_advances', entityType: 'patient', entityId: patientId });
    return {
      balancePaise: await this.repo.advanceBalance(patientId),
      payments: await this.repo.advancesOf(patientId),
    };
  }

  /** Gives money back against one payment, in its mode, never more than is left of it (tenant_admin). */
  async refund(paymentId: string, dto: RefundDto): Promise<Refund> {
    requireRole(this.scope.roles, BILLING_ROLES.admin, 'refund');
    const found = await this.repo.find(paymentId);
    if (!found) throw notFound('payment');
    // Lock what the refund changes (the invoice, or the patient's advance), then read the payment again.
    if (found.invoiceId) await this.invoices.find(found.invoiceId, true);
    else await this.repo.advanceBalance(found.patientId, true);
    const payment = (await this.repo.find(paymentId))!;
    const left = payment.amountPaise - payment.refundedPaise;
    if (dto.amountPaise > left) {
      throw conflict(`At most ${left} paise of this payment can be refunded`, { refundablePaise: left });
    }
    const result = await this.refundUnchecked(payment, dto.amountPaise, dto.reason);
    await this.audit.record({
      action: 'refund',
      entityType: 'payment',
      entityId: paymentId,
      details: { refundId: result.id },
    });
    return result;
  }

  /** Writes a refund of a locked payment (the caller checked the amount), its ledger row and event. */
  async refundUnchecked(payment: Payment, amountPaise: number, reason: string): Promise<Refund> {
    const shiftId = payment.mode === 'cash' ? await this.requireShift() : null;
    const role = this.scope.roles.includes('tenant_admin') ? 'tenant_admin' : this.scope.roles[0];
    const refund = await this.repo.insertRefund({
      paymentId: payment.id,
      amountPaise,
      mode: payment.mode,
      reason,
      shiftId,
      role,
    });
    await this.repo.ledger({
      entry: 'refund',
      invoiceId: payment.invoiceId,
      patientId: payment.patientId,
      amountPaise: -amountPaise,
      mode: payment.mode,
      paymentId: payment.id,
      refundId: refund.id,
      shiftId,
    });
    if (payment.invoiceId) await this.invoices.addPaid(payment.invoiceId, -amountPaise);
    await this.outbox.append({
      aggregateType: 'billing',
      aggregateId: payment.invoiceId ?? payment.id,
      eventType: 'billing.payment_refunded',
      payload: {
        paymentId: payment.id,
        refundId: refund.id,
        invoiceId: payment.invoiceId,
        patientId: payment.patientId,
        mode: payment.mode,
        amountPaise,
      },
    });
    return refund;
  }

  forInvoice(invoiceId: string): Promise<Payment[]> {
    return this.repo.forInvoice(invoiceId);
  }

  private tender(t: TenderDto, invoiceId: string | null, patientId: string, shiftId: string | null) {
    if (t.mode === 'cash') {
      const tendered = t.tenderedPaise ?? t.amountPaise;
      if (tendered < t.amountPaise)
        throw invalid('tenders.tenderedPaise', 'cash tendered cannot be less than the amount');
      return {
        invoiceId,
        patientId,
        mode: t.mode,
        amountPaise: t.amountPaise,
        tenderedPaise: tendered,
        reference: null,
        shiftId,
      };
    }
    if (t.tenderedPaise !== undefined)
      throw invalid('tenders.tenderedPaise', 'tenderedPaise is for cash only');
    return {
      invoiceId,
      patientId,
      mode: t.mode,
      amountPaise: t.amountPaise,
      tenderedPaise: null,
      reference: t.reference!,
      shiftId: null,
    };
  }

  private async shiftFor(tenders: TenderDto[]): Promise<string | null> {
    return tenders.some((t) => t.mode === 'cash') ? this.requireShift() : null;
  }

  private async requireShift(): Promise<string> {
    const shiftId = await this.repo.openShiftOf(this.scope.userId!);
    if (!shiftId) throw conflict('Open your cashier shift before taking or giving back cash');
    return shiftId;
  }
}
