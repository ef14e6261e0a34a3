-- GET /api/v1/patients?phone=… as one request transaction, statement for statement, as the API
-- sends it today (core.begin_request, whose tenant settings give the default phone region;
-- PatientsRepository.search with its audit entry in the same statement): four round trips.
-- Variables from -D: ntenants, session, nphones, phones (a text[] literal of E.164 numbers of real rows).
\set t random(1, :ntenants)
\set k random(1, :nphones)
\set n random(1, 2000000000)
BEGIN;
SELECT * FROM core.begin_request(('b0000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid,
                                 ('b1000000-0000-4000-8000-' || lpad(:t::text, 12, '0'))::uuid,
                                 'pgbench-' || :n, :session::uuid);
WITH r AS (
  SELECT tenant_id, id, mrn, name_given, name_family, name_prefix, name_text, search_name, gender,
       birth_date::text AS birth_date, birth_year, birth_date_approximate, phones, email, address,
       abha_number, abha_address, active, deceased, version, created_at, updated_at, created_by,
       updated_by, 0::float8 AS score
    FROM clinical.patients
   WHERE tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid AND active
     AND (phones[1] = ((:phones::text[])[:k]) OR phones[2] = ((:phones::text[])[:k]) OR phones[3] = ((:phones::text[])[:k]))
   ORDER BY id LIMIT 21
), a AS (
  SELECT audit.append(NULLIF(current_setting('app.current_tenant', true), '')::uuid, 'search', 'patient', NULL, NULL,
           jsonb_build_object('criteria', '["phone"]'::jsonb, 'termsSha256', md5(((:phones::text[])[:k])) || md5(((:phones::text[])[:k])), 'page', 'first')
           || jsonb_build_object('resultIds', (SELECT coalesce(jsonb_agg(x.id ORDER BY x.score DESC, x.id), '[]'::jsonb)
                                                FROM (SELECT id, score FROM r ORDER BY score DESC, id LIMIT 20) x))) AS entry
)
SELECT r.* FROM a LEFT JOIN r ON true ORDER BY r.score DESC, r.id;
COMMIT;
