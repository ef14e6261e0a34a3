import { Logger } from '@nestjs/common';
import { describeError } from '@hims/errors';
import { KafkaContext, ServerKafka } from '@nestjs/microservices';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { AppConfig } from '@hims/config';
import type { ConsumerName } from '@hims/events';
import { metricsRegistry } from '@hims/observability';
import { isEsUnavailable, esStatus } from '@hims/search';
import { contextFromCarrier, traceExemplar } from '@hims/tracing';
import { context, trace } from '@opentelemetry/api';
import { OutboxEvent, decodeEnvelope } from './event-envelope';

const processed = new Counter({
  name: 'hims_pipeline_events_processed_total',
  help: 'Events handled by a worker consumer, by outcome (indexed, stale, missing, applied, duplicate, ignored, dead_lettered, ...)',
  labelNames: ['consumer', 'topic', 'outcome'],
  registers: [metricsRegistry],
});

const failures = new Counter({
  name: 'hims_pipeline_event_errors_total',
  help: 'Failed attempts to handle an event (consumer="search-indexer" = indexing errors), by kind: unavailable (retried until it works), transient (retried, then dead-lettered), permanent (dead-lettered at once)',
  labelNames: ['consumer', 'topic', 'kind'],
  registers: [metricsRegistry],
});

const deadLettered = new Counter({
  name: 'hims_pipeline_dead_letters_total',
  help: 'Events sent to the dead-letter topic',
  labelNames: ['consumer', 'topic'],
  registers: [metricsRegistry],
});

