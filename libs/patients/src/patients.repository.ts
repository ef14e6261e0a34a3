import { Injectable } from '@nestjs/common';
import { auditAppendSql } from '@hims/audit';
import { TxRepository } from '@hims/database';
import { outboxInsertSql } from '@hims/events';
import { DuplicateMatch, PatientRow, PatientSearchTerms, PatientValues } from './patient.model';
import { PATIENT_COLUMNS, PATIENT_COLUMNS_OF_P, prefixUpperBound } from './patient-reader';

const COLUMNS = PATIENT_COLUMNS;

const CURRENT_TENANT = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;
const COLUMNS_OF_P = PATIENT_COLUMNS_OF_P;
const CURRENT_USER = `NULLIF(current_setting('app.current_user', true), '')::uuid`;

/** Name similarity (pg_trgm) at or above which a same-birth-date record is a likely duplicate. */
export const DUPLICATE_NAME_SIMILARITY = 0.6;
/** Fuzzy matches need at least this word similarity (pg_trgm) between the query and the name. */
export const NAME_MATCH_THRESHOLD = 0.4;
/** A name search takes at most this many prefix matches; if fewer, every name at least NAME_MATCH_THRESHOLD similar. */
export const NAME_CANDIDATE_WINDOW = 100;

/**
 * `phones` holds at most 3 numbers, each position indexed with a btree on
 * (tenant_id, phones[i]): `=`/`= ANY` on text is leakproof, so the indexes
 * work under row-level security (array @> and && would not).
 */
function phoneMatches(param: string, any = false): string {
  const cmp = any ? `= ANY(${param}::text[])` : `= ${param}::text`;
  return `(phones[1] ${cmp} OR phones[2] ${cmp} OR phones[3] ${cmp})`;
}

export { prefixUpperBound };

/** A registry search as the repository runs it: normalised terms, keyset position, page size, audit. */
export type SearchFilter = Partial<PatientSearchTerms> & {
  after?: { score: number; id: string };
  limit: number;
  /**
   * Audit the search in the same statement: a `search` entry with these details and the
   * ids of the first `resultLimit` rows (the page; the extra row only detects a next page).
   */
  audit?: { details: Record<string, unknown>; resultLimit: number };
};

export type PatientSearchRow = PatientRow & { score: number };

/**
 * SQL for clinical.patients in the current request transaction. Row-level
 * security already confines every statement to the current tenant; the
 * explicit tenant predicate lets the planner use the (tenant_id, …) indexes.
 */
@Injectable()
export class PatientsRepository extends TxRepository {
  /**
   * Registers a patient and appends its `patient.registered` event in one statement:
   * the MRN from the tenant's sequence (clinical.next_mrn_number(): no lock held to
   * commit; a rollback leaves a gap), the row, and the outbox row.
   */
  async insertRegistered(
    v: PatientValues,
    changedFields: string[],
    allowedDuplicates?: Record<string, unknown>,
  ): Promise<PatientRow> {
    // A registration that overrode a duplicate warning records the override in the same statement.
    const override = allowedDuplicates
      ? `, a AS (SELECT ${auditAppendSql('s.tenant_id', "'allow_duplicate'", "'patient'", 's.id::text', '$17::jsonb')} AS entry FROM s)`
      : '';
    const rows: PatientRow[] = await this.tx.query(
      `WITH m AS (SELECT clinical.next_mrn_number()::text AS n),
       s AS (
         INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_prefix, name_text, search_name,
           gender, birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number, abha_address,
           deceased, created_by, updated_by)
         SELECT ${CURRENT_TENANT}, 'MRN-' || CASE WHEN length(m.n) < 6 THEN lpad(m.n, 6, '0') ELSE m.n END,
                $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, ${CURRENT_USER}, ${CURRENT_USER}
           FROM m
         RETURNING ${COLUMNS}
       ), e AS (
         ${outboxInsertSql('s', {
           aggregateType: 'patient',
           eventType: 'patient.registered',
           payloadSql: `jsonb_build_object('patientId', s.id, 'version', s.version, 'changedFields', $16::jsonb)`,
         })}
       )${override}
       SELECT s.* FROM s WHERE (SELECT count(*) FROM e) = 1${allowedDuplicates ? ' AND (SELECT count(*) FROM a) = 1' : ''}`,
      [
        ...this.valueParams(v),
        JSON.stringify(changedFields),
        ...(allowedDuplicates ? [JSON.stringify(allowedDuplicates)] : []),
      ],
    );
    return rows[0];
  }

  /** One row, and an application audit entry (`read`, `fhir_read`) for it, in one statement; a miss is not audited. */
  async findByIdAudited(id: string, action: string): Promise<PatientRow | undefined> {
    const rows: (PatientRow & { audited: number })[] = await this.tx.query(
      `WITH s AS (SELECT ${COLUMNS} FROM clinical.patients WHERE tenant_id = ${CURRENT_TENANT} AND id = $1),
            a AS (SELECT ${auditAppendSql('s.tenant_id', '$2', "'patient'", 's.id::text')} AS entry FROM s)
       SELECT s.*, (SELECT count(*) FROM a)::int AS audited FROM s`,
      [id, action],
    );
    const row = rows[0];
    if (!row) return undefined;
    delete (row as Partial<typeof row>).audited;
    return row;
  }

