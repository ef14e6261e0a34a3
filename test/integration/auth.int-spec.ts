/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The auth tables as the application role sees them: tenant isolation,
 * least privilege, and an audit trail that never holds a token hash.
 */
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { createUser } from '../support/auth';

describe('auth tables (application role)', () => {
  let owner: DataSource;
  let app: DataSource;
  let a: { id: string };
  let b: { id: string };
  let userA: { id: string };
  const hashA = randomBytes(32);

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
    a = await newTenant(owner, 'authdb-a');
    b = await newTenant(owner, 'authdb-b');
    userA = await createUser(owner, a.id, { roles: ['doctor'] });
    await asTenant(app, a.id, (tx) =>
      tx.query(
        `INSERT INTO core.refresh_tokens (tenant_id, family_id, user_id, token_hash, expires_at)
         VALUES ($1, gen_random_uuid(), $2, $3, now() + interval '1 day')`,
        [a.id, userA.id, hashA],
      ),
    );
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  it("another tenant sees none of A's refresh tokens, even by exact hash", async () => {
    const rows = await asTenant(app, b.id, (tx) =>
      tx.query(`SELECT id FROM core.refresh_tokens WHERE token_hash = $1`, [hashA]),
    );
    expect(rows).toEqual([]);
    const own = await asTenant(app, a.id, (tx) =>
      tx.query(`SELECT id FROM core.refresh_tokens WHERE token_hash = $1`, [hashA]),
    );
    expect(own).toHaveLength(1);
  });

  it('cannot write a row for another tenant', async () => {
    await expect(
      asTenant(app, b.id, (tx) =>
        tx.query(
          `INSERT INTO core.login_attempts (tenant_id, email, succeeded) VALUES ($1, 'x@y.test', false)`,
          [a.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it.each([
    ['delete refresh tokens', `DELETE FROM core.refresh_tokens`],
    ['rewrite a token hash', `UPDATE core.refresh_tokens SET token_hash = '\\x00'`],
    ['erase login attempts', `DELETE FROM core.login_attempts`],
    [
      'configure identity providers',
      `INSERT INTO core.identity_providers (tenant_id, name, issuer, jwks_uri, audience) VALUES (current_setting('app.current_tenant')::uuid, 'x', 'https://x', 'https://x/jwks', 'x')`,
    ],
    ['relink an external identity', `UPDATE core.user_identities SET user_id = gen_random_uuid()`],
  ])('may not %s (least privilege)', async (_label, sql) => {
    await expect(asTenant(app, a.id, (tx) => tx.query(sql))).rejects.toThrow(/permission denied/);
  });

  it('the audit trail records token rows without their hash', async () => {
    const rows = await asTenant(owner, a.id, (tx) =>
      tx.query(`SELECT changes FROM audit.audit_log WHERE entity_type = 'core.refresh_tokens'`),
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0].changes).toHaveProperty('user_id');
    expect(rows[0].changes).not.toHaveProperty('token_hash');
  });
});
