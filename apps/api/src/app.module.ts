import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, ConfigModule } from '@hims/config';
import { DatabaseModule } from '@hims/database';
import { ObservabilityModule, loggerParams } from '@hims/observability';
import { TenancyModule } from '@hims/tenancy';

/** The HTTP API: wires domain modules together; holds no rules of its own. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig) => loggerParams(c.logLevel) }),
    DatabaseModule,
    ObservabilityModule,
    TenancyModule,
  ],
})
export class AppModule {}
