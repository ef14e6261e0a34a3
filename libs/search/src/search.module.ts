import { Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { ReadinessChecks } from '@hims/observability';
import { AuditRecorderModule } from '@hims/audit';
import { PatientRecordsModule, PatientsModule } from '@hims/patients';
import { TenantScopeModule } from '@hims/tenancy';
import { DatabasePatientSearch } from './database-patient-search';
import { SEARCH_ES_CLIENT, createEsClient } from './elasticsearch';
import { IndexRefresher } from './index-refresher';
import { PatientIndexer } from './patient-indexer';
import { VisitIndexer } from './visit-indexer';
import { PatientSearchService } from './patient-search.service';
import { KafkaProbe, elasticsearchCheck } from './pipeline-health';
import { SearchController } from './search.controller';

const esClientProvider = (requestTimeoutMs: number) => ({
  provide: SEARCH_ES_CLIENT,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createEsClient(config.elasticsearch.url, { requestTimeoutMs }),
});

/**
 * The API side: GET /api/v1/search/patients, and readiness for Kafka and
 * Elasticsearch when they are enabled (degraded, not down: search still
 * answers from PostgreSQL and the outbox buffers events).
 */
@Module({
  imports: [PatientsModule, TenantScopeModule, AuditRecorderModule],
  controllers: [SearchController],
  providers: [esClientProvider(2500), PatientSearchService, DatabasePatientSearch],
  exports: [PatientSearchService],
})
export class SearchModule implements OnModuleInit, OnApplicationShutdown {
  private kafka?: KafkaProbe;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SEARCH_ES_CLIENT) private readonly es: Client,
    private readonly readiness: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    if (this.config.elasticsearch.enabled) {
      this.readiness.register(elasticsearchCheck(this.es, this.config.elasticsearch.indexAlias, 'degraded'));
    }
    if (this.config.kafka.enabled) {
      this.kafka = new KafkaProbe(this.config.kafka.brokers, this.config.kafka.clientId);
      this.readiness.register(this.kafka.check('degraded'));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka?.close();
    await this.es.close();
  }
}

/** The worker side: keeps the patient index in step with PostgreSQL, and the visits index with the visit events. */
@Module({
  imports: [PatientRecordsModule, TenantScopeModule],
  providers: [esClientProvider(10000), IndexRefresher, PatientIndexer, VisitIndexer],
  exports: [PatientIndexer, VisitIndexer, IndexRefresher, SEARCH_ES_CLIENT],
})
export class SearchIndexerModule implements OnApplicationShutdown {
  constructor(@Inject(SEARCH_ES_CLIENT) private readonly es: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.es.close();
  }
}
