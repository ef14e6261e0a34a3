import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tenant-provisioning saga (docs/onboarding.md): its log, the slug
 * reservations, and the controlled functions through which the platform role
 * touches tenant data. hims_platform never writes a tenant table directly: each
 * function below is SECURITY DEFINER (owner), sets app.current_tenant to the
 * tenant it works on (so the forced RLS policies and the audit chain apply as
 * for any tenant write), and refuses to touch a tenant outside the state its
 * step expects (a first admin only in a tenant still `provisioning`, discarding
 * only a tenant still `provisioning`). A tenant in `provisioning` is invisible
 * to tenant routes: the tenant boundary admits only `active` tenants.
 */
export class TenantProvisioning1763799010000 implements MigrationInterface {
  name = 'TenantProvisioning1763799010000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `ALTER TABLE core.tenants DROP CONSTRAINT tenants_status_check`,
      `ALTER TABLE core.tenants ADD CONSTRAINT tenants_status_check
         CHECK (status IN ('provisioning', 'active', 'suspended'))`,
      // The platform role lists and reads every tenant (its own policy), and changes none directly.
      `GRANT USAGE ON SCHEMA core TO hims_platform`,
      `GRANT SELECT ON core.tenants TO hims_platform`,
      `CREATE POLICY core_tenants_platform ON core.tenants FOR SELECT TO hims_platform USING (true)`,

      `CREATE TABLE platform.sagas (
         id uuid PRIMARY KEY,
         kind text NOT NULL CHECK (kind IN ('tenant_provisioning')),
         operator_id uuid REFERENCES platform.operators (id),
         idempotency_key text,
         fingerprint text,
         tenant_id uuid NOT NULL,
         slug text NOT NULL,
         input jsonb NOT NULL,
         status text NOT NULL DEFAULT 'running'
           CHECK (status IN ('running', 'compensating', 'completed', 'failed')),
         failed_step text,
         error text,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
         updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
         finished_at timestamptz
       )`,
      `CREATE UNIQUE INDEX sagas_operator_key ON platform.sagas (operator_id, idempotency_key)
         WHERE idempotency_key IS NOT NULL`,
      `CREATE INDEX sagas_unfinished_idx ON platform.sagas (created_at) WHERE status IN ('running', 'compensating')`,
      `CREATE INDEX sagas_tenant_idx ON platform.sagas (tenant_id)`,
      `CREATE TABLE platform.saga_steps (
         saga_id uuid NOT NULL REFERENCES platform.sagas (id),
         step text NOT NULL,
         status text NOT NULL CHECK (status IN ('running', 'done', 'failed', 'compensated')),
         attempts integer NOT NULL DEFAULT 0,
         error text,
         detail jsonb NOT NULL DEFAULT '{}'::jsonb,
         started_at timestamptz,
         finished_at timestamptz,
         compensated_at timestamptz,
         PRIMARY KEY (saga_id, step)
       )`,
      // A slug is held by one saga from its first step until it completes (then core.tenants holds it) or fails.
      `CREATE TABLE platform.slug_reservations (
         slug text PRIMARY KEY,
         saga_id uuid NOT NULL REFERENCES platform.sagas (id),
         reserved_at timestamptz NOT NULL DEFAULT clock_timestamp()
       )`,
      `GRANT SELECT, INSERT, UPDATE ON platform.sagas, platform.saga_steps TO hims_platform`,
      `GRANT SELECT, INSERT, DELETE ON platform.slug_reservations TO hims_platform`,

      `CREATE FUNCTION platform.create_tenant(p_id uuid, p_slug text, p_name text)
       RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_id::text, true);
         INSERT INTO core.tenants (id, slug, name, status, settings)
         VALUES (p_id, p_slug, p_name, 'provisioning', '{}'::jsonb)
         ON CONFLICT (id) DO NOTHING;
       END $$`,

      // Settings and the tenant's MRN sequence (normally made by the insert trigger; made here if missing).
      `CREATE FUNCTION platform.configure_tenant(p_id uuid, p_settings jsonb)
       RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_id::text, true);
         UPDATE core.tenants SET settings = settings || p_settings, updated_at = now()
          WHERE id = p_id AND status = 'provisioning';
         IF NOT FOUND THEN
           RAISE EXCEPTION 'platform.configure_tenant: tenant is not provisioning' USING ERRCODE = '55000';
         END IF;
         EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %s AS bigint MINVALUE 1', clinical.mrn_sequence_name(p_id));
       END $$`,

