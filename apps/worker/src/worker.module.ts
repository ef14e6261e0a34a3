import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { LoggerModule } from 'nestjs-pino';
import { AnalyticsProjectorModule } from '@hims/analytics';
import { AbdmModule } from '@hims/abdm';
import { AuditRecorder, AuditSealerModule } from '@hims/audit';
import { APP_CONFIG, AppConfig, ConfigModule } from '@hims/config';
import { DatabaseModule } from '@hims/database';
import { ObservabilityModule, ReadinessChecks, loggerParams } from '@hims/observability';
import { SEARCH_ES_CLIENT, SearchIndexerModule, elasticsearchCheck } from '@hims/search';
import { TenantScope, TenantsRepository } from '@hims/tenancy';
import { OutboxPurger } from './outbox-purger';

/** TenantScope (and the tenants' settings) without the HTTP tenant interceptor: the worker sets the tenant from each event. */
@Global()
@Module({ providers: [TenantScope, TenantsRepository], exports: [TenantScope, TenantsRepository] })
export class WorkerTenancyModule {}

/** AuditRecorder without the audit HTTP endpoints: the ABDM processor audits what it does. */
@Global()
@Module({ providers: [AuditRecorder], exports: [AuditRecorder] })
export class WorkerAuditModule {}

/**
 * The worker: Kafka consumers (attached in worker-app.ts), the outbox purge
 * job, the audit sealer, the ABDM bridge's processor (inbox and on-* calls), and a small HTTP surface on WORKER_PORT for /health and /metrics.
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
    WorkerTenancyModule,
    SearchIndexerModule,
    AnalyticsProjectorModule,
    AuditSealerModule,
    WorkerAuditModule,
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
