import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import type { VisitRow } from './visit.model';

const CURRENT_TENANT = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;

export interface DoctorRow {
  id: string;
  display_name: string;
  active: boolean;
}

export interface DayVisitRow extends VisitRow {
  patient_mrn: string;
  patient_name: string;
  doctor_name: string | null;
}

/**
 * The clinic's day: its doctors (staff names are not patient data) and the visits scheduled in
 * a time window with each patient's name and MRN, for the front desk and doctors' lists.
 * RLS confines every query to the tenant; the tenant predicate lets the indexes work.
 */
@Injectable()
export class ClinicDayRepository extends TxRepository {
  /** Every user who holds the doctor role (disabled ones too: old visits still name them). */
  doctors(): Promise<DoctorRow[]> {
    return this.tx.query(
      `SELECT id, display_name, status = 'active' AS active FROM core.users
        WHERE tenant_id = ${CURRENT_TENANT} AND 'doctor' = ANY (roles)
        ORDER BY display_name, id`,
    );
  }

  /** Visits scheduled in [from, to), earliest first, entered-in-error hidden. */
  day(from: Date, to: Date, doctorId: string | undefined, limit: number): Promise<DayVisitRow[]> {
    const params: unknown[] = [from, to, limit];
    let byDoctor = '';
    if (doctorId) {
      params.push(doctorId);
      byDoctor = `AND v.attending_doctor_id = $4`;
    }
    return this.tx.query(
      `SELECT v.tenant_id, v.id, v.patient_id, v.visit_type, v.attending_doctor_id, v.department, v.reason, v.scheduled_at,
              v.started_at, v.ended_at, v.status, v.status_reason, v.content, v.content_version, v.signed_at, v.signed_by,
              v.version, v.created_at, v.updated_at, v.created_by, v.updated_by,
              p.mrn AS patient_mrn,
              trim(array_to_string(p.name_given, ' ') || ' ' || coalesce(p.name_family, '')) AS patient_name,
              u.display_name AS doctor_name
         FROM clinical.visits v
         JOIN clinical.patients p ON p.tenant_id = v.tenant_id AND p.id = v.patient_id
         LEFT JOIN core.users u ON u.tenant_id = v.tenant_id AND u.id = v.attending_doctor_id
        WHERE v.tenant_id = ${CURRENT_TENANT} AND v.scheduled_at >= $1 AND v.scheduled_at < $2
          AND v.status <> 'entered-in-error' ${byDoctor}
        ORDER BY v.scheduled_at, v.id
        LIMIT $3`,
      params,
    );
  }
}
