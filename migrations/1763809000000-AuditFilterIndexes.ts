import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bounded audit queries: an index for every filter, in the order pages are read.
 *
 * The audit query pages newest first by keyset on (occurred_at, entry_id). Before,
 * it ordered by entry_id alone and `action` / `entity_type` had no index: a rare
 * action walked the tenant's whole trail backwards, and a time window in the past
 * walked every newer row (the planner assumes matches are spread evenly; they are
 * not). Now each filter's index is led by the tenant (the RLS predicate, named in
 * the query too), then the filter column, then (occurred_at, entry_id): a page,
 * with or without a time window, is one backward range scan that stops after the
 * page. Two filters together take one of these indexes and filter the other.
 * The unfiltered and time-only queries use the widened time index.
 */
export class AuditFilterIndexes1763809000000 implements MigrationInterface {
  name = 'AuditFilterIndexes1763809000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `DROP INDEX audit.audit_log_time_idx`,
      `DROP INDEX audit.audit_log_entity_idx`,
      `DROP INDEX audit.audit_log_actor_idx`,
      `CREATE INDEX audit_log_time_idx ON audit.audit_log (tenant_id, occurred_at, entry_id)`,
      `CREATE INDEX audit_log_entity_idx ON audit.audit_log (tenant_id, entity_id, occurred_at, entry_id)`,
      `CREATE INDEX audit_log_actor_idx ON audit.audit_log (tenant_id, actor_id, occurred_at, entry_id)`,
      `CREATE INDEX audit_log_action_idx ON audit.audit_log (tenant_id, action, occurred_at, entry_id)`,
      `CREATE INDEX audit_log_entity_type_idx ON audit.audit_log (tenant_id, entity_type, occurred_at, entry_id)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    const statements = [
      `DROP INDEX audit.audit_log_entity_type_idx`,
      `DROP INDEX audit.audit_log_action_idx`,
      `DROP INDEX audit.audit_log_actor_idx`,
      `DROP INDEX audit.audit_log_entity_idx`,
      `DROP INDEX audit.audit_log_time_idx`,
      `CREATE INDEX audit_log_time_idx ON audit.audit_log (tenant_id, occurred_at)`,
      `CREATE INDEX audit_log_entity_idx ON audit.audit_log (tenant_id, entity_id, entry_id)`,
      `CREATE INDEX audit_log_actor_idx ON audit.audit_log (tenant_id, actor_id, entry_id)`,
    ];
    for (const sql of statements) await q.query(sql);
  }
}
