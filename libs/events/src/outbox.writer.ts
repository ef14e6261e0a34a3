import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { TenantScope } from '@hims/tenancy';
import { currentTraceCarrier, traced } from '@hims/tracing';

export interface DomainEvent {
  aggregateType: 'patient' | 'user' | 'tenant' | 'visit' | 'appointment' | 'queue' | 'billing';
  aggregateId: string;
  /** `<aggregate>.<past-tense verb>`, e.g. patient.registered; schema in contracts/events/. */
  eventType: string;
  /** Ids, versions and names of changed fields: never secrets, and no more PHI than the consumers need. */
  payload: Record<string, unknown>;
  schemaVersion?: number;
}

/**
 * Writes domain events to events.outbox inside the current request
 * transaction, so an event exists exactly when its change committed.
 * Debezium captures the insert from the WAL and publishes it to Kafka.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly scope: TenantScope,
  ) {}

  async append(event: DomainEvent): Promise<string> {
    const tenantId = this.scope.tenantId;
    if (!tenantId) throw new Error('OutboxWriter.append called outside a tenant scope');
    // Tracing (docs/tracing.md): the row carries the W3C context of this "outbox write" span
    // (NULLs when tracing is off); Debezium passes it on as Kafka headers and the worker's
    // handling of the event becomes part of the same trace.
    return traced(
      'outbox write',
      {
        'hims.event.type': event.eventType,
        'hims.aggregate.type': event.aggregateType,
        'hims.aggregate.id': event.aggregateId,
      },
      async () => {
        const trace = currentTraceCarrier();
        const rows: { id: string }[] = await (this.txHost as TxHost).tx.query(
          `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id, actor_id,
                                      schema_version, traceparent, tracestate)
           VALUES ($1, $2, $3, $4, $5, NULLIF(current_setting('app.request_id', true), ''),
                   NULLIF(current_setting('app.current_user', true), '')::uuid, $6, $7, $8)
           RETURNING id`,
          [
            tenantId,
            event.aggregateType,
            event.aggregateId,
            event.eventType,
            JSON.stringify(event.payload),
            event.schemaVersion ?? 1,
            trace.traceparent,
            trace.tracestate,
          ],
        );
        return rows[0].id;
      },
    );
  }
}

/**
 * SQL for a data-modifying CTE that appends one outbox row for each row of `source`
 * (an earlier CTE of the same statement with `tenant_id` and `id` columns), so a
 * write and its event cost one round trip. `payloadSql` builds the payload from the
 * source row (aliased `s`) and the statement's parameters; the same columns and
 * rules as OutboxWriter.append. The trace context is the one active when the SQL is
 * built (callers build it right before running it, inside their "outbox write" span);
 * it is validated by currentTraceCarrier() and quoted, so it is safe as a literal
 * and leaves the caller's parameter numbering alone.
 */
export function outboxInsertSql(
  source: string,
  event: {
    aggregateType: DomainEvent['aggregateType'];
    eventType: string;
    payloadSql: string;
    schemaVersion?: number;
  },
): string {
  const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const trace = currentTraceCarrier();
  const orNull = (v: string | null) => (v === null ? 'NULL' : literal(v));
  return `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id, actor_id,
                              schema_version, traceparent, tracestate)
     SELECT s.tenant_id, ${literal(event.aggregateType)}, s.id, ${literal(event.eventType)}, ${event.payloadSql},
            NULLIF(current_setting('app.request_id', true), ''),
            NULLIF(current_setting('app.current_user', true), '')::uuid, ${Number(event.schemaVersion ?? 1)},
            ${orNull(trace.traceparent)}, ${orNull(trace.tracestate)}
       FROM ${source} s
     RETURNING id`;
}
