import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trigram GIN index on patient names that the application role can use.
 *
 * Under FORCE ROW LEVEL SECURITY a query condition reaches an index only if its
 * operator is LEAKPROOF. The cluster set-up (infra/postgres/database-extensions.sql,
 * run as a superuser) marks pg_trgm's comparison operators so, which makes
 * `search_name % q` and `q <% search_name` index conditions here. The index leads
 * with tenant_id (btree_gin), so the tenant's rows are intersected inside the index.
 */
export class NameSearchGin1763797200000 implements MigrationInterface {
  name = 'NameSearchGin1763797200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(
      `CREATE INDEX patients_search_name_gin_idx ON clinical.patients USING gin (tenant_id, search_name gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX clinical.patients_search_name_gin_idx`);
  }
}
