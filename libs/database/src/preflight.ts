import { Client } from 'pg';
import { ConfigError } from '@hims/config';
import { describeConnectionError } from './data-source';

/** Connect once before Nest starts, so a bad URL fails in one line naming the setting. */
export async function checkDatabase(url: string, setting: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw Object.assign(new Error(describeConnectionError(setting, err)), { preflight: true });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The one line a process prints when it cannot start: the setting at fault, never a stack trace. */
export function startupFailureLine(err: unknown): string {
  if (err instanceof ConfigError || (err as { preflight?: boolean }).preflight) return (err as Error).message;
  // The database was checked before Nest started (checkDatabase), so anything later is
  // named as what it is (a broker's refusal, a missing topic), not as a database error.
  const e = err as { name?: string; code?: string | number; message?: string };
  const what = [e.name ?? 'Error', e.code !== undefined ? String(e.code) : undefined]
    .filter(Boolean)
    .join(' ');
  return `startup failed: ${what}: ${String(e.message ?? err)
    .replace(/\s+/g, ' ')
    .trim()}`;
}