      // The first tenant_admin, without a password, and a one-time invitation (only its hash).
      `CREATE FUNCTION platform.create_first_admin(p_tenant uuid, p_user uuid, p_email text, p_display_name text,
                                                    p_token_hash bytea, p_ttl_seconds integer)
       RETURNS TABLE (invitation_id uuid, expires_at timestamptz)
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_tenant::text, true);
         IF NOT EXISTS (SELECT 1 FROM core.tenants t WHERE t.id = p_tenant AND t.status = 'provisioning') THEN
           RAISE EXCEPTION 'platform.create_first_admin: tenant is not provisioning' USING ERRCODE = '55000';
         END IF;
         INSERT INTO core.users (tenant_id, id, email, display_name, password_hash, roles)
         VALUES (p_tenant, p_user, p_email, p_display_name, NULL, ARRAY['tenant_admin'])
         ON CONFLICT (tenant_id, id) DO NOTHING;
         -- A re-run (after a crash) replaces the invitation whose secret was lost with the process.
         DELETE FROM core.user_invitations i WHERE i.tenant_id = p_tenant AND i.user_id = p_user;
         RETURN QUERY
           INSERT INTO core.user_invitations (tenant_id, user_id, token_hash, expires_at)
           VALUES (p_tenant, p_user, p_token_hash, now() + make_interval(secs => p_ttl_seconds))
           RETURNING id, user_invitations.expires_at;
       END $$`,

      `CREATE FUNCTION platform.discard_first_admin(p_tenant uuid, p_user uuid)
       RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_tenant::text, true);
         IF EXISTS (SELECT 1 FROM core.tenants t WHERE t.id = p_tenant AND t.status <> 'provisioning') THEN
           RAISE EXCEPTION 'platform.discard_first_admin: tenant is not provisioning' USING ERRCODE = '55000';
         END IF;
         DELETE FROM core.user_invitations WHERE tenant_id = p_tenant AND user_id = p_user;
         DELETE FROM core.users WHERE tenant_id = p_tenant AND id = p_user;
       END $$`,

      // Removes a half-made tenant (only one still provisioning; its sequence goes with it, by trigger).
      `CREATE FUNCTION platform.discard_tenant(p_id uuid)
       RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_id::text, true);
         IF EXISTS (SELECT 1 FROM core.tenants t WHERE t.id = p_id AND t.status <> 'provisioning') THEN
           RAISE EXCEPTION 'platform.discard_tenant: tenant is not provisioning' USING ERRCODE = '55000';
         END IF;
         DELETE FROM core.user_invitations WHERE tenant_id = p_id;
         DELETE FROM core.users WHERE tenant_id = p_id;
         DELETE FROM core.tenants WHERE id = p_id;
       END $$`,

      // Activation and its events in one transaction: tenant.provisioned and the first admin's user.invited.
      `CREATE FUNCTION platform.activate_tenant(p_id uuid, p_saga uuid, p_request_id text, p_operator uuid)
       RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         v_tenant core.tenants%ROWTYPE;
         v_inv record;
       BEGIN
         PERFORM set_config('app.current_tenant', p_id::text, true),
                 set_config('app.request_id', coalesce(p_request_id, ''), true);
         UPDATE core.tenants SET status = 'active', updated_at = now()
          WHERE id = p_id AND status = 'provisioning' RETURNING * INTO v_tenant;
         IF NOT FOUND THEN
           RETURN false;
         END IF;
         INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id)
         VALUES (p_id, 'tenant', p_id, 'tenant.provisioned',
                 jsonb_build_object('tenantId', p_id, 'slug', v_tenant.slug, 'sagaId', p_saga,
                                    'operatorId', p_operator, 'settings', v_tenant.settings),
                 NULLIF(p_request_id, ''));
         FOR v_inv IN SELECT i.id, i.user_id, i.expires_at FROM core.user_invitations i
                       WHERE i.tenant_id = p_id AND i.accepted_at IS NULL LOOP
           INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id)
           VALUES (p_id, 'user', v_inv.user_id, 'user.invited',
                   jsonb_build_object('userId', v_inv.user_id, 'invitationId', v_inv.id,
                                      'expiresAt', to_char(v_inv.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
                   NULLIF(p_request_id, ''));
         END LOOP;
         RETURN true;
       END $$`,

      // A tenant event that belongs to no tenant transaction (the failure notice, suspension).
      `CREATE FUNCTION platform.publish_tenant_event(p_id uuid, p_type text, p_payload jsonb, p_request_id text)
       RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         IF p_type NOT IN ('tenant.provisioning_failed', 'tenant.suspended', 'tenant.reactivated') THEN
           RAISE EXCEPTION 'platform.publish_tenant_event: % is not a platform event', p_type USING ERRCODE = '22023';
         END IF;
         PERFORM set_config('app.current_tenant', p_id::text, true),
                 set_config('app.request_id', coalesce(p_request_id, ''), true);
         INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id)
         VALUES (p_id, 'tenant', p_id, p_type, p_payload, NULLIF(p_request_id, ''));
       END $$`,

