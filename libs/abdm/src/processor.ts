import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Counter } from 'prom-client';
import { AuditRecorder } from '@hims/audit';
import { BackgroundLoop, metricsRegistry } from '@hims/observability';
import { TenantScope } from '@hims/tenancy';
import { contextFromCarrier, traced } from '@hims/tracing';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import { AbdmRepository } from './abdm.repository';
import { InboxRepository, InboxRow } from './inbox.repository';
import { OutboundRepository } from './outbound.repository';
import { DiscoveryService } from './discovery.service';
import { backoffDelay, GatewayClient } from './gateway.client';
import { HipLinkingService } from './hip-linking.service';
import { gatewaySaid } from './gateway-error';
import { LinkTokenRepository } from './link-token.repository';
import { LinkingService } from './linking.service';
import { ContextNotifyService } from './context-notify.service';
import { NotifyShareRepository } from './notify-share.repository';
import { ProfileShareService } from './profile-share.service';
import { SmsNotifyService } from './sms-notify.service';
import { AbdmTransactions } from './transactions.service';
import { ConsentService } from './consent.service';
import { HealthInformationRequestService } from './health-information-request.service';
import { TransferService } from './transfer.service';

const inboxProcessed = new Counter({
  name: 'hims_abdm_inbox_processed_total',
  help: 'Gateway callbacks processed, by kind and outcome',
  labelNames: ['kind', 'outcome'],
  registers: [metricsRegistry],
});
const outboundCalls = new Counter({
  name: 'hims_abdm_outbound_total',
  help: 'on-* calls to the ABDM gateway, by outcome (sent, retry, failed)',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});

function sqlState(err: unknown): string {
  return (err as { code?: string }).code ?? (err as Error).name ?? 'n/a';
}

/**
 * Works off the inbox and the outbound queue, tenant by tenant, each item in
 * its tenant's RLS transaction: a callback is handled once (its row is locked
 * and marked processed with the answer it queued); an on-* call is delivered
 * with the session token, retried with back-off and jitter on timeouts and 5xx,
 * and after the last attempt marked failed, failing its transaction too.
 * Started by the worker (ABDM_PROCESSOR=on); `poke()` shortens the wait.
 */
