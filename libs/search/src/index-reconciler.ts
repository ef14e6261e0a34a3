import type { Client } from '@elastic/elasticsearch';
import type { DataSource, EntityManager } from 'typeorm';
import { PatientReader } from '@hims/patients';
import { documentId, toDocument } from './patient-document';
import { visitAlias } from './visit-document';
import { asOwnerInTenant } from '@hims/database';

/** What one pass found and repaired in one index of one tenant. */
export interface DriftCounts {
  checked: number;
  missing: number;
  stale: number;
  orphaned: number;
}

export interface TenantReconciliation {
  tenantId: string;
  patients: DriftCounts;
  visits: DriftCounts;
}

export interface ReconcilerOptions {
  /** Rows compared per batch (one keyset page of PostgreSQL, the same id range of the index). */
  batchSize: number;
  /** Share of wall time spent working, percent: after a batch that took t ms it sleeps t·(100−s)/s. */
  sharePercent: number;
}

interface Kind {
  name: 'patients' | 'visits';
  alias: string;
  idField: 'patientId' | 'visitId';
  page(
    tx: EntityManager,
    after: string,
    limit: number,
  ): Promise<{ id: string; version: number; doc: object }[]>;
}

type EsDoc = { id: string; version: number; seqNo: number; primaryTerm: number };
const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * Anti-entropy for the search indices (docs/operations.md): per tenant, in bounded batches
 * in id order, PostgreSQL's (id, version) against the index's (id, external version) over the
 * same id range. Missing and stale documents are written from the row (external version, so a
 * newer document written meanwhile wins with a 409); orphans (no row) are deleted only if
 * unchanged since they were read (if_seq_no), so a document indexed meanwhile survives.
 * Throttled by sleeping between batches. Reads run as the given role with the tenant set.
 */
export class IndexReconciler {
  private readonly kinds: Kind[];

  constructor(
    private readonly es: Client,
    private readonly db: DataSource,
    patientAlias: string,
    private readonly opts: ReconcilerOptions,
  ) {
    this.kinds = [
      {
        name: 'patients',
        alias: patientAlias,
        idField: 'patientId',
        page: async (tx, after, limit) => {
          const rows = await PatientReader.pageInIdOrder(tx, after, null, limit);
          const now = new Date();
          return rows.map((r) => ({ id: r.id, version: r.version, doc: toDocument(r, now) }));
        },
      },
      {
        name: 'visits',
        alias: visitAlias(patientAlias),
        idField: 'visitId',
        page: async (tx, after, limit) => {
          const rows: VisitRow[] = await tx.query(
            `SELECT tenant_id, id, patient_id, attending_doctor_id, department, scheduled_at, status, signed_at, version
               FROM clinical.visits WHERE id > $1 ORDER BY id LIMIT $2`,
            [after, limit],
          );
          const now = new Date().toISOString();
          return rows.map((r) => ({ id: r.id, version: r.version, doc: visitDocument(r, now) }));
        },
      },
    ];
  }

  /** Every tenant in PostgreSQL, or the given ones. */
  async run(
    tenantIds?: string[],
    log: (line: string) => void = () => undefined,
  ): Promise<TenantReconciliation[]> {
    const tenants =
      tenantIds ??
      ((await this.db.query(`SELECT id FROM core.tenants ORDER BY id`)) as { id: string }[]).map((t) => t.id);
    const results: TenantReconciliation[] = [];
    for (const tenantId of tenants) {
      const [patients, visits] = [
        await this.reconcile(tenantId, this.kinds[0]),
        await this.reconcile(tenantId, this.kinds[1]),
      ];
      results.push({ tenantId, patients, visits });
      if (
        patients.missing +
          patients.stale +
          patients.orphaned +
          visits.missing +
          visits.stale +
          visits.orphaned >
        0
      )
        log(`tenant ${tenantId}: patients ${fmt(patients)}; visits ${fmt(visits)}`);
    }
    for (const kind of this.kinds)
      await this.es.indices.refresh({ index: kind.alias }).catch(() => undefined);
    return results;
  }

