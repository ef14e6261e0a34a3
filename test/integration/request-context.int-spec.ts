/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * core.begin_request(), the first statement of every request: it sets the RLS
 * variables for this transaction only and returns the tenant and the caller's state,
 * never another tenant's user, and nothing for an unknown tenant.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createUser } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

describe('core.begin_request', () => {
  let owner: DataSource;
  let app: DataSource;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  const begin = (tenant: string, user: string | null, session: string | null = null) =>
    app.transaction(async (tx) => {
      const rows = await tx.query(`SELECT * FROM core.begin_request($1, $2, 'req-ctx', $3)`, [
        tenant,
        user,
        session,
      ]);
      const [settings] = await tx.query(
        `SELECT current_setting('app.current_tenant', true) AS tenant, current_setting('app.current_user', true) AS "user",
                current_setting('app.request_id', true) AS request, (SELECT count(*)::int FROM core.users) AS users`,
      );
      return { rows, settings };
    });

  it("returns the tenant and the caller's state, and sets the RLS variables for this transaction", async () => {
    const a = await newTenant(owner, 'ctx-a');
    const user = await createUser(owner, a.id, { roles: ['doctor'] });
    const { rows, settings } = await begin(a.id, user.id, randomUUID());
    expect(rows).toEqual([
      {
        tenant_id: a.id,
        slug: a.slug,
        name: expect.any(String),
        status: 'active',
        settings: expect.any(Object),
        user_status: 'active',
        user_roles: ['doctor'],
        session_revoked: false,
      },
    ]);
    expect(settings).toEqual({ tenant: a.id, user: user.id, request: 'req-ctx', users: 1 });
    // Transaction-local: the next transaction on the pool sees none of it.
    const [after] = await app.query(`SELECT current_setting('app.current_tenant', true) AS tenant`);
    expect(after.tenant || null).toBeNull();
  });

  it("never returns another tenant's user, and nothing for an unknown tenant", async () => {
    const a = await newTenant(owner, 'ctx-a2');
    const b = await newTenant(owner, 'ctx-b2');
    const userOfB = await createUser(owner, b.id, { roles: ['tenant_admin'] });
    const { rows } = await begin(a.id, userOfB.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenant_id: a.id, user_status: null, user_roles: null });
    expect((await begin(randomUUID(), null)).rows).toEqual([]);
  });

  it('reports a revoked session', async () => {
    const a = await newTenant(owner, 'ctx-a3');
    const user = await createUser(owner, a.id, { roles: ['nurse'] });
    const family = randomUUID();
    await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [a.id]);
      await tx.query(
        `INSERT INTO core.refresh_tokens (tenant_id, family_id, user_id, token_hash, expires_at, revoked_at, revoked_reason)
         VALUES ($1, $2, $3, $4, now() + interval '1 day', now(), 'logout')`,
        [a.id, family, user.id, Buffer.alloc(32, 7)],
      );
    });
    expect((await begin(a.id, user.id, family)).rows[0]).toMatchObject({ session_revoked: true });
    expect((await begin(a.id, user.id, randomUUID())).rows[0]).toMatchObject({ session_revoked: false });
  });
});
