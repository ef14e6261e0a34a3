import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

const TABLES = [
  'settings',
  'price_items',
  'invoices',
  'invoice_lines',
  'invoice_series',
  'shifts',
  'payments',
  'refunds',
  'ledger',
];

const audited = (table: string) =>
  `CREATE TRIGGER ${table}_audit AFTER INSERT OR UPDATE OR DELETE ON billing.${table}
     FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`;
const appendOnly = (table: string) =>
  `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON billing.${table}
     FOR EACH STATEMENT EXECUTE FUNCTION billing.refuse_change()`;

/**
 * Billing at the counter (issue 29): the clinic's billing profile, its price list, invoices
 * (drafts, finalised with a gapless number per series and financial year, cancelled with a
 * credit note), payments, refunds, cashier shifts and the money ledger.
 *
 * Money is integer paise (bigint). Payments, refunds and the ledger are append-only for
 * everyone (statement triggers). Every ledger insert is checked at commit (a deferred
 * constraint trigger): an invoice's ledger sum equals its paid_paise and lies between 0 and
 * what it is owed (its total while finalised, nothing once cancelled); a patient's advance
 * never goes below zero; a payment's refunds never exceed it. A finalised invoice's lines,
 * totals and number never change (row triggers).
 */
export class Billing1765300000000 implements MigrationInterface {
  name = 'Billing1765300000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE SCHEMA billing`,
      `REVOKE ALL ON SCHEMA billing FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA billing TO hims_app`,
      `CREATE FUNCTION billing.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'billing.% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
       END $$`,

      `CREATE TABLE billing.settings (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         legal_name text CHECK (legal_name IS NULL OR length(legal_name) BETWEEN 1 AND 200),
         address text CHECK (address IS NULL OR length(address) BETWEEN 1 AND 500),
         gstin text CHECK (gstin IS NULL OR gstin ~ '^[0-9]{2}[A-Z0-9]{10}[0-9A-Z]Z[0-9A-Z]$'),
         receptionist_discount_limit_bp integer NOT NULL DEFAULT 1000
           CHECK (receptionist_discount_limit_bp BETWEEN 0 AND 10000),
         version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
         updated_at timestamptz NOT NULL DEFAULT now(),
         updated_by uuid,
         PRIMARY KEY (tenant_id),
         UNIQUE (tenant_id, id)
       )`,

      `CREATE TABLE billing.price_items (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
         name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
         kind text NOT NULL CHECK (kind IN ('consultation', 'procedure', 'registration', 'investigation', 'other')),
         department text CHECK (department IS NULL OR length(department) BETWEEN 1 AND 100),
         doctor_id uuid,
         price_paise bigint NOT NULL CHECK (price_paise BETWEEN 0 AND 100000000000),
         gst_exempt boolean NOT NULL,
         gst_rate_bp integer CHECK (gst_rate_bp IN (0, 500, 1200, 1800, 2800)),
         hsn_sac text CHECK (hsn_sac IS NULL OR hsn_sac ~ '^[0-9]{4,8}$'),
         follow_up_days integer CHECK (follow_up_days IS NULL OR follow_up_days BETWEEN 1 AND 365),
         follow_up_price_paise bigint CHECK (follow_up_price_paise IS NULL OR follow_up_price_paise >= 0),
         effective_from date NOT NULL,
         effective_to date,
         version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         updated_by uuid,
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, code, effective_from),
         CHECK (effective_to IS NULL OR effective_to >= effective_from),
         CHECK (gst_exempt = (gst_rate_bp IS NULL)),
         CHECK (gst_exempt OR hsn_sac IS NOT NULL),
         CHECK ((follow_up_days IS NULL) = (follow_up_price_paise IS NULL)),
         CHECK (follow_up_price_paise IS NULL OR follow_up_price_paise <= price_paise)
       )`,

      `CREATE TABLE billing.invoice_series (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         series text NOT NULL CHECK (series IN ('INV', 'CN')),
         fiscal_year text NOT NULL CHECK (fiscal_year ~ '^[0-9]{4}-[0-9]{2}$'),
         last_number integer NOT NULL CHECK (last_number >= 1),
         PRIMARY KEY (tenant_id, series, fiscal_year)
       )`,

