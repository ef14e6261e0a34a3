import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * ABDM HIP bridge (issue 12), part 1: the clinic's HIP id, the inbox of gateway
 * callbacks, ABDM transactions with their transition log, the on-* calls we owe
 * the gateway (with retries), linked care contexts, and the development SMS sink.
 *
 * Every table is a tenant table (ENABLE + FORCE RLS, tenant_id leads every key).
 * Three SECURITY DEFINER functions, owned by the owner role, answer the questions
 * that come before a tenant is known, returning ids only:
 * - core.abdm_tenant_for_hip(hip_id): the tenant of an enabled HIP id (the
 *   callback's X-HIP-ID, read only after the gateway token is verified);
 * - clinical.abdm_due_work(limit): which tenants have inbox rows or outbound calls due;
 * - clinical.abdm_purge_inbox(retention): deletes processed inbox rows past retention.
 * They read through an owner-only policy on the tables they touch; the
 * application role never sees another tenant's rows.
 */
export class AbdmBridge1763800000000 implements MigrationInterface {
  name = 'AbdmBridge1763800000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      // ---------------------------------------------------------------- HIP ids
      `CREATE TABLE core.abdm_hips (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         hip_id text NOT NULL CHECK (hip_id ~ '^[A-Za-z0-9._-]{1,64}$'),
         name text CHECK (length(name) BETWEEN 1 AND 200),
         enabled boolean NOT NULL DEFAULT true,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, hip_id)
       )`,
      // A HIP id belongs to one clinic only, across tenants.
      `CREATE UNIQUE INDEX abdm_hips_hip_id_key ON core.abdm_hips (hip_id)`,
      ...tenantIsolation('core.abdm_hips'),
      `CREATE POLICY core_abdm_hips_owner_lookup ON core.abdm_hips FOR SELECT TO hims_owner USING (true)`,
      `CREATE TRIGGER abdm_hips_audit AFTER INSERT OR UPDATE OR DELETE ON core.abdm_hips
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `GRANT SELECT, INSERT, UPDATE ON core.abdm_hips TO hims_app`,
      `CREATE FUNCTION core.abdm_tenant_for_hip(p_hip_id text) RETURNS uuid
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
         SELECT h.tenant_id FROM core.abdm_hips h JOIN core.tenants t ON t.id = h.tenant_id
          WHERE h.hip_id = p_hip_id AND h.enabled AND t.status = 'active'
       $$`,
      `REVOKE ALL ON FUNCTION core.abdm_tenant_for_hip(text) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION core.abdm_tenant_for_hip(text) TO hims_app`,

      // ---------------------------------------------------------------- inbox
      // One row per gateway callback, keyed by its REQUEST-ID: a replay finds the row and is acknowledged only.
      `CREATE TABLE clinical.abdm_inbox (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         request_id uuid NOT NULL,
         kind text NOT NULL CHECK (kind IN ('discover', 'link_init', 'link_confirm')),
         hip_id text NOT NULL,
         cm_id text NOT NULL,
         body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
         status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'failed')),
         attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
         error_code text,
         received_at timestamptz NOT NULL DEFAULT now(),
         processed_at timestamptz,
         PRIMARY KEY (tenant_id, request_id)
       )`,
      `CREATE INDEX abdm_inbox_due_idx ON clinical.abdm_inbox (received_at) WHERE status = 'received'`,
      `CREATE INDEX abdm_inbox_processed_idx ON clinical.abdm_inbox (processed_at) WHERE status <> 'received'`,
      ...tenantIsolation('clinical.abdm_inbox'),
      `CREATE POLICY clinical_abdm_inbox_owner_work ON clinical.abdm_inbox FOR ALL TO hims_owner USING (true) WITH CHECK (true)`,
      `GRANT SELECT, INSERT, UPDATE ON clinical.abdm_inbox TO hims_app`,

      // ---------------------------------------------------------------- transactions
      `CREATE TABLE clinical.abdm_transactions (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         transaction_id uuid NOT NULL,
         hip_id text NOT NULL,
         state text NOT NULL CHECK (state IN ('discovered', 'no_match', 'link_initiated', 'linked', 'failed', 'expired')),
         patient_id uuid,
         abha_address text,
         discovery jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(discovery) = 'object'),
         requested_contexts uuid[] NOT NULL DEFAULT '{}',
         link_ref uuid,
         otp_hash text,
         otp_salt text,
         otp_expires_at timestamptz,
         otp_attempts integer NOT NULL DEFAULT 0 CHECK (otp_attempts >= 0),
         failure text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id)
       )`,
      `CREATE UNIQUE INDEX abdm_transactions_tx_key ON clinical.abdm_transactions (tenant_id, transaction_id)`,
      `CREATE UNIQUE INDEX abdm_transactions_link_ref_key ON clinical.abdm_transactions (tenant_id, link_ref)`,
      `CREATE INDEX abdm_transactions_patient_idx ON clinical.abdm_transactions (tenant_id, patient_id)`,
      ...tenantIsolation('clinical.abdm_transactions'),
      // The code's hash and salt and the discovered contexts' displays stay out of the audit trail.
      `CREATE TRIGGER abdm_transactions_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.abdm_transactions
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'otp_hash', 'otp_salt', 'discovery')`,
      `GRANT SELECT, INSERT, UPDATE ON clinical.abdm_transactions TO hims_app`,

      `CREATE TABLE clinical.abdm_transitions (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id bigint GENERATED ALWAYS AS IDENTITY,
         transaction_ref uuid NOT NULL,
         from_state text,
         to_state text NOT NULL,
         cause text NOT NULL CHECK (length(cause) BETWEEN 1 AND 200),
         request_id uuid,
         at timestamptz NOT NULL DEFAULT clock_timestamp(),
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, transaction_ref) REFERENCES clinical.abdm_transactions (tenant_id, id)
       )`,
      `CREATE INDEX abdm_transitions_tx_idx ON clinical.abdm_transitions (tenant_id, transaction_ref, id)`,
      ...tenantIsolation('clinical.abdm_transitions'),
      `GRANT SELECT, INSERT ON clinical.abdm_transitions TO hims_app`,

      // ---------------------------------------------------------------- outbound on-* calls
      `CREATE TABLE clinical.abdm_outbound (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         transaction_ref uuid,
         path text NOT NULL CHECK (path ~ '^/api/'),
         request_id uuid NOT NULL,
         in_reply_to uuid,
         body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
         status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
         attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
         next_attempt_at timestamptz NOT NULL DEFAULT now(),
         last_status integer,
         last_error text,
         created_at timestamptz NOT NULL DEFAULT now(),
         sent_at timestamptz,
         PRIMARY KEY (tenant_id, id),
         FOREIGN KEY (tenant_id, transaction_ref) REFERENCES clinical.abdm_transactions (tenant_id, id)
       )`,
      `CREATE INDEX abdm_outbound_due_idx ON clinical.abdm_outbound (next_attempt_at) WHERE status = 'pending'`,
      ...tenantIsolation('clinical.abdm_outbound'),
      `CREATE POLICY clinical_abdm_outbound_owner_work ON clinical.abdm_outbound FOR SELECT TO hims_owner USING (true)`,
      `GRANT SELECT, INSERT, UPDATE ON clinical.abdm_outbound TO hims_app`,

      // ---------------------------------------------------------------- links
      `CREATE TABLE clinical.abdm_links (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         care_context_ref uuid NOT NULL,
         patient_id uuid NOT NULL,
         abha_address text NOT NULL,
         hi_type text NOT NULL,
         transaction_ref uuid NOT NULL,
         linked_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, care_context_ref),
         FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients (tenant_id, id),
         FOREIGN KEY (tenant_id, care_context_ref) REFERENCES clinical.visits (tenant_id, id),
         FOREIGN KEY (tenant_id, transaction_ref) REFERENCES clinical.abdm_transactions (tenant_id, id)
       )`,
      `CREATE INDEX abdm_links_patient_idx ON clinical.abdm_links (tenant_id, patient_id)`,
      ...tenantIsolation('clinical.abdm_links'),
      `CREATE TRIGGER abdm_links_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.abdm_links
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `GRANT SELECT, INSERT ON clinical.abdm_links TO hims_app`,

      // ---------------------------------------------------------------- development SMS sink
      // What a real SMS provider would have sent (the message holds the code): for development only.
      `CREATE TABLE clinical.abdm_sms_sink (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         phone text NOT NULL,
         message text NOT NULL,
         transaction_ref uuid,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, id)
       )`,
      ...tenantIsolation('clinical.abdm_sms_sink'),
      `GRANT SELECT, INSERT ON clinical.abdm_sms_sink TO hims_app`,

      // ---------------------------------------------------------------- cross-tenant work discovery
      `CREATE FUNCTION clinical.abdm_due_work(p_limit integer)
       RETURNS TABLE (kind text, tenant_id uuid, ref uuid)
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
         (SELECT 'inbox'::text, i.tenant_id, i.request_id FROM clinical.abdm_inbox i
           WHERE i.status = 'received' ORDER BY i.received_at LIMIT p_limit)
         UNION ALL
         (SELECT 'outbound'::text, o.tenant_id, o.id FROM clinical.abdm_outbound o
           WHERE o.status = 'pending' AND o.next_attempt_at <= now() ORDER BY o.next_attempt_at LIMIT p_limit)
       $$`,
      `REVOKE ALL ON FUNCTION clinical.abdm_due_work(integer) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION clinical.abdm_due_work(integer) TO hims_app`,
      `CREATE FUNCTION clinical.abdm_purge_inbox(p_retention interval) RETURNS integer
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE v_count integer;
       BEGIN
         DELETE FROM clinical.abdm_inbox WHERE status <> 'received' AND processed_at < now() - p_retention;
         GET DIAGNOSTICS v_count = ROW_COUNT;
         RETURN v_count;
       END $$`,
      `REVOKE ALL ON FUNCTION clinical.abdm_purge_inbox(interval) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION clinical.abdm_purge_inbox(interval) TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP FUNCTION clinical.abdm_purge_inbox(interval)`,
      `DROP FUNCTION clinical.abdm_due_work(integer)`,
      `DROP TABLE clinical.abdm_sms_sink`,
      `DROP TABLE clinical.abdm_links`,
      `DROP TABLE clinical.abdm_outbound`,
      `DROP TABLE clinical.abdm_transitions`,
      `DROP TABLE clinical.abdm_transactions`,
      `DROP TABLE clinical.abdm_inbox`,
      `DROP FUNCTION core.abdm_tenant_for_hip(text)`,
      `DROP TABLE core.abdm_hips`,
    ]) {
      await q.query(sql);
    }
  }
}
