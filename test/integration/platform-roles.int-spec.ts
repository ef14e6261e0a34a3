/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The platform role's boundaries: hims_app cannot reach the platform schema at
 * all; hims_platform is no owner, cannot bypass RLS, reads tenants but changes
 * them only through the controlled functions, and cannot read tenants' users.
 */
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { appUrl, ownerUrl, platformUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

describe('platform role boundaries', () => {
  let owner: DataSource;
  let app: DataSource;
  let platform: DataSource;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 2).initialize();
    platform = await createDataSource(platformUrl(), 2).initialize();
  });
  afterAll(async () => {
    await Promise.all([owner.destroy(), app.destroy(), platform.destroy()]);
  });

  const sqlstateOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return (
        (err as { driverError?: { code?: string }; code?: string }).driverError?.code ??
        (err as { code?: string }).code
      );
    }
    return 'no error';
  };

  it('hims_app cannot read platform.operators, the saga log or the platform audit (42501)', async () => {
    for (const table of ['platform.operators', 'platform.sagas', 'platform.saga_steps', 'platform.audit']) {
      expect(await sqlstateOf(app.query(`SELECT count(*) FROM ${table}`))).toBe('42501');
    }
    expect(await sqlstateOf(app.query(`SELECT platform.discard_tenant(gen_random_uuid())`))).toBe('42501');
  });

  it('hims_platform is neither owner nor superuser and cannot bypass RLS', async () => {
    const [role] = await owner.query(
      `SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'hims_platform'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
    const owned = await owner.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'hims_platform'`,
    );
    expect(owned[0].n).toBe(0);
  });

  it('hims_platform reads tenants but writes none directly, and cannot read users or patients', async () => {
    const t = await newTenant(owner, 'roles');
    const rows = await platform.query(`SELECT id FROM core.tenants WHERE id = $1`, [t.id]);
    expect(rows).toHaveLength(1);
    expect(
      await sqlstateOf(platform.query(`UPDATE core.tenants SET status = 'suspended' WHERE id = $1`, [t.id])),
    ).toBe('42501');
    expect(
      await sqlstateOf(platform.query(`INSERT INTO core.tenants (slug, name) VALUES ('x-direct', 'Direct')`)),
    ).toBe('42501');
    expect(await sqlstateOf(platform.query(`SELECT count(*) FROM core.users`))).toBe('42501');
    expect(await sqlstateOf(platform.query(`SELECT count(*) FROM clinical.patients`))).toBe('42501');
    // Operators are created by the CLI (owner role), never through the platform role.
    expect(
      await sqlstateOf(
        platform.query(
          `INSERT INTO platform.operators (email, display_name, password_hash) VALUES ('a@b.c', 'x', 'x')`,
        ),
      ),
    ).toBe('42501');
  });

  it('the controlled functions refuse to touch a tenant outside provisioning (no discarding a live clinic)', async () => {
    const t = await newTenant(owner, 'live');
    expect(await sqlstateOf(platform.query(`SELECT platform.discard_tenant($1)`, [t.id]))).toBe('55000');
    expect(
      await sqlstateOf(
        platform.query(
          `SELECT * FROM platform.create_first_admin($1, gen_random_uuid(), 'a@b.c', 'A', $2, 60)`,
          [t.id, Buffer.alloc(32)],
        ),
      ),
    ).toBe('55000');
    const [still] = await owner.query(`SELECT status FROM core.tenants WHERE id = $1`, [t.id]);
    expect(still.status).toBe('active');
  });
});
