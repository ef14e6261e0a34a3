import { Client as PgClient } from 'pg';
import type { AppConfig } from '@hims/config';
import { pipelineTopology } from '@hims/events';
import { out } from './output';

/** The connector's logical replication slot in PostgreSQL: waiting for it, its health, dropping it. */

/** The slot is created by the connector task; streaming starts from it, so events before it would be missed. */
export async function waitForSlot(config: AppConfig, slot: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const client = new PgClient({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query(`SELECT active FROM pg_replication_slots WHERE slot_name = $1`, [
        slot,
      ]);
      if (rows[0]?.active) return;
      if (Date.now() > deadline)
        throw new Error(`replication slot ${slot} is not active after ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await client.end();
  }
}

/**
 * Whether the slot's WAL was removed (wal_status 'lost': the connector was down while more
 * than max_slot_wal_keep_size was written): such a slot can never stream again.
 */
export async function isSlotLost(config: AppConfig): Promise<boolean> {
  const t = pipelineTopology(config);
  const client = new PgClient({ connectionString: replicationUrl(config) });
  await client.connect();
  return client
    .query(`SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1`, [t.slot])
    .then(({ rows }) => rows[0]?.wal_status === 'lost')
    .finally(() => client.end());
}

/** Drops the slot once no connector holds it (a database with a slot cannot be dropped). */
export async function dropSlot(config: AppConfig): Promise<void> {
  const t = pipelineTopology(config);
  const client = new PgClient({ connectionString: replicationUrl(config) });
  await client.connect();
  try {
    for (let i = 0; i < 60; i++) {
      const { rows } = await client.query(
        `SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = $1`,
        [t.slot],
      );
      if (!rows[0]) break;
      if (!rows[0].active) {
        await client.query(`SELECT pg_drop_replication_slot($1)`, [t.slot]);
        out(`slot ${t.slot}: dropped`);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await client.end();
  }
}

/** The database URL with the replication role's credentials (slot inspection and removal). */
export function replicationUrl(config: AppConfig): string {
  // Through URL, not a regex: /\/\/[^@]*@/ was quadratic on a string of many '//' (SAST).
  const url = new URL(config.databaseUrl);
  url.username = config.pipeline.replicationUser;
  url.password = encodeURIComponent(config.pipeline.replicationPassword);
  return url.toString();
}
