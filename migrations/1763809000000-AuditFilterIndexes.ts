import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the audit query's `action` and `entity_type` filters.
 *
 * The query pages newest first by keyset on entry_id, so each filter needs an
 * index led by the tenant (the RLS predicate, named in the query too) and the
 * filter column(s), ending in entry_id: the plan is then a backward index scan
 * that stops after one page instead of walking the tenant's trail and filtering.
 * Both filters together take either index and filter the other column (an
 * action nearly fixes its entity type). entity_id and actor_id already have
 * theirs (1763797000000-AuditSealer).
 */
export class AuditFilterIndexes1763809000000 implements MigrationInterface {
  name = 'AuditFilterIndexes1763809000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_log_action_idx ON audit.audit_log (tenant_id, action, entry_id)`);
    await q.query(`CREATE INDEX audit_log_entity_type_idx ON audit.audit_log (tenant_id, entity_type, entry_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit.audit_log_entity_type_idx`);
    await q.query(`DROP INDEX audit.audit_log_action_idx`);
  }
}
