import { Module } from '@nestjs/common';
import { EventsModule } from '@hims/events';
import { IdempotencyModule } from '@hims/idempotency';
import { AuditRecorderModule } from '@hims/audit';
import { PatientRecordsModule, PatientsModule } from '@hims/patients';
import { TenantScopeModule } from '@hims/tenancy';
import { ClinicDayRepository } from './clinic-day.repository';
import { ClinicDayService } from './clinic-day.service';
import { DayVisitsController, DoctorsController, PrintController } from './clinic-day.controller';
import { VisitDocumentService } from './visit-document.service';
import { VisitPrintService } from './visit-print.service';
import { PatientVisitsController, VisitsController } from './visits.controller';
import { VisitSigningService } from './visit-signing.service';
import { VisitsRepository } from './visits.repository';
import { VisitsService } from './visits.service';

/**
 * The visit rules without HTTP routes, for other modules (ABDM) and the worker: importing
 * it never mounts a controller.
 */
@Module({
  imports: [TenantScopeModule, AuditRecorderModule, EventsModule],
  providers: [VisitsService, VisitSigningService, VisitsRepository],
  exports: [VisitsService, VisitSigningService, VisitsRepository],
})
export class VisitRecordsModule {}

/**
 * The signed visit's FHIR document (VisitDocumentService) without any HTTP route, for the
 * ABDM health-information transfer: it renders exactly what `GET /api/v1/visits/{id}/fhir` does.
 * Patients through their routeless module, so the worker mounts no patient controller.
 */
@Module({
  imports: [VisitRecordsModule, PatientRecordsModule, TenantScopeModule, AuditRecorderModule],
  providers: [VisitDocumentService],
  exports: [VisitDocumentService],
})
export class VisitDocumentsModule {}

/** Outpatient visits over HTTP (the API imports this one). */
@Module({
  imports: [VisitRecordsModule, VisitDocumentsModule, TenantScopeModule, IdempotencyModule, PatientsModule, AuditRecorderModule],
  providers: [ClinicDayRepository, ClinicDayService, VisitPrintService],
  // DayVisitsController before VisitsController: both live under /api/v1/visits.
  controllers: [PatientVisitsController, DayVisitsController, VisitsController, DoctorsController, PrintController],
})
export class VisitsModule {}
