-- The database schema after every migration: pg_dump --schema-only of a freshly migrated
-- database, normalised (no version banner, no SET lines, no owners), so a migration's
-- effect is a reviewable diff here. GENERATED: do not edit. Regenerate with
--   npm run -s schema:sql
-- test/integration/schema-sql.int-spec.ts fails when this file is stale.

CREATE SCHEMA analytics;

CREATE SCHEMA audit;

CREATE SCHEMA billing;

CREATE SCHEMA clinical;

CREATE SCHEMA core;

CREATE SCHEMA events;

CREATE SCHEMA platform;

-- *not* creating schema, since initdb creates it

CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;

COMMENT ON EXTENSION btree_gin IS 'support for indexing common datatypes in GIN';

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

COMMENT ON EXTENSION "uuid-ossp" IS 'generate universally unique identifiers (UUIDs)';

CREATE FUNCTION analytics.purge_processed_events(p_older_than interval) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       DECLARE
         v_tenant uuid;
         v_count bigint;
         v_total bigint := 0;
         v_previous text := current_setting('app.current_tenant', true);
       BEGIN
         IF p_older_than IS NULL OR p_older_than < interval '7 days' THEN
           RAISE EXCEPTION 'analytics.purge_processed_events: keep at least 7 days (got %)', p_older_than
             USING ERRCODE = '22023';
         END IF;
         FOR v_tenant IN SELECT id FROM core.tenants LOOP
           PERFORM set_config('app.current_tenant', v_tenant::text, true);
           DELETE FROM analytics.processed_events
            WHERE tenant_id = v_tenant AND processed_at < now() - p_older_than;
           GET DIAGNOSTICS v_count = ROW_COUNT;
           v_total := v_total + v_count;
         END LOOP;
         PERFORM set_config('app.current_tenant', coalesce(v_previous, ''), true);
         RETURN v_total;
       END $$;

CREATE FUNCTION audit.append(p_tenant uuid, p_action text, p_entity_type text, p_entity_id text, p_changes jsonb, p_details jsonb) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
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
       END $$;

CREATE FUNCTION audit.capture_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         PERFORM audit.append(NEW.tenant_id, NEW.event_type, NEW.aggregate_type, NEW.aggregate_id::text, NULL,
                              jsonb_build_object('eventId', NEW.id, 'payload', NEW.payload));
         RETURN NULL;
       END $$;

CREATE FUNCTION audit.capture_row_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
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
       END $$;

CREATE FUNCTION audit.guard_seal() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
       END $$;

CREATE FUNCTION audit.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       BEGIN
         RAISE EXCEPTION 'audit rows are append-only' USING ERRCODE = '42501';
       END $$;

CREATE FUNCTION audit.row_hash(p_prev bytea, p_tenant uuid, p_seq bigint, p_at timestamp with time zone, p_actor uuid, p_request text, p_action text, p_entity_type text, p_entity_id text, p_changes jsonb, p_details jsonb) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public'
    AS $$
         SELECT digest(
           p_prev || convert_to(concat_ws(E'\x1f',
             p_tenant::text, p_seq::text, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
             coalesce(p_actor::text, ''), coalesce(p_request, ''), p_action, p_entity_type,
             coalesce(p_entity_id, ''), coalesce(p_changes::text, ''), coalesce(p_details::text, '')), 'UTF8'),
           'sha256')
       $$;

CREATE FUNCTION audit.seal(p_max_rows_per_tenant integer, OUT sealed bigint, OUT max_delay_seconds double precision) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
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
             v_prev := '\x'::bytea;
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
       END $$;

CREATE FUNCTION billing.check_invoice_paid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       DECLARE
         v_sum bigint;
         v_paid bigint;
       BEGIN
         -- Deferred: the row as it is at commit, not as this update left it.
         SELECT paid_paise INTO v_paid FROM billing.invoices WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
         SELECT coalesce(sum(amount_paise), 0) INTO v_sum FROM billing.ledger
          WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.id;
         IF v_sum <> v_paid THEN
           RAISE EXCEPTION 'invoice % says paid % but its ledger sums to %', NEW.id, v_paid, v_sum
             USING ERRCODE = '23514';
         END IF;
         RETURN NULL;
       END $$;

CREATE FUNCTION billing.check_ledger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       DECLARE
         v_sum bigint;
         v_inv record;
         v_paid bigint;
         v_owed bigint;
       BEGIN
         IF NEW.invoice_id IS NOT NULL THEN
           SELECT coalesce(sum(amount_paise), 0) INTO v_sum FROM billing.ledger
            WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id;
           SELECT status, total_paise, paid_paise INTO v_inv FROM billing.invoices
            WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
           IF v_inv.status = 'draft' THEN
             RAISE EXCEPTION 'money on draft invoice %', NEW.invoice_id USING ERRCODE = '23514';
           END IF;
           v_owed := CASE WHEN v_inv.status = 'cancelled' THEN 0 ELSE v_inv.total_paise END;
           IF v_sum <> v_inv.paid_paise OR v_sum < 0 OR v_sum > v_owed THEN
             RAISE EXCEPTION 'ledger of invoice % sums to %, invoice says paid % of %',
               NEW.invoice_id, v_sum, v_inv.paid_paise, v_inv.total_paise USING ERRCODE = '23514';
           END IF;
         ELSE
           SELECT coalesce(sum(amount_paise), 0) INTO v_sum FROM billing.ledger
            WHERE tenant_id = NEW.tenant_id AND patient_id = NEW.patient_id AND invoice_id IS NULL;
           IF v_sum < 0 THEN
             RAISE EXCEPTION 'advance of patient % below zero', NEW.patient_id USING ERRCODE = '23514';
           END IF;
         END IF;
         IF NEW.payment_id IS NOT NULL THEN
           SELECT p.amount_paise - coalesce((SELECT sum(r.amount_paise) FROM billing.refunds r
                                              WHERE r.tenant_id = p.tenant_id AND r.payment_id = p.id), 0)
             INTO v_paid FROM billing.payments p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id;
           IF v_paid < 0 THEN
             RAISE EXCEPTION 'refunds of payment % exceed it', NEW.payment_id USING ERRCODE = '23514';
           END IF;
         END IF;
         RETURN NULL;
       END $$;

CREATE FUNCTION billing.guard_invoice() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       BEGIN
         IF OLD.status = 'draft' THEN
           IF NEW.status NOT IN ('draft', 'finalised') OR NEW.kind <> OLD.kind THEN
             RAISE EXCEPTION 'a draft invoice is finalised before it is cancelled' USING ERRCODE = '23514';
           END IF;
           RETURN NEW;
         END IF;
         IF (NEW.kind, NEW.patient_id, NEW.visit_id, NEW.number, NEW.seq, NEW.series, NEW.fiscal_year,
             NEW.subtotal_paise, NEW.discount_paise, NEW.tax_paise, NEW.total_paise, NEW.finalised_at,
             NEW.credit_note_for)
            IS DISTINCT FROM
            (OLD.kind, OLD.patient_id, OLD.visit_id, OLD.number, OLD.seq, OLD.series, OLD.fiscal_year,
             OLD.subtotal_paise, OLD.discount_paise, OLD.tax_paise, OLD.total_paise, OLD.finalised_at,
             OLD.credit_note_for) THEN
           RAISE EXCEPTION 'invoice % is finalised and cannot change', OLD.id USING ERRCODE = '42501';
         END IF;
         IF OLD.status = 'cancelled' AND NEW.status <> 'cancelled' THEN
           RAISE EXCEPTION 'a cancelled invoice stays cancelled' USING ERRCODE = '42501';
         END IF;
         IF OLD.status = 'cancelled' AND (NEW.cancel_reason, NEW.credit_note_id, NEW.cancelled_at)
              IS DISTINCT FROM (OLD.cancel_reason, OLD.credit_note_id, OLD.cancelled_at) THEN
           RAISE EXCEPTION 'a cancellation never changes' USING ERRCODE = '42501';
         END IF;
         RETURN NEW;
       END $$;

CREATE FUNCTION billing.guard_invoice_line() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       DECLARE
         v_status text;
         v_invoice uuid := coalesce(NEW.invoice_id, OLD.invoice_id);
         v_tenant uuid := coalesce(NEW.tenant_id, OLD.tenant_id);
       BEGIN
         SELECT status INTO v_status FROM billing.invoices WHERE tenant_id = v_tenant AND id = v_invoice;
         IF TG_OP = 'UPDATE' OR v_status IS DISTINCT FROM 'draft' THEN
           RAISE EXCEPTION 'lines of invoice % cannot change (status %)', v_invoice, v_status USING ERRCODE = '42501';
         END IF;
         IF TG_OP = 'DELETE' THEN
           RETURN OLD;
         END IF;
         RETURN NEW;
       END $$;

CREATE FUNCTION billing.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       BEGIN
         RAISE EXCEPTION 'billing.% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
       END $$;

