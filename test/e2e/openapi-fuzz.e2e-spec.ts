/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 *
 * The boundary test of issue 9: every operation in contracts/openapi.json (discovered from
 * the contract, so a new route is covered the day it is exported) gets broken requests built
 * from its own schema by fast-check (test/support/openapi-fuzz.ts): strings at maxLength and
 * one past, arrays at maxItems and one past, numbers at and past their bounds, impossible
 * dates, empty objects, wrong types, unknown fields, unicode edge cases, path parameters that
 * are not UUIDs, bad query and header values. They go through the real app on the real
 * database as a tenant_admin (a share of them without credentials) and must answer:
 *   - never a 5xx, and never a success without credentials on a secured operation;
 *   - every 4xx as application/problem+json with type, title and status;
 *   - a rejected request writes nothing: no row of any tenant table, the outbox or the audit
 *     log changes (the one exception the API makes on purpose: a failed sign-in commits its
 *     attempt, audit row and event, docs/errors.md).
 * Fixed seed and a bounded number of cases per operation; FUZZ_RUNS and FUZZ_SEED widen a run
 * (docs/errors.md).
 */
import { staffSignIn } from '../support/mfa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import {
  ApiOperation,
  brokenRequest,
  ETAG_CURRENT,
  FuzzCase,
  FuzzContext,
  minimalExample,
  OpenApiDocument,
  operationsOf,
  SchemaResolver,
} from '../support/openapi-fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const SEED = Number(process.env.FUZZ_SEED ?? 20260911);
/** Per operation: no new case starts after this (a large FUZZ_RUNS on sign-in, argon2 per case, is slow). */
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 45_000);

const contract = JSON.parse(
  readFileSync(join(__dirname, '../../contracts/openapi.json'), 'utf8'),
) as OpenApiDocument;
const operations = operationsOf(contract);

/** Answers that commit on purpose although they are errors (AuthService: commitThenFail; the console signs in through the same service). */
const COMMITS_WHEN_REFUSED: { path: RegExp; statuses: number[]; tables: string[] }[] = [
  {
    path: /^\/api\/v1\/auth\/(console\/)?(login|refresh|oidc\/exchange)$/,
    statuses: [401, 403, 429],
    tables: ['core.login_attempts', 'core.refresh_tokens', 'audit.audit_log', 'events.outbox'],
  },
];

/**
 * Operations that, when they succeed, end the caller's own sessions (a body or query parameter they
 * ignore still succeeds): the fuzzing admin signs in again, so later operations are not left to 401s.
 */
const ENDS_CALLERS_SESSIONS = /^\/api\/v1\/auth\/logout-all$/;