      `CREATE TABLE billing.invoices (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         kind text NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note')),
         visit_id uuid,
         patient_id uuid NOT NULL,
         department text,
         status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'finalised', 'cancelled')),
         series text CHECK (series IN ('INV', 'CN')),
         fiscal_year text,
         seq integer,
         number text,
         subtotal_paise bigint NOT NULL DEFAULT 0,
         discount_paise bigint NOT NULL DEFAULT 0,
         tax_paise bigint NOT NULL DEFAULT 0,
         total_paise bigint NOT NULL DEFAULT 0,
         paid_paise bigint NOT NULL DEFAULT 0,
         credit_note_for uuid,
         credit_note_id uuid,
         cancel_reason text CHECK (cancel_reason IS NULL OR length(cancel_reason) BETWEEN 1 AND 500),
         finalised_at timestamptz,
         finalised_by uuid,
         cancelled_at timestamptz,
         cancelled_by uuid,
         version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         updated_by uuid,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         FOREIGN KEY (tenant_id, visit_id) REFERENCES clinical.visits (tenant_id, id),
         FOREIGN KEY (tenant_id, credit_note_for) REFERENCES billing.invoices (tenant_id, id),
         UNIQUE (tenant_id, series, fiscal_year, seq),
         CHECK ((status = 'draft') = (number IS NULL)),
         CHECK ((number IS NULL) = (seq IS NULL) AND (seq IS NULL) = (fiscal_year IS NULL) AND (seq IS NULL) = (series IS NULL)),
         CHECK ((kind = 'credit_note') = (credit_note_for IS NOT NULL)),
         CHECK (kind = 'invoice' OR status <> 'cancelled'),
         CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL AND credit_note_id IS NOT NULL)),
         CHECK (total_paise = subtotal_paise - discount_paise + tax_paise),
         CHECK (kind = 'credit_note' OR (subtotal_paise >= 0 AND discount_paise BETWEEN 0 AND subtotal_paise AND tax_paise >= 0)),
         CHECK (kind = 'invoice' OR paid_paise = 0)
       )`,
      // One open draft per visit; many finalised invoices may follow one visit.
      `CREATE UNIQUE INDEX invoices_one_draft_per_visit ON billing.invoices (tenant_id, visit_id)
         WHERE status = 'draft' AND kind = 'invoice'`,
      `CREATE INDEX invoices_patient_idx ON billing.invoices (tenant_id, patient_id, created_at)`,
      `CREATE INDEX invoices_finalised_idx ON billing.invoices (tenant_id, finalised_at) WHERE finalised_at IS NOT NULL`,

      `CREATE TABLE billing.invoice_lines (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         invoice_id uuid NOT NULL,
         position integer NOT NULL CHECK (position >= 1),
         price_item_id uuid,
         code text NOT NULL,
         description text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
         quantity integer NOT NULL CHECK (quantity <> 0 AND abs(quantity) <= 1000),
         unit_price_paise bigint NOT NULL CHECK (unit_price_paise >= 0),
         gross_paise bigint NOT NULL,
         discount_paise bigint NOT NULL DEFAULT 0,
         discount_reason text CHECK (discount_reason IS NULL OR length(discount_reason) BETWEEN 1 AND 200),
         gst_exempt boolean NOT NULL,
         gst_rate_bp integer,
         hsn_sac text,
         cgst_paise bigint NOT NULL DEFAULT 0,
         sgst_paise bigint NOT NULL DEFAULT 0,
         total_paise bigint NOT NULL,
         follow_up boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, invoice_id, position),
         FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices (tenant_id, id),
         FOREIGN KEY (tenant_id, price_item_id) REFERENCES billing.price_items (tenant_id, id),
         CHECK (gross_paise = unit_price_paise * quantity),
         CHECK ((discount_paise = 0) = (discount_reason IS NULL)),
         CHECK (abs(discount_paise) <= abs(gross_paise) AND sign(discount_paise) * sign(gross_paise) >= 0),
         CHECK (gst_exempt = (gst_rate_bp IS NULL) AND (gst_exempt OR hsn_sac IS NOT NULL)),
         CHECK (NOT gst_exempt OR (cgst_paise = 0 AND sgst_paise = 0)),
         CHECK (total_paise = gross_paise - discount_paise + cgst_paise + sgst_paise)
       )`,

