import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { ProblemException } from '@hims/errors';
import { recordOperatorAction } from './platform-audit';
import { PlatformDatabase } from './platform-database';
import { PlatformTenantsRepository } from './platform-tenants.repository';
import { PlatformTenantsService, TenantView } from './platform-tenants.service';
import { RunOutcome, SagaRunner } from './saga-runner';
import { ProvisioningInput, SagaRepository, SagaRow } from './saga.repository';

export interface ProvisionRequest {
  operatorId: string;
  idempotencyKey: string;
  fingerprint: string;
  requestId: string | null;
  body: Omit<ProvisioningInput, 'firstAdmin'> & { firstAdmin: { email: string; displayName: string } };
}

export interface ProvisionAnswer {
  status: 201 | 202;
  replayed: boolean;
  location: string;
  body: TenantView & {
    firstAdmin: {
      id: string;
      email: string;
      displayName: string;
      invitation: { token: string; expiresAt: string } | null;
    };
  };
}

export const tenantLocation = (id: string) => `/api/v1/platform/tenants/${id}`;

/**
 * POST /platform/tenants: records the saga (once per operator and
 * Idempotency-Key), then drives it within the request for up to
 * PLATFORM_SAGA_INLINE_WAIT_MS: 201 when it completed, 409 provisioning-failed
 * when it failed and was compensated, 202 while it is still running (the
 * resumer or this process finishes it; follow Location).
 */
@Injectable()
export class ProvisioningService {
  private readonly logger = new Logger('ProvisioningSaga');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: PlatformDatabase,
    private readonly runner: SagaRunner,
    private readonly tenants: PlatformTenantsService,
  ) {}

  async provision(req: ProvisionRequest): Promise<ProvisionAnswer> {
    const sagaId = randomUUID();
    const tenantId = randomUUID();
    const input: ProvisioningInput = {
      slug: req.body.slug,
      name: req.body.name.trim(),
      settings: req.body.settings,
      firstAdmin: {
        email: req.body.firstAdmin.email.trim(),
        displayName: req.body.firstAdmin.displayName.trim(),
        userId: randomUUID(),
      },
    };
    const created = await this.db.transaction(async (tx) => {
      const existing = await SagaRepository.findByKey(tx, req.operatorId, req.idempotencyKey);
      if (existing) return existing;
      if (await PlatformTenantsRepository.slugInUse(tx, input.slug)) {
        await recordOperatorAction(tx, {
          operatorId: req.operatorId,
          action: 'tenant.provision',
          outcome: 'refused',
          detail: { slug: input.slug, reason: 'slug_taken' },
          requestId: req.requestId,
        });
        throw new ProblemException('conflict', 'This slug is already used by another clinic');
      }
      const inserted = await SagaRepository.insert(tx, {
        id: sagaId,
        operatorId: req.operatorId,
        idempotencyKey: req.idempotencyKey,
        fingerprint: req.fingerprint,
        tenantId,
        input,
      });
      if (!inserted) return SagaRepository.findByKey(tx, req.operatorId, req.idempotencyKey);
      await recordOperatorAction(tx, {
        operatorId: req.operatorId,
        action: 'tenant.provision',
        targetType: 'tenant',
        targetId: tenantId,
        outcome: 'succeeded',
        detail: { slug: input.slug, sagaId },
        requestId: req.requestId,
      });
      return undefined;
    });
    if (created) return this.replay(created, req);

    // A run that stops abnormally (lost lock, database gone) leaves the saga to the resumer: answer 202.
    const run = this.runner.run(sagaId, req.requestId).catch((err: unknown): RunOutcome => {
      this.logger.error({ sagaId, sqlstate: (err as { code?: string }).code }, 'provisioning saga stopped');
      return { kind: 'busy' };
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      run,
      new Promise<'timeout'>(
        (r) => (timer = setTimeout(() => r('timeout'), this.config.platform.sagaInlineWaitMs)),
      ),
    ]).finally(() => clearTimeout(timer));
    return this.answer(sagaId, waited === 'timeout' ? { kind: 'busy' } : waited, false);
  }

  private async replay(saga: SagaRow, req: ProvisionRequest): Promise<ProvisionAnswer> {
    if (saga.fingerprint !== req.fingerprint) {
      throw new ProblemException(
        'idempotencyKeyReused',
        'This Idempotency-Key was used for a different request',
      );
    }
    if (saga.status === 'running' || saga.status === 'compensating') {
      throw new ProblemException(
        'idempotencyKeyInFlight',
        'The provisioning started with this Idempotency-Key is still running; follow Location',
        { location: tenantLocation(saga.tenantId) },
        { Location: tenantLocation(saga.tenantId) },
      );
    }
    return this.answer(saga.id, { kind: 'busy' }, true);
  }

  private async answer(sagaId: string, outcome: RunOutcome, replayed: boolean): Promise<ProvisionAnswer> {
    const saga = (await SagaRepository.find(this.db, sagaId))!;
    const location = tenantLocation(saga.tenantId);
    if (saga.status === 'failed') {
      throw new ProblemException(
        'provisioningFailed',
        `Provisioning failed at step ${saga.failedStep} (${saga.error}); every step was undone and the slug is free again`,
        { sagaId, tenantId: saga.tenantId, failedStep: saga.failedStep },
        replayed ? { Location: location, 'Idempotent-Replayed': 'true' } : { Location: location },
      );
    }
    const view = await this.tenants.view(saga.tenantId);
    const secrets = outcome.kind === 'finished' ? outcome.secrets : {};
    return {
      status: saga.status === 'completed' ? 201 : 202,
      replayed,
      location,
      body: {
        ...view,
        firstAdmin: {
          id: saga.input.firstAdmin.userId,
          email: saga.input.firstAdmin.email,
          displayName: saga.input.firstAdmin.displayName,
          invitation: secrets.invitation ?? null,
        },
      },
    };
  }
}
