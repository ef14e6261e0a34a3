import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { Counter } from 'prom-client';
import { AuditRecorder } from '@hims/audit';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { ProblemException } from '@hims/errors';
import { metricsRegistry } from '@hims/observability';
import { TenantScope } from '@hims/tenancy';
import { DatabasePatientSearch } from './database-patient-search';
import { SEARCH_ES_CLIENT, esStatus, isEsUnavailable } from './elasticsearch';
import { PatientDocument, PatientSearchItem, itemFromDocument } from './patient-document';
import {
  ParsedQuery,
  SearchCursor,
  SearchSource,
  FreeTextKey,
  decodeSearchCursor,
  encodeSearchCursor,
  parseQuery,
  queryHash,
} from './search-query';
import { visitAlias } from './visit-document';
import { SeenFilter, lastVisitsFromIndex, seenHash, seenPatientIds } from './visit-search';

export interface PatientSearchResponse {
  source: SearchSource;
  items: PatientSearchItem[];
  nextCursor: string | null;
}

const searches = new Counter({
  name: 'hims_search_requests_total',
  help: 'Patient searches by the source that answered and, for database answers, why',
  labelNames: ['source', 'reason'],
  registers: [metricsRegistry],
});

/** After Elasticsearch fails, skip it for this long (a hanging cluster must not slow every search). */
const BREAKER_MS = 3000;

type FallbackReason = 'disabled' | 'unavailable' | 'behind' | 'cursor';

/** Elasticsearch's page, and the newest change it has indexed for the tenant (for the freshness check). */
interface EsAnswer {
  response: PatientSearchResponse;
  indexedMs: number | null;
}

/**
 * Patient free-text search. The tenant filter is added here, from the
 * tenant scope of the request, never from anything the caller sends.
 * Elasticsearch answers when it is reachable and not behind PostgreSQL for
 * this tenant; otherwise PostgreSQL answers and the response says so.
 */
@Injectable()
export class PatientSearchService {
  private readonly log = new Logger(PatientSearchService.name);
  private esSkipUntil = 0;

  constructor(
    @Inject(SEARCH_ES_CLIENT) private readonly es: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scope: TenantScope,
    private readonly database: DatabasePatientSearch,
    private readonly audit: AuditRecorder,
  ) {}