      `CREATE TABLE billing.shifts (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         user_id uuid NOT NULL,
         opened_at timestamptz NOT NULL DEFAULT now(),
         opening_float_paise bigint NOT NULL CHECK (opening_float_paise BETWEEN 0 AND 10000000000),
         closed_at timestamptz,
         counted_cash_paise bigint CHECK (counted_cash_paise IS NULL OR counted_cash_paise >= 0),
         expected_cash_paise bigint,
         difference_paise bigint,
         close_note text CHECK (close_note IS NULL OR length(close_note) BETWEEN 1 AND 500),
         version integer NOT NULL DEFAULT 1,
         PRIMARY KEY (tenant_id, id),
         CHECK ((closed_at IS NULL) = (counted_cash_paise IS NULL)
                AND (closed_at IS NULL) = (expected_cash_paise IS NULL)
                AND (closed_at IS NULL) = (difference_paise IS NULL)),
         CHECK (difference_paise IS NULL OR difference_paise = counted_cash_paise - expected_cash_paise)
       )`,
      `CREATE UNIQUE INDEX shifts_one_open_per_user ON billing.shifts (tenant_id, user_id) WHERE closed_at IS NULL`,

      `CREATE TABLE billing.payments (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         invoice_id uuid,
         patient_id uuid NOT NULL,
         mode text NOT NULL CHECK (mode IN ('cash', 'upi', 'card')),
         amount_paise bigint NOT NULL CHECK (amount_paise > 0 AND amount_paise <= 100000000000),
         tendered_paise bigint,
         change_paise bigint NOT NULL DEFAULT 0,
         reference text CHECK (reference IS NULL OR reference ~ '^[A-Za-z0-9/_-]{4,64}$'),
         shift_id uuid,
         received_by uuid NOT NULL,
         received_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices (tenant_id, id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         FOREIGN KEY (tenant_id, shift_id) REFERENCES billing.shifts (tenant_id, id),
         CHECK (mode = 'cash' OR reference IS NOT NULL),
         CHECK (mode <> 'cash' OR (shift_id IS NOT NULL AND tendered_paise IS NOT NULL)),
         CHECK (tendered_paise IS NULL OR (tendered_paise >= amount_paise AND change_paise = tendered_paise - amount_paise)),
         CHECK (tendered_paise IS NOT NULL OR change_paise = 0)
       )`,

      `CREATE TABLE billing.refunds (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         payment_id uuid NOT NULL,
         amount_paise bigint NOT NULL CHECK (amount_paise > 0),
         mode text NOT NULL CHECK (mode IN ('cash', 'upi', 'card')),
         reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
         shift_id uuid,
         refunded_by uuid NOT NULL,
         refunded_by_role text NOT NULL,
         refunded_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, payment_id) REFERENCES billing.payments (tenant_id, id),
         FOREIGN KEY (tenant_id, shift_id) REFERENCES billing.shifts (tenant_id, id),
         CHECK (mode <> 'cash' OR shift_id IS NOT NULL)
       )`,