CREATE FUNCTION clinical.abdm_due_transfers(p_limit integer, p_hip_prefix text) RETURNS TABLE(tenant_id uuid, id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
         SELECT r.tenant_id, r.id FROM clinical.abdm_hi_requests r
          WHERE (r.status = 'pending' OR (r.status = 'transferring' AND r.lease_until < now()))
            AND starts_with(r.hip_id, p_hip_prefix)
          ORDER BY r.created_at LIMIT p_limit
       $$;

CREATE FUNCTION clinical.abdm_due_work(p_limit integer) RETURNS TABLE(kind text, tenant_id uuid, ref uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
         (SELECT 'inbox'::text, i.tenant_id, i.request_id FROM clinical.abdm_inbox i
           WHERE i.status = 'received' ORDER BY i.received_at LIMIT p_limit)
         UNION ALL
         (SELECT 'outbound'::text, o.tenant_id, o.id FROM clinical.abdm_outbound o
           WHERE o.status = 'pending' AND o.next_attempt_at <= now() ORDER BY o.next_attempt_at LIMIT p_limit)
       $$;

CREATE FUNCTION clinical.abdm_due_work_for(p_limit integer, p_hip_prefix text) RETURNS TABLE(kind text, tenant_id uuid, ref uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
         (SELECT 'inbox'::text, i.tenant_id, i.request_id FROM clinical.abdm_inbox i
           WHERE i.status = 'received' AND starts_with(i.hip_id, p_hip_prefix) ORDER BY i.received_at LIMIT p_limit)
         UNION ALL
         (SELECT 'outbound'::text, o.tenant_id, o.id FROM clinical.abdm_outbound o
           WHERE o.status = 'pending' AND o.next_attempt_at <= now()
             AND starts_with(coalesce(o.headers ->> 'X-HIP-ID',
                   (SELECT i.hip_id FROM clinical.abdm_inbox i WHERE i.tenant_id = o.tenant_id AND i.request_id = o.in_reply_to),
                   ''), p_hip_prefix)
           ORDER BY o.next_attempt_at LIMIT p_limit)
       $$;

CREATE FUNCTION clinical.abdm_purge_inbox(p_retention interval) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       DECLARE v_count integer;
       BEGIN
         DELETE FROM clinical.abdm_inbox WHERE status <> 'received' AND processed_at < now() - p_retention;
         GET DIAGNOSTICS v_count = ROW_COUNT;
         RETURN v_count;
       END $$;

CREATE FUNCTION clinical.abdm_tenants_with_hip(p_hip_prefix text) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
         SELECT DISTINCT h.tenant_id FROM core.abdm_hips h JOIN core.tenants t ON t.id = h.tenant_id
          WHERE h.enabled AND h.auto_link AND t.status = 'active' AND starts_with(h.hip_id, p_hip_prefix)
       $$;

CREATE FUNCTION clinical.abdm_tenants_with_sms_notify(p_hip_prefix text) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
         SELECT DISTINCT h.tenant_id FROM core.abdm_hips h JOIN core.tenants t ON t.id = h.tenant_id
          WHERE h.enabled AND h.sms_notify AND t.status = 'active' AND starts_with(h.hip_id, p_hip_prefix)
       $$;

CREATE FUNCTION clinical.guard_signed_visit() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       BEGIN
         IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.patient_id IS DISTINCT FROM OLD.patient_id THEN
           RAISE EXCEPTION 'a visit cannot move to another patient or tenant' USING ERRCODE = '55000';
         END IF;
         IF OLD.signed_at IS NOT NULL AND (NEW.signed_at IS DISTINCT FROM OLD.signed_at
                                           OR NEW.signed_by IS DISTINCT FROM OLD.signed_by) THEN
           RAISE EXCEPTION 'a signature cannot change' USING ERRCODE = '55000';
         END IF;
         IF NEW.signed_at IS NOT NULL AND (NEW.content IS DISTINCT FROM OLD.content
                                           OR NEW.content_version IS DISTINCT FROM OLD.content_version) THEN
           IF NEW.content_version <> OLD.content_version + 1 OR NEW.content IS DISTINCT FROM (
                SELECT v.content FROM clinical.visit_versions v
                 WHERE v.tenant_id = NEW.tenant_id AND v.visit_id = NEW.id AND v.version = NEW.content_version) THEN
             RAISE EXCEPTION 'signed content changes only through a new version' USING ERRCODE = '55000';
           END IF;
         END IF;
         RETURN NEW;
       END $$;

CREATE FUNCTION clinical.manage_mrn_sequence() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         IF TG_OP = 'INSERT' THEN
           EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %s AS bigint MINVALUE 1', clinical.mrn_sequence_name(NEW.id));
         ELSE
           EXECUTE format('DROP SEQUENCE IF EXISTS %s', clinical.mrn_sequence_name(OLD.id));
         END IF;
         RETURN NULL;
       END $$;

CREATE FUNCTION clinical.mrn_sequence_name(p_tenant uuid) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'clinical.mrn_' || replace(p_tenant::text, '-', '') $$;

CREATE FUNCTION clinical.next_mrn_number() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       DECLARE
         v_tenant uuid := NULLIF(current_setting('app.current_tenant', true), '')::uuid;
       BEGIN
         IF v_tenant IS NULL OR NOT EXISTS (SELECT 1 FROM core.tenants WHERE id = v_tenant) THEN
           RAISE EXCEPTION 'clinical.next_mrn_number: no current tenant' USING ERRCODE = '42501';
         END IF;
         RETURN nextval(clinical.mrn_sequence_name(v_tenant));
       END $$;

CREATE FUNCTION clinical.refuse_visit_version_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
       BEGIN
         RAISE EXCEPTION 'visit versions are append-only' USING ERRCODE = '42501';
       END $$;

CREATE FUNCTION clinical.register_duplicates(p_abha_number text, p_abha_address text, p_phones text[], p_birth_date date, p_birth_year smallint, p_search_name text, p_name_similarity real, p_limit integer) RETURNS TABLE(id uuid, mrn text, reasons text[])
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public'
    AS $$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.current_tenant', true), '')::uuid;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('patient-register:' || tenant::text || ':' || p_birth_year::text, 0));
        RETURN QUERY
        WITH c AS (
          SELECT p.id, p.mrn, 'abha_number' AS reason FROM clinical.patients p
           WHERE p.tenant_id = tenant AND p.abha_number = p_abha_number
          UNION ALL
          SELECT p.id, p.mrn, 'abha_address' FROM clinical.patients p
           WHERE p.tenant_id = tenant AND p.abha_address = p_abha_address
          UNION ALL
          SELECT p.id, p.mrn, 'phone_birth_date' FROM clinical.patients p
           WHERE p.tenant_id = tenant AND cardinality(p_phones) > 0
             AND (p.phones[1] = ANY (p_phones) OR p.phones[2] = ANY (p_phones) OR p.phones[3] = ANY (p_phones))
             AND (p.birth_date = p_birth_date OR ((p_birth_date IS NULL OR p.birth_date IS NULL) AND p.birth_year = p_birth_year))
          UNION ALL
          SELECT p.id, p.mrn, 'similar_name_birth_date' FROM clinical.patients p
           WHERE p.tenant_id = tenant
             AND (p.birth_date = p_birth_date OR ((p_birth_date IS NULL OR p.birth_date IS NULL) AND p.birth_year = p_birth_year))
             AND similarity(p.search_name, p_search_name) >= p_name_similarity
        )
        SELECT c.id, c.mrn, array_agg(DISTINCT c.reason ORDER BY c.reason)
          FROM c GROUP BY c.id, c.mrn ORDER BY c.mrn LIMIT p_limit;
      END
      $$;

CREATE FUNCTION core.abdm_tenant_for_hip(p_hip_id text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
         SELECT h.tenant_id FROM core.abdm_hips h JOIN core.tenants t ON t.id = h.tenant_id
          WHERE h.hip_id = p_hip_id AND h.enabled AND t.status = 'active'
       $$;

CREATE FUNCTION core.begin_request(p_tenant uuid, p_user uuid, p_request_id text, p_session uuid) RETURNS TABLE(tenant_id uuid, slug text, name text, status text, settings jsonb, user_status text, user_roles text[], session_revoked boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         IF p_tenant IS NULL THEN
           RAISE EXCEPTION 'core.begin_request: tenant is required' USING ERRCODE = '22004';
         END IF;
         PERFORM set_config('app.current_tenant', p_tenant::text, true),
                 set_config('app.current_user', coalesce(p_user::text, ''), true),
                 set_config('app.request_id', coalesce(p_request_id, ''), true);
         RETURN QUERY
           SELECT t.id, t.slug, t.name, t.status, t.settings, u.status, u.roles,
                  CASE WHEN p_session IS NULL THEN NULL ELSE EXISTS (
                    SELECT 1 FROM core.refresh_tokens r
                     WHERE r.tenant_id = p_tenant AND r.family_id = p_session AND r.revoked_at IS NOT NULL) END
             FROM core.tenants t
             LEFT JOIN core.users u ON u.tenant_id = p_tenant AND u.id = p_user
            WHERE t.id = p_tenant;
       END $$;

CREATE FUNCTION core.tenant_id_for_slug(p_slug text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
         SELECT t.id FROM core.tenants t WHERE t.slug = lower(p_slug) AND t.status = 'active'
       $$;

CREATE FUNCTION events.purge_outbox(p_older_than interval) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       DECLARE
         v_cutoff timestamptz;
         v_tenant uuid;
         v_count bigint;
         v_total bigint := 0;
         v_previous text := current_setting('app.current_tenant', true);
       BEGIN
         IF p_older_than IS NULL OR p_older_than < interval '5 minutes' THEN
           RAISE EXCEPTION 'events.purge_outbox: keep at least 5 minutes of outbox rows (got %)', p_older_than
             USING ERRCODE = '22023';
         END IF;
         v_cutoff := now() - p_older_than;
         FOR v_tenant IN SELECT id FROM core.tenants LOOP
           PERFORM set_config('app.current_tenant', v_tenant::text, true);
           DELETE FROM events.outbox WHERE tenant_id = v_tenant AND occurred_at < v_cutoff;
           GET DIAGNOSTICS v_count = ROW_COUNT;
           v_total := v_total + v_count;
         END LOOP;
         PERFORM set_config('app.current_tenant', coalesce(v_previous, ''), true);
         RETURN v_total;
       END $$;

CREATE FUNCTION platform.activate_tenant(p_id uuid, p_saga uuid, p_request_id text, p_operator uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
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
       END $$;

CREATE FUNCTION platform.configure_tenant(p_id uuid, p_settings jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_id::text, true);
         UPDATE core.tenants SET settings = settings || p_settings, updated_at = now()
          WHERE id = p_id AND status = 'provisioning';
         IF NOT FOUND THEN
           RAISE EXCEPTION 'platform.configure_tenant: tenant is not provisioning' USING ERRCODE = '55000';
         END IF;
         EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %s AS bigint MINVALUE 1', clinical.mrn_sequence_name(p_id));
       END $$;

CREATE FUNCTION platform.create_first_admin(p_tenant uuid, p_user uuid, p_email text, p_display_name text, p_token_hash bytea, p_ttl_seconds integer) RETURNS TABLE(invitation_id uuid, expires_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
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
       END $$;

CREATE FUNCTION platform.create_tenant(p_id uuid, p_slug text, p_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_id::text, true);
         INSERT INTO core.tenants (id, slug, name, status, settings)
         VALUES (p_id, p_slug, p_name, 'provisioning', '{}'::jsonb)
         ON CONFLICT (id) DO NOTHING;
       END $$;

CREATE FUNCTION platform.discard_first_admin(p_tenant uuid, p_user uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_tenant::text, true);
         IF EXISTS (SELECT 1 FROM core.tenants t WHERE t.id = p_tenant AND t.status <> 'provisioning') THEN
           RAISE EXCEPTION 'platform.discard_first_admin: tenant is not provisioning' USING ERRCODE = '55000';
         END IF;
         DELETE FROM core.user_invitations WHERE tenant_id = p_tenant AND user_id = p_user;
         DELETE FROM core.users WHERE tenant_id = p_tenant AND id = p_user;
       END $$;

CREATE FUNCTION platform.discard_tenant(p_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         PERFORM set_config('app.current_tenant', p_id::text, true);
         IF EXISTS (SELECT 1 FROM core.tenants t WHERE t.id = p_id AND t.status <> 'provisioning') THEN
           RAISE EXCEPTION 'platform.discard_tenant: tenant is not provisioning' USING ERRCODE = '55000';
         END IF;
         DELETE FROM core.user_invitations WHERE tenant_id = p_id;
         DELETE FROM core.users WHERE tenant_id = p_id;
         DELETE FROM core.tenants WHERE id = p_id;
       END $$;

CREATE FUNCTION platform.publish_tenant_event(p_id uuid, p_type text, p_payload jsonb, p_request_id text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         IF p_type NOT IN ('tenant.provisioning_failed', 'tenant.suspended', 'tenant.reactivated') THEN
           RAISE EXCEPTION 'platform.publish_tenant_event: % is not a platform event', p_type USING ERRCODE = '22023';
         END IF;
         PERFORM set_config('app.current_tenant', p_id::text, true),
                 set_config('app.request_id', coalesce(p_request_id, ''), true);
         INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id)
         VALUES (p_id, 'tenant', p_id, p_type, p_payload, NULLIF(p_request_id, ''));
       END $$;

CREATE FUNCTION platform.reissue_first_admin_invitation(p_tenant uuid, p_user uuid, p_token_hash bytea, p_ttl_seconds integer, p_request_id text) RETURNS TABLE(invitation_id uuid, expires_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
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
       END $$;

CREATE FUNCTION platform.set_tenant_limits(p_id uuid, p_limits jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
      DECLARE
        previous jsonb;
        k text;
        v jsonb;
      BEGIN
        IF p_limits IS NOT NULL THEN
          IF jsonb_typeof(p_limits) <> 'object' THEN
            RAISE EXCEPTION 'platform.set_tenant_limits: limits must be an object' USING ERRCODE = '22023';
          END IF;
          FOR k, v IN SELECT * FROM jsonb_each(p_limits) LOOP
            IF k NOT IN ('maxConcurrentTransactions', 'writesPerMinute', 'searchesPerMinute')
               OR jsonb_typeof(v) <> 'number' OR v::numeric <> trunc(v::numeric)
               OR v::numeric < (CASE WHEN k = 'maxConcurrentTransactions' THEN 1 ELSE 0 END)
               OR v::numeric > 1000000 THEN
              RAISE EXCEPTION 'platform.set_tenant_limits: % is not a valid limit', k USING ERRCODE = '22023';
            END IF;
          END LOOP;
        END IF;
        PERFORM set_config('app.current_tenant', p_id::text, true);
        SELECT settings -> 'limits' INTO previous FROM core.tenants
         WHERE id = p_id AND status IN ('active', 'suspended') FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'platform.set_tenant_limits: tenant is not active or suspended' USING ERRCODE = '55000';
        END IF;
        UPDATE core.tenants
           SET settings = CASE WHEN p_limits IS NULL OR p_limits = '{}'::jsonb THEN settings - 'limits'
                               ELSE jsonb_set(settings, '{limits}', p_limits) END,
               updated_at = now()
         WHERE id = p_id;
        RETURN previous;
      END $$;

CREATE FUNCTION platform.set_tenant_status(p_id uuid, p_from text, p_to text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public'
    AS $$
       BEGIN
         IF NOT ((p_from = 'active' AND p_to = 'suspended') OR (p_from = 'suspended' AND p_to = 'active')) THEN
           RAISE EXCEPTION 'platform.set_tenant_status: % -> % is not allowed', p_from, p_to USING ERRCODE = '22023';
         END IF;
         PERFORM set_config('app.current_tenant', p_id::text, true);
         UPDATE core.tenants SET status = p_to, updated_at = now() WHERE id = p_id AND status = p_from;
         RETURN FOUND;
       END $$;

CREATE TABLE analytics.daily_active_users (
    tenant_id uuid NOT NULL,
    day date NOT NULL,
    user_id uuid NOT NULL,
    first_seen_at timestamp with time zone NOT NULL
);

ALTER TABLE ONLY analytics.daily_active_users FORCE ROW LEVEL SECURITY;

CREATE TABLE analytics.daily_counters (
    tenant_id uuid NOT NULL,
    day date NOT NULL,
    metric text NOT NULL,
    count bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT daily_counters_count_check CHECK ((count >= 0)),
    CONSTRAINT daily_counters_metric_check CHECK ((metric ~ '^[a-z][a-z_]*$'::text))
);

ALTER TABLE ONLY analytics.daily_counters FORCE ROW LEVEL SECURITY;

CREATE TABLE analytics.daily_revenue (
    tenant_id uuid NOT NULL,
    day date NOT NULL,
    department text NOT NULL,
    invoices bigint DEFAULT 0 NOT NULL,
    credit_notes bigint DEFAULT 0 NOT NULL,
    revenue_paise bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT daily_revenue_credit_notes_check CHECK ((credit_notes >= 0)),
    CONSTRAINT daily_revenue_department_check CHECK (((length(department) >= 1) AND (length(department) <= 100))),
    CONSTRAINT daily_revenue_invoices_check CHECK ((invoices >= 0))
);

ALTER TABLE ONLY analytics.daily_revenue FORCE ROW LEVEL SECURITY;

CREATE TABLE analytics.daily_visits (
    tenant_id uuid NOT NULL,
    day date NOT NULL,
    department text NOT NULL,
    count bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT daily_visits_count_check CHECK ((count >= 0)),
    CONSTRAINT daily_visits_department_check CHECK (((length(department) >= 1) AND (length(department) <= 100)))
);

ALTER TABLE ONLY analytics.daily_visits FORCE ROW LEVEL SECURITY;

CREATE TABLE analytics.processed_events (
    tenant_id uuid NOT NULL,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    processed_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY analytics.processed_events FORCE ROW LEVEL SECURITY;

CREATE TABLE audit.audit_log (
    tenant_id uuid NOT NULL,
    seq bigint,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    actor_id uuid,
    request_id text,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id text,
    changes jsonb,
    details jsonb,
    prev_hash bytea,
    hash bytea,
    entry_id bigint NOT NULL,
    xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    sealed_at timestamp with time zone,
    CONSTRAINT audit_log_sealed_whole CHECK ((((seq IS NULL) AND (prev_hash IS NULL) AND (hash IS NULL) AND (sealed_at IS NULL)) OR ((seq IS NOT NULL) AND (prev_hash IS NOT NULL) AND (hash IS NOT NULL) AND (sealed_at IS NOT NULL))))
);

ALTER TABLE ONLY audit.audit_log FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.audit_log ALTER COLUMN entry_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME audit.audit_log_entry_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE audit.chain_heads (
    tenant_id uuid NOT NULL,
    last_seq bigint NOT NULL,
    last_hash bytea NOT NULL
);

ALTER TABLE ONLY audit.chain_heads FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.invoice_lines (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    invoice_id uuid NOT NULL,
    "position" integer NOT NULL,
    price_item_id uuid,
    code text NOT NULL,
    description text NOT NULL,
    quantity integer NOT NULL,
    unit_price_paise bigint NOT NULL,
    gross_paise bigint NOT NULL,
    discount_paise bigint DEFAULT 0 NOT NULL,
    discount_reason text,
    gst_exempt boolean NOT NULL,
    gst_rate_bp integer,
    hsn_sac text,
    cgst_paise bigint DEFAULT 0 NOT NULL,
    sgst_paise bigint DEFAULT 0 NOT NULL,
    total_paise bigint NOT NULL,
    follow_up boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    CONSTRAINT invoice_lines_check CHECK ((gross_paise = (unit_price_paise * quantity))),
    CONSTRAINT invoice_lines_check1 CHECK (((discount_paise = 0) = (discount_reason IS NULL))),
    CONSTRAINT invoice_lines_check2 CHECK (((abs(discount_paise) <= abs(gross_paise)) AND ((sign((discount_paise)::double precision) * sign((gross_paise)::double precision)) >= (0)::double precision))),
    CONSTRAINT invoice_lines_check3 CHECK (((gst_exempt = (gst_rate_bp IS NULL)) AND (gst_exempt OR (hsn_sac IS NOT NULL)))),
    CONSTRAINT invoice_lines_check4 CHECK (((NOT gst_exempt) OR ((cgst_paise = 0) AND (sgst_paise = 0)))),
    CONSTRAINT invoice_lines_check5 CHECK ((total_paise = (((gross_paise - discount_paise) + cgst_paise) + sgst_paise))),
    CONSTRAINT invoice_lines_description_check CHECK (((length(description) >= 1) AND (length(description) <= 200))),
    CONSTRAINT invoice_lines_discount_reason_check CHECK (((discount_reason IS NULL) OR ((length(discount_reason) >= 1) AND (length(discount_reason) <= 200)))),
    CONSTRAINT invoice_lines_position_check CHECK (("position" >= 1)),
    CONSTRAINT invoice_lines_quantity_check CHECK (((quantity <> 0) AND (abs(quantity) <= 1000))),
    CONSTRAINT invoice_lines_unit_price_paise_check CHECK ((unit_price_paise >= 0))
);

ALTER TABLE ONLY billing.invoice_lines FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.invoice_series (
    tenant_id uuid NOT NULL,
    series text NOT NULL,
    fiscal_year text NOT NULL,
    last_number integer NOT NULL,
    CONSTRAINT invoice_series_fiscal_year_check CHECK ((fiscal_year ~ '^[0-9]{4}-[0-9]{2}$'::text)),
    CONSTRAINT invoice_series_last_number_check CHECK ((last_number >= 1)),
    CONSTRAINT invoice_series_series_check CHECK ((series = ANY (ARRAY['INV'::text, 'CN'::text])))
);

ALTER TABLE ONLY billing.invoice_series FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.invoices (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text DEFAULT 'invoice'::text NOT NULL,
    visit_id uuid,
    patient_id uuid NOT NULL,
    department text,
    status text DEFAULT 'draft'::text NOT NULL,
    series text,
    fiscal_year text,
    seq integer,
    number text,
    subtotal_paise bigint DEFAULT 0 NOT NULL,
    discount_paise bigint DEFAULT 0 NOT NULL,
    tax_paise bigint DEFAULT 0 NOT NULL,
    total_paise bigint DEFAULT 0 NOT NULL,
    paid_paise bigint DEFAULT 0 NOT NULL,
    credit_note_for uuid,
    credit_note_id uuid,
    cancel_reason text,
    finalised_at timestamp with time zone,
    finalised_by uuid,
    cancelled_at timestamp with time zone,
    cancelled_by uuid,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT invoices_cancel_reason_check CHECK (((cancel_reason IS NULL) OR ((length(cancel_reason) >= 1) AND (length(cancel_reason) <= 500)))),
    CONSTRAINT invoices_check CHECK (((status = 'draft'::text) = (number IS NULL))),
    CONSTRAINT invoices_check1 CHECK ((((number IS NULL) = (seq IS NULL)) AND ((seq IS NULL) = (fiscal_year IS NULL)) AND ((seq IS NULL) = (series IS NULL)))),
    CONSTRAINT invoices_check2 CHECK (((kind = 'credit_note'::text) = (credit_note_for IS NOT NULL))),
    CONSTRAINT invoices_check3 CHECK (((kind = 'invoice'::text) OR (status <> 'cancelled'::text))),
    CONSTRAINT invoices_check4 CHECK (((status = 'cancelled'::text) = ((cancelled_at IS NOT NULL) AND (cancel_reason IS NOT NULL) AND (credit_note_id IS NOT NULL)))),
    CONSTRAINT invoices_check5 CHECK ((total_paise = ((subtotal_paise - discount_paise) + tax_paise))),
    CONSTRAINT invoices_check6 CHECK (((kind = 'credit_note'::text) OR ((subtotal_paise >= 0) AND ((discount_paise >= 0) AND (discount_paise <= subtotal_paise)) AND (tax_paise >= 0)))),
    CONSTRAINT invoices_check7 CHECK (((kind = 'invoice'::text) OR (paid_paise = 0))),
    CONSTRAINT invoices_kind_check CHECK ((kind = ANY (ARRAY['invoice'::text, 'credit_note'::text]))),
    CONSTRAINT invoices_series_check CHECK ((series = ANY (ARRAY['INV'::text, 'CN'::text]))),
    CONSTRAINT invoices_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'finalised'::text, 'cancelled'::text]))),
    CONSTRAINT invoices_version_check CHECK ((version >= 1))
);

ALTER TABLE ONLY billing.invoices FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.ledger (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    entry text NOT NULL,
    invoice_id uuid,
    patient_id uuid NOT NULL,
    amount_paise bigint NOT NULL,
    mode text,
    payment_id uuid,
    refund_id uuid,
    shift_id uuid,
    created_by uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ledger_amount_paise_check CHECK ((amount_paise <> 0)),
    CONSTRAINT ledger_check CHECK (
CASE entry
    WHEN 'payment'::text THEN ((amount_paise > 0) AND (invoice_id IS NOT NULL) AND (payment_id IS NOT NULL) AND (mode IS NOT NULL))
    WHEN 'deposit'::text THEN ((amount_paise > 0) AND (invoice_id IS NULL) AND (payment_id IS NOT NULL) AND (mode IS NOT NULL))
    WHEN 'refund'::text THEN ((amount_paise < 0) AND (refund_id IS NOT NULL) AND (payment_id IS NOT NULL) AND (mode IS NOT NULL))
    WHEN 'advance_applied'::text THEN ((amount_paise > 0) AND (invoice_id IS NOT NULL) AND (mode IS NULL))
    WHEN 'advance_used'::text THEN ((amount_paise < 0) AND (invoice_id IS NULL) AND (mode IS NULL))
    ELSE NULL::boolean
END),
    CONSTRAINT ledger_entry_check CHECK ((entry = ANY (ARRAY['payment'::text, 'refund'::text, 'deposit'::text, 'advance_applied'::text, 'advance_used'::text]))),
    CONSTRAINT ledger_mode_check CHECK ((mode = ANY (ARRAY['cash'::text, 'upi'::text, 'card'::text])))
);

ALTER TABLE ONLY billing.ledger FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.payments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    invoice_id uuid,
    patient_id uuid NOT NULL,
    mode text NOT NULL,
    amount_paise bigint NOT NULL,
    tendered_paise bigint,
    change_paise bigint DEFAULT 0 NOT NULL,
    reference text,
    shift_id uuid,
    received_by uuid NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT payments_amount_paise_check CHECK (((amount_paise > 0) AND (amount_paise <= '100000000000'::bigint))),
    CONSTRAINT payments_check CHECK (((mode = 'cash'::text) OR (reference IS NOT NULL))),
    CONSTRAINT payments_check1 CHECK (((mode <> 'cash'::text) OR ((shift_id IS NOT NULL) AND (tendered_paise IS NOT NULL)))),
    CONSTRAINT payments_check2 CHECK (((tendered_paise IS NULL) OR ((tendered_paise >= amount_paise) AND (change_paise = (tendered_paise - amount_paise))))),
    CONSTRAINT payments_check3 CHECK (((tendered_paise IS NOT NULL) OR (change_paise = 0))),
    CONSTRAINT payments_mode_check CHECK ((mode = ANY (ARRAY['cash'::text, 'upi'::text, 'card'::text]))),
    CONSTRAINT payments_reference_check CHECK (((reference IS NULL) OR (reference ~ '^[A-Za-z0-9/_-]{4,64}$'::text)))
);

ALTER TABLE ONLY billing.payments FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.price_items (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    department text,
    doctor_id uuid,
    price_paise bigint NOT NULL,
    gst_exempt boolean NOT NULL,
    gst_rate_bp integer,
    hsn_sac text,
    follow_up_days integer,
    follow_up_price_paise bigint,
    effective_from date NOT NULL,
    effective_to date,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT price_items_check CHECK (((effective_to IS NULL) OR (effective_to >= effective_from))),
    CONSTRAINT price_items_check1 CHECK ((gst_exempt = (gst_rate_bp IS NULL))),
    CONSTRAINT price_items_check2 CHECK ((gst_exempt OR (hsn_sac IS NOT NULL))),
    CONSTRAINT price_items_check3 CHECK (((follow_up_days IS NULL) = (follow_up_price_paise IS NULL))),
    CONSTRAINT price_items_check4 CHECK (((follow_up_price_paise IS NULL) OR (follow_up_price_paise <= price_paise))),
    CONSTRAINT price_items_code_check CHECK ((code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'::text)),
    CONSTRAINT price_items_department_check CHECK (((department IS NULL) OR ((length(department) >= 1) AND (length(department) <= 100)))),
    CONSTRAINT price_items_follow_up_days_check CHECK (((follow_up_days IS NULL) OR ((follow_up_days >= 1) AND (follow_up_days <= 365)))),
    CONSTRAINT price_items_follow_up_price_paise_check CHECK (((follow_up_price_paise IS NULL) OR (follow_up_price_paise >= 0))),
    CONSTRAINT price_items_gst_rate_bp_check CHECK ((gst_rate_bp = ANY (ARRAY[0, 500, 1200, 1800, 2800]))),
    CONSTRAINT price_items_hsn_sac_check CHECK (((hsn_sac IS NULL) OR (hsn_sac ~ '^[0-9]{4,8}$'::text))),
    CONSTRAINT price_items_kind_check CHECK ((kind = ANY (ARRAY['consultation'::text, 'procedure'::text, 'registration'::text, 'investigation'::text, 'other'::text]))),
    CONSTRAINT price_items_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT price_items_price_paise_check CHECK (((price_paise >= 0) AND (price_paise <= '100000000000'::bigint))),
    CONSTRAINT price_items_version_check CHECK ((version >= 1))
);

ALTER TABLE ONLY billing.price_items FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.refunds (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    payment_id uuid NOT NULL,
    amount_paise bigint NOT NULL,
    mode text NOT NULL,
    reason text NOT NULL,
    shift_id uuid,
    refunded_by uuid NOT NULL,
    refunded_by_role text NOT NULL,
    refunded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT refunds_amount_paise_check CHECK ((amount_paise > 0)),
    CONSTRAINT refunds_check CHECK (((mode <> 'cash'::text) OR (shift_id IS NOT NULL))),
    CONSTRAINT refunds_mode_check CHECK ((mode = ANY (ARRAY['cash'::text, 'upi'::text, 'card'::text]))),
    CONSTRAINT refunds_reason_check CHECK (((length(reason) >= 1) AND (length(reason) <= 500)))
);

ALTER TABLE ONLY billing.refunds FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.settings (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    legal_name text,
    address text,
    gstin text,
    receptionist_discount_limit_bp integer DEFAULT 1000 NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by uuid,
    CONSTRAINT settings_address_check CHECK (((address IS NULL) OR ((length(address) >= 1) AND (length(address) <= 500)))),
    CONSTRAINT settings_gstin_check CHECK (((gstin IS NULL) OR (gstin ~ '^[0-9]{2}[A-Z0-9]{10}[0-9A-Z]Z[0-9A-Z]$'::text))),
    CONSTRAINT settings_legal_name_check CHECK (((legal_name IS NULL) OR ((length(legal_name) >= 1) AND (length(legal_name) <= 200)))),
    CONSTRAINT settings_receptionist_discount_limit_bp_check CHECK (((receptionist_discount_limit_bp >= 0) AND (receptionist_discount_limit_bp <= 10000))),
    CONSTRAINT settings_version_check CHECK ((version >= 1))
);

ALTER TABLE ONLY billing.settings FORCE ROW LEVEL SECURITY;

CREATE TABLE billing.shifts (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    opened_at timestamp with time zone DEFAULT now() NOT NULL,
    opening_float_paise bigint NOT NULL,
    closed_at timestamp with time zone,
    counted_cash_paise bigint,
    expected_cash_paise bigint,
    difference_paise bigint,
    close_note text,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT shifts_check CHECK ((((closed_at IS NULL) = (counted_cash_paise IS NULL)) AND ((closed_at IS NULL) = (expected_cash_paise IS NULL)) AND ((closed_at IS NULL) = (difference_paise IS NULL)))),
    CONSTRAINT shifts_check1 CHECK (((difference_paise IS NULL) OR (difference_paise = (counted_cash_paise - expected_cash_paise)))),
    CONSTRAINT shifts_close_note_check CHECK (((close_note IS NULL) OR ((length(close_note) >= 1) AND (length(close_note) <= 500)))),
    CONSTRAINT shifts_counted_cash_paise_check CHECK (((counted_cash_paise IS NULL) OR (counted_cash_paise >= 0))),
    CONSTRAINT shifts_opening_float_paise_check CHECK (((opening_float_paise >= 0) AND (opening_float_paise <= '10000000000'::bigint)))
);

ALTER TABLE ONLY billing.shifts FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_consents (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    consent_id text NOT NULL,
    hip_id text NOT NULL,
    status text NOT NULL,
    patient_id uuid,
    abha_address text,
    care_contexts jsonb DEFAULT '[]'::jsonb NOT NULL,
    hi_types text[] DEFAULT '{}'::text[] NOT NULL,
    purpose jsonb DEFAULT '{}'::jsonb NOT NULL,
    requester jsonb DEFAULT '{}'::jsonb NOT NULL,
    hiu_id text,
    access_mode text,
    date_from timestamp with time zone,
    date_to timestamp with time zone,
    data_erase_at timestamp with time zone,
    frequency jsonb DEFAULT '{}'::jsonb NOT NULL,
    signature text,
    last_request_id uuid NOT NULL,
    granted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT abdm_consents_care_contexts_check CHECK ((jsonb_typeof(care_contexts) = 'array'::text)),
    CONSTRAINT abdm_consents_check CHECK (((date_from IS NULL) OR (date_to IS NULL) OR (date_from <= date_to))),
    CONSTRAINT abdm_consents_consent_id_check CHECK (((length(consent_id) >= 1) AND (length(consent_id) <= 100))),
    CONSTRAINT abdm_consents_frequency_check CHECK ((jsonb_typeof(frequency) = 'object'::text)),
    CONSTRAINT abdm_consents_purpose_check CHECK ((jsonb_typeof(purpose) = 'object'::text)),
    CONSTRAINT abdm_consents_requester_check CHECK ((jsonb_typeof(requester) = 'object'::text)),
    CONSTRAINT abdm_consents_status_check CHECK ((status = ANY (ARRAY['GRANTED'::text, 'REVOKED'::text, 'EXPIRED'::text])))
);

ALTER TABLE ONLY clinical.abdm_consents FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_hi_requests (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    transaction_id uuid NOT NULL,
    consent_id text NOT NULL,
    request_id uuid NOT NULL,
    hip_id text NOT NULL,
    hiu_id text,
    data_push_url text NOT NULL,
    key_material jsonb NOT NULL,
    date_from timestamp with time zone NOT NULL,
    date_to timestamp with time zone NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    lease_until timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL,
    pages integer,
    bytes bigint,
    care_context_status jsonb DEFAULT '{}'::jsonb NOT NULL,
    failure text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    done_at timestamp with time zone,
    CONSTRAINT abdm_hi_requests_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT abdm_hi_requests_care_context_status_check CHECK ((jsonb_typeof(care_context_status) = 'object'::text)),
    CONSTRAINT abdm_hi_requests_check CHECK ((date_from <= date_to)),
    CONSTRAINT abdm_hi_requests_data_push_url_check CHECK ((data_push_url ~ '^https?://'::text)),
    CONSTRAINT abdm_hi_requests_key_material_check CHECK ((jsonb_typeof(key_material) = 'object'::text)),
    CONSTRAINT abdm_hi_requests_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'transferring'::text, 'transferred'::text, 'failed'::text, 'stopped'::text])))
);

ALTER TABLE ONLY clinical.abdm_hi_requests FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_inbox (
    tenant_id uuid NOT NULL,
    request_id uuid NOT NULL,
    kind text NOT NULL,
    hip_id text NOT NULL,
    cm_id text NOT NULL,
    body jsonb NOT NULL,
    status text DEFAULT 'received'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    error_code text,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    processed_at timestamp with time zone,
    traceparent text,
    CONSTRAINT abdm_inbox_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT abdm_inbox_body_check CHECK ((jsonb_typeof(body) = 'object'::text)),
    CONSTRAINT abdm_inbox_kind_check CHECK ((kind = ANY (ARRAY['consent_notify'::text, 'context_on_notify'::text, 'discover'::text, 'hi_request'::text, 'link_confirm'::text, 'link_init'::text, 'on_carecontext'::text, 'on_generate_token'::text, 'patient_share'::text, 'sms_on_notify'::text]))),
    CONSTRAINT abdm_inbox_status_check CHECK ((status = ANY (ARRAY['received'::text, 'processed'::text, 'failed'::text]))),
    CONSTRAINT abdm_inbox_traceparent_format CHECK ((traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$'::text))
);

ALTER TABLE ONLY clinical.abdm_inbox FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_link_tokens (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    hip_id text NOT NULL,
    abha_address text NOT NULL,
    token text NOT NULL,
    with_abha_number boolean NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    request_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT abdm_link_tokens_abha_address_check CHECK (((length(abha_address) >= 1) AND (length(abha_address) <= 100))),
    CONSTRAINT abdm_link_tokens_token_check CHECK (((length(token) >= 1) AND (length(token) <= 8000)))
);

ALTER TABLE ONLY clinical.abdm_link_tokens FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_links (
    tenant_id uuid NOT NULL,
    care_context_ref uuid NOT NULL,
    patient_id uuid NOT NULL,
    abha_address text NOT NULL,
    hi_type text NOT NULL,
    transaction_ref uuid NOT NULL,
    linked_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY clinical.abdm_links FORCE ROW LEVEL SECURITY;

COMMENT ON COLUMN clinical.abdm_links.care_context_ref IS 'The linked visit; with hi_type it names one care context (reference number: libs/abdm care-contexts.ts)';

CREATE TABLE clinical.abdm_notifications (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL,
    request_id uuid NOT NULL,
    hip_id text NOT NULL,
    transaction_ref uuid,
    patient_id uuid NOT NULL,
    visit_ref uuid,
    status text DEFAULT 'pending'::text NOT NULL,
    error_code text,
    answered_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    answered_at timestamp with time zone,
    resends integer DEFAULT 0 NOT NULL,
    CONSTRAINT abdm_notifications_error_code_check CHECK ((length(error_code) <= 100)),
    CONSTRAINT abdm_notifications_kind_check CHECK ((kind = ANY (ARRAY['context_notify'::text, 'sms_notify'::text]))),
    CONSTRAINT abdm_notifications_resends_check CHECK ((resends >= 0)),
    CONSTRAINT abdm_notifications_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'acknowledged'::text, 'errored'::text, 'failed'::text])))
);

ALTER TABLE ONLY clinical.abdm_notifications FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_outbound (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    transaction_ref uuid,
    path text NOT NULL,
    request_id uuid NOT NULL,
    in_reply_to uuid,
    body jsonb NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    last_status integer,
    last_error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    headers jsonb DEFAULT '{}'::jsonb NOT NULL,
    traceparent text,
    gateway_code text,
    gateway_message text,
    CONSTRAINT abdm_outbound_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT abdm_outbound_body_check CHECK ((jsonb_typeof(body) = 'object'::text)),
    CONSTRAINT abdm_outbound_gateway_code_check CHECK ((length(gateway_code) <= 40)),
    CONSTRAINT abdm_outbound_gateway_message_check CHECK ((length(gateway_message) <= 300)),
    CONSTRAINT abdm_outbound_headers_check CHECK ((jsonb_typeof(headers) = 'object'::text)),
    CONSTRAINT abdm_outbound_path_check CHECK ((path ~ '^/api/'::text)),
    CONSTRAINT abdm_outbound_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'sent'::text, 'failed'::text]))),
    CONSTRAINT abdm_outbound_traceparent_format CHECK ((traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$'::text))
);

ALTER TABLE ONLY clinical.abdm_outbound FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_profile_shares (
    tenant_id uuid NOT NULL,
    request_id uuid NOT NULL,
    hip_id text NOT NULL,
    counter text NOT NULL,
    abha_address text NOT NULL,
    patient_id uuid,
    outcome text NOT NULL,
    candidates uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    service_day date NOT NULL,
    token_number integer NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT abdm_profile_shares_check CHECK (((outcome = 'review'::text) = (patient_id IS NULL))),
    CONSTRAINT abdm_profile_shares_counter_check CHECK (((length(counter) >= 1) AND (length(counter) <= 100))),
    CONSTRAINT abdm_profile_shares_outcome_check CHECK ((outcome = ANY (ARRAY['matched'::text, 'registered'::text, 'review'::text]))),
    CONSTRAINT abdm_profile_shares_token_number_check CHECK ((token_number > 0))
);

ALTER TABLE ONLY clinical.abdm_profile_shares FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_share_counters (
    tenant_id uuid NOT NULL,
    hip_id text NOT NULL,
    counter text NOT NULL,
    service_day date NOT NULL,
    last_token integer NOT NULL,
    CONSTRAINT abdm_share_counters_last_token_check CHECK ((last_token > 0))
);

ALTER TABLE ONLY clinical.abdm_share_counters FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_sms_sink (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    phone text NOT NULL,
    message text NOT NULL,
    transaction_ref uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY clinical.abdm_sms_sink FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_transactions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    transaction_id uuid NOT NULL,
    hip_id text NOT NULL,
    state text NOT NULL,
    patient_id uuid,
    abha_address text,
    discovery jsonb DEFAULT '{}'::jsonb NOT NULL,
    requested_contexts text[] DEFAULT '{}'::text[] NOT NULL,
    link_ref uuid,
    otp_hash text,
    otp_salt text,
    otp_expires_at timestamp with time zone,
    otp_attempts integer DEFAULT 0 NOT NULL,
    failure text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    kind text DEFAULT 'user_initiated'::text NOT NULL,
    visit_ref uuid,
    retry_of uuid,
    CONSTRAINT abdm_transactions_discovery_check CHECK ((jsonb_typeof(discovery) = 'object'::text)),
    CONSTRAINT abdm_transactions_kind_check CHECK ((kind = ANY (ARRAY['user_initiated'::text, 'hip_initiated'::text]))),
    CONSTRAINT abdm_transactions_otp_attempts_check CHECK ((otp_attempts >= 0)),
    CONSTRAINT abdm_transactions_state_check CHECK ((state = ANY (ARRAY['discovered'::text, 'no_match'::text, 'link_initiated'::text, 'token_requested'::text, 'linking'::text, 'linked'::text, 'failed'::text, 'expired'::text])))
);

ALTER TABLE ONLY clinical.abdm_transactions FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abdm_transitions (
    tenant_id uuid NOT NULL,
    id bigint NOT NULL,
    transaction_ref uuid NOT NULL,
    from_state text,
    to_state text NOT NULL,
    cause text NOT NULL,
    request_id uuid,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    CONSTRAINT abdm_transitions_cause_check CHECK (((length(cause) >= 1) AND (length(cause) <= 200)))
);

ALTER TABLE ONLY clinical.abdm_transitions FORCE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_transitions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME clinical.abdm_transitions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE clinical.abha_flows (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    purpose text NOT NULL,
    method text NOT NULL,
    state text NOT NULL,
    txn_id text,
    user_token text,
    t_token text,
    accounts jsonb,
    profile jsonb,
    aadhaar_last4 text,
    consent_version text,
    consent_at timestamp with time zone,
    otp_requests integer DEFAULT 1 NOT NULL,
    patient_id uuid,
    created_by uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT abha_flows_aadhaar_last4_check CHECK ((aadhaar_last4 ~ '^[0-9]{4}$'::text)),
    CONSTRAINT abha_flows_check CHECK (((purpose <> 'enrol'::text) OR ((consent_version IS NOT NULL) AND (consent_at IS NOT NULL) AND (aadhaar_last4 IS NOT NULL)))),
    CONSTRAINT abha_flows_consent_version_check CHECK ((length(consent_version) <= 20)),
    CONSTRAINT abha_flows_method_check CHECK ((method = ANY (ARRAY['aadhaar'::text, 'mobile'::text, 'abha-number'::text, 'abha-address'::text]))),
    CONSTRAINT abha_flows_otp_requests_check CHECK ((otp_requests >= 0)),
    CONSTRAINT abha_flows_purpose_check CHECK ((purpose = ANY (ARRAY['enrol'::text, 'verify'::text]))),
    CONSTRAINT abha_flows_state_check CHECK ((state = ANY (ARRAY['otp-sent'::text, 'mobile-otp-sent'::text, 'choose-account'::text, 'verified'::text, 'completed'::text]))),
    CONSTRAINT abha_flows_t_token_check CHECK ((length(t_token) <= 8000)),
    CONSTRAINT abha_flows_txn_id_check CHECK ((length(txn_id) <= 200)),
    CONSTRAINT abha_flows_user_token_check CHECK ((length(user_token) <= 8000))
);

ALTER TABLE ONLY clinical.abha_flows FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.abha_verifications (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    patient_id uuid NOT NULL,
    abha_number text NOT NULL,
    abha_address text,
    method text NOT NULL,
    purpose text NOT NULL,
    flow_id uuid NOT NULL,
    verified_by uuid NOT NULL,
    verified_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT abha_verifications_abha_number_check CHECK ((abha_number ~ '^[0-9]{14}$'::text)),
    CONSTRAINT abha_verifications_method_check CHECK ((method = ANY (ARRAY['aadhaar'::text, 'mobile'::text, 'abha-number'::text, 'abha-address'::text]))),
    CONSTRAINT abha_verifications_purpose_check CHECK ((purpose = ANY (ARRAY['enrol'::text, 'verify'::text])))
);

ALTER TABLE ONLY clinical.abha_verifications FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.appointments (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    patient_id uuid NOT NULL,
    doctor_id uuid NOT NULL,
    department text NOT NULL,
    slot_start timestamp with time zone NOT NULL,
    slot_end timestamp with time zone NOT NULL,
    status text DEFAULT 'booked'::text NOT NULL,
    cancel_reason text,
    visit_id uuid,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT appointments_cancel_reason_check CHECK (((length(cancel_reason) >= 1) AND (length(cancel_reason) <= 500))),
    CONSTRAINT appointments_check CHECK ((slot_end > slot_start)),
    CONSTRAINT appointments_check1 CHECK (((status = 'cancelled'::text) = (cancel_reason IS NOT NULL))),
    CONSTRAINT appointments_check2 CHECK (((status = 'checked-in'::text) = (visit_id IS NOT NULL))),
    CONSTRAINT appointments_department_check CHECK (((length(department) >= 1) AND (length(department) <= 100))),
    CONSTRAINT appointments_status_check CHECK ((status = ANY (ARRAY['booked'::text, 'checked-in'::text, 'cancelled'::text, 'no-show'::text]))),
    CONSTRAINT appointments_version_check CHECK ((version >= 1))
);

ALTER TABLE ONLY clinical.appointments FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.doctor_schedules (
    tenant_id uuid NOT NULL,
    doctor_id uuid NOT NULL,
    department text NOT NULL,
    slot_minutes integer NOT NULL,
    capacity integer NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by uuid,
    CONSTRAINT doctor_schedules_capacity_check CHECK (((capacity >= 1) AND (capacity <= 100))),
    CONSTRAINT doctor_schedules_department_check CHECK (((length(department) >= 1) AND (length(department) <= 100))),
    CONSTRAINT doctor_schedules_slot_minutes_check CHECK (((slot_minutes >= 5) AND (slot_minutes <= 240))),
    CONSTRAINT doctor_schedules_version_check CHECK ((version >= 1))
);

ALTER TABLE ONLY clinical.doctor_schedules FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.mrn_counters (
    tenant_id uuid NOT NULL,
    last_value bigint NOT NULL,
    CONSTRAINT mrn_counters_last_value_check CHECK ((last_value >= 0))
);

ALTER TABLE ONLY clinical.mrn_counters FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.patients (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    mrn text NOT NULL,
    name_given text[] DEFAULT '{}'::text[] NOT NULL,
    name_family text,
    name_prefix text[] DEFAULT '{}'::text[] NOT NULL,
    name_text text NOT NULL,
    search_name text NOT NULL,
    gender text NOT NULL,
    birth_date date,
    birth_year smallint NOT NULL,
    birth_date_approximate boolean DEFAULT false NOT NULL,
    phones text[] DEFAULT '{}'::text[] NOT NULL,
    email text,
    address jsonb,
    abha_number text,
    abha_address text,
    active boolean DEFAULT true NOT NULL,
    deceased boolean DEFAULT false NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT patients_abha_address_check CHECK (((abha_address = lower(abha_address)) AND (abha_address ~ '^[a-z0-9._]{8,18}@(abdm|sbx)$'::text))),
    CONSTRAINT patients_abha_number_check CHECK ((abha_number ~ '^[0-9]{14}$'::text)),
    CONSTRAINT patients_address_check CHECK (((address IS NULL) OR (jsonb_typeof(address) = 'object'::text))),
    CONSTRAINT patients_birth_year_check CHECK (((birth_year >= 1850) AND (birth_year <= 2200))),
    CONSTRAINT patients_birth_year_matches CHECK (((birth_date IS NULL) OR (EXTRACT(year FROM birth_date) = (birth_year)::numeric))),
    CONSTRAINT patients_email_check CHECK (((length(email) >= 3) AND (length(email) <= 254))),
    CONSTRAINT patients_gender_check CHECK ((gender = ANY (ARRAY['male'::text, 'female'::text, 'other'::text, 'unknown'::text]))),
    CONSTRAINT patients_mrn_check CHECK (((length(mrn) >= 1) AND (length(mrn) <= 32))),
    CONSTRAINT patients_name_family_check CHECK (((length(name_family) >= 1) AND (length(name_family) <= 100))),
    CONSTRAINT patients_name_given_check CHECK ((cardinality(name_given) <= 5)),
    CONSTRAINT patients_name_prefix_check CHECK ((cardinality(name_prefix) <= 3)),
    CONSTRAINT patients_name_text_check CHECK (((length(name_text) >= 1) AND (length(name_text) <= 300))),
    CONSTRAINT patients_phones_check CHECK (((cardinality(phones) <= 3) AND (array_position(phones, NULL::text) IS NULL))),
    CONSTRAINT patients_search_name_check CHECK (((length(search_name) >= 1) AND (length(search_name) <= 300))),
    CONSTRAINT patients_version_check CHECK ((version >= 1)),
    CONSTRAINT patients_year_only_is_approximate CHECK (((birth_date IS NOT NULL) OR birth_date_approximate))
)
WITH (autovacuum_vacuum_insert_scale_factor='0.01');

ALTER TABLE ONLY clinical.patients FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.queue_counters (
    tenant_id uuid NOT NULL,
    lane text NOT NULL,
    service_day date NOT NULL,
    last_token integer NOT NULL,
    CONSTRAINT queue_counters_lane_check CHECK (((length(lane) >= 1) AND (length(lane) <= 250))),
    CONSTRAINT queue_counters_last_token_check CHECK ((last_token > 0))
);

ALTER TABLE ONLY clinical.queue_counters FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.queue_displays (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    key_hash bytea NOT NULL,
    label text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    revoked_at timestamp with time zone,
    CONSTRAINT queue_displays_label_check CHECK (((length(label) >= 1) AND (length(label) <= 100)))
);

ALTER TABLE ONLY clinical.queue_displays FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.queue_entries (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    service_day date NOT NULL,
    lane text NOT NULL,
    doctor_id uuid,
    token integer NOT NULL,
    patient_id uuid,
    appointment_id uuid,
    visit_id uuid,
    source text NOT NULL,
    status text DEFAULT 'waiting'::text NOT NULL,
    "position" double precision NOT NULL,
    reorder_reason text,
    joined_at timestamp with time zone DEFAULT now() NOT NULL,
    called_at timestamp with time zone,
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    updated_by uuid,
    CONSTRAINT queue_entries_check CHECK (((lane ~~ 'counter:%'::text) = (doctor_id IS NULL))),
    CONSTRAINT queue_entries_lane_check CHECK (((length(lane) >= 1) AND (length(lane) <= 250))),
    CONSTRAINT queue_entries_reorder_reason_check CHECK (((length(reorder_reason) >= 1) AND (length(reorder_reason) <= 200))),
    CONSTRAINT queue_entries_source_check CHECK ((source = ANY (ARRAY['walk-in'::text, 'appointment'::text, 'scan-share'::text]))),
    CONSTRAINT queue_entries_status_check CHECK ((status = ANY (ARRAY['waiting'::text, 'called'::text, 'in-consultation'::text, 'done'::text, 'skipped'::text, 'recalled'::text]))),
    CONSTRAINT queue_entries_token_check CHECK ((token > 0)),
    CONSTRAINT queue_entries_version_check CHECK ((version >= 1))
);

ALTER TABLE ONLY clinical.queue_entries FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.queue_settings (
    tenant_id uuid NOT NULL,
    display_initials boolean DEFAULT false NOT NULL,
    no_show_grace_minutes integer DEFAULT 30 NOT NULL,
    turn_near_ahead integer DEFAULT 3 NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_by uuid,
    CONSTRAINT queue_settings_no_show_grace_minutes_check CHECK (((no_show_grace_minutes >= 0) AND (no_show_grace_minutes <= 480))),
    CONSTRAINT queue_settings_turn_near_ahead_check CHECK (((turn_near_ahead >= 1) AND (turn_near_ahead <= 20)))
);

ALTER TABLE ONLY clinical.queue_settings FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.reminders_sent (
    tenant_id uuid NOT NULL,
    event_key text NOT NULL,
    kind text NOT NULL,
    patient_id uuid NOT NULL,
    outcome text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reminders_sent_event_key_check CHECK (((length(event_key) >= 1) AND (length(event_key) <= 200))),
    CONSTRAINT reminders_sent_kind_check CHECK ((kind = ANY (ARRAY['appointment-reminder'::text, 'turn-near'::text]))),
    CONSTRAINT reminders_sent_outcome_check CHECK ((outcome = ANY (ARRAY['sent'::text, 'opted-out'::text, 'no-phone'::text])))
);

ALTER TABLE ONLY clinical.reminders_sent FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.schedule_exceptions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    doctor_id uuid,
    day date NOT NULL,
    kind text NOT NULL,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    CONSTRAINT schedule_exceptions_check CHECK (((kind = 'holiday'::text) = (doctor_id IS NULL))),
    CONSTRAINT schedule_exceptions_kind_check CHECK ((kind = ANY (ARRAY['leave'::text, 'holiday'::text]))),
    CONSTRAINT schedule_exceptions_note_check CHECK ((length(note) <= 200))
);

ALTER TABLE ONLY clinical.schedule_exceptions FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.schedule_periods (
    tenant_id uuid NOT NULL,
    doctor_id uuid NOT NULL,
    weekday smallint NOT NULL,
    starts time without time zone NOT NULL,
    ends time without time zone NOT NULL,
    CONSTRAINT schedule_periods_check CHECK ((ends > starts)),
    CONSTRAINT schedule_periods_weekday_check CHECK (((weekday >= 1) AND (weekday <= 7)))
);

ALTER TABLE ONLY clinical.schedule_periods FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.slot_bookings (
    tenant_id uuid NOT NULL,
    doctor_id uuid NOT NULL,
    slot_start timestamp with time zone NOT NULL,
    booked integer NOT NULL,
    CONSTRAINT slot_bookings_booked_check CHECK ((booked >= 0))
);

ALTER TABLE ONLY clinical.slot_bookings FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.sms_opt_outs (
    tenant_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid
);

ALTER TABLE ONLY clinical.sms_opt_outs FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.visit_versions (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    visit_id uuid NOT NULL,
    version integer NOT NULL,
    content jsonb NOT NULL,
    reason text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT visit_versions_amendment_has_reason CHECK (((version = 1) = (reason IS NULL))),
    CONSTRAINT visit_versions_content_check CHECK (((jsonb_typeof(content) = 'object'::text) AND (octet_length((content)::text) <= 262144))),
    CONSTRAINT visit_versions_reason_check CHECK (((reason IS NULL) OR ((length(reason) >= 1) AND (length(reason) <= 500)))),
    CONSTRAINT visit_versions_version_check CHECK ((version >= 1))
);

ALTER TABLE ONLY clinical.visit_versions FORCE ROW LEVEL SECURITY;

CREATE TABLE clinical.visits (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    patient_id uuid NOT NULL,
    attending_doctor_id uuid NOT NULL,
    department text NOT NULL,
    scheduled_at timestamp with time zone NOT NULL,
    status text DEFAULT 'planned'::text NOT NULL,
    signed_at timestamp with time zone,
    signed_by uuid,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    visit_type text DEFAULT 'outpatient-consultation'::text NOT NULL,
    reason text,
    status_reason text,
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    content jsonb DEFAULT '{"vitals": {}, "diagnoses": [], "complaints": [], "medications": []}'::jsonb NOT NULL,
    content_version integer DEFAULT 0 NOT NULL,
    CONSTRAINT visits_content_check CHECK (((jsonb_typeof(content) = 'object'::text) AND (octet_length((content)::text) <= 262144))),
    CONSTRAINT visits_content_version_check CHECK ((content_version >= 0)),
    CONSTRAINT visits_department_check CHECK (((length(department) >= 1) AND (length(department) <= 100))),
    CONSTRAINT visits_error_has_reason CHECK (((status <> 'entered-in-error'::text) OR (status_reason IS NOT NULL))),
    CONSTRAINT visits_reason_check CHECK (((reason IS NULL) OR ((length(reason) >= 1) AND (length(reason) <= 500)))),
    CONSTRAINT visits_signed_is_finished CHECK (((signed_at IS NULL) OR (status = ANY (ARRAY['finished'::text, 'entered-in-error'::text])))),
    CONSTRAINT visits_signer_check CHECK (((signed_at IS NULL) = (signed_by IS NULL))),
    CONSTRAINT visits_status_check CHECK ((status = ANY (ARRAY['planned'::text, 'arrived'::text, 'in-progress'::text, 'finished'::text, 'cancelled'::text, 'entered-in-error'::text]))),
    CONSTRAINT visits_status_reason_check CHECK (((status_reason IS NULL) OR ((length(status_reason) >= 1) AND (length(status_reason) <= 500)))),
    CONSTRAINT visits_times_check CHECK (((ended_at IS NULL) OR (started_at IS NULL) OR (ended_at >= started_at))),
    CONSTRAINT visits_version_check CHECK ((version >= 1)),
    CONSTRAINT visits_visit_type_check CHECK ((visit_type = 'outpatient-consultation'::text))
);

ALTER TABLE ONLY clinical.visits FORCE ROW LEVEL SECURITY;

CREATE TABLE core.abdm_hips (
    tenant_id uuid NOT NULL,
    hip_id text NOT NULL,
    name text,
    enabled boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    auto_link boolean DEFAULT false NOT NULL,
    sms_notify boolean DEFAULT false NOT NULL,
    sms_notify_since timestamp with time zone,
    CONSTRAINT abdm_hips_hip_id_check CHECK ((hip_id ~ '^[A-Za-z0-9._-]{1,64}$'::text)),
    CONSTRAINT abdm_hips_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200)))
);

