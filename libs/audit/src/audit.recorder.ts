import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { TenantScope } from '@hims/tenancy';
import { traced } from '@hims/tracing';

export interface AuditEntry {
  /** e.g. `read`, `search`, `fhir_read`, `allow_duplicate`, `login`. Row changes are captured by triggers. */
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Application-level audit entries (reads, searches, decisions), appended to the
 * tenant's hash chain in the current request transaction via audit.append().
 */
@Injectable()
export class AuditRecorder {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly scope: TenantScope,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const tenantId = this.scope.tenantId;
    if (!tenantId) throw new Error('AuditRecorder.record called outside a tenant scope');
    // Span attributes: the action and entity, never the details (docs/tracing.md).
    await traced(
      'audit append',
      { 'hims.audit.action': entry.action, 'hims.audit.entity_type': entry.entityType },
      () =>
        (this.txHost as TxHost).tx.query(`SELECT audit.append($1, $2, $3, $4, NULL, $5)`, [
          tenantId,
          entry.action,
          entry.entityType,
          entry.entityId ?? null,
          entry.details ? JSON.stringify(entry.details) : null,
        ]),
    );
  }
}

/**
 * SQL that appends an application audit entry for a row of the same statement
 * (e.g. a read: `WITH p AS (SELECT …), a AS (SELECT ${auditAppendSql(...)} FROM p) …`),
 * so an audited read costs one round trip. Arguments are SQL expressions.
 */
export function auditAppendSql(
  tenantSql: string,
  actionSql: string,
  entityTypeSql: string,
  entityIdSql: string,
  detailsSql = 'NULL',
): string {
  return `audit.append(${tenantSql}, ${actionSql}, ${entityTypeSql}, ${entityIdSql}, NULL, ${detailsSql})`;
}
