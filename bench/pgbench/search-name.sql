-- GET /api/v1/patients?name=… as one request transaction, statement for statement, as the API
-- sends it today (core.begin_request; PatientsRepository.search with its audit entry in the same
-- statement): four round trips. Variables from -D: ntenants, session, nterms, terms (a text[]
-- literal of normalised name queries: the list the HTTP scenario sends); the query and its
-- prefix upper bound (prefixUpperBound()) are computed inline, as bind parameters.
\set t random(1, :ntenants)
\set k random(1, :nterms)
\set n random(1, 2000000000)
BEGIN;
SELECT * FROM core.begin_request(('b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid,
                                 ('b1000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid,
                                 'pgbench-' || :n, :session::uuid);
WITH r AS (
  WITH prefix AS (
    SELECT id, search_name FROM clinical.patients
     WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
       AND search_name COLLATE "C" >= ((:terms::text[])[:k]) AND search_name COLLATE "C" < (left(((:terms::text[])[:k]), -1) || chr(ascii(right(((:terms::text[])[:k]), 1)) + 1))
     ORDER BY search_name COLLATE "C" LIMIT 100
  ), fuzzy AS (
    SELECT id, search_name FROM clinical.patients
     WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active AND (SELECT count(*) FROM prefix) < 100 AND ((:terms::text[])[:k]) <% search_name
  ), page AS (
    SELECT c.id, (word_similarity(((:terms::text[])[:k]), c.search_name) + 0.25 * similarity(c.search_name, ((:terms::text[])[:k]))
                  + CASE WHEN starts_with(c.search_name, ((:terms::text[])[:k])) THEN 0.5 ELSE 0 END)::float8 AS score
      FROM (SELECT id, search_name FROM prefix UNION SELECT id, search_name FROM fuzzy) c
     WHERE starts_with(c.search_name, ((:terms::text[])[:k])) OR word_similarity(((:terms::text[])[:k]), c.search_name) >= 0.4
     ORDER BY score DESC, c.id
     LIMIT 21
  )
  SELECT p.tenant_id, p.id, p.mrn, p.name_given, p.name_family, p.name_prefix, p.name_text, p.search_name, p.gender,
       p.birth_date::text AS birth_date, p.birth_year, p.birth_date_approximate, p.phones, p.email, p.address,
       p.abha_number, p.abha_address, p.active, p.deceased, p.version, p.created_at, p.updated_at, p.created_by,
       p.updated_by, page.score
    FROM page JOIN clinical.patients p ON p.tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND p.id = page.id
   ORDER BY page.score DESC, page.id
), a AS (
  SELECT audit.append(NULLIF(current_setting('app.current_tenant', true), '')::uuid, 'search', 'patient', NULL, NULL,
           jsonb_build_object('criteria', '["name"]'::jsonb, 'termsSha256', md5(((:terms::text[])[:k])) || md5(((:terms::text[])[:k])), 'page', 'first')
           || jsonb_build_object('resultIds', (SELECT coalesce(jsonb_agg(x.id ORDER BY x.score DESC, x.id), '[]'::jsonb)
                                                FROM (SELECT id, score FROM r ORDER BY score DESC, id LIMIT 20) x))) AS entry
)
SELECT r.* FROM a LEFT JOIN r ON true ORDER BY r.score DESC, r.id;
COMMIT;
