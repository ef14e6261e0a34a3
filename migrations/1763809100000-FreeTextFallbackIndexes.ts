import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the database fallback of free-text search (PatientReader.freeText).
 *
 * Its candidates now come only from index conditions, each with a LIMIT, so no
 * branch reads the clinic. Under RLS only leakproof operators on indexed columns
 * become index conditions (docs/security.md): `lower(mrn) = …` and a LIKE on the
 * phones never could. The name branches use the existing prefix btree and trigram
 * GIN, MRN its unique btree; these add email (equality) and the phones in C
 * collation, so a digit prefix is a text range on each of the (at most 3) numbers.
 */
export class FreeTextFallbackIndexes1763809100000 implements MigrationInterface {
  name = 'FreeTextFallbackIndexes1763809100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX patients_email_idx ON clinical.patients (tenant_id, email)`);
    for (const i of [1, 2, 3]) {
      await q.query(`CREATE INDEX patients_phone${i}_prefix_idx ON clinical.patients
                       (tenant_id, (phones[${i}]) COLLATE "C")`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const i of [3, 2, 1]) await q.query(`DROP INDEX clinical.patients_phone${i}_prefix_idx`);
    await q.query(`DROP INDEX clinical.patients_email_idx`);
  }
}
