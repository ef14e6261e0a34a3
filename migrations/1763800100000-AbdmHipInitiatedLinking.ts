import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ABDM HIP-initiated linking (issue 12): after a visit of a patient with an ABHA
 * address is signed, the bridge asks the gateway for a link token and links the
 * visit as a care context. Transactions get a kind and the visit they link; the
 * inbox takes the two callbacks of that flow; outbound calls carry extra headers
 * (X-HIP-ID, X-LINK-TOKEN) and are found by their REQUEST-ID when the answer comes.
 * A clinic opts in per HIP id (auto_link). clinical.abdm_tenants_with_hip() (SECURITY
 * DEFINER) names the tenants with such an enabled HIP id, ids only, so the worker
 * knows where to look for signed visits.
 */
export class AbdmHipInitiatedLinking1763800100000 implements MigrationInterface {
  name = 'AbdmHipInitiatedLinking1763800100000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `ALTER TABLE clinical.abdm_transactions
         ADD COLUMN kind text NOT NULL DEFAULT 'user_initiated' CHECK (kind IN ('user_initiated', 'hip_initiated')),
         ADD COLUMN visit_ref uuid,
         ADD CONSTRAINT abdm_transactions_visit_fk FOREIGN KEY (tenant_id, visit_ref) REFERENCES clinical.visits (tenant_id, id)`,
      `ALTER TABLE clinical.abdm_transactions DROP CONSTRAINT abdm_transactions_state_check`,
      `ALTER TABLE clinical.abdm_transactions ADD CONSTRAINT abdm_transactions_state_check
         CHECK (state IN ('discovered', 'no_match', 'link_initiated', 'token_requested', 'linking', 'linked', 'failed', 'expired'))`,
      // One HIP-initiated link attempt per visit at a time (a failed one may be retried by a new transaction).
      `CREATE UNIQUE INDEX abdm_transactions_hip_visit_key ON clinical.abdm_transactions (tenant_id, visit_ref)
         WHERE kind = 'hip_initiated' AND state <> 'failed'`,
      `ALTER TABLE clinical.abdm_inbox DROP CONSTRAINT abdm_inbox_kind_check`,
      `ALTER TABLE clinical.abdm_inbox ADD CONSTRAINT abdm_inbox_kind_check
         CHECK (kind IN ('discover', 'link_init', 'link_confirm', 'on_generate_token', 'on_carecontext'))`,
      `ALTER TABLE clinical.abdm_outbound ADD COLUMN headers jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(headers) = 'object')`,
      `CREATE INDEX abdm_outbound_request_idx ON clinical.abdm_outbound (tenant_id, request_id)`,
      // A clinic opts in per HIP id: its signed visits are then linked without the patient asking.
      `ALTER TABLE core.abdm_hips ADD COLUMN auto_link boolean NOT NULL DEFAULT false`,
      `CREATE FUNCTION clinical.abdm_tenants_with_hip(p_hip_prefix text) RETURNS SETOF uuid
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
         SELECT DISTINCT h.tenant_id FROM core.abdm_hips h JOIN core.tenants t ON t.id = h.tenant_id
          WHERE h.enabled AND h.auto_link AND t.status = 'active' AND starts_with(h.hip_id, p_hip_prefix)
       $$`,
      `REVOKE ALL ON FUNCTION clinical.abdm_tenants_with_hip(text) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION clinical.abdm_tenants_with_hip(text) TO hims_app`,
      // A bridge instance may serve only the HIP ids registered to its credentials (ABDM_HIP_ID_PREFIX).
      `CREATE FUNCTION clinical.abdm_due_work_for(p_limit integer, p_hip_prefix text)
       RETURNS TABLE (kind text, tenant_id uuid, ref uuid)
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
         (SELECT 'inbox'::text, i.tenant_id, i.request_id FROM clinical.abdm_inbox i
           WHERE i.status = 'received' AND starts_with(i.hip_id, p_hip_prefix) ORDER BY i.received_at LIMIT p_limit)
         UNION ALL
         (SELECT 'outbound'::text, o.tenant_id, o.id FROM clinical.abdm_outbound o
           WHERE o.status = 'pending' AND o.next_attempt_at <= now()
             AND starts_with(coalesce(o.headers ->> 'X-HIP-ID',
                   (SELECT i.hip_id FROM clinical.abdm_inbox i WHERE i.tenant_id = o.tenant_id AND i.request_id = o.in_reply_to),
                   ''), p_hip_prefix)
           ORDER BY o.next_attempt_at LIMIT p_limit)
       $$`,
      `REVOKE ALL ON FUNCTION clinical.abdm_due_work_for(integer, text) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION clinical.abdm_due_work_for(integer, text) TO hims_app`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP FUNCTION clinical.abdm_due_work_for(integer, text)`,
      `DROP FUNCTION clinical.abdm_tenants_with_hip(text)`,
      `ALTER TABLE core.abdm_hips DROP COLUMN auto_link`,
      `DROP INDEX clinical.abdm_outbound_request_idx`,
      `ALTER TABLE clinical.abdm_outbound DROP COLUMN headers`,
      `DELETE FROM clinical.abdm_inbox WHERE kind IN ('on_generate_token', 'on_carecontext')`,
      `ALTER TABLE clinical.abdm_inbox DROP CONSTRAINT abdm_inbox_kind_check`,
      `ALTER TABLE clinical.abdm_inbox ADD CONSTRAINT abdm_inbox_kind_check CHECK (kind IN ('discover', 'link_init', 'link_confirm'))`,
      `DROP INDEX clinical.abdm_transactions_hip_visit_key`,
      `ALTER TABLE clinical.abdm_transactions DROP CONSTRAINT abdm_transactions_state_check`,
      `UPDATE clinical.abdm_transactions SET state = 'failed' WHERE state IN ('token_requested', 'linking')`,
      `ALTER TABLE clinical.abdm_transactions ADD CONSTRAINT abdm_transactions_state_check
         CHECK (state IN ('discovered', 'no_match', 'link_initiated', 'linked', 'failed', 'expired'))`,
      `ALTER TABLE clinical.abdm_transactions DROP COLUMN visit_ref, DROP COLUMN kind`,
    ]) {
      await q.query(sql);
    }
  }
}
