/**
 * Public face of doctors' schedules, slots and appointments (docs/appointments.md).
 * - SchedulingModule: the HTTP routes (the API imports it); SchedulingRecordsModule: the services without routes.
 * - SchedulesService, AppointmentsService: run inside a TenantScope transaction; audited; 404 for foreign ids.
 * - localDay(instant, timeZone): the clinic-local calendar day of an instant.
 */
export { SchedulingModule, SchedulingRecordsModule } from './scheduling.module';
export { SchedulesService } from './schedules.service';
export { AppointmentsService, localDay } from './appointments.service';
