import { Logger } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { Counter, Gauge } from 'prom-client';
import type { AppConfig } from '@hims/config';
import { createDataSource } from '@hims/database';
import { metricsRegistry } from '@hims/observability';
import { IndexReconciler, TenantReconciliation } from '@hims/search';

function metric<T>(name: string, make: () => T): T {
  if (metricsRegistry.getSingleMetric(name)) metricsRegistry.removeSingleMetric(name);
  return make();
}

/**
 * Runs the index reconciler (libs/search, anti-entropy) every RECONCILE_INTERVAL_SECONDS and on
 * demand (the change-capture self-repair calls it after a lost slot). One pass at a time. It
 * reads as the owner role with each tenant set (listing every tenant needs it, as
 * `pipeline reindex` does), on a pool of one connection, throttled to RECONCILE_SHARE_PERCENT.
 */
export class ReconcileScheduler {
  private readonly logger = new Logger('IndexReconciler');
  private readonly db;
  private running?: Promise<TenantReconciliation[]>;
  private timer?: NodeJS.Timeout;
  private readonly drift = metric('hims_reconcile_documents_total', () =>
    new Counter({ name: 'hims_reconcile_documents_total', help: 'Index documents the reconciler found missing, stale or orphaned and repaired', labelNames: ['index', 'drift'], registers: [metricsRegistry] }),
  );
  private readonly checked = metric('hims_reconcile_rows_checked_total', () =>
    new Counter({ name: 'hims_reconcile_rows_checked_total', help: 'PostgreSQL rows the reconciler compared with the index', labelNames: ['index'], registers: [metricsRegistry] }),
  );
  private readonly runs = metric('hims_reconcile_runs_total', () =>
    new Counter({ name: 'hims_reconcile_runs_total', help: 'Reconciliation passes, by outcome', labelNames: ['outcome'], registers: [metricsRegistry] }),
  );
  private readonly lastSuccess = metric('hims_reconcile_last_success_timestamp_seconds', () =>
    new Gauge({ name: 'hims_reconcile_last_success_timestamp_seconds', help: 'When the last complete reconciliation pass ended (unix seconds; 0: none yet)', registers: [metricsRegistry] }),
  );

  constructor(
    private readonly config: AppConfig,
    private readonly es: Client,
  ) {
    this.db = createDataSource(config.databaseOwnerUrl, 1, 'hims-reconciler');
    this.lastSuccess.set(0);
  }

  start(): void {
    const every = this.config.pipeline.reconcileIntervalSeconds;
    if (every <= 0) return;
    this.timer = setInterval(() => void this.run().catch(() => undefined), every * 1000);
    this.timer.unref();
  }

  /** One pass over the given tenants (all when omitted); joins a pass already running. */
  run(tenantIds?: string[]): Promise<TenantReconciliation[]> {
    return (this.running ??= this.pass(tenantIds).finally(() => (this.running = undefined)));
  }

  private async pass(tenantIds?: string[]): Promise<TenantReconciliation[]> {
    try {
      if (!this.db.isInitialized) await this.db.initialize();
      const reconciler = new IndexReconciler(this.es, this.db, this.config.elasticsearch.indexAlias, {
        batchSize: this.config.pipeline.reconcileBatchSize,
        sharePercent: this.config.pipeline.reconcileSharePercent,
      });
      const results = await reconciler.run(tenantIds, (line) => this.logger.warn(`drift repaired: ${line}`));
      for (const r of results) {
        for (const index of ['patients', 'visits'] as const) {
          const c = r[index];
          this.checked.inc({ index }, c.checked);
          for (const drift of ['missing', 'stale', 'orphaned'] as const) if (c[drift]) this.drift.inc({ index, drift }, c[drift]);
        }
      }
      this.runs.inc({ outcome: 'ok' });
      this.lastSuccess.set(Date.now() / 1000);
      return results;
    } catch (err) {
      this.runs.inc({ outcome: 'failed' });
      this.logger.error(`reconciliation pass failed: ${(err as Error).message}`);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    if (this.db.isInitialized) await this.db.destroy();
  }
}
