import { Module } from '@nestjs/common';
import { AuditRecorderModule } from '@hims/audit';
import { EventsModule } from '@hims/events';
import { IdempotencyModule } from '@hims/idempotency';
import { TenantScopeModule } from '@hims/tenancy';
import { VisitRecordsModule } from '@hims/visits';
import { DisplayController } from './display.controller';
import { DisplayRepository } from './display.repository';
import { DisplayService } from './display.service';
import { QueueController } from './queue.controller';
import { QueueNotifier } from './queue-notifier';
import { QueueRepository } from './queue.repository';
import { QueueService } from './queue.service';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';
import { WaitAnalyticsRepository } from './wait-analytics.repository';

/** The queue's rules without routes: for appointments' check-in and ABDM scan-and-share. */
@Module({
  imports: [TenantScopeModule, AuditRecorderModule, EventsModule, VisitRecordsModule],
  providers: [QueueRepository, QueueService, RemindersRepository, RemindersService],
  exports: [QueueService, RemindersService],
})
export class QueueRecordsModule {}

/** The OPD queue over HTTP, the waiting-room display and its live stream (the API imports this one). */
@Module({
  imports: [QueueRecordsModule, TenantScopeModule, AuditRecorderModule, IdempotencyModule],
  providers: [QueueRepository, DisplayRepository, DisplayService, QueueNotifier, WaitAnalyticsRepository],
  controllers: [QueueController, DisplayController],
})
export class QueueModule {}
