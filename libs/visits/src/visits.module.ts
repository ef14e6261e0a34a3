import { Module } from '@nestjs/common';
import { VisitsRepository } from './visits.repository';
import { VisitsService } from './visits.service';

/** Outpatient visits. AuditRecorder and TenantScope come from global modules. */
@Module({
  providers: [VisitsService, VisitsRepository],
  exports: [VisitsService],
})
export class VisitsModule {}
