import type { Client } from '@elastic/elasticsearch';
import { createHash } from 'node:crypto';
import { FINISHED_STATUSES, SEEN_STATUSES } from './visit-document';

/** "Seen on a day by a doctor": the filter the patient search accepts instead of free text. */
export interface SeenFilter {
  doctorId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
}

/** A doctor's patients of one day are tens, not thousands; more than this is cut (documented). */
export const MAX_SEEN_PATIENTS = 1000;

/** sha256 of tenant, doctor and day: the audit trail's queryHash for a seen-by search (and the cursor binding). */
export function seenHash(tenantId: string, f: SeenFilter): string {
  return createHash('sha256').update(`${tenantId}\u001fseen\u001f${f.doctorId}\u001f${f.day}`).digest('hex');
}

/** Ids of the tenant's patients with a visit the doctor saw on the day (visits index). */
export async function seenPatientIds(
  es: Client,
  alias: string,
  tenantId: string,
  f: SeenFilter,
): Promise<string[]> {
  const res = await es.search({
    index: alias,
    size: 0,
    track_total_hits: false,
    query: {
      bool: {
        filter: [
          { term: { tenantId } },
          { term: { doctorId: f.doctorId } },
          { term: { day: f.day } },
          { terms: { status: SEEN_STATUSES } },
        ],
      },
    },
    aggs: { patients: { terms: { field: 'patientId', size: MAX_SEEN_PATIENTS } } },
  });
  const aggs = res.aggregations as { patients?: { buckets?: { key: string }[] } } | undefined;
  return (aggs?.patients?.buckets ?? []).map((b) => b.key);
}

/**
 * The latest finished visit per patient (of the given ones), from the visits index.
 * A missing visits index (a stack not yet set up again) means no last visits, not a failed search.
 */
export async function lastVisitsFromIndex(
  es: Client,
  alias: string,
  tenantId: string,
  patientIds: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (patientIds.length === 0) return out;
  const res = await es.search({
    index: alias,
    ignore_unavailable: true,
    size: 0,
    track_total_hits: false,
    query: {
      bool: {
        filter: [
          { term: { tenantId } },
          { terms: { patientId: patientIds } },
          { terms: { status: FINISHED_STATUSES } },
        ],
      },
    },
    aggs: {
      patients: {
        terms: { field: 'patientId', size: patientIds.length },
        aggs: { last: { max: { field: 'scheduledAt' } } },
      },
    },
  });
  const aggs = res.aggregations as
    { patients?: { buckets?: { key: string; last?: { value: number | null } }[] } } | undefined;
  for (const b of aggs?.patients?.buckets ?? []) {
    if (b.last?.value != null) out.set(b.key, new Date(b.last.value).toISOString());
  }
  return out;
}
