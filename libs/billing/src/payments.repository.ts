import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import { CURRENT_TENANT, CURRENT_USER, integers } from './billing-rules';
import type { PaymentMode } from './dto/invoice.dto';

export interface Payment {
  id: string;
  invoiceId: string | null;
  patientId: string;
  mode: PaymentMode;
  amountPaise: number;
  refundedPaise: number;
  tenderedPaise: number | null;
  changePaise: number;
  reference: string | null;
  shiftId: string | null;
  receivedBy: string;
  receivedAt: string;
}

export interface Refund {
  id: string;
  paymentId: string;
  amountPaise: number;
  mode: PaymentMode;
  reason: string;
  refundedByRole: string;
  refundedAt: string;
}

export type LedgerEntry = 'payment' | 'refund' | 'deposit' | 'advance_applied' | 'advance_used';

const PAYMENT = `p.id, p.invoice_id AS "invoiceId", p.patient_id AS "patientId", p.mode, p.amount_paise AS "amountPaise",
  coalesce((SELECT sum(r.amount_paise) FROM billing.refunds r WHERE r.tenant_id = p.tenant_id AND r.payment_id = p.id), 0)
    AS "refundedPaise",
  p.tendered_paise AS "tenderedPaise", p.change_paise AS "changePaise", p.reference, p.shift_id AS "shiftId",
  p.received_by AS "receivedBy", p.received_at AS "receivedAt"`;
const payment = (r: Payment): Payment => ({
  ...integers(r, ['amountPaise', 'refundedPaise', 'tenderedPaise', 'changePaise']),
  receivedAt: new Date(r.receivedAt).toISOString(),
});
const REFUND = `id, payment_id AS "paymentId", amount_paise AS "amountPaise", mode, reason,
  refunded_by_role AS "refundedByRole", refunded_at AS "refundedAt"`;
const refund = (r: Refund): Refund => ({
  ...integers(r, ['amountPaise']),
  refundedAt: new Date(r.refundedAt).toISOString(),
});

/** SQL for billing.payments, billing.refunds and billing.ledger: inserts only (the tables are append-only). */
@Injectable()
export class PaymentsRepository extends TxRepository {
  async forInvoice(invoiceId: string): Promise<Payment[]> {
    const rows: Payment[] = await this.tx.query(
      `SELECT ${PAYMENT} FROM billing.payments p WHERE p.tenant_id = ${CURRENT_TENANT} AND p.invoice_id = $1
        ORDER BY p.received_at, p.id`,
      [invoiceId],
    );
    return rows.map(payment);
  }

  async advancesOf(patientId: string): Promise<Payment[]> {
    const rows: Payment[] = await this.tx.query(
      `SELECT ${PAYMENT} FROM billing.payments p
        WHERE p.tenant_id = ${CURRENT_TENANT} AND p.patient_id = $1 AND p.invoice_id IS NULL ORDER BY p.received_at, p.id`,
      [patientId],
    );
    return rows.map(payment);
  }

  async find(id: string): Promise<Payment | undefined> {
    const rows: Payment[] = await this.tx.query(
      `SELECT ${PAYMENT} FROM billing.payments p WHERE p.tenant_id = ${CURRENT_TENANT} AND p.id = $1`,
      [id],
    );
    return rows[0] && payment(rows[0]);
  }

  async insertPayment(p: {
    invoiceId: string | null;
    patientId: string;
    mode: PaymentMode;
    amountPaise: number;
    tenderedPaise: number | null;
    reference: string | null;
    shiftId: string | null;
  }): Promise<Payment> {
    const rows: { id: string }[] = await this.tx.query(
      `INSERT INTO billing.payments (tenant_id, invoice_id, patient_id, mode, amount_paise, tendered_paise, change_paise,
                                     reference, shift_id, received_by)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, $5, coalesce($5::bigint - $4::bigint, 0), $6, $7, ${CURRENT_USER})
       RETURNING id`,
      [p.invoiceId, p.patientId, p.mode, p.amountPaise, p.tenderedPaise, p.reference, p.shiftId],
    );
    return (await this.find(rows[0].id))!;
  }

  async insertRefund(r: {
    paymentId: string;
    amountPaise: number;
    mode: PaymentMode;
    reason: string;
    shiftId: string | null;
    role: string;
  }): Promise<Refund> {
    const rows: Refund[] = await this.tx.query(
      `INSERT INTO billing.refunds (tenant_id, payment_id, amount_paise, mode, reason, shift_id, refunded_by, refunded_by_role)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, $5, ${CURRENT_USER}, $6) RETURNING ${REFUND}`,
      [r.paymentId, r.amountPaise, r.mode, r.reason, r.shiftId, r.role],
    );
    return refund(rows[0]);
  }

  async refundsOf(paymentIds: string[]): Promise<Refund[]> {
    if (paymentIds.length === 0) return [];
    const rows: Refund[] = await this.tx.query(
      `SELECT ${REFUND} FROM billing.refunds WHERE tenant_id = ${CURRENT_TENANT} AND payment_id = ANY ($1::uuid[])
        ORDER BY refunded_at, id`,
      [paymentIds],
    );
    return rows.map(refund);
  }

  async ledger(e: {
    entry: LedgerEntry;
    invoiceId: string | null;
    patientId: string;
    amountPaise: number;
    mode: PaymentMode | null;
    paymentId?: string | null;
    refundId?: string | null;
    shiftId?: string | null;
  }): Promise<void> {
    await this.tx.query(
      `INSERT INTO billing.ledger (tenant_id, entry, invoice_id, patient_id, amount_paise, mode, payment_id, refund_id,
                                   shift_id, created_by)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, $5, $6, $7, $8, ${CURRENT_USER})`,
      [
        e.entry,
        e.invoiceId,
        e.patientId,
        e.amountPaise,
        e.mode,
        e.paymentId ?? null,
        e.refundId ?? null,
        e.shiftId ?? null,
      ],
    );
  }

  /** The patient's unused advance (deposits − refunds of deposits − advance applied), in paise. */
  async advanceBalance(patientId: string, lock = false): Promise<number> {
    if (lock) {
      // Serialises advance use per patient: the patient row is the natural lock.
      await this.tx.query(
        `SELECT 1 FROM clinical.patients WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 FOR UPDATE`,
        [patientId],
      );
    }
    const rows: { sum: string }[] = await this.tx.query(
      `SELECT coalesce(sum(amount_paise), 0) AS sum FROM billing.ledger
        WHERE tenant_id = ${CURRENT_TENANT} AND patient_id = $1 AND invoice_id IS NULL`,
      [patientId],
    );
    return Number(rows[0].sum);
  }

  async patientExists(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM clinical.patients WHERE tenant_id = ${CURRENT_TENANT} AND id = $1`,
      [patientId],
    );
    return rows.length > 0;
  }

  /** The caller's open cashier shift, locked (cash moves only through an open shift). */
  async openShiftOf(userId: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.tx.query(
      `SELECT id FROM billing.shifts WHERE tenant_id = ${CURRENT_TENANT} AND user_id = $1 AND closed_at IS NULL FOR SHARE`,
      [userId],
    );
    return rows[0]?.id;
  }
}
