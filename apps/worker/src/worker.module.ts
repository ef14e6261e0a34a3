import { Inject, Module, OnModuleInit } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { LoggerModule } from 'nestjs-pino';
import { AnalyticsProjectorModule } from '@hims/analytics';
import { AbdmModule } from '@hims/abdm';
import { AuditSealerModule } from '@hims/audit';
import { APP_CONFIG, AppConfig, ConfigModule } from '@hims/config';
import { DatabaseModule } from '@hims/database';
import { ObservabilityModule, ReadinessChecks, loggerParams } from '@hims/observability';
import { SEARCH_ES_CLIENT, SearchIndexerModule, elasticsearchCheck } from '@hims/search';
import { OutboxPurger } from './outbox-purger';

/**
 * The worker: Kafka consumers (attached in worker-app.ts), the outbox purge
 * job, the audit sealer, the ABDM bridge's processor (inbox and on-* calls), and a small HTTP
 * surface on WORKER_PORT for /health and /metrics. Each module imports the routeless parts it
 * needs (tenant scope, audit recorder, patient and visit records): no API route is mounted here.
 */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => loggerParams(c.logLevel),
    }),
    DatabaseModule,
    ObservabilityModule,
    SearchIndexerModule,
    AnalyticsProjectorModule,
    AuditSealerModule,
    AbdmModule.forWorker(),
  ],
  providers: [OutboxPurger],
})
export class WorkerModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SEARCH_ES_CLIENT) private readonly es: Client,
    private readonly readiness: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness.register(elasticsearchCheck(this.es, this.config.elasticsearch.indexAlias, 'degraded'));
  }
}