ALTER TABLE ONLY core.abdm_hips FORCE ROW LEVEL SECURITY;

CREATE TABLE core.idempotency_keys (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    status_code smallint NOT NULL,
    headers jsonb DEFAULT '{}'::jsonb NOT NULL,
    body jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT idempotency_keys_check CHECK ((expires_at > created_at)),
    CONSTRAINT idempotency_keys_fingerprint_check CHECK ((fingerprint ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT idempotency_keys_headers_check CHECK ((jsonb_typeof(headers) = 'object'::text)),
    CONSTRAINT idempotency_keys_key_check CHECK (((length(key) >= 1) AND (length(key) <= 255))),
    CONSTRAINT idempotency_keys_status_code_check CHECK (((status_code >= 200) AND (status_code <= 599)))
);

ALTER TABLE ONLY core.idempotency_keys FORCE ROW LEVEL SECURITY;

CREATE TABLE core.identity_providers (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    issuer text NOT NULL,
    jwks_uri text NOT NULL,
    audience text NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT identity_providers_audience_check CHECK (((length(audience) >= 1) AND (length(audience) <= 2000))),
    CONSTRAINT identity_providers_issuer_check CHECK (((length(issuer) >= 1) AND (length(issuer) <= 2000))),
    CONSTRAINT identity_providers_jwks_uri_check CHECK ((jwks_uri ~ '^https?://'::text)),
    CONSTRAINT identity_providers_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200)))
);

