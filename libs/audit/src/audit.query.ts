import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TxHost } from '@hims/database';
import { decodeCursor, encodeCursor, ProblemException } from '@hims/errors';
import { AuditRecorder } from './audit.recorder';
import type { AuditEntryView, AuditPage, AuditQueryDto } from './audit-query.dto';

interface AuditRow {
  entry_id: string;
  at_us: string;
  seq: string | null;
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  changes: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
  prev_hash: Buffer | null;
  hash: Buffer | null;
}

export const DEFAULT_AUDIT_LIMIT = 50;

/** Keyset position: the row's time in microseconds since the epoch and its entry_id, as `t_e`. */
interface AuditPosition {
  atMicros: string;
  entryId: string;
}

function encodeAuditCursor(p: AuditPosition): string {
  return encodeCursor({ k: `${p.atMicros}_${p.entryId}` });
}

function decodeAuditCursor(cursor: string): AuditPosition {
  return decodeCursor(cursor, ({ k }) => {
    const m = typeof k === 'string' ? /^(\d{1,16})_(\d{1,18})$/.exec(k) : null;
    return m ? { atMicros: m[1], entryId: m[2] } : undefined;
  });
}

/**
 * Reads the current tenant's audit trail (RLS confines it), newest first: by
 * occurred_at, then entry_id (a row has both at once, its chain seq only once
 * sealed), keyset-paginated on that pair. Every filter has an index led by the
 * tenant and ending in (occurred_at, entry_id) (migration 1763809000000), so a
 * page, with or without a time window, is one index range read backwards that
 * stops after `limit + 1` rows (plans in docs/audit.md). Each query is itself
 * audited (`audit_query`).
 */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly recorder: AuditRecorder,
  ) {}

  async query(q: AuditQueryDto): Promise<AuditPage> {
    if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'to', message: 'to must be later than from' }],
      });
    }
    const limit = q.limit ?? DEFAULT_AUDIT_LIMIT;
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [`tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::uuid`];
    if (q.entityId) where.push(`entity_id = ${p(q.entityId)}`);
    if (q.actorId) where.push(`actor_id = ${p(q.actorId)}::uuid`);
    if (q.action) where.push(`action = ${p(q.action)}`);
    if (q.entityType) where.push(`entity_type = ${p(q.entityType)}`);
    if (q.from) where.push(`occurred_at >= ${p(q.from)}::timestamptz`);
    if (q.to) where.push(`occurred_at < ${p(q.to)}::timestamptz`);
    if (q.cursor) {
      const after = decodeAuditCursor(q.cursor);
      // float8 holds every microsecond count below 2^53 (year 2255) exactly.
      where.push(
        `(occurred_at, entry_id) < ('epoch'::timestamptz + ${p(after.atMicros)}::float8 * interval '1 microsecond', ${p(after.entryId)}::bigint)`,
      );
    }
    const rows: AuditRow[] = await (this.txHost as TxHost).tx.query(
      `SELECT entry_id::text AS entry_id, (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS at_us,
              seq::text AS seq, id, occurred_at, actor_id, request_id, action, entity_type, entity_id, changes, details,
              prev_hash, hash
         FROM audit.audit_log WHERE ${where.join(' AND ')}
        ORDER BY audit_log.occurred_at DESC, audit_log.entry_id DESC LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const filters = Object.fromEntries(
      Object.entries({
        entityId: q.entityId,
        actorId: q.actorId,
        action: q.action,
        entityType: q.entityType,
        from: q.from,
        to: q.to,
      }).filter(([, v]) => v !== undefined),
    );
    await this.recorder.record({
      action: 'audit_query',
      entityType: 'audit',
      details: { filters, returned: page.length, page: q.cursor ? 'next' : 'first' },
    });
    return {
      items: page.map(toView),
      nextCursor:
        rows.length > limit
          ? encodeAuditCursor({
              atMicros: page[page.length - 1].at_us,
              entryId: page[page.length - 1].entry_id,
            })
          : null,
    };
  }
}

function toView(r: AuditRow): AuditEntryView {
  return {
    seq: r.seq === null ? null : Number(r.seq),
    id: r.id,
    occurredAt: new Date(r.occurred_at).toISOString(),
    actorId: r.actor_id,
    requestId: r.request_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    changes: r.changes,
    details: r.details,
    prevHash: r.prev_hash?.toString('hex') ?? null,
    hash: r.hash?.toString('hex') ?? null,
  };
}
