/**
 * Needs: the project's PostgreSQL 15, its databases set up by infra/postgres/pg.sh
 * (database-extensions.sql: pg_trgm's comparisons LEAKPROOF).
 * The free-text database fallback (PatientReader.freeText), as the application role
 * under RLS: each branch of its candidate set is capped (FREE_TEXT_CANDIDATES), so what
 * it reads and scores is bounded, not the clinic's size (the plans at 1M patients, all
 * index conditions, are in docs/patients.md; at this test's size the planner may rightly
 * prefer a filter over an index, so the plan's shape is not asserted here); it matches
 * names, MRNs in any case, emails and phone digits, and answers only the tenant's patients.
 */
import { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { FREE_TEXT_CANDIDATES, FreeTextTerms, PatientReader } from '../../libs/patients/src/patient-reader';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const FILLERS = 5000;

/** The patients module's read port on this transaction (what the search module's fallback calls). */
function reader(tx: EntityManager): PatientReader {
  return new PatientReader({
    tx: { query: (sql: string, params?: unknown[]) => tx.query(sql, params) },
  } as never);
}

const terms = (text: string, digits = ''): FreeTextTerms => ({
  text,
  nameForm: digits ? text : text.toLowerCase(),
  lower: text.toLowerCase(),
  digits,
});

describe('free-text database fallback under row-level security', () => {
  let owner: DataSource;
  let app: DataSource;
  let a: string;
  let b: string;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
    a = (await newTenant(owner, 'ftp-a')).id;
    b = (await newTenant(owner, 'ftp-b')).id;
    for (const tenant of [a, b]) {
      await asTenant(owner, tenant, async (tx) => {
        // A fixture, not a measurement: the rows' audit entries make this slow on a busy machine.
        await tx.query(`SET LOCAL statement_timeout = '300s'`);
        await tx.query(
          `INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_text, search_name, gender,
                                          birth_date, birth_year, phones, email)
           SELECT $1, 'FTP-' || n, ARRAY[g], 'person', g || ' person', lower(g) || ' person', 'female',
                  date '1990-01-01' + (n % 3000), extract(year FROM date '1990-01-01' + (n % 3000))::smallint,
                  ARRAY['+9190' || lpad(n::text, 8, '0')], 'p' || n || '@example.org'
             FROM generate_series(1, $2::int) n, LATERAL (SELECT (ARRAY['Asha', 'Arun', 'Zara', 'Meena'])[1 + n % 4] || n AS g) x`,
          [tenant, FILLERS],
        );
      });
    }
    await owner.query(`ANALYZE clinical.patients`);
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  it('takes at most FREE_TEXT_CANDIDATES candidates per branch, however many patients match', async () => {
    // Half of the clinic's names start with "a" (Asha…, Arun…); one letter matches them by prefix only.
    const matching = FILLERS / 2;
    expect(matching).toBeGreaterThan(4 * FREE_TEXT_CANDIDATES);
    const rows = await asTenant(app, a, (tx) => reader(tx).freeText(terms('a'), 1000));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(4 * FREE_TEXT_CANDIDATES);
    expect(rows.every((r) => r.tenant_id === a && r.search_name.startsWith('a'))).toBe(true);
  });

  it('finds by name, MRN, email and phone digits, only in the tenant', async () => {
    const found = (tenant: string, t: FreeTextTerms) =>
      asTenant(app, tenant, async (tx) =>
        (await reader(tx).freeText(t, 50)).map((r) => [r.tenant_id, r.mrn]),
      );
    expect(await found(a, terms('ftp-17'))).toEqual([[a, 'FTP-17']]);
    expect(await found(b, terms('P17@example.org'))).toEqual([[b, 'FTP-17']]);
    const byPhone = await found(a, terms('919000000017', '919000000017'));
    expect(byPhone).toEqual([[a, 'FTP-17']]);
    const byLetter = await found(a, terms('z'));
    expect(byLetter.length).toBe(51); // limit + 1: there is more
    expect(byLetter.every(([tenant]) => tenant === a)).toBe(true);
  });
});
