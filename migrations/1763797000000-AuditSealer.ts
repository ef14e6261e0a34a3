import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit rows without a per-tenant lock on the request path.
 *
 * Before: audit.append() locked the tenant's chain head (audit.chain_heads) until
 * commit, so every audited read or write of one clinic queued behind the others.
 * Now a request only INSERTs its row, unsealed (seq, prev_hash, hash NULL), with
 * its place given by `entry_id` (an identity) and `xid` (the inserting
 * transaction). audit.seal(), run by the worker, links rows into the per-tenant
 * hash chain in (xid, entry_id) order, but only rows whose transaction is older
 * than the oldest transaction still running (pg_snapshot_xmin): no transaction
 * that could still add an earlier row is open, so the chain order is final and
 * the same whoever seals. Sealing is one transaction per call: a crash rolls it
 * back and the next call resumes where the last commit left off.
 *
 * A sealed row is immutable: the row trigger refuses every UPDATE except the one
 * that seals an unsealed row without changing its content, and DELETE/TRUNCATE
 * stay refused for everyone. The MRN counter's own audit rows (noise with no
 * entity) go away.
 */
export class AuditSealer1763797000000 implements MigrationInterface {
  name = 'AuditSealer1763797000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE audit.audit_log ADD COLUMN entry_id bigint GENERATED ALWAYS AS IDENTITY`,
      `ALTER TABLE audit.audit_log ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()`,
      `ALTER TABLE audit.audit_log ADD COLUMN sealed_at timestamptz`,
      // Rows chained by the old scheme count as sealed at their own time.
      `DROP TRIGGER audit_log_append_only ON audit.audit_log`,
      `UPDATE audit.audit_log SET sealed_at = occurred_at`,
      `ALTER TABLE audit.audit_log DROP CONSTRAINT audit_log_pkey`,
      `ALTER TABLE audit.audit_log ADD PRIMARY KEY (tenant_id, entry_id)`,
      `ALTER TABLE audit.audit_log ADD CONSTRAINT audit_log_tenant_seq_key UNIQUE (tenant_id, seq)`,
      `ALTER TABLE audit.audit_log ALTER COLUMN seq DROP NOT NULL,
                                   ALTER COLUMN prev_hash DROP NOT NULL,
                                   ALTER COLUMN hash DROP NOT NULL`,
      `ALTER TABLE audit.audit_log ADD CONSTRAINT audit_log_sealed_whole CHECK (
         (seq IS NULL AND prev_hash IS NULL AND hash IS NULL AND sealed_at IS NULL)
         OR (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL AND sealed_at IS NOT NULL))`,
      // Readers page newest first by insertion order; the sealer finds unsealed rows by index.
      `DROP INDEX audit.audit_log_entity_idx`,
      `DROP INDEX audit.audit_log_actor_idx`,
      `CREATE INDEX audit_log_entity_idx ON audit.audit_log (tenant_id, entity_id, entry_id)`,
      `CREATE INDEX audit_log_actor_idx ON audit.audit_log (tenant_id, actor_id, entry_id)`,
      `CREATE INDEX audit_log_unsealed_idx ON audit.audit_log (tenant_id, xid, entry_id) WHERE seq IS NULL`,

      `CREATE OR REPLACE FUNCTION audit.append(
         p_tenant uuid, p_action text, p_entity_type text, p_entity_id text, p_changes jsonb, p_details jsonb
       ) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         v_entry bigint;
       BEGIN
         IF p_tenant IS NULL THEN
           RAISE EXCEPTION 'audit.append: tenant is required' USING ERRCODE = '22004';
         END IF;
         -- The insert policy (FORCE RLS applies to this definer too) refuses a row
         -- for any tenant but the current one.
         INSERT INTO audit.audit_log (tenant_id, occurred_at, actor_id, request_id, action, entity_type,
                                      entity_id, changes, details)
         VALUES (p_tenant, clock_timestamp(), NULLIF(current_setting('app.current_user', true), '')::uuid,
                 NULLIF(current_setting('app.request_id', true), ''), p_action, p_entity_type, p_entity_id,
                 p_changes, p_details)
         RETURNING entry_id INTO v_entry;
         RETURN v_entry;
       END $$`,

