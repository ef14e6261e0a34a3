import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C traceparent of the work that stored an ABDM inbox row (the gateway
 * callback's request) or queued an on-* call (the processor handling that
 * callback), so the worker's processor continues the same trace and the call to
 * the gateway carries it (docs/tracing.md), as events.outbox does since
 * 1763801000000-OutboxTraceContext. Nullable (tracing off, rows from before);
 * checked against the W3C format so a row never carries anything else. Adding a
 * nullable column rewrites nothing; the table-level grants to hims_app cover it.
 */
export class AbdmTraceContext1763807000000 implements MigrationInterface {
  name = 'AbdmTraceContext1763807000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['abdm_inbox', 'abdm_outbound']) {
      await q.query(
        `ALTER TABLE clinical.${table}
           ADD COLUMN traceparent text
             CONSTRAINT ${table}_traceparent_format CHECK (traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$')`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clinical.abdm_outbound DROP COLUMN IF EXISTS traceparent`);
    await q.query(`ALTER TABLE clinical.abdm_inbox DROP COLUMN IF EXISTS traceparent`);
  }
}
