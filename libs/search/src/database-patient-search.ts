import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { ProblemException } from '@hims/errors';
import { PatientReader, PatientRow, PatientSearchCriteria, PatientsService } from '@hims/patients';
import { PatientSearchItem, itemFromRow } from './patient-document';
import type { FreeTextKey, ParsedQuery } from './search-query';
import { FINISHED_STATUSES_SQL, SEEN_STATUSES_SQL } from './visit-document';
import type { SeenFilter } from './visit-search';

export interface DatabasePage {
  items: PatientSearchItem[];
  /** Paging state for the next page: the patients module's cursor, or the free-text query's keyset. */
  next: { c: string } | { k: FreeTextKey } | null;
}

/**
 * PostgreSQL answer to the same free text, used when Elasticsearch is
 * unavailable or behind. Runs in the request transaction, so RLS limits it
 * to the caller's tenant.
 *
 * The free text is read as the one criterion it looks like (ABHA number or
 * address, phone, MRN, else a name) and answered by the patients module's
 * own search (PatientsService.search: phone normalised with the clinic's
 * region, trigram + word-prefix name ranking), without its audit entry: the
 * search service records one entry per search for either source. Text the
 * patients module would refuse (e.g. a single letter) is answered by a
 * free-text query over the same columns instead.
 */
@Injectable()
export class DatabasePatientSearch {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly patients: PatientsService,
    private readonly reader: PatientReader,
  ) {}

  async search(q: ParsedQuery, limit: number, page: { c?: string; k?: FreeTextKey } = {}): Promise<DatabasePage> {
    const criterion = page.k === undefined ? criterionFor(q) : undefined;
    if (criterion) {
      try {
        const res = await this.patients.search(
          { ...criterion, limit, ...(page.c ? { cursor: page.c } : {}) },
          { audit: false },
        );
        return {
          items: res.items.map((r) => itemFromRow(r, r.score)),
          next: res.nextCursor ? { c: res.nextCursor } : null,
        };
      } catch (err) {
        if (!(err instanceof ProblemException) || err.kind !== 'validation' || page.c) throw err;
      }
    }
    return this.freeText(q, limit, page.k);
  }

  /** The free-text query, keyset-paged on (score desc, id). */
  private async freeText(q: ParsedQuery, limit: number, after?: FreeTextKey): Promise<DatabasePage> {
    const digits = q.digits && q.digits.length >= 6 ? q.digits : '';
    const rows = await this.reader.freeText(
      { text: q.text, nameForm: q.nameForm, lower: q.lower, digits },
      limit,
      after ? { score: after[0], id: after[1] } : undefined,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => itemFromRow(r, Number(r.score))),
      next: rows.length > limit ? { k: [Number(last.score), last.id] } : null,
    };
  }

  /**
   * Active patients with a visit the doctor saw on the UTC day (same statuses as
   * the visits index), by patient id, offset paging.
   */
  async seenBy(
    f: SeenFilter,
    limit: number,
    offset: number,
  ): Promise<{ items: PatientSearchItem[]; more: boolean }> {
    const rows: PatientRow[] = await this.reader.seenBy(f.doctorId, f.day, SEEN_STATUSES_SQL, limit, offset);
    return { items: rows.slice(0, limit).map((r) => itemFromRow(r, null)), more: rows.length > limit };
  }

  /** The latest finished visit per patient (of the given ones), from clinical.visits. */
  async lastVisits(patientIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (patientIds.length === 0) return out;
    const rows: { patient_id: string; last: Date }[] = await (this.txHost as TxHost).tx.query(
      `SELECT v.patient_id, max(v.scheduled_at) AS last FROM clinical.visits v
        WHERE v.patient_id = ANY($1::uuid[]) AND v.status = ANY($2)
        GROUP BY v.patient_id`,
      [patientIds, FINISHED_STATUSES_SQL],
    );
    for (const r of rows) out.set(r.patient_id, new Date(r.last).toISOString());
    return out;
  }

  /** Newest change of the tenant's patients, to tell whether the index is behind. */
  watermark(): Promise<{ latestMs: number | null; nowMs: number }> {
    return this.reader.latestChange();
  }
}

/** The single structured criterion free text most likely means. */
export function criterionFor(
  q: ParsedQuery,
): Pick<PatientSearchCriteria, 'name' | 'phone' | 'abha' | 'mrn'> | undefined {
  if (q.digits && q.digits.length === 14) return { abha: q.digits };
  if (/^[a-z0-9._]+@[a-z]+$/.test(q.lower)) return { abha: q.lower };
  if (q.digits && q.digits.length >= 7 && q.digits.length <= 15) return { phone: q.text };
  if (/^[a-z]{2,5}-?\d{3,}$/i.test(q.text)) return { mrn: q.text };
  if (q.nameForm.length >= 2 && q.nameForm.length <= 100) return { name: q.text };
  return undefined;
}