ALTER TABLE ONLY core.identity_providers FORCE ROW LEVEL SECURITY;

CREATE TABLE core.login_attempts (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    client_address inet,
    user_id uuid,
    succeeded boolean NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT login_attempts_email_check CHECK ((length(email) <= 320))
);

ALTER TABLE ONLY core.login_attempts FORCE ROW LEVEL SECURITY;

CREATE TABLE core.refresh_tokens (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    family_id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    issued_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    rotated_at timestamp with time zone,
    replaced_by uuid,
    revoked_at timestamp with time zone,
    revoked_reason text,
    CONSTRAINT refresh_tokens_revoked_reason_check CHECK ((revoked_reason = ANY (ARRAY['logout'::text, 'reuse'::text, 'user_disabled'::text, 'user_inactive'::text, 'password_changed'::text, 'logout_all'::text]))),
    CONSTRAINT refresh_tokens_token_hash_check CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY core.refresh_tokens FORCE ROW LEVEL SECURITY;

CREATE TABLE core.roles (
    name text NOT NULL,
    description text NOT NULL
);

CREATE TABLE core.tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenants_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT tenants_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'::text)),
    CONSTRAINT tenants_status_check CHECK ((status = ANY (ARRAY['provisioning'::text, 'active'::text, 'suspended'::text])))
);

