import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Outpatient visits (issue 11), first slice: one row per visit with its status
 * and attending doctor. Clinical content is added by later migrations in this
 * range. The application role has no DELETE: entered-in-error is a status.
 * Every change is captured into the tenant's audit chain.
 */
export class Visits1763792000000 implements MigrationInterface {
  name = 'Visits1763792000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE clinical.visits (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         patient_id uuid NOT NULL,
         attending_doctor_id uuid NOT NULL,
         department text NOT NULL CHECK (length(department) BETWEEN 1 AND 100),
         scheduled_at timestamptz NOT NULL,
         status text NOT NULL DEFAULT 'booked'
           CHECK (status IN ('booked', 'checked_in', 'in_progress', 'signed', 'cancelled', 'entered_in_error')),
         signed_at timestamptz,
         signed_by uuid,
         version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         created_by uuid,
         updated_by uuid,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         CONSTRAINT visits_signed_has_signer CHECK ((status = 'signed') = (signed_at IS NOT NULL AND signed_by IS NOT NULL) OR status = 'entered_in_error')
       )`,
      `CREATE INDEX visits_tenant_patient_idx ON clinical.visits (tenant_id, patient_id, scheduled_at)`,
      `CREATE INDEX visits_tenant_doctor_day_idx ON clinical.visits (tenant_id, attending_doctor_id, scheduled_at)`,
      ...tenantIsolation('clinical.visits'),
      `CREATE TRIGGER visits_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.visits
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `GRANT SELECT, INSERT, UPDATE ON clinical.visits TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clinical.visits`);
  }
}
