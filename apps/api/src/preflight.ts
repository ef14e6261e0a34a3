import { Client } from 'pg';
import { describeConnectionError } from '@hims/database';

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