ALTER TABLE ONLY core.tenants FORCE ROW LEVEL SECURITY;

CREATE TABLE core.user_identities (
    tenant_id uuid NOT NULL,
    issuer text NOT NULL,
    subject text NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    linked_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_identities_subject_check CHECK (((length(subject) >= 1) AND (length(subject) <= 255)))
);

ALTER TABLE ONLY core.user_identities FORCE ROW LEVEL SECURITY;

CREATE TABLE core.user_invitations (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    created_by uuid,
    CONSTRAINT user_invitations_check CHECK ((expires_at > created_at)),
    CONSTRAINT user_invitations_check1 CHECK (((accepted_at IS NULL) OR (accepted_at >= created_at))),
    CONSTRAINT user_invitations_token_hash_check CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY core.user_invitations FORCE ROW LEVEL SECURITY;

CREATE TABLE core.users (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    display_name text NOT NULL,
    password_hash text,
    status text DEFAULT 'active'::text NOT NULL,
    roles text[] DEFAULT '{}'::text[] NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by uuid,
    updated_by uuid,
    CONSTRAINT users_display_name_check CHECK (((length(display_name) >= 1) AND (length(display_name) <= 200))),
    CONSTRAINT users_email_check CHECK (((length(email) >= 3) AND (length(email) <= 320))),
    CONSTRAINT users_roles_check CHECK ((roles <@ ARRAY['tenant_admin'::text, 'doctor'::text, 'nurse'::text, 'receptionist'::text])),
    CONSTRAINT users_status_check CHECK ((status = ANY (ARRAY['active'::text, 'disabled'::text])))
);

ALTER TABLE ONLY core.users FORCE ROW LEVEL SECURITY;

CREATE TABLE events.outbox (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    aggregate_type text NOT NULL,
    aggregate_id uuid NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    occurred_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    request_id text,
    actor_id uuid,
    schema_version integer DEFAULT 1 NOT NULL,
    traceparent text,
    tracestate text,
    CONSTRAINT outbox_aggregate_type_check CHECK ((aggregate_type ~ '^[a-z][a-z_]*$'::text)),
    CONSTRAINT outbox_event_type_check CHECK ((event_type ~ '^[a-z][a-z_]*\.[a-z_]+$'::text)),
    CONSTRAINT outbox_traceparent_format CHECK ((traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$'::text)),
    CONSTRAINT outbox_tracestate_format CHECK (((length(tracestate) <= 512) AND (tracestate !~ '[^\x20-\x7e]'::text)))
);

ALTER TABLE ONLY events.outbox FORCE ROW LEVEL SECURITY;

CREATE TABLE platform.audit (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    operator_id uuid,
    action text NOT NULL,
    target_type text,
    target_id uuid,
    outcome text NOT NULL,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id text,
    CONSTRAINT audit_action_check CHECK ((action ~ '^[a-z][a-z_.]*$'::text)),
    CONSTRAINT audit_outcome_check CHECK ((outcome = ANY (ARRAY['succeeded'::text, 'failed'::text, 'refused'::text])))
);

CREATE TABLE platform.operator_login_attempts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    client_address inet,
    operator_id uuid,
    succeeded boolean NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);

CREATE TABLE platform.operators (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT operators_display_name_check CHECK (((length(display_name) >= 1) AND (length(display_name) <= 200))),
    CONSTRAINT operators_email_check CHECK (((length(email) >= 3) AND (length(email) <= 320))),
    CONSTRAINT operators_status_check CHECK ((status = ANY (ARRAY['active'::text, 'disabled'::text])))
);

CREATE TABLE platform.saga_steps (
    saga_id uuid NOT NULL,
    step text NOT NULL,
    status text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    error text,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    compensated_at timestamp with time zone,
    CONSTRAINT saga_steps_status_check CHECK ((status = ANY (ARRAY['running'::text, 'done'::text, 'failed'::text, 'compensated'::text])))
);

CREATE TABLE platform.sagas (
    id uuid NOT NULL,
    kind text NOT NULL,
    operator_id uuid,
    idempotency_key text,
    fingerprint text,
    tenant_id uuid NOT NULL,
    slug text NOT NULL,
    input jsonb NOT NULL,
    status text DEFAULT 'running'::text NOT NULL,
    failed_step text,
    error text,
    created_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT sagas_kind_check CHECK ((kind = 'tenant_provisioning'::text)),
    CONSTRAINT sagas_status_check CHECK ((status = ANY (ARRAY['running'::text, 'compensating'::text, 'completed'::text, 'failed'::text])))
);

CREATE TABLE platform.slug_reservations (
    slug text NOT NULL,
    saga_id uuid NOT NULL,
    reserved_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);

CREATE TABLE public.typeorm_migrations (
    id integer NOT NULL,
    "timestamp" bigint NOT NULL,
    name character varying NOT NULL
);

CREATE SEQUENCE public.typeorm_migrations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.typeorm_migrations_id_seq OWNED BY public.typeorm_migrations.id;

ALTER TABLE ONLY public.typeorm_migrations ALTER COLUMN id SET DEFAULT nextval('public.typeorm_migrations_id_seq'::regclass);

ALTER TABLE ONLY analytics.daily_active_users
    ADD CONSTRAINT daily_active_users_pkey PRIMARY KEY (tenant_id, day, user_id);

ALTER TABLE ONLY analytics.daily_counters
    ADD CONSTRAINT daily_counters_pkey PRIMARY KEY (tenant_id, day, metric);

ALTER TABLE ONLY analytics.daily_revenue
    ADD CONSTRAINT daily_revenue_pkey PRIMARY KEY (tenant_id, day, department);

ALTER TABLE ONLY analytics.daily_visits
    ADD CONSTRAINT daily_visits_pkey PRIMARY KEY (tenant_id, day, department);

ALTER TABLE ONLY analytics.processed_events
    ADD CONSTRAINT processed_events_pkey PRIMARY KEY (tenant_id, event_id);

ALTER TABLE ONLY audit.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (tenant_id, entry_id);

ALTER TABLE ONLY audit.audit_log
    ADD CONSTRAINT audit_log_tenant_seq_key UNIQUE (tenant_id, seq);

ALTER TABLE ONLY audit.chain_heads
    ADD CONSTRAINT chain_heads_pkey PRIMARY KEY (tenant_id);

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_tenant_id_invoice_id_position_key UNIQUE (tenant_id, invoice_id, "position");

ALTER TABLE ONLY billing.invoice_series
    ADD CONSTRAINT invoice_series_pkey PRIMARY KEY (tenant_id, series, fiscal_year);

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_tenant_id_series_fiscal_year_seq_key UNIQUE (tenant_id, series, fiscal_year, seq);

ALTER TABLE ONLY billing.ledger
    ADD CONSTRAINT ledger_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY billing.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY billing.price_items
    ADD CONSTRAINT price_items_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY billing.price_items
    ADD CONSTRAINT price_items_tenant_id_code_effective_from_key UNIQUE (tenant_id, code, effective_from);

ALTER TABLE ONLY billing.refunds
    ADD CONSTRAINT refunds_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY billing.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (tenant_id);

ALTER TABLE ONLY billing.settings
    ADD CONSTRAINT settings_tenant_id_id_key UNIQUE (tenant_id, id);

ALTER TABLE ONLY billing.shifts
    ADD CONSTRAINT shifts_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abdm_consents
    ADD CONSTRAINT abdm_consents_pkey PRIMARY KEY (tenant_id, consent_id);

ALTER TABLE ONLY clinical.abdm_hi_requests
    ADD CONSTRAINT abdm_hi_requests_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abdm_inbox
    ADD CONSTRAINT abdm_inbox_pkey PRIMARY KEY (tenant_id, request_id);

ALTER TABLE ONLY clinical.abdm_link_tokens
    ADD CONSTRAINT abdm_link_tokens_pkey PRIMARY KEY (tenant_id, hip_id, abha_address);

ALTER TABLE ONLY clinical.abdm_links
    ADD CONSTRAINT abdm_links_pkey PRIMARY KEY (tenant_id, care_context_ref, hi_type);

ALTER TABLE ONLY clinical.abdm_notifications
    ADD CONSTRAINT abdm_notifications_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abdm_outbound
    ADD CONSTRAINT abdm_outbound_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abdm_profile_shares
    ADD CONSTRAINT abdm_profile_shares_pkey PRIMARY KEY (tenant_id, request_id);

ALTER TABLE ONLY clinical.abdm_share_counters
    ADD CONSTRAINT abdm_share_counters_pkey PRIMARY KEY (tenant_id, hip_id, counter, service_day);

ALTER TABLE ONLY clinical.abdm_sms_sink
    ADD CONSTRAINT abdm_sms_sink_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abdm_transactions
    ADD CONSTRAINT abdm_transactions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abdm_transitions
    ADD CONSTRAINT abdm_transitions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abha_flows
    ADD CONSTRAINT abha_flows_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abha_verifications
    ADD CONSTRAINT abha_verifications_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.abha_verifications
    ADD CONSTRAINT abha_verifications_tenant_id_patient_id_key UNIQUE (tenant_id, patient_id);

ALTER TABLE ONLY clinical.appointments
    ADD CONSTRAINT appointments_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.doctor_schedules
    ADD CONSTRAINT doctor_schedules_pkey PRIMARY KEY (tenant_id, doctor_id);

ALTER TABLE ONLY clinical.mrn_counters
    ADD CONSTRAINT mrn_counters_pkey PRIMARY KEY (tenant_id);

ALTER TABLE ONLY clinical.patients
    ADD CONSTRAINT patients_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.queue_counters
    ADD CONSTRAINT queue_counters_pkey PRIMARY KEY (tenant_id, lane, service_day);

ALTER TABLE ONLY clinical.queue_displays
    ADD CONSTRAINT queue_displays_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.queue_displays
    ADD CONSTRAINT queue_displays_tenant_id_key_hash_key UNIQUE (tenant_id, key_hash);

ALTER TABLE ONLY clinical.queue_entries
    ADD CONSTRAINT queue_entries_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.queue_entries
    ADD CONSTRAINT queue_entries_tenant_id_lane_service_day_token_key UNIQUE (tenant_id, lane, service_day, token);

ALTER TABLE ONLY clinical.queue_settings
    ADD CONSTRAINT queue_settings_pkey PRIMARY KEY (tenant_id);

ALTER TABLE ONLY clinical.reminders_sent
    ADD CONSTRAINT reminders_sent_pkey PRIMARY KEY (tenant_id, event_key);

ALTER TABLE ONLY clinical.schedule_exceptions
    ADD CONSTRAINT schedule_exceptions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.schedule_periods
    ADD CONSTRAINT schedule_periods_pkey PRIMARY KEY (tenant_id, doctor_id, weekday, starts);

ALTER TABLE ONLY clinical.slot_bookings
    ADD CONSTRAINT slot_bookings_pkey PRIMARY KEY (tenant_id, doctor_id, slot_start);

ALTER TABLE ONLY clinical.sms_opt_outs
    ADD CONSTRAINT sms_opt_outs_pkey PRIMARY KEY (tenant_id, patient_id);

ALTER TABLE ONLY clinical.visit_versions
    ADD CONSTRAINT visit_versions_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY clinical.visit_versions
    ADD CONSTRAINT visit_versions_visit_version_key UNIQUE (tenant_id, visit_id, version);

ALTER TABLE ONLY clinical.visits
    ADD CONSTRAINT visits_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY core.abdm_hips
    ADD CONSTRAINT abdm_hips_pkey PRIMARY KEY (tenant_id, hip_id);

ALTER TABLE ONLY core.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (tenant_id, user_id, key);

ALTER TABLE ONLY core.identity_providers
    ADD CONSTRAINT identity_providers_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY core.identity_providers
    ADD CONSTRAINT identity_providers_tenant_id_issuer_key UNIQUE (tenant_id, issuer);

ALTER TABLE ONLY core.login_attempts
    ADD CONSTRAINT login_attempts_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY core.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY core.roles
    ADD CONSTRAINT roles_pkey PRIMARY KEY (name);

ALTER TABLE ONLY core.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

ALTER TABLE ONLY core.tenants
    ADD CONSTRAINT tenants_slug_key UNIQUE (slug);

ALTER TABLE ONLY core.user_identities
    ADD CONSTRAINT user_identities_pkey PRIMARY KEY (tenant_id, issuer, subject);

ALTER TABLE ONLY core.user_invitations
    ADD CONSTRAINT user_invitations_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY core.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY events.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (tenant_id, id);

ALTER TABLE ONLY platform.audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (id);

ALTER TABLE ONLY platform.operator_login_attempts
    ADD CONSTRAINT operator_login_attempts_pkey PRIMARY KEY (id);

ALTER TABLE ONLY platform.operators
    ADD CONSTRAINT operators_pkey PRIMARY KEY (id);

ALTER TABLE ONLY platform.saga_steps
    ADD CONSTRAINT saga_steps_pkey PRIMARY KEY (saga_id, step);

ALTER TABLE ONLY platform.sagas
    ADD CONSTRAINT sagas_pkey PRIMARY KEY (id);

ALTER TABLE ONLY platform.slug_reservations
    ADD CONSTRAINT slug_reservations_pkey PRIMARY KEY (slug);

ALTER TABLE ONLY public.typeorm_migrations
    ADD CONSTRAINT "PK_bb2f075707dd300ba86d0208923" PRIMARY KEY (id);

CREATE INDEX processed_events_processed_at_idx ON analytics.processed_events USING btree (processed_at);

CREATE INDEX audit_log_action_idx ON audit.audit_log USING btree (tenant_id, action, occurred_at, entry_id);

CREATE INDEX audit_log_actor_idx ON audit.audit_log USING btree (tenant_id, actor_id, occurred_at, entry_id);

CREATE INDEX audit_log_entity_idx ON audit.audit_log USING btree (tenant_id, entity_id, occurred_at, entry_id);

CREATE INDEX audit_log_entity_type_idx ON audit.audit_log USING btree (tenant_id, entity_type, occurred_at, entry_id);

CREATE INDEX audit_log_time_idx ON audit.audit_log USING btree (tenant_id, occurred_at, entry_id);

CREATE INDEX audit_log_unsealed_idx ON audit.audit_log USING btree (tenant_id, xid, entry_id) WHERE (seq IS NULL);

CREATE INDEX invoices_finalised_idx ON billing.invoices USING btree (tenant_id, finalised_at) WHERE (finalised_at IS NOT NULL);

CREATE UNIQUE INDEX invoices_one_draft_per_visit ON billing.invoices USING btree (tenant_id, visit_id) WHERE ((status = 'draft'::text) AND (kind = 'invoice'::text));

CREATE INDEX invoices_patient_idx ON billing.invoices USING btree (tenant_id, patient_id, created_at);

CREATE INDEX ledger_day_idx ON billing.ledger USING btree (tenant_id, created_at);

CREATE INDEX ledger_invoice_idx ON billing.ledger USING btree (tenant_id, invoice_id);

CREATE INDEX ledger_patient_advance_idx ON billing.ledger USING btree (tenant_id, patient_id) WHERE (invoice_id IS NULL);

CREATE INDEX payments_invoice_idx ON billing.payments USING btree (tenant_id, invoice_id);

CREATE INDEX refunds_payment_idx ON billing.refunds USING btree (tenant_id, payment_id);

CREATE UNIQUE INDEX shifts_one_open_per_user ON billing.shifts USING btree (tenant_id, user_id) WHERE (closed_at IS NULL);

CREATE UNIQUE INDEX abdm_consents_id_key ON clinical.abdm_consents USING btree (tenant_id, id);

CREATE INDEX abdm_consents_patient_idx ON clinical.abdm_consents USING btree (tenant_id, patient_id);

CREATE INDEX abdm_hi_requests_consent_idx ON clinical.abdm_hi_requests USING btree (tenant_id, consent_id);

CREATE INDEX abdm_hi_requests_due_idx ON clinical.abdm_hi_requests USING btree (created_at) WHERE (status = ANY (ARRAY['pending'::text, 'transferring'::text]));

CREATE UNIQUE INDEX abdm_hi_requests_tx_key ON clinical.abdm_hi_requests USING btree (tenant_id, transaction_id);

CREATE INDEX abdm_inbox_due_idx ON clinical.abdm_inbox USING btree (received_at) WHERE (status = 'received'::text);

CREATE INDEX abdm_inbox_processed_idx ON clinical.abdm_inbox USING btree (processed_at) WHERE (status <> 'received'::text);

CREATE INDEX abdm_links_patient_idx ON clinical.abdm_links USING btree (tenant_id, patient_id);

CREATE UNIQUE INDEX abdm_notifications_request_key ON clinical.abdm_notifications USING btree (tenant_id, request_id);

CREATE INDEX abdm_notifications_tx_idx ON clinical.abdm_notifications USING btree (tenant_id, transaction_ref);

CREATE UNIQUE INDEX abdm_notifications_visit_key ON clinical.abdm_notifications USING btree (tenant_id, kind, visit_ref);

CREATE INDEX abdm_outbound_due_idx ON clinical.abdm_outbound USING btree (next_attempt_at) WHERE (status = 'pending'::text);

CREATE INDEX abdm_outbound_request_idx ON clinical.abdm_outbound USING btree (tenant_id, request_id);

CREATE INDEX abdm_profile_shares_abha_idx ON clinical.abdm_profile_shares USING btree (tenant_id, hip_id, counter, abha_address, expires_at);

CREATE UNIQUE INDEX abdm_profile_shares_token_key ON clinical.abdm_profile_shares USING btree (tenant_id, hip_id, counter, service_day, token_number);

CREATE UNIQUE INDEX abdm_transactions_hip_visit_key ON clinical.abdm_transactions USING btree (tenant_id, visit_ref) WHERE ((kind = 'hip_initiated'::text) AND (state <> 'failed'::text));

CREATE UNIQUE INDEX abdm_transactions_link_ref_key ON clinical.abdm_transactions USING btree (tenant_id, link_ref);

CREATE INDEX abdm_transactions_patient_idx ON clinical.abdm_transactions USING btree (tenant_id, patient_id);

CREATE UNIQUE INDEX abdm_transactions_tx_key ON clinical.abdm_transactions USING btree (tenant_id, transaction_id);

CREATE INDEX abdm_transitions_tx_idx ON clinical.abdm_transitions USING btree (tenant_id, transaction_ref, id);

CREATE INDEX abha_flows_expiry_idx ON clinical.abha_flows USING btree (tenant_id, expires_at);

CREATE INDEX abha_flows_recent_idx ON clinical.abha_flows USING btree (tenant_id, created_at);

CREATE INDEX appointments_doctor_slot_idx ON clinical.appointments USING btree (tenant_id, doctor_id, slot_start);

CREATE INDEX appointments_patient_idx ON clinical.appointments USING btree (tenant_id, patient_id, slot_start);

CREATE INDEX doctor_schedules_department_idx ON clinical.doctor_schedules USING btree (tenant_id, department);

CREATE INDEX patients_email_idx ON clinical.patients USING btree (tenant_id, email);

CREATE INDEX patients_phone1_idx ON clinical.patients USING btree (tenant_id, (phones[1]));

CREATE INDEX patients_phone1_prefix_idx ON clinical.patients USING btree (tenant_id, (phones[1]) COLLATE "C");

CREATE INDEX patients_phone2_idx ON clinical.patients USING btree (tenant_id, (phones[2]));

CREATE INDEX patients_phone2_prefix_idx ON clinical.patients USING btree (tenant_id, (phones[2]) COLLATE "C");

CREATE INDEX patients_phone3_idx ON clinical.patients USING btree (tenant_id, (phones[3]));

CREATE INDEX patients_phone3_prefix_idx ON clinical.patients USING btree (tenant_id, (phones[3]) COLLATE "C");

CREATE INDEX patients_search_name_gin_idx ON clinical.patients USING gin (tenant_id, search_name public.gin_trgm_ops) WITH (gin_pending_list_limit='1024');

CREATE INDEX patients_search_name_prefix_idx ON clinical.patients USING btree (tenant_id, search_name COLLATE "C");

CREATE UNIQUE INDEX patients_tenant_abha_address_key ON clinical.patients USING btree (tenant_id, abha_address);

CREATE UNIQUE INDEX patients_tenant_abha_number_key ON clinical.patients USING btree (tenant_id, abha_number);

CREATE INDEX patients_tenant_birth_date_idx ON clinical.patients USING btree (tenant_id, birth_date);

CREATE INDEX patients_tenant_birth_year_approx_idx ON clinical.patients USING btree (tenant_id, birth_year) WHERE (birth_date IS NULL);

CREATE INDEX patients_tenant_birth_year_idx ON clinical.patients USING btree (tenant_id, birth_year);

CREATE UNIQUE INDEX patients_tenant_mrn_key ON clinical.patients USING btree (tenant_id, mrn);

CREATE INDEX patients_tenant_updated_at_idx ON clinical.patients USING btree (tenant_id, updated_at);

CREATE UNIQUE INDEX queue_entries_appointment_key ON clinical.queue_entries USING btree (tenant_id, appointment_id) WHERE (appointment_id IS NOT NULL);

CREATE INDEX queue_entries_day_idx ON clinical.queue_entries USING btree (tenant_id, service_day, lane, "position");

CREATE UNIQUE INDEX schedule_exceptions_day_key ON clinical.schedule_exceptions USING btree (tenant_id, day, doctor_id) NULLS NOT DISTINCT;

CREATE INDEX visits_tenant_doctor_day_idx ON clinical.visits USING btree (tenant_id, attending_doctor_id, scheduled_at);

CREATE INDEX visits_tenant_patient_idx ON clinical.visits USING btree (tenant_id, patient_id, scheduled_at);

CREATE INDEX visits_tenant_patient_newest_idx ON clinical.visits USING btree (tenant_id, patient_id, scheduled_at DESC, id DESC);

CREATE UNIQUE INDEX abdm_hips_hip_id_key ON core.abdm_hips USING btree (hip_id);

CREATE INDEX idempotency_keys_tenant_expires_idx ON core.idempotency_keys USING btree (tenant_id, expires_at);

CREATE INDEX login_attempts_address_idx ON core.login_attempts USING btree (tenant_id, client_address, at DESC) WHERE (NOT succeeded);

CREATE INDEX login_attempts_email_idx ON core.login_attempts USING btree (tenant_id, email, at DESC);

CREATE INDEX refresh_tokens_expires_idx ON core.refresh_tokens USING btree (expires_at);

CREATE INDEX refresh_tokens_family_idx ON core.refresh_tokens USING btree (tenant_id, family_id);

CREATE UNIQUE INDEX refresh_tokens_hash_key ON core.refresh_tokens USING btree (token_hash);

CREATE INDEX refresh_tokens_user_idx ON core.refresh_tokens USING btree (tenant_id, user_id) WHERE (revoked_at IS NULL);

CREATE UNIQUE INDEX user_identities_user_issuer_key ON core.user_identities USING btree (tenant_id, user_id, issuer);

CREATE UNIQUE INDEX user_invitations_tenant_token_key ON core.user_invitations USING btree (tenant_id, token_hash);

CREATE INDEX user_invitations_tenant_user_idx ON core.user_invitations USING btree (tenant_id, user_id);

CREATE UNIQUE INDEX users_tenant_email_key ON core.users USING btree (tenant_id, lower(email));

CREATE INDEX outbox_occurred_at_idx ON events.outbox USING btree (occurred_at);

CREATE INDEX operator_login_attempts_address_idx ON platform.operator_login_attempts USING btree (client_address, at);

CREATE INDEX operator_login_attempts_email_idx ON platform.operator_login_attempts USING btree (email, at);

CREATE UNIQUE INDEX operators_email_key ON platform.operators USING btree (lower(email));

CREATE INDEX platform_audit_target_idx ON platform.audit USING btree (target_id, at);

CREATE UNIQUE INDEX sagas_operator_key ON platform.sagas USING btree (operator_id, idempotency_key) WHERE (idempotency_key IS NOT NULL);

CREATE INDEX sagas_tenant_idx ON platform.sagas USING btree (tenant_id);

CREATE INDEX sagas_unfinished_idx ON platform.sagas USING btree (created_at) WHERE (status = ANY (ARRAY['running'::text, 'compensating'::text]));

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR TRUNCATE ON audit.audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

CREATE TRIGGER audit_log_seal_only BEFORE UPDATE ON audit.audit_log FOR EACH ROW EXECUTE FUNCTION audit.guard_seal();

CREATE TRIGGER invoice_lines_audit AFTER INSERT OR DELETE OR UPDATE ON billing.invoice_lines FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER invoice_lines_guard BEFORE INSERT OR DELETE OR UPDATE ON billing.invoice_lines FOR EACH ROW EXECUTE FUNCTION billing.guard_invoice_line();

CREATE TRIGGER invoices_audit AFTER INSERT OR DELETE OR UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER invoices_guard BEFORE UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.guard_invoice();

CREATE CONSTRAINT TRIGGER invoices_paid_matches_ledger AFTER UPDATE OF paid_paise, status ON billing.invoices DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION billing.check_invoice_paid();

CREATE TRIGGER ledger_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON billing.ledger FOR EACH STATEMENT EXECUTE FUNCTION billing.refuse_change();

CREATE TRIGGER ledger_audit AFTER INSERT OR DELETE OR UPDATE ON billing.ledger FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE CONSTRAINT TRIGGER ledger_balance AFTER INSERT ON billing.ledger DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION billing.check_ledger();

CREATE TRIGGER payments_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON billing.payments FOR EACH STATEMENT EXECUTE FUNCTION billing.refuse_change();

CREATE TRIGGER payments_audit AFTER INSERT OR DELETE OR UPDATE ON billing.payments FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER price_items_audit AFTER INSERT OR DELETE OR UPDATE ON billing.price_items FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER refunds_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON billing.refunds FOR EACH STATEMENT EXECUTE FUNCTION billing.refuse_change();

CREATE TRIGGER refunds_audit AFTER INSERT OR DELETE OR UPDATE ON billing.refunds FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER settings_audit AFTER INSERT OR DELETE OR UPDATE ON billing.settings FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER shifts_audit AFTER INSERT OR DELETE OR UPDATE ON billing.shifts FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER abdm_consents_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.abdm_consents FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'signature');

CREATE TRIGGER abdm_hi_requests_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.abdm_hi_requests FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'key_material', 'data_push_url', 'lease_until');

