import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Revenue per department per day (issue 29), projected by the worker's analytics consumer
 * from billing.invoice_finalised (+ total) and billing.invoice_cancelled (the credit note's
 * negative total). Integer paise; days are UTC days of the event, like the other projections.
 */
export class BillingAnalytics1765300100000 implements MigrationInterface {
  name = 'BillingAnalytics1765300100000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE analytics.daily_revenue (
         tenant_id uuid NOT NULL,
         day date NOT NULL,
         department text NOT NULL CHECK (length(department) BETWEEN 1 AND 100),
         invoices bigint NOT NULL DEFAULT 0 CHECK (invoices >= 0),
         credit_notes bigint NOT NULL DEFAULT 0 CHECK (credit_notes >= 0),
         revenue_paise bigint NOT NULL DEFAULT 0,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, day, department)
       )`,
      ...tenantIsolation('analytics.daily_revenue'),
      `GRANT SELECT, INSERT, UPDATE ON analytics.daily_revenue TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics.daily_revenue`);
  }
}
