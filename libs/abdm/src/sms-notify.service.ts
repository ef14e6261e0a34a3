import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRecorder } from '@hims/audit';
import { TenantScope } from '@hims/tenancy';
import { ABDM_CONFIG, AbdmConfig } from './abdm.config';
import { recordOutcome } from './context-notify.service';
import { GATEWAY_PATHS } from './gateway-paths';
import { InboxRepository, InboxRow } from './inbox.repository';
import { NotifyShareRepository } from './notify-share.repository';
import { OutboundRepository } from './outbound.repository';

/**
 * The gateway's SMS wants an Indian mobile as its 10 national digits; we store E.164.
 * Anything else (a landline-looking or foreign number) gets no SMS.
 */
export function smsPhoneNo(phones: string[]): string | undefined {
  for (const p of phones) {
    const m = /^\+91([6-9]\d{9})$/.exec(p);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * SMS notify ("notification to mobile"): when a visit is signed for a patient who gave a
 * phone but no ABHA address, the gateway is asked (link/patient/links/sms/notify2) to text
 * them a deep link to a PHR app, where they can make an ABHA address and discover the
 * record here. Why on signing and not on registration: the specification asks for it when a
 * record is ready, and a signed visit is our record (the same moment HIP-initiated linking
 * uses for patients with an ABHA address). Opt-in per HIP id (`smsNotify`), from the moment
 * it is turned on, so enabling it never texts the whole registry; one SMS per visit.
 * The gateway's on-notify outcome is recorded on the notification, once.
 */
@Injectable()
export class SmsNotifyService {
  private readonly log = new Logger('AbdmSmsNotify');

  constructor(
    private readonly repo: NotifyShareRepository,
    private readonly inbox: InboxRepository,
    private readonly outbound: OutboundRepository,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
    @Inject(ABDM_CONFIG) private readonly config: AbdmConfig,
  ) {}

  /** Queues the SMS notify of every newly signed visit in the opted-in clinics; returns how many. */
  async scan(limitPerTenant = 20): Promise<number> {
    let queued = 0;
    for (const tenantId of await this.inbox.tenantsWithSmsNotify()) {
      queued += await this.scope.run({ tenantId }, () => this.queueForTenant(tenantId, limitPerTenant));
    }
    if (queued > 0) this.log.log(`queued ${queued} SMS notifications`);
    return queued;
  }

  private async queueForTenant(tenantId: string, limit: number): Promise<number> {
    let queued = 0;
    for (const c of await this.repo.smsCandidates(this.config.hipIdPrefix, limit)) {
      const phoneNo = smsPhoneNo(c.phones);
      const requestId = randomUUID();
      // The notification row is written even without a usable number, so the visit is not looked at again.
      const fresh = await this.repo.insertNotification({
        tenantId,
        kind: 'sms_notify',
        requestId,
        hipId: c.hip_id,
        transactionRef: null,
        patientId: c.patient_id,
        visitRef: c.visit_id,
      });
      if (!fresh) continue;
      if (!phoneNo) {
        await this.repo.failNotification(requestId, 'no Indian mobile number');
        continue;
      }
      await this.outbound.enqueueOutbound({
        tenantId,
        transactionRef: null,
        path: GATEWAY_PATHS.smsNotify,
        requestId,
        inReplyTo: null,
        body: { notification: { phoneNo, hip: { name: c.hip_name ?? c.hip_id, id: c.hip_id } } },
        headers: { 'X-HIP-ID': c.hip_id },
      });
      await this.audit.record({
        action: 'abdm_sms_notify_queued',
        entityType: 'patient',
        entityId: c.patient_id,
        details: { visit: c.visit_id, requestId },
      });
      queued++;
    }
    return queued;
  }

  async onNotify(row: InboxRow): Promise<void> {
    await recordOutcome(this.repo, this.audit, this.log, row, 'sms_notify');
  }
}
