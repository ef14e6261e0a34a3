/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Tenant isolation enforced by the database itself, checked as the
 * application role the API uses.
 */
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const TENANT_SCHEMAS = ['core', 'clinical', 'audit', 'events', 'analytics', 'billing'];

describe('row-level security (application role)', () => {
  let owner: DataSource;
  let app: DataSource;
  let a: { id: string };
  let b: { id: string };
  let tenantTables: { table: string; column: string }[];

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
    a = await newTenant(owner, 'rls-a');
    b = await newTenant(owner, 'rls-b');
    for (const t of [a, b]) {
      await asTenant(owner, t.id, (tx) =>
        tx.query(
          `INSERT INTO core.users (tenant_id, email, display_name, roles) VALUES ($1, $2, 'User', '{doctor}')`,
          [t.id, `doc-${t.id}@example.test`],
        ),
      );
      await asTenant(owner, t.id, (tx) =>
        tx.query(
          `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload)
           VALUES ($1, 'user', gen_random_uuid(), 'user.created', '{}')`,
          [t.id],
        ),
      );
    }
    // Every table in a tenant schema that has a tenant column (core.tenants keys on id).
    tenantTables = await owner.query(
      `SELECT format('%I.%I', c.table_schema, c.table_name) AS table, c.column_name AS column
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE t.table_type = 'BASE TABLE' AND c.table_schema = ANY($1)
          AND (c.column_name = 'tenant_id' OR (c.table_schema, c.table_name, c.column_name) = ('core', 'tenants', 'id'))`,
      [TENANT_SCHEMAS],
    );
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  it('finds the tenant tables it is about to check', () => {
    const names = tenantTables.map((t) => t.table);
    expect(names).toEqual(expect.arrayContaining(['core.tenants', 'core.users', 'events.outbox', 'audit.audit_log']));
  });

  it('every tenant table has ENABLE + FORCE RLS, policies for all four commands, and tenant_id leading a key', async () => {
    for (const { table, column } of tenantTables) {
      const [rel] = await owner.query(
        `SELECT c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                array(SELECT p.polcmd::text FROM pg_policy p WHERE p.polrelid = c.oid AND p.polroles = '{0}' ORDER BY 1) AS cmds,
                EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique
                          AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = c.oid AND attname = $2)) AS leading
           FROM pg_class c WHERE c.oid = $1::regclass`,
        [table, column],
      );
      expect({ table, ...rel }).toEqual({ table, enabled: true, forced: true, cmds: ['a', 'd', 'r', 'w'], leading: true });
    }
  });

  it('policies read the tenant setting once per statement (InitPlan), not per row', async () => {
    const plan = await asTenant(app, a.id, (tx) => tx.query(`EXPLAIN SELECT * FROM core.users`));
    expect(plan.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).toMatch(/InitPlan/);
  });

  it('with no tenant set, SELECT on every tenant table returns no rows', async () => {
    for (const { table } of tenantTables) {
      const [{ n }] = await asTenant(app, null, (tx) => tx.query(`SELECT count(*)::int AS n FROM ${table}`));
      expect({ table, n }).toEqual({ table, n: 0 });
    }
    // The rows exist: the owner sees them with a tenant set.
    const [{ n }] = await asTenant(owner, a.id, (tx) => tx.query(`SELECT count(*)::int AS n FROM core.users`));
    expect(n).toBe(1);
  });

  it('with no tenant set, INSERT fails', async () => {
    await expect(
      asTenant(app, null, (tx) =>
        tx.query(`INSERT INTO core.users (tenant_id, email, display_name) VALUES ($1, 'x@y.test', 'X')`, [a.id]),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      asTenant(app, null, (tx) =>
        tx.query(
          `INSERT INTO events.outbox (tenant_id, aggregate_type, aggregate_id, event_type, payload)
           VALUES ($1, 'user', gen_random_uuid(), 'user.created', '{}')`,
          [a.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("with tenant A set, B's rows are invisible, untouchable and cannot be inserted", async () => {
    await asTenant(app, a.id, async (tx) => {
      const users = await tx.query(`SELECT tenant_id FROM core.users`);
      expect(users).toEqual([{ tenant_id: a.id }]);
      const tenants = await tx.query(`SELECT id FROM core.tenants`);
      expect(tenants).toEqual([{ id: a.id }]);
      const updated = await tx.query(`UPDATE core.users SET display_name = 'hacked' WHERE tenant_id = $1`, [b.id]);
      expect(updated[1]).toBe(0);
    });
    await expect(
      asTenant(app, a.id, (tx) =>
        tx.query(`INSERT INTO core.users (tenant_id, email, display_name) VALUES ($1, 'evil@b.test', 'Evil')`, [b.id]),
      ),
    ).rejects.toThrow(/row-level security/);
    // The application role has no DELETE on users at all; the owner, with A set, deletes none of B's.
    const deleted = await asTenant(owner, a.id, (tx) => tx.query(`DELETE FROM core.users WHERE tenant_id = $1`, [b.id]));
    expect(deleted[1]).toBe(0);
    const [{ name }] = await asTenant(owner, b.id, (tx) => tx.query(`SELECT display_name AS name FROM core.users`));
    expect(name).toBe('User');
  });

  it('the application role is no superuser, cannot bypass RLS, owns nothing, and cannot escalate', async () => {
    const [role] = await app.query(
      `SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
              (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned_relations,
              (SELECT count(*)::int FROM pg_namespace WHERE nspowner = r.oid) AS owned_schemas,
              (SELECT count(*)::int FROM pg_auth_members WHERE member = r.oid) AS memberships
         FROM pg_roles r WHERE rolname = current_user`,
    );
    expect(role).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      owned_relations: 0,
      owned_schemas: 0,
      memberships: 0,
    });
    await expect(app.query(`ALTER TABLE core.users DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`ALTER TABLE core.users NO FORCE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`DROP POLICY core_users_tenant_select ON core.users`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`SET ROLE hims_owner`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`SET SESSION AUTHORIZATION hims_owner`)).rejects.toThrow(/permission denied/);
    // row_security=off makes a query that RLS would filter fail rather than bypass.
    await expect(
      app.transaction(async (tx) => {
        await tx.query(`SET LOCAL row_security = off`);
        return tx.query(`SELECT * FROM core.users`);
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('transaction-local settings do not survive a rolled-back transaction on a pooled connection', async () => {
    const single = await createDataSource(appUrl(), 1).initialize();
    try {
      await expect(
        asTenant(single, a.id, async (tx) => {
          await tx.query(`SELECT 1 FROM core.users`);
          throw new Error('fail mid-transaction');
        }),
      ).rejects.toThrow('fail mid-transaction');
      const [ctx] = await single.query(
        `SELECT NULLIF(current_setting('app.current_tenant', true), '') AS tenant,
                (SELECT count(*)::int FROM core.users) AS users`,
      );
      expect(ctx).toEqual({ tenant: null, users: 0 });
    } finally {
      await single.destroy();
    }
  });
});
