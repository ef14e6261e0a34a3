import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { tenantId } from './dataset';
import { RequestSpec } from './load';
import { mix, registrationBody } from './workload';

/**
 * The optional HAPI FHIR JPA peer (BENCH_PEER=hapi): started by
 * infra/scripts/hapi.sh on the same box and PostgreSQL cluster (database `hapi`),
 * loaded with copies of the bench's own patients (same names, so the same
 * name queries find comparable matches), then measured on the same two jobs.
 */
const run = promisify(execFile);
const FHIR_JSON = 'application/fhir+json';

export async function startHapi(root: string): Promise<void> {
  await run('bash', [join(root, 'infra/scripts/hapi.sh'), 'start'], { cwd: root, maxBuffer: 1 << 24 });
}

/** The server JVM's pid (for the CPU meter and the memory sampler). */
export async function hapiPid(root: string): Promise<number> {
  const { stdout } = await run('bash', [join(root, 'infra/scripts/hapi.sh'), 'pid'], { cwd: root });
  return Number(stdout.trim());
}

export async function stopHapi(root: string): Promise<void> {
  await run('bash', [join(root, 'infra/scripts/hapi.sh'), 'stop'], { cwd: root, maxBuffer: 1 << 24 });
}

interface PatientRow {
  given: string | null;
  family: string | null;
  search_name: string;
  gender: string | null;
  birth_date: string | null;
  phone: string | null;
}

/** The FHIR R4 Patient for one bench row; `text` carries the full name so "given family" queries match. */
function fhirPatient(p: PatientRow): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    resourceType: 'Patient',
    name: [
      {
        text: p.search_name,
        ...(p.family ? { family: p.family } : {}),
        ...(p.given ? { given: [p.given] } : {}),
      },
    ],
  };
  if (p.gender) resource.gender = p.gender;
  if (p.birth_date) resource.birthDate = p.birth_date;
  if (p.phone) resource.telecom = [{ system: 'phone', value: p.phone, use: 'mobile' }];
  return resource;
}

async function fhir(base: string, path: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { Accept: FHIR_JSON, ...(init.body ? { 'Content-Type': FHIR_JSON } : {}) },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HAPI ${init.method ?? 'GET'} ${path.split('?')[0]}: HTTP ${res.status}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function hapiPatientCount(base: string): Promise<number> {
  const b = await fhir(base, '/Patient?_summary=count');
  return Number(b.total ?? 0);
}

export interface HapiLoadReport {
  patientsTotal: number;
  loaded: number;
  loadSeconds: number;
  bundleSize: number;
  patientsPerSecond: number | null;
}

/**
 * Tops HAPI up to `target` patients with FHIR transaction Bundles of
 * `bundleSize` Patient creates each, copying the bench tenants' rows in id
 * order (resuming past the ones already loaded). Idempotent like the dataset.
 */
export async function loadHapi(
  base: string,
  superUrl: string,
  tenants: number,
  target: number,
  bundleSize: number,
  log: (line: string) => void,
): Promise<HapiLoadReport> {
  const started = Date.now();
  const have = await hapiPatientCount(base);
  if (have >= target) {
    return { patientsTotal: have, loaded: 0, loadSeconds: 0, bundleSize, patientsPerSecond: null };
  }
  const db = new Client({ connectionString: superUrl, application_name: 'hims-bench-loader' });
  await db.connect();
  let loaded = 0;
  try {
    const ids = Array.from({ length: tenants }, (_, k) => tenantId(k + 1));
    // Keyset pages, each its own short statement: a cursor held open in one transaction for
    // the whole load (half an hour at 1M) pins the Debezium slot's restart point while
    // HAPI writes gigabytes of WAL on the same cluster, until PostgreSQL invalidates the slot.
    const COLUMNS = `tenant_id, id, name_given[1] AS given, name_family AS family, search_name, gender,
                     to_char(birth_date, CASE WHEN birth_date_approximate THEN 'YYYY' ELSE 'YYYY-MM-DD' END) AS birth_date,
                     phones[1] AS phone`;
    let after: { tenant_id: string; id: string } | undefined =
      have > 0
        ? (
            await db.query(
              `SELECT tenant_id, id FROM clinical.patients WHERE tenant_id = ANY($1::uuid[]) AND active
                ORDER BY tenant_id, id OFFSET $2 LIMIT 1`,
              [ids, have - 1],
            )
          ).rows[0]
        : undefined;
    let lastLog = Date.now();
    while (loaded < target - have) {
      const { rows } = await db.query<PatientRow & { tenant_id: string; id: string }>(
        `SELECT ${COLUMNS} FROM clinical.patients
          WHERE tenant_id = ANY($1::uuid[]) AND active AND ($2::uuid IS NULL OR (tenant_id, id) > ($2::uuid, $3::uuid))
          ORDER BY tenant_id, id LIMIT $4`,
        [ids, after?.tenant_id ?? null, after?.id ?? null, Math.min(bundleSize, target - have - loaded)],
      );
      if (rows.length === 0) break;
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: rows.map((r) => ({ resource: fhirPatient(r), request: { method: 'POST', url: 'Patient' } })),
      };
      await fhir(base, '', { method: 'POST', body: JSON.stringify(bundle) });
      loaded += rows.length;
      after = rows[rows.length - 1];
      if (Date.now() - lastLog > 15_000) {
        log(`  hapi: ${have + loaded}/${target} patients`);
        lastLog = Date.now();
      }
    }
  } finally {
    await db.end();
  }
  const loadSeconds = Math.round((Date.now() - started) / 100) / 10;
  return {
    patientsTotal: have + loaded,
    loaded,
    loadSeconds,
    bundleSize,
    patientsPerSecond: loadSeconds > 0 ? Math.round(loaded / loadSeconds) : null,
  };
}

/** POST /fhir/Patient with the same generated person the API's register scenario sends. */
export function hapiCreateSpec(seq: number, runTag: string): RequestSpec {
  const b = registrationBody(seq, runTag) as {
    name: { given: string[]; family: string };
    gender: string;
    birthDate: string;
    phones: string[];
  };
  return {
    method: 'POST',
    path: '/fhir/Patient',
    headers: { 'Content-Type': FHIR_JSON, Accept: FHIR_JSON },
    body: JSON.stringify(
      fhirPatient({
        given: b.name.given[0],
        family: b.name.family,
        search_name: `${b.name.given[0]} ${b.name.family}`,
        gender: b.gender,
        birth_date: b.birthDate,
        phone: b.phones[0],
      }),
    ),
    kind: 'register',
  };
}

/** GET /fhir/Patient?name=…&_count=20: the same queries as the API's name search, first page of 20. */
export function hapiNameSearchSpec(terms: string[], seq: number): RequestSpec {
  const q = terms[mix(seq) % terms.length];
  return {
    method: 'GET',
    path: `/fhir/Patient?name=${encodeURIComponent(q)}&_count=20`,
    headers: { Accept: FHIR_JSON },
    kind: 'search-name',
  };
}
