import type { SamplePatient } from './dataset';
import type { RequestSpec } from './load';

/**
 * Request builders shared by the scenarios: registration bodies, name
 * queries, tracked patients for reads and If-Match updates. Everything is
 * derived from a sequence number so runs are repeatable and cheap to build
 * (the load generator shares two cores with the API and PostgreSQL).
 */

const SYL1 = ['ra', 'su', 'ka', 'pri', 'an', 'vi', 'sa', 'ma', 'de', 'la', 'ha', 'ni', 'ja', 'go', 'shi', 'ar'];
const SYL2 = ['vi', 'ni', 'ra', 'ya', 'ma', 'sh', 'ja', 'de', 'la'];
const SYL3 = ['', 'n', 'a', 'ta', 'ya', 'sh', 'ni', 'ka', 'ra', 'l'];
const FAMILY = ['Kumar', 'Sharma', 'Iyer', 'Reddy', 'Nair', 'Das', 'Singh', 'Patel', 'Gupta', 'Rao', 'Menon', 'Pillai',
  'Joshi', 'Mehta', 'Shah', 'Verma', 'Mishra', 'Chatterjee', 'Banerjee', 'Bose', 'Ghosh', 'Naidu', 'Yadav', 'Kulkarni',
  'Deshpande', 'Patil', 'Gowda', 'Hegde', 'Shetty', 'Fernandes', 'Khan', 'Ansari', 'Mathew', 'Thomas', 'Kurian'];
const HI_GIVEN = ['राम', 'सीता', 'अनिल', 'प्रिया', 'अर्जुन', 'मीना', 'किरण', 'सुनीता'];
const HI_FAMILY = ['कुमार', 'शर्मा', 'सिंह', 'वर्मा', 'गुप्ता'];
const TA_GIVEN = ['முருகன்', 'லட்சுமி', 'கார்த்திக்', 'மீனா', 'செல்வம்'];
const TA_FAMILY = ['ராஜா', 'கண்ணன்', 'சுப்பிரமணியம்'];
const CITIES = ['Pune', 'Chennai', 'Bengaluru', 'Kochi', 'Jaipur', 'Lucknow', 'Indore', 'Nagpur', 'Mysuru', 'Surat'];

/** A cheap deterministic hash (xorshift-multiply) so choices look random but repeat across runs. */
export function mix(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const pick = <T>(xs: readonly T[], n: number) => xs[mix(n) % xs.length];

/** A unique, valid POST /api/v1/patients body (allowDuplicate: same-name-and-birth-date look-alikes are expected). */
export function registrationBody(seq: number, runTag: string): Record<string, unknown> {
  const h = mix(seq);
  const script = h % 100;
  const given =
    script < 8
      ? pick(HI_GIVEN, seq)
      : script < 12
        ? pick(TA_GIVEN, seq)
        : (pick(SYL1, seq + 1) + pick(SYL2, seq + 2) + pick(SYL3, seq + 3)).replace(/^./, (c) => c.toUpperCase());
  const family = script < 8 ? pick(HI_FAMILY, seq + 4) : script < 12 ? pick(TA_FAMILY, seq + 4) : pick(FAMILY, seq + 4);
  const year = 1930 + (mix(seq + 5) % 95);
  const birthDate =
    mix(seq + 6) % 20 === 0
      ? String(year)
      : `${year}-${String(1 + (mix(seq + 7) % 12)).padStart(2, '0')}-${String(1 + (mix(seq + 8) % 28)).padStart(2, '0')}`;
  const body: Record<string, unknown> = {
    name: { given: [given], family },
    gender: mix(seq + 9) % 2 ? 'female' : 'male',
    birthDate,
    phones: [`0${9000000000 + (mix(seq + 10) % 999999999)}`],
    allowDuplicate: true,
  };
  if (mix(seq + 11) % 5 === 0) body.abhaAddress = `bx${runTag}${seq.toString(36).padStart(6, '0')}@sbx`;
  if (mix(seq + 12) % 3 === 0) {
    body.address = { lines: [`${1 + (mix(seq + 13) % 300)} Main Road`], city: pick(CITIES, seq + 14), country: 'IN' };
  }
  return body;
}

/** Swaps two neighbouring letters of the first word (a typing slip the trigram search should forgive). */
function typo(word: string): string {
  const cs = [...word];
  // Latin only: swapping an Indic vowel sign or virama makes an unwritable string, not a typo.
  if (cs.length < 5 || !/^[a-z]+$/.test(word)) return word;
  const k = 2 + (mix(cs.length) % (cs.length - 3));
  [cs[k], cs[k + 1]] = [cs[k + 1], cs[k]];
  return cs.join('');
}

/**
 * Name queries as a front desk types them, from real rows: the start of the
 * given name (35 %), the full name (30 %), given name + start of the family
 * name (20 %), a full name with a typo (15 %). Unique, at least 2 characters.
 */
export function nameQueries(samples: SamplePatient[], max = 400): string[] {
  const out = new Set<string>();
  samples.forEach((s, k) => {
    if (out.size >= max) return;
    const [first, ...rest] = s.searchName.split(' ');
    const r = mix(k) % 100;
    let q: string;
    if (r < 35) q = [...first].slice(0, Math.max(3, Math.min(5, [...first].length))).join('');
    else if (r < 65) q = s.searchName;
    else if (r < 85) q = `${first} ${[...(rest[0] ?? '')].slice(0, 2).join('')}`.trim();
    else q = [typo(first), ...rest].join(' ');
    if ([...q].length >= 2) out.add(q);
  });
  return [...out];
}

export function patchBody(seq: number): Record<string, unknown> {
  return seq % 2
    ? { address: { lines: [`${1 + (mix(seq) % 300)} Station Road`], city: pick(CITIES, seq), country: 'IN' } }
    : { phones: [`0${9000000000 + (mix(seq + 1) % 999999999)}`] };
}

/** A PostgreSQL text[] literal (for pgbench -D variables). */
export function pgTextArray(xs: string[]): string {
  return `{${xs.map((x) => `"${x.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

export interface Tokens {
  /** tokens[tenantIndex - 1][k]: one access token per role of the tenant. */
  byTenant: string[][];
  ids: string[];
}

export function authHeaders(tokens: Tokens, tenant: number, seq: number, json = false): Record<string, string> {
  const t = tokens.byTenant[tenant - 1];
  return {
    Authorization: `Bearer ${t[seq % t.length]}`,
    'X-Tenant-ID': tokens.ids[tenant - 1],
    ...(json ? { 'Content-Type': 'application/json' } : {}),
  };
}

/**
 * Patients whose versions the mixed load tracks so every PATCH carries a
 * current If-Match. A patient is checked out while its update is in flight
 * (two updates of one patient would make one of them a 412 by design).
 */
export class TrackedPatients {
  private readonly free: SamplePatient[];

  constructor(samples: SamplePatient[]) {
    this.free = [...samples];
  }

  take(seq: number): SamplePatient | undefined {
    if (this.free.length === 0) return undefined;
    const k = mix(seq) % this.free.length;
    const p = this.free[k];
    this.free[k] = this.free[this.free.length - 1];
    this.free.pop();
    return p;
  }

  give(p: SamplePatient): void {
    this.free.push(p);
  }
}

export function patchSpec(p: SamplePatient, seq: number, tokens: Tokens): RequestSpec {
  return {
    method: 'PATCH',
    path: `/api/v1/patients/${p.id}`,
    headers: { ...authHeaders(tokens, p.tenant, seq, true), 'If-Match': `"${p.version}"` },
    body: JSON.stringify(patchBody(seq)),
    tag: p,
    kind: 'update',
  };
}
