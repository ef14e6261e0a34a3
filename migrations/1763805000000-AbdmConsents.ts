import { MigrationInterface, QueryRunner } from 'typeorm';
import { reshapeInboxKinds } from './lib/inbox-kinds';
import { tenantIsolation } from './lib/rls';

/** Inbox kinds this migration adds (the consent notify and the health-information request). */
const KINDS = ['consent_notify', 'hi_request'];

/**
 * ABDM HIP part 2 (issue 13): consent artefacts and health-information transfers.
 *
 * - clinical.abdm_consents: the artefact the consent manager notified us of (ids, care-context
 *   references, HI types, purpose, permission, requester), its status GRANTED / REVOKED /
 *   EXPIRED, and the REQUEST-ID of the notify that last set it. The consent manager's signature
 *   is kept for proof but left out of the row audit.
 * - clinical.abdm_hi_requests: one row per health-information request (keyed by the consent
 *   manager's transactionId): what the HIU asked for, the HIU's public key material (public
 *   values only), and the transfer's progress and outcome (pages, bytes, per-care-context status).
 *   The worker leases a due row (status 'pending', or a 'transferring' row whose lease lapsed).
 * - clinical.abdm_due_transfers(limit, hip_prefix): SECURITY DEFINER, ids only, which tenants
 *   have transfers due (the worker does not know the tenant before it looks).
 * Both tables are tenant tables (ENABLE + FORCE RLS); the app role may select, insert and
 * update, never delete.
 */
export class AbdmConsents1763805000000 implements MigrationInterface {
  name = 'AbdmConsents1763805000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      reshapeInboxKinds(KINDS, []),

      `CREATE TABLE clinical.abdm_consents (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         consent_id text NOT NULL CHECK (length(consent_id) BETWEEN 1 AND 100),
         hip_id text NOT NULL,
         status text NOT NULL CHECK (status IN ('GRANTED', 'REVOKED', 'EXPIRED')),
         patient_id uuid,
         abha_address text,
         care_contexts jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(care_contexts) = 'array'),
         hi_types text[] NOT NULL DEFAULT '{}',
         purpose jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(purpose) = 'object'),
         requester jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(requester) = 'object'),
         hiu_id text,
         access_mode text,
         date_from timestamptz,
         date_to timestamptz,
         data_erase_at timestamptz,
         frequency jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(frequency) = 'object'),
         signature text,
         last_request_id uuid NOT NULL,
         granted_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, consent_id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         CHECK (date_from IS NULL OR date_to IS NULL OR date_from <= date_to)
       )`,
      `CREATE UNIQUE INDEX abdm_consents_id_key ON clinical.abdm_consents (tenant_id, id)`,
      `CREATE INDEX abdm_consents_patient_idx ON clinical.abdm_consents (tenant_id, patient_id)`,
      ...tenantIsolation('clinical.abdm_consents'),
      `CREATE TRIGGER abdm_consents_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.abdm_consents
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'signature')`,
      `GRANT SELECT, INSERT, UPDATE ON clinical.abdm_consents TO hims_app`,

      `CREATE TABLE clinical.abdm_hi_requests (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         transaction_id uuid NOT NULL,
         consent_id text NOT NULL,
         request_id uuid NOT NULL,
         hip_id text NOT NULL,
         hiu_id text,
         data_push_url text NOT NULL CHECK (data_push_url ~ '^https?://'),
         key_material jsonb NOT NULL CHECK (jsonb_typeof(key_material) = 'object'),
         date_from timestamptz NOT NULL,
         date_to timestamptz NOT NULL,
         status text NOT NULL DEFAULT 'pending'
           CHECK (status IN ('pending', 'transferring', 'transferred', 'failed', 'stopped')),
         lease_until timestamptz,
         attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
         pages integer,
         bytes bigint,
         care_context_status jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(care_context_status) = 'object'),
         failure text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         done_at timestamptz,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, consent_id) REFERENCES clinical.abdm_consents (tenant_id, consent_id),
         CHECK (date_from <= date_to)
       )`,
      `CREATE UNIQUE INDEX abdm_hi_requests_tx_key ON clinical.abdm_hi_requests (tenant_id, transaction_id)`,
      `CREATE INDEX abdm_hi_requests_consent_idx ON clinical.abdm_hi_requests (tenant_id, consent_id)`,
      `CREATE INDEX abdm_hi_requests_due_idx ON clinical.abdm_hi_requests (created_at)
         WHERE status IN ('pending', 'transferring')`,
      ...tenantIsolation('clinical.abdm_hi_requests'),
      `CREATE POLICY clinical_abdm_hi_requests_owner_work ON clinical.abdm_hi_requests FOR SELECT TO hims_owner USING (true)`,
      // The push URL and key material are the HIU's, not the patient's, but stay out of the row audit all the same.
      `CREATE TRIGGER abdm_hi_requests_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.abdm_hi_requests
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'key_material', 'data_push_url', 'lease_until')`,
      `GRANT SELECT, INSERT, UPDATE ON clinical.abdm_hi_requests TO hims_app`,

      `CREATE FUNCTION clinical.abdm_due_transfers(p_limit integer, p_hip_prefix text)
       RETURNS TABLE (tenant_id uuid, id uuid)
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
         SELECT r.tenant_id, r.id FROM clinical.abdm_hi_requests r
          WHERE (r.status = 'pending' OR (r.status = 'transferring' AND r.lease_until < now()))
            AND starts_with(r.hip_id, p_hip_prefix)
          ORDER BY r.created_at LIMIT p_limit
       $$`,
      `REVOKE ALL ON FUNCTION clinical.abdm_due_transfers(integer, text) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION clinical.abdm_due_transfers(integer, text) TO hims_app`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP FUNCTION clinical.abdm_due_transfers(integer, text)`,
      `DROP TABLE clinical.abdm_hi_requests`,
      `DROP TABLE clinical.abdm_consents`,
      `DELETE FROM clinical.abdm_inbox WHERE kind IN (${KINDS.map((k) => `'${k}'`).join(', ')})`,
      reshapeInboxKinds([], KINDS),
    ]) {
      await q.query(sql);
    }
  }
}
