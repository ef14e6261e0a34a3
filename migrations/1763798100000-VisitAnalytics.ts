import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Visits per UTC day (of the visit's scheduled time) and department, kept by
 * the worker's analytics projector from visit.booked events. Counted once per
 * event through analytics.processed_events, in the same transaction.
 */
export class VisitAnalytics1763798100000 implements MigrationInterface {
  name = 'VisitAnalytics1763798100000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE analytics.daily_visits (
         tenant_id uuid NOT NULL,
         day date NOT NULL,
         department text NOT NULL CHECK (length(department) BETWEEN 1 AND 100),
         count bigint NOT NULL DEFAULT 0 CHECK (count >= 0),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, day, department)
       )`,
      ...tenantIsolation('analytics.daily_visits'),
      `GRANT SELECT, INSERT, UPDATE ON analytics.daily_visits TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics.daily_visits`);
  }
}
