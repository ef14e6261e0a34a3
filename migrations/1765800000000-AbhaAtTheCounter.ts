import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * ABHA at the registration counter (issue 25, docs/abha.md):
 * - clinical.abha_flows: one counter flow (enrol by Aadhaar OTP, or verify an existing ABHA)
 *   with the ABHA service's transaction id and user token, kept server-side until it expires.
 *   No row-change audit trigger: the row holds tokens and the unconfirmed profile; every step
 *   is audited by the application with ids only. The Aadhaar number is never stored (last 4).
 * - clinical.abha_verifications: which patient's ABHA identifiers the service vouched for,
 *   when, by which flow and staff member (audited by trigger like the patient row).
 */
export class AbhaAtTheCounter1765800000000 implements MigrationInterface {
  name = 'AbhaAtTheCounter1765800000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE clinical.abha_flows (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         purpose text NOT NULL CHECK (purpose IN ('enrol', 'verify')),
         method text NOT NULL CHECK (method IN ('aadhaar', 'mobile', 'abha-number', 'abha-address')),
         state text NOT NULL CHECK (state IN ('otp-sent', 'mobile-otp-sent', 'choose-account', 'verified', 'completed')),
         txn_id text CHECK (length(txn_id) <= 200),
         user_token text CHECK (length(user_token) <= 8000),
         t_token text CHECK (length(t_token) <= 8000),
         accounts jsonb,
         profile jsonb,
         aadhaar_last4 text CHECK (aadhaar_last4 ~ '^[0-9]{4}$'),
         consent_version text CHECK (length(consent_version) <= 20),
         consent_at timestamptz,
         otp_requests integer NOT NULL DEFAULT 1 CHECK (otp_requests >= 0),
         patient_id uuid,
         created_by uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         CHECK (purpose <> 'enrol' OR (consent_version IS NOT NULL AND consent_at IS NOT NULL AND aadhaar_last4 IS NOT NULL))
       )`,
      `CREATE INDEX abha_flows_recent_idx ON clinical.abha_flows (tenant_id, created_at)`,
      `CREATE INDEX abha_flows_expiry_idx ON clinical.abha_flows (tenant_id, expires_at)`,
      ...tenantIsolation('clinical.abha_flows'),
      `GRANT SELECT, INSERT, UPDATE, DELETE ON clinical.abha_flows TO hims_app`,

      `CREATE TABLE clinical.abha_verifications (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         patient_id uuid NOT NULL,
         abha_number text NOT NULL CHECK (abha_number ~ '^[0-9]{14}$'),
         abha_address text,
         method text NOT NULL CHECK (method IN ('aadhaar', 'mobile', 'abha-number', 'abha-address')),
         purpose text NOT NULL CHECK (purpose IN ('enrol', 'verify')),
         flow_id uuid NOT NULL,
         verified_by uuid NOT NULL,
         verified_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         UNIQUE (tenant_id, patient_id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id)
       )`,
      ...tenantIsolation('clinical.abha_verifications'),
      `CREATE TRIGGER abha_verifications_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.abha_verifications
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `GRANT SELECT, INSERT, UPDATE ON clinical.abha_verifications TO hims_app`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clinical.abha_verifications`);
    await q.query(`DROP TABLE clinical.abha_flows`);
  }
}
