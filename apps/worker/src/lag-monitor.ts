import { Gauge } from 'prom-client';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { metricsRegistry } from '@hims/observability';

interface Watched {
  groupId: string;
  topics: string[];
}

/**
 * Consumer lag (log end offset − committed offset) per group, topic and
 * partition, computed when /metrics is scraped (cached for a few seconds).
 */
export class LagMonitor {
  private admin?: Admin;
  private connecting?: Promise<void>;
  private cache: { at: number; rows: { group: string; topic: string; partition: string; lag: number }[] } = {
    at: 0,
    rows: [],
  };
  private readonly gauge: Gauge;

  constructor(
    private readonly brokers: string[],
    private readonly clientId: string,
    private readonly watched: Watched[],
  ) {
    const lagOf = () => this.lag().catch(() => this.cache.rows);
    const existing = metricsRegistry.getSingleMetric('hims_pipeline_consumer_lag') as Gauge | undefined;
    if (existing) metricsRegistry.removeSingleMetric('hims_pipeline_consumer_lag');
    this.gauge = new Gauge({
      name: 'hims_pipeline_consumer_lag',
      help: 'Messages not yet handled by a worker consumer group, per topic partition',
      labelNames: ['group', 'topic', 'partition'],
      registers: [metricsRegistry],
      async collect() {
        const rows = await lagOf();
        this.reset();
        for (const r of rows) this.set({ group: r.group, topic: r.topic, partition: r.partition }, r.lag);
      },
    });
  }

  async lag(): Promise<{ group: string; topic: string; partition: string; lag: number }[]> {
    if (Date.now() - this.cache.at < 3000) return this.cache.rows;
    const admin = await this.connect();
    const rows: { group: string; topic: string; partition: string; lag: number }[] = [];
    for (const w of this.watched) {
      const committed = await admin.fetchOffsets({ groupId: w.groupId, topics: w.topics });
      for (const t of committed) {
        const ends = await admin.fetchTopicOffsets(t.topic);
        for (const p of t.partitions) {
          const end = ends.find((e) => e.partition === p.partition);
          if (!end) continue;
          const base = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
          rows.push({
            group: w.groupId,
            topic: t.topic,
            partition: String(p.partition),
            lag: Math.max(0, Number(end.high) - base),
          });
        }
      }
    }
    this.cache = { at: Date.now(), rows };
    return rows;
  }

  private async connect(): Promise<Admin> {
    if (!this.admin) {
      this.admin = new Kafka({
        clientId: `${this.clientId}-lag`,
        brokers: this.brokers,
        logLevel: logLevel.NOTHING,
        retry: { retries: 1 },
      }).admin();
      this.connecting = this.admin.connect().catch((err) => {
        this.admin = undefined;
        throw err;
      });
    }
    await this.connecting;
    return this.admin!;
  }

  async close(): Promise<void> {
    metricsRegistry.removeSingleMetric('hims_pipeline_consumer_lag');
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }
}
