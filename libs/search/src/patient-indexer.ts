import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { TenantScope } from '@hims/tenancy';
import { IndexRefresher } from './index-refresher';
import { SEARCH_ES_CLIENT, esStatus } from './elasticsearch';
import { PatientReader, type PatientRow } from '@hims/patients';
import { documentId, toDocument } from './patient-document';

/** The parts of a captured outbox event the indexer needs (see apps/worker). */
export interface PatientEvent {
  eventId: string;
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  payload: unknown;
  requestId?: string | null;
}

export type IndexOutcome = 'indexed' | 'stale' | 'missing' | 'ignored';

/** An event that can never be indexed, however often it is retried (goes to the dead-letter topic). */
export class InvalidPatientEventError extends Error {
  readonly permanent = true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Keeps the patient index in step with PostgreSQL. Events carry no PHI, so
 * each one is a signal to read the patient's current row (as the application
 * role, in the event's tenant) and index it with the row's version as the
 * document's external version: a duplicate or late event carries an older
 * or equal version, Elasticsearch answers 409, and the newer document stays.
 */
@Injectable()
export class PatientIndexer {
  constructor(
    @Inject(SEARCH_ES_CLIENT) private readonly es: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scope: TenantScope,
    private readonly reader: PatientReader,
    private readonly refresher: IndexRefresher,
  ) {}

  async handle(event: PatientEvent): Promise<IndexOutcome> {
    if (event.aggregateType !== 'patient') return 'ignored';
    if (!UUID.test(event.aggregateId ?? '')) throw new InvalidPatientEventError('aggregate id is not a uuid');
    const payload = event.payload as { patientId?: unknown; version?: unknown } | null;
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new InvalidPatientEventError('payload is not an object');
    }
    if (payload.patientId !== undefined && payload.patientId !== event.aggregateId) {
      throw new InvalidPatientEventError('payload.patientId does not match the aggregate id');
    }
    const row = await this.scope.run({ tenantId: event.tenantId, requestId: event.requestId ?? null }, () =>
      this.reader.byId(event.aggregateId),
    );
    if (!row) return 'missing';
    return this.index(row);
  }

  async index(row: PatientRow): Promise<IndexOutcome> {
    try {
      await this.es.index({
        index: this.config.elasticsearch.indexAlias,
        id: documentId(row.tenant_id, row.id),
        version: row.version,
        version_type: 'external',
        require_alias: true,
        document: toDocument(row),
      });
      this.refresher.written(this.config.elasticsearch.indexAlias);
      return 'indexed';
    } catch (err) {
      if (esStatus(err) === 409) return 'stale';
      throw err;
    }
  }
}
