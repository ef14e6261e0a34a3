import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppConfig } from '@hims/config';
import { pipelineTopology } from '@hims/events';
import { out } from './output';
import { waitForSlot } from './slot';

/** The Debezium connector in Kafka Connect: its configuration, registration, status and removal. */

const CONNECTOR_FILE = resolve(__dirname, '../../../../../infra/debezium/connector.json');
const CONNECTOR_FILE_SRC = resolve(__dirname, '../../../../infra/debezium/connector.json');

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

export async function connectRest<T>(
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

export interface ConnectorStatus {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

export async function connectorStatus(config: AppConfig, name: string): Promise<ConnectorStatus | null> {
  const res = await connectRest<ConnectorStatus>(config, 'GET', `/connectors/${name}/status`);
  return res.status === 404 ? null : res.json;
}

/** Registers (or updates) the connector and waits until it and its replication slot run. */
export async function registerConnector(config: AppConfig, timeoutMs = 120000): Promise<void> {
  const t = pipelineTopology(config);
  const res = await connectRest<unknown>(
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
        await connectRest(config, 'POST', `/connectors/${t.connector}/restart?includeTasks=true&onlyFailed=true`);
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

/** Stops and removes the connector and its stored offsets (its slot stays: slot.ts drops it). */
export async function deleteConnector(config: AppConfig): Promise<void> {
  const t = pipelineTopology(config);
  if (await connectorStatus(config, t.connector)) {
    await connectRest(config, 'PUT', `/connectors/${t.connector}/stop`);
    for (let i = 0; i < 60; i++) {
      const st = await connectorStatus(config, t.connector);
      if (st?.connector.state === 'STOPPED') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const res = await connectRest(config, 'DELETE', `/connectors/${t.connector}/offsets`);
    if (res.status >= 300)
      out(`offsets of ${t.connector} not reset (${res.status}): ${JSON.stringify(res.json)}`);
    await connectRest(config, 'DELETE', `/connectors/${t.connector}`);
    out(`connector ${t.connector}: deleted`);
  }
}
