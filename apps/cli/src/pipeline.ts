import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@hims/config';
import { pipelineTopology } from '@hims/events';
import {
  aliasTargets,
  createEsClient,
  ensurePatientIndex,
  ensureVisitIndex,
  reindexPatients,
} from '@hims/search';

/**
 * `pipeline <setup|status|reindex|purge-outbox|teardown>`: operator side of
 * the change-data-capture pipeline (docs/pipeline.md). Everything here is
 * idempotent; `setup` is run by scripts/stack.sh and the pipeline test tier.
 */
type WithOwner = <T>(config: AppConfig, fn: (ds: DataSource) => Promise<T>) => Promise<T>;

const CONNECTOR_FILE = resolve(__dirname, '../../../../infra/debezium/connector.json');
const CONNECTOR_FILE_SRC = resolve(__dirname, '../../../infra/debezium/connector.json');

const out = (line: string) => process.stdout.write(`${line}\n`);

/** infra/debezium/connector.json with its {{PLACEHOLDERS}} filled from the configuration. */
export function connectorConfig(config: AppConfig): Record<string, string> {
  let file = CONNECTOR_FILE;
  try {
    readFileSync(file);
  } catch {
    file = CONNECTOR_FILE_SRC; // running from sources (jest) rather than dist/
  }
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const db = new URL(config.databaseUrl);
  const t = pipelineTopology(config);
  const values: Record<string, string> = {
    PG_HOST: config.pipeline.connectDatabaseHost || db.hostname,
    PG_PORT: db.port || '5432',
    PG_DATABASE: decodeURIComponent(db.pathname.slice(1)),
    PG_REPLICATION_USER: config.pipeline.replicationUser,
    PG_REPLICATION_PASSWORD: config.pipeline.replicationPassword,
    NAMESPACE: t.namespace,
    SLOT_NAME: t.slot,
    TOPIC_PARTITIONS: String(config.pipeline.topicPartitions),
  };
  const filled: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    filled[key] = value.replace(/\{\{([A-Z_]+)\}\}/g, (_m, name: string) => {
      if (!(name in values))
        throw new Error(`infra/debezium/connector.json: unknown placeholder {{${name}}}`);
      return values[name];
    });
  }
  return filled;
}

async function connect<T>(
  config: AppConfig,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  let res: Response;
  try {
    res = await fetch(`${config.pipeline.connectUrl}${path}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30000),
    });
  } catch (err) {
    throw new Error(
      `Kafka Connect is not reachable at ${config.pipeline.connectUrl} (KAFKA_CONNECT_URL): ${(err as Error).message}; run infra/scripts/stack-infra.sh start`,
      { cause: err },
    );
  }
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

interface ConnectorStatus {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

async function connectorStatus(config: AppConfig, name: string): Promise<ConnectorStatus | null> {
  const res = await connect<ConnectorStatus>(config, 'GET', `/connectors/${name}/status`);
  return res.status === 404 ? null : res.json;
}

function kafkaAdmin(config: AppConfig) {
  return new Kafka({
    clientId: `${config.kafka.clientId}-cli`,
    brokers: config.kafka.brokers,
    logLevel: logLevel.ERROR,
    retry: { retries: 3 },
  }).admin();
}

async function ensureTopics(config: AppConfig): Promise<void> {
  const t = pipelineTopology(config);
  const admin = kafkaAdmin(config);
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...t.topics, t.deadLetterTopic];
    const missing = wanted.filter((name) => !existing.has(name));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: config.pipeline.topicPartitions,
          replicationFactor: 1,
          // The dead-letter topic is kept longer: someone has to look at it.
          configEntries:
            topic === t.deadLetterTopic ? [{ name: 'retention.ms', value: String(14 * 86400000) }] : [],
        })),
      });
    }
    out(`topics: ${wanted.join(', ')}${missing.length ? ` (created ${missing.join(', ')})` : ' (present)'}`);
  } finally {
    await admin.disconnect();
  }
}

/** The slot is created by the connector task; streaming starts from it, so events before it would be missed. */
async function waitForSlot(config: AppConfig, slot: string, timeoutMs: number): Promise<void> {
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

async function registerConnector(config: AppConfig, timeoutMs = 120000): Promise<void> {
  const t = pipelineTopology(config);
  const res = await connect<unknown>(
    config,
    'PUT',
    `/connectors/${t.connector}/config`,
    connectorConfig(config),
  );
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(
      `Kafka Connect refused the connector config (${res.status}): ${JSON.stringify(res.json).slice(0, 1000)}`,
    );
  }
  out(`connector ${t.connector}: ${res.status === 201 ? 'created' : 'config updated'}`);
  const deadline = Date.now() + timeoutMs;
  let restarted = false;
  for (;;) {
    const status = await connectorStatus(config, t.connector);
    const task = status?.tasks[0];
    if (status?.connector.state === 'RUNNING' && task?.state === 'RUNNING') break;
    if (task?.state === 'FAILED' || status?.connector.state === 'FAILED') {
      if (!restarted) {
        // A config change can leave a failed task from the previous config; restart once.
        restarted = true;
        await connect(config, 'POST', `/connectors/${t.connector}/restart?includeTasks=true&onlyFailed=true`);
      } else {
        throw new Error(
          `connector ${t.connector} FAILED:\n${(task?.trace ?? status?.connector.trace ?? '').split('\n').slice(0, 8).join('\n')}`,
        );
      }
    }
    if (Date.now() > deadline)
      throw new Error(
        `connector ${t.connector} not RUNNING after ${timeoutMs / 1000}s: ${JSON.stringify(status)}`,
      );
    await new Promise((r) => setTimeout(r, 1000));
  }
  await waitForSlot(config, t.slot, Math.max(5000, deadline - Date.now()));
  out(`connector ${t.connector}: RUNNING, slot ${t.slot} active`);
}

async function setup(config: AppConfig): Promise<number> {
  await ensureTopics(config);
  const es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 30000 });
  try {
    const { index, created } = await ensurePatientIndex(es, config.elasticsearch.indexAlias);
    out(`elasticsearch: alias ${config.elasticsearch.indexAlias} → ${index}${created ? ' (created)' : ''}`);
    const visits = await ensureVisitIndex(es, config.elasticsearch.indexAlias);
    out(`elasticsearch: alias ${visits.alias} → ${visits.index}${visits.created ? ' (created)' : ''}`);
  } finally {
    await es.close();
  }
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
  const client = new PgClient({ connectionString: replicationUrl(config) });
  await client.connect();
  const lost = await client
    .query(`SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1`, [t.slot])
    .then(({ rows }) => rows[0]?.wal_status === 'lost')
    .finally(() => client.end());
  if (!lost) return;
  out(`slot ${t.slot}: its WAL was removed (lost); recreating the connector and slot`);
  await teardownConnector(config);
  out(
    `WARNING: events written while slot ${t.slot} was lost were not streamed; rebuild the search index: node dist/apps/cli/src/main.js pipeline reindex --all`,
  );
}

/** The database URL with the replication role's credentials (slot inspection and removal). */
function replicationUrl(config: AppConfig): string {
  return config.databaseUrl.replace(
    /\/\/[^@]*@/,
    `//${config.pipeline.replicationUser}:${encodeURIComponent(config.pipeline.replicationPassword)}@`,
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
  const es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 10000 });
  try {
    const targets = await aliasTargets(es, config.elasticsearch.indexAlias);
    const count = targets.length ? (await es.count({ index: config.elasticsearch.indexAlias })).count : 0;
    out(
      `elasticsearch: alias ${config.elasticsearch.indexAlias} → ${targets.join(', ') || 'none'} (${count} documents)`,
    );
  } finally {
    await es.close();
  }
  return st?.tasks[0]?.state === 'RUNNING' ? 0 : 1;
}

