import { createDataSource } from '../libs/database/src/data-source';
import { ALL_MIGRATIONS } from '../migrations';
import { ownerUrl, TEST_DB } from './support/env';
import { pg } from './support/infra';

/**
 * Needs: the project's PostgreSQL 15 (started here by infra/postgres/pg.sh).
 * Recreates the test database and applies every migration as the owner role.
 * Runs once per jest process even when several projects declare it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.HIMS_TEST_DB_READY === TEST_DB) return;
  pg('start');
  pg('dropdb', TEST_DB);
  pg('createdb', TEST_DB);
  const ds = createDataSource(ownerUrl(TEST_DB), 2, 'hims-test-setup', ALL_MIGRATIONS);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  process.env.HIMS_TEST_DB_READY = TEST_DB;
}
