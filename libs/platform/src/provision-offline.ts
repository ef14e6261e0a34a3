import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@hims/config';
import { PlatformDatabase } from './platform-database';
import { SagaFaults } from './saga-faults';
import { SagaRunner } from './saga-runner';
import { ProvisioningInput, SagaRepository } from './saga.repository';

export interface OfflineProvisioning {
  tenantId: string;
  sagaId: string;
  status: string;
  failedStep: string | null;
  /** The first admin's one-time invitation, when this run created it. */
  invitation?: { token: string; expiresAt: string };
}

/**
 * The same provisioning saga outside HTTP (the demo seed, operator scripts):
 * recorded in the saga log and driven by the same runner, as hims_platform.
 */
export async function provisionWithSaga(
  config: AppConfig,
  input: Omit<ProvisioningInput, 'firstAdmin'> & { firstAdmin: { email: string; displayName: string } },
  operatorId: string | null,
): Promise<OfflineProvisioning> {
  const db = new PlatformDatabase(config);
  await db.onModuleInit();
  try {
    const sagaId = randomUUID();
    const tenantId = randomUUID();
    await SagaRepository.insert(db, {
      id: sagaId,
      operatorId,
      idempotencyKey: null,
      fingerprint: null,
      tenantId,
      input: { ...input, firstAdmin: { ...input.firstAdmin, userId: randomUUID() } },
    });
    const outcome = await new SagaRunner(config, db, new SagaFaults()).run(sagaId);
    const saga = (await SagaRepository.find(db, sagaId))!;
    return {
      tenantId,
      sagaId,
      status: saga.status,
      failedStep: saga.failedStep,
      invitation: outcome.kind === 'finished' ? outcome.secrets.invitation : undefined,
    };
  } finally {
    await db.onApplicationShutdown();
  }
}
