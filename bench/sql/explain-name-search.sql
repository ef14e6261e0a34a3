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
WITH prefix AS (
  SELECT id, search_name FROM clinical.patients
   WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
     AND search_name COLLATE "C" >= :'q' AND search_name COLLATE "C" < :'hi'
   ORDER BY search_name COLLATE "C" LIMIT 100
), fuzzy AS (
  SELECT id, search_name FROM clinical.patients
   WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
     AND (SELECT count(*) FROM prefix) < 100 AND :'q' <% search_name
), page AS (
  SELECT c.id, (word_similarity(:'q', c.search_name) + 0.25 * similarity(c.search_name, :'q')
                + CASE WHEN starts_with(c.search_name, :'q') THEN 0.5 ELSE 0 END)::float8 AS score
    FROM (SELECT id, search_name FROM prefix UNION SELECT id, search_name FROM fuzzy) c
   WHERE starts_with(c.search_name, :'q') OR word_similarity(:'q', c.search_name) >= 0.4
   ORDER BY score DESC, c.id
   LIMIT 21
)
SELECT p.tenant_id, p.id, p.mrn, p.name_given, p.name_family, p.name_prefix, p.name_text, p.search_name, p.gender,
       p.birth_date::text AS birth_date, p.birth_year, p.birth_date_approximate, p.phones, p.email, p.address,
       p.abha_number, p.abha_address, p.active, p.deceased, p.version, p.created_at, p.updated_at, p.created_by,
       p.updated_by, page.score
  FROM page JOIN clinical.patients p
    ON p.tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND p.id = page.id
 ORDER BY page.score DESC, page.id;
ROLLBACK;