async function reindex(config: AppConfig, args: string[], withOwner: WithOwner): Promise<number> {
  const all = args.includes('--all');
  const tenants = args.filter((a) => !a.startsWith('--'));
  if (all === tenants.length > 0) {
    process.stderr.write('usage: pipeline reindex <tenantId...> | --all\n');
    return 2;
  }
  const bad = tenants.filter((id) => !/^[0-9a-f-]{36}$/i.test(id));
  if (bad.length) {
    process.stderr.write(`not a tenant id: ${bad.join(', ')}\n`);
    return 2;
  }
  const es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 60000 });
  try {
    const r = await withOwner(config, (ds) =>
      reindexPatients(
        es,
        ds,
        config.elasticsearch.indexAlias,
        all ? undefined : tenants.map((x) => x.toLowerCase()),
        out,
      ),
    );
    out(
      `reindex done: ${r.index} (${r.fromDatabase} from PostgreSQL, ${r.copied} copied, ${r.caughtUp} caught up); ` +
        `previous ${r.previous.join(', ') || 'none'}${r.deleted.length ? `; deleted ${r.deleted.join(', ')}` : ''}`,
    );
  } finally {
    await es.close();
  }
  return 0;
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
  const t = pipelineTopology(config);
  if (await connectorStatus(config, t.connector)) {
    await connect(config, 'PUT', `/connectors/${t.connector}/stop`);
    for (let i = 0; i < 60; i++) {
      const st = await connectorStatus(config, t.connector);
      if (st?.connector.state === 'STOPPED') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const res = await connect(config, 'DELETE', `/connectors/${t.connector}/offsets`);
    if (res.status >= 300)
      out(`offsets of ${t.connector} not reset (${res.status}): ${JSON.stringify(res.json)}`);
    await connect(config, 'DELETE', `/connectors/${t.connector}`);
    out(`connector ${t.connector}: deleted`);
  }
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
    case 'purge-outbox':
      return purgeOutbox(config, rest, withOwner);
    case 'teardown':
      await teardownConnector(config);
      return 0;
    default:
      process.stderr.write(
        'usage: pipeline <setup|status|reindex <tenantId...>|--all|purge-outbox [seconds]|teardown>\n',
      );
      return 2;
  }
}

export { setup as pipelineSetup };
