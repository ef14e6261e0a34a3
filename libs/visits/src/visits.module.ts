import { Module } from '@nestjs/common';
import { EventsModule } from '@hims/events';
import { IdempotencyModule } from '@hims/idempotency';
import { PatientVisitsController, VisitsController } from './visits.controller';
import { VisitSigningService } from './visit-signing.service';
import { VisitsRepository } from './visits.repository';
import { VisitsService } from './visits.service';

/** Outpatient visits. AuditRecorder and TenantScope come from global modules; the outbox and idempotency store are imported, so the worker (fewer globals) can use it too. */
@Module({
  imports: [EventsModule, IdempotencyModule],
  controllers: [PatientVisitsController, VisitsController],
  providers: [VisitsService, VisitSigningService, VisitsRepository],
  exports: [VisitsService],
})
export class VisitsModule {}
