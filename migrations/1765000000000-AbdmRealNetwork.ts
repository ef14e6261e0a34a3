import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * ABDM on the real network (issue 22).
 *
 * - clinical.abdm_link_tokens: the link token the gateway issued for a patient's ABHA address at
 *   one of the clinic's HIP ids. A token lives six months and the gateway refuses a second
 *   request while one is valid (ABDM-1092), so HIP-initiated links reuse it. The token is a
 *   credential: it is left out of the row audit and never logged.
 * - clinical.abdm_outbound.gateway_code / gateway_message: what the gateway said when it refused
 *   one of our calls (its `error.code` and `error.message`), shown to the clinic's admins.
 * - clinical.abdm_notifications.resends: how often a context notification was sent again after the
 *   gateway's early ABDM-1006 (the notify overtook the link it names).
 */
export class AbdmRealNetwork1765000000000 implements MigrationInterface {
  name = 'AbdmRealNetwork1765000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE clinical.abdm_link_tokens (
         tenant_id uuid NOT NULL REFERENCES core.tenants (id),
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         hip_id text NOT NULL,
         abha_address text NOT NULL CHECK (length(abha_address) BETWEEN 1 AND 100),
         token text NOT NULL CHECK (length(token) BETWEEN 1 AND 8000),
         with_abha_number boolean NOT NULL,
         expires_at timestamptz NOT NULL,
         request_id uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, hip_id, abha_address)
       )`,
      ...tenantIsolation('clinical.abdm_link_tokens'),
      `CREATE TRIGGER abdm_link_tokens_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.abdm_link_tokens
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'token', 'abha_address')`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON clinical.abdm_link_tokens TO hims_app`,
      `ALTER TABLE clinical.abdm_outbound
         ADD COLUMN gateway_code text CHECK (length(gateway_code) <= 40),
         ADD COLUMN gateway_message text CHECK (length(gateway_message) <= 300)`,
      `ALTER TABLE clinical.abdm_notifications
         ADD COLUMN resends integer NOT NULL DEFAULT 0 CHECK (resends >= 0)`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clinical.abdm_notifications DROP COLUMN IF EXISTS resends`);
    await q.query(
      `ALTER TABLE clinical.abdm_outbound DROP COLUMN IF EXISTS gateway_code, DROP COLUMN IF EXISTS gateway_message`,
    );
    await q.query(`DROP TABLE IF EXISTS clinical.abdm_link_tokens`);
  }
}
