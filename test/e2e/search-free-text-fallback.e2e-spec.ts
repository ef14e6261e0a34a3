/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it); Elasticsearch off,
 * so every search is answered by the database.
 * GET /api/v1/search/patients free text the registry's structured search refuses (one
 * letter): the database fallback pages by keyset on (score, id). Pages neither overlap
 * nor skip, ties of score are ordered by id, a cursor is bound to its query and tenant
 * (else a 400 problem+json), and another tenant's patients never appear.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

const SEARCH = '/api/v1/search/patients';

// Names starting with "z" (the query) plus one that only contains it, in two clinics.
const A_NAMES: [string, string][] = [
  ['Zara', 'Khan'],
  ['Zubin', 'Shah'],
  ['Zoya', 'Iyer'],
  ['Zeenat', 'Rao'],
  ['Zakir', 'Das'],
  ['Zara', 'Nair'],
  ['Zoravar', 'Singh'],
];
const B_NAMES: [string, string][] = [
  ['Zara', 'Khan'],
  ['Zohra', 'Patel'],
];

describe('free-text search, database fallback (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  let userA: LoggedIn;
  let userB: LoggedIn;
  const idsA = new Set<string>();
  const idsB = new Set<string>();

  const server = () => app.getHttpServer();
  const search = (who: LoggedIn, tenant: string, q: string, limit: number, cursor?: string) =>
    request(server())
      .get(SEARCH)
      .query({ q, limit, ...(cursor ? { cursor } : {}) })
      .set(authHeaders(who.token, tenant));

  async function register(
    who: LoggedIn,
    tenant: string,
    [given, family]: [string, string],
    into: Set<string>,
  ) {
    const res = await request(server())
      .post('/api/v1/patients')
      .set(authHeaders(who.token, tenant))
      .send({
        name: { given: [given], family },
        gender: 'unknown',
        birthDate: `19${50 + into.size}-01-0${1 + (into.size % 9)}`,
      });
    expect(res.status).toBe(201);
    into.add(res.body.id);
  }

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'fts-a');
    b = await newTenant(owner, 'fts-b');
    app = await createTestApp({
      databasePoolMax: 4,
      elasticsearch: { url: 'http://127.0.0.1:9', indexAlias: 'unused', enabled: false },
    });
    [userA, userB] = await Promise.all([
      loginAs(app, owner, a.id, ['receptionist', 'doctor']),
      loginAs(app, owner, b.id, ['receptionist', 'doctor']),
    ]);
    for (const n of A_NAMES) await register(userA, a.id, n, idsA);
    for (const n of B_NAMES) await register(userB, b.id, n, idsB);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('pages by keyset: every match once, in (score desc, id) order, none of another clinic', async () => {
    const seen: { id: string; score: number }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await search(userA, a.id, 'z', 2, cursor);
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('database');
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((i: { id: string; score: number }) => ({ id: i.id, score: i.score })));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    const ids = seen.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(idsA);
    for (const id of idsB) expect(ids).not.toContain(id);
    const sorted = [...seen].sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    expect(seen).toEqual(sorted);

    // One page of everything gives the same order.
    const whole = await search(userA, a.id, 'z', 50);
    expect(whole.body.items.map((i: { id: string }) => i.id)).toEqual(ids);
    expect(whole.body.nextCursor).toBeNull();
  });

  it('the other clinic sees only its own matches', async () => {
    const res = await search(userB, b.id, 'z', 50);
    expect(res.status).toBe(200);
    expect(new Set(res.body.items.map((i: { id: string }) => i.id))).toEqual(idsB);
  });

  it('a cursor of another query, of another clinic, or tampered with is a 400 problem+json', async () => {
    const first = await search(userA, a.id, 'z', 2);
    const cursor: string = first.body.nextCursor;
    expect(typeof cursor).toBe('string');

    const otherQuery = await search(userA, a.id, 'y', 2, cursor);
    expect(otherQuery.status).toBe(400);
    expect(otherQuery.headers['content-type']).toMatch(/^application\/problem\+json/);

    const otherClinic = await search(userB, b.id, 'z', 2, cursor);
    expect(otherClinic.status).toBe(400);
    expect(otherClinic.headers['content-type']).toMatch(/^application\/problem\+json/);

    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
    for (const forged of [
      { ...state, k: ['1', (state.k as unknown[])[1]] },
      { ...state, k: [0.5, "x' OR 1=1"] },
      { ...state, k: undefined, o: 2 },
    ]) {
      const raw = Buffer.from(JSON.stringify(forged)).toString('base64url');
      const res = await search(userA, a.id, 'z', 2, raw);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
