import { MigrationInterface, QueryRunner } from 'typeorm';
import { reshapeInboxKinds } from './lib/inbox-kinds';
import { tenantIsolation } from './lib/rls';

const NEW_KINDS = ['context_on_notify', 'sms_on_notify', 'patient_share'];


/**
 * ABDM HIP bridge (issue 12), the rest of part 1:
 * - context notify and SMS notify: the notifications we send, one row each, with the
 *   gateway's on-notify outcome (clinical.abdm_notifications); a clinic opts in to SMS
 *   notify per HIP id (sms_notify, from sms_notify_since on, so turning it on does not text
 *   every patient of the past);
 * - scan-and-share: each profile share, the patient it matched or registered and the queue
 *   token it got (clinical.abdm_profile_shares), token numbers counted per HIP id, counter
 *   and day (clinical.abdm_share_counters);
 * - a retried HIP-initiated link points at the failed transaction it retries (retry_of).
 * clinical.abdm_tenants_with_sms_notify() (SECURITY DEFINER, ids only) names the clinics to scan.
 */
export class AbdmNotifyAndShare1763806000000 implements MigrationInterface {
  name = 'AbdmNotifyAndShare1763806000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      reshapeInboxKinds(NEW_KINDS, []),

      `ALTER TABLE core.abdm_hips
         ADD COLUMN sms_notify boolean NOT NULL DEFAULT false,
         ADD COLUMN sms_notify_since timestamptz`,

      `ALTER TABLE clinical.abdm_transactions
         ADD COLUMN retry_of uuid,
         ADD CONSTRAINT abdm_transactions_retry_of_fk FOREIGN KEY (tenant_id, retry_of)
           REFERENCES clinical.abdm_transactions (tenant_id, id)`,

      // ---------------------------------------------------------------- notifications
      `CREATE TABLE clinical.abdm_notifications (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         kind text NOT NULL CHECK (kind IN ('context_notify', 'sms_notify')),
         request_id uuid NOT NULL,
         hip_id text NOT NULL,
         transaction_ref uuid,
         patient_id uuid NOT NULL,
         visit_ref uuid,
         status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acknowledged', 'errored', 'failed')),
         error_code text CHECK (length(error_code) <= 100),
         answered_by uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         answered_at timestamptz,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, transaction_ref) REFERENCES clinical.abdm_transactions (tenant_id, id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         FOREIGN KEY (tenant_id, visit_ref) REFERENCES clinical.visits (tenant_id, id)
       )`,
      // The gateway's answer quotes our REQUEST-ID; each visit is notified once per kind.
      `CREATE UNIQUE INDEX abdm_notifications_request_key ON clinical.abdm_notifications (tenant_id, request_id)`,
      `CREATE UNIQUE INDEX abdm_notifications_visit_key ON clinical.abdm_notifications (tenant_id, kind, visit_ref)`,
      `CREATE INDEX abdm_notifications_tx_idx ON clinical.abdm_notifications (tenant_id, transaction_ref)`,
      ...tenantIsolation('clinical.abdm_notifications'),
      `CREATE TRIGGER abdm_notifications_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.abdm_notifications
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `GRANT SELECT, INSERT, UPDATE ON clinical.abdm_notifications TO hims_app`,

      // ---------------------------------------------------------------- scan-and-share
      `CREATE TABLE clinical.abdm_share_counters (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         hip_id text NOT NULL,
         counter text NOT NULL,
         service_day date NOT NULL,
         last_token integer NOT NULL CHECK (last_token > 0),
         PRIMARY KEY (tenant_id, hip_id, counter, service_day)
       )`,
      ...tenantIsolation('clinical.abdm_share_counters'),
      `GRANT SELECT, INSERT, UPDATE ON clinical.abdm_share_counters TO hims_app`,

      `CREATE TABLE clinical.abdm_profile_shares (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         request_id uuid NOT NULL,
         hip_id text NOT NULL,
         counter text NOT NULL CHECK (length(counter) BETWEEN 1 AND 100),
         abha_address text NOT NULL,
         patient_id uuid,
         outcome text NOT NULL CHECK (outcome IN ('matched', 'registered', 'review')),
         candidates uuid[] NOT NULL DEFAULT '{}',
         service_day date NOT NULL,
         token_number integer NOT NULL CHECK (token_number > 0),
         expires_at timestamptz NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, request_id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         CHECK ((outcome = 'review') = (patient_id IS NULL))
       )`,
      `CREATE UNIQUE INDEX abdm_profile_shares_token_key
         ON clinical.abdm_profile_shares (tenant_id, hip_id, counter, service_day, token_number)`,
      `CREATE INDEX abdm_profile_shares_abha_idx ON clinical.abdm_profile_shares (tenant_id, hip_id, counter, abha_address, expires_at)`,
      ...tenantIsolation('clinical.abdm_profile_shares'),
      `CREATE TRIGGER abdm_profile_shares_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.abdm_profile_shares
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'abha_address')`,
      `GRANT SELECT, INSERT ON clinical.abdm_profile_shares TO hims_app`,

      `CREATE FUNCTION clinical.abdm_tenants_with_sms_notify(p_hip_prefix text) RETURNS SETOF uuid
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
         SELECT DISTINCT h.tenant_id FROM core.abdm_hips h JOIN core.tenants t ON t.id = h.tenant_id
          WHERE h.enabled AND h.sms_notify AND t.status = 'active' AND starts_with(h.hip_id, p_hip_prefix)
       $$`,
      `REVOKE ALL ON FUNCTION clinical.abdm_tenants_with_sms_notify(text) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION clinical.abdm_tenants_with_sms_notify(text) TO hims_app`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP FUNCTION clinical.abdm_tenants_with_sms_notify(text)`,
      `DROP TABLE clinical.abdm_profile_shares`,
      `DROP TABLE clinical.abdm_share_counters`,
      `DROP TABLE clinical.abdm_notifications`,
      `ALTER TABLE clinical.abdm_transactions DROP CONSTRAINT abdm_transactions_retry_of_fk, DROP COLUMN retry_of`,
      `ALTER TABLE core.abdm_hips DROP COLUMN sms_notify_since, DROP COLUMN sms_notify`,
      `DELETE FROM clinical.abdm_inbox WHERE kind IN (${NEW_KINDS.map((k) => `'${k}'`).join(', ')})`,
      reshapeInboxKinds([], NEW_KINDS),
    ]) {
      await q.query(sql);
    }
  }
}
