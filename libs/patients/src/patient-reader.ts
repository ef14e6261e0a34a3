import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import type { PatientRow } from './patient.model';

/** Every column of clinical.patients a PatientRow holds; `birth_date` as text so no time zone shifts it. */
export const PATIENT_COLUMNS = `tenant_id, id, mrn, name_given, name_family, name_prefix, name_text, search_name, gender,
  birth_date::text AS birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number,
  abha_address, active, deceased, version, created_at, updated_at, created_by, updated_by`;

/** PATIENT_COLUMNS of a table aliased `p`. */
export const PATIENT_COLUMNS_OF_P = PATIENT_COLUMNS.split(',')
  .map((c) => `p.${c.trim()}`)
  .join(', ');

/**
 * The newest change (epoch ms, or NULL) of the current tenant's patients, as a scalar
 * SQL expression, so a caller can fold it into a statement of its own (search's
 * freshness check shares one with the search's audit entry). Tenant named explicitly
 * (RLS alone would not steer the planner) so this is one backward step on
 * patients_tenant_updated_at_idx, not a scan of the clinic.
 */
export const LATEST_CHANGE_MS_SQL = `(SELECT floor(extract(epoch FROM p.updated_at) * 1000)::float8
    FROM clinical.patients p
   WHERE p.tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid
   ORDER BY p.updated_at DESC LIMIT 1)`;

/** Anything that runs SQL: the request transaction, or an owner connection's transaction. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** How free text is compared (search's parseQuery): the text, its name form, lower-cased, digits. */
export interface FreeTextTerms {
  text: string;
  nameForm: string;
  lower: string;
  /** Six digits or more, else ''. */
  digits: string;
}

/** Most candidates one branch of the free-text query contributes (so most rows it scores: 4×). */
export const FREE_TEXT_CANDIDATES = 200;

