import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { TransactionHost } from '@nestjs-cls/transactional';
import { APP_CONFIG, AppConfig } from '@hims/config';
import type { TxHost } from '@hims/database';
import { TenantScope } from '@hims/tenancy';
import { IndexRefresher } from './index-refresher';
import { SEARCH_ES_CLIENT, esStatus } from './elasticsearch';
import type { IndexOutcome, PatientEvent } from './patient-indexer';
import { VisitDocument, visitAlias } from './visit-document';

/** A visit event that can never be indexed (dead-lettered at once). */
export class InvalidVisitEventError extends Error {
  readonly permanent = true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VISIT_EVENTS = new Set([
  'visit.booked',
  'visit.status_changed',
  'visit.signed',
  'visit.amended',
  'visit.updated',
]);

interface VisitPayload {
  visitId?: unknown;
  patientId?: unknown;
  version?: unknown;
  attendingDoctorId?: unknown;
  department?: unknown;
  scheduledAt?: unknown;
  status?: unknown;
  to?: unknown;
  changedFields?: unknown;
}

/**
 * Keeps the visits index (visit-document.ts) in step with the visit events
 * (contracts/events/visit.*.schema.json). The payload carries what search
 * needs (doctor, time, status), except after visit.updated, which names the
 * changed fields only: then the visit's doctor and time are read from
 * clinical.visits in the event's tenant (RLS). Each event is merged into the
 * stored document and written with the visit's version as external version:
 * an event whose version is not newer than the document's is `stale`, both
 * before the write (checked on the stored document) and at it (409).
 */
@Injectable()
export class VisitIndexer {
  constructor(
    @Inject(SEARCH_ES_CLIENT) private readonly es: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scope: TenantScope,
    private readonly txHost: TransactionHost,
    private readonly refresher: IndexRefresher,
  ) {}

  get alias(): string {
    return visitAlias(this.config.elasticsearch.indexAlias);
  }

  async handle(event: PatientEvent): Promise<IndexOutcome> {
    if (event.aggregateType !== 'visit' || !VISIT_EVENTS.has(event.eventType)) return 'ignored';
    const p = event.payload as VisitPayload | null;
    if (p === null || typeof p !== 'object' || Array.isArray(p))
      throw new InvalidVisitEventError('payload is not an object');
    if (p.visitId !== event.aggregateId || !UUID.test(event.aggregateId))
      throw new InvalidVisitEventError('payload.visitId does not match the aggregate id');
    if (typeof p.patientId !== 'string' || !UUID.test(p.patientId))
      throw new InvalidVisitEventError('payload.patientId is not a uuid');
    if (!Number.isInteger(p.version) || (p.version as number) < 1)
      throw new InvalidVisitEventError('payload.version is not a positive integer');
    const version = p.version as number;
    const id = `${event.tenantId}:${event.aggregateId}`;

    const current = await this.current(id);
    if (current && current.version >= version) return 'stale';
    const doc: VisitDocument = {
      tenantId: event.tenantId,
      visitId: event.aggregateId,
      patientId: p.patientId.toLowerCase(),
      doctorId: current?.doctorId ?? null,
      department: current?.department ?? null,
      scheduledAt: current?.scheduledAt ?? null,
      day: null,
      status: current?.status ?? null,
      signed: current?.signed ?? false,
      version,
      indexedAt: new Date().toISOString(),
    };
    switch (event.eventType) {
      case 'visit.booked':
        doc.doctorId = str(p.attendingDoctorId, 'attendingDoctorId').toLowerCase();
        doc.department = str(p.department, 'department');
        doc.scheduledAt = time(p.scheduledAt);
        doc.status = str(p.status, 'status');
        break;
      case 'visit.status_changed':
        doc.status = str(p.to, 'to');
        break;
      case 'visit.signed':
        doc.signed = true;
        break;
      case 'visit.updated': {
        const changed = Array.isArray(p.changedFields) ? (p.changedFields as unknown[]) : [];
        if (changed.includes('attendingDoctorId') || changed.includes('scheduledAt')) {
          const row = await this.row(event);
          if (row) {
            doc.doctorId = row.attending_doctor_id;
            doc.scheduledAt = new Date(row.scheduled_at).toISOString();
          }
        }
        break;
      }
      default:
        break;
    }
    doc.day = doc.scheduledAt ? doc.scheduledAt.slice(0, 10) : null;

    try {
      await this.es.index({
        index: this.alias,
        id,
        version,
        version_type: 'external',
        require_alias: true,
        document: doc,
      });
      this.refresher.written(this.alias);
      return 'indexed';
    } catch (err) {
      if (esStatus(err) === 409) return 'stale';
      throw err;
    }
  }

  private async current(id: string): Promise<VisitDocument | null> {
    try {
      const res = await this.es.get<VisitDocument>({ index: this.alias, id, realtime: true });
      return res._source ?? null;
    } catch (err) {
      const e = err as { meta?: { body?: { found?: boolean } } };
      if (esStatus(err) === 404 && e.meta?.body?.found === false) return null;
      throw err;
    }
  }

  private row(event: PatientEvent): Promise<{ attending_doctor_id: string; scheduled_at: Date } | undefined> {
    return this.scope.run({ tenantId: event.tenantId, requestId: event.requestId ?? null }, async () => {
      const rows: { attending_doctor_id: string; scheduled_at: Date }[] = await (
        this.txHost as TxHost
      ).tx.query(`SELECT attending_doctor_id, scheduled_at FROM clinical.visits WHERE id = $1`, [
        event.aggregateId,
      ]);
      return rows[0];
    });
  }
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 100)
    throw new InvalidVisitEventError(`payload.${field} is missing or invalid`);
  return v;
}

function time(v: unknown): string {
  const d = typeof v === 'string' ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime())) throw new InvalidVisitEventError('payload.scheduledAt is not a time');
  return d.toISOString();
}