      // A new invitation for a clinic's first admin who never accepted one (its secret was lost
      // with a crashed saga, or it expired): only a tenant_admin without a password.
      `CREATE FUNCTION platform.reissue_first_admin_invitation(p_tenant uuid, p_user uuid, p_token_hash bytea,
                                                               p_ttl_seconds integer, p_request_id text)
       RETURNS TABLE (invitation_id uuid, expires_at timestamptz)
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         v_id uuid;
         v_expires timestamptz;
       BEGIN
         PERFORM set_config('app.current_tenant', p_tenant::text, true),
                 set_config('app.request_id', coalesce(p_request_id, ''), true);
         IF NOT EXISTS (SELECT 1 FROM core.tenants t WHERE t.id = p_tenant AND t.status = 'active') THEN
           RAISE EXCEPTION 'platform.reissue_first_admin_invitation: tenant is not active' USING ERRCODE = '55000';
         END IF;
         IF NOT EXISTS (SELECT 1 FROM core.users u WHERE u.tenant_id = p_tenant AND u.id = p_user
                          AND u.password_hash IS NULL AND u.status = 'active' AND 'tenant_admin' = ANY (u.roles)) THEN
           RAISE EXCEPTION 'platform.reissue_first_admin_invitation: the first admin already has a password'
             USING ERRCODE = '55000';
         END IF;
         DELETE FROM core.user_invitations i WHERE i.tenant_id = p_tenant AND i.user_id = p_user AND i.accepted_at IS NULL;
         INSERT INTO core.user_invitations (tenant_id, user_id, token_hash, expires_at)
         VALUES (p_tenant, p_user, p_token_hash, now() + make_interval(secs => p_ttl_seconds))
         RETURNING id, user_invitations.expires_at INTO v_id, v_expires;
         INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id)
         VALUES (p_tenant, 'user', p_user, 'user.invited',
                 jsonb_build_object('userId', p_user, 'invitationId', v_id,
                                    'expiresAt', to_char(v_expires AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
                 NULLIF(p_request_id, ''));
         RETURN QUERY SELECT v_id, v_expires;
       END $$`,

      // Suspension and reactivation: active <-> suspended only; data untouched.
      `CREATE FUNCTION platform.set_tenant_status(p_id uuid, p_from text, p_to text)
       RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         IF NOT ((p_from = 'active' AND p_to = 'suspended') OR (p_from = 'suspended' AND p_to = 'active')) THEN
           RAISE EXCEPTION 'platform.set_tenant_status: % -> % is not allowed', p_from, p_to USING ERRCODE = '22023';
         END IF;
         PERFORM set_config('app.current_tenant', p_id::text, true);
         UPDATE core.tenants SET status = p_to, updated_at = now() WHERE id = p_id AND status = p_from;
         RETURN FOUND;
       END $$`,
    ]) {
      await q.query(sql);
    }
    for (const fn of [
      'platform.create_tenant(uuid, text, text)',
      'platform.configure_tenant(uuid, jsonb)',
      'platform.create_first_admin(uuid, uuid, text, text, bytea, integer)',
      'platform.discard_first_admin(uuid, uuid)',
      'platform.discard_tenant(uuid)',
      'platform.activate_tenant(uuid, uuid, text, uuid)',
      'platform.publish_tenant_event(uuid, text, jsonb, text)',
      'platform.set_tenant_status(uuid, text, text)',
      'platform.reissue_first_admin_invitation(uuid, uuid, bytea, integer, text)',
    ]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO hims_platform`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP FUNCTION platform.reissue_first_admin_invitation(uuid, uuid, bytea, integer, text)`,
      `DROP FUNCTION platform.set_tenant_status(uuid, text, text)`,
      `DROP FUNCTION platform.publish_tenant_event(uuid, text, jsonb, text)`,
      `DROP FUNCTION platform.activate_tenant(uuid, uuid, text, uuid)`,
      `DROP FUNCTION platform.discard_tenant(uuid)`,
      `DROP FUNCTION platform.discard_first_admin(uuid, uuid)`,
      `DROP FUNCTION platform.create_first_admin(uuid, uuid, text, text, bytea, integer)`,
      `DROP FUNCTION platform.configure_tenant(uuid, jsonb)`,
      `DROP FUNCTION platform.create_tenant(uuid, text, text)`,
      `DROP TABLE platform.slug_reservations`,
      `DROP TABLE platform.saga_steps`,
      `DROP TABLE platform.sagas`,
      `DROP POLICY core_tenants_platform ON core.tenants`,
      `REVOKE SELECT ON core.tenants FROM hims_platform`,
      `REVOKE USAGE ON SCHEMA core FROM hims_platform`,
      `DELETE FROM core.tenants WHERE status = 'provisioning'`,
      `ALTER TABLE core.tenants DROP CONSTRAINT tenants_status_check`,
      `ALTER TABLE core.tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended'))`,
    ]) {
      await q.query(sql);
    }
  }
}
