import { Module } from '@nestjs/common';
import { EventsModule } from '@hims/events';
import { IdempotencyModule } from '@hims/idempotency';
import { PatientsModule, PatientsRepository, PatientsService } from '@hims/patients';
import { TenantsRepository } from '@hims/tenancy';
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

/**
 * The signed visit's FHIR document (VisitDocumentService) without any HTTP route, for the
 * ABDM health-information transfer: it renders exactly what `GET /api/v1/visits/{id}/fhir` does.
 * Provides its own PatientsService (and the tenant lookup it needs, which the worker has no
 * global module for) so the worker mounts no patient or tenancy controller.
 */
@Module({
  imports: [VisitRecordsModule],
  providers: [VisitDocumentService, PatientsService, PatientsRepository, TenantsRepository],
  exports: [VisitDocumentService],
})
export class VisitDocumentsModule {}

/** Outpatient visits over HTTP (the API imports this one). */
@Module({
  imports: [VisitRecordsModule, IdempotencyModule, PatientsModule],
  controllers: [PatientVisitsController, VisitsController],
  providers: [VisitDocumentService],
})
export class VisitsModule {}
