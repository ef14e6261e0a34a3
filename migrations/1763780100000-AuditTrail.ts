import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Append-only audit trail, hash-chained per tenant.
 *
 * Every row stores the hash of its tenant's previous row; the head of each
 * chain lives in audit.chain_heads and is locked while a row is appended, so
 * rows of one tenant are chained in a single order. The application role can
 * only call audit.append() and read rows of its tenant; it cannot UPDATE or
 * DELETE them, and a trigger refuses UPDATE/DELETE for everyone, so an edit
 * must disable the trigger as the owner, which the chain then exposes.
 */
export class AuditTrail1763780100000 implements MigrationInterface {
  name = 'AuditTrail1763780100000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE audit.audit_log (
         tenant_id uuid NOT NULL,
         seq bigint NOT NULL,
         id uuid NOT NULL DEFAULT gen_random_uuid(),
         occurred_at timestamptz NOT NULL,
         actor_id uuid,
         request_id text,
         action text NOT NULL,
         entity_type text NOT NULL,
         entity_id text,
         changes jsonb,
         details jsonb,
         prev_hash bytea NOT NULL,
         hash bytea NOT NULL,
         PRIMARY KEY (tenant_id, seq)
       )`,
      `CREATE INDEX audit_log_entity_idx ON audit.audit_log (tenant_id, entity_id, seq)`,
      `CREATE INDEX audit_log_actor_idx ON audit.audit_log (tenant_id, actor_id, seq)`,
      `CREATE INDEX audit_log_time_idx ON audit.audit_log (tenant_id, occurred_at)`,
      ...tenantIsolation('audit.audit_log'),

      `CREATE TABLE audit.chain_heads (
         tenant_id uuid PRIMARY KEY,
         last_seq bigint NOT NULL,
         last_hash bytea NOT NULL
       )`,
      ...tenantIsolation('audit.chain_heads'),

      // The hash covers every column a reader relies on, in a fixed order.
      `CREATE FUNCTION audit.row_hash(
         p_prev bytea, p_tenant uuid, p_seq bigint, p_at timestamptz, p_actor uuid, p_request text,
         p_action text, p_entity_type text, p_entity_id text, p_changes jsonb, p_details jsonb
       ) RETURNS bytea LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
         SELECT digest(
           p_prev || convert_to(concat_ws(E'\\x1f',
             p_tenant::text, p_seq::text, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
             coalesce(p_actor::text, ''), coalesce(p_request, ''), p_action, p_entity_type,
             coalesce(p_entity_id, ''), coalesce(p_changes::text, ''), coalesce(p_details::text, '')), 'UTF8'),
           'sha256')
       $$`,

      `CREATE FUNCTION audit.append(
         p_tenant uuid, p_action text, p_entity_type text, p_entity_id text, p_changes jsonb, p_details jsonb
       ) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         v_seq bigint;
         v_prev bytea;
         v_at timestamptz := clock_timestamp();
         v_actor uuid := NULLIF(current_setting('app.current_user', true), '')::uuid;
         v_request text := NULLIF(current_setting('app.request_id', true), '');
       BEGIN
         IF p_tenant IS NULL THEN
           RAISE EXCEPTION 'audit.append: tenant is required' USING ERRCODE = '22004';
         END IF;
         INSERT INTO audit.chain_heads (tenant_id, last_seq, last_hash)
           VALUES (p_tenant, 0, '\\x'::bytea) ON CONFLICT (tenant_id) DO NOTHING;
         SELECT last_seq, last_hash INTO v_seq, v_prev FROM audit.chain_heads
           WHERE tenant_id = p_tenant FOR UPDATE;
         IF NOT FOUND THEN
           -- RLS hid the head: the row would belong to another tenant.
           RAISE EXCEPTION 'audit.append: tenant % is not the current tenant', p_tenant USING ERRCODE = '42501';
         END IF;
         v_seq := v_seq + 1;
         INSERT INTO audit.audit_log (tenant_id, seq, occurred_at, actor_id, request_id, action, entity_type,
                                      entity_id, changes, details, prev_hash, hash)
         VALUES (p_tenant, v_seq, v_at, v_actor, v_request, p_action, p_entity_type, p_entity_id, p_changes,
                 p_details, v_prev,
                 audit.row_hash(v_prev, p_tenant, v_seq, v_at, v_actor, v_request, p_action, p_entity_type,
                                p_entity_id, p_changes, p_details));
         UPDATE audit.chain_heads SET last_seq = v_seq,
           last_hash = (SELECT hash FROM audit.audit_log WHERE tenant_id = p_tenant AND seq = v_seq)
           WHERE tenant_id = p_tenant;
         RETURN v_seq;
       END $$`,

      // Row-change capture for core and clinical tables. TG_ARGV[0] names the
      // tenant column; further arguments are columns never copied (secrets).
      `CREATE FUNCTION audit.capture_row_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = pg_catalog, public AS $$
       DECLARE
         v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
         v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
         v_row jsonb := coalesce(v_new, v_old);
         v_changes jsonb := '{}'::jsonb;
         v_key text;
         v_secret text[] := TG_ARGV[1:];
       BEGIN
         FOR v_key IN SELECT jsonb_object_keys(v_row) LOOP
           CONTINUE WHEN v_key = ANY (v_secret);
           IF TG_OP = 'UPDATE' AND (v_new -> v_key) IS NOT DISTINCT FROM (v_old -> v_key) THEN
             CONTINUE;
           END IF;
           v_changes := v_changes || jsonb_build_object(v_key,
             jsonb_build_object('old', v_old -> v_key, 'new', v_new -> v_key));
         END LOOP;
         IF TG_OP = 'UPDATE' AND v_changes = '{}'::jsonb THEN
           RETURN NULL;
         END IF;
         PERFORM audit.append((v_row ->> TG_ARGV[0])::uuid, TG_OP, TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
                              v_row ->> 'id', v_changes, NULL);
         RETURN NULL;
       END $$`,

      // Outbox rows land in the audit log too, so every domain event is audited.
      `CREATE FUNCTION audit.capture_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = pg_catalog, public AS $$
       BEGIN
         PERFORM audit.append(NEW.tenant_id, NEW.event_type, NEW.aggregate_type, NEW.aggregate_id::text, NULL,
                              jsonb_build_object('eventId', NEW.id, 'payload', NEW.payload));
         RETURN NULL;
       END $$`,

      `CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit rows are append-only' USING ERRCODE = '42501';
       END $$`,
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.audit_log
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,

      `CREATE TRIGGER tenants_audit AFTER INSERT OR UPDATE OR DELETE ON core.tenants
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('id')`,
      `CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON core.users
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'password_hash')`,
      `CREATE TRIGGER outbox_audit AFTER INSERT ON events.outbox
         FOR EACH ROW EXECUTE FUNCTION audit.capture_event()`,

      `REVOKE ALL ON FUNCTION audit.append(uuid, text, text, text, jsonb, jsonb) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION audit.append(uuid, text, text, text, jsonb, jsonb) TO hims_app`,
      `GRANT SELECT ON audit.audit_log, audit.chain_heads TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP TRIGGER IF EXISTS outbox_audit ON events.outbox`,
      `DROP TRIGGER IF EXISTS users_audit ON core.users`,
      `DROP TRIGGER IF EXISTS tenants_audit ON core.tenants`,
      `DROP TABLE audit.audit_log`,
      `DROP TABLE audit.chain_heads`,
      `DROP FUNCTION audit.capture_event()`,
      `DROP FUNCTION audit.capture_row_change()`,
      `DROP FUNCTION audit.refuse_change()`,
      `DROP FUNCTION audit.append(uuid, text, text, text, jsonb, jsonb)`,
      `DROP FUNCTION audit.row_hash(bytea, uuid, bigint, timestamptz, uuid, text, text, text, text, jsonb, jsonb)`,
    ]) {
      await q.query(sql);
    }
  }
}
