import { Module } from '@nestjs/common';
import { AuditRecorderModule } from '@hims/audit';
import { EventsModule } from '@hims/events';
import { IdempotencyModule } from '@hims/idempotency';
import { QueueRecordsModule } from '@hims/queue';
import { TenantScopeModule } from '@hims/tenancy';
import { VisitRecordsModule } from '@hims/visits';
import { AppointmentSettingsRepository } from './appointment-settings.repository';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentsService } from './appointments.service';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';
import { SlotsRepository } from './slots.repository';

/** Schedules, slots and appointments without routes (for other modules and the worker). */
@Module({
  imports: [TenantScopeModule, AuditRecorderModule, EventsModule, VisitRecordsModule, QueueRecordsModule],
  providers: [
    SchedulesRepository,
    SchedulesService,
    SlotsRepository,
    AppointmentsRepository,
    AppointmentsService,
    AppointmentSettingsRepository,
  ],
  exports: [SchedulesService, AppointmentsService],
})
export class SchedulingRecordsModule {}

/** Schedules and appointments over HTTP (the API imports this one). */
@Module({
  imports: [SchedulingRecordsModule, TenantScopeModule, IdempotencyModule],
  controllers: [SchedulesController, AppointmentsController],
})
export class SchedulingModule {}
