import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context of the transaction that wrote an outbox row
 * (docs/tracing.md): Debezium's outbox router passes both columns on as Kafka
 * headers, and the worker continues the request's trace for indexing and
 * analytics. Nullable (tracing off, or a writer outside a trace); checked
 * against the W3C formats so a row never carries anything else. Adding
 * nullable columns rewrites nothing; table-level grants (hims_app INSERT,
 * hims_replication SELECT) cover them, and the publication publishes them.
 */
export class OutboxTraceContext1763801000000 implements MigrationInterface {
  name = 'OutboxTraceContext1763801000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `ALTER TABLE events.outbox
         ADD COLUMN traceparent text
           CONSTRAINT outbox_traceparent_format CHECK (traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$'),
         ADD COLUMN tracestate text
           CONSTRAINT outbox_tracestate_format CHECK (length(tracestate) <= 512 AND tracestate !~ '[^\\x20-\\x7e]')`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events.outbox DROP COLUMN IF EXISTS tracestate, DROP COLUMN IF EXISTS traceparent`);
  }
}
