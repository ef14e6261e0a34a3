import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name search stays fast while registrations pour in (issue 14).
 *
 * The trigram GIN index takes new entries into its pending list (GIN fast update)
 * and every search scans that whole list until it is merged. With the default
 * 4 MB limit and autovacuum's default insert trigger (20 % of 1M rows), a busy day
 * of registrations left ~380 pending pages that every name search read: measured at
 * 1M patients after the bench's register phase, pgbench of the name search gave
 * 60 tps, and 81 tps once the list was merged. Here the list is capped at 1 MB
 * (a search scans at most 128 extra pages; the registration that overflows it
 * merges ~1 MB, not 4), and autovacuum visits the table after 1 % new rows, which
 * also merges the list. Fast update stays on: turning it off cost registration
 * about a quarter of its rate in the same measurement.
 */
export class NameIndexPendingList1763810100000 implements MigrationInterface {
  name = 'NameIndexPendingList1763810100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX clinical.patients_search_name_gin_idx SET (gin_pending_list_limit = 1024)`);
    await q.query(`ALTER TABLE clinical.patients SET (autovacuum_vacuum_insert_scale_factor = 0.01)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clinical.patients RESET (autovacuum_vacuum_insert_scale_factor)`);
    await q.query(`ALTER INDEX clinical.patients_search_name_gin_idx RESET (gin_pending_list_limit)`);
  }
}
