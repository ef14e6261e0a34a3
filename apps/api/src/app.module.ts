import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, ConfigModule } from '@hims/config';
import { DatabaseModule } from '@hims/database';
import { ObservabilityModule, loggerParams } from '@hims/observability';
import { TenancyModule } from '@hims/tenancy';
import { AuditModule } from '@hims/audit';
import { EventsModule } from '@hims/events';
import { AuthModule } from '@hims/auth';
import { PatientsModule } from '@hims/patients';
import { VisitsModule } from '@hims/visits';
import { SchedulingModule } from '@hims/scheduling';
import { QueueModule } from '@hims/queue';
import { SearchModule } from '@hims/search';
import { AnalyticsModule } from '@hims/analytics';
import { IdempotencyModule } from '@hims/idempotency';
import { AbdmModule } from '@hims/abdm';
import { PlatformModule } from '@hims/platform';
import { BillingModule } from '@hims/billing';
import { AbhaModule } from '@hims/abha';

/** The HTTP API: wires domain modules together; holds no rules of its own. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => loggerParams(c.logLevel),
    }),
    DatabaseModule,
    ObservabilityModule,
    TenancyModule,
    IdempotencyModule,
    AuditModule,
    EventsModule,
    AuthModule,
    PatientsModule,
    VisitsModule,
    SchedulingModule,
    QueueModule,
    SearchModule,
    AnalyticsModule,
    AbdmModule.forApi(),
    PlatformModule,
    BillingModule,
    AbhaModule,
  ],
})
export class AppModule {}
