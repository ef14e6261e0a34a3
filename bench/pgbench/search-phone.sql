-- GET /api/v1/patients?phone=… as one request transaction, statement for
-- statement (as search-name.sql; a phone search also reads the tenant's
-- default region for normalisation). Variables from -D: ntenants, session,
-- nphones, phones (a text[] literal of E.164 numbers of real rows).
\set t random(1, :ntenants)
\set k random(1, :nphones)
\set n random(1, 2000000000)
BEGIN;
SELECT set_config('app.current_tenant', 'b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'), true) AS tenant,
       set_config('app.current_user', 'b1000000-0000-4000-8000-' || lpad(:t::text, 12, '0'), true) AS actor,
       set_config('app.request_id', 'pgbench-' || :n, true) AS request_id,
       (:phones::text[])[:k] AS phone \gset
SELECT id, slug, name, status, settings FROM core.tenants
 WHERE id = NULLIF(current_setting('app.current_tenant', true), '')::uuid;
SELECT u.status, u.roles,
       EXISTS (SELECT 1 FROM core.refresh_tokens r
                WHERE r.tenant_id = u.tenant_id AND r.family_id = :session AND r.revoked_at IS NOT NULL)
         AS "sessionRevoked"
  FROM core.users u WHERE u.id = :actor;
SELECT id, slug, name, status, settings FROM core.tenants
 WHERE id = NULLIF(current_setting('app.current_tenant', true), '')::uuid;
SELECT tenant_id, id, mrn, name_given, name_family, name_prefix, name_text, search_name, gender,
  birth_date::text AS birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number,
  abha_address, active, deceased, version, created_at, updated_at, created_by, updated_by, score
  FROM (SELECT p.*, 0::float8 AS score FROM clinical.patients p
         WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
           AND (phones[1] = :phone::text OR phones[2] = :phone::text OR phones[3] = :phone::text)) s
 ORDER BY score DESC, id
 LIMIT 21;
SELECT audit.append(:tenant, 'search', 'patient', NULL, NULL,
  ('{"criteria": ["phone"], "termsSha256": "' || md5(:phone) || md5(:phone) || '", "resultIds": ' || :result_ids || ', "page": "first"}')::jsonb);
COMMIT;