const eventAge = new Histogram({
  name: 'hims_pipeline_event_age_seconds',
  help: 'Time from the outbox row (occurred_at) to the end of its handling: end-to-end freshness',
  labelNames: ['consumer'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
  // The event's trace id (when sampled) per bucket, in OpenMetrics scrapes (docs/tracing.md).
  enableExemplars: true,
});

const commitToSearchable = new Histogram({
  name: 'hims_pipeline_commit_to_searchable_seconds',
  help: 'Per patient event: from its outbox row (occurred_at, written in the committing transaction) to the indexer writing the document; searchable at the next index refresh (1 s)',
  buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
  enableExemplars: true,
});

/**
 * Observed by the search indexer for each event it wrote to the index (outcome `indexed`),
 * inside its "index patient" span: a slow bucket's exemplar is the trace to open.
 */
export function observeCommitToSearchable(event: OutboxEvent): void {
  if (!event.occurredAt) return;
  const seconds = (Date.now() - Date.parse(event.occurredAt)) / 1000;
  if (Number.isFinite(seconds) && seconds >= 0)
    commitToSearchable.observe({ value: seconds, exemplarLabels: traceExemplar() });
}

const blocked = new Gauge({
  name: 'hims_pipeline_consumer_blocked',
  help: '1 while a consumer waits for an unavailable dependency (Elasticsearch, PostgreSQL) before retrying',
  labelNames: ['consumer'],
  registers: [metricsRegistry],
});

export type ErrorKind = 'permanent' | 'unavailable' | 'transient';

const PG_UNAVAILABLE = /^(08|53|57P0[1-3])/;
const NET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * permanent: the event itself is bad (DLQ at once). unavailable: a server
 * we need is down or missing the index (retry until it comes back, so an
 * outage loses nothing). transient: anything else (retry a few times, then DLQ).
 */
export function classifyError(err: unknown): ErrorKind {
  const e = err as {
    permanent?: boolean;
    code?: string;
    driverError?: { code?: string };
    message?: string;
    meta?: { body?: { error?: { type?: string } } };
  };
  if (e?.permanent) return 'permanent';
  if (isEsUnavailable(err)) return 'unavailable';
  if (esStatus(err) === 404 && e.meta?.body?.error?.type === 'index_not_found_exception')
    return 'unavailable';
  const code = e?.driverError?.code ?? e?.code;
  if (code && (PG_UNAVAILABLE.test(code) || NET_UNAVAILABLE.has(code))) return 'unavailable';
  if (
    /Connection terminated|timeout exceeded when trying to connect|Connection refused/i.test(e?.message ?? '')
  )
    return 'unavailable';
  return 'transient';
}

export interface ConsumerSpec {
  name: ConsumerName;
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  handle: (event: OutboxEvent) => Promise<string>;
}

/**
 * Nest's Kafka transport (kafkajs underneath) with the worker's delivery
 * rules around every handler: at-least-once (offsets are committed only
 * after the handler returns), retries with exponential backoff and
 * heartbeats while waiting, dead-lettering with the error in headers, then
 * the next message. Messages of one partition are handled in order; several
 * partitions run concurrently.
 */
export class PipelineConsumer extends ServerKafka {
  private readonly log: Logger;
  private stopping = false;
  private joinedOnce!: Promise<void>;
  private markJoined!: () => void;
  private assigned = false;

  constructor(
    readonly spec: ConsumerSpec,
    private readonly config: AppConfig,
    opts: { fromBeginning: boolean },
  ) {
    super({
      client: {
        clientId: `${config.kafka.clientId}-${spec.name}`,
        brokers: config.kafka.brokers,
        retry: { initialRetryTime: 300, retries: 8 },
      },
      consumer: {
        groupId: spec.groupId,
        sessionTimeout: 30000,
        heartbeatInterval: 3000,
        allowAutoTopicCreation: false,
        retry: { initialRetryTime: 300, retries: 8 },
      },
      subscribe: { fromBeginning: opts.fromBeginning },
      run: { autoCommit: true, partitionsConsumedConcurrently: Math.max(1, config.pipeline.topicPartitions) },
      producer: { allowAutoTopicCreation: false },
      parser: { keepBinary: true },
      postfixId: '',
    });
    this.log = new Logger(`PipelineConsumer:${spec.name}`);
    this.resetJoined();
    for (const topic of spec.topics) {
      this.addHandler(topic, (_data: unknown, ctx: KafkaContext) => this.process(ctx), true);
    }
  }

  /** Resolves once the group has assigned this consumer its partitions (tests wait for it before producing). */
  whenJoined(): Promise<void> {
    return this.joinedOnce;
  }

  get isJoined(): boolean {
    return this.assigned;
  }

  protected registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    const consumer = this.consumer!;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.assigned = true;
      this.markJoined();
    });
    consumer.on(consumer.events.REBALANCING, () => {
      this.assigned = false;
    });
    consumer.on(consumer.events.CRASH, (e: { payload?: { error?: Error; restart?: boolean } }) => {
      this.assigned = false;
      this.log.error(`consumer crashed (restart: ${e.payload?.restart}): ${describeError(e.payload?.error)}`);
    });
  }

  async close(): Promise<void> {
    this.stopping = true;
    await super.close();
  }

  private resetJoined(): void {
    this.joinedOnce = new Promise((resolve) => {
      this.markJoined = resolve;
    });
  }

  private async process(ctx: KafkaContext): Promise<void> {
    const message = ctx.getMessage();
    const topic = ctx.getTopic();
    const heartbeat = ctx.getHeartbeat();
    const consumer = this.spec.name;
    let attempt = 0;
    for (;;) {
      attempt++;
      let event: OutboxEvent | undefined;
      try {
        event = decodeEnvelope(message as never);
        const decoded = event;
        // The kafkajs instrumentation already runs us in a consume span continuing the writer's
        // trace (traceparent header); without it (tracing off: a no-op) parent on the header directly.
        const outcome = trace.getActiveSpan()
          ? await this.spec.handle(decoded)
          : await context.with(contextFromCarrier(decoded), () => this.spec.handle(decoded));
        processed.inc({ consumer, topic, outcome });
        if (event.occurredAt) {
          const age = (Date.now() - Date.parse(event.occurredAt)) / 1000;
          if (Number.isFinite(age) && age >= 0) eventAge.observe({ labels: { consumer }, value: age, exemplarLabels: traceExemplar() });
        }
        blocked.set({ consumer }, 0);
        return;
      } catch (err) {
        const kind = classifyError(err);
        failures.inc({ consumer, topic, kind });
        if (this.stopping) throw err; // not committed: handled again after the restart
        const where = `${topic}[${ctx.getPartition()}]@${message.offset}`;
        if (
          kind === 'permanent' ||
          (kind === 'transient' && attempt >= this.config.pipeline.workerMaxAttempts)
        ) {
          this.log.error(
            `${where}: ${kind} failure after ${attempt} attempt(s), dead-lettering: ${describeError(err)}`,
          );
          await this.deadLetter(ctx, err as Error, attempt, kind);
          processed.inc({ consumer, topic, outcome: 'dead_lettered' });
          blocked.set({ consumer }, 0);
          return;
        }
        if (kind === 'unavailable') blocked.set({ consumer }, 1);
        const cap = kind === 'unavailable' ? 30000 : 5000;
        const delay = Math.min(cap, 250 * 2 ** Math.min(attempt - 1, 10)) * (0.8 + Math.random() * 0.4);
        if (attempt === 1 || attempt % 10 === 0) {
          this.log.warn(
            `${where}: ${kind} failure (attempt ${attempt}), retrying in ${Math.round(delay)} ms: ${describeError(err)}`,
          );
        }
        await this.pause(delay, heartbeat);
      }
    }
  }

  /** Sleeps in slices, heartbeating so the group does not evict us; a rebalance ends the wait (the message is redelivered). */
  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (this.stopping) throw new Error('consumer stopping');
      await heartbeat();
      await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
    }
  }

  private async deadLetter(ctx: KafkaContext, err: Error, attempts: number, kind: ErrorKind): Promise<void> {
    const message = ctx.getMessage() as unknown as {
      key: unknown;
      value: Buffer | null;
      headers: Record<string, unknown>;
      offset: string;
    };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(message.headers ?? {})) {
      if (v === null || v === undefined) continue;
      headers[k] = Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : JSON.stringify(v);
    }
    Object.assign(headers, {
      'dlq.error': (err.message ?? String(err)).slice(0, 1000),
      'dlq.errorKind': kind,
      'dlq.errorClass': err.name ?? 'Error',
      'dlq.attempts': String(attempts),
      'dlq.consumerGroup': this.spec.groupId,
      'dlq.sourceTopic': ctx.getTopic(),
      'dlq.sourcePartition': String(ctx.getPartition()),
      'dlq.sourceOffset': String(message.offset),
      'dlq.failedAt': new Date().toISOString(),
    });
    const key =
      message.key === null || message.key === undefined
        ? null
        : Buffer.isBuffer(message.key)
          ? message.key
          : String(message.key);
    // If this send fails the handler throws, the offset is not committed, and the message comes back.
    await ctx.getProducer().send({
      topic: this.spec.deadLetterTopic,
      messages: [{ key, value: message.value ?? null, headers }],
    });
    deadLettered.inc({ consumer: this.spec.name, topic: ctx.getTopic() });
  }
}
