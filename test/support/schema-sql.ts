import { execFileSync } from 'node:child_process';
import { PG_PORT } from './env';

export const SCHEMA_SQL_HEADER = `-- The database schema after every migration: pg_dump --schema-only of a freshly migrated
-- database, normalised (no version banner, no SET lines, no owners), so a migration's
-- effect is a reviewable diff here. GENERATED: do not edit. Regenerate with
--   npm run -s schema:sql
-- test/integration/schema-sql.int-spec.ts fails when this file is stale.
`;

/** pg_dump --schema-only of one database, as the owner role. */
export function dumpSchema(db: string): string {
  const bin = `/usr/lib/postgresql/${process.env.POSTGRES_MAJOR ?? '15'}/bin/pg_dump`;
  return execFileSync(
    bin,
    ['--schema-only', '--no-owner', '-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'hims_owner', db],
    {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: process.env.HIMS_OWNER_PASSWORD ?? 'hims_owner_dev' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

/** Drops what changes between dumps of the same schema (banner, session settings, restrict keys). */
export function normaliseSchema(dump: string): string {
  const lines = dump
    .split('\n')
    .filter(
      (l) =>
        !/^-- Dumped (from|by) /.test(l) &&
        !/^\\(un)?restrict /.test(l) &&
        !/^SET /.test(l) &&
        !/^SELECT pg_catalog\.set_config\('search_path'/.test(l) &&
        l !== '--' &&
        !/^-- (Name|PostgreSQL database dump)/.test(l),
    );
  return (
    SCHEMA_SQL_HEADER +
    '\n' +
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() +
    '\n'
  );
}
