/**
 * The pipeline tier's servers and wiring: PostgreSQL (infra/postgres/pg.sh),
 * Kafka, Kafka Connect + Debezium and Elasticsearch (infra/scripts/stack-infra.sh).
 *
 * As jest globalSetup: starts them (idempotent), removes a previous run's
 * connector and replication slot (a database with a slot cannot be dropped),
 * recreates and migrates the test database (test/global-setup.ts), then runs
 * `pipeline setup` for it: topics `<db>.<aggregate>.events`, the index
 * behind alias `patients-<db>`, the connector `<db>-outbox`.
 * As jest globalTeardown (same module, second call): removes the connector
 * and its slot again so other tiers can drop the database, and the run's
 * indices (they index a database the next run drops).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, loadConfig } from '../../libs/config/src/config';
import type { PipelineConsumers } from '../../apps/worker/src/worker-app';
import { pipelineTopology } from '../../libs/events/src/topology';
import { visitAlias } from '../../libs/search/src/visit-document';
import baseGlobalSetup from '../global-setup';
import { TEST_DB, appUrl, ownerUrl, platformUrl } from './env';
import { infra, pg } from './infra';

export const PIPELINE_NAMESPACE = TEST_DB.toLowerCase().replace(/[^a-z0-9_]/g, '_');
export const PATIENT_ALIAS = `patients-${PIPELINE_NAMESPACE}`;

/** The environment of the API, worker and CLI in the pipeline tier: the test database, its own topics and alias. */
export function pipelineEnv(): Record<string, string> {
  return {
    DATABASE_URL: appUrl(),
    DATABASE_OWNER_URL: ownerUrl(),
    DATABASE_PLATFORM_URL: platformUrl(),
    PIPELINE_NAMESPACE,
    ELASTICSEARCH_PATIENT_ALIAS: PATIENT_ALIAS,
    KAFKA_ENABLED: 'true',
    ELASTICSEARCH_ENABLED: 'true',
    LOG_LEVEL: 'silent',
    OUTBOX_PURGE_INTERVAL_SECONDS: '0',
  };
}

/** Configuration of the API, worker and CLI in the pipeline tier. */
export function pipelineConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ ...process.env, ...pipelineEnv() }), ...overrides };
}

const CLI = resolve(__dirname, '../../dist/apps/cli/src/main.js');

/**
 * `pipeline <sub>` of the built CLI (npm test builds first), on the tier's configuration: the
 * operator's own command, run as a child so it resolves '@hims/*' like in production (jest's
 * globalSetup has no path mapping). Its output is kept, and shown only when it fails.
 */
