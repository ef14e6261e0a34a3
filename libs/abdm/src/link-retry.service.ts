import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { metricsRegistry } from '@hims/observability';
import { TenantScope } from '@hims/tenancy';
import { AbdmRepository } from './abdm.repository';
import { HipLinkingService } from './hip-linking.service';
import { NotifyShareRepository } from './notify-share.repository';

const retries = new Counter({
  name: 'hims_abdm_link_retries_total',
  help: 'Failed HIP-initiated links an admin retried',
  registers: [metricsRegistry],
});

export interface RetryView {
  id: string;
  transactionId: string;
  state: string;
  retryOf: string;
}

/**
 * An admin's retry of a failed HIP-initiated link. A failed transaction stays failed (it is
 * the record of what went wrong); the retry is a new transaction for the same visit, pointing
 * at the failed one (retry_of), that starts again from the link token. Nothing retries on its
 * own: a link fails after the outbound call's last attempt or on the gateway's refusal, and
 * either needs someone to look first. Two retries at once: one wins, the other gets 409.
 */
@Injectable()
export class LinkRetryService {
  constructor(
    private readonly repo: AbdmRepository,
    private readonly notify: NotifyShareRepository,
    private readonly hipLinking: HipLinkingService,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
  ) {}

  async retry(id: string): Promise<RetryView> {
    const tenantId = this.scope.tenantId!;
    const failed = await this.repo.findById(id);
    if (!failed) throw new ProblemException('notFound', 'No ABDM transaction with this id');
    if (failed.kind !== 'hip_initiated' || !failed.visit_ref) {
      throw new ProblemException(
        'conflict',
        'Only a HIP-initiated link can be retried; a user-initiated one is started again from the PHR app',
      );
    }
    if (failed.state !== 'failed') {
      throw new ProblemException(
        'conflict',
        `Only a failed link can be retried; this one is ${failed.state}`,
      );
    }
    if (!(await this.notify.hipEnabled(failed.hip_id))) {
      throw new ProblemException('conflict', 'The HIP id of this link is disabled or no longer registered');
    }
    const visit = await this.notify.visitToRelink(failed.visit_ref);
    if (!visit) {
      throw new ProblemException(
        'conflict',
        'The visit is linked already, no longer signed, or its patient has no ABHA address',
      );
    }
    const fresh = await this.hipLinking.startLink(
      tenantId,
      failed.hip_id,
      visit,
      `admin retry of ${failed.id}`,
    );
    if (!fresh) throw new ProblemException('conflict', 'A link of this visit is already under way');
    await this.notify.setRetryOf(fresh.id, failed.id);
    await this.audit.record({
      action: 'abdm_link_retry',
      entityType: 'abdm_transaction',
      entityId: fresh.id,
      details: { retryOf: failed.id },
    });
    retries.inc();
    return { id: fresh.id, transactionId: fresh.transaction_id, state: fresh.state, retryOf: failed.id };
  }
}
