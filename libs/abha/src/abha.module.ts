import { Module } from '@nestjs/common';
import { AuditRecorderModule } from '@hims/audit';
import { IdempotencyModule } from '@hims/idempotency';
import { PatientRecordsModule } from '@hims/patients';
import { TenantScopeModule } from '@hims/tenancy';
import { AbhaClient } from './abha.client';
import { ABHA_CONFIG, loadAbhaConfig } from './abha.config';
import { AbhaController } from './abha.controller';
import { AbhaCounterService } from './abha-counter.service';
import { AbhaEnrolmentService } from './abha-enrolment.service';
import { AbhaFlowSupport } from './abha-flow-support';
import { AbhaFlowsRepository } from './abha-flows.repository';
import { AbhaLoginService } from './abha-login.service';
import { AbhaRegistrationService } from './abha-registration.service';

/** ABHA at the registration counter over HTTP (the API imports it). */
@Module({
  imports: [TenantScopeModule, AuditRecorderModule, IdempotencyModule, PatientRecordsModule],
  controllers: [AbhaController],
  providers: [
    { provide: ABHA_CONFIG, useFactory: () => loadAbhaConfig() },
    AbhaClient,
    AbhaFlowsRepository,
    AbhaFlowSupport,
    AbhaEnrolmentService,
    AbhaLoginService,
    AbhaCounterService,
    AbhaRegistrationService,
  ],
})
export class AbhaModule {}
