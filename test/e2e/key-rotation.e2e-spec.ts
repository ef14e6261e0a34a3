/**
 * Needs: the project's PostgreSQL 15 and a built API and CLI (`npm run build`).
 * The JWT signing key rotation procedure of docs/auth.md, as an operator runs it against real
 * processes: `cli keys rotate` on the key directory, then restart the API. A token signed
 * before the rotation keeps working until it expires; tokens issued after it carry the new
 * kid; the JWKS publishes both keys meanwhile.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { startApiProcess } from '../support/api-process';
import { createUser } from '../support/auth';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

describe('JWT signing key rotation (cli keys rotate + restart)', () => {
  let owner: DataSource;
  const apis: Awaited<ReturnType<typeof startApiProcess>>[] = [];

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
  });

  afterAll(async () => {
    for (const api of apis) api.child.kill('SIGTERM');
    await owner?.destroy();
  });

  it('old tokens stay valid until expiry, new ones are signed with the new key', async () => {
    const tenant = await newTenant(owner, 'rotate');
    const user = await createUser(owner, tenant.id, { roles: ['doctor'] });
    const signIn = async (port: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'X-Tenant-ID': tenant.id, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    const me = (port: number, token: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/auth/me`, {
        headers: { 'X-Tenant-ID': tenant.id, Authorization: `Bearer ${token}` },
      }).then((r) => r.status);

    const first = await startApiProcess();
    apis.push(first);
    const before = await signIn(first.port);
    const oldKid = decodeProtectedHeader(before).kid;

    const out = execFileSync(
      process.execPath,
      [resolve(__dirname, '../../dist/apps/cli/src/main.js'), 'keys', 'rotate'],
      {
        env: { ...process.env, AUTH_KEY_DIR: first.keyDir },
        encoding: 'utf8',
      },
    );
    const rotated = JSON.parse(out.trim().split('\n').pop()!) as { kid: string; retired: string[] };
    expect(rotated.retired).toEqual([oldKid]);
    expect(rotated.kid).not.toBe(oldKid);

    first.child.kill('SIGTERM');
    const second = await startApiProcess({ AUTH_KEY_DIR: first.keyDir });
    apis.push(second);
    expect(await me(second.port, before)).toBe(200);
    const after = await signIn(second.port);
    expect(decodeProtectedHeader(after).kid).toBe(rotated.kid);
    expect(await me(second.port, after)).toBe(200);
    const jwks = (await (await fetch(`http://127.0.0.1:${second.port}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, rotated.kid].sort());
  });
});
