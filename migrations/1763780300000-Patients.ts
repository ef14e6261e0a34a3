import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * The patient registry (clinical.patients) and its per-tenant MRN counter.
 *
 * Column names are a contract: the search indexer reads them. `search_name`
 * is the application's normalisation of the name (NFKC, lower case, Latin
 * diacritics folded, whitespace collapsed; other scripts kept as they are),
 * so the trigram index serves Devanagari, Tamil and accented Latin alike.
 * Deactivation is an UPDATE (active = false): the application role has no
 * DELETE. Every change is captured into the tenant's audit chain.
 */
export class Patients1763780300000 implements MigrationInterface {
  name = 'Patients1763780300000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE clinical.patients (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         mrn text NOT NULL CHECK (length(mrn) BETWEEN 1 AND 32),
         name_given text[] NOT NULL DEFAULT '{}' CHECK (cardinality(name_given) <= 5),
         name_family text CHECK (length(name_family) BETWEEN 1 AND 100),
         name_prefix text[] NOT NULL DEFAULT '{}' CHECK (cardinality(name_prefix) <= 3),
         name_text text NOT NULL CHECK (length(name_text) BETWEEN 1 AND 300),
         search_name text NOT NULL CHECK (length(search_name) BETWEEN 1 AND 300),
         gender text NOT NULL CHECK (gender IN ('male', 'female', 'other', 'unknown')),
         birth_date date,
         birth_year smallint NOT NULL CHECK (birth_year BETWEEN 1850 AND 2200),
         birth_date_approximate boolean NOT NULL DEFAULT false,
         phones text[] NOT NULL DEFAULT '{}' CHECK (cardinality(phones) <= 3 AND array_position(phones, NULL) IS NULL),
         email text CHECK (length(email) BETWEEN 3 AND 254),
         address jsonb CHECK (address IS NULL OR jsonb_typeof(address) = 'object'),
         abha_number text CHECK (abha_number ~ '^[0-9]{14}$'),
         abha_address text CHECK (abha_address = lower(abha_address) AND abha_address ~ '^[a-z0-9._]{8,18}@(abdm|sbx)$'),
         active boolean NOT NULL DEFAULT true,
         deceased boolean NOT NULL DEFAULT false,
         version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         updated_by uuid,
         PRIMARY KEY (tenant_id, id),
         CONSTRAINT patients_birth_year_matches CHECK (birth_date IS NULL OR extract(year FROM birth_date) = birth_year),
         CONSTRAINT patients_year_only_is_approximate CHECK (birth_date IS NOT NULL OR birth_date_approximate)
       )`,
      // Identifiers: unique per tenant (NULLs are distinct, so absent ABHA values never collide).
      `CREATE UNIQUE INDEX patients_tenant_mrn_key ON clinical.patients (tenant_id, mrn)`,
      `CREATE UNIQUE INDEX patients_tenant_abha_number_key ON clinical.patients (tenant_id, abha_number)`,
      `CREATE UNIQUE INDEX patients_tenant_abha_address_key ON clinical.patients (tenant_id, abha_address)`,
      // Search indexes. Under row-level security PostgreSQL uses a predicate as an index
      // condition only if its operator is LEAKPROOF (or it is the policy's own): uuid/text/date
      // equality and text range comparisons are; pg_trgm's %, <% and LIKE and array @>/&& are
      // not, so a GIN trigram or GIN array index would never be used by the application role.
      // Hence: names: a GiST trigram index led by tenant_id (btree_gist), searched by distance
      // ordering (KNN, `q <<-> search_name`), which RLS does not block, plus a C-collation btree
      // for prefixes; phones: btree expression indexes on each of the (at most 3) numbers.
      `CREATE INDEX patients_search_name_trgm_idx ON clinical.patients
         USING gist (tenant_id, search_name gist_trgm_ops (siglen = 64))`,
      `CREATE INDEX patients_search_name_prefix_idx ON clinical.patients (tenant_id, search_name COLLATE "C")`,
      `CREATE INDEX patients_phone1_idx ON clinical.patients (tenant_id, (phones[1]))`,
      `CREATE INDEX patients_phone2_idx ON clinical.patients (tenant_id, (phones[2]))`,
      `CREATE INDEX patients_phone3_idx ON clinical.patients (tenant_id, (phones[3]))`,
      // The search service's freshness check reads max(updated_at) per tenant.
      `CREATE INDEX patients_tenant_updated_at_idx ON clinical.patients (tenant_id, updated_at)`,
      `CREATE INDEX patients_tenant_birth_date_idx ON clinical.patients (tenant_id, birth_date)`,
      `CREATE INDEX patients_tenant_birth_year_idx ON clinical.patients (tenant_id, birth_year)`,
      // Year-only (approximate) birth dates, matched by a full date in that year.
      `CREATE INDEX patients_tenant_birth_year_approx_idx ON clinical.patients (tenant_id, birth_year) WHERE birth_date IS NULL`,
      ...tenantIsolation('clinical.patients'),
      `CREATE TRIGGER patients_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.patients
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,

      // Per-tenant MRN counter: INSERT ... ON CONFLICT DO UPDATE ... RETURNING takes the
      // row lock, so numbers are unique and, because it rolls back with the request, gapless.
      `CREATE TABLE clinical.mrn_counters (
         tenant_id uuid PRIMARY KEY REFERENCES core.tenants (id),
         last_value bigint NOT NULL CHECK (last_value >= 0)
       )`,
      ...tenantIsolation('clinical.mrn_counters'),
      `CREATE TRIGGER mrn_counters_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.mrn_counters
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,

      `GRANT SELECT, INSERT, UPDATE ON clinical.patients, clinical.mrn_counters TO hims_app`,
      // pg_trgm's functions and operators (similarity, %, <%) live in schema public, which
      // infra/postgres/pg.sh closes to PUBLIC. USAGE lets the application role resolve them;
      // public holds only extension functions (no tables), and CREATE stays with the owner.
      `GRANT USAGE ON SCHEMA public TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE USAGE ON SCHEMA public FROM hims_app`);
    await q.query(`DROP TABLE clinical.mrn_counters`);
    await q.query(`DROP TABLE clinical.patients`);
  }
}