  private async reconcile(tenantId: string, kind: Kind): Promise<DriftCounts> {
    const counts: DriftCounts = { checked: 0, missing: 0, stale: 0, orphaned: 0 };
    let after = NIL;
    for (;;) {
      const started = Date.now();
      const rows = await asOwnerInTenant(this.db, tenantId, (tx) =>
        kind.page(tx, after, this.opts.batchSize),
      );
      const last = rows.length === this.opts.batchSize ? rows[rows.length - 1].id : null; // null: up to the end
      const indexed = await this.indexedRange(kind, tenantId, after, last);
      const ops: object[] = [];
      for (const row of rows) {
        const doc = indexed.get(row.id);
        indexed.delete(row.id);
        if (doc && doc.version >= row.version) continue;
        if (doc) counts.stale++;
        else counts.missing++;
        // A missing document may have left a tombstone of the same version (a delete is
        // remembered for index.gc_deletes): external_gte rewrites it; a stale one must be newer.
        const versionType = doc ? 'external' : 'external_gte';
        ops.push(
          {
            index: {
              _index: kind.alias,
              _id: documentId(tenantId, row.id),
              version: row.version,
              version_type: versionType,
            },
          },
          row.doc,
        );
      }
      for (const orphan of indexed.values()) {
        counts.orphaned++;
        ops.push({
          delete: {
            _index: kind.alias,
            _id: documentId(tenantId, orphan.id),
            if_seq_no: orphan.seqNo,
            if_primary_term: orphan.primaryTerm,
          },
        });
      }
      if (ops.length) await this.write(ops);
      counts.checked += rows.length;
      if (last === null) return counts;
      after = last;
      await this.pause(Date.now() - started);
    }
  }

  /** The tenant's documents with ids in (after, last], or (after, ∞) when last is null. */
  private async indexedRange(
    kind: Kind,
    tenantId: string,
    after: string,
    last: string | null,
  ): Promise<Map<string, EsDoc>> {
    const docs = new Map<string, EsDoc>();
    let searchAfter: string[] | undefined;
    for (;;) {
      const res = await this.es.search<Record<string, string>>({
        index: kind.alias,
        size: 1000,
        version: true,
        seq_no_primary_term: true,
        _source: [kind.idField],
        query: {
          bool: {
            filter: [
              { term: { tenantId } },
              { range: { [kind.idField]: last ? { gt: after, lte: last } : { gt: after } } },
            ],
          },
        },
        sort: [{ [kind.idField]: 'asc' }],
        ...(searchAfter ? { search_after: searchAfter } : {}),
      });
      for (const h of res.hits.hits) {
        const id = h._source![kind.idField];
        docs.set(id, { id, version: h._version!, seqNo: h._seq_no!, primaryTerm: h._primary_term! });
      }
      if (res.hits.hits.length < 1000) return docs;
      searchAfter = res.hits.hits[res.hits.hits.length - 1].sort as string[];
    }
  }

  /** 409s are expected races (a newer document, or one changed since read) and left alone. */
  private async write(ops: object[]): Promise<void> {
    const res = await this.es.bulk({ operations: ops });
    const failed = res.items
      .map((i) => i.index ?? i.delete)
      .filter(
        (r) =>
          r?.error &&
          r.status !== 409 &&
          !(r.status === 404 && r.error.type === 'document_missing_exception'),
      );
    if (failed.length)
      throw new Error(
        `reconciliation writes failed: ${failed
          .slice(0, 3)
          .map((r) => `${r!._id} ${r!.error!.type}`)
          .join('; ')}`,
      );
  }

  private pause(workedMs: number): Promise<void> {
    const share = this.opts.sharePercent;
    if (share >= 100) return Promise.resolve();
    return new Promise((r) => setTimeout(r, (workedMs * (100 - share)) / share));
  }
}

interface VisitRow {
  tenant_id: string;
  id: string;
  patient_id: string;
  attending_doctor_id: string;
  department: string;
  scheduled_at: Date;
  status: string;
  signed_at: Date | null;
  version: number;
}

/** The visit document as the indexer builds it from events (visit-indexer.ts), here from the row. */
function visitDocument(r: VisitRow, indexedAt: string): object {
  const scheduledAt = new Date(r.scheduled_at).toISOString();
  return {
    tenantId: r.tenant_id,
    visitId: r.id,
    patientId: r.patient_id,
    doctorId: r.attending_doctor_id,
    department: r.department,
    scheduledAt,
    day: scheduledAt.slice(0, 10),
    status: r.status,
    signed: r.signed_at !== null,
    version: r.version,
    indexedAt,
  };
}

const fmt = (c: DriftCounts) =>
  `${c.checked} checked, ${c.missing} missing, ${c.stale} stale, ${c.orphaned} orphaned`;
