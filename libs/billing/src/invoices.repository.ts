import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import { CURRENT_TENANT, CURRENT_USER, integers, returned } from './billing-rules';
import type { InvoiceTotals, LineAmounts } from './money';
import { Invoice, INVOICE_MONEY, InvoiceLine, LINE_MONEY, VisitForBilling } from './invoice.model';

const INVOICE = `id, kind, visit_id AS "visitId", patient_id AS "patientId", department, status, number,
  fiscal_year AS "fiscalYear", subtotal_paise AS "subtotalPaise", discount_paise AS "discountPaise",
  tax_paise AS "taxPaise", total_paise AS "totalPaise", paid_paise AS "paidPaise", credit_note_for AS "creditNoteFor",
  credit_note_id AS "creditNoteId", cancel_reason AS "cancelReason", finalised_at AS "finalisedAt",
  cancelled_at AS "cancelledAt", created_at AS "createdAt", version`;
const LINE = `id, position, price_item_id AS "priceItemId", code, description, quantity, unit_price_paise AS "unitPricePaise",
  gross_paise AS "grossPaise", discount_paise AS "discountPaise", discount_reason AS "discountReason",
  gst_exempt AS "gstExempt", gst_rate_bp AS "gstRateBp", hsn_sac AS "hsnSac", cgst_paise AS "cgstPaise",
  sgst_paise AS "sgstPaise", total_paise AS "totalPaise", follow_up AS "followUp"`;

const invoice = (r: Invoice): Invoice => {
  const out = integers(r, INVOICE_MONEY);
  const iso = (d: unknown) => (d === null ? null : new Date(d as string).toISOString());
  return {
    ...out,
    finalisedAt: iso(out.finalisedAt),
    cancelledAt: iso(out.cancelledAt),
    createdAt: iso(out.createdAt)!,
  };
};
const line = (r: InvoiceLine): InvoiceLine => integers(r, LINE_MONEY);

export interface NewLine extends LineAmounts {
  priceItemId: string | null;
  code: string;
  description: string;
  quantity: number;
  unitPricePaise: number;
  discountReason: string | null;
  gstRateBp: number | null;
  hsnSac: string | null;
  followUp: boolean;
}

/** SQL for billing.invoices and billing.invoice_lines (RLS confines it to the tenant). */
@Injectable()
export class InvoicesRepository extends TxRepository {
  async visit(visitId: string): Promise<VisitForBilling | undefined> {
    const rows: VisitForBilling[] = await this.tx.query(
      `SELECT id, patient_id AS "patientId", department, attending_doctor_id AS "attendingDoctorId",
              scheduled_at AS "scheduledAt", status
         FROM clinical.visits WHERE tenant_id = ${CURRENT_TENANT} AND id = $1`,
      [visitId],
    );
    return rows[0];
  }

