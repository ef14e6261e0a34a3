-- POST /api/v1/patients as one request transaction, statement for statement, as the API sends
-- it today (TenantScope.run → core.begin_request; PatientsService.register →
-- PatientsRepository.lockAndFindDuplicates and insertRegistered): five round trips. Run by
-- bench/run.ts with pgbench -M extended (variables are bind parameters, planned per execution,
-- like node-postgres). Variables from -D: ntenants, session.
\set t random(1, :ntenants)
\set n random(1, 2000000000)
BEGIN;
SELECT * FROM core.begin_request(('b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid,
                                 ('b1000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid,
                                 'pgbench-' || :n, :session::uuid);
SELECT id, mrn, reasons FROM clinical.register_duplicates(
  NULL, NULL, ARRAY['+91' || (9000000000 + :n % 999999999)]::text[], (date '1930-01-01' + :n % 34000)::date,
  extract(year FROM date '1930-01-01' + :n % 34000)::smallint, 'pgb' || :n || ' kumar', 0.6, 10);
WITH m AS (SELECT clinical.next_mrn_number()::text AS n),
s AS (
  INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_prefix, name_text, search_name,
    gender, birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number, abha_address,
    deceased, created_by, updated_by)
  SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid,
         'MRN-' || CASE WHEN length(m.n) < 6 THEN lpad(m.n, 6, '0') ELSE m.n END,
         ARRAY['Pgb' || :n], 'Kumar', '{}', 'Pgb' || :n || ' Kumar', 'pgb' || :n || ' kumar', 'female',
         date '1930-01-01' + :n % 34000, extract(year FROM date '1930-01-01' + :n % 34000)::smallint, false,
         ARRAY['+91' || (9000000000 + :n % 999999999)], NULL, NULL, NULL, NULL, false,
         NULLIF(current_setting('app.current_user', true), '')::uuid,
         NULLIF(current_setting('app.current_user', true), '')::uuid
    FROM m
  RETURNING tenant_id, id, mrn, name_given, name_family, name_prefix, name_text, search_name, gender,
    birth_date::text AS birth_date, birth_year, birth_date_approximate, phones, email, address, abha_number,
    abha_address, active, deceased, version, created_at, updated_at, created_by, updated_by
), e AS (
  INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id, actor_id,
                             schema_version)
  SELECT s.tenant_id, 'patient', s.id, 'patient.registered',
         jsonb_build_object('patientId', s.id, 'version', s.version,
                            'changedFields', '["birthDate", "gender", "name", "phones"]'::jsonb),
         NULLIF(current_setting('app.request_id', true), ''),
         NULLIF(current_setting('app.current_user', true), '')::uuid, 1
    FROM s
  RETURNING id
)
SELECT s.* FROM s WHERE (SELECT count(*) FROM e) = 1;
COMMIT;
