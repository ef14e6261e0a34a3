import type { DiscoverBody, Identifier } from './callback-bodies';

/** A patient of the tenant that shares at least one identifier with the discovery request. */
export interface MatchCandidate {
  id: string;
  mrn: string;
  gender: string;
  birth_year: number;
  abha_number: string | null;
  abha_address: string | null;
  phones: string[];
  name_score: number;
}

/** What a request's identifiers look like after normalisation (ABHA number digits, E.164 phone, lower-case address). */
export interface NormalisedIdentifiers {
  abhaAddress?: string;
  abhaNumber?: string;
  mobile?: string;
  mr?: string;
}

export type MatchOutcome =
  { kind: 'none' } | { kind: 'multiple' } | { kind: 'one'; patientId: string; matchedBy: string[] };

export const NAME_SIMILARITY_MIN = 0.3;
export const BIRTH_YEAR_TOLERANCE = 2;

/** D (undisclosed) and T (transgender) name no gender we record apart: like U, they do not filter. */
const GENDERS: Record<string, string | undefined> = { M: 'male', F: 'female', O: 'other', U: undefined };

function hits(c: MatchCandidate, ids: NormalisedIdentifiers): string[] {
  const found: string[] = [];
  if (ids.abhaAddress && c.abha_address === ids.abhaAddress) found.push('ABHA_ADDRESS');
  if (ids.abhaNumber && c.abha_number === ids.abhaNumber) found.push('ABHA_NUMBER');
  if (ids.mobile && c.phones.includes(ids.mobile)) found.push('MOBILE');
  if (ids.mr && c.mrn === ids.mr) found.push('MR');
  return found;
}

/**
 * The discovery rule of the HIP specification: at least one verified identifier
 * matches; then name (fuzzy) and gender match, and the year of birth is within
 * ±2 when given; unverified identifiers only rank the survivors. Zero or one
 * patient comes out; a tie at the top is `multiple`, never a guess.
 */
export function matchPatient(
  request: DiscoverBody['patient'],
  verified: NormalisedIdentifiers,
  unverified: NormalisedIdentifiers,
  candidates: MatchCandidate[],
): MatchOutcome {
  const wantedGender = GENDERS[request.gender];
  const ranked = candidates
    .map((c) => ({ c, verified: hits(c, verified), unverified: hits(c, unverified) }))
    .filter(({ c, verified: v }) => {
      if (v.length === 0) return false;
      if (wantedGender && c.gender !== wantedGender) return false;
      if (
        request.yearOfBirth !== undefined &&
        Math.abs(c.birth_year - request.yearOfBirth) > BIRTH_YEAR_TOLERANCE
      )
        return false;
      return c.name_score >= NAME_SIMILARITY_MIN;
    })
    .map((m) => ({ ...m, score: m.verified.length * 100 + m.unverified.length * 10 + m.c.name_score }))
    .sort((a, b) => b.score - a.score);
  if (ranked.length === 0) return { kind: 'none' };
  const top = ranked[0];
  const tied = ranked.filter(
    (r) => r.verified.length === top.verified.length && r.unverified.length === top.unverified.length,
  );
  if (tied.length > 1) return { kind: 'multiple' };
  return { kind: 'one', patientId: top.c.id, matchedBy: top.verified };
}

export function identifiersOf(
  list: Identifier[],
  normalise: (i: Identifier) => string | undefined,
): NormalisedIdentifiers {
  const out: NormalisedIdentifiers = {};
  for (const i of list) {
    const v = normalise(i);
    if (!v) continue;
    if (i.type === 'ABHA_ADDRESS') out.abhaAddress ??= v;
    if (i.type === 'ABHA_NUMBER') out.abhaNumber ??= v;
    if (i.type === 'MOBILE') out.mobile ??= v;
    if (i.type === 'MR') out.mr ??= v;
  }
  return out;
}