/** A stable per-operation seed: adding a route does not change the cases of the others. */
function seedFor(api: ApiOperation): number {
  let h = SEED | 0;
  for (const ch of `${api.method} ${api.path}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

describe('every operation of the contract answers broken input with a 4xx problem and writes nothing', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let tenant: { id: string };
  let admin: LoggedIn;
  let tables: string[];
  const ctx: FuzzContext = { tenantId: '', token: '', existing: {} };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    tenant = await newTenant(owner, 'fuzz');
    app = await createTestApp({ databasePoolMax: 4 });
    admin = await loginAs(app, owner, tenant.id, ['tenant_admin', 'doctor']);
    Object.assign(ctx, { tenantId: tenant.id, token: admin.token });
    // Each table with the condition that keeps it to the fuzzed tenant: the owner role may see
    // every clinic's rows of a few tables (tenants, ABDM work queues), and other test files write
    // their own clinics' rows meanwhile.
    tables = (
      await owner.query(
        `SELECT format('%I.%I', n.nspname, c.relname) AS name,
                CASE WHEN c.oid = 'core.tenants'::regclass THEN 'id'
                     WHEN EXISTS (SELECT 1 FROM pg_attribute a
                                   WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                     THEN 'tenant_id' END AS tenant_column
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('core', 'clinical', 'audit', 'events', 'analytics')
          ORDER BY 1`,
      )
    ).map((t: { name: string; tenant_column: string | null }) =>
      t.tenant_column ? `${t.name} x WHERE x.${t.tenant_column} = '${tenant.id}'` : `${t.name} x`,
    );
    await seedRecords();
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  /**
   * One record per collection that has an `{id}` route (created through the API with the
   * smallest body the schema accepts), so broken bodies on PATCH and friends reach past the
   * lookup.
   */
  async function seedRecords(): Promise<void> {
    const resolver = new SchemaResolver(contract);
    for (const api of operations) {
      if (api.method !== 'post' || !api.bodySchema) continue;
      if (!operations.some((o) => o.path.startsWith(`${api.path}/{`))) continue;
      const res = await request(app.getHttpServer())
        .post(api.path)
        .set(authHeaders(admin.token, tenant.id))
        .send(minimalExample(resolver, api.bodySchema) as object);
      if (res.status === 201 && typeof res.body?.id === 'string') ctx.existing[api.path] = res.body.id;
    }
  }

  /**
   * Count and content hash of every table the tenant can see, and of the global ones. The audit
   * sealer (any test file may run audit.seal() meanwhile) links rows after the fact: an audit row
   * is fingerprinted by its entry id, not by its seal columns, and the chain heads not at all.
   */
  async function fingerprint(): Promise<Record<string, string>> {
    const rowText = (table: string) => (table === 'audit.audit_log' ? 'x.entry_id::text' : 'x::text');
    const sql = tables
      .filter((t) => t.split(' ')[0] !== 'audit.chain_heads')
      .map(
        (t) =>
          `SELECT '${t.split(' ')[0]}' AS t, count(*)::text || ':' || coalesce(sum(hashtext(${rowText(t.split(' ')[0])})::bigint), 0)::text AS f FROM ${t}`,
      )
      .join(' UNION ALL ');
    const rows: { t: string; f: string }[] = await asTenant(owner, tenant.id, (tx) => tx.query(sql));
    return Object.fromEntries(rows.map((r) => [r.t, r.f]));
  }

  async function newAdminSession(): Promise<void> {
    const res = await staffSignIn(app, tenant.id, admin);
    if (res.status !== 200) throw new Error(`the fuzzing admin could not sign in again: ${res.status}`);
    ctx.token = res.body.accessToken as string;
  }

  /** The current ETag of the record a conditional request names (GET on the same path). */
  async function currentEtag(c: FuzzCase): Promise<string> {
    const path = c.url.split('?')[0];
    const res = await request(app.getHttpServer()).get(path).set(authHeaders(ctx.token, tenant.id));
    return typeof res.headers.etag === 'string' ? res.headers.etag : '"1"';
  }

  async function send(c: FuzzCase): Promise<request.Response> {
    let req = request(app.getHttpServer())[c.method as 'get'](c.url);
    for (const [k, v] of Object.entries(c.headers)) req = req.set(k, v);
    if (c.body && 'json' in c.body)
      req = req.set('Content-Type', 'application/json').send(JSON.stringify(c.body.json));
    else if (c.body && 'raw' in c.body) req = req.set('Content-Type', 'application/json').send(c.body.raw);
    return req;
  }

  function describeCase(c: FuzzCase, res: request.Response): string {
    const body = c.body ? ('json' in c.body ? JSON.stringify(c.body.json) : c.body.raw) : '';
    return [
      `${c.mutation}`,
      `${c.method.toUpperCase()} ${c.url.slice(0, 300)}`,
      `headers ${JSON.stringify({ ...c.headers, Authorization: c.authenticated ? 'Bearer …' : undefined }).slice(0, 300)}`,
      `body ${body.slice(0, 300)}`,
      `→ ${res.status} ${res.headers['content-type'] ?? ''} ${JSON.stringify(res.body).slice(0, 300)}`,
    ].join('\n  ');
  }

  it('finds operations in the contract', () => {
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['post /api/v1/patients', 'patch /api/v1/patients/{id}', 'get /api/v1/audit']),
    );
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s',
    async (_name, api) => {
      const allowances = COMMITS_WHEN_REFUSED.filter((a) => a.path.test(api.path));
      const details = await fc.check(
        fc.asyncProperty(brokenRequest(contract, api, ctx), async (c) => {
          if (Object.values(c.headers).includes(ETAG_CURRENT)) {
            const etag = await currentEtag(c);
            for (const [k, v] of Object.entries(c.headers)) if (v === ETAG_CURRENT) c.headers[k] = etag;
          }
          const before = await fingerprint();
          const res = await send(c);
          const why = describeCase(c, res);
          if (res.status >= 500) throw new Error(`5xx answer:\n  ${why}`);
          if (res.status < 400) {
            if (api.secured && !c.authenticated)
              throw new Error(`a secured operation answered without credentials:\n  ${why}`);
            if (ENDS_CALLERS_SESSIONS.test(api.path)) await newAdminSession();
            return;
          }
          if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) {
            throw new Error(`a ${res.status} that is not problem+json:\n  ${why}`);
          }
          const p = res.body as { type?: unknown; title?: unknown; status?: unknown };
          if (typeof p.type !== 'string' || typeof p.title !== 'string' || p.status !== res.status) {
            throw new Error(`a problem without type, title or matching status:\n  ${why}`);
          }
          const after = await fingerprint();
          const allowed = allowances.filter((a) => a.statuses.includes(res.status)).flatMap((a) => a.tables);
          const changed = Object.keys(after).filter((t) => after[t] !== before[t] && !allowed.includes(t));
          if (changed.length > 0)
            throw new Error(`a rejected request wrote to ${changed.join(', ')}:\n  ${why}`);
        }),
        { seed: seedFor(api), numRuns: RUNS, endOnFailure: true, interruptAfterTimeLimit: TIME_LIMIT_MS },
      );
      // The case itself, not fast-check's dump of it (a case can carry 60 000 characters).
      if (details.failed) {
        const cause =
          details.errorInstance instanceof Error
            ? details.errorInstance.message
            : String(details.errorInstance);
        throw new Error(
          `${cause}\n  (replay: FUZZ_SEED=${SEED}, seed ${details.seed}, path ${details.counterexamplePath})`,
        );
      }
    },
    TIME_LIMIT_MS + 30_000,
  );

  it('leaves the fuzzing admin signed in (every operation above ran with a live session, not into 401s)', async () => {
    const me = await request(app.getHttpServer())
      .get('/api/v1/auth/me')
      .set(authHeaders(ctx.token, tenant.id));
    expect(me.status).toBe(200);
  });
});