/** The smallest string greater than every string starting with `prefix` (C collation). */
export function prefixUpperBound(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop()!;
  return chars.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

/**
 * The patients module's read port for other modules (search indexing and the
 * search module's database fallback). Rows of clinical.patients, in the caller's
 * tenant transaction (row-level security as always), without an audit entry:
 * callers that read on a person's behalf record their own (search), the indexer
 * reads for the system. The registry's own audited reads are PatientsRepository's.
 */
@Injectable()
export class PatientReader extends TxRepository {
  /** One patient of the current tenant (undefined if none or another tenant's). */
  async byId(id: string): Promise<PatientRow | undefined> {
    const rows = (await this.tx.query(`SELECT ${PATIENT_COLUMNS} FROM clinical.patients WHERE id = $1`, [
      id,
    ])) as PatientRow[];
    return rows[0];
  }

  /**
   * A page of the tenant's patients in id order after `after`, optionally only those changed
   * since a time; on any query runner (the reindex runs as the owner, in its own tenant transaction).
   */
  static async pageInIdOrder(
    q: Queryable,
    after: string,
    since: Date | null,
    limit: number,
  ): Promise<PatientRow[]> {
    return (await q.query(
      `SELECT ${PATIENT_COLUMNS} FROM clinical.patients
        WHERE id > $1 AND ($2::timestamptz IS NULL OR updated_at >= $2)
        ORDER BY id LIMIT ${Math.trunc(limit)}`,
      [after, since],
    )) as PatientRow[];
  }

  /**
   * Free text against active patients: a name starting with the text (C-collation
   * btree range) or trigram-similar to it (GIN, `%` / `<%`), exact MRN, ABHA address
   * or number, email, or a phone whose E.164 digits start with the digits. Exact
   * identifiers score 2, names their similarity.
   *
   * Bounded at any clinic size: each branch is an index condition (only leakproof
   * operators on indexed columns, so RLS lets them into the index scan, see
   * docs/security.md) with a LIMIT of FREE_TEXT_CANDIDATES; only those candidates are
   * scored. Pages are a keyset on (score desc, id) over that candidate set
   * (`limit + 1` rows tell whether there is more).
   */
  async freeText(
    t: FreeTextTerms,
    limit: number,
    after?: { score: number; id: string },
  ): Promise<(PatientRow & { score: number })[]> {
    const tenant = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;
    const phone = (i: number) => `(phones[${i}] COLLATE "C" >= $6 AND phones[${i}] COLLATE "C" < $7)`;
    return (await this.tx.query(
      `WITH candidates AS (
         (SELECT id FROM clinical.patients
           WHERE tenant_id = ${tenant} AND active AND $1 <> ''
             AND search_name COLLATE "C" >= $1 AND search_name COLLATE "C" < $4
           ORDER BY search_name COLLATE "C" LIMIT $8)
         UNION
         (SELECT id FROM clinical.patients
           WHERE tenant_id = ${tenant} AND active AND $1 <> '' AND (search_name % $1 OR $1 <% search_name)
           LIMIT $8)
         UNION
         (SELECT id FROM clinical.patients
           WHERE tenant_id = ${tenant} AND active
             AND (mrn = ANY($5) OR abha_address = $2 OR email = ANY($5) OR ($3 <> '' AND abha_number = $3))
           LIMIT $8)
         UNION
         (SELECT id FROM clinical.patients
           WHERE tenant_id = ${tenant} AND active AND $3 <> '' AND (${phone(1)} OR ${phone(2)} OR ${phone(3)})
           LIMIT $8)
       ), ranked AS (
         SELECT p.*,
                CASE WHEN lower(p.mrn) = $2 OR p.abha_address = $2 OR ($3 <> '' AND p.abha_number = $3) THEN 2.0
                     ELSE greatest(similarity(p.search_name, $1), word_similarity($1, p.search_name))::float8 END AS score
           FROM candidates c JOIN clinical.patients p ON p.tenant_id = ${tenant} AND p.id = c.id
       )
       SELECT ${PATIENT_COLUMNS}, score FROM ranked
        WHERE $10::float8 IS NULL OR score < $10::float8 OR (score = $10::float8 AND id > $11::uuid)
        ORDER BY score DESC, id
        LIMIT $9`,
      [
        t.nameForm,
        t.lower,
        t.digits,
        t.nameForm ? prefixUpperBound(t.nameForm) : '',
        // MRNs and emails as typed, upper- and lower-cased: equality keeps the index usable under RLS.
        [...new Set([t.text, t.text.toUpperCase(), t.lower])],
        t.digits ? `+${t.digits}` : '',
        t.digits ? prefixUpperBound(`+${t.digits}`) : '',
        FREE_TEXT_CANDIDATES,
        limit + 1,
        after?.score ?? null,
        after?.id ?? null,
      ],
    )) as (PatientRow & { score: number })[];
  }

  /**
   * Active patients with a visit by this doctor on the UTC day in one of the statuses, by id,
   * offset paging (`limit + 1` rows). Reads clinical.visits' tenant_id, patient_id,
   * attending_doctor_id, scheduled_at and status only.
   */
  async seenBy(
    doctorId: string,
    day: string,
    statuses: string[],
    limit: number,
    offset: number,
  ): Promise<PatientRow[]> {
    return (await this.tx.query(
      `SELECT ${PATIENT_COLUMNS_OF_P} FROM clinical.patients p
        WHERE p.active
          AND EXISTS (SELECT 1 FROM clinical.visits v
                       WHERE v.tenant_id = p.tenant_id AND v.patient_id = p.id
                         AND v.attending_doctor_id = $1
                         AND v.scheduled_at >= $2::date::timestamp AT TIME ZONE 'UTC'
                         AND v.scheduled_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
                         AND v.status = ANY($3))
        ORDER BY p.id
        LIMIT $4 OFFSET $5`,
      [doctorId, day, statuses, limit + 1, offset],
    )) as PatientRow[];
  }
}
