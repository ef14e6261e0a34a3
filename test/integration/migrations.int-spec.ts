/**
 * Needs: the project's PostgreSQL 15. Every migration runs up, down and up
 * again on an empty database.
 */
import { createDataSource } from '../../libs/database/src/data-source';
import { ALL_MIGRATIONS } from '../../migrations';
import { ownerUrl } from '../support/env';
import { pg } from '../support/infra';

const DB = 'hims_migration_roundtrip';

describe('migrations', () => {
  beforeAll(() => {
    pg('dropdb', DB);
    pg('createdb', DB);
  });
  afterAll(() => pg('dropdb', DB));

  it('run up, down and up again on an empty database', async () => {
    const ds = await createDataSource(ownerUrl(DB), 1, 'hims-test-migrations', ALL_MIGRATIONS).initialize();
    const tables = async () =>
      (
        await ds.query(
          `SELECT count(*)::int AS n FROM information_schema.tables
            WHERE table_schema IN ('core', 'clinical', 'audit', 'events', 'analytics')`,
        )
      )[0].n;
    try {
      expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(ALL_MIGRATIONS.length);
      const created = await tables();
      expect(created).toBeGreaterThan(0);
      for (let i = 0; i < ALL_MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await tables()).toBe(0);
      expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(ALL_MIGRATIONS.length);
      expect(await tables()).toBe(created);
    } finally {
      await ds.destroy();
    }
  });
});