function pipelineCli(sub: 'setup' | 'teardown'): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  try {
    execFileSync(process.execPath, [CLI, 'pipeline', sub], {
      env: { ...process.env, ...pipelineEnv() },
      stdio: 'pipe',
    });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`pipeline ${sub} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}

/**
 * Deletes this namespace's patient and visit indices (`patients-<db>-v*`, `visits-<db>-v*`,
 * their aliases with them): they hold documents of a test database that is dropped and
 * recreated, so keeping them only grows Elasticsearch run after run. Other namespaces
 * (another worktree's database, the developer's stack) are not touched.
 */
async function dropNamespaceIndices(): Promise<void> {
  const es = pipelineConfig().elasticsearch.url.replace(/\/$/, '');
  for (const pattern of [`${PATIENT_ALIAS}-v*`, `${visitAlias(PATIENT_ALIAS)}-v*`]) {
    // allow_no_indices: a first run has none; expand_wildcards=open,closed: every match.
    const url = `${es}/${pattern}?allow_no_indices=true&ignore_unavailable=true&expand_wildcards=open,closed`;
    const res = await fetch(url, { method: 'DELETE' });
    if (!res.ok) throw new Error(`deleting ${pattern} answered ${res.status}: ${await res.text()}`);
  }
}

export default async function pipelineStackHook(): Promise<void> {
  if (process.env.HIMS_PIPELINE_READY === TEST_DB) {
    try {
      pipelineCli('teardown');
      await dropNamespaceIndices();
    } catch (err) {
      process.stderr.write(`pipeline teardown: ${(err as Error).message}\n`);
    }
    delete process.env.HIMS_PIPELINE_READY;
    return;
  }
  pg('start');
  infra('infra/scripts/stack-infra.sh', 'start');
  // The database may not exist yet (first run): then there is no slot to remove either.
  try {
    pipelineCli('teardown');
  } catch {
    /* nothing to remove */
  }
  await baseGlobalSetup();
  // A run that crashed before its teardown left its indices: the database they index is gone now.
  await dropNamespaceIndices();
  pipelineCli('setup');
  process.env.HIMS_PIPELINE_READY = TEST_DB;
}

/**
 * The worker, in the test process: the real WorkerModule and Kafka consumers
 * (own consumer groups per test file, via `label`), no HTTP listener.
 */
export async function startTestWorker(
  label: string,
  overrides: Partial<AppConfig> = {},
): Promise<{ app: INestApplication; consumers: PipelineConsumers; config: AppConfig }> {
  // Loaded here, inside a test, where jest maps @hims/* (globalSetup imports this file too, without the mapping).
  const { Test } = await import('@nestjs/testing');
  const { APP_CONFIG } = await import('../../libs/config/src');
  const { WorkerModule } = await import('../../apps/worker/src/worker.module');
  const { connectPipelineConsumers } = await import('../../apps/worker/src/worker-app');
  const config = pipelineConfig(overrides);
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  // New groups start from the beginning of the topics, so they also meet earlier runs' poison messages
  // (dead-lettered again, logged as errors): HIMS_TEST_WORKER_LOGS=1 shows the worker's log.
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    logger: process.env.HIMS_TEST_WORKER_LOGS ? ['error', 'warn', 'log'] : false,
  });
  const consumers = connectPipelineConsumers(app, { groupSuffix: `test-${label}` });
  await app.startAllMicroservices();
  await app.init();
  await withTimeout(consumers.joined(), 60000, 'worker consumer groups did not join within 60 s');
  return { app, consumers, config };
}

export async function stopTestWorker(worker?: {
  app: INestApplication;
  consumers: PipelineConsumers;
}): Promise<void> {
  if (!worker) return;
  await worker.consumers.lag.close();
  await worker.consumers.close();
  await worker.app.close();
}

/** Polls until fn returns a truthy value (no timing assertions: generous deadline, then the last error). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 60000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]).finally(() => clearTimeout(timer));
}

export interface ReadMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string | null>;
}

/**
 * Reads a topic from the beginning with a throwaway consumer group and keeps
 * every message; `find` polls the collected messages.
 */
export class TopicReader {
  private readonly messages: ReadMessage[] = [];
  private readonly kafka: Kafka;
  private consumer?: ReturnType<Kafka['consumer']>;

  constructor(private readonly topics: string[]) {
    this.kafka = new Kafka({
      clientId: 'hims-test-reader',
      brokers: pipelineConfig().kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
  }

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: `hims-test-reader-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    let joined!: () => void;
    const join = new Promise<void>((r) => (joined = r));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => joined());
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string | null> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          const one = Array.isArray(v) ? v[v.length - 1] : v;
          headers[k] = one === undefined || one === null ? null : one.toString();
        }
        this.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers,
        });
      },
    });
    await withTimeout(join, 60000, 'test reader did not join its group');
    return this;
  }

  find(pred: (m: ReadMessage) => boolean, what: string, timeoutMs = 60000): Promise<ReadMessage> {
    return eventually(async () => this.messages.find(pred), what, timeoutMs);
  }

  all(pred: (m: ReadMessage) => boolean): ReadMessage[] {
    return this.messages.filter(pred);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** A raw producer, for messages Debezium would never write (poison, replays). */
export async function produce(
  topic: string,
  messages: { key?: string | null; value: string | null; headers?: Record<string, string | null> }[],
) {
  const kafka = new Kafka({
    clientId: 'hims-test-producer',
    brokers: pipelineConfig().kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: messages.map((m) => ({
        ...m,
        // Kafka headers have no null; Debezium's null header values are simply left out.
        headers: Object.fromEntries(Object.entries(m.headers ?? {}).filter(([, v]) => v !== null)) as Record<
          string,
          string
        >,
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

export const topology = () => pipelineTopology(pipelineConfig());

/** Elasticsearch stop/start for outage tests (the scripts are idempotent). */
export const elasticsearch = {
  stop: () => infra('infra/scripts/elasticsearch.sh', 'stop'),
  start: () => infra('infra/scripts/elasticsearch.sh', 'start'),
};
