import { Kafka, logLevel } from 'kafkajs';
import type { AppConfig } from '@hims/config';
import { pipelineTopology } from '@hims/events';
import { out } from './output';

/** The pipeline's Kafka topics (one per aggregate, plus the dead-letter topic). */

function kafkaAdmin(config: AppConfig) {
  return new Kafka({
    clientId: `${config.kafka.clientId}-cli`,
    brokers: config.kafka.brokers,
    logLevel: logLevel.ERROR,
    retry: { retries: 3 },
  }).admin();
}

export async function ensureTopics(config: AppConfig): Promise<void> {
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