      // Every money movement. invoice_id NULL: the patient's advance (deposit) account.
      `CREATE TABLE billing.ledger (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         entry text NOT NULL CHECK (entry IN ('payment', 'refund', 'deposit', 'advance_applied', 'advance_used')),
         invoice_id uuid,
         patient_id uuid NOT NULL,
         amount_paise bigint NOT NULL CHECK (amount_paise <> 0),
         mode text CHECK (mode IN ('cash', 'upi', 'card')),
         payment_id uuid,
         refund_id uuid,
         shift_id uuid,
         created_by uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices (tenant_id, id),
         FOREIGN KEY (tenant_id, payment_id) REFERENCES billing.payments (tenant_id, id),
         FOREIGN KEY (tenant_id, refund_id) REFERENCES billing.refunds (tenant_id, id),
         CHECK (CASE entry
                  WHEN 'payment' THEN amount_paise > 0 AND invoice_id IS NOT NULL AND payment_id IS NOT NULL AND mode IS NOT NULL
                  WHEN 'deposit' THEN amount_paise > 0 AND invoice_id IS NULL AND payment_id IS NOT NULL AND mode IS NOT NULL
                  WHEN 'refund' THEN amount_paise < 0 AND refund_id IS NOT NULL AND payment_id IS NOT NULL AND mode IS NOT NULL
                  WHEN 'advance_applied' THEN amount_paise > 0 AND invoice_id IS NOT NULL AND mode IS NULL
                  WHEN 'advance_used' THEN amount_paise < 0 AND invoice_id IS NULL AND mode IS NULL
                END)
       )`,
      `CREATE INDEX ledger_invoice_idx ON billing.ledger (tenant_id, invoice_id)`,
      `CREATE INDEX ledger_patient_advance_idx ON billing.ledger (tenant_id, patient_id) WHERE invoice_id IS NULL`,
      `CREATE INDEX ledger_day_idx ON billing.ledger (tenant_id, created_at)`,
      `CREATE INDEX refunds_payment_idx ON billing.refunds (tenant_id, payment_id)`,
      `CREATE INDEX payments_invoice_idx ON billing.payments (tenant_id, invoice_id)`,

      // A finalised invoice is frozen: only paid_paise may follow the ledger, and the move to
      // cancelled (with its reason and credit note) may happen once.
      `CREATE FUNCTION billing.guard_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.status = 'draft' THEN
           IF NEW.status NOT IN ('draft', 'finalised') OR NEW.kind <> OLD.kind THEN
             RAISE EXCEPTION 'a draft invoice is finalised before it is cancelled' USING ERRCODE = '23514';
           END IF;
           RETURN NEW;
         END IF;
         IF (NEW.kind, NEW.patient_id, NEW.visit_id, NEW.number, NEW.seq, NEW.series, NEW.fiscal_year,
             NEW.subtotal_paise, NEW.discount_paise, NEW.tax_paise, NEW.total_paise, NEW.finalised_at,
             NEW.credit_note_for)
            IS DISTINCT FROM
            (OLD.kind, OLD.patient_id, OLD.visit_id, OLD.number, OLD.seq, OLD.series, OLD.fiscal_year,
             OLD.subtotal_paise, OLD.discount_paise, OLD.tax_paise, OLD.total_paise, OLD.finalised_at,
             OLD.credit_note_for) THEN
           RAISE EXCEPTION 'invoice % is finalised and cannot change', OLD.id USING ERRCODE = '42501';
         END IF;
         IF OLD.status = 'cancelled' AND NEW.status <> 'cancelled' THEN
           RAISE EXCEPTION 'a cancelled invoice stays cancelled' USING ERRCODE = '42501';
         END IF;
         IF OLD.status = 'cancelled' AND (NEW.cancel_reason, NEW.credit_note_id, NEW.cancelled_at)
              IS DISTINCT FROM (OLD.cancel_reason, OLD.credit_note_id, OLD.cancelled_at) THEN
           RAISE EXCEPTION 'a cancellation never changes' USING ERRCODE = '42501';
         END IF;
         RETURN NEW;
       END $$`,
      `CREATE TRIGGER invoices_guard BEFORE UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.guard_invoice()`,

      `CREATE FUNCTION billing.guard_invoice_line() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         v_status text;
         v_invoice uuid := coalesce(NEW.invoice_id, OLD.invoice_id);
         v_tenant uuid := coalesce(NEW.tenant_id, OLD.tenant_id);
       BEGIN
         SELECT status INTO v_status FROM billing.invoices WHERE tenant_id = v_tenant AND id = v_invoice;
         IF TG_OP = 'UPDATE' OR v_status IS DISTINCT FROM 'draft' THEN
           RAISE EXCEPTION 'lines of invoice % cannot change (status %)', v_invoice, v_status USING ERRCODE = '42501';
         END IF;
         IF TG_OP = 'DELETE' THEN
           RETURN OLD;
         END IF;
         RETURN NEW;
       END $$`,
      `CREATE TRIGGER invoice_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON billing.invoice_lines
         FOR EACH ROW EXECUTE FUNCTION billing.guard_invoice_line()`,

