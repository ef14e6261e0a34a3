/**
 * Needs: the project's PostgreSQL 15, a built API (`npm run build`) and openssl (Debian).
 * `TLS_CERT_FILE`/`TLS_KEY_FILE` (what `npm run stack -- --tls` sets): the API process serves
 * HTTPS (TLS 1.2 or newer) with HSTS, and the console's session cookies are Secure there even
 * on loopback.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { freePort } from '../support/api-process';
import { createUser } from '../support/auth';
import { appUrl, ownerUrl, platformUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  protocol: string;
}

describe('HTTPS served by the API (TLS_CERT_FILE / TLS_KEY_FILE)', () => {
  let owner: DataSource;
  let child: ChildProcess;
  let port: number;
  let ca: Buffer;
  const dir = mkdtempSync(join(tmpdir(), 'hims-tls-'));

  function call(
    path: string,
    opts: { method?: string; headers?: Record<string, string>; body?: string; maxVersion?: 'TLSv1.1' } = {},
  ) {
    return new Promise<Answer>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: opts.method ?? 'GET',
          headers: opts.headers,
          ca,
          servername: 'localhost',
          maxVersion: opts.maxVersion,
        },
        (res) => {
          // Read before the socket goes back to the agent (afterwards res.socket is null).
          const protocol = (res.socket as import('node:tls').TLSSocket).getProtocol() ?? '';
          res.resume();
          res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, protocol }));
        },
      );
      req.on('error', fail);
      req.end(opts.body);
    });
  }

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'cert.pem'));
    port = await freePort();
    child = spawn(process.execPath, [resolve(__dirname, '../../dist/apps/api/src/main.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: appUrl(),
        DATABASE_OWNER_URL: ownerUrl(),
        DATABASE_PLATFORM_URL: platformUrl(),
        AUTH_KEY_DIR: join(dir, 'keys'),
        TLS_CERT_FILE: join(dir, 'cert.pem'),
        TLS_KEY_FILE: join(dir, 'key.pem'),
      },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 60000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
      const up = await call('/health/live').then(
        (a) => a.status === 200,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error('API did not answer over HTTPS');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    child?.kill('SIGTERM');
    await owner?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers over TLS 1.2+ with HSTS, and refuses TLS 1.1', async () => {
    const res = await call('/health/live');
    expect(res.status).toBe(200);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(res.protocol);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    await expect(call('/health/live', { maxVersion: 'TLSv1.1' })).rejects.toThrow();
  });

  it('sets the console session cookies Secure over HTTPS, even on loopback', async () => {
    const tenant = await newTenant(owner, 'tls');
    const user = await createUser(owner, tenant.id, { roles: ['doctor'] });
    const res = await call('/api/v1/auth/console/login', {
      method: 'POST',
      headers: { 'X-Tenant-ID': tenant.id, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(res.status).toBe(200);
    const cookies = res.headers['set-cookie'] as string[];
    expect(cookies).toHaveLength(2);
    for (const c of cookies) expect(c).toMatch(/; Secure; SameSite=Strict$/);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
