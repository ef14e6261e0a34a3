-- EXPLAIN (ANALYZE, BUFFERS) of the free-text database fallback (PatientReader.freeText,
-- first page of 20 and the page after a keyset) as the APPLICATION role with the tenant set:
--
--   psql "postgres://hims_app:hims_app_dev@127.0.0.1:55432/<scratch db>" \
--        -v tenant=b0000000-0000-4000-8000-000000000001 -v q=a -v lower=a -v digits='' \
--        -v after_score=0.05 -v after_id=00000000-0000-0000-0000-000000000000 -f bench/sql/explain-free-text.sql
--
-- q is the name form (and here also the text as typed), lower the lower-cased text, digits six
-- digits or more (else ''), the values the API passes; the bounds are derived as the code does.
SELECT set_config('app.current_tenant', :'tenant', false);
SELECT :'q' AS q, :'lower' AS lower, :'digits' AS digits,
       CASE WHEN :'q' = '' THEN '' ELSE left(:'q', -1) || chr(ascii(right(:'q', 1)) + 1) END AS hi,
       ARRAY[:'q', upper(:'q'), :'lower']::text AS forms,
       CASE WHEN :'digits' = '' THEN '' ELSE '+' || :'digits' END AS ph_lo,
       CASE WHEN :'digits' = '' THEN '' ELSE '+' || left(:'digits', -1) || chr(ascii(right(:'digits', 1)) + 1) END AS ph_hi
\gset
PREPARE free_text(text, text, text, text, text[], text, text, int, int, float8, uuid) AS
WITH candidates AS (
  (SELECT id FROM clinical.patients
    WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active AND $1 <> ''
      AND search_name COLLATE "C" >= $1 AND search_name COLLATE "C" < $4
    ORDER BY search_name COLLATE "C" LIMIT $8)
  UNION
  (SELECT id FROM clinical.patients
    WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active AND $1 <> ''
      AND (search_name % $1 OR $1 <% search_name)
    LIMIT $8)
  UNION
  (SELECT id FROM clinical.patients
    WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
      AND (mrn = ANY($5) OR abha_address = $2 OR email = ANY($5) OR ($3 <> '' AND abha_number = $3))
    LIMIT $8)
  UNION
  (SELECT id FROM clinical.patients
    WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active AND $3 <> ''
      AND (   (phones[1] COLLATE "C" >= $6 AND phones[1] COLLATE "C" < $7)
           OR (phones[2] COLLATE "C" >= $6 AND phones[2] COLLATE "C" < $7)
           OR (phones[3] COLLATE "C" >= $6 AND phones[3] COLLATE "C" < $7))
    LIMIT $8)
), ranked AS (
  SELECT p.*,
         CASE WHEN lower(p.mrn) = $2 OR p.abha_address = $2 OR ($3 <> '' AND p.abha_number = $3) THEN 2.0
              ELSE greatest(similarity(p.search_name, $1), word_similarity($1, p.search_name))::float8 END AS score
    FROM candidates c JOIN clinical.patients p
      ON p.tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND p.id = c.id
)
SELECT id, mrn, search_name, score FROM ranked
 WHERE $10::float8 IS NULL OR score < $10::float8 OR (score = $10::float8 AND id > $11::uuid)
 ORDER BY score DESC, id
 LIMIT $9;
\echo === first page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE free_text(:'q', :'lower', :'digits', :'hi', :'forms', :'ph_lo', :'ph_hi', 200, 21, NULL, NULL);
\echo === page after (:after_score, :after_id)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE free_text(:'q', :'lower', :'digits', :'hi', :'forms', :'ph_lo', :'ph_hi', 200, 21, :'after_score', :'after_id');