      // The balance can never drift: checked once per transaction and invoice / patient / payment.
      `CREATE FUNCTION billing.check_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         v_sum bigint;
         v_inv record;
         v_paid bigint;
         v_owed bigint;
       BEGIN
         IF NEW.invoice_id IS NOT NULL THEN
           SELECT coalesce(sum(amount_paise), 0) INTO v_sum FROM billing.ledger
            WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id;
           SELECT status, total_paise, paid_paise INTO v_inv FROM billing.invoices
            WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
           IF v_inv.status = 'draft' THEN
             RAISE EXCEPTION 'money on draft invoice %', NEW.invoice_id USING ERRCODE = '23514';
           END IF;
           v_owed := CASE WHEN v_inv.status = 'cancelled' THEN 0 ELSE v_inv.total_paise END;
           IF v_sum <> v_inv.paid_paise OR v_sum < 0 OR v_sum > v_owed THEN
             RAISE EXCEPTION 'ledger of invoice % sums to %, invoice says paid % of %',
               NEW.invoice_id, v_sum, v_inv.paid_paise, v_inv.total_paise USING ERRCODE = '23514';
           END IF;
         ELSE
           SELECT coalesce(sum(amount_paise), 0) INTO v_sum FROM billing.ledger
            WHERE tenant_id = NEW.tenant_id AND patient_id = NEW.patient_id AND invoice_id IS NULL;
           IF v_sum < 0 THEN
             RAISE EXCEPTION 'advance of patient % below zero', NEW.patient_id USING ERRCODE = '23514';
           END IF;
         END IF;
         IF NEW.payment_id IS NOT NULL THEN
           SELECT p.amount_paise - coalesce((SELECT sum(r.amount_paise) FROM billing.refunds r
                                              WHERE r.tenant_id = p.tenant_id AND r.payment_id = p.id), 0)
             INTO v_paid FROM billing.payments p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id;
           IF v_paid < 0 THEN
             RAISE EXCEPTION 'refunds of payment % exceed it', NEW.payment_id USING ERRCODE = '23514';
           END IF;
         END IF;
         RETURN NULL;
       END $$`,
      `CREATE CONSTRAINT TRIGGER ledger_balance AFTER INSERT ON billing.ledger
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION billing.check_ledger()`,
      // paid_paise is only ever written with a ledger row; a change without one fails the same check.
      `CREATE FUNCTION billing.check_invoice_paid() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         v_sum bigint;
         v_paid bigint;
       BEGIN
         -- Deferred: the row as it is at commit, not as this update left it.
         SELECT paid_paise INTO v_paid FROM billing.invoices WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
         SELECT coalesce(sum(amount_paise), 0) INTO v_sum FROM billing.ledger
          WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.id;
         IF v_sum <> v_paid THEN
           RAISE EXCEPTION 'invoice % says paid % but its ledger sums to %', NEW.id, v_paid, v_sum
             USING ERRCODE = '23514';
         END IF;
         RETURN NULL;
       END $$`,
      `CREATE CONSTRAINT TRIGGER invoices_paid_matches_ledger AFTER UPDATE OF paid_paise, status ON billing.invoices
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION billing.check_invoice_paid()`,

      ...TABLES.flatMap((t) => tenantIsolation(`billing.${t}`)),
      ...TABLES.filter((t) => t !== 'invoice_series').map(audited),
      ...['payments', 'refunds', 'ledger'].map(appendOnly),
      `GRANT SELECT, INSERT, UPDATE ON billing.settings, billing.price_items, billing.invoices, billing.invoice_series, billing.shifts TO hims_app`,
      `GRANT SELECT, INSERT, DELETE ON billing.invoice_lines TO hims_app`,
      `GRANT SELECT, INSERT ON billing.payments, billing.refunds, billing.ledger TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA billing CASCADE`);
  }
}
