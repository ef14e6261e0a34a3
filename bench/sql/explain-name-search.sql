-- EXPLAIN (ANALYZE, BUFFERS) of the registry's name search, exactly as
-- PatientsRepository.search() issues it for a name-only query (default page
-- of 20, +1 to detect the next page), run as the APPLICATION role with the
-- tenant set like a request, so row-level security applies:
--
--   psql "postgres://hims_app:hims_app_dev@127.0.0.1:55432/hims_bench_patients" \
--        -v tenant=<uuid> -v q='prideni ansari' -v hi='prideni ansarj' -f bench/sql/explain-name-search.sql
--
-- :q is the normalised query (searchForm), :hi its prefix upper bound (last
-- character + 1; prefixUpperBound()).
\set ON_ERROR_STOP on
BEGIN;
SELECT set_config('app.current_tenant', :'tenant', true) IS NOT NULL AS tenant_set;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT tenant_id, id, mrn, name_given, name_family, name_prefix, name_text, search_name, gender,
       birth_date::text AS birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number,
       abha_address, active, deceased, version, created_at, updated_at, created_by, updated_by, score
  FROM (
    WITH prefix AS (
      SELECT id FROM clinical.patients
       WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
         AND search_name COLLATE "C" >= :'q' AND search_name COLLATE "C" < :'hi'
       ORDER BY search_name COLLATE "C" LIMIT 100
    ), nearest AS (
      SELECT id FROM clinical.patients
       WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
         AND (SELECT count(*) FROM prefix) < 100
       ORDER BY :'q' <<-> search_name LIMIT 100
    ), candidates AS (SELECT id FROM prefix UNION SELECT id FROM nearest)
    SELECT p.*, (word_similarity(:'q', p.search_name) + 0.25 * similarity(p.search_name, :'q')
                 + CASE WHEN starts_with(p.search_name, :'q') THEN 0.5 ELSE 0 END)::float8 AS score
      FROM clinical.patients p JOIN candidates c ON c.id = p.id
     WHERE p.tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid
       AND (starts_with(p.search_name, :'q') OR word_similarity(:'q', p.search_name) >= 0.4)
  ) s
 ORDER BY score DESC, id
 LIMIT 21;
ROLLBACK;