      // Sealing is the only UPDATE an audit row ever takes.
      `CREATE FUNCTION audit.guard_seal() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.seq IS NOT NULL OR NEW.seq IS NULL
            OR (NEW.tenant_id, NEW.entry_id, NEW.xid, NEW.id, NEW.occurred_at, NEW.actor_id, NEW.request_id,
                NEW.action, NEW.entity_type, NEW.entity_id, NEW.changes, NEW.details)
               IS DISTINCT FROM
               (OLD.tenant_id, OLD.entry_id, OLD.xid, OLD.id, OLD.occurred_at, OLD.actor_id, OLD.request_id,
                OLD.action, OLD.entity_type, OLD.entity_id, OLD.changes, OLD.details) THEN
           RAISE EXCEPTION 'audit rows are append-only' USING ERRCODE = '42501';
         END IF;
         RETURN NEW;
       END $$`,
      `CREATE TRIGGER audit_log_append_only BEFORE DELETE OR TRUNCATE ON audit.audit_log
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,
      `CREATE TRIGGER audit_log_seal_only BEFORE UPDATE ON audit.audit_log
         FOR EACH ROW EXECUTE FUNCTION audit.guard_seal()`,

      // Returns how many rows it sealed and the longest wait among them (append to seal).
      `CREATE FUNCTION audit.seal(p_max_rows_per_tenant integer, OUT sealed bigint, OUT max_delay_seconds double precision)
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         -- Every transaction older than this has ended: its rows are all visible (or rolled back).
         v_horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
         v_previous text := current_setting('app.current_tenant', true);
         v_tenant uuid;
         v_seq bigint;
         v_prev bytea;
         v_hash bytea;
         v_now timestamptz := clock_timestamp();
         r record;
       BEGIN
         IF p_max_rows_per_tenant IS NULL OR p_max_rows_per_tenant < 1 THEN
           RAISE EXCEPTION 'audit.seal: batch size must be positive' USING ERRCODE = '22023';
         END IF;
         -- One sealer at a time; a second caller simply finds nothing to do.
         sealed := 0;
         max_delay_seconds := 0;
         IF NOT pg_try_advisory_xact_lock(7363797000) THEN
           RETURN;
         END IF;
         FOR v_tenant IN SELECT id FROM core.tenants ORDER BY id LOOP
           PERFORM set_config('app.current_tenant', v_tenant::text, true);
           CONTINUE WHEN NOT EXISTS (
             SELECT 1 FROM audit.audit_log WHERE tenant_id = v_tenant AND seq IS NULL AND xid < v_horizon);
           SELECT last_seq, last_hash INTO v_seq, v_prev FROM audit.chain_heads WHERE tenant_id = v_tenant;
           IF NOT FOUND THEN
             v_seq := 0;
             v_prev := '\\x'::bytea;
             INSERT INTO audit.chain_heads (tenant_id, last_seq, last_hash) VALUES (v_tenant, 0, v_prev);
           END IF;
           FOR r IN
             SELECT entry_id, occurred_at, actor_id, request_id, action, entity_type, entity_id, changes, details
               FROM audit.audit_log
              WHERE tenant_id = v_tenant AND seq IS NULL AND xid < v_horizon
              ORDER BY xid, entry_id
              LIMIT p_max_rows_per_tenant
           LOOP
             v_seq := v_seq + 1;
             v_hash := audit.row_hash(v_prev, v_tenant, v_seq, r.occurred_at, r.actor_id, r.request_id, r.action,
                                      r.entity_type, r.entity_id, r.changes, r.details);
             UPDATE audit.audit_log SET seq = v_seq, prev_hash = v_prev, hash = v_hash, sealed_at = v_now
              WHERE tenant_id = v_tenant AND entry_id = r.entry_id;
             v_prev := v_hash;
             sealed := sealed + 1;
             max_delay_seconds := greatest(max_delay_seconds, extract(epoch FROM v_now - r.occurred_at)::double precision);
           END LOOP;
           UPDATE audit.chain_heads SET last_seq = v_seq, last_hash = v_prev WHERE tenant_id = v_tenant;
         END LOOP;
         PERFORM set_config('app.current_tenant', coalesce(v_previous, ''), true);
       END $$`,
      `REVOKE ALL ON FUNCTION audit.seal(integer) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION audit.seal(integer) TO hims_app`,

      `DROP TRIGGER mrn_counters_audit ON clinical.mrn_counters`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    // Every row must be chained before the synchronous scheme can take over again.
    await q.query(`SELECT audit.seal(2147483647)`);
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM audit.audit_log WHERE seq IS NULL`);
    if (n > 0) throw new Error(`${n} audit row(s) are still unsealed (a transaction is open); try again`);
    for (const sql of [
      `CREATE TRIGGER mrn_counters_audit AFTER INSERT OR UPDATE OR DELETE ON clinical.mrn_counters
         FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id')`,
      `DROP FUNCTION audit.seal(integer)`,
      `DROP TRIGGER audit_log_seal_only ON audit.audit_log`,
      `DROP TRIGGER audit_log_append_only ON audit.audit_log`,
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.audit_log
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`,
      `DROP FUNCTION audit.guard_seal()`,
      `CREATE OR REPLACE FUNCTION audit.append(
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
      `DROP INDEX audit.audit_log_unsealed_idx`,
      `DROP INDEX audit.audit_log_entity_idx`,
      `DROP INDEX audit.audit_log_actor_idx`,
      `CREATE INDEX audit_log_entity_idx ON audit.audit_log (tenant_id, entity_id, seq)`,
      `CREATE INDEX audit_log_actor_idx ON audit.audit_log (tenant_id, actor_id, seq)`,
      `ALTER TABLE audit.audit_log DROP CONSTRAINT audit_log_sealed_whole`,
      `ALTER TABLE audit.audit_log DROP CONSTRAINT audit_log_tenant_seq_key`,
      `ALTER TABLE audit.audit_log DROP CONSTRAINT audit_log_pkey`,
      `ALTER TABLE audit.audit_log ALTER COLUMN seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL,
                                   ALTER COLUMN hash SET NOT NULL`,
      `ALTER TABLE audit.audit_log ADD PRIMARY KEY (tenant_id, seq)`,
      `ALTER TABLE audit.audit_log DROP COLUMN sealed_at, DROP COLUMN xid, DROP COLUMN entry_id`,
    ]) {
      await q.query(sql);
    }
  }
}
