/**
 * Test databases live in the project's own PostgreSQL cluster (infra/postgres),
 * never in a machine-wide server. Each test run recreates them.
 */
export const PG_PORT = Number(process.env.PG_PORT ?? 55432);
export const TEST_DB = process.env.HIMS_TEST_DB ?? 'hims_test';

export function appUrl(db = TEST_DB): string {
  return `postgres://hims_app:${process.env.HIMS_APP_PASSWORD ?? 'hims_app_dev'}@127.0.0.1:${PG_PORT}/${db}`;
}

export function ownerUrl(db = TEST_DB): string {
  return `postgres://hims_owner:${process.env.HIMS_OWNER_PASSWORD ?? 'hims_owner_dev'}@127.0.0.1:${PG_PORT}/${db}`;
}

export function platformUrl(db = TEST_DB): string {
  return `postgres://hims_platform:${process.env.HIMS_PLATFORM_PASSWORD ?? 'hims_platform_dev'}@127.0.0.1:${PG_PORT}/${db}`;
}
