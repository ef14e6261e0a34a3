-- Bulk-generates a synthetic audit trail (:n rows per tenant, for every tenant
-- in core.tenants) for EXPLAIN ANALYZE of the audit query. Run as the OWNER role
-- against a scratch database with every migration applied (never a clinic's):
--
--   psql "postgres://hims_owner:hims_owner_dev@127.0.0.1:55432/<scratch db>" -v n=150000 -f bench/sql/generate-audit.sql
--
-- Rows are inserted already sealed (dummy hashes: the chain is not what is measured),
-- a year of history per tenant in insertion order. The mix is skewed as a clinic's is:
-- reads and searches dominate, deletes and audit queries are rare (the hard case for
-- a filter without an index: a backward walk finds few matches per page).
\set ON_ERROR_STOP on
BEGIN;
SELECT set_config('audit.n', :'n', true);
SELECT setseed(0.1763809);
DO $$
DECLARE
  t uuid;
BEGIN
  FOR t IN SELECT id FROM core.tenants ORDER BY id LOOP
    PERFORM set_config('app.current_tenant', t::text, true);
    INSERT INTO audit.audit_log (tenant_id, seq, occurred_at, actor_id, request_id, action, entity_type, entity_id,
                                 changes, details, prev_hash, hash, sealed_at)
    SELECT t, coalesce((SELECT max(seq) FROM audit.audit_log WHERE tenant_id = t), 0) + i,
           now() - interval '365 days' + (i * (interval '365 days' / current_setting('audit.n')::int)),
           ('00000000-0000-4000-8000-' || lpad((1 + floor(r2 * 40))::text, 12, '0'))::uuid,
           md5(i::text || t::text),
           k.action, k.entity_type, md5(floor(r2 * 50000)::text || t::text)::uuid::text,
           NULL, NULL, '\x00'::bytea, '\x00'::bytea, now()
      FROM (SELECT i, random() AS r1, random() AS r2 FROM generate_series(1, current_setting('audit.n')::int) i) g
      CROSS JOIN LATERAL (
        SELECT CASE WHEN g.r1 < 0.40 THEN 'read' WHEN g.r1 < 0.65 THEN 'search' WHEN g.r1 < 0.77 THEN 'UPDATE'
                    WHEN g.r1 < 0.87 THEN 'INSERT' WHEN g.r1 < 0.92 THEN 'list_visits' WHEN g.r1 < 0.96 THEN 'fhir_read'
                    WHEN g.r1 < 0.99 THEN 'status_change' WHEN g.r1 < 0.999 THEN 'audit_query' ELSE 'DELETE' END AS action,
               CASE WHEN g.r1 < 0.65 THEN 'patient' WHEN g.r1 < 0.82 THEN 'clinical.patients'
                    WHEN g.r1 < 0.87 THEN 'clinical.visits' WHEN g.r1 < 0.92 THEN 'visit' WHEN g.r1 < 0.96 THEN 'patient'
                    WHEN g.r1 < 0.99 THEN 'visit' WHEN g.r1 < 0.999 THEN 'audit' ELSE 'clinical.patients' END AS entity_type
      ) k;
    INSERT INTO audit.chain_heads (tenant_id, last_seq, last_hash)
      SELECT t, max(seq), '\x00'::bytea FROM audit.audit_log WHERE tenant_id = t
      ON CONFLICT (tenant_id) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash;
  END LOOP;
END $$;
COMMIT;
ANALYZE audit.audit_log;
