import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { BackgroundLoop, metricsRegistry } from '@hims/observability';
import { recordSpan } from '@hims/tracing';

const sealedRows = new Counter({
  name: 'hims_audit_rows_sealed_total',
  help: 'Audit rows linked into their tenant hash chain by the sealer',
  registers: [metricsRegistry],
});
const sealDelay = new Histogram({
  name: 'hims_audit_seal_delay_seconds',
  help: 'Longest wait between an audit row being appended and sealed, per sealing pass that sealed rows',
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export interface SealResult {
  sealed: number;
  maxDelaySeconds: number;
}

/** One sealing pass: links every tenant's sealable rows (up to the batch size each) in one transaction. */
export async function sealAuditRows(ds: DataSource, batchPerTenant: number): Promise<SealResult> {
  const [row] = await ds.query(`SELECT sealed, max_delay_seconds FROM audit.seal($1)`, [batchPerTenant]);
  return { sealed: Number(row.sealed), maxDelaySeconds: Number(row.max_delay_seconds) };
}

/**
 * The worker's audit sealer. Requests append audit rows without touching any
 * per-tenant head; this loop links them into each tenant's hash chain (see
 * migrations/1763797000000-AuditSealer.ts). It seals again at once while a pass
 * finds work, and otherwise waits AUDIT_SEAL_INTERVAL_MS. Several workers may run
 * it: audit.seal() takes an advisory lock, so one seals and the others return 0.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {
    this.loop = new BackgroundLoop({
      name: AuditSealer.name,
      intervalMs: config.audit.sealIntervalMs,
      pass: async () => (await this.sealOnce()).sealed,
      eager: true,
      describeFailure: (err) =>
        `audit sealing pass failed (SQLSTATE ${(err as { code?: string }).code ?? 'n/a'}); retrying`,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * One pass, also for tests and the CLI. A pass that sealed rows (or failed) is
   * recorded as a "seal audit rows" span with counts only; idle passes (every
   * 200 ms by default) leave none. Its own trace: one pass seals rows of many requests.
   */
  async sealOnce(): Promise<SealResult> {
    const batch = this.config.audit.sealBatchPerTenant;
    const startedAt = new Date();
    let result: SealResult;
    try {
      result = await sealAuditRows(this.ds, batch);
    } catch (error) {
      recordSpan('seal audit rows', { 'hims.audit.batch_per_tenant': batch }, startedAt, { error });
      throw error;
    }
    if (result.sealed > 0) {
      sealedRows.inc(result.sealed);
      sealDelay.observe(result.maxDelaySeconds);
      recordSpan(
        'seal audit rows',
        {
          'hims.audit.batch_per_tenant': batch,
          'hims.audit.sealed': result.sealed,
          'hims.audit.max_delay_ms': Math.round(result.maxDelaySeconds * 1000),
        },
        startedAt,
      );
    }
    return result;
  }
}

/** The sealer loop for the worker (needs the database and config modules). */
@Module({ providers: [AuditSealer], exports: [AuditSealer] })
export class AuditSealerModule {}