CREATE TRIGGER abdm_link_tokens_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.abdm_link_tokens FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'token', 'abha_address');

CREATE TRIGGER abdm_links_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.abdm_links FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER abdm_notifications_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.abdm_notifications FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER abdm_profile_shares_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.abdm_profile_shares FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'abha_address');

CREATE TRIGGER abdm_transactions_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.abdm_transactions FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'otp_hash', 'otp_salt', 'discovery');

CREATE TRIGGER abha_verifications_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.abha_verifications FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER appointments_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.appointments FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER doctor_schedules_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.doctor_schedules FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER patients_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.patients FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER queue_entries_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.queue_entries FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER queue_settings_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.queue_settings FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER schedule_exceptions_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.schedule_exceptions FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER sms_opt_outs_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.sms_opt_outs FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER visit_versions_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON clinical.visit_versions FOR EACH STATEMENT EXECUTE FUNCTION clinical.refuse_visit_version_change();

CREATE TRIGGER visit_versions_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.visit_versions FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER visits_audit AFTER INSERT OR DELETE OR UPDATE ON clinical.visits FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER visits_guard_signed BEFORE UPDATE ON clinical.visits FOR EACH ROW EXECUTE FUNCTION clinical.guard_signed_visit();

CREATE TRIGGER abdm_hips_audit AFTER INSERT OR DELETE OR UPDATE ON core.abdm_hips FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER identity_providers_audit AFTER INSERT OR DELETE OR UPDATE ON core.identity_providers FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER login_attempts_audit AFTER INSERT OR DELETE OR UPDATE ON core.login_attempts FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER refresh_tokens_audit AFTER INSERT OR DELETE OR UPDATE ON core.refresh_tokens FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'token_hash');

CREATE TRIGGER tenants_audit AFTER INSERT OR DELETE OR UPDATE ON core.tenants FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('id');

CREATE TRIGGER tenants_mrn_sequence AFTER INSERT OR DELETE ON core.tenants FOR EACH ROW EXECUTE FUNCTION clinical.manage_mrn_sequence();

CREATE TRIGGER user_identities_audit AFTER INSERT OR DELETE OR UPDATE ON core.user_identities FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id');

CREATE TRIGGER user_invitations_audit AFTER INSERT OR DELETE OR UPDATE ON core.user_invitations FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'token_hash');

CREATE TRIGGER users_audit AFTER INSERT OR DELETE OR UPDATE ON core.users FOR EACH ROW EXECUTE FUNCTION audit.capture_row_change('tenant_id', 'password_hash');

CREATE TRIGGER outbox_audit AFTER INSERT ON events.outbox FOR EACH ROW EXECUTE FUNCTION audit.capture_event();

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_tenant_id_invoice_id_fkey FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices(tenant_id, id);

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_tenant_id_price_item_id_fkey FOREIGN KEY (tenant_id, price_item_id) REFERENCES billing.price_items(tenant_id, id);

ALTER TABLE ONLY billing.invoice_series
    ADD CONSTRAINT invoice_series_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_tenant_id_credit_note_for_fkey FOREIGN KEY (tenant_id, credit_note_for) REFERENCES billing.invoices(tenant_id, id);

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_tenant_id_visit_id_fkey FOREIGN KEY (tenant_id, visit_id) REFERENCES clinical.visits(tenant_id, id);

ALTER TABLE ONLY billing.ledger
    ADD CONSTRAINT ledger_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY billing.ledger
    ADD CONSTRAINT ledger_tenant_id_invoice_id_fkey FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices(tenant_id, id);

ALTER TABLE ONLY billing.ledger
    ADD CONSTRAINT ledger_tenant_id_payment_id_fkey FOREIGN KEY (tenant_id, payment_id) REFERENCES billing.payments(tenant_id, id);

ALTER TABLE ONLY billing.ledger
    ADD CONSTRAINT ledger_tenant_id_refund_id_fkey FOREIGN KEY (tenant_id, refund_id) REFERENCES billing.refunds(tenant_id, id);

ALTER TABLE ONLY billing.payments
    ADD CONSTRAINT payments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY billing.payments
    ADD CONSTRAINT payments_tenant_id_invoice_id_fkey FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing.invoices(tenant_id, id);

ALTER TABLE ONLY billing.payments
    ADD CONSTRAINT payments_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY billing.payments
    ADD CONSTRAINT payments_tenant_id_shift_id_fkey FOREIGN KEY (tenant_id, shift_id) REFERENCES billing.shifts(tenant_id, id);

ALTER TABLE ONLY billing.price_items
    ADD CONSTRAINT price_items_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY billing.refunds
    ADD CONSTRAINT refunds_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY billing.refunds
    ADD CONSTRAINT refunds_tenant_id_payment_id_fkey FOREIGN KEY (tenant_id, payment_id) REFERENCES billing.payments(tenant_id, id);

ALTER TABLE ONLY billing.refunds
    ADD CONSTRAINT refunds_tenant_id_shift_id_fkey FOREIGN KEY (tenant_id, shift_id) REFERENCES billing.shifts(tenant_id, id);

ALTER TABLE ONLY billing.settings
    ADD CONSTRAINT settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY billing.shifts
    ADD CONSTRAINT shifts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_consents
    ADD CONSTRAINT abdm_consents_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_consents
    ADD CONSTRAINT abdm_consents_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_hi_requests
    ADD CONSTRAINT abdm_hi_requests_tenant_id_consent_id_fkey FOREIGN KEY (tenant_id, consent_id) REFERENCES clinical.abdm_consents(tenant_id, consent_id);

