import { Module } from '@nestjs/common';
import { PatientVisitsController, VisitsController } from './visits.controller';
import { VisitSigningService } from './visit-signing.service';
import { VisitsRepository } from './visits.repository';
import { VisitsService } from './visits.service';

/** Outpatient visits. AuditRecorder, OutboxWriter and TenantScope come from global modules. */
@Module({
  controllers: [PatientVisitsController, VisitsController],
  providers: [VisitsService, VisitSigningService, VisitsRepository],
  exports: [VisitsService],
})
export class VisitsModule {}
