import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { ProblemException } from '@hims/errors';
import { PlatformDatabase } from './platform-database';
import { PROVISIONING_STEPS, RunSecrets, StepContext } from './provisioning-steps';
import { InjectedFault, SagaFaults } from './saga-faults';
import { SagaRepository, SagaRow } from './saga.repository';

export type RunOutcome = { kind: 'busy' } | { kind: 'finished'; saga: SagaRow; secrets: RunSecrets };

/** The lock connection died under a live process: stop driving at once, record nothing (another process may take over). */
export class SagaLockLost extends Error {
  constructor(readonly sagaId: string) {
    super(`lost the lock on saga ${sagaId}`);
  }
}

/** A reason fit for the saga log and the failure event: never a value from the request. */
export function safeReason(err: unknown): string {
  if (err instanceof InjectedFault) return err.message;
  if (err instanceof ProblemException) return err.detail;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `database error ${code}`;
  return 'internal error';
}

/**
 * Drives a provisioning saga from its log: runs the steps not yet done, in
 * order; on a failure, compensates every step that did (or may have) run, in
 * reverse, then marks the saga failed and publishes tenant.provisioning_failed
 * in one transaction. A session-level advisory lock on a connection of its own
 * makes sure one process at a time drives a saga; PostgreSQL releases it when
 * that process dies, so another can resume at once.
 */
@Injectable()
export class SagaRunner {
  private readonly logger = new Logger('ProvisioningSaga');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: PlatformDatabase,
    private readonly faults: SagaFaults,
  ) {}

  async run(sagaId: string, requestId: string | null = null): Promise<RunOutcome> {
    const conn = await this.db.connection();
    try {
      const [{ locked }] = await conn.query(
        `SELECT pg_try_advisory_lock(hashtextextended('platform-saga:' || $1, 0)) AS locked`,
        [sagaId],
      );
      if (!locked) return { kind: 'busy' };
      // Before every step and compensation: is the lock's session still alive? (If it died, so did the lock.)
      const stillHeld = async () => {
        try {
          await conn.query('SELECT 1');
        } catch {
          throw new SagaLockLost(sagaId);
        }
      };
      try {
        return await this.drive(sagaId, requestId, stillHeld);
      } finally {
        await conn
          .query(`SELECT pg_advisory_unlock(hashtextextended('platform-saga:' || $1, 0))`, [sagaId])
          .catch(() => undefined);
      }
    } finally {
      await conn.release().catch(() => undefined);
    }
  }

  private async drive(
    sagaId: string,
    requestId: string | null,
    stillHeld: () => Promise<void>,
  ): Promise<RunOutcome> {
    let saga = await SagaRepository.find(this.db, sagaId);
    if (!saga) throw new Error(`saga ${sagaId} not found`);
    const secrets: RunSecrets = {};
    const ctx: StepContext = { saga, requestId, secrets, searchIndex: this.config.elasticsearch.indexAlias };

    if (saga.status === 'running') {
      const done = new Set(
        (await SagaRepository.steps(this.db, sagaId)).filter((s) => s.status === 'done').map((s) => s.step),
      );
      for (const step of PROVISIONING_STEPS) {
        if (done.has(step.name)) continue;
        await SagaRepository.stepStarted(this.db, sagaId, step.name);
        try {
          await this.faults.beforeStep(step.name);
          await stillHeld();
          await this.db.transaction(async (tx) => {
            const detail = await step.run(tx, ctx);
            this.faults.insideStep(step.name);
            await SagaRepository.stepDone(tx, sagaId, step.name, detail);
          });
        } catch (err) {
          if (err instanceof SagaLockLost) throw err;
          const reason = safeReason(err);
          this.logger.warn(
            { sagaId, step: step.name, sqlstate: (err as { code?: string }).code },
            'provisioning step failed; compensating',
          );
          await this.db.transaction(async (tx) => {
            await SagaRepository.stepFailed(tx, sagaId, step.name, reason);
            await SagaRepository.setStatus(tx, sagaId, 'compensating', { step: step.name, error: reason });
          });
          break;
        }
      }
      saga = (await SagaRepository.find(this.db, sagaId))!;
      if (saga.status === 'running') {
        await stillHeld();
        await SagaRepository.setStatus(this.db, sagaId, 'completed');
        this.logger.log({ sagaId, tenantId: saga.tenantId }, 'tenant provisioned');
        return { kind: 'finished', saga: (await SagaRepository.find(this.db, sagaId))!, secrets };
      }
    }

    if (saga.status === 'compensating') {
      ctx.saga = saga;
      const steps = await SagaRepository.steps(this.db, sagaId);
      for (const step of [...PROVISIONING_STEPS].reverse()) {
        const row = steps.find((s) => s.step === step.name);
        if (!row || (row.status !== 'done' && row.status !== 'running')) continue;
        await stillHeld();
        await this.db.transaction(async (tx) => {
          await step.compensate(tx, ctx);
          await SagaRepository.stepCompensated(tx, sagaId, step.name);
        });
      }
      await stillHeld();
      await this.db.transaction(async (tx) => {
        await tx.query(`SELECT platform.publish_tenant_event($1, 'tenant.provisioning_failed', $2, $3)`, [
          saga!.tenantId,
          JSON.stringify({
            tenantId: saga!.tenantId,
            slug: saga!.slug,
            sagaId,
            failedStep: saga!.failedStep,
            reason: saga!.error,
          }),
          requestId ?? '',
        ]);
        await SagaRepository.setStatus(tx, sagaId, 'failed');
      });
      this.logger.warn(
        { sagaId, failedStep: saga.failedStep },
        'tenant provisioning failed and was compensated',
      );
    }
    return { kind: 'finished', saga: (await SagaRepository.find(this.db, sagaId))!, secrets };
  }
}
