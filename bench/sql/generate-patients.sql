-- Bulk-generates synthetic patients for one tenant, for EXPLAIN ANALYZE and
-- load tests at registry scale. Run as the OWNER role against a scratch
-- database that has every migration applied (never a real clinic's data):
--
--   psql "postgres://hims_owner:hims_owner_dev@127.0.0.1:55432/hims_bench_patients" \
--        -v tenant=<uuid> -v slug=bench-big -v n=1000000 -f bench/sql/generate-patients.sql
--
-- Deterministic (setseed) and idempotent per tenant: the tenant is created if
-- missing, and its existing patients are kept (new MRNs continue after them).
-- The row-audit trigger is disabled for the load only, inside this
-- transaction (a million audit rows would dwarf the table being measured).
-- Names: ~1,400 synthetic given names × 60 family names in Latin script, 8%
-- Devanagari and 4% Tamil; birth dates 1930–2024, 5% year-only; one or two
-- E.164 phones; ABHA number/address for about a third.
\set ON_ERROR_STOP on
BEGIN;
SELECT set_config('app.current_tenant', :'tenant', true);
INSERT INTO core.tenants (id, slug, name, settings)
  VALUES (:'tenant', :'slug', 'Benchmark clinic ' || :'slug', '{"defaultRegion": "IN"}')
  ON CONFLICT DO NOTHING;
ALTER TABLE clinical.patients DISABLE TRIGGER patients_audit;
SELECT setseed(0.4242);

WITH base AS (SELECT coalesce(max(substr(mrn, 5)::bigint), 0) AS start FROM clinical.patients WHERE mrn ~ '^MRN-\d+$'),
pool AS (
  SELECT ARRAY['ra','su','ka','pri','an','vi','sa','ma','de','la','ha','ni','ja','go','shi','ar'] AS s1,
         ARRAY['vi','ni','ra','ya','ma','sh','ja','de','la'] AS s2,
         ARRAY['','n','a','ta','ya','sh','ni','ka','ra','l'] AS s3,
         ARRAY['Kumar','Sharma','Iyer','Reddy','Nair','Das','Singh','Patel','Gupta','Rao','Menon','Pillai','Joshi',
               'Mehta','Shah','Verma','Mishra','Chatterjee','Banerjee','Mukherjee','Bose','Ghosh','Naidu','Yadav',
               'Chauhan','Thakur','Pandey','Tiwari','Dubey','Saxena','Kapoor','Malhotra','Khanna','Bhatia','Arora',
               'Sethi','Kulkarni','Deshpande','Patil','Pawar','Jadhav','Gowda','Hegde','Shetty','Kamath','Pai',
               'Fernandes','DSouza','Pereira','Khan','Ansari','Siddiqui','Qureshi','Sheikh','Mathew','Thomas',
               'Varghese','Kurian','Sen','Dutta'] AS fam,
         ARRAY['राम','सीता','अनिल','प्रिया','अर्जुन','मीना','किरण','सुनीता','राजेश','पूजा'] AS hi_given,
         ARRAY['कुमार','शर्मा','सिंह','वर्मा','गुप्ता','यादव'] AS hi_fam,
         ARRAY['முருகன்','லட்சுமி','கார்த்திக்','மீனா','செல்வம்','பிரியா'] AS ta_given,
         ARRAY['செல்வம்','ராஜா','சுப்பிரமணியம்','கண்ணன்'] AS ta_fam
),
gen AS (
  -- random() in the select list: evaluated per row (a lateral sub-select would run once).
  SELECT i, b.start + i AS n, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
         random() AS r5, random() AS r6, random() AS r7, p.*
    FROM generate_series(1, :n) i
    CROSS JOIN base b CROSS JOIN pool p
),
named AS (
  SELECT g.*,
         CASE WHEN r1 < 0.08 THEN hi_given[1 + floor(r2 * 10)::int]
              WHEN r1 < 0.12 THEN ta_given[1 + floor(r2 * 6)::int]
              ELSE initcap(s1[1 + floor(r2 * 16)::int] || s2[1 + floor(r3 * 9)::int] || s3[1 + floor(r4 * 10)::int]) END AS given,
         CASE WHEN r1 < 0.08 THEN hi_fam[1 + floor(r5 * 6)::int]
              WHEN r1 < 0.12 THEN ta_fam[1 + floor(r5 * 4)::int]
              ELSE fam[1 + floor(r5 * 60)::int] END AS family,
         date '1930-01-01' + floor(r6 * 34675)::int AS dob
    FROM gen g
)
INSERT INTO clinical.patients (tenant_id, mrn, name_given, name_family, name_text, search_name, gender, birth_date,
                               birth_year, birth_date_approximate, phones, abha_number, abha_address, created_at, updated_at)
SELECT :'tenant'::uuid,
       'MRN-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END,
       ARRAY[given], family, given || ' ' || family, lower(given || ' ' || family),
       (ARRAY['male','female','other','unknown'])[CASE WHEN r7 < 0.49 THEN 1 WHEN r7 < 0.98 THEN 2 WHEN r7 < 0.99 THEN 3 ELSE 4 END],
       CASE WHEN r3 < 0.05 THEN NULL ELSE dob END,
       extract(year FROM dob)::smallint,
       r3 < 0.05,
       CASE WHEN r4 < 0.15 THEN ARRAY['+91' || (6000000000 + n * 7919 % 3999999999)::text, '+91' || (9000000000 + n)::text]
            ELSE ARRAY['+91' || (6000000000 + n * 7919 % 3999999999)::text] END,
       CASE WHEN r2 < 0.33 THEN lpad((10000000000000 + n * 104729 % 89999999999999)::text, 14, '0') END,
       CASE WHEN r5 < 0.25 THEN 'bench' || lpad(n::text, 7, '0') || '@sbx' END,
       now() - (r6 * interval '3 years'), now()
  FROM named;

INSERT INTO clinical.mrn_counters AS c (tenant_id, last_value)
  SELECT :'tenant'::uuid, coalesce(max(substr(mrn, 5)::bigint), 0) FROM clinical.patients WHERE mrn ~ '^MRN-\d+$'
  ON CONFLICT (tenant_id) DO UPDATE SET last_value = excluded.last_value;
SELECT setval(to_regclass('clinical.mrn_' || replace(:'tenant', '-', '')),
              (SELECT last_value FROM clinical.mrn_counters WHERE tenant_id = :'tenant'::uuid));
ALTER TABLE clinical.patients ENABLE TRIGGER patients_audit;
COMMIT;
ANALYZE clinical.patients;
SELECT set_config('app.current_tenant', :'tenant', false) IS NOT NULL AS tenant_set;
SELECT count(*) AS patients_in_tenant FROM clinical.patients WHERE tenant_id = :'tenant';