@Injectable()
export class AbdmProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('AbdmProcessor');
  private readonly loop: BackgroundLoop;
  private lastPurge = 0;
  private lastScan = 0;
  private lastSmsScan = 0;

  constructor(
    @Inject(ABDM_CONFIG) private readonly config: AbdmConfig,
    private readonly repo: AbdmRepository,
    private readonly inbox: InboxRepository,
    private readonly outbound: OutboundRepository,
    private readonly scope: TenantScope,
    private readonly discovery: DiscoveryService,
    private readonly linking: LinkingService,
    private readonly hipLinking: HipLinkingService,
    private readonly transactions: AbdmTransactions,
    private readonly gateway: GatewayClient,
    private readonly audit: AuditRecorder,
    private readonly consents: ConsentService,
    private readonly hiRequests: HealthInformationRequestService,
    private readonly transfers: TransferService,
    private readonly contextNotify: ContextNotifyService,
    private readonly smsNotify: SmsNotifyService,
    private readonly profileShare: ProfileShareService,
    private readonly notifications: NotifyShareRepository,
    private readonly linkTokens: LinkTokenRepository,
  ) {
    this.loop = new BackgroundLoop({
      name: 'AbdmProcessor',
      intervalMs: config.pollIntervalMs,
      pass: () => this.runOnce(),
      eager: true,
      describeFailure: (err) => `processor pass failed (SQLSTATE ${sqlState(err)})`,
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.processor) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.transfers.idle();
  }

  poke(): void {
    this.loop.poke();
  }

  /** One pass over what is due; returns how many items it handled. */
  async runOnce(): Promise<number> {
    const due = await this.inbox.dueWork(50);
    for (const item of due) {
      if (item.kind === 'inbox') await this.processInbox(item.tenant_id, item.ref);
      else await this.deliver(item.tenant_id, item.ref);
    }
    // Health-information transfers push in the background: callbacks (a revocation) keep flowing meanwhile.
    this.transfers.kick(() => this.poke());
    let started = 0;
    if (
      this.config.hipInitiatedLinking &&
      Date.now() - this.lastScan >= Math.max(1000, this.config.pollIntervalMs)
    ) {
      this.lastScan = Date.now();
      started = await this.hipLinking.scan();
    }
    if (
      this.config.smsNotify &&
      Date.now() - this.lastSmsScan >= Math.max(1000, this.config.pollIntervalMs)
    ) {
      this.lastSmsScan = Date.now();
      started += await this.smsNotify.scan();
    }
    if (Date.now() - this.lastPurge > 3600_000) {
      this.lastPurge = Date.now();
      const purged = await this.inbox.purgeInbox(this.config.inboxRetentionHours);
      if (purged > 0) this.log.log(`purged ${purged} inbox rows past retention`);
    }
    return due.length + started;
  }

  private async processInbox(tenantId: string, requestId: string): Promise<void> {
    let kind = 'unknown';
    try {
      await this.scope.run({ tenantId, requestId }, async () => {
        const row = await this.inbox.claimInbox(requestId);
        if (!row) return;
        kind = row.kind;
        // Continues the trace of the callback request that stored the row (docs/tracing.md).
        const attributes = {
          'hims.abdm.kind': row.kind,
          'hims.abdm.request_id': requestId,
          'hims.tenant.id': tenantId,
        };
        await traced('abdm handle callback', attributes, () => this.handle(row), {
          parent: contextFromCarrier(row),
        });
        await this.inbox.finishInbox(requestId, 'processed', null);
      });
      inboxProcessed.inc({ kind, outcome: 'processed' });
    } catch (err) {
      this.log.warn(`inbox ${requestId} failed (SQLSTATE ${sqlState(err)}); marked failed`);
      inboxProcessed.inc({ kind, outcome: 'failed' });
      await this.scope.run({ tenantId, requestId }, () =>
        this.inbox.finishInbox(requestId, 'failed', sqlState(err)),
      );
    }
  }

  private handle(row: InboxRow): Promise<void> {
    switch (row.kind) {
      case 'discover':
        return this.discovery.handle(row);
      case 'link_init':
        return this.linking.init(row);
      case 'link_confirm':
        return this.linking.confirm(row);
      case 'on_generate_token':
        return this.hipLinking.onGenerateToken(row);
      case 'on_carecontext':
        return this.hipLinking.onCarecontext(row);
      case 'consent_notify':
        return this.consents.handle(row);
      case 'hi_request':
        return this.hiRequests.handle(row);
      case 'context_on_notify':
        return this.contextNotify.onNotify(row);
      case 'sms_on_notify':
        return this.smsNotify.onNotify(row);
      case 'patient_share':
        return this.profileShare.handle(row);
    }
  }

  private async deliver(tenantId: string, id: string): Promise<void> {
    await this.scope.run({ tenantId }, async () => {
      const row = await this.outbound.claimOutbound(id);
      if (!row) return;
      // Continues the trace of the work that queued the call; the gateway gets its traceparent.
      const result = await traced(
        'abdm deliver',
        {
          'hims.abdm.request_id': row.request_id,
          'hims.tenant.id': tenantId,
          'hims.attempt': row.attempts + 1,
        },
        async (span) => {
          const r = await this.gateway.post(row.path, row.body, row.request_id, row.headers ?? {});
          span.setAttribute('hims.outcome', r.ok ? 'sent' : r.retryable ? 'retry' : 'failed');
          return r;
        },
        { parent: contextFromCarrier(row) },
      );
      await this.audit.record({
        action: 'abdm_outbound_attempt',
        entityType: 'abdm_request',
        entityId: row.request_id,
        details: { path: row.path, status: result.status, ok: result.ok },
      });
      if (result.ok) {
        await this.outbound.outboundSent(id, result.status);
        outboundCalls.inc({ outcome: 'sent' });
        return;
      }
      const attempt = row.attempts + 1;
      if (result.retryable && attempt < this.config.maxAttempts) {
        await this.outbound.outboundRetry(
          id,
          result.status,
          result.error,
          backoffDelay(attempt, this.config.backoffBaseMs, this.config.backoffMaxMs),
          result.said,
        );
        outboundCalls.inc({ outcome: 'retry' });
        this.log.warn(`on-* call ${row.request_id} attempt ${attempt} failed (${result.error}); will retry`);
        return;
      }
      await this.outbound.outboundFailed(id, result.status, result.error, result.said);
      outboundCalls.inc({ outcome: 'failed' });
      this.log.warn(
        `on-* call ${row.request_id} failed for good after ${attempt} attempts (${result.error})`,
      );
      // A notification whose call failed for good ends failed too (the admins' view shows it).
      await this.notifications.failNotification(row.request_id, gatewaySaid(result.said) ?? result.error);
      if (row.transaction_ref) {
        const tx = await this.repo.findById(row.transaction_ref);
        // The gateway no longer takes the link token: the admin's retry asks for a new one.
        if (tx?.abha_address && result.said?.code === 'ABDM-1026')
          await this.linkTokens.drop(tx.hip_id, tx.abha_address);
        if (tx && !['linked', 'failed', 'expired'].includes(tx.state)) {
          await this.transactions.transition(
            tx,
            'failed',
            result.said ? 'gateway refused our call' : 'gateway answer undeliverable',
            row.request_id,
            gatewaySaid(result.said) ?? result.error,
          );
        }
      }
    });
  }
}
