import type { AppConfig } from '@hims/config';

/**
 * Names of everything the pipeline creates, derived from PIPELINE_NAMESPACE
 * (default `hims`), so a test database gets its own connector, slot, topics
 * and consumer groups next to the development stack's.
 */
export const AGGREGATES = ['patient', 'user', 'tenant', 'visit', 'appointment', 'queue', 'billing'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export function pipelineTopology(config: AppConfig) {
  const ns = config.pipeline.namespace;
  return {
    namespace: ns,
    connector: `${ns}-outbox`,
    slot: `${ns}_outbox_slot`,
    publication: 'hims_outbox',
    topic: (aggregate: Aggregate) => `${ns}.${aggregate}.events`,
    topics: AGGREGATES.map((a) => `${ns}.${a}.events`),
    deadLetterTopic: `${ns}.dlq`,
    group: (consumer: ConsumerName, suffix = '') => `${ns}-${consumer}${suffix ? `-${suffix}` : ''}`,
  };
}

export type ConsumerName = 'search-indexer' | 'analytics';
