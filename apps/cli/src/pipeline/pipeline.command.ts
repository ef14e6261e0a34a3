import { Client as PgClient } from 'pg';
import type { AppConfig } from '@hims/config';
import { pipelineTopology } from '@hims/events';
import { connectorStatus, deleteConnector, registerConnector } from './connector';
import { ensureIndices, indexStatus, reconcile, reindex, WithOwner } from './indices';
import { out } from './output';
import { dropSlot, isSlotLost } from './slot';
import { ensureTopics } from './topics';

/**
 * `pipeline <setup|status|reindex|purge-outbox|teardown>`: operator side of
 * the change-data-capture pipeline (docs/pipeline.md). Everything here is
 * idempotent; `setup` is run by scripts/stack.sh and the pipeline test tier.
 * By concern: topics.ts (Kafka), indices.ts (Elasticsearch), connector.ts
 * (Kafka Connect + Debezium), slot.ts (the PostgreSQL replication slot).
 */

/** Topics, indices, connector and slot, each only when missing. */
async function setup(config: AppConfig): Promise<number> {
  await ensureTopics(config);
  await ensureIndices(config);
  await recoverLostSlot(config);
  await registerConnector(config);
  return 0;
}

/**
 * A slot whose WAL PostgreSQL had to remove (wal_status 'lost': the connector was down
 * while more than max_slot_wal_keep_size was written) can never stream again, and
 * Debezium would wait on it for half an hour. Start over with a new slot, and say that
 * the events written meanwhile were not streamed (the index needs `pipeline reindex --all`).
 */
async function recoverLostSlot(config: AppConfig): Promise<void> {
  const t = pipelineTopology(config);
  if (!(await isSlotLost(config))) return;
  out(`slot ${t.slot}: its WAL was removed (lost); recreating the connector and slot`);
  await teardownConnector(config);
  out(
    `WARNING: events written while slot ${t.slot} was lost were not streamed; rebuild the search index: node dist/apps/cli/src/main.js pipeline reindex --all`,
  );
}

async function status(config: AppConfig): Promise<number> {
  const t = pipelineTopology(config);
  const st = await connectorStatus(config, t.connector);
  out(
    `connector ${t.connector}: ${st ? `${st.connector.state}, task ${st.tasks[0]?.state ?? 'none'}` : 'not registered'}`,
  );
  const client = new PgClient({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT active, confirmed_flush_lsn::text AS confirmed,
              pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)) AS behind
         FROM pg_replication_slots WHERE slot_name = $1`,
      [t.slot],
    );
    out(
      rows[0]
        ? `slot ${t.slot}: active=${rows[0].active} confirmed_flush_lsn=${rows[0].confirmed} WAL retained=${rows[0].behind}`
        : `slot ${t.slot}: absent`,
    );
  } finally {
    await client.end();
  }
  await indexStatus(config);
  return st?.tasks[0]?.state === 'RUNNING' ? 0 : 1;
}

async function purgeOutbox(config: AppConfig, args: string[], withOwner: WithOwner): Promise<number> {
  const seconds = args[0] ? Number(args[0]) : config.pipeline.outboxRetentionSeconds;
  if (!Number.isInteger(seconds) || seconds < 300) {
    process.stderr.write('usage: pipeline purge-outbox [seconds >= 300]\n');
    return 2;
  }
  const n = await withOwner(config, async (ds) => {
    const [{ n }] = await ds.query(`SELECT events.purge_outbox(make_interval(secs => $1)) AS n`, [seconds]);
    return Number(n);
  });
  out(`purged ${n} outbox row(s) older than ${seconds}s`);
  return 0;
}

/** Removes the connector, its stored offsets and its slot (test resets; a database with a slot cannot be dropped). */
export async function teardownConnector(config: AppConfig): Promise<void> {
  await deleteConnector(config);
  await dropSlot(config);
}

export async function pipelineCommand(
  config: AppConfig,
  args: string[],
  withOwner: WithOwner,
): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'setup':
      return setup(config);
    case 'status':
      return status(config);
    case 'reindex':
      return reindex(config, rest, withOwner);
    case 'reconcile':
      return reconcile(config, rest, withOwner);
    case 'purge-outbox':
      return purgeOutbox(config, rest, withOwner);
    case 'teardown':
      await teardownConnector(config);
      return 0;
    default:
      process.stderr.write(
        'usage: pipeline <setup|status|reindex <tenantId...>|--all|reconcile <tenantId...>|--all|purge-outbox [seconds]|teardown>\n',
      );
      return 2;
  }
}

export { setup as pipelineSetup };
