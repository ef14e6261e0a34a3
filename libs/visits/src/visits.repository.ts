import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import type { Consultation } from './consultation.model';
import { NewVisit, VisitRow, VisitStatus, VisitVersionRow } from './visit.model';

const COLUMNS = `tenant_id, id, patient_id, visit_type, attending_doctor_id, department, reason, scheduled_at,
  started_at, ended_at, status, status_reason, content, content_version, signed_at, signed_by, version,
  created_at, updated_at, created_by, updated_by`;
const VERSION_COLUMNS = `tenant_id, id, visit_id, version, content, reason, created_by, created_at`;
const CURRENT_TENANT = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;
const CURRENT_USER = `NULLIF(current_setting('app.current_user', true), '')::uuid`;

/** Columns a visit change may set (anything else is a programming error). */
export interface VisitChanges {
  attending_doctor_id?: string;
  department?: string;
  scheduled_at?: Date;
  reason?: string | null;
  content?: Consultation;
  status?: VisitStatus;
  status_reason?: string | null;
  /** SQL-side times: `now` sets the column to now() unless it is already set. */
  started_at?: 'now';
  ended_at?: 'now';
}

/** TypeORM returns [rows, affected] for UPDATE ... RETURNING. */
function returned<T>(rows: unknown): T[] {
  const r = rows as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}

/** SQL for clinical.visits and clinical.visit_versions in the current request transaction (RLS confines it to the tenant). */
@Injectable()
export class VisitsRepository extends TxRepository {
  /** Whether the patient exists in the current tenant (a foreign id is simply invisible). */
  async patientExists(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM clinical.patients WHERE tenant_id = ${CURRENT_TENANT} AND id = $1`,
      [patientId],
    );
    return rows.length > 0;
  }

  /** Whether the user is an active staff member of this tenant with the doctor role. */
  async isActiveDoctor(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM core.users
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND status = 'active' AND 'doctor' = ANY (roles)`,
      [userId],
    );
    return rows.length > 0;
  }

  /** A staff member's display name (for the clinical document's practitioner). */
  async staffName(userId: string): Promise<string | undefined> {
    const rows: { display_name: string }[] = await this.tx.query(
      `SELECT display_name FROM core.users WHERE tenant_id = ${CURRENT_TENANT} AND id = $1`,
      [userId],
    );
    return rows[0]?.display_name;
  }

  async insert(v: NewVisit): Promise<VisitRow> {
    const rows: VisitRow[] = await this.tx.query(
      `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, visit_type, reason,
                                    created_by, updated_by)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, $5, $6, ${CURRENT_USER}, ${CURRENT_USER})
       RETURNING ${COLUMNS}`,
      [
        v.patientId,
        v.attendingDoctorId,
        v.department,
        v.scheduledAt,
        v.type ?? 'outpatient-consultation',
        v.reason ?? null,
      ],
    );
    return rows[0];
  }

  /** The visit, locked for update when `lock` (callers about to change it). */
  async find(id: string, lock = false): Promise<VisitRow | undefined> {
    const rows: VisitRow[] = await this.tx.query(
      `SELECT ${COLUMNS} FROM clinical.visits WHERE tenant_id = ${CURRENT_TENANT} AND id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  }

  /** Applies the changes and bumps the version, if the row is still at `expectedVersion`. */
  async update(id: string, expectedVersion: number, changes: VisitChanges): Promise<VisitRow | undefined> {
    const sets: string[] = [];
    const params: unknown[] = [id, expectedVersion];
    for (const [column, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (column === 'started_at' || column === 'ended_at') {
        sets.push(`${column} = coalesce(${column}, now())`);
        continue;
      }
      params.push(column === 'content' ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}`);
    }
    const rows = await this.tx.query(
      `UPDATE clinical.visits
          SET ${sets.join(', ')}${sets.length ? ', ' : ''}version = version + 1, updated_at = now(), updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2
        RETURNING ${COLUMNS}`,
      params,
    );
    return returned<VisitRow>(rows)[0];
  }

  /** Appends a signed content version (1 at signing, then one per amendment). */
  async insertVersion(
    visitId: string,
    version: number,
    content: Consultation,
    reason: string | null,
  ): Promise<VisitVersionRow> {
    const rows: VisitVersionRow[] = await this.tx.query(
      `INSERT INTO clinical.visit_versions (tenant_id, visit_id, version, content, reason, created_by)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, ${CURRENT_USER})
       RETURNING ${VERSION_COLUMNS}`,
      [visitId, version, JSON.stringify(content), reason],
    );
    return rows[0];
  }

  /** Marks the visit signed (finished, ended now unless already) at content version 1. */
  async markSigned(id: string, expectedVersion: number): Promise<VisitRow | undefined> {
    const rows = await this.tx.query(
      `UPDATE clinical.visits
          SET status = 'finished', ended_at = coalesce(ended_at, now()), signed_at = now(), signed_by = ${CURRENT_USER},
              content_version = 1, version = version + 1, updated_at = now(), updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2
        RETURNING ${COLUMNS}`,
      [id, expectedVersion],
    );
    return returned<VisitRow>(rows)[0];
  }

  /** Moves a signed visit's current content to an appended version. */
  async markAmended(
    id: string,
    expectedVersion: number,
    contentVersion: number,
    content: Consultation,
  ): Promise<VisitRow | undefined> {
    const rows = await this.tx.query(
      `UPDATE clinical.visits
          SET content = $3, content_version = $4, version = version + 1, updated_at = now(), updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2
        RETURNING ${COLUMNS}`,
      [id, expectedVersion, JSON.stringify(content), contentVersion],
    );
    return returned<VisitRow>(rows)[0];
  }

  /** A patient's visits, newest first, without entered-in-error ones; keyset pagination after (scheduledAt, id). */
  async listForPatient(
    patientId: string,
    limit: number,
    after?: { scheduledAt: Date; id: string },
  ): Promise<VisitRow[]> {
    const params: unknown[] = [patientId, limit];
    let keyset = '';
    if (after) {
      params.push(after.scheduledAt, after.id);
      keyset = `AND (scheduled_at, id) < ($3, $4)`;
    }
    return this.tx.query(
      `SELECT ${COLUMNS} FROM clinical.visits
        WHERE tenant_id = ${CURRENT_TENANT} AND patient_id = $1 AND status <> 'entered-in-error' ${keyset}
        ORDER BY scheduled_at DESC, id DESC
        LIMIT $2`,
      params,
    );
  }

  /** A patient's signed visits (not entered in error), newest first. */
  async listSignedForPatient(patientId: string): Promise<VisitRow[]> {
    return this.tx.query(
      `SELECT ${COLUMNS} FROM clinical.visits
        WHERE tenant_id = ${CURRENT_TENANT} AND patient_id = $1 AND signed_at IS NOT NULL AND status <> 'entered-in-error'
        ORDER BY scheduled_at DESC, id`,
      [patientId],
    );
  }

  /** Every signed version of the visit's content, oldest first. */
  async versions(visitId: string): Promise<VisitVersionRow[]> {
    return this.tx.query(
      `SELECT ${VERSION_COLUMNS} FROM clinical.visit_versions
        WHERE tenant_id = ${CURRENT_TENANT} AND visit_id = $1
        ORDER BY version`,
      [visitId],
    );
  }
}
