/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * DAST: the checks a ZAP baseline scan makes, scripted against the running API process (the
 * built dist/ on a real port, as deployed): security headers on every kind of answer,
 * cookie flags, the CORS allow-list, HTTP methods, error leakage, open redirects, and
 * `Cache-Control: no-store` on every operation of the OpenAPI contract (with real patient and
 * visit ids, so the answers that carry patient data are among them). ZAP itself was not used:
 * it needs a Java download outside Maven Central's jars and its add-on marketplace at start
 * (docs/security.md "Scanners"). Every check prints one line (PASS/FAIL) in the test output
 * and the table goes to dist/security/dast.json for `npm run security-report`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { startApiProcess } from '../support/api-process';
import { createUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

const ALLOWED_ORIGIN = 'https://console.example.org';
const CONTRACT = JSON.parse(readFileSync(resolve(__dirname, '../../contracts/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};
const results: { check: string; target: string; pass: boolean; detail?: string }[] = [];

function record(check: string, target: string, pass: boolean, detail?: string): void {
  results.push({ check, target, pass, detail });
}

describe('DAST: the running API answers safely (scripted baseline scan)', () => {
  let owner: DataSource;
  let api: Awaited<ReturnType<typeof startApiProcess>>;
  let base: string;
  let tenantId: string;
  let auth: Record<string, string>;
  let ids: Record<string, string>;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    const tenant = await newTenant(owner, 'dast');
    tenantId = tenant.id;
    const doctor = await createUser(owner, tenantId, { roles: ['doctor', 'receptionist'] });
    api = await startApiProcess({ CORS_ALLOWED_ORIGINS: ALLOWED_ORIGIN });
    base = `http://127.0.0.1:${api.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'X-Tenant-ID': tenantId, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: doctor.email, password: doctor.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    auth = { 'X-Tenant-ID': tenantId, Authorization: `Bearer ${accessToken}` };
    const patient = await post('/api/v1/patients', {
      name: { given: ['Dast'], family: 'Scanned' },
      gender: 'female',
      birthDate: '1980-02-03',
      allowDuplicate: true,
    });
    const visit = await post(`/api/v1/patients/${patient.id}/visits`, {
      attendingDoctorId: doctor.id,
      department: 'General Medicine',
      scheduledAt: '2026-11-23T04:00:00.000Z',
      reason: 'Scan',
    });
    ids = { id: patient.id, patientId: patient.id, visitId: visit.id, slug: tenant.slug };
  });

  async function post(path: string, body: unknown): Promise<{ id: string }> {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}`);
    return (await res.json()) as { id: string };
  }

  afterAll(async () => {
    api?.child.kill('SIGTERM');
    await owner?.destroy();
    const failed = results.filter((r) => !r.pass);
    const lines = results.map(
      (r) =>
        `${r.pass ? 'PASS' : 'FAIL'}  ${r.check.padEnd(22)} ${r.target}${r.detail ? `  (${r.detail})` : ''}`,
    );
    console.log(
      `DAST (scripted baseline): ${results.length} checks, ${failed.length} failed\n${lines.join('\n')}`,
    );
    mkdirSync(join(__dirname, '../../dist/security'), { recursive: true });
    writeFileSync(
      join(__dirname, '../../dist/security/dast.json'),
      JSON.stringify(
        { at: new Date().toISOString(), checks: results.length, failed: failed.length, results },
        null,
        2,
      ),
    );
  });

  const HEADER_TARGETS: [string, string, Record<string, string>?][] = [
    ['GET', '/health/live'],
    ['GET', '/api/v1/auth/me'], // 401
    ['GET', '/api/v1/nowhere'], // 404
    ['GET', '/api/v1/patients/not-a-uuid'], // 400 (authenticated below)
    ['GET', '/.well-known/jwks.json'],
    ['GET', '/api/docs/openapi.json'],
  ];

  it('every kind of answer carries the security headers and no server banner', async () => {
    for (const [method, path] of HEADER_TARGETS) {
      const res = await fetch(`${base}${path}`, { method, headers: path.includes('patients') ? auth : {} });
      const h = res.headers;
      const checks: [string, boolean][] = [
        ['hsts', /max-age=31536000; includeSubDomains/.test(h.get('strict-transport-security') ?? '')],
        ['nosniff', h.get('x-content-type-options') === 'nosniff'],
        [
          'frame-deny',
          h.get('x-frame-options') === 'DENY' &&
            /frame-ancestors 'none'/.test(h.get('content-security-policy') ?? ''),
        ],
        ['referrer-policy', h.get('referrer-policy') === 'no-referrer'],
        ['no-x-powered-by', !h.has('x-powered-by') && !/express|nest/i.test(h.get('server') ?? '')],
      ];
      for (const [name, ok] of checks) record(`header:${name}`, `${method} ${path} -> ${res.status}`, ok);
      for (const [, ok] of checks) expect(ok).toBe(true);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('Cache-Control: no-store on every operation of the contract (JWKS alone is public)', async () => {
    let operations = 0;
    for (const [template, methods] of Object.entries(CONTRACT.paths)) {
      for (const method of Object.keys(methods)) {
        if (template.endsWith('/auth/logout-all')) continue; // would end this scan's own session; same guard chain as /auth/me
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
          template.startsWith('/api/v1/visits') && name === 'id' ? ids.visitId : (ids[name] ?? ids.id),
        );
        const res = await fetch(`${base}${path}`, {
          method: method.toUpperCase(),
          headers: method === 'get' ? auth : { ...auth, 'Content-Type': 'application/json' },
          body: method === 'get' ? undefined : JSON.stringify({ dast: true }),
        });
        const cache = res.headers.get('cache-control') ?? '';
        const ok = template === '/.well-known/jwks.json' ? /public/.test(cache) : /\bno-store\b/.test(cache);
        record(
          'cache-control',
          `${method.toUpperCase()} ${template} -> ${res.status}`,
          ok,
          ok ? undefined : cache,
        );
        expect({ path: template, method, ok, status5xx: res.status >= 500 }).toEqual({
          path: template,
          method,
          ok: true,
          status5xx: false,
        });
        operations++;
      }
    }
    // The patient's own record and visit list were among the answers (200 with data).
    const patient = await fetch(`${base}/api/v1/patients/${ids.id}`, { headers: auth });
    expect(patient.status).toBe(200);
    expect(patient.headers.get('cache-control')).toBe('no-store');
    expect(operations).toBeGreaterThan(50);
  });

  it('session cookies: HttpOnly, SameSite=Strict, narrow path; Secure on any non-loopback host', async () => {
    const doctor = await createUser(owner, tenantId, { roles: ['nurse'] });
    for (const host of [`127.0.0.1:${api.port}`, 'hims.example.org']) {
      const cookies = await new Promise<string[]>((done, fail) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: api.port,
            path: '/api/v1/auth/console/login',
            method: 'POST',
            headers: { Host: host, 'X-Tenant-ID': tenantId, 'Content-Type': 'application/json' },
          },
          (res) => {
            res.resume();
            done(res.headers['set-cookie'] ?? []);
          },
        );
        req.on('error', fail);
        req.end(JSON.stringify({ email: doctor.email, password: doctor.password }));
      });
      const refresh = cookies.find((c) => c.startsWith('hims_rt=')) ?? '';
      const csrf = cookies.find((c) => c.startsWith('hims_csrf=')) ?? '';
      const secureWanted = host === 'hims.example.org';
      const ok =
        /; HttpOnly/.test(refresh) &&
        /; SameSite=Strict/.test(refresh) &&
        /; Path=\/api\/v1\/auth\/console/.test(refresh) &&
        /; SameSite=Strict/.test(csrf) &&
        /; Secure/.test(refresh) === secureWanted &&
        /; Secure/.test(csrf) === secureWanted;
      record('cookie-flags', `console login, Host ${host}`, ok, refresh.replace(/=[^;]+/, '=…'));
      expect(ok).toBe(true);
    }
  });

  it('CORS answers only the allow-listed origin, never a wildcard', async () => {
    for (const origin of [
      ALLOWED_ORIGIN,
      'https://evil.example',
      'null',
      'https://console.example.org.evil.example',
    ]) {
      const res = await fetch(`${base}/api/v1/patients`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization',
        },
      });
      const allow = res.headers.get('access-control-allow-origin');
      const ok = origin === ALLOWED_ORIGIN ? allow === ALLOWED_ORIGIN : allow === null;
      record('cors', `preflight from ${origin}`, ok, `allow-origin ${allow}`);
      expect(ok).toBe(true);
      expect(allow).not.toBe('*');
    }
  });

  it('methods: TRACE, unknown and unrouted methods get a problem, never an echo or a 5xx', async () => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'PROPFIND']) {
      // node:http, not fetch: fetch refuses to send TRACE at all.
      const res = await new Promise<{ status: number; body: string }>((done, fail) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: api.port,
            path: '/api/v1/auth/me',
            method,
            headers: { ...auth, 'X-Echo-Probe': 'dast-probe' },
          },
          (r) => {
            let body = '';
            r.on('data', (d) => (body += d));
            r.on('end', () => done({ status: r.statusCode ?? 0, body }));
          },
        );
        req.on('error', fail);
        req.end();
      });
      const ok = res.status >= 400 && res.status < 500 && !res.body.includes('dast-probe');
      record('method', `${method} /api/v1/auth/me -> ${res.status}`, ok);
      expect(ok).toBe(true);
    }
  });

  it('errors leak no stack, SQL, file path or framework detail', async () => {
    const probes: [string, RequestInit][] = [
      [
        '/api/v1/patients',
        { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"name":' },
      ],
      [
        '/api/v1/patients',
        {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: `{"a":${'['.repeat(500)}`,
        },
      ],
      ["/api/v1/patients?q=' OR 1=1 --", { headers: auth }],
      ['/api/v1/search/patients?q=%00%ff%fe', { headers: auth }],
      ['/api/v1/patients/00000000-0000-0000-0000-000000000000', { headers: auth }],
      [
        '/api/v1/auth/login',
        { method: 'POST', headers: { 'X-Tenant-ID': 'x', 'Content-Type': 'application/json' }, body: '{}' },
      ],
      [
        '/api/v1/patients',
        {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'text/xml' },
          body: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        },
      ],
    ];
    for (const [path, init] of probes) {
      const res = await fetch(`${base}${path}`, init);
      const body = await res.text();
      const leak =
        /\bat \S+ \(|node_modules|\/dist\/|QueryFailedError|TypeORM|SQLSTATE|syntax error at|root:x:0/i.exec(
          body,
        );
      const ok = res.status < 500 && /problem\+json/.test(res.headers.get('content-type') ?? '') && !leak;
      record('error-leakage', `${init.method ?? 'GET'} ${path.slice(0, 60)} -> ${res.status}`, ok, leak?.[0]);
      expect(ok).toBe(true);
    }
  });

  it('no open redirect: no answer sends the browser to another host', async () => {
    const targets = [
      '/?next=https://evil.example',
      '//evil.example/',
      '/%2F%2Fevil.example',
      '/assets/..%2F..%2F',
      '/assets//evil.example',
      '/api/v1/auth/console/login?redirect=https://evil.example',
      '/login?returnTo=//evil.example',
    ];
    for (const path of targets) {
      const res = await fetch(`${base}${path}`, { redirect: 'manual', headers: { Accept: 'text/html' } });
      const location = res.headers.get('location');
      const ok = location === null || new URL(location, base).host === new URL(base).host;
      record('open-redirect', `GET ${path} -> ${res.status}`, ok, location ?? undefined);
      expect(ok).toBe(true);
      expect(res.status).toBeLessThan(500);
    }
  });
});
