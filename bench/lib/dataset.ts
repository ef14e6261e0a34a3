import { Client } from 'pg';
import { PasswordHasher } from '../../libs/auth/src/password-hasher';

/**
 * The benchmark's synthetic clinics: BENCH_TENANTS tenants (slug bench-01,
 * bench-02, …) with fixed, recognisable ids, one user per role each (same
 * known password), and BENCH_PATIENTS patients spread evenly over them.
 *
 * Patients are loaded with one INSERT … SELECT generate_series per tenant as
 * the cluster superuser with `SET LOCAL session_replication_role = replica`:
 * ordinary triggers (the row-audit triggers) and foreign-key checks are
 * skipped for the synthetic rows only, so a million loaded rows do not add a
 * million audit entries to the tenants' hash chains (the chains stay valid:
 * they simply do not mention the synthetic rows). No outbox rows are written
 * either, so Elasticsearch is rebuilt from PostgreSQL afterwards
 * (`pipeline reindex --all`). Idempotent: a tenant that already holds its
 * share is left alone; a short one is topped up, continuing its MRN counter.
 */

export const ROLES = ['receptionist', 'doctor', 'nurse', 'tenant_admin'] as const;
export type BenchRole = (typeof ROLES)[number];

/** Fixed ids, so pgbench scripts can name a tenant and its users from a number. */
export const tenantId = (i: number) => `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
export const userId = (i: number, role: BenchRole) =>
  `b${ROLES.indexOf(role) + 1}000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
export const slugOf = (i: number) => `bench-${String(i).padStart(2, '0')}`;
export const emailOf = (i: number, role: BenchRole) => `${role.replace('_', '-')}@${slugOf(i)}.bench`;

export interface BenchTenant {
  index: number;
  id: string;
  slug: string;
  patients: number;
}

export interface SamplePatient {
  tenant: number;
  id: string;
  version: number;
  phone: string | null;
  searchName: string;
  given: string | null;
  family: string | null;
}

export interface DatasetReport {
  tenants: BenchTenant[];
  patientsTotal: number;
  loaded: number;
  loadSeconds: number;
  usersCreated: number;
}

/** One tenant's synthetic patients (adapted from bench/sql/generate-patients.sql). */
const GENERATE = `
WITH base AS (SELECT $2::bigint AS start),
pool AS (
  SELECT ARRAY['ra','su','ka','pri','an','vi','sa','ma','de','la','ha','ni','ja','go','shi','ar'] AS s1,
         ARRAY['vi','ni','ra','ya','ma','sh','ja','de','la'] AS s2,
         ARRAY['','n','a','ta','ya','sh','ni','ka','ra','l'] AS s3,
         ARRAY['Kumar','Sharma','Iyer','Reddy','Nair','Das','Singh','Patel','Gupta','Rao','Menon','Pillai','Joshi',
               'Mehta','Shah','Verma','Mishra','Chatterjee','Banerjee','Mukherjee','Bose','Ghosh','Naidu','Yadav',
               'Chauhan','Thakur','Pandey','Tiwari','Dubey','Saxena','Kapoor','Malhotra','Khanna','Bhatia','Arora',
               'Sethi','Kulkarni','Deshpande','Patil','Pawar','Jadhav','Gowda','Hegde','Shetty','Kamath','Pai',
               'Fernandes','DSouza','Pereira','Khan','Ansari','Siddiqui','Qureshi','Sheikh','Mathew','Thomas',
               'Varghese','Kurian','Sen','Dutta'] AS fam,
         ARRAY['राम','सीता','अनिल','प्रिया','अर्जुन','मीना','किरण','सुनीता','राजेश','पूजा'] AS hi_given,
         ARRAY['कुमार','शर्मा','सिंह','वर्मा','गुप्ता','यादव'] AS hi_fam,
         ARRAY['முருகன்','லட்சுமி','கார்த்திக்','மீனா','செல்வம்','பிரியா'] AS ta_given,
         ARRAY['செல்வம்','ராஜா','சுப்பிரமணியம்','கண்ணன்'] AS ta_fam
),
gen AS (
  SELECT i, b.start + i AS n, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
         random() AS r5, random() AS r6, random() AS r7, p.*
    FROM generate_series(1, $3::int) i CROSS JOIN base b CROSS JOIN pool p
),
named AS (
  SELECT g.*,
         CASE WHEN r1 < 0.08 THEN hi_given[1 + floor(r2 * 10)::int]
              WHEN r1 < 0.12 THEN ta_given[1 + floor(r2 * 6)::int]
              ELSE initcap(s1[1 + floor(r2 * 16)::int] || s2[1 + floor(r3 * 9)::int] || s3[1 + floor(r4 * 10)::int]) END AS given,
         CASE WHEN r1 < 0.08 THEN hi_fam[1 + floor(r5 * 6)::int]
              WHEN r1 < 0.12 THEN ta_fam[1 + floor(r5 * 4)::int]
              ELSE fam[1 + floor(r5 * 60)::int] END AS family,
         date '1930-01-01' + floor(r6 * 34675)::int AS dob,
         now() - (r6 * interval '3 years') AS created
    FROM gen g
)
INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_text, search_name, gender, birth_date,
                               birth_year, birth_date_approximate, phones, abha_number, abha_address, created_at, updated_at)
SELECT $1::uuid,
       'MRN-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END,
       ARRAY[given], family, given || ' ' || family, lower(given || ' ' || family),
       (ARRAY['male','female','other','unknown'])[CASE WHEN r7 < 0.49 THEN 1 WHEN r7 < 0.98 THEN 2 WHEN r7 < 0.99 THEN 3 ELSE 4 END],
       CASE WHEN r3 < 0.05 THEN NULL ELSE dob END,
       extract(year FROM dob)::smallint,
       r3 < 0.05,
       CASE WHEN r4 < 0.15 THEN ARRAY['+91' || (6000000000 + n * 7919 % 3999999999)::text, '+91' || (9000000000 + n)::text]
            ELSE ARRAY['+91' || (6000000000 + n * 7919 % 3999999999)::text] END,
       CASE WHEN r2 < 0.33 THEN lpad((10000000000000 + n * 104729 % 89999999999999)::text, 14, '0') END,
       CASE WHEN r5 < 0.25 THEN 'bench' || lpad(n::text, 7, '0') || '@sbx' END,
       created, created
  FROM named`;

