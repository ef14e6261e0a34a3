import type { Client } from '@elastic/elasticsearch';
import type { DataSource } from 'typeorm';
import indexDefinition from './patient-index.json';
import { PatientReader, type PatientRow } from '@hims/patients';
import { documentId, toDocument } from './patient-document';
import { asOwnerInTenant } from '@hims/database';

/**
 * Index lifecycle, run by the CLI (`pipeline setup`, `pipeline reindex`):
 * a composable template for `<alias>-v*`, one versioned index behind the
 * alias, and rebuilds from PostgreSQL into a new index followed by an atomic
 * alias swap. No `_reindex` (absent from this Elasticsearch distribution):
 * documents are copied by scroll + bulk, or read again from PostgreSQL.
 */
export const templateName = (alias: string) => `${alias}-template`;
export const newIndexName = (alias: string) => `${alias}-v${Date.now()}`;

const PAGE = 500;

export async function putPatientTemplate(es: Client, alias: string): Promise<void> {
  await es.indices.putIndexTemplate({
    name: templateName(alias),
    index_patterns: [`${alias}-v*`],
    priority: 100,
    template: indexDefinition as never,
    _meta: { description: 'HIMS patient search (libs/search/src/patient-index.json)' },
  });
}

/** The concrete indices behind the alias (normally exactly one). */
export async function aliasTargets(es: Client, alias: string): Promise<string[]> {
  const exists = await es.indices.existsAlias({ name: alias });
  if (!exists) return [];
  return Object.keys(await es.indices.getAlias({ name: alias }));
}

/** Template + a first versioned index behind the alias, when there is none. Idempotent. */
export async function ensurePatientIndex(
  es: Client,
  alias: string,
): Promise<{ index: string; created: boolean }> {
  await putPatientTemplate(es, alias);
  const targets = await aliasTargets(es, alias);
  if (targets.length > 0) return { index: targets[0], created: false };
  if (await es.indices.exists({ index: alias })) {
    throw new Error(
      `"${alias}" is a concrete index, not an alias; delete it (it is rebuilt from PostgreSQL) and run setup again`,
    );
  }
  const index = newIndexName(alias);
  await es.indices.create({ index, aliases: { [alias]: { is_write_index: true } } });
  await es.cluster.health({ index, wait_for_status: 'green', timeout: '30s' });
  return { index, created: true };
}

type BulkOp = {
  index: { _index: string; _id: string; version: number; version_type: 'external' | 'external_gte' };
};

/** Bulk-index; version conflicts mean a newer document is already there, which is fine. */
export async function bulkIndex(es: Client, ops: (BulkOp | object)[]): Promise<number> {
  if (ops.length === 0) return 0;
  const res = await es.bulk({ operations: ops, refresh: false });
  let written = 0;
  const failures: string[] = [];
  for (const item of res.items) {
    const r = item.index ?? item.create ?? item.update ?? item.delete;
    if (!r) continue;
    if (!r.error) written++;
    else if (r.status !== 409) failures.push(`${r._id}: ${r.error.type} ${r.error.reason ?? ''}`);
  }
  if (failures.length)
    throw new Error(
      `bulk indexing failed for ${failures.length} document(s): ${failures.slice(0, 3).join('; ')}`,
    );
  return written;
}

function rowOps(index: string, rows: PatientRow[], versionType: 'external' | 'external_gte'): object[] {
  const now = new Date();
  return rows.flatMap((row) => [
    {
      index: {
        _index: index,
        _id: documentId(row.tenant_id, row.id),
        version: row.version,
        version_type: versionType,
      },
    },
    toDocument(row, now),
  ]);
}

/** Streams one tenant's patients (optionally only those changed since a time) into an index. */
async function indexTenantFromDatabase(
  es: Client,
  owner: DataSource,
  tenantId: string,
  index: string,
  opts: { since?: Date; versionType: 'external' | 'external_gte' },
): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let total = 0;
  for (;;) {
    const rows: PatientRow[] = await asOwnerInTenant(owner, tenantId, (tx) =>
      PatientReader.pageInIdOrder(tx, after, opts.since ?? null, PAGE),
    );
    if (rows.length === 0) return total;
    await bulkIndex(es, rowOps(index, rows, opts.versionType));
    total += rows.length;
    after = rows[rows.length - 1].id;
  }
}

