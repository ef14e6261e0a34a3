-- GET /api/v1/patients?name=… as one request transaction, statement for
-- statement (TenantScope.run → TenantContextInterceptor → PatientsService.search
-- → PatientsRepository.search → AuditRecorder.record). Variables from -D:
-- ntenants, session, nterms, terms (a text[] literal of normalised name
-- queries: the same list the HTTP scenario sends). The first statement also
-- \gsets the query and its prefix upper bound (prefixUpperBound()).
\set t random(1, :ntenants)
\set k random(1, :nterms)
\set n random(1, 2000000000)
BEGIN;
SELECT set_config('app.current_tenant', 'b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'), true) AS tenant,
       set_config('app.current_user', 'b1000000-0000-4000-8000-' || lpad(:t::text, 12, '0'), true) AS actor,
       set_config('app.request_id', 'pgbench-' || :n, true) AS request_id,
       (:terms::text[])[:k] AS q,
       left((:terms::text[])[:k], -1) || chr(ascii(right((:terms::text[])[:k], 1)) + 1) AS hi \gset
SELECT id, slug, name, status, settings FROM core.tenants
 WHERE id = NULLIF(current_setting('app.current_tenant', true), '')::uuid;
SELECT u.status, u.roles,
       EXISTS (SELECT 1 FROM core.refresh_tokens r
                WHERE r.tenant_id = u.tenant_id AND r.family_id = :session AND r.revoked_at IS NOT NULL)
         AS "sessionRevoked"
  FROM core.users u WHERE u.id = :actor;
SELECT tenant_id, id, mrn, name_given, name_family, name_prefix, name_text, search_name, gender,
  birth_date::text AS birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number,
  abha_address, active, deceased, version, created_at, updated_at, created_by, updated_by, score FROM (
  WITH prefix AS (
    SELECT id FROM clinical.patients
     WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
       AND search_name COLLATE "C" >= :q AND search_name COLLATE "C" < :hi
     ORDER BY search_name COLLATE "C" LIMIT 100
  ), nearest AS (
    SELECT id FROM clinical.patients
     WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
       AND (SELECT count(*) FROM prefix) < 100
     ORDER BY :q <<-> search_name LIMIT 100
  ), candidates AS (SELECT id FROM prefix UNION SELECT id FROM nearest)
  SELECT p.*, (word_similarity(:q, p.search_name) + 0.25 * similarity(p.search_name, :q)
               + CASE WHEN starts_with(p.search_name, :q) THEN 0.5 ELSE 0 END)::float8 AS score
    FROM clinical.patients p JOIN candidates c ON c.id = p.id
   WHERE p.tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid
     AND (starts_with(p.search_name, :q) OR word_similarity(:q, p.search_name) >= 0.4)
) s
 ORDER BY score DESC, id
 LIMIT 21;
SELECT audit.append(:tenant, 'search', 'patient', NULL, NULL,
  ('{"criteria": ["name"], "termsSha256": "' || md5(:q) || md5(:q) || '", "resultIds": ' || :result_ids || ', "page": "first"}')::jsonb);
COMMIT;
