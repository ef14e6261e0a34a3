-- Run as a superuser in every project database: infra/postgres/pg.sh does, on each
-- start and createdb. Idempotent. Migrations (run as hims_owner) find these
-- extensions in place. The Docker image runs it too (docker-init.sh).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gin SCHEMA public;

-- pg_trgm's similarity comparison operators (%, <%, %>, <<%, %>>) are LEAKPROOF:
-- they are pure functions of two text values (and the pg_trgm.*_threshold
-- settings) that raise no error for any input and return only a boolean. Under
-- FORCE ROW LEVEL SECURITY, PostgreSQL lets a query's own condition reach an index
-- before the tenant policy only when its operator is leakproof; without this the
-- trigram GIN index is never used for the application role and a fuzzy name search
-- scans the whole clinic. docs/security.md has the argument; a test fails if the
-- marking is lost (test/integration/name-search-index.int-spec.ts).
ALTER FUNCTION public.similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION public.word_similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION public.word_similarity_commutator_op(text, text) LEAKPROOF;
ALTER FUNCTION public.strict_word_similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION public.strict_word_similarity_commutator_op(text, text) LEAKPROOF;