/** Copies documents of every tenant except the given ones from one index to another, keeping versions. */
async function copyOtherTenants(es: Client, from: string, to: string, except: string[]): Promise<number> {
  let total = 0;
  let res = await es.search({
    index: from,
    scroll: '2m',
    size: PAGE,
    version: true,
    query: { bool: { must_not: [{ terms: { tenantId: except } }] } },
    sort: ['_doc'],
  });
  try {
    while (res.hits.hits.length > 0) {
      const ops = res.hits.hits.flatMap((h) => [
        { index: { _index: to, _id: h._id!, version: h._version!, version_type: 'external' as const } },
        h._source as object,
      ]);
      total += await bulkIndex(es, ops);
      res = await es.scroll({ scroll_id: res._scroll_id!, scroll: '2m' });
    }
  } finally {
    if (res._scroll_id) await es.clearScroll({ scroll_id: res._scroll_id }).catch(() => undefined);
  }
  return total;
}

export interface ReindexResult {
  previous: string[];
  index: string;
  tenants: number;
  fromDatabase: number;
  copied: number;
  caughtUp: number;
  deleted: string[];
}

/**
 * Rebuilds into a new versioned index and swaps the alias in one atomic
 * `_aliases` call, so searches never see a missing or half-built index.
 * `tenantIds` undefined = every tenant from PostgreSQL; otherwise those
 * tenants are read from PostgreSQL and all others are copied from the
 * current index. Writes that reach the old index while the new one is being
 * built are caught up afterwards from rows changed since the start (external
 * versions make that pass idempotent). Keeps the previous index for
 * rollback and deletes anything older.
 */
export async function reindexPatients(
  es: Client,
  owner: DataSource,
  alias: string,
  tenantIds?: string[],
  log: (line: string) => void = () => undefined,
): Promise<ReindexResult> {
  await putPatientTemplate(es, alias);
  const started = new Date(Date.now() - 5000); // margin for clock and commit skew
  const previous = await aliasTargets(es, alias);
  const allTenants: { id: string }[] = await owner.query(`SELECT id FROM core.tenants ORDER BY id`);
  const rebuild = tenantIds ?? allTenants.map((t) => t.id);

  const index = newIndexName(alias);
  await es.indices.create({ index, settings: { refresh_interval: '-1' } });
  let copied = 0;
  if (tenantIds && previous[0]) {
    copied = await copyOtherTenants(es, previous[0], index, tenantIds);
    log(`copied ${copied} document(s) of other tenants from ${previous[0]}`);
  }
  let fromDatabase = 0;
  for (const tenantId of rebuild) {
    fromDatabase += await indexTenantFromDatabase(es, owner, tenantId, index, { versionType: 'external' });
  }
  log(`indexed ${fromDatabase} patient(s) of ${rebuild.length} tenant(s) from PostgreSQL into ${index}`);
  await es.indices.putSettings({ index, settings: { refresh_interval: '1s' } });
  await es.indices.refresh({ index });

  await es.indices.updateAliases({
    actions: [
      ...previous.map((old) => ({ remove: { index: old, alias } })),
      { add: { index, alias, is_write_index: true } },
    ],
  });
  log(`alias ${alias} → ${index}`);

  let caughtUp = 0;
  for (const t of allTenants) {
    caughtUp += await indexTenantFromDatabase(es, owner, t.id, alias, {
      since: started,
      versionType: 'external',
    });
  }
  await es.indices.refresh({ index });

  const all = Object.keys(await es.indices.get({ index: `${alias}-v*` }))
    .filter((name) => /-v\d+$/.test(name))
    .sort();
  const keep = new Set([index, ...previous.slice(-1)]);
  const deleted = all.filter((name) => !keep.has(name) && name < index);
  for (const name of deleted) await es.indices.delete({ index: name });
  return { previous, index, tenants: rebuild.length, fromDatabase, copied, caughtUp, deleted };
}
