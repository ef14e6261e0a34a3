/**
 * Needs: the project's PostgreSQL 15, its databases set up by infra/postgres/pg.sh
 * (database-extensions.sql). pg_trgm's comparison operators are marked LEAKPROOF, so
 * under FORCE RLS the application role's fuzzy name condition is an index condition
 * on the tenant-led trigram GIN index; and the index answers only the tenant's rows.
 */
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { NAME_MATCH_THRESHOLD } from '../../libs/patients/src/patients.repository';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const TRIGRAM_COMPARISONS = [
  'similarity_op',
  'word_similarity_op',
  'word_similarity_commutator_op',
  'strict_word_similarity_op',
  'strict_word_similarity_commutator_op',
];

describe('fuzzy name search under row-level security', () => {
  let owner: DataSource;
  let app: DataSource;
  let a: string;
  let b: string;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
    a = (await newTenant(owner, 'gin-a')).id;
    b = (await newTenant(owner, 'gin-b')).id;
    for (const [tenant, names] of [
      [a, ['ramesh kumar', 'ramesh kumaar', 'suresh iyer']],
      [b, ['ramesh kumar', 'rameshwar kumar']],
    ] as const) {
      await asTenant(owner, tenant, async (tx) => {
        for (const [i, name] of names.entries()) {
          await tx.query(
            `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_text, search_name, gender,
                                            birth_date, birth_year)
             VALUES ($1, $2, ARRAY[split_part($3, ' ', 1)], split_part($3, ' ', 2), $3, $3, 'male', '1980-01-01', 1980)`,
            [tenant, `GIN-${i}`, name],
          );
        }
      });
    }
    // Enough of A's patients that reading them all is clearly dearer than the trigram index:
    // the plan below then shows what the planner may do, not a tie it happened to break.
    await asTenant(owner, a, async (tx) => {
      // A fixture, not a measurement: on a machine busy with the rest of the suite these
      // rows (each with its audit row and index entries) can take longer than the pool's 30 s.
      await tx.query(`SET LOCAL statement_timeout = '300s'`);
      await tx.query(
        `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_text, search_name, gender,
                                        birth_date, birth_year)
         SELECT $1, 'GIN-F' || n, ARRAY['filler' || n], 'person', 'filler' || n || ' person', 'filler' || n || ' person',
                'female', date '1990-01-01' + (n % 3000), extract(year FROM date '1990-01-01' + (n % 3000))::smallint
           FROM generate_series(1, 20000) n`,
        [a],
      );
    });
    await owner.query(`ANALYZE clinical.patients`);
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  it("pg_trgm's comparison operators are LEAKPROOF in this database", async () => {
    const rows: { proname: string; proleakproof: boolean }[] = await owner.query(
      `SELECT p.proname, p.proleakproof FROM pg_proc p
         JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
         JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_trgm'
        WHERE p.proname = ANY($1) ORDER BY p.proname`,
      [TRIGRAM_COMPARISONS],
    );
    expect(rows).toEqual([...TRIGRAM_COMPARISONS].sort().map((proname) => ({ proname, proleakproof: true })));
  });

  it("the application role's fuzzy condition is an index condition, and only the tenant's rows come back", async () => {
    const { plan, names } = await asTenant(app, a, async (tx) => {
      // The point is whether the trigram condition *can* reach the index under RLS, not which of
      // several close plans the statistics of the moment favour: make every row read costly, so
      // the plan that reads the fewest (the trigram index, when it is allowed) always wins.
      await tx.query(`SET LOCAL enable_seqscan = off`);
      await tx.query(`SET LOCAL cpu_tuple_cost = 1`);
      const explain: { 'QUERY PLAN': string }[] = await tx.query(
        `EXPLAIN SELECT id FROM clinical.patients
          WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND search_name % $1`,
        ['ramesh kumar'],
      );
      const found: { search_name: string }[] = await tx.query(
        `SELECT search_name FROM clinical.patients
          WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND search_name % $1
          ORDER BY search_name`,
        ['ramesh kumar'],
      );
      return { plan: explain.map((r) => r['QUERY PLAN']).join('\n'), names: found.map((r) => r.search_name) };
    });
    // What RLS used to forbid is the `%` condition itself inside the index.
    expect(plan).toMatch(/Bitmap Index Scan on patients_search_name_gin_idx/);
    expect(plan).toMatch(/Index Cond: .*search_name % /);
    expect(names).toEqual(['ramesh kumaar', 'ramesh kumar']);
  });

  it("the application role's sessions use the repository's word-similarity cut-off", async () => {
    const [{ threshold }] = await app.query(
      `SELECT current_setting('pg_trgm.word_similarity_threshold') AS threshold`,
    );
    expect(Number(threshold)).toBe(NAME_MATCH_THRESHOLD);
  });

  it('another tenant searching the same name through the index sees only its own patients', async () => {
    const names = await asTenant(app, b, async (tx) => {
      await tx.query(`SET LOCAL enable_seqscan = off`);
      const found: { search_name: string }[] = await tx.query(
        `SELECT search_name FROM clinical.patients WHERE search_name % $1 ORDER BY search_name`,
        ['ramesh kumar'],
      );
      return found.map((r) => r.search_name);
    });
    expect(names).toEqual(['ramesh kumar', 'rameshwar kumar']);
  });
});
