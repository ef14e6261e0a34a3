import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A registration's duplicate check, serialised per clinic and birth year, in one round trip
 * (issue 14: a registration costs at most five). clinical.register_duplicates() first takes the
 * transaction-scoped advisory lock that makes two identical registrations wait for each other,
 * then runs the check. It is plpgsql and VOLATILE, so under READ COMMITTED the check takes its
 * snapshot after the lock is granted and sees the row the previous holder committed; a single
 * SQL statement would have taken its snapshot before waiting. SECURITY INVOKER: it runs as the
 * application role, under the tenant's row-level security.
 */
export class RegistrationDuplicateCheck1763804000000 implements MigrationInterface {
  name = 'RegistrationDuplicateCheck1763804000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION clinical.register_duplicates(
        p_abha_number text, p_abha_address text, p_phones text[], p_birth_date date, p_birth_year smallint,
        p_search_name text, p_name_similarity real, p_limit integer)
      RETURNS TABLE (id uuid, mrn text, reasons text[])
      LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, public AS $fn$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.current_tenant', true), '')::uuid;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('patient-register:' || tenant::text || ':' || p_birth_year::text, 0));
        RETURN QUERY
        WITH c AS (
          SELECT p.id, p.mrn, 'abha_number' AS reason FROM clinical.patients p
           WHERE p.tenant_id = tenant AND p.abha_number = p_abha_number
          UNION ALL
          SELECT p.id, p.mrn, 'abha_address' FROM clinical.patients p
           WHERE p.tenant_id = tenant AND p.abha_address = p_abha_address
          UNION ALL
          SELECT p.id, p.mrn, 'phone_birth_date' FROM clinical.patients p
           WHERE p.tenant_id = tenant AND cardinality(p_phones) > 0
             AND (p.phones[1] = ANY (p_phones) OR p.phones[2] = ANY (p_phones) OR p.phones[3] = ANY (p_phones))
             AND (p.birth_date = p_birth_date OR ((p_birth_date IS NULL OR p.birth_date IS NULL) AND p.birth_year = p_birth_year))
          UNION ALL
          SELECT p.id, p.mrn, 'similar_name_birth_date' FROM clinical.patients p
           WHERE p.tenant_id = tenant
             AND (p.birth_date = p_birth_date OR ((p_birth_date IS NULL OR p.birth_date IS NULL) AND p.birth_year = p_birth_year))
             AND similarity(p.search_name, p_search_name) >= p_name_similarity
        )
        SELECT c.id, c.mrn, array_agg(DISTINCT c.reason ORDER BY c.reason)
          FROM c GROUP BY c.id, c.mrn ORDER BY c.mrn LIMIT p_limit;
      END
      $fn$`);
    await q.query(
      `REVOKE ALL ON FUNCTION clinical.register_duplicates(text, text, text[], date, smallint, text, real, integer) FROM PUBLIC`,
    );
    await q.query(
      `GRANT EXECUTE ON FUNCTION clinical.register_duplicates(text, text, text[], date, smallint, text, real, integer) TO hims_app`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION clinical.register_duplicates(text, text, text[], date, smallint, text, real, integer)`,
    );
  }
}