  async findById(id: string): Promise<PatientRow | undefined> {
    const rows: PatientRow[] = await this.tx.query(
      `SELECT ${COLUMNS} FROM clinical.patients WHERE tenant_id = ${CURRENT_TENANT} AND id = $1`,
      [id],
    );
    return rows[0];
  }

  /**
   * Optimistic update and its event in one statement: only if the row still has the
   * expected version. Under READ COMMITTED a concurrent writer of the same version
   * blocks on the row lock, then re-checks `version = $expected` against the committed
   * row and updates nothing (and so appends no event), so exactly one of them wins.
   */
  async update(
    id: string,
    expectedVersion: number,
    v: PatientValues,
    event: { eventType: 'patient.updated' | 'patient.deactivated'; changedFields: string[] },
    active?: boolean,
  ): Promise<PatientRow | undefined> {
    const rows: PatientRow[] = await this.tx.query(
      `WITH s AS (
         UPDATE clinical.patients SET
           name_given = $3, name_family = $4, name_prefix = $5, name_text = $6, search_name = $7, gender = $8,
           birth_date = $9, birth_year = $10, birth_date_approximate = $11, phones = $12, email = $13, address = $14,
           abha_number = $15, abha_address = $16, deceased = $17, active = coalesce($18, active),
           version = version + 1, updated_at = now(), updated_by = ${CURRENT_USER}
         WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2
         RETURNING ${COLUMNS}
       ), e AS (
         ${outboxInsertSql('s', {
           aggregateType: 'patient',
           eventType: event.eventType,
           payloadSql: `jsonb_build_object('patientId', s.id, 'version', s.version, 'changedFields', $19::jsonb)`,
         })}
       )
       SELECT s.* FROM s WHERE (SELECT count(*) FROM e) = 1`,
      [id, expectedVersion, ...this.valueParams(v), active ?? null, JSON.stringify(event.changedFields)],
    );
    return rows[0];
  }

