import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * Connection options for one role. The API and worker use the application
 * role; only migrations and operator commands use the owner role. Entities
 * are not used: repositories hold their SQL. Schema comes from migrations
 * only (synchronize is always off); only the CLI and the test set-up, which run
 * them, pass `migrations` (ALL_MIGRATIONS from migrations/, which no lib imports).
 */
export function dataSourceOptions(
  url: string,
  poolMax = 10,
  applicationName = 'hims',
  migrations: DataSourceOptions['migrations'] = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    entities: [],
    logging: false,
    applicationName,
    extra: {
      max: poolMax,
      // Fail fast instead of hanging when the pool is exhausted or the server is gone.
      connectionTimeoutMillis: 10000,
      idleTimeoutMillis: 30000,
      statement_timeout: 30000,
      idle_in_transaction_session_timeout: 60000,
    },
  };
}

export function createDataSource(
  url: string,
  poolMax = 10,
  applicationName = 'hims',
  migrations: DataSourceOptions['migrations'] = [],
): DataSource {
  return new DataSource(dataSourceOptions(url, poolMax, applicationName, migrations));
}

/** One line describing why a database could not be reached (no stack trace). */
export function describeConnectionError(setting: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  const reason = e.code ? `${e.code}: ${e.message}` : (e.message ?? String(err));
  return `configuration error: ${setting} cannot be used to connect to PostgreSQL (${reason})`;
}
