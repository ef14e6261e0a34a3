import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { TenantScope } from '@hims/tenancy';

export interface DomainEvent {
  aggregateType: 'patient' | 'user' | 'tenant' | 'visit';
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
    const rows: { id: string }[] = await (this.txHost as TxHost).tx.query(
      `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id, actor_id, schema_version)
       VALUES ($1, $2, $3, $4, $5, NULLIF(current_setting('app.request_id', true), ''),
               NULLIF(current_setting('app.current_user', true), '')::uuid, $6)
       RETURNING id`,
      [
        tenantId,
        event.aggregateType,
        event.aggregateId,
        event.eventType,
        JSON.stringify(event.payload),
        event.schemaVersion ?? 1,
      ],
    );
    return rows[0].id;
  }
}

/**
 * SQL for a data-modifying CTE that appends one outbox row for each row of `source`
 * (an earlier CTE of the same statement with `tenant_id` and `id` columns), so a
 * write and its event cost one round trip. `payloadSql` builds the payload from the
 * source row (aliased `s`) and the statement's parameters; the same columns and
 * rules as OutboxWriter.append.
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
  return `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload, request_id, actor_id,
                              schema_version)
     SELECT s.tenant_id, ${literal(event.aggregateType)}, s.id, ${literal(event.eventType)}, ${event.payloadSql},
            NULLIF(current_setting('app.request_id', true), ''),
            NULLIF(current_setting('app.current_user', true), '')::uuid, ${Number(event.schemaVersion ?? 1)}
       FROM ${source} s
     RETURNING id`;
}
