import type { INestApplication } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AnalyticsProjector } from '@hims/analytics';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { pipelineTopology } from '@hims/events';
import { ReadinessChecks } from '@hims/observability';
import { PatientIndexer, SEARCH_ES_CLIENT, VisitIndexer } from '@hims/search';
import type { Client } from '@elastic/elasticsearch';
import { DataSource } from 'typeorm';
import { LagMonitor } from './lag-monitor';
import { SlotMonitor } from './slot-monitor';
import { CdcRepair } from './cdc-repair';
import { ReconcileScheduler } from './reconcile-scheduler';
import { traced } from '@hims/tracing';
import type { OutboxEvent } from './event-envelope';
import { PipelineConsumer, observeCommitToSearchable } from './pipeline-consumer';

export interface PipelineConsumers {
  indexer: PipelineConsumer;
  analytics: PipelineConsumer;
  lag: LagMonitor;
  /** Change capture as PostgreSQL sees it (hims_cdc_slot_* on /metrics). */
  slot: SlotMonitor;
  /** Anti-entropy for the search indices: on its schedule, on demand, and after a lost slot. */
  reconciler: ReconcileScheduler;
  /** Timers and the reconciler's connection (shutdown). */
  close(): Promise<void>;
  /** Both consumer groups have their partitions. */
  joined(): Promise<void>;
}

/**
 * Two consumer groups in one process, so each keeps its own position: the
 * search indexer (patient and visit topics → Elasticsearch) stalls while Elasticsearch
 * is down without holding back analytics (patient, user, visit, billing topics → PostgreSQL).
 * `groupSuffix` gives tests their own groups next to a running stack.
 */
export function connectPipelineConsumers(
  app: INestApplication,
  opts: { groupSuffix?: string } = {},
): PipelineConsumers {
  const config = app.get<AppConfig>(APP_CONFIG);
  const t = pipelineTopology(config);
  const indexer = app.get(PatientIndexer);
  const visitIndexer = app.get(VisitIndexer);
  const projector = app.get(AnalyticsProjector);

  const indexerConsumer = new PipelineConsumer(
    {
      name: 'search-indexer',
      groupId: t.group('search-indexer', opts.groupSuffix),
      topics: [t.topic('patient'), t.topic('visit')],
      deadLetterTopic: t.deadLetterTopic,
      // Spans and freshness (docs/tracing.md): runs inside the Kafka consume span, which continues the writer's trace.
      handle: (event) =>
        event.aggregateType === 'visit'
          ? traced('index visit', eventSpanAttributes(event), () => visitIndexer.handle(event))
          : traced('index patient', eventSpanAttributes(event), async (span) => {
              const outcome = await indexer.handle(event);
              span.setAttribute('hims.outcome', outcome);
              if (outcome === 'indexed') observeCommitToSearchable(event);
              return outcome;
            }),
    },
    config,
    { fromBeginning: true },
  );
  const analyticsConsumer = new PipelineConsumer(
    {
      name: 'analytics',
      groupId: t.group('analytics', opts.groupSuffix),
      topics: [t.topic('patient'), t.topic('user'), t.topic('visit'), t.topic('billing')],
      deadLetterTopic: t.deadLetterTopic,
      handle: (event) =>
        traced('apply analytics event', eventSpanAttributes(event), async (span) => {
          const outcome = await projector.handle(event);
          span.setAttribute('hims.outcome', outcome);
          return outcome;
        }),
    },
    config,
    { fromBeginning: true },
  );
  app.connectMicroservice({ strategy: indexerConsumer }, { inheritAppConfig: true });
  app.connectMicroservice({ strategy: analyticsConsumer }, { inheritAppConfig: true });

  const lag = new LagMonitor(config.kafka.brokers, config.kafka.clientId, [
    { groupId: indexerConsumer.spec.groupId, topics: indexerConsumer.spec.topics },
    { groupId: analyticsConsumer.spec.groupId, topics: analyticsConsumer.spec.topics },
  ]);
  const reconciler = new ReconcileScheduler(config, app.get<Client>(SEARCH_ES_CLIENT));
  const repair = new CdcRepair(reconciler);
  const slot = new SlotMonitor(
    app.get(DataSource),
    t.slot,
    config.pipeline.slotMaxLagBytes,
    config.pipeline.slotSelfRepair ? () => repair.run() : undefined,
  );
  // Change capture is part of the worker's readiness: a lost or lagging slot is an outage of the pipeline.
  app.get(ReadinessChecks).register(() => slot.readiness());
  slot.watch(config.pipeline.slotCheckIntervalMs);
  reconciler.start();
  const indicators = new HealthIndicatorService();
  app.get(ReadinessChecks).register(async (): Promise<HealthIndicatorResult> => {
    const session = indicators.check('kafka');
    const groups = { searchIndexer: indexerConsumer.isJoined, analytics: analyticsConsumer.isJoined };
    return indexerConsumer.isJoined && analyticsConsumer.isJoined ? session.up(groups) : session.down(groups);
  });

  return {
    indexer: indexerConsumer,
    analytics: analyticsConsumer,
    lag,
    slot,
    reconciler,
    close: async () => {
      slot.stop();
      await reconciler.close();
    },
    joined: async () => {
      await Promise.all([indexerConsumer.whenJoined(), analyticsConsumer.whenJoined()]);
    },
  };
}

/** Ids only on worker spans: never the payload. */
function eventSpanAttributes(event: OutboxEvent) {
  return {
    'hims.event.id': event.eventId,
    'hims.event.type': event.eventType,
    'hims.tenant.id': event.tenantId,
    'hims.aggregate.id': event.aggregateId,
  };
}
