import type { Client } from '@elastic/elasticsearch';
import visitIndexDefinition from './visit-index.json';

/**
 * One small document per visit in its own index (alias `visits…`, next to the
 * patients alias), built from the visit events' payloads: who attends, when,
 * and the status. No clinical content. `_id = <tenantId>:<visitId>`, external
 * version = the visit's version, so a late or repeated event never wins over
 * a newer one. The patient search reads it at query time for "seen on a day
 * by a doctor" and for each hit's last visit (docs/pipeline.md, Visits).
 */
export interface VisitDocument {
  tenantId: string;
  visitId: string;
  patientId: string;
  doctorId: string | null;
  department: string | null;
  scheduledAt: string | null;
  /** UTC day of scheduledAt (YYYY-MM-DD). */
  day: string | null;
  status: string | null;
  signed: boolean;
  version: number;
  indexedAt: string;
}

/** Statuses that mean the patient was seen (came in): FHIR Encounter arrived / in-progress / finished. */
export const SEEN_STATUSES = ['arrived', 'in-progress', 'finished'];
/** A visit that counts for "last visit": finished (a signed visit is finished). */
export const FINISHED_STATUSES = ['finished'];

/**
 * The same sets in clinical.visits spellings for the PostgreSQL fallback. Until
 * the visits API's status migration lands the table still holds the first
 * slice's values (checked_in, in_progress, signed); both are listed so the
 * fallback answers the same before and after it.
 */
export const SEEN_STATUSES_SQL = [...SEEN_STATUSES, 'checked_in', 'in_progress', 'signed'];
export const FINISHED_STATUSES_SQL = [...FINISHED_STATUSES, 'signed'];

/** The visits alias lives next to the patients alias: `patients` → `visits`, `patients-<db>` → `visits-<db>`. */
export function visitAlias(patientAlias: string): string {
  return patientAlias.startsWith('patients')
    ? `visits${patientAlias.slice('patients'.length)}`
    : `${patientAlias}-visits`;
}

/** The visits index behind its alias, when there is none. Idempotent (run by `pipeline setup`). */
export async function ensureVisitIndex(
  es: Client,
  patientAlias: string,
): Promise<{ alias: string; index: string; created: boolean }> {
  const alias = visitAlias(patientAlias);
  if (await es.indices.existsAlias({ name: alias })) {
    const [index] = Object.keys(await es.indices.getAlias({ name: alias }));
    return { alias, index, created: false };
  }
  const index = `${alias}-v1`;
  await es.indices.create({
    index,
    ...(visitIndexDefinition as object),
    aliases: { [alias]: { is_write_index: true } },
  });
  await es.cluster.health({ index, wait_for_status: 'green', timeout: '30s' });
  return { alias, index, created: true };
}
