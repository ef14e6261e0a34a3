/**
 * Preloaded into the API child (`node -r …/query-counter.js`) for the profile
 * runs only: counts node-postgres round trips (every Client#query, BEGIN and
 * COMMIT included) and writes the running total to BENCH_QUERY_COUNT_FILE on
 * SIGUSR2, so the bench can divide the queries of a scenario by its requests.
 */
import { renameSync, writeFileSync } from 'node:fs';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as typeof import('pg');

let count = 0;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
  count++;
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

const file = process.env.BENCH_QUERY_COUNT_FILE;
if (file) {
  // Written aside and renamed: a reader never sees the file half written.
  process.on('SIGUSR2', () => {
    writeFileSync(`${file}.tmp`, String(count));
    renameSync(`${file}.tmp`, file);
  });
}