/** Even split: the first (total mod tenants) tenants get one more. */
export function shareOf(total: number, tenants: number, i: number): number {
  return Math.floor(total / tenants) + (i <= total % tenants ? 1 : 0);
}

export async function ensureDataset(
  superUrl: string,
  opts: { tenants: number; patients: number; password: string; log: (line: string) => void },
): Promise<DatasetReport> {
  const db = new Client({ connectionString: superUrl, application_name: 'hims-bench-loader' });
  await db.connect();
  const hasher = new PasswordHasher();
  let hash: string | undefined;
  let usersCreated = 0;
  let loaded = 0;
  const started = performance.now();
  try {
    await db.query(`SET statement_timeout = 0`);
    const tenants: BenchTenant[] = [];
    for (let i = 1; i <= opts.tenants; i++) {
      const id = tenantId(i);
      const slug = slugOf(i);
      const clash = await db.query(`SELECT id FROM core.tenants WHERE slug = $1 AND id <> $2`, [slug, id]);
      if (clash.rows[0])
        throw new Error(`tenant slug ${slug} exists with another id (${clash.rows[0].id}); remove it`);
      await db.query('BEGIN');
      await db.query(`SELECT set_config('app.current_tenant', $1, true)`, [id]);
      await db.query(
        `INSERT INTO core.tenants (id, slug, name, settings) VALUES ($1, $2, $3, '{"defaultRegion": "IN"}')
         ON CONFLICT (id) DO UPDATE SET status = 'active' WHERE core.tenants.status <> 'active'`,
        [id, slug, `Benchmark clinic ${slug}`],
      );
      for (const role of ROLES) {
        const existing = await db.query(
          `SELECT password_hash FROM core.users WHERE tenant_id = $1 AND id = $2`,
          [id, userId(i, role)],
        );
        if (existing.rows[0] && (await hasher.verify(existing.rows[0].password_hash, opts.password)))
          continue;
        hash ??= await hasher.hash(opts.password); // argon2 once, shared by every bench user
        await db.query(
          `INSERT INTO core.users (tenant_id, id, email, display_name, password_hash, roles, status)
           VALUES ($1, $2, $3, $4, $5, ARRAY[$6], 'active')
           ON CONFLICT (tenant_id, id) DO UPDATE SET password_hash = excluded.password_hash, status = 'active'`,
          [id, userId(i, role), emailOf(i, role), `Bench ${role}`, hash, role],
        );
        usersCreated++;
      }
      await db.query('COMMIT');

      const want = shareOf(opts.patients, opts.tenants, i);
      const have = Number(
        (await db.query(`SELECT count(*) AS n FROM clinical.patients WHERE tenant_id = $1`, [id])).rows[0].n,
      );
      if (have < want) {
        const t0 = performance.now();
        await db.query('BEGIN');
        await db.query(`SET LOCAL session_replication_role = replica`);
        await db.query(`SET LOCAL synchronous_commit = off`);
        await db.query(`SELECT set_config('app.current_tenant', $1, true)`, [id]);
        await db.query(`SELECT setseed($1)`, [((i * 7919) % 1000) / 1000]);
        const start = Number(
          (
            await db.query(
              `SELECT greatest(
                 coalesce((SELECT last_value FROM clinical.mrn_counters WHERE tenant_id = $1), 0),
                 coalesce((SELECT max(substr(mrn, 5)::bigint) FROM clinical.patients
                            WHERE tenant_id = $1 AND mrn ~ '^MRN-\\d+$'), 0)) AS start`,
              [id],
            )
          ).rows[0].start,
        );
        await db.query(GENERATE, [id, start, want - have]);
        // Later registrations through the API continue after the synthetic MRNs.
        await db.query(
          `INSERT INTO clinical.mrn_counters AS c (tenant_id, last_value) VALUES ($1, $2)
           ON CONFLICT (tenant_id) DO UPDATE SET last_value = greatest(c.last_value, excluded.last_value)`,
          [id, start + want - have],
        );
        // A tenant that has registered through the API already has its MRN sequence: move it on too.
        await db.query(
          `SELECT setval(to_regclass('clinical.mrn_' || replace($1::text, '-', '')), $2::bigint)`,
          [id, start + want - have],
        );
        await db.query('COMMIT');
        loaded += want - have;
        opts.log(
          `  ${slug}: loaded ${want - have} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
      tenants.push({ index: i, id, slug, patients: Math.max(have, want) });
    }
    if (loaded > 0) {
      opts.log('  ANALYZE clinical.patients');
      await db.query(`ANALYZE clinical.patients`);
    }
    return {
      tenants,
      patientsTotal: tenants.reduce((a, t) => a + t.patients, 0),
      loaded,
      loadSeconds: Math.round((performance.now() - started) / 100) / 10,
      usersCreated,
    };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}

/** Random existing patients per tenant (ids, versions, phones, names) for reads, updates and queries. */
export async function samplePatients(
  superUrl: string,
  tenants: number,
  perTenant: number,
): Promise<SamplePatient[]> {
  const db = new Client({ connectionString: superUrl, application_name: 'hims-bench-loader' });
  await db.connect();
  try {
    const out: SamplePatient[] = [];
    for (let i = 1; i <= tenants; i++) {
      const { rows } = await db.query(
        `(SELECT id, version, phones[1] AS phone, search_name, name_given[1] AS given, name_family
            FROM clinical.patients WHERE tenant_id = $1 AND active AND id >= gen_random_uuid() ORDER BY id LIMIT $2)
         UNION ALL
         (SELECT id, version, phones[1], search_name, name_given[1], name_family
            FROM clinical.patients WHERE tenant_id = $1 AND active ORDER BY id LIMIT $2)
         LIMIT $2`,
        [tenantId(i), perTenant],
      );
      for (const r of rows) {
        out.push({
          tenant: i,
          id: r.id,
          version: r.version,
          phone: r.phone,
          searchName: r.search_name,
          given: r.given,
          family: r.name_family,
        });
      }
    }
    return out;
  } finally {
    await db.end();
  }
}

/** Patients of the bench tenants per source, to decide whether Elasticsearch needs a rebuild. */
export async function countBenchPatients(superUrl: string, tenants: number): Promise<number> {
  const db = new Client({ connectionString: superUrl });
  await db.connect();
  try {
    const ids = Array.from({ length: tenants }, (_, k) => tenantId(k + 1));
    const { rows } = await db.query(
      `SELECT count(*) AS n FROM clinical.patients WHERE tenant_id = ANY($1::uuid[]) AND active`,
      [ids],
    );
    return Number(rows[0].n);
  } finally {
    await db.end();
  }
}
