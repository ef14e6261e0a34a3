import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { describeError } from '@hims/errors';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { BackgroundLoop, metricsRegistry } from '@hims/observability';

const purged = new Counter({
  name: 'hims_outbox_rows_purged_total',
  help: 'Outbox rows deleted after capture (events.purge_outbox)',
  registers: [metricsRegistry],
});

/** Fixed key for pg_try_advisory_xact_lock: one worker purges at a time. */
const PURGE_LOCK = 7_363_780_400;

/**
 * Keeps events.outbox small. Debezium reads inserts from the WAL through the
 * replication slot, so a committed row is no longer needed once it exists;
 * OUTBOX_RETENTION_SECONDS (default 1 h) only keeps recent rows around for
 * people to look at. Also drops analytics dedup records older than 30 days
 * (far beyond Kafka's retention, so no redelivery can reach them).
 */
@Injectable()
export class OutboxPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(OutboxPurger.name);
  private readonly loop: BackgroundLoop;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {
    this.loop = new BackgroundLoop({
      name: OutboxPurger.name,
      intervalMs: config.pipeline.outboxPurgeIntervalSeconds * 1000,
      pass: () => this.purgeOnce(),
      delayFirstPass: true,
      describeFailure: (err) => `outbox purge failed: ${describeError(err)}`,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async purgeOnce(): Promise<number> {
    return this.ds.transaction(async (tx) => {
      const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [PURGE_LOCK]);
      if (!locked) return 0;
      const [{ n }] = await tx.query(`SELECT events.purge_outbox(make_interval(secs => $1)) AS n`, [
        this.config.pipeline.outboxRetentionSeconds,
      ]);
      await tx.query(`SELECT analytics.purge_processed_events(interval '30 days')`);
      const count = Number(n);
      purged.inc(count);
      if (count > 0) this.log.log(`purged ${count} captured outbox row(s)`);
      return count;
    });
  }
}
