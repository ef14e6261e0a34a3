/**
 * Needs: the project's Elasticsearch (the pipeline tier's stack).
 * The indexers' coalesced refresh (IndexRefresher) makes a written document searchable
 * without waiting for a scheduled refresh. The scratch index has scheduled refresh off
 * (refresh_interval -1), so only the refresher can make the document visible: what is
 * observed is the refresh, not a timing.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { createEsClient, IndexRefresher } from '../../libs/search/src';
import { PIPELINE_NAMESPACE, pipelineConfig } from '../support/stack';

describe('IndexRefresher: written documents become searchable without a scheduled refresh', () => {
  const config = pipelineConfig();
  const index = `refresh-${PIPELINE_NAMESPACE}-${randomUUID().slice(0, 8)}`;
  let es: Client;

  beforeAll(async () => {
    es = createEsClient(config.elasticsearch.url, { requestTimeoutMs: 10000 });
    await es.indices.create({ index, settings: { refresh_interval: '-1', number_of_replicas: 0 } });
  });

  afterAll(async () => {
    await es?.indices.delete({ index, ignore_unavailable: true });
    await es?.close();
  });

  const searchable = async (id: string) =>
    (await es.count({ index, query: { ids: { values: [id] } } })).count;

  it('refreshes after writes, coalescing a burst; stays quiet when turned off', async () => {
    // Off (SEARCH_INDEX_REFRESH_MS=0): the document waits for a scheduled refresh (here: none).
    const off = new IndexRefresher(es, { ...config, pipeline: { ...config.pipeline, indexRefreshMs: 0 } });
    await es.index({ index, id: 'quiet', document: { n: 0 }, refresh: false });
    off.written(index);
    await off.idle();
    expect(await searchable('quiet')).toBe(0);

    // On: a burst of writes, each asking for a refresh; all are searchable once it is idle.
    const refresher = new IndexRefresher(es, {
      ...config,
      pipeline: { ...config.pipeline, indexRefreshMs: 50 },
    });
    const ids = Array.from({ length: 20 }, (_, i) => `doc-${i}`);
    await Promise.all(
      ids.map(async (id, n) => {
        await es.index({ index, id, document: { n }, refresh: false });
        refresher.written(index);
      }),
    );
    await refresher.idle();
    const { count } = await es.count({ index, query: { ids: { values: ids } } });
    expect(count).toBe(ids.length);

    // A refresh of an index that is gone is logged and dropped, never thrown at the consumer.
    refresher.written(`${index}-missing`);
    await refresher.idle();
  });
});