  /**
   * Free text (`q`) or, instead, the patients a doctor saw on a UTC day (`seen`);
   * exactly one of the two.
   */
  async search(
    q: string | undefined,
    limit = 20,
    rawCursor?: string,
    seen?: SeenFilter,
  ): Promise<PatientSearchResponse> {
    const tenantId = this.scope.tenantId;
    if (!tenantId) throw new Error('PatientSearchService.search called outside a tenant scope');
    if ((q === undefined) === (seen === undefined)) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'q', message: 'give either q or seenBy with seenOn, not both' }],
      });
    }
    const parsed = q === undefined ? undefined : parseQuery(q);
    if (parsed && parsed.nameForm.length < 1 && !parsed.digits && parsed.lower.length < 1) {
      throw new ProblemException('validation', '1 field(s) failed validation', {
        errors: [{ field: 'q', message: 'q must contain letters or digits' }],
      });
    }
    const hash = parsed ? queryHash(tenantId, parsed) : seenHash(tenantId, seen!);
    const cursor = rawCursor ? decodeSearchCursor(rawCursor, hash) : undefined;
    // The seen-by list pages by offset, free text by the patients module's cursor or a keyset.
    if (cursor?.s === 'database' && (seen ? cursor.o === undefined : cursor.o !== undefined)) {
      throw new ProblemException(
        'badRequest',
        'cursor does not belong to this search; repeat the search without it',
      );
    }
    const query: SearchInput = parsed ? { text: parsed } : { seen: seen! };

    // Elasticsearch is asked before the request's transaction opens: a slow cluster
    // holds no connection and no tenant slot (the route is TransactionOnDemand).
    let attempt: EsAnswer | FallbackReason = 'disabled';
    if (cursor?.s === 'database') attempt = 'cursor';
    else if (!this.config.elasticsearch.enabled) attempt = 'disabled';
    else if (Date.now() < this.esSkipUntil) attempt = 'unavailable';
    else attempt = await this.fromElasticsearch(tenantId, query, limit, hash, cursor);

    return this.scope.transaction(async () => {
      let response: PatientSearchResponse | undefined;
      let reason: FallbackReason = typeof attempt === 'string' ? attempt : 'disabled';
      let audited = false;
      if (typeof attempt !== 'string') {
        if (cursor) response = attempt.response;
        else if (
          // The freshness check carries the audit entry of the Elasticsearch answer (one round trip).
          await this.database.auditIfFresh(
            attempt.indexedMs,
            this.config.pipeline.searchMaxLagMs,
            auditDetails(attempt.response, hash, cursor, seen, reason),
          )
        ) {
          response = attempt.response;
          audited = true;
        } else reason = 'behind';
      }
      if (!response) {
        if (cursor?.s === 'elasticsearch') {
          throw new ProblemException(
            'serviceUnavailable',
            'Search switched to the database; repeat the search without a cursor',
            {},
            { 'Retry-After': '1' },
          );
        }
        response = await this.fromDatabase(query, limit, hash, cursor);
        this.withLastVisits(response.items, await this.database.lastVisits(response.items.map((i) => i.id)));
      }
      searches.inc({ source: response.source, reason: response.source === 'database' ? reason : '' });

      if (!audited) {
        await this.audit.record({
          action: 'search',
          entityType: 'patient',
          entityId: null,
          details: auditDetails(response, hash, cursor, seen, reason),
        });
      }
      return response;
    });
  }

  private async fromElasticsearch(
    tenantId: string,
    input: SearchInput,
    limit: number,
    hash: string,
    cursor?: SearchCursor,
  ): Promise<EsAnswer | FallbackReason> {
    let res: estypes.SearchResponse<PatientDocument>;
    let lastVisits: Map<string, string>;
    const visits = visitAlias(this.config.elasticsearch.indexAlias);
    try {
      let match: estypes.QueryDslQueryContainer[];
      if (input.text) {
        match = [{ bool: { should: shouldClauses(input.text), minimum_should_match: 1 } }];
      } else {
        const ids = await seenPatientIds(this.es, visits, tenantId, input.seen!);
        match = [{ terms: { patientId: ids } }];
      }
      res = await this.es.search<PatientDocument>({
        index: this.config.elasticsearch.indexAlias,
        size: limit + 1,
        track_total_hits: false,
        query: {
          bool: {
            filter: [{ term: { tenantId } }, { term: { active: true } }],
            must: match,
          },
        },
        sort: [{ _score: { order: 'desc' } }, { patientId: { order: 'asc' } }],
        ...(cursor?.a ? { search_after: cursor.a } : {}),
        aggs: {
          freshness: {
            global: {},
            aggs: {
              tenant: { filter: { term: { tenantId } }, aggs: { latest: { max: { field: 'updatedAt' } } } },
            },
          },
        },
      });
      const ids = res.hits.hits.slice(0, limit).map((h) => h._source?.patientId ?? '');
      lastVisits = await lastVisitsFromIndex(this.es, visits, tenantId, ids.filter(Boolean));
    } catch (err) {
      // Only an unavailable cluster opens the breaker: a rejected query (4xx) says
      // nothing about the cluster's health. The message may echo the query, so
      // only the error's class and status are logged.
      const status = esStatus(err) ?? '-';
      const kind = (err as Error)?.name ?? 'Error';
      if (isEsUnavailable(err)) {
        this.esSkipUntil = Date.now() + BREAKER_MS;
        this.log.warn(`elasticsearch unavailable (${kind}, status ${status}), answering from PostgreSQL`);
      } else {
        this.log.error(
          `elasticsearch rejected a search (${kind}, status ${status}), answering from PostgreSQL`,
        );
      }
      return 'unavailable';
    }
    const aggs = res.aggregations as
      { freshness?: { tenant?: { latest?: { value: number | null } } } } | undefined;
    const hits = res.hits.hits.filter((h) => h._source && h._source.tenantId === tenantId);
    const page = hits.slice(0, limit);
    const last = page[page.length - 1];
    return {
      indexedMs: aggs?.freshness?.tenant?.latest?.value ?? null,
      response: {
        source: 'elasticsearch',
        items: this.withLastVisits(
          page.map((h) => itemFromDocument(h._source!, h._score ?? null)),
          lastVisits,
        ),
        nextCursor:
          hits.length > limit && last?.sort
            ? encodeSearchCursor({ s: 'elasticsearch', a: last.sort as (string | number)[], h: hash.slice(0, 16) })
            : null,
      },
    };
  }

  private withLastVisits(items: PatientSearchItem[], last: Map<string, string>): PatientSearchItem[] {
    for (const item of items) item.lastVisitAt = last.get(item.id) ?? null;
    return items;
  }

  private async fromDatabase(
    input: SearchInput,
    limit: number,
    hash: string,
    cursor?: SearchCursor,
  ): Promise<PatientSearchResponse> {
    let items: PatientSearchItem[];
    let next: { c: string } | { k: FreeTextKey } | { o: number } | null;
    if (input.text) {
      ({ items, next } = await this.database.search(input.text, limit, { c: cursor?.c, k: cursor?.k }));
    } else {
      const offset = cursor?.o ?? 0;
      const page = await this.database.seenBy(input.seen!, limit, offset);
      items = page.items;
      next = page.more ? { o: offset + limit } : null;
    }
    return {
      source: 'database',
      items,
      nextCursor: next ? encodeSearchCursor({ s: 'database', ...next, h: hash.slice(0, 16) }) : null,
    };
  }
}

