import { Injectable } from '@nestjs/common';
import { ProblemException } from '@hims/errors';
import { AbhaEnrolmentService } from './abha-enrolment.service';
import { AbhaFlowSupport } from './abha-flow-support';
import type { FlowRow } from './abha-flows.repository';
import { AbhaLoginService } from './abha-login.service';

/** One OTP box at the counter: the flow's purpose and state say which OTP it is. */
@Injectable()
export class AbhaCounterService {
  constructor(
    private readonly support: AbhaFlowSupport,
    private readonly enrolment: AbhaEnrolmentService,
    private readonly login: AbhaLoginService,
  ) {}

  async submitOtp(id: string, otp: string, mobile: string | undefined): Promise<FlowRow> {
    const flow = await this.support.live(id);
    if (flow.purpose === 'verify') return this.login.verifyOtp(id, otp);
    if (flow.state === 'mobile-otp-sent') return this.enrolment.verifyMobileOtp(id, otp);
    if (!mobile) {
      throw new ProblemException('validation', 'Enrolment needs the mobile to put on the ABHA', {
        errors: [{ field: 'mobile', message: 'mobile is required with the Aadhaar OTP' }],
      });
    }
    return this.enrolment.verifyAadhaarOtp(id, otp, mobile);
  }
}
