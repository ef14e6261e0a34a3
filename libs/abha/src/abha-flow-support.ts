import { Inject, Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { ABHA_CONFIG, AbhaConfig } from './abha.config';
import { AbhaFlowsRepository, FlowRow } from './abha-flows.repository';
import { flowNotFound } from './abha-steps';

/** What every counter step shares: the switch, the clinic's OTP budget, the live flow and its audit line. */
@Injectable()
export class AbhaFlowSupport {
  constructor(
    readonly flows: AbhaFlowsRepository,
    private readonly audit: AuditRecorder,
    @Inject(ABHA_CONFIG) readonly config: AbhaConfig,
  ) {}

  requireEnabled(): void {
    if (!this.config.enabled) {
      throw new ProblemException(
        'abhaUnavailable',
        'ABHA is not set up for this installation; register the patient by hand',
      );
    }
  }

  /** The flow, locked for this request; 404 when unknown, another clinic's or expired. */
  async live(id: string): Promise<FlowRow> {
    this.requireEnabled();
    const flow = await this.flows.findLive(id);
    if (!flow) throw flowNotFound();
    return flow;
  }

  /** Our own per-clinic budget of OTP requests (the service keeps its own too). */
  async checkClinicLimit(): Promise<void> {
    this.requireEnabled();
    if ((await this.flows.otpRequestsInLastHour()) >= this.config.otpRequestsPerHour) {
      throw new ProblemException(
        'abhaRateLimited',
        `This clinic has asked for ${this.config.otpRequestsPerHour} ABHA OTPs in the last hour; try again later`,
        {},
        { 'Retry-After': '600' },
      );
    }
  }

  /** Ids, the step and its outcome: never an identifier, OTP or token. */
  record(flow: FlowRow, action: string, details: Record<string, unknown> = {}): Promise<void> {
    return this.audit.record({
      action,
      entityType: 'abha_flow',
      entityId: flow.id,
      details: { purpose: flow.purpose, method: flow.method, state: flow.state, ...details },
    });
  }
}