  /**
   * Likely duplicates of a new registration: same ABHA number or address; same phone and
   * birth date; very similar name and same birth date (a year-only birth date matches any
   * date in that year). clinical.register_duplicates() (migration 1763804000000) first takes
   * a transaction-scoped lock on (tenant, birth year), so two identical registrations at once
   * run their check and insert one after the other and the second sees the first (READ
   * COMMITTED: the function's query takes its snapshot after the lock is granted). The year,
   * not the date, because a year-only birth date is a likely duplicate of every date in it.
   */
  async lockAndFindDuplicates(v: PatientValues, limit = 10): Promise<DuplicateMatch[]> {
    return this.tx.query(
      `SELECT id, mrn, reasons FROM clinical.register_duplicates($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        v.abha_number,
        v.abha_address,
        v.phones,
        v.birth_date,
        v.birth_year,
        v.search_name,
        DUPLICATE_NAME_SIMILARITY,
        limit,
      ],
    );
  }

  /** Other patients holding either ABHA identifier (they are unique per tenant). */
  async findAbhaHolders(
    abhaNumber: string | null,
    abhaAddress: string | null,
    excludeId: string,
  ): Promise<DuplicateMatch[]> {
    return this.tx.query(
      `SELECT id, mrn,
              array_remove(ARRAY[CASE WHEN abha_address = $2 THEN 'abha_address' END,
                                 CASE WHEN abha_number = $1 THEN 'abha_number' END], NULL) AS reasons
         FROM clinical.patients
        WHERE tenant_id = ${CURRENT_TENANT} AND (abha_number = $1 OR abha_address = $2) AND id <> $3
        ORDER BY mrn`,
      [abhaNumber, abhaAddress, excludeId],
    );
  }

  /**
   * Ranked search. Exact criteria (phone, ABHA, MRN, birth date) filter
   * through btree indexes. A name is matched in two index-driven steps:
   * names starting with the query (C-collation btree range), and, unless
   * those already fill the window, every name with a word at least
   * NAME_MATCH_THRESHOLD similar (`q <% search_name` on the trigram GIN
   * index). They are ranked by score (word similarity, whole-name
   * similarity, prefix bonus) and paged by keyset on (score desc, id).
   */
  async search(f: SearchFilter): Promise<PatientSearchRow[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [`tenant_id = ${CURRENT_TENANT}`];
    if (!f.includeInactive) where.push(`active`);
    if (f.phone) where.push(phoneMatches(p(f.phone)));
    if (f.abhaNumber) where.push(`abha_number = ${p(f.abhaNumber)}`);
    if (f.abhaAddress) where.push(`abha_address = ${p(f.abhaAddress)}`);
    if (f.mrn) where.push(`mrn = ${p(f.mrn)}`);
    if (f.birthDate) {
      where.push(
        `(birth_date = ${p(f.birthDate)}::date OR (birth_date IS NULL AND birth_year = ${p(f.birthYear)}::smallint))`,
      );
    } else if (f.birthYear) {
      where.push(`birth_year = ${p(f.birthYear)}::smallint`);
    }
    const filters = where.join(' AND ');

    const keyset = (score: string, id: string) =>
      f.after
        ? `AND (${score} < ${p(f.after.score)}::float8 OR (${score} = $${params.length}::float8 AND ${id} > ${p(f.after.id)}::uuid))`
        : '';
    if (!f.name) {
      return this.audited(
        `SELECT ${COLUMNS}, 0::float8 AS score FROM clinical.patients WHERE ${filters} ${keyset('0::float8', 'id')}
          ORDER BY id LIMIT ${p(f.limit)}`,
        f,
        p,
        params,
      );
    }
    const q = p(f.name);
    const lo = p(f.name);
    const hi = p(prefixUpperBound(f.name));
    const w = p(NAME_CANDIDATE_WINDOW);
    const threshold = p(NAME_MATCH_THRESHOLD);
    // Candidates come from two index paths: names starting with the query (C-collation
    // btree range) and, unless those fill the window, names with a word at least
    // NAME_MATCH_THRESHOLD similar (`q <% search_name`: an index condition on the
    // tenant-led trigram GIN index, since pg_trgm's operators are LEAKPROOF here, see
    // docs/security.md; its cut-off is pg_trgm.word_similarity_threshold, set for the
    // database by migration 1763797400000-NameSearchByIndex). They are scored from the
    // name the index path already read, ranked and cut to one page, and only that page's
    // rows are then fetched whole.
    const score = `(word_similarity(${q}, c.search_name) + 0.25 * similarity(c.search_name, ${q})
                    + CASE WHEN starts_with(c.search_name, ${q}) THEN 0.5 ELSE 0 END)::float8`;
    return this.audited(
      `WITH prefix AS (
         SELECT id, search_name FROM clinical.patients
          WHERE ${filters} AND search_name COLLATE "C" >= ${lo} AND search_name COLLATE "C" < ${hi}
          ORDER BY search_name COLLATE "C" LIMIT ${w}
       ), fuzzy AS (
         SELECT id, search_name FROM clinical.patients
          WHERE ${filters} AND (SELECT count(*) FROM prefix) < ${w} AND ${q} <% search_name
       ), page AS (
         SELECT c.id, ${score} AS score
           FROM (SELECT id, search_name FROM prefix UNION SELECT id, search_name FROM fuzzy) c
          WHERE (starts_with(c.search_name, ${q}) OR word_similarity(${q}, c.search_name) >= ${threshold})
            ${keyset(score, 'c.id')}
          ORDER BY score DESC, c.id
          LIMIT ${p(f.limit)}
       )
       SELECT ${COLUMNS_OF_P}, page.score
         FROM page JOIN clinical.patients p ON p.tenant_id = ${CURRENT_TENANT} AND p.id = page.id
        ORDER BY page.score DESC, page.id`,
      f,
      p,
      params,
    );
  }

  /** Runs a search statement, with its audit entry appended by the same statement when asked. */
  private async audited(
    sql: string,
    f: SearchFilter,
    p: (value: unknown) => string,
    params: unknown[],
  ): Promise<PatientSearchRow[]> {
    if (!f.audit) return this.tx.query(sql, params);
    const details = `${p(JSON.stringify(f.audit.details))}::jsonb || jsonb_build_object('resultIds',
        (SELECT coalesce(jsonb_agg(x.id ORDER BY x.score DESC, x.id), '[]'::jsonb)
           FROM (SELECT id, score FROM r ORDER BY score DESC, id LIMIT ${p(f.audit.resultLimit)}) x))`;
    // The audit CTE has exactly one row, so the entry is written even when nothing matched
    // (then the single joined row is all NULL and is dropped below).
    const rows: PatientSearchRow[] = await this.tx.query(
      `WITH r AS (${sql}),
            a AS (SELECT ${auditAppendSql(CURRENT_TENANT, "'search'", "'patient'", 'NULL', details)} AS entry)
       SELECT r.* FROM a LEFT JOIN r ON true ORDER BY r.score DESC, r.id`,
      params,
    );
    return rows.filter((row) => row.id !== null);
  }

  private valueParams(v: PatientValues): unknown[] {
    return [
      v.name_given,
      v.name_family,
      v.name_prefix,
      v.name_text,
      v.search_name,
      v.gender,
      v.birth_date,
      v.birth_year,
      v.birth_date_approximate,
      v.phones,
      v.email,
      v.address ? JSON.stringify(v.address) : null,
      v.abha_number,
      v.abha_address,
      v.deceased,
    ];
  }
}
