import { Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { metricsRegistry } from '@hims/observability';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { TenantScope } from '@hims/tenancy';
import { InboxKind, InboxRepository } from './inbox.repository';
import type { GatewayCallHeaders } from './gateway-callback.guard';
import { AbdmProcessor } from './processor';

/**
 * Gateway callbacks by kind and outcome: `accepted`, `gateway_error` (accepted, and the gateway
 * says our call failed: an `error` body), `replay` (a REQUEST-ID seen before), `unknown_hip`.
 */
export const callbacksReceived = new Counter({
  name: 'hims_abdm_callbacks_total',
  help: 'Gateway callbacks by kind and outcome (accepted, gateway_error, replay, unknown_hip)',
  labelNames: ['kind', 'outcome'],
  registers: [metricsRegistry],
});

function carriesError(body: unknown): boolean {
  const e = (body as { error?: unknown } | null)?.error;
  return e !== undefined && e !== null;
}

/**
 * Stores a verified, validated gateway callback in the inbox of the clinic that
 * owns its X-HIP-ID, in that clinic's RLS transaction. A repeated REQUEST-ID is
 * acknowledged again and not stored twice.
 */
@Injectable()
export class CallbackIntake {
  private readonly log = new Logger('AbdmCallbacks');

  constructor(
    private readonly repo: InboxRepository,
    private readonly scope: TenantScope,
    private readonly audit: AuditRecorder,
    private readonly processor: AbdmProcessor,
  ) {}

  async accept(kind: InboxKind, headers: GatewayCallHeaders, body: unknown): Promise<void> {
    const tenantId = await this.repo.tenantForHip(headers.hipId);
    if (!tenantId) {
      callbacksReceived.inc({ kind, outcome: 'unknown_hip' });
      this.log.warn(`gateway callback ${headers.requestId} refused: unknown or disabled HIP id`);
      throw new ProblemException('badRequest', 'X-HIP-ID names no enabled HIP of this bridge', {
        errors: [{ field: 'X-HIP-ID', message: 'unknown or disabled' }],
      });
    }
    const fresh = await this.scope.run({ tenantId, requestId: headers.requestId }, async () => {
      const inserted = await this.repo.insertInbox(
        tenantId,
        headers.requestId,
        kind,
        headers.hipId,
        headers.cmId,
        body,
      );
      await this.audit.record({
        action: inserted ? 'abdm_inbound' : 'abdm_inbound_replay',
        entityType: 'abdm_request',
        entityId: headers.requestId,
        details: { kind },
      });
      return inserted;
    });
    callbacksReceived.inc({
      kind,
      outcome: !fresh ? 'replay' : carriesError(body) ? 'gateway_error' : 'accepted',
    });
    if (fresh) this.processor.poke();
    else this.log.log(`gateway callback ${headers.requestId} is a replay; acknowledged, not processed again`);
  }
}
