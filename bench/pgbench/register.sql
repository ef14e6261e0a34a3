-- POST /api/v1/patients as one request transaction, statement for statement
-- (TenantScope.run → TenantContextInterceptor → PatientsService.register →
-- PatientsRepository; libs/patients/src/patients.repository.ts). Run by
-- bench/run.ts with pgbench -M extended (unnamed statements, planned per
-- execution, like node-postgres). Variables from -D: ntenants, session.
-- The first statement also \gsets the tenant/user ids for later ones.
\set t random(1, :ntenants)
\set n random(1, 2000000000)
BEGIN;
SELECT set_config('app.current_tenant', 'b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'), true) AS tenant,
       set_config('app.current_user', 'b1000000-0000-4000-8000-' || lpad(:t::text, 12, '0'), true) AS actor,
       set_config('app.request_id', 'pgbench-' || :n, true) AS request_id \gset
SELECT id, slug, name, status, settings FROM core.tenants
 WHERE id = NULLIF(current_setting('app.current_tenant', true), '')::uuid;
SELECT u.status, u.roles,
       EXISTS (SELECT 1 FROM core.refresh_tokens r
                WHERE r.tenant_id = u.tenant_id AND r.family_id = :session AND r.revoked_at IS NOT NULL)
         AS "sessionRevoked"
  FROM core.users u WHERE u.id = :actor;
SELECT id, slug, name, status, settings FROM core.tenants
 WHERE id = NULLIF(current_setting('app.current_tenant', true), '')::uuid;
WITH c AS (
  SELECT id, mrn, 'abha_number' AS reason FROM clinical.patients
   WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND abha_number = NULL
  UNION ALL
  SELECT id, mrn, 'abha_address' FROM clinical.patients
   WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND abha_address = NULL
  UNION ALL
  SELECT id, mrn, 'phone_birth_date' FROM clinical.patients
   WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid
     AND cardinality(ARRAY['+91' || (9000000000 + :n % 999999999)]::text[]) > 0
     AND (phones[1] = ANY(ARRAY['+91' || (9000000000 + :n % 999999999)]::text[])
          OR phones[2] = ANY(ARRAY['+91' || (9000000000 + :n % 999999999)]::text[])
          OR phones[3] = ANY(ARRAY['+91' || (9000000000 + :n % 999999999)]::text[]))
     AND (birth_date = (date '1930-01-01' + :n % 34000)::date
          OR (((date '1930-01-01' + :n % 34000)::date IS NULL OR birth_date IS NULL)
              AND birth_year = extract(year FROM date '1930-01-01' + :n % 34000)::smallint))
  UNION ALL
  SELECT id, mrn, 'similar_name_birth_date' FROM clinical.patients
   WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid
     AND (birth_date = (date '1930-01-01' + :n % 34000)::date
          OR (((date '1930-01-01' + :n % 34000)::date IS NULL OR birth_date IS NULL)
              AND birth_year = extract(year FROM date '1930-01-01' + :n % 34000)::smallint))
     AND similarity(search_name, 'pgb' || :n || ' kumar') >= 0.6
)
SELECT id, mrn, array_agg(DISTINCT reason ORDER BY reason) AS reasons
  FROM c WHERE id IS DISTINCT FROM NULL::uuid
 GROUP BY id, mrn ORDER BY mrn LIMIT 10;
SELECT clinical.next_mrn_number()::text AS mrn_n \gset
INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_prefix, name_text, search_name,
  gender, birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number, abha_address,
  deceased, created_by, updated_by)
VALUES (NULLIF(current_setting('app.current_tenant', true), '')::uuid,
        'MRN-' || CASE WHEN length(:mrn_n) < 6 THEN lpad(:mrn_n, 6, '0') ELSE :mrn_n END,
        ARRAY['Pgb' || :n], 'Kumar', '{}', 'Pgb' || :n || ' Kumar', 'pgb' || :n || ' kumar', 'female',
        date '1930-01-01' + :n % 34000, extract(year FROM date '1930-01-01' + :n % 34000)::smallint, false,
        ARRAY['+91' || (9000000000 + :n % 999999999)], NULL, NULL, NULL, NULL, false,
        NULLIF(current_setting('app.current_user', true), '')::uuid,
        NULLIF(current_setting('app.current_user', true), '')::uuid)
RETURNING tenant_id, id, mrn, name_given, name_family, name_prefix, name_text, search_name, gender,
  birth_date::text AS birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number,
  abha_address, active, deceased, version, created_at, updated_at, created_by, updated_by \gset p_
INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id, actor_id, schema_version)
VALUES (:tenant, 'patient', :p_id, 'patient.registered',
        ('{"patientId": "' || :p_id || '", "version": 1, "changedFields": ["birthDate", "gender", "name", "phones"]}')::jsonb,
        NULLIF(current_setting('app.request_id', true), ''),
        NULLIF(current_setting('app.current_user', true), '')::uuid, 1)
RETURNING id;
COMMIT;
