import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the database fallback of free-text search (PatientReader.freeText).
 *
 * Its candidates now come only from index conditions, each with a LIMIT, so no
 * branch reads the clinic: the name branches use the existing prefix btree and
 * trigram GIN; these cover the identifier branches that compared expressions no
 * index held (lower(mrn), lower(email)) and the phone-suffix branch
 * (`… LIKE '%' || digits`), rewritten as a prefix of the reversed number, a text
 * range that is leakproof and so usable under RLS (docs/security.md).
 */
export class FreeTextFallbackIndexes1763809100000 implements MigrationInterface {
  name = 'FreeTextFallbackIndexes1763809100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX patients_mrn_lower_idx ON clinical.patients (tenant_id, lower(mrn))`);
    await q.query(`CREATE INDEX patients_email_lower_idx ON clinical.patients (tenant_id, lower(email))
                     WHERE email IS NOT NULL`);
    for (const i of [1, 2, 3]) {
      await q.query(`CREATE INDEX patients_phone${i}_reversed_idx ON clinical.patients
                       (tenant_id, (reverse(phones[${i}])) COLLATE "C") WHERE phones[${i}] IS NOT NULL`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const i of [3, 2, 1]) await q.query(`DROP INDEX clinical.patients_phone${i}_reversed_idx`);
    await q.query(`DROP INDEX clinical.patients_email_lower_idx`);
    await q.query(`DROP INDEX clinical.patients_mrn_lower_idx`);
  }
}
