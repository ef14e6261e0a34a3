import { Module } from '@nestjs/common';
import { EventsModule } from '@hims/events';
import { IdempotencyModule } from '@hims/idempotency';
import { PatientsModule } from '@hims/patients';
import { VisitDocumentService } from './visit-document.service';
import { PatientVisitsController, VisitsController } from './visits.controller';
import { VisitSigningService } from './visit-signing.service';
import { VisitsRepository } from './visits.repository';
import { VisitsService } from './visits.service';

/**
 * The visit rules without HTTP routes, for other modules (ABDM) and the worker: importing
 * it never mounts a controller. AuditRecorder and TenantScope come from global modules.
 */
@Module({
  imports: [EventsModule],
  providers: [VisitsService, VisitSigningService, VisitsRepository],
  exports: [VisitsService, VisitSigningService, VisitsRepository],
})
export class VisitRecordsModule {}

/** Outpatient visits over HTTP (the API imports this one). */
@Module({
  imports: [VisitRecordsModule, IdempotencyModule, PatientsModule],
  controllers: [PatientVisitsController, VisitsController],
  providers: [VisitDocumentService],
})
export class VisitsModule {}
