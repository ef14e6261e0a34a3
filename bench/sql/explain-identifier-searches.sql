-- EXPLAIN (ANALYZE, BUFFERS) of the registry's exact-criterion searches (phone, ABHA
-- number, MRN), shaped as PatientsRepository.search() issues them without a name (page
-- of 20 + 1, ordered by id), run as the APPLICATION role with the tenant set like a
-- request, so row-level security applies:
--
--   psql "postgres://hims_app:hims_app_dev@127.0.0.1:55432/hims" -v tenant=<uuid> \
--        -v phone='+916000023757' -v abha='10000000314187' -v mrn='MRN-000003' \
--        -f bench/sql/explain-identifier-searches.sql
\set ON_ERROR_STOP on
BEGIN;
SELECT set_config('app.current_tenant', :'tenant', true) IS NOT NULL AS tenant_set;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, mrn, search_name, 0::float8 AS score FROM clinical.patients
 WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
   AND (phones[1] = :'phone'::text OR phones[2] = :'phone'::text OR phones[3] = :'phone'::text)
 ORDER BY id LIMIT 21;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, mrn, search_name, 0::float8 AS score FROM clinical.patients
 WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
   AND abha_number = :'abha'
 ORDER BY id LIMIT 21;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, mrn, search_name, 0::float8 AS score FROM clinical.patients
 WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
   AND mrn = :'mrn'
 ORDER BY id LIMIT 21;
ROLLBACK;
