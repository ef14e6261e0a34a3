import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * More health-information types per visit (issue 22, item 5): a signed visit offers one care
 * context per HI type it has (OPConsultation, Prescription, WellnessRecord), each linked on its
 * own. A link row is now a visit *and* an HI type, and a link request may name the reference
 * numbers of the new types (`<visit id>:prescription`, `<visit id>:vitals`, libs/abdm
 * care-contexts.ts), which are not UUIDs.
 */
export class AbdmCareContextTypes1765100000000 implements MigrationInterface {
  name = 'AbdmCareContextTypes1765100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `ALTER TABLE clinical.abdm_links DROP CONSTRAINT abdm_links_pkey`,
      `ALTER TABLE clinical.abdm_links ADD PRIMARY KEY (tenant_id, care_context_ref, hi_type)`,
      `COMMENT ON COLUMN clinical.abdm_links.care_context_ref IS
         'The linked visit; with hi_type it names one care context (reference number: libs/abdm care-contexts.ts)'`,
      `ALTER TABLE clinical.abdm_transactions ALTER COLUMN requested_contexts DROP DEFAULT`,
      `ALTER TABLE clinical.abdm_transactions ALTER COLUMN requested_contexts TYPE text[] USING requested_contexts::text[]`,
      `ALTER TABLE clinical.abdm_transactions ALTER COLUMN requested_contexts SET DEFAULT '{}'`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DELETE FROM clinical.abdm_links WHERE hi_type <> 'OPConsultation'`,
      `ALTER TABLE clinical.abdm_links DROP CONSTRAINT abdm_links_pkey`,
      `ALTER TABLE clinical.abdm_links ADD PRIMARY KEY (tenant_id, care_context_ref)`,
      `COMMENT ON COLUMN clinical.abdm_links.care_context_ref IS NULL`,
      `UPDATE clinical.abdm_transactions
          SET requested_contexts = ARRAY(SELECT x FROM unnest(requested_contexts) x WHERE x !~ ':')
        WHERE requested_contexts::text ~ ':'`,
      `ALTER TABLE clinical.abdm_transactions ALTER COLUMN requested_contexts DROP DEFAULT`,
      `ALTER TABLE clinical.abdm_transactions ALTER COLUMN requested_contexts TYPE uuid[] USING requested_contexts::uuid[]`,
      `ALTER TABLE clinical.abdm_transactions ALTER COLUMN requested_contexts SET DEFAULT '{}'`,
    ]) {
      await q.query(sql);
    }
  }
}
