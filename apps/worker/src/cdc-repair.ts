import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { metricsRegistry } from '@hims/observability';
import type { ReconcileScheduler } from './reconcile-scheduler';

/** The built CLI beside the built worker (dist/apps/…), or dist/ when the worker runs from sources (tests). */
const CLI = [resolve(__dirname, '../../cli/src/main.js'), resolve(__dirname, '../../../dist/apps/cli/src/main.js')].find((f) =>
  existsSync(f),
);

/**
 * What the worker does on its own when PostgreSQL has invalidated the change-capture slot
 * (docs/operations.md): `pipeline setup` (the CLI's own code: it sees the lost slot, removes the
 * connector and slot, and registers the connector again, which makes a new slot and streams
 * from now on), then a reconciliation of every tenant's index against PostgreSQL, which
 * writes what the lost events would have (the connector snapshots no outbox history:
 * the database is the snapshot). No operator is needed for correctness; the ALERT stays in
 * the log and on /metrics.
 */
export class CdcRepair {
  private readonly logger = new Logger('CdcRepair');
  private readonly repairs: Counter<'outcome'>;

  constructor(
    private readonly reconciler: ReconcileScheduler,
    private readonly setupPipeline: () => Promise<void> = runPipelineSetup,
  ) {
    if (metricsRegistry.getSingleMetric('hims_cdc_slot_repairs_total')) metricsRegistry.removeSingleMetric('hims_cdc_slot_repairs_total');
    this.repairs = new Counter({
      name: 'hims_cdc_slot_repairs_total',
      help: 'Self-repairs of a lost change-capture slot (new slot, then reconciliation), by outcome',
      labelNames: ['outcome'],
      registers: [metricsRegistry],
    });
  }

  async run(): Promise<void> {
    try {
      this.logger.warn('change capture self-repair: recreating the connector and its slot (pipeline setup)');
      await this.setupPipeline();
      this.logger.warn('change capture self-repair: new slot streaming; reconciling every tenant\'s index with PostgreSQL');
      await this.reconciler.run();
      this.repairs.inc({ outcome: 'ok' });
      this.logger.warn('change capture self-repair: done (index reconciled)');
    } catch (err) {
      this.repairs.inc({ outcome: 'failed' });
      this.logger.error(`ALERT change capture self-repair failed, retried at the next check: ${(err as Error).message}`);
      throw err;
    }
  }
}

function runPipelineSetup(): Promise<void> {
  if (!CLI) return Promise.reject(new Error('the built CLI (dist/apps/cli/src/main.js) is missing: npm run build'));
  return new Promise((done, fail) =>
    execFile(process.execPath, [CLI, 'pipeline', 'setup'], { env: process.env, timeout: 300000 }, (err, _out, stderr) =>
      err ? fail(new Error(`pipeline setup failed: ${stderr.split('\n').slice(-3).join(' ')}`)) : done(),
    ),
  );
}
