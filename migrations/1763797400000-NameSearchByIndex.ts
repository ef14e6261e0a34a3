import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fuzzy name search through the trigram GIN index (1763797200000), now that
 * pg_trgm's comparison operators are LEAKPROOF in the cluster set-up:
 * PatientsRepository.search() matches `q <% search_name`, whose cut-off is
 * pg_trgm.word_similarity_threshold, set here for the database to the
 * repository's NAME_MATCH_THRESHOLD (0.4; pg_trgm's default is 0.6). The GiST
 * trigram index that served nearest-name ordering is no longer used; dropping it
 * also spares every registration and update its (expensive) maintenance.
 */
export class NameSearchByIndex1763797400000 implements MigrationInterface {
  name = 'NameSearchByIndex1763797400000';

  async up(q: QueryRunner): Promise<void> {
    // Load pg_trgm's library first: only then is the setting a known (user-settable) one that the
    // database owner may set; as an unknown placeholder, PostgreSQL 15 refuses it to non-superusers.
    await q.query(`SELECT public.similarity('a', 'a')`);
    await q.query(`DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I SET pg_trgm.word_similarity_threshold = 0.4', current_database());
    END $$`);
    await q.query(`DROP INDEX clinical.patients_search_name_trgm_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX patients_search_name_trgm_idx ON clinical.patients
         USING gist (tenant_id, search_name gist_trgm_ops (siglen = 64))`,
    );
    await q.query(`DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I RESET pg_trgm.word_similarity_threshold', current_database());
    END $$`);
  }
}
