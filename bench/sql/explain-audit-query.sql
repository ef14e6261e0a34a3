-- EXPLAIN (ANALYZE, BUFFERS) of the audit query's first page (AuditQueryService.query,
-- limit 50) for each filter it offers, as the APPLICATION role with the tenant set (RLS on):
--
--   psql "postgres://hims_app:hims_app_dev@127.0.0.1:55432/<scratch db>" \
--        -v tenant=b0000000-0000-4000-8000-000000000001 -f bench/sql/explain-audit-query.sql
SELECT set_config('app.current_tenant', :'tenant', false);
\set cols 'entry_id::text, (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS at_us, seq::text, id, occurred_at, actor_id, request_id, action, entity_type, entity_id, changes, details, prev_hash, hash'
\set t 'tenant_id = NULLIF(current_setting(''app.current_tenant'', true), '''')::uuid'
\echo === no filter
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === action = DELETE (0.1 % of rows)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND action = 'DELETE' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === action = allow_duplicate (absent from this trail)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND action = 'allow_duplicate' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === action = read (40 %)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND action = 'read' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === entity_type = audit (0.9 %)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND entity_type = 'audit' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === entity_type = abdm_consent (absent from this trail)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND entity_type = 'abdm_consent' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === entity_type = clinical.visits AND action = INSERT (5 %)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND entity_type = 'clinical.visits' AND action = 'INSERT' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === entity_type = clinical.patients AND action = DELETE
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND entity_type = 'clinical.patients' AND action = 'DELETE' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === action = DELETE, next page (keyset after the 51st row)
SELECT occurred_at AS k_at, entry_id AS k_e FROM audit.audit_log WHERE :t AND action = 'DELETE' ORDER BY occurred_at DESC, entry_id DESC OFFSET 50 LIMIT 1 \gset
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND action = 'DELETE' AND (occurred_at, entry_id) < (:'k_at'::timestamptz, :k_e) ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === entity_id
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND entity_id = (SELECT entity_id FROM audit.audit_log WHERE :t ORDER BY occurred_at DESC, entry_id DESC LIMIT 1) ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === actor_id
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND actor_id = '00000000-0000-4000-8000-000000000007' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === from (last 7 days)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND occurred_at >= now() - interval '7 days' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === from .. to (one day, 200 days ago)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND occurred_at >= now() - interval '200 days' AND occurred_at < now() - interval '199 days' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
\echo === action = DELETE, from .. to (30 days, 200 days ago)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT :cols FROM audit.audit_log WHERE :t AND action = 'DELETE' AND occurred_at >= now() - interval '230 days' AND occurred_at < now() - interval '200 days' ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT 51;
