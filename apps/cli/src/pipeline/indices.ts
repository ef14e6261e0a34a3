import type { DataSource } from 'typeorm';
import type { AppConfig } from '@hims/config';
import {
  aliasTargets,
  createEsClient,
  ensurePatientIndex,
  ensureVisitIndex,
  IndexReconciler,
  reindexPatients,
} from '@hims/search';
import { out } from './output';

/** The Elasticsearch side of the pipeline: the patient and visit indices behind their aliases. */

export type WithOwner = <T>(config: AppConfig, fn: (ds: DataSource) => Promise<T>) => Promise<T>;

/** Creates the patient and visit indices when their aliases are missing (idempotent). */
export async function ensureIndices(config: AppConfig): Promise<void> {
  const es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 30000 });
  try {
    const { index, created } = await ensurePatientIndex(es, config.elasticsearch.indexAlias);
    out(`elasticsearch: alias ${config.elasticsearch.indexAlias} → ${index}${created ? ' (created)' : ''}`);
    const visits = await ensureVisitIndex(es, config.elasticsearch.indexAlias);
    out(`elasticsearch: alias ${visits.alias} → ${visits.index}${visits.created ? ' (created)' : ''}`);
  } finally {
    await es.close();
  }
}

export async function indexStatus(config: AppConfig): Promise<void> {
  const es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 10000 });
  try {
    const targets = await aliasTargets(es, config.elasticsearch.indexAlias);
    const count = targets.length ? (await es.count({ index: config.elasticsearch.indexAlias })).count : 0;
    out(
      `elasticsearch: alias ${config.elasticsearch.indexAlias} → ${targets.join(', ') || 'none'} (${count} documents)`,
    );
  } finally {
    await es.close();
  }
}

/** `pipeline reindex <tenantId...> | --all`: rebuilds the patient index from PostgreSQL into a new index, then swaps the alias. */
export async function reindex(config: AppConfig, args: string[], withOwner: WithOwner): Promise<number> {
  const all = args.includes('--all');
  const tenants = args.filter((a) => !a.startsWith('--'));
  if (all === tenants.length > 0) {
    process.stderr.write('usage: pipeline reindex <tenantId...> | --all\n');
    return 2;
  }
  const bad = tenants.filter((id) => !/^[0-9a-f-]{36}$/i.test(id));
  if (bad.length) {
    process.stderr.write(`not a tenant id: ${bad.join(', ')}\n`);
    return 2;
  }
  const es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 60000 });
  try {
    const r = await withOwner(config, (ds) =>
      reindexPatients(
        es,
        ds,
        config.elasticsearch.indexAlias,
        all ? undefined : tenants.map((x) => x.toLowerCase()),
        out,
      ),
    );
    out(
      `reindex done: ${r.index} (${r.fromDatabase} from PostgreSQL, ${r.copied} copied, ${r.caughtUp} caught up); ` +
        `previous ${r.previous.join(', ') || 'none'}${r.deleted.length ? `; deleted ${r.deleted.join(', ')}` : ''}`,
    );
  } finally {
    await es.close();
  }
  return 0;
}


/**
 * `pipeline reconcile <tenantId...> | --all`: compares the patient and visit indices with
 * PostgreSQL per tenant in batches and repairs missing, stale and orphaned documents (the
 * worker runs the same on its schedule). Prints what it found; exit 0 either way.
 */
export async function reconcile(config: AppConfig, args: string[], withOwner: WithOwner): Promise<number> {
  const all = args.includes('--all');
  const tenants = args.filter((a) => !a.startsWith('--'));
  if (all === tenants.length > 0 || tenants.some((id) => !/^[0-9a-f-]{36}$/i.test(id))) {
    process.stderr.write('usage: pipeline reconcile <tenantId...> | --all\n');
    return 2;
  }
  const es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 60000 });
  try {
    const results = await withOwner(config, (ds) =>
      new IndexReconciler(es, ds, config.elasticsearch.indexAlias, {
        batchSize: config.pipeline.reconcileBatchSize,
        sharePercent: config.pipeline.reconcileSharePercent,
      }).run(all ? undefined : tenants.map((t) => t.toLowerCase()), out),
    );
    const sum = (k: 'checked' | 'missing' | 'stale' | 'orphaned') =>
      results.reduce((n, r) => n + r.patients[k] + r.visits[k], 0);
    out(
      `reconciled ${results.length} tenant(s): ${sum('checked')} rows checked, ${sum('missing')} missing, ${sum('stale')} stale, ${sum('orphaned')} orphaned documents repaired`,
    );
  } finally {
    await es.close();
  }
  return 0;
}
