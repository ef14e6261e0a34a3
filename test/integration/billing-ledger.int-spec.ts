/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The money invariants the database itself keeps (migration 1765300000000), checked as the
 * application role: the ledger, payments and refunds are append-only; an invoice's ledger sum
 * must equal its paid_paise and stay within what it is owed; refunds never exceed their
 * payment (fast-check: random refund sequences are accepted exactly when they fit); a finalised
 * invoice's lines never change.
 */
import fc from 'fast-check';
import { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createUser } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

describe('billing ledger invariants (database)', () => {
  let owner: DataSource;
  let app: DataSource;
  let tenant: { id: string };
  let userId: string;
  let patientId: string;
  let seq = 0;

  const asApp = <T>(fn: (tx: EntityManager) => Promise<T>) => asTenant(app, tenant.id, fn, userId);

  /** A finalised invoice of `total` paise (one exempt line) and a payment of `paid` on it. */
  const paidInvoice = async (total: number, paid: number) =>
    asApp(async (tx) => {
      const [inv] = await tx.query(
        `INSERT INTO billing.invoices (tenant_id, patient_id, subtotal_paise, total_paise) VALUES ($1, $2, $3, $3) RETURNING id`,
        [tenant.id, patientId, total],
      );
      await tx.query(
        `INSERT INTO billing.invoice_lines (tenant_id, invoice_id, position, code, description, quantity, unit_price_paise,
                                            gross_paise, gst_exempt, total_paise)
         VALUES ($1, $2, 1, 'X', 'Item', 1, $3, $3, true, $3)`,
        [tenant.id, inv.id, total],
      );
      seq += 1;
      await tx.query(
        `UPDATE billing.invoices SET status = 'finalised', series = 'INV', fiscal_year = '1999-00', seq = $2,
                number = 'INV-1999-00-' || $2::int, finalised_at = now() WHERE id = $1`,
        [inv.id, seq],
      );
      const [p] = await tx.query(
        `INSERT INTO billing.payments (tenant_id, invoice_id, patient_id, mode, amount_paise, reference, received_by)
         VALUES ($1, $2, $3, 'upi', $4, 'UPI-TEST-1', $5) RETURNING id`,
        [tenant.id, inv.id, patientId, paid, userId],
      );
      await tx.query(
        `INSERT INTO billing.ledger (tenant_id, entry, invoice_id, patient_id, amount_paise, mode, payment_id, created_by)
         VALUES ($1, 'payment', $2, $3, $4, 'upi', $5, $6)`,
        [tenant.id, inv.id, patientId, paid, p.id, userId],
      );
      await tx.query(`UPDATE billing.invoices SET paid_paise = paid_paise + $2 WHERE id = $1`, [
        inv.id,
        paid,
      ]);
      return { invoiceId: inv.id as string, paymentId: p.id as string };
    });

  /** A refund as the service writes it: refund row, ledger row, paid_paise, in one transaction. */
  const refund = (invoiceId: string, paymentId: string, amount: number) =>
    asApp(async (tx) => {
      const [r] = await tx.query(
        `INSERT INTO billing.refunds (tenant_id, payment_id, amount_paise, mode, reason, refunded_by, refunded_by_role)
         VALUES ($1, $2, $3, 'upi', 'test', $4, 'tenant_admin') RETURNING id`,
        [tenant.id, paymentId, amount, userId],
      );
      await tx.query(
        `INSERT INTO billing.ledger (tenant_id, entry, invoice_id, patient_id, amount_paise, mode, payment_id, refund_id, created_by)
         VALUES ($1, 'refund', $2, $3, $4, 'upi', $5, $6, $7)`,
        [tenant.id, invoiceId, patientId, -amount, paymentId, r.id, userId],
      );
      await tx.query(`UPDATE billing.invoices SET paid_paise = paid_paise - $2 WHERE id = $1`, [
        invoiceId,
        amount,
      ]);
    });

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
    tenant = await newTenant(owner, 'ledger');
    userId = (await createUser(owner, tenant.id, { roles: ['receptionist'] })).id;
    [{ id: patientId }] = await asTenant(owner, tenant.id, (tx) =>
      tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_text, search_name, gender, birth_date, birth_year)
         VALUES ($1, 'LEDGER-1', ARRAY['Ledger'], 'Person', 'Ledger Person', 'ledger person', 'female', '1990-01-01', 1990) RETURNING id`,
        [tenant.id],
      ),
    );
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  it('ledger, payments and refunds are append-only, even for the owner', async () => {
    const { invoiceId } = await paidInvoice(1000, 500);
    for (const table of ['ledger', 'payments']) {
      await expect(
        asTenant(owner, tenant.id, (tx) => tx.query(`UPDATE billing.${table} SET amount_paise = 1`)),
      ).rejects.toThrow(/append-only/);
      await expect(
        asTenant(owner, tenant.id, (tx) => tx.query(`DELETE FROM billing.${table}`)),
      ).rejects.toThrow(/append-only/);
    }
    await expect(
      asApp((tx) => tx.query(`DELETE FROM billing.ledger WHERE invoice_id = $1`, [invoiceId])),
    ).rejects.toThrow(/permission denied|append-only/);
  });

  it('the balance cannot drift: paid_paise without a ledger row, or a ledger row without paid_paise, fails at commit', async () => {
    const { invoiceId, paymentId } = await paidInvoice(1000, 500);
    await expect(
      asApp((tx) => tx.query(`UPDATE billing.invoices SET paid_paise = 600 WHERE id = $1`, [invoiceId])),
    ).rejects.toThrow(/ledger sums to 500/);
    await expect(
      asApp((tx) =>
        tx.query(
          `INSERT INTO billing.ledger (tenant_id, entry, invoice_id, patient_id, amount_paise, mode, payment_id, created_by)
           VALUES ($1, 'payment', $2, $3, 100, 'upi', $4, $5)`,
          [tenant.id, invoiceId, patientId, paymentId, userId],
        ),
      ),
    ).rejects.toThrow(/sums to 600, invoice says paid 500/);
    // Paying more than the total fails even with paid_paise kept in step.
    await expect(
      asApp(async (tx) => {
        await tx.query(
          `INSERT INTO billing.ledger (tenant_id, entry, invoice_id, patient_id, amount_paise, mode, payment_id, created_by)
           VALUES ($1, 'payment', $2, $3, 501, 'upi', $4, $5)`,
          [tenant.id, invoiceId, patientId, paymentId, userId],
        );
        await tx.query(`UPDATE billing.invoices SET paid_paise = paid_paise + 501 WHERE id = $1`, [
          invoiceId,
        ]);
      }),
    ).rejects.toThrow(/sums to 1001/);
    const [{ paid }] = await asApp((tx) =>
      tx.query(`SELECT paid_paise::int AS paid FROM billing.invoices WHERE id = $1`, [invoiceId]),
    );
    expect(paid).toBe(500);
  });

  it("a finalised invoice's lines never change", async () => {
    const { invoiceId } = await paidInvoice(1000, 1);
    await expect(
      asApp((tx) => tx.query(`DELETE FROM billing.invoice_lines WHERE invoice_id = $1`, [invoiceId])),
    ).rejects.toThrow(/cannot change/);
  });

  it('property: a sequence of refunds is accepted exactly while it fits in the payment, and the sums agree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 5 }),
        async (paid, refunds) => {
          const { invoiceId, paymentId } = await paidInvoice(paid + 100, paid);
          let left = paid;
          for (const amount of refunds) {
            const attempt = refund(invoiceId, paymentId, amount);
            if (amount <= left) {
              await attempt;
              left -= amount;
            } else {
              await expect(attempt).rejects.toThrow(/exceed|sums to -/);
            }
          }
          const [row] = await asApp((tx) =>
            tx.query(
              `SELECT i.paid_paise::int AS paid, (SELECT sum(amount_paise)::int FROM billing.ledger WHERE invoice_id = i.id) AS ledger,
                    (SELECT coalesce(sum(amount_paise), 0)::int FROM billing.refunds WHERE payment_id = $2) AS refunded
               FROM billing.invoices i WHERE i.id = $1`,
              [invoiceId, paymentId],
            ),
          );
          expect(row).toEqual({ paid: left, ledger: left, refunded: paid - left });
        },
      ),
      { numRuns: 20 },
    );
  });
});