  async find(id: string, lock = false): Promise<Invoice | undefined> {
    const rows: Invoice[] = await this.tx.query(
      `SELECT ${INVOICE} FROM billing.invoices WHERE tenant_id = ${CURRENT_TENANT} AND id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && invoice(rows[0]);
  }

  async forVisit(visitId: string): Promise<Invoice[]> {
    const rows: Invoice[] = await this.tx.query(
      `SELECT ${INVOICE} FROM billing.invoices WHERE tenant_id = ${CURRENT_TENANT} AND visit_id = $1
        ORDER BY created_at, id`,
      [visitId],
    );
    return rows.map(invoice);
  }

  /** The visit's open draft, creating it when there is none (one per visit: a partial unique index). */
  async openDraft(v: VisitForBilling): Promise<{ invoice: Invoice; created: boolean }> {
    const rows: Invoice[] = await this.tx.query(
      `INSERT INTO billing.invoices (tenant_id, visit_id, patient_id, department, created_by, updated_by)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, ${CURRENT_USER}, ${CURRENT_USER})
       ON CONFLICT (tenant_id, visit_id) WHERE status = 'draft' AND kind = 'invoice' DO NOTHING
       RETURNING ${INVOICE}`,
      [v.id, v.patientId, v.department],
    );
    if (rows[0]) return { invoice: invoice(rows[0]), created: true };
    const existing: Invoice[] = await this.tx.query(
      `SELECT ${INVOICE} FROM billing.invoices
        WHERE tenant_id = ${CURRENT_TENANT} AND visit_id = $1 AND status = 'draft' AND kind = 'invoice'`,
      [v.id],
    );
    return { invoice: invoice(existing[0]), created: false };
  }

  async lines(invoiceId: string): Promise<InvoiceLine[]> {
    const rows: InvoiceLine[] = await this.tx.query(
      `SELECT ${LINE} FROM billing.invoice_lines WHERE tenant_id = ${CURRENT_TENANT} AND invoice_id = $1 ORDER BY position`,
      [invoiceId],
    );
    return rows.map(line);
  }

  async insertLine(invoiceId: string, l: NewLine): Promise<InvoiceLine> {
    const rows: InvoiceLine[] = await this.tx.query(
      `INSERT INTO billing.invoice_lines (tenant_id, invoice_id, position, price_item_id, code, description, quantity,
         unit_price_paise, gross_paise, discount_paise, discount_reason, gst_exempt, gst_rate_bp, hsn_sac, cgst_paise,
         sgst_paise, total_paise, follow_up, created_by)
       VALUES (${CURRENT_TENANT}, $1,
         (SELECT coalesce(max(position), 0) + 1 FROM billing.invoice_lines WHERE tenant_id = ${CURRENT_TENANT} AND invoice_id = $1),
         $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, ${CURRENT_USER})
       RETURNING ${LINE}`,
      [
        invoiceId,
        l.priceItemId,
        l.code,
        l.description,
        l.quantity,
        l.unitPricePaise,
        l.grossPaise,
        l.discountPaise,
        l.discountReason,
        l.gstRateBp === null,
        l.gstRateBp,
        l.hsnSac,
        l.cgstPaise,
        l.sgstPaise,
        l.totalPaise,
        l.followUp,
      ],
    );
    return line(rows[0]);
  }

  async deleteLine(invoiceId: string, lineId: string): Promise<boolean> {
    const res = await this.tx.query(
      `DELETE FROM billing.invoice_lines WHERE tenant_id = ${CURRENT_TENANT} AND invoice_id = $1 AND id = $2 RETURNING id`,
      [invoiceId, lineId],
    );
    return returned(res).length > 0;
  }

  /** New totals of a draft, and the next version, if it is still at `expected`. */
  async setTotals(id: string, expected: number, t: InvoiceTotals): Promise<Invoice | undefined> {
    const rows = await this.tx.query(
      `UPDATE billing.invoices SET subtotal_paise = $3, discount_paise = $4, tax_paise = $5, total_paise = $6,
              version = version + 1, updated_at = now(), updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2 AND status = 'draft' RETURNING ${INVOICE}`,
      [id, expected, t.subtotalPaise, t.discountPaise, t.taxPaise, t.totalPaise],
    );
    const row = returned<Invoice>(rows)[0];
    return row && invoice(row);
  }

  /**
   * Whether the patient had a consultation with this price item, not itself a follow-up,
   * on a finalised (not cancelled) invoice within `days` before `day`.
   */
  async consultedWithin(
    patientId: string,
    priceItemId: string,
    day: string,
    days: number,
    tz: string,
  ): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM billing.invoices i JOIN billing.invoice_lines l ON l.tenant_id = i.tenant_id AND l.invoice_id = i.id
        WHERE i.tenant_id = ${CURRENT_TENANT} AND i.patient_id = $1 AND i.status = 'finalised' AND i.kind = 'invoice'
          AND l.price_item_id = $2 AND NOT l.follow_up
          AND (i.finalised_at AT TIME ZONE $5)::date BETWEEN $3::date - $4::int AND $3::date
        LIMIT 1`,
      [patientId, priceItemId, day, days, tz],
    );
    return rows.length > 0;
  }

  /**
   * The next number of the series in the financial year: the counter row is created or
   * incremented inside the finalising transaction, so a rollback gives the number back
   * (gapless), and only finalisations of the same series and year wait on each other.
   */
  async nextNumber(series: 'INV' | 'CN', fiscalYear: string): Promise<number> {
    const rows: { last_number: number }[] = await this.tx.query(
      `INSERT INTO billing.invoice_series (tenant_id, series, fiscal_year, last_number)
       VALUES (${CURRENT_TENANT}, $1, $2, 1)
       ON CONFLICT (tenant_id, series, fiscal_year) DO UPDATE SET last_number = billing.invoice_series.last_number + 1
       RETURNING last_number`,
      [series, fiscalYear],
    );
    return rows[0].last_number;
  }

  async markFinalised(
    id: string,
    expected: number,
    series: 'INV' | 'CN',
    fiscalYear: string,
    seq: number,
    number: string,
  ): Promise<Invoice | undefined> {
    const rows = await this.tx.query(
      `UPDATE billing.invoices SET status = 'finalised', series = $3, fiscal_year = $4, seq = $5, number = $6,
              finalised_at = now(), finalised_by = ${CURRENT_USER}, version = version + 1, updated_at = now(),
              updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2 AND status = 'draft' RETURNING ${INVOICE}`,
      [id, expected, series, fiscalYear, seq, number],
    );
    const row = returned<Invoice>(rows)[0];
    return row && invoice(row);
  }

  /** A credit note draft for `original` with the given totals (lines follow). */
  async insertCreditNote(original: Invoice, t: InvoiceTotals): Promise<Invoice> {
    const rows: Invoice[] = await this.tx.query(
      `INSERT INTO billing.invoices (tenant_id, kind, visit_id, patient_id, department, credit_note_for, subtotal_paise,
                                     discount_paise, tax_paise, total_paise, created_by, updated_by)
       VALUES (${CURRENT_TENANT}, 'credit_note', $1, $2, $3, $4, $5, $6, $7, $8, ${CURRENT_USER}, ${CURRENT_USER})
       RETURNING ${INVOICE}`,
      [
        original.visitId,
        original.patientId,
        original.department,
        original.id,
        t.subtotalPaise,
        t.discountPaise,
        t.taxPaise,
        t.totalPaise,
      ],
    );
    return invoice(rows[0]);
  }

  async markCancelled(
    id: string,
    expected: number,
    reason: string,
    creditNoteId: string,
  ): Promise<Invoice | undefined> {
    const rows = await this.tx.query(
      `UPDATE billing.invoices SET status = 'cancelled', cancel_reason = $3, credit_note_id = $4, cancelled_at = now(),
              cancelled_by = ${CURRENT_USER}, version = version + 1, updated_at = now(), updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2 AND status = 'finalised' RETURNING ${INVOICE}`,
      [id, expected, reason, creditNoteId],
    );
    const row = returned<Invoice>(rows)[0];
    return row && invoice(row);
  }

  /** Adds `delta` to paid_paise (always with a ledger row in the same transaction; a trigger checks at commit). */
  async addPaid(id: string, delta: number): Promise<Invoice> {
    const rows = await this.tx.query(
      `UPDATE billing.invoices SET paid_paise = paid_paise + $2, version = version + 1, updated_at = now(),
              updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 RETURNING ${INVOICE}`,
      [id, delta],
    );
    return invoice(returned<Invoice>(rows)[0]);
  }

  /** Clinic details printed on invoices. */
  async clinic(): Promise<{
    name: string;
    legalName: string | null;
    address: string | null;
    gstin: string | null;
  }> {
    const rows = await this.tx.query(
      `SELECT t.name, s.legal_name AS "legalName", s.address, s.gstin
         FROM core.tenants t LEFT JOIN billing.settings s ON s.tenant_id = t.id
        WHERE t.id = ${CURRENT_TENANT}`,
    );
    return rows[0];
  }

  async patientSummary(patientId: string): Promise<{ name: string; mrn: string } | undefined> {
    const rows = await this.tx.query(
      `SELECT trim(concat_ws(' ', array_to_string(name_given, ' '), name_family)) AS name, mrn
         FROM clinical.patients WHERE tenant_id = ${CURRENT_TENANT} AND id = $1`,
      [patientId],
    );
    return rows[0];
  }
}
