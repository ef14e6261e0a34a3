import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { NewVisit, VisitRow } from './visit.model';

const COLUMNS = `tenant_id, id, patient_id, attending_doctor_id, department, scheduled_at, status,
  signed_at, signed_by, version, created_at, updated_at, created_by, updated_by`;
const CURRENT_TENANT = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;
const CURRENT_USER = `NULLIF(current_setting('app.current_user', true), '')::uuid`;

/** SQL for clinical.visits in the current request transaction (row-level security confines it to the tenant). */
@Injectable()
export class VisitsRepository {
  constructor(private readonly txHost: TransactionHost) {}

  private get tx() {
    return (this.txHost as TxHost).tx;
  }

  /** Whether the patient exists in the current tenant (a foreign id is simply invisible). */
  async patientExists(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM clinical.patients WHERE tenant_id = ${CURRENT_TENANT} AND id = $1`,
      [patientId],
    );
    return rows.length > 0;
  }

  async insert(v: NewVisit): Promise<VisitRow> {
    const rows: VisitRow[] = await this.tx.query(
      `INSERT INTO clinical.visits (tenant_id, patient_id, attending_doctor_id, department, scheduled_at, created_by, updated_by)
       VALUES (${CURRENT_TENANT}, $1, $2, $3, $4, ${CURRENT_USER}, ${CURRENT_USER})
       RETURNING ${COLUMNS}`,
      [v.patientId, v.attendingDoctorId, v.department, v.scheduledAt],
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

  async markSigned(id: string): Promise<VisitRow> {
    const rows: VisitRow[] = await this.tx.query(
      `UPDATE clinical.visits
          SET status = 'signed', signed_at = now(), signed_by = ${CURRENT_USER}, version = version + 1,
              updated_at = now(), updated_by = ${CURRENT_USER}
        WHERE tenant_id = ${CURRENT_TENANT} AND id = $1
        RETURNING ${COLUMNS}`,
      [id],
    );
    // TypeORM returns [rows, affected] for UPDATE ... RETURNING.
    const returned = Array.isArray(rows[0]) ? (rows[0] as unknown as VisitRow[]) : rows;
    return returned[0];
  }

  /** A patient's signed visits, newest first. */
  async listSignedForPatient(patientId: string): Promise<VisitRow[]> {
    return this.tx.query(
      `SELECT ${COLUMNS} FROM clinical.visits
        WHERE tenant_id = ${CURRENT_TENANT} AND patient_id = $1 AND status = 'signed'
        ORDER BY scheduled_at DESC, id`,
      [patientId],
    );
  }
}
