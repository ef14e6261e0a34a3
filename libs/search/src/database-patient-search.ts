import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { ProblemException } from '@hims/errors';
import { auditAppendSql } from '@hims/audit';
import { LATEST_CHANGE_MS_SQL, PatientReader, PatientRow, PatientSearchCriteria, PatientsService } from '@hims/patients';
import { PatientSearchItem, itemFromRow } from './patient-document';
import type { FreeTextKey, ParsedQuery } from './search-query';
import { FINISHED_STATUSES_SQL, SEEN_STATUSES_SQL } from './visit-document';
import type { SeenFilter } from './visit-search';

/** The request's tenant, as core.begin_request set it for the transaction. */
const CURRENT_TENANT = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;

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

  /**
   * The freshness check of an Elasticsearch answer and, only when it passes, the
   * search's audit entry, in one statement (one round trip instead of two). Fresh =
   * the tenant has no change the index lacks, or the index's newest change
   * (`indexedMs`, from the search's aggregation) is within `maxLagMs` of the
   * database's clock. When it fails nothing is written: the caller answers from
   * PostgreSQL and records that answer's entry instead.
   */
  async auditIfFresh(indexedMs: number | null, maxLagMs: number, details: Record<string, unknown>): Promise<boolean> {
    const rows: { fresh: boolean; appended: number }[] = await (this.txHost as TxHost).tx.query(
      `WITH w AS (SELECT ${LATEST_CHANGE_MS_SQL} AS latest, (extract(epoch FROM now()) * 1000)::float8 AS now),
            f AS (SELECT w.latest IS NULL
                         OR ($1::float8 IS NOT NULL AND w.latest <= $1::float8)
                         OR w.now - coalesce($1::float8, 0) <= $2::float8 AS fresh
                    FROM w),
            a AS (SELECT ${auditAppendSql(CURRENT_TENANT, "'search'", "'patient'", 'NULL', '$3::jsonb')} AS entry
                    FROM f WHERE f.fresh)
       SELECT f.fresh, (SELECT count(*) FROM a)::int AS appended FROM f`,
      [indexedMs, maxLagMs, JSON.stringify(details)],
    );
    const row = rows[0];
    if (row?.fresh && Number(row.appended) !== 1) throw new Error('search audit entry was not appended');
    return row?.fresh === true;
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
