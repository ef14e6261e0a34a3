/**
 * Needs: the project's PostgreSQL 15. migrations/schema.sql is the schema every
 * migration leaves behind; this test migrates an empty database, dumps it and
 * compares. With UPDATE_SCHEMA_SQL=1 (npm run -s schema:sql) it writes the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDataSource } from '../../libs/database/src/data-source';
import { ALL_MIGRATIONS } from '../../migrations';
import { ownerUrl, TEST_DB } from '../support/env';
import { pg } from '../support/infra';
import { dumpSchema, normaliseSchema } from '../support/schema-sql';

const DB = `${TEST_DB}_schema`;
const FILE = resolve(__dirname, '../../migrations/schema.sql');

describe('migrations/schema.sql', () => {
  beforeAll(() => {
    pg('dropdb', DB);
    pg('createdb', DB);
  });
  afterAll(() => pg('dropdb', DB));

  it('is the schema of a freshly migrated database (regenerate: npm run -s schema:sql)', async () => {
    const ds = await createDataSource(ownerUrl(DB), 1, 'hims-test-schema-sql', ALL_MIGRATIONS).initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
    const current = normaliseSchema(dumpSchema(DB));
    if (process.env.UPDATE_SCHEMA_SQL === '1') writeFileSync(FILE, current);
    const checkedIn = readFileSync(FILE, 'utf8');
    // A plain equality would print 10 000 lines: name the first line that differs instead.
    const a = checkedIn.split('\n');
    const b = current.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    const first = at === -1 && a.length !== b.length ? Math.min(a.length, b.length) : at;
    expect(
      first === -1 ? 'up to date' : `stale from line ${first + 1}: ${JSON.stringify(b[first] ?? '<end>')}`,
    ).toBe('up to date');
  });
});