ALTER TABLE ONLY clinical.abdm_hi_requests
    ADD CONSTRAINT abdm_hi_requests_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_inbox
    ADD CONSTRAINT abdm_inbox_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_link_tokens
    ADD CONSTRAINT abdm_link_tokens_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_links
    ADD CONSTRAINT abdm_links_tenant_id_care_context_ref_fkey FOREIGN KEY (tenant_id, care_context_ref) REFERENCES clinical.visits(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_links
    ADD CONSTRAINT abdm_links_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_links
    ADD CONSTRAINT abdm_links_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_links
    ADD CONSTRAINT abdm_links_tenant_id_transaction_ref_fkey FOREIGN KEY (tenant_id, transaction_ref) REFERENCES clinical.abdm_transactions(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_notifications
    ADD CONSTRAINT abdm_notifications_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_notifications
    ADD CONSTRAINT abdm_notifications_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_notifications
    ADD CONSTRAINT abdm_notifications_tenant_id_transaction_ref_fkey FOREIGN KEY (tenant_id, transaction_ref) REFERENCES clinical.abdm_transactions(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_notifications
    ADD CONSTRAINT abdm_notifications_tenant_id_visit_ref_fkey FOREIGN KEY (tenant_id, visit_ref) REFERENCES clinical.visits(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_outbound
    ADD CONSTRAINT abdm_outbound_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_outbound
    ADD CONSTRAINT abdm_outbound_tenant_id_transaction_ref_fkey FOREIGN KEY (tenant_id, transaction_ref) REFERENCES clinical.abdm_transactions(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_profile_shares
    ADD CONSTRAINT abdm_profile_shares_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_profile_shares
    ADD CONSTRAINT abdm_profile_shares_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_share_counters
    ADD CONSTRAINT abdm_share_counters_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_sms_sink
    ADD CONSTRAINT abdm_sms_sink_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_transactions
    ADD CONSTRAINT abdm_transactions_retry_of_fk FOREIGN KEY (tenant_id, retry_of) REFERENCES clinical.abdm_transactions(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_transactions
    ADD CONSTRAINT abdm_transactions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_transactions
    ADD CONSTRAINT abdm_transactions_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_transactions
    ADD CONSTRAINT abdm_transactions_visit_fk FOREIGN KEY (tenant_id, visit_ref) REFERENCES clinical.visits(tenant_id, id);

ALTER TABLE ONLY clinical.abdm_transitions
    ADD CONSTRAINT abdm_transitions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abdm_transitions
    ADD CONSTRAINT abdm_transitions_tenant_id_transaction_ref_fkey FOREIGN KEY (tenant_id, transaction_ref) REFERENCES clinical.abdm_transactions(tenant_id, id);

ALTER TABLE ONLY clinical.abha_flows
    ADD CONSTRAINT abha_flows_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abha_flows
    ADD CONSTRAINT abha_flows_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.abha_verifications
    ADD CONSTRAINT abha_verifications_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.abha_verifications
    ADD CONSTRAINT abha_verifications_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.appointments
    ADD CONSTRAINT appointments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.appointments
    ADD CONSTRAINT appointments_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.doctor_schedules
    ADD CONSTRAINT doctor_schedules_tenant_id_doctor_id_fkey FOREIGN KEY (tenant_id, doctor_id) REFERENCES core.users(tenant_id, id);

ALTER TABLE ONLY clinical.doctor_schedules
    ADD CONSTRAINT doctor_schedules_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.mrn_counters
    ADD CONSTRAINT mrn_counters_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.patients
    ADD CONSTRAINT patients_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.queue_counters
    ADD CONSTRAINT queue_counters_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.queue_displays
    ADD CONSTRAINT queue_displays_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.queue_entries
    ADD CONSTRAINT queue_entries_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.queue_entries
    ADD CONSTRAINT queue_entries_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.queue_settings
    ADD CONSTRAINT queue_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.reminders_sent
    ADD CONSTRAINT reminders_sent_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.schedule_exceptions
    ADD CONSTRAINT schedule_exceptions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.schedule_periods
    ADD CONSTRAINT schedule_periods_tenant_id_doctor_id_fkey FOREIGN KEY (tenant_id, doctor_id) REFERENCES clinical.doctor_schedules(tenant_id, doctor_id) ON DELETE CASCADE;

ALTER TABLE ONLY clinical.slot_bookings
    ADD CONSTRAINT slot_bookings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.sms_opt_outs
    ADD CONSTRAINT sms_opt_outs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.sms_opt_outs
    ADD CONSTRAINT sms_opt_outs_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY clinical.visit_versions
    ADD CONSTRAINT visit_versions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.visit_versions
    ADD CONSTRAINT visit_versions_tenant_id_visit_id_fkey FOREIGN KEY (tenant_id, visit_id) REFERENCES clinical.visits(tenant_id, id);

ALTER TABLE ONLY clinical.visits
    ADD CONSTRAINT visits_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY clinical.visits
    ADD CONSTRAINT visits_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES clinical.patients(tenant_id, id);

ALTER TABLE ONLY core.abdm_hips
    ADD CONSTRAINT abdm_hips_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY core.idempotency_keys
    ADD CONSTRAINT idempotency_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY core.identity_providers
    ADD CONSTRAINT identity_providers_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY core.login_attempts
    ADD CONSTRAINT login_attempts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY core.refresh_tokens
    ADD CONSTRAINT refresh_tokens_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES core.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY core.user_identities
    ADD CONSTRAINT user_identities_tenant_id_issuer_fkey FOREIGN KEY (tenant_id, issuer) REFERENCES core.identity_providers(tenant_id, issuer) ON UPDATE CASCADE;

ALTER TABLE ONLY core.user_identities
    ADD CONSTRAINT user_identities_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES core.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY core.user_invitations
    ADD CONSTRAINT user_invitations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY core.user_invitations
    ADD CONSTRAINT user_invitations_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES core.users(tenant_id, id) ON DELETE CASCADE;

ALTER TABLE ONLY core.users
    ADD CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES core.tenants(id);

ALTER TABLE ONLY platform.audit
    ADD CONSTRAINT audit_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES platform.operators(id);

ALTER TABLE ONLY platform.operator_login_attempts
    ADD CONSTRAINT operator_login_attempts_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES platform.operators(id);

ALTER TABLE ONLY platform.saga_steps
    ADD CONSTRAINT saga_steps_saga_id_fkey FOREIGN KEY (saga_id) REFERENCES platform.sagas(id);

ALTER TABLE ONLY platform.sagas
    ADD CONSTRAINT sagas_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES platform.operators(id);

ALTER TABLE ONLY platform.slug_reservations
    ADD CONSTRAINT slug_reservations_saga_id_fkey FOREIGN KEY (saga_id) REFERENCES platform.sagas(id);

CREATE POLICY analytics_daily_active_users_tenant_delete ON analytics.daily_active_users FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_active_users_tenant_insert ON analytics.daily_active_users FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_active_users_tenant_select ON analytics.daily_active_users FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_active_users_tenant_update ON analytics.daily_active_users FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_counters_tenant_delete ON analytics.daily_counters FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_counters_tenant_insert ON analytics.daily_counters FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_counters_tenant_select ON analytics.daily_counters FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_counters_tenant_update ON analytics.daily_counters FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_revenue_tenant_delete ON analytics.daily_revenue FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_revenue_tenant_insert ON analytics.daily_revenue FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_revenue_tenant_select ON analytics.daily_revenue FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_revenue_tenant_update ON analytics.daily_revenue FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_visits_tenant_delete ON analytics.daily_visits FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_visits_tenant_insert ON analytics.daily_visits FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_visits_tenant_select ON analytics.daily_visits FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_daily_visits_tenant_update ON analytics.daily_visits FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_processed_events_tenant_delete ON analytics.processed_events FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_processed_events_tenant_insert ON analytics.processed_events FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_processed_events_tenant_select ON analytics.processed_events FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY analytics_processed_events_tenant_update ON analytics.processed_events FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

ALTER TABLE analytics.daily_active_users ENABLE ROW LEVEL SECURITY;

ALTER TABLE analytics.daily_counters ENABLE ROW LEVEL SECURITY;

ALTER TABLE analytics.daily_revenue ENABLE ROW LEVEL SECURITY;

ALTER TABLE analytics.daily_visits ENABLE ROW LEVEL SECURITY;

ALTER TABLE analytics.processed_events ENABLE ROW LEVEL SECURITY;

CREATE POLICY audit_audit_log_tenant_delete ON audit.audit_log FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY audit_audit_log_tenant_insert ON audit.audit_log FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY audit_audit_log_tenant_select ON audit.audit_log FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY audit_audit_log_tenant_update ON audit.audit_log FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY audit_chain_heads_tenant_delete ON audit.chain_heads FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY audit_chain_heads_tenant_insert ON audit.chain_heads FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY audit_chain_heads_tenant_select ON audit.chain_heads FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY audit_chain_heads_tenant_update ON audit.chain_heads FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

ALTER TABLE audit.audit_log ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.chain_heads ENABLE ROW LEVEL SECURITY;

CREATE POLICY billing_invoice_lines_tenant_delete ON billing.invoice_lines FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoice_lines_tenant_insert ON billing.invoice_lines FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoice_lines_tenant_select ON billing.invoice_lines FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoice_lines_tenant_update ON billing.invoice_lines FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoice_series_tenant_delete ON billing.invoice_series FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoice_series_tenant_insert ON billing.invoice_series FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoice_series_tenant_select ON billing.invoice_series FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoice_series_tenant_update ON billing.invoice_series FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoices_tenant_delete ON billing.invoices FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoices_tenant_insert ON billing.invoices FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoices_tenant_select ON billing.invoices FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_invoices_tenant_update ON billing.invoices FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_ledger_tenant_delete ON billing.ledger FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_ledger_tenant_insert ON billing.ledger FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_ledger_tenant_select ON billing.ledger FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_ledger_tenant_update ON billing.ledger FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_payments_tenant_delete ON billing.payments FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_payments_tenant_insert ON billing.payments FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_payments_tenant_select ON billing.payments FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_payments_tenant_update ON billing.payments FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_price_items_tenant_delete ON billing.price_items FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_price_items_tenant_insert ON billing.price_items FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_price_items_tenant_select ON billing.price_items FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_price_items_tenant_update ON billing.price_items FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_refunds_tenant_delete ON billing.refunds FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_refunds_tenant_insert ON billing.refunds FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_refunds_tenant_select ON billing.refunds FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_refunds_tenant_update ON billing.refunds FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_settings_tenant_delete ON billing.settings FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_settings_tenant_insert ON billing.settings FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_settings_tenant_select ON billing.settings FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_settings_tenant_update ON billing.settings FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_shifts_tenant_delete ON billing.shifts FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_shifts_tenant_insert ON billing.shifts FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_shifts_tenant_select ON billing.shifts FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY billing_shifts_tenant_update ON billing.shifts FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

ALTER TABLE billing.invoice_lines ENABLE ROW LEVEL SECURITY;

ALTER TABLE billing.invoice_series ENABLE ROW LEVEL SECURITY;

ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;

ALTER TABLE billing.ledger ENABLE ROW LEVEL SECURITY;

ALTER TABLE billing.payments ENABLE ROW LEVEL SECURITY;

ALTER TABLE billing.price_items ENABLE ROW LEVEL SECURITY;

ALTER TABLE billing.refunds ENABLE ROW LEVEL SECURITY;

ALTER TABLE billing.settings ENABLE ROW LEVEL SECURITY;

ALTER TABLE billing.shifts ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_consents ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_hi_requests ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_inbox ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_link_tokens ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_links ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_notifications ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_outbound ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_profile_shares ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_share_counters ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_sms_sink ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_transactions ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abdm_transitions ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abha_flows ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.abha_verifications ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.appointments ENABLE ROW LEVEL SECURITY;

CREATE POLICY clinical_abdm_consents_tenant_delete ON clinical.abdm_consents FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_consents_tenant_insert ON clinical.abdm_consents FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_consents_tenant_select ON clinical.abdm_consents FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_consents_tenant_update ON clinical.abdm_consents FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_hi_requests_owner_work ON clinical.abdm_hi_requests FOR SELECT TO hims_owner USING (true);

CREATE POLICY clinical_abdm_hi_requests_tenant_delete ON clinical.abdm_hi_requests FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_hi_requests_tenant_insert ON clinical.abdm_hi_requests FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_hi_requests_tenant_select ON clinical.abdm_hi_requests FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_hi_requests_tenant_update ON clinical.abdm_hi_requests FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_inbox_owner_work ON clinical.abdm_inbox TO hims_owner USING (true) WITH CHECK (true);

CREATE POLICY clinical_abdm_inbox_tenant_delete ON clinical.abdm_inbox FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_inbox_tenant_insert ON clinical.abdm_inbox FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_inbox_tenant_select ON clinical.abdm_inbox FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_inbox_tenant_update ON clinical.abdm_inbox FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_link_tokens_tenant_delete ON clinical.abdm_link_tokens FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_link_tokens_tenant_insert ON clinical.abdm_link_tokens FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_link_tokens_tenant_select ON clinical.abdm_link_tokens FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_link_tokens_tenant_update ON clinical.abdm_link_tokens FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_links_tenant_delete ON clinical.abdm_links FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_links_tenant_insert ON clinical.abdm_links FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_links_tenant_select ON clinical.abdm_links FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_links_tenant_update ON clinical.abdm_links FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_notifications_tenant_delete ON clinical.abdm_notifications FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_notifications_tenant_insert ON clinical.abdm_notifications FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_notifications_tenant_select ON clinical.abdm_notifications FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_notifications_tenant_update ON clinical.abdm_notifications FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_outbound_owner_work ON clinical.abdm_outbound FOR SELECT TO hims_owner USING (true);

CREATE POLICY clinical_abdm_outbound_tenant_delete ON clinical.abdm_outbound FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_outbound_tenant_insert ON clinical.abdm_outbound FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_outbound_tenant_select ON clinical.abdm_outbound FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_outbound_tenant_update ON clinical.abdm_outbound FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_profile_shares_tenant_delete ON clinical.abdm_profile_shares FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_profile_shares_tenant_insert ON clinical.abdm_profile_shares FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_profile_shares_tenant_select ON clinical.abdm_profile_shares FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_profile_shares_tenant_update ON clinical.abdm_profile_shares FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_share_counters_tenant_delete ON clinical.abdm_share_counters FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_share_counters_tenant_insert ON clinical.abdm_share_counters FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_share_counters_tenant_select ON clinical.abdm_share_counters FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_share_counters_tenant_update ON clinical.abdm_share_counters FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_sms_sink_tenant_delete ON clinical.abdm_sms_sink FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_sms_sink_tenant_insert ON clinical.abdm_sms_sink FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_sms_sink_tenant_select ON clinical.abdm_sms_sink FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_sms_sink_tenant_update ON clinical.abdm_sms_sink FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_transactions_tenant_delete ON clinical.abdm_transactions FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_transactions_tenant_insert ON clinical.abdm_transactions FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_transactions_tenant_select ON clinical.abdm_transactions FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_transactions_tenant_update ON clinical.abdm_transactions FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_transitions_tenant_delete ON clinical.abdm_transitions FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_transitions_tenant_insert ON clinical.abdm_transitions FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_transitions_tenant_select ON clinical.abdm_transitions FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abdm_transitions_tenant_update ON clinical.abdm_transitions FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abha_flows_tenant_delete ON clinical.abha_flows FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abha_flows_tenant_insert ON clinical.abha_flows FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abha_flows_tenant_select ON clinical.abha_flows FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abha_flows_tenant_update ON clinical.abha_flows FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abha_verifications_tenant_delete ON clinical.abha_verifications FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abha_verifications_tenant_insert ON clinical.abha_verifications FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abha_verifications_tenant_select ON clinical.abha_verifications FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_abha_verifications_tenant_update ON clinical.abha_verifications FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_appointments_tenant_delete ON clinical.appointments FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_appointments_tenant_insert ON clinical.appointments FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_appointments_tenant_select ON clinical.appointments FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_appointments_tenant_update ON clinical.appointments FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_doctor_schedules_tenant_delete ON clinical.doctor_schedules FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_doctor_schedules_tenant_insert ON clinical.doctor_schedules FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_doctor_schedules_tenant_select ON clinical.doctor_schedules FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_doctor_schedules_tenant_update ON clinical.doctor_schedules FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_mrn_counters_tenant_delete ON clinical.mrn_counters FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_mrn_counters_tenant_insert ON clinical.mrn_counters FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_mrn_counters_tenant_select ON clinical.mrn_counters FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_mrn_counters_tenant_update ON clinical.mrn_counters FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_patients_tenant_delete ON clinical.patients FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_patients_tenant_insert ON clinical.patients FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_patients_tenant_select ON clinical.patients FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_patients_tenant_update ON clinical.patients FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_counters_tenant_delete ON clinical.queue_counters FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_counters_tenant_insert ON clinical.queue_counters FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_counters_tenant_select ON clinical.queue_counters FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_counters_tenant_update ON clinical.queue_counters FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_displays_tenant_delete ON clinical.queue_displays FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_displays_tenant_insert ON clinical.queue_displays FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_displays_tenant_select ON clinical.queue_displays FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_displays_tenant_update ON clinical.queue_displays FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_entries_tenant_delete ON clinical.queue_entries FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_entries_tenant_insert ON clinical.queue_entries FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_entries_tenant_select ON clinical.queue_entries FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_entries_tenant_update ON clinical.queue_entries FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_settings_tenant_delete ON clinical.queue_settings FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_settings_tenant_insert ON clinical.queue_settings FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_settings_tenant_select ON clinical.queue_settings FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_queue_settings_tenant_update ON clinical.queue_settings FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_reminders_sent_tenant_delete ON clinical.reminders_sent FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_reminders_sent_tenant_insert ON clinical.reminders_sent FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_reminders_sent_tenant_select ON clinical.reminders_sent FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_reminders_sent_tenant_update ON clinical.reminders_sent FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_schedule_exceptions_tenant_delete ON clinical.schedule_exceptions FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_schedule_exceptions_tenant_insert ON clinical.schedule_exceptions FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_schedule_exceptions_tenant_select ON clinical.schedule_exceptions FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_schedule_exceptions_tenant_update ON clinical.schedule_exceptions FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_schedule_periods_tenant_delete ON clinical.schedule_periods FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_schedule_periods_tenant_insert ON clinical.schedule_periods FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_schedule_periods_tenant_select ON clinical.schedule_periods FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_schedule_periods_tenant_update ON clinical.schedule_periods FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_slot_bookings_tenant_delete ON clinical.slot_bookings FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_slot_bookings_tenant_insert ON clinical.slot_bookings FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_slot_bookings_tenant_select ON clinical.slot_bookings FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_slot_bookings_tenant_update ON clinical.slot_bookings FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_sms_opt_outs_tenant_delete ON clinical.sms_opt_outs FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_sms_opt_outs_tenant_insert ON clinical.sms_opt_outs FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_sms_opt_outs_tenant_select ON clinical.sms_opt_outs FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_sms_opt_outs_tenant_update ON clinical.sms_opt_outs FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_visit_versions_tenant_delete ON clinical.visit_versions FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_visit_versions_tenant_insert ON clinical.visit_versions FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_visit_versions_tenant_select ON clinical.visit_versions FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_visit_versions_tenant_update ON clinical.visit_versions FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_visits_tenant_delete ON clinical.visits FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_visits_tenant_insert ON clinical.visits FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_visits_tenant_select ON clinical.visits FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY clinical_visits_tenant_update ON clinical.visits FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

ALTER TABLE clinical.doctor_schedules ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.mrn_counters ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.patients ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.queue_counters ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.queue_displays ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.queue_entries ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.queue_settings ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.reminders_sent ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.schedule_exceptions ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.schedule_periods ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.slot_bookings ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.sms_opt_outs ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.visit_versions ENABLE ROW LEVEL SECURITY;

ALTER TABLE clinical.visits ENABLE ROW LEVEL SECURITY;

ALTER TABLE core.abdm_hips ENABLE ROW LEVEL SECURITY;

CREATE POLICY core_abdm_hips_owner_lookup ON core.abdm_hips FOR SELECT TO hims_owner USING (true);

CREATE POLICY core_abdm_hips_tenant_delete ON core.abdm_hips FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_abdm_hips_tenant_insert ON core.abdm_hips FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_abdm_hips_tenant_select ON core.abdm_hips FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_abdm_hips_tenant_update ON core.abdm_hips FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_idempotency_keys_tenant_delete ON core.idempotency_keys FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_idempotency_keys_tenant_insert ON core.idempotency_keys FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_idempotency_keys_tenant_select ON core.idempotency_keys FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_idempotency_keys_tenant_update ON core.idempotency_keys FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_identity_providers_tenant_delete ON core.identity_providers FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_identity_providers_tenant_insert ON core.identity_providers FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_identity_providers_tenant_select ON core.identity_providers FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_identity_providers_tenant_update ON core.identity_providers FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_login_attempts_tenant_delete ON core.login_attempts FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_login_attempts_tenant_insert ON core.login_attempts FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_login_attempts_tenant_select ON core.login_attempts FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_login_attempts_tenant_update ON core.login_attempts FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_refresh_tokens_tenant_delete ON core.refresh_tokens FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_refresh_tokens_tenant_insert ON core.refresh_tokens FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_refresh_tokens_tenant_select ON core.refresh_tokens FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_refresh_tokens_tenant_update ON core.refresh_tokens FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_tenants_operator ON core.tenants TO hims_owner USING (true) WITH CHECK (true);

CREATE POLICY core_tenants_platform ON core.tenants FOR SELECT TO hims_platform USING (true);

CREATE POLICY core_tenants_tenant_delete ON core.tenants FOR DELETE USING ((id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_tenants_tenant_insert ON core.tenants FOR INSERT WITH CHECK ((id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_tenants_tenant_select ON core.tenants FOR SELECT USING ((id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_tenants_tenant_update ON core.tenants FOR UPDATE USING ((id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_user_identities_tenant_delete ON core.user_identities FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_user_identities_tenant_insert ON core.user_identities FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_user_identities_tenant_select ON core.user_identities FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_user_identities_tenant_update ON core.user_identities FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_user_invitations_tenant_delete ON core.user_invitations FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_user_invitations_tenant_insert ON core.user_invitations FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_user_invitations_tenant_select ON core.user_invitations FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_user_invitations_tenant_update ON core.user_invitations FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_users_tenant_delete ON core.users FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_users_tenant_insert ON core.users FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_users_tenant_select ON core.users FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY core_users_tenant_update ON core.users FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

ALTER TABLE core.idempotency_keys ENABLE ROW LEVEL SECURITY;

ALTER TABLE core.identity_providers ENABLE ROW LEVEL SECURITY;

ALTER TABLE core.login_attempts ENABLE ROW LEVEL SECURITY;

ALTER TABLE core.refresh_tokens ENABLE ROW LEVEL SECURITY;

ALTER TABLE core.tenants ENABLE ROW LEVEL SECURITY;

ALTER TABLE core.user_identities ENABLE ROW LEVEL SECURITY;

ALTER TABLE core.user_invitations ENABLE ROW LEVEL SECURITY;

ALTER TABLE core.users ENABLE ROW LEVEL SECURITY;

CREATE POLICY events_outbox_tenant_delete ON events.outbox FOR DELETE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY events_outbox_tenant_insert ON events.outbox FOR INSERT WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY events_outbox_tenant_select ON events.outbox FOR SELECT USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

CREATE POLICY events_outbox_tenant_update ON events.outbox FOR UPDATE USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif"))) WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.current_tenant'::text, true), ''::text))::uuid AS "nullif")));

ALTER TABLE events.outbox ENABLE ROW LEVEL SECURITY;

CREATE PUBLICATION hims_outbox WITH (publish = 'insert');

ALTER PUBLICATION hims_outbox ADD TABLE ONLY events.outbox;

GRANT USAGE ON SCHEMA analytics TO hims_app;

GRANT USAGE ON SCHEMA audit TO hims_app;

GRANT USAGE ON SCHEMA billing TO hims_app;

GRANT USAGE ON SCHEMA clinical TO hims_app;

GRANT USAGE ON SCHEMA core TO hims_app;
GRANT USAGE ON SCHEMA core TO hims_platform;

GRANT USAGE ON SCHEMA events TO hims_app;
GRANT USAGE ON SCHEMA events TO hims_replication;

GRANT USAGE ON SCHEMA platform TO hims_platform;

REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO hims_app;

REVOKE ALL ON FUNCTION analytics.purge_processed_events(p_older_than interval) FROM PUBLIC;
GRANT ALL ON FUNCTION analytics.purge_processed_events(p_older_than interval) TO hims_app;

REVOKE ALL ON FUNCTION audit.append(p_tenant uuid, p_action text, p_entity_type text, p_entity_id text, p_changes jsonb, p_details jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.append(p_tenant uuid, p_action text, p_entity_type text, p_entity_id text, p_changes jsonb, p_details jsonb) TO hims_app;

REVOKE ALL ON FUNCTION audit.seal(p_max_rows_per_tenant integer, OUT sealed bigint, OUT max_delay_seconds double precision) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.seal(p_max_rows_per_tenant integer, OUT sealed bigint, OUT max_delay_seconds double precision) TO hims_app;

REVOKE ALL ON FUNCTION clinical.abdm_due_transfers(p_limit integer, p_hip_prefix text) FROM PUBLIC;
GRANT ALL ON FUNCTION clinical.abdm_due_transfers(p_limit integer, p_hip_prefix text) TO hims_app;

REVOKE ALL ON FUNCTION clinical.abdm_due_work(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION clinical.abdm_due_work(p_limit integer) TO hims_app;

REVOKE ALL ON FUNCTION clinical.abdm_due_work_for(p_limit integer, p_hip_prefix text) FROM PUBLIC;
GRANT ALL ON FUNCTION clinical.abdm_due_work_for(p_limit integer, p_hip_prefix text) TO hims_app;

REVOKE ALL ON FUNCTION clinical.abdm_purge_inbox(p_retention interval) FROM PUBLIC;
GRANT ALL ON FUNCTION clinical.abdm_purge_inbox(p_retention interval) TO hims_app;

REVOKE ALL ON FUNCTION clinical.abdm_tenants_with_hip(p_hip_prefix text) FROM PUBLIC;
GRANT ALL ON FUNCTION clinical.abdm_tenants_with_hip(p_hip_prefix text) TO hims_app;

REVOKE ALL ON FUNCTION clinical.abdm_tenants_with_sms_notify(p_hip_prefix text) FROM PUBLIC;
GRANT ALL ON FUNCTION clinical.abdm_tenants_with_sms_notify(p_hip_prefix text) TO hims_app;

REVOKE ALL ON FUNCTION clinical.next_mrn_number() FROM PUBLIC;
GRANT ALL ON FUNCTION clinical.next_mrn_number() TO hims_app;

REVOKE ALL ON FUNCTION clinical.register_duplicates(p_abha_number text, p_abha_address text, p_phones text[], p_birth_date date, p_birth_year smallint, p_search_name text, p_name_similarity real, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION clinical.register_duplicates(p_abha_number text, p_abha_address text, p_phones text[], p_birth_date date, p_birth_year smallint, p_search_name text, p_name_similarity real, p_limit integer) TO hims_app;

REVOKE ALL ON FUNCTION core.abdm_tenant_for_hip(p_hip_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION core.abdm_tenant_for_hip(p_hip_id text) TO hims_app;

REVOKE ALL ON FUNCTION core.begin_request(p_tenant uuid, p_user uuid, p_request_id text, p_session uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION core.begin_request(p_tenant uuid, p_user uuid, p_request_id text, p_session uuid) TO hims_app;

REVOKE ALL ON FUNCTION core.tenant_id_for_slug(p_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION core.tenant_id_for_slug(p_slug text) TO hims_app;

REVOKE ALL ON FUNCTION events.purge_outbox(p_older_than interval) FROM PUBLIC;
GRANT ALL ON FUNCTION events.purge_outbox(p_older_than interval) TO hims_app;

REVOKE ALL ON FUNCTION platform.activate_tenant(p_id uuid, p_saga uuid, p_request_id text, p_operator uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.activate_tenant(p_id uuid, p_saga uuid, p_request_id text, p_operator uuid) TO hims_platform;

REVOKE ALL ON FUNCTION platform.configure_tenant(p_id uuid, p_settings jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.configure_tenant(p_id uuid, p_settings jsonb) TO hims_platform;

REVOKE ALL ON FUNCTION platform.create_first_admin(p_tenant uuid, p_user uuid, p_email text, p_display_name text, p_token_hash bytea, p_ttl_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.create_first_admin(p_tenant uuid, p_user uuid, p_email text, p_display_name text, p_token_hash bytea, p_ttl_seconds integer) TO hims_platform;

REVOKE ALL ON FUNCTION platform.create_tenant(p_id uuid, p_slug text, p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.create_tenant(p_id uuid, p_slug text, p_name text) TO hims_platform;

REVOKE ALL ON FUNCTION platform.discard_first_admin(p_tenant uuid, p_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.discard_first_admin(p_tenant uuid, p_user uuid) TO hims_platform;

REVOKE ALL ON FUNCTION platform.discard_tenant(p_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.discard_tenant(p_id uuid) TO hims_platform;

REVOKE ALL ON FUNCTION platform.publish_tenant_event(p_id uuid, p_type text, p_payload jsonb, p_request_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.publish_tenant_event(p_id uuid, p_type text, p_payload jsonb, p_request_id text) TO hims_platform;

REVOKE ALL ON FUNCTION platform.reissue_first_admin_invitation(p_tenant uuid, p_user uuid, p_token_hash bytea, p_ttl_seconds integer, p_request_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.reissue_first_admin_invitation(p_tenant uuid, p_user uuid, p_token_hash bytea, p_ttl_seconds integer, p_request_id text) TO hims_platform;

REVOKE ALL ON FUNCTION platform.set_tenant_limits(p_id uuid, p_limits jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.set_tenant_limits(p_id uuid, p_limits jsonb) TO hims_platform;

REVOKE ALL ON FUNCTION platform.set_tenant_status(p_id uuid, p_from text, p_to text) FROM PUBLIC;
GRANT ALL ON FUNCTION platform.set_tenant_status(p_id uuid, p_from text, p_to text) TO hims_platform;

GRANT SELECT,INSERT,UPDATE ON TABLE analytics.daily_active_users TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE analytics.daily_counters TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE analytics.daily_revenue TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE analytics.daily_visits TO hims_app;

GRANT SELECT,INSERT ON TABLE analytics.processed_events TO hims_app;

GRANT SELECT ON TABLE audit.audit_log TO hims_app;

GRANT SELECT ON TABLE audit.chain_heads TO hims_app;

GRANT SELECT,INSERT,DELETE ON TABLE billing.invoice_lines TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE billing.invoice_series TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE billing.invoices TO hims_app;

GRANT SELECT,INSERT ON TABLE billing.ledger TO hims_app;

GRANT SELECT,INSERT ON TABLE billing.payments TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE billing.price_items TO hims_app;

GRANT SELECT,INSERT ON TABLE billing.refunds TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE billing.settings TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE billing.shifts TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.abdm_consents TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.abdm_hi_requests TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.abdm_inbox TO hims_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE clinical.abdm_link_tokens TO hims_app;

GRANT SELECT,INSERT ON TABLE clinical.abdm_links TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.abdm_notifications TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.abdm_outbound TO hims_app;

GRANT SELECT,INSERT ON TABLE clinical.abdm_profile_shares TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.abdm_share_counters TO hims_app;

GRANT SELECT,INSERT ON TABLE clinical.abdm_sms_sink TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.abdm_transactions TO hims_app;

GRANT SELECT,INSERT ON TABLE clinical.abdm_transitions TO hims_app;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE clinical.abha_flows TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.abha_verifications TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.appointments TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.doctor_schedules TO hims_app;

GRANT SELECT ON TABLE clinical.mrn_counters TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.patients TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.queue_counters TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.queue_displays TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.queue_entries TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.queue_settings TO hims_app;

GRANT SELECT,INSERT ON TABLE clinical.reminders_sent TO hims_app;

GRANT SELECT,INSERT,DELETE ON TABLE clinical.schedule_exceptions TO hims_app;

GRANT SELECT,INSERT,DELETE ON TABLE clinical.schedule_periods TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.slot_bookings TO hims_app;

GRANT SELECT,INSERT,DELETE ON TABLE clinical.sms_opt_outs TO hims_app;

GRANT SELECT,INSERT ON TABLE clinical.visit_versions TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE clinical.visits TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE core.abdm_hips TO hims_app;

GRANT SELECT,INSERT,DELETE ON TABLE core.idempotency_keys TO hims_app;

GRANT SELECT ON TABLE core.identity_providers TO hims_app;

GRANT SELECT,INSERT ON TABLE core.login_attempts TO hims_app;

GRANT SELECT,INSERT ON TABLE core.refresh_tokens TO hims_app;

GRANT UPDATE(rotated_at) ON TABLE core.refresh_tokens TO hims_app;

GRANT UPDATE(replaced_by) ON TABLE core.refresh_tokens TO hims_app;

GRANT UPDATE(revoked_at) ON TABLE core.refresh_tokens TO hims_app;

GRANT UPDATE(revoked_reason) ON TABLE core.refresh_tokens TO hims_app;

GRANT SELECT ON TABLE core.roles TO hims_app;

GRANT SELECT ON TABLE core.tenants TO hims_app;
GRANT SELECT ON TABLE core.tenants TO hims_platform;

GRANT SELECT,INSERT ON TABLE core.user_identities TO hims_app;

GRANT SELECT,INSERT ON TABLE core.user_invitations TO hims_app;

GRANT UPDATE(accepted_at) ON TABLE core.user_invitations TO hims_app;

GRANT SELECT,INSERT,UPDATE ON TABLE core.users TO hims_app;

GRANT SELECT,INSERT ON TABLE events.outbox TO hims_app;
GRANT SELECT ON TABLE events.outbox TO hims_replication;

GRANT SELECT,INSERT ON TABLE platform.audit TO hims_platform;

GRANT SELECT,INSERT ON TABLE platform.operator_login_attempts TO hims_platform;

GRANT SELECT ON TABLE platform.operators TO hims_platform;

GRANT SELECT,INSERT,UPDATE ON TABLE platform.saga_steps TO hims_platform;

GRANT SELECT,INSERT,UPDATE ON TABLE platform.sagas TO hims_platform;

GRANT SELECT,INSERT,DELETE ON TABLE platform.slug_reservations TO hims_platform;
