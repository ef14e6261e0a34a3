/**
 * The care contexts a signed visit offers, one per health-information type it has (the
 * documents of @hims/visits: OP consultation always, a prescription when medicines were
 * prescribed, a wellness record when vitals were measured). Each is its own care context with
 * its own reference number, so a consent naming hiTypes releases exactly those documents.
 * Adding a type is one row in KINDS (and its document in @hims/visits).
 *
 * Reference numbers: the OP consultation keeps the bare visit id (links made before the other
 * types existed stay valid); the others are `<visit id>:<suffix>`.
 */
import {
  isVisitDocumentType,
  visitDocumentTypes,
  type Consultation,
  type VisitDocumentType,
} from '@hims/visits';

const KINDS: Record<VisitDocumentType, { suffix: string; display: string }> = {
  OPConsultation: { suffix: '', display: 'Outpatient consultation' },
  Prescription: { suffix: ':prescription', display: 'Prescription' },
  WellnessRecord: { suffix: ':vitals', display: 'Vitals' },
};

export interface CareContext {
  referenceNumber: string;
  display: string;
  hiType: string;
}

export function careContextRef(visitId: string, hiType: string): string {
  return isVisitDocumentType(hiType) ? `${visitId}${KINDS[hiType].suffix}` : visitId;
}

/** The visit and HI type a reference number names; undefined for one we never issued. */
export function parseCareContextRef(ref: string): { visitId: string; hiType: VisitDocumentType } | undefined {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(:[a-z]+)?$/i.exec(ref);
  if (!m) return undefined;
  const hiType = (Object.keys(KINDS) as VisitDocumentType[]).find((t) => KINDS[t].suffix === (m[2] ?? ''));
  return hiType ? { visitId: m[1].toLowerCase(), hiType } : undefined;
}

/** What a patient sees for one care context in the PHR app: kind, department and day; no clinical content. */
export function careContextDisplay(hiType: string, department: string, at: Date): string {
  const kind = isVisitDocumentType(hiType) ? KINDS[hiType].display : 'Outpatient consultation';
  return `${kind}, ${department}, ${at.toISOString().slice(0, 10)}`;
}

/** The care contexts of one signed visit. */
export function visitCareContexts(v: {
  id: string;
  department: string;
  scheduled_at: Date;
  content: Consultation;
}): CareContext[] {
  return visitDocumentTypes(v.content).map((hiType) => ({
    referenceNumber: careContextRef(v.id, hiType),
    display: careContextDisplay(hiType, v.department, v.scheduled_at),
    hiType,
  }));
}

/** The gateway takes at most this many care contexts in one patient entry. */
const MAX_CONTEXTS_PER_ENTRY = 20;

/**
 * The `patient` entries of on-discover and on-confirm: care contexts grouped by HI type (the v3
 * schema gives each entry one hiType), at most 20 to an entry, `count` the number in that entry.
 */
export function patientEntries(
  referenceNumber: string,
  display: string,
  contexts: readonly CareContext[],
): Record<string, unknown>[] {
  const byType = new Map<string, { referenceNumber: string; display: string }[]>();
  for (const c of contexts) {
    byType.set(c.hiType, [
      ...(byType.get(c.hiType) ?? []),
      { referenceNumber: c.referenceNumber, display: c.display },
    ]);
  }
  const entries: Record<string, unknown>[] = [];
  for (const [hiType, list] of byType) {
    for (let i = 0; i < list.length; i += MAX_CONTEXTS_PER_ENTRY) {
      const careContexts = list.slice(i, i + MAX_CONTEXTS_PER_ENTRY);
      entries.push({ referenceNumber, display, careContexts, hiType, count: careContexts.length });
    }
  }
  return entries;
}
