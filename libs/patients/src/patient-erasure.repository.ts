import { Injectable } from '@nestjs/common';
import { TxRepository } from '@hims/database';
import { outboxInsertSql } from '@hims/events';
import type { PatientRow } from './patient.model';
import { PATIENT_COLUMNS } from './patient-reader';

const CURRENT_TENANT = `NULLIF(current_setting('app.current_tenant', true), '')::uuid`;
const CURRENT_USER = `NULLIF(current_setting('app.current_user', true), '')::uuid`;

/** API names of what an erasure removes (recorded in clinical.patient_erasures.erased_fields). */
export const ERASED_FIELDS = ['name', 'birthDate', 'phones', 'email', 'address', 'abhaNumber', 'abhaAddress'];
/** The name an erased patient carries (name_text and search_name must not be empty). */
export const ERASED_NAME = 'Erased patient';

export type ErasureReason = 'data_principal_request' | 'consent_withdrawn' | 'registered_in_error';

/** SQL of the erasure (docs/retention.md says what is kept and why). */
@Injectable()
export class PatientErasureRepository extends TxRepository {
  async isErased(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM clinical.patient_erasures WHERE tenant_id = ${CURRENT_TENANT} AND patient_id = $1`,
      [patientId],
    );
    return rows.length > 0;
  }

  /**
   * Anonymises the row (if it still has `expectedVersion`), records the erasure and appends
   * `patient.erased`, in one statement. `app.erasure` is set for this statement's transaction
   * only, so the audit trigger writes `{"erased": true}` instead of the old identity values.
   */
  async erase(
    patientId: string,
    expectedVersion: number,
    reason: ErasureReason,
  ): Promise<(PatientRow & { erasure_id: string }) | undefined> {
    await this.tx.query(`SELECT set_config('app.erasure', 'on', true)`);
    try {
      const rows: (PatientRow & { erasure_id: string })[] = await this.tx.query(
        `WITH s AS (
           UPDATE clinical.patients SET
             name_given = '{}', name_family = NULL, name_prefix = '{}', name_text = $4, search_name = lower($4),
             birth_date = NULL, birth_date_approximate = true, phones = '{}', email = NULL,
             address = NULLIF(jsonb_strip_nulls(jsonb_build_object('state', address -> 'state',
                                                                   'country', address -> 'country')), '{}'::jsonb),
             abha_number = NULL, abha_address = NULL, active = false,
             version = version + 1, updated_at = now(), updated_by = ${CURRENT_USER}
           WHERE tenant_id = ${CURRENT_TENANT} AND id = $1 AND version = $2
           RETURNING ${PATIENT_COLUMNS}
         ), r AS (
           INSERT INTO clinical.patient_erasures (tenant_id, patient_id, reason, erased_fields, requested_by, request_id)
           SELECT s.tenant_id, s.id, $3, $5::text[], ${CURRENT_USER}, NULLIF(current_setting('app.request_id', true), '')
             FROM s
           RETURNING id, tenant_id, patient_id
         ), x AS (
           SELECT s.tenant_id, s.id, s.version, r.id AS erasure_id FROM s JOIN r ON r.patient_id = s.id
         ), e AS (
           ${outboxInsertSql('x', {
             aggregateType: 'patient',
             eventType: 'patient.erased',
             payloadSql: `jsonb_build_object('patientId', s.id, 'version', s.version, 'erasureId', s.erasure_id)`,
           })}
         )
         SELECT s.*, (SELECT id FROM r) AS erasure_id FROM s WHERE (SELECT count(*) FROM e) = 1`,
        [patientId, expectedVersion, reason, ERASED_NAME, ERASED_FIELDS],
      );
      return rows[0];
    } finally {
      await this.tx.query(`SELECT set_config('app.erasure', '', true)`);
    }
  }
}