/** What the audit entry of a search says: the result ids and the query's hash, never the query. */
function auditDetails(
  response: PatientSearchResponse,
  hash: string,
  cursor: SearchCursor | undefined,
  seen: SeenFilter | undefined,
  reason: FallbackReason,
): Record<string, unknown> {
  return {
    resultIds: response.items.map((i) => i.id),
    queryHash: hash,
    source: response.source,
    page: cursor ? 'next' : 'first',
    ...(seen ? { filter: 'seen-by' } : {}),
    ...(response.source === 'database' ? { fallbackReason: reason } : {}),
  };
}

/** Free text, or the seen-by filter. */
interface SearchInput {
  text?: ParsedQuery;
  seen?: SeenFilter;
}

/** Names (typos via fuzziness, beginnings via bool-prefix, any script via the standard analyzer) and identifiers. */
function shouldClauses(q: ParsedQuery): estypes.QueryDslQueryContainer[] {
  const clauses: estypes.QueryDslQueryContainer[] = [
    { term: { mrnLower: { value: q.lower, boost: 20 } } },
    { term: { abhaAddress: { value: q.lower, boost: 20 } } },
    { term: { email: { value: q.lower, boost: 10 } } },
  ];
  if (q.nameForm) {
    clauses.push(
      { match_phrase: { names: { query: q.nameForm, boost: 6 } } },
      { match: { names: { query: q.nameForm, operator: 'and', boost: 3 } } },
      { match: { names: { query: q.nameForm, operator: 'and', fuzziness: 'AUTO', boost: 2 } } },
      { match_bool_prefix: { names: { query: q.nameForm, operator: 'and', boost: 1 } } },
    );
  }
  if (q.digits && q.digits.length >= 4) {
    clauses.push(
      { term: { abhaNumber: { value: q.digits, boost: 20 } } },
      { term: { phoneDigits: { value: q.digits, boost: 15 } } },
    );
    if (q.digits.length >= 6) clauses.push({ prefix: { phoneDigits: { value: q.digits, boost: 2 } } });
  }
  return clauses;
}
