/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * MRN numbers come from the tenant's own sequence through clinical.next_mrn_number():
 * no lock is held to commit (an open registration does not hold up another), numbers
 * never repeat under concurrency, a rollback leaves a gap, the sequence comes and goes
 * with its tenant, and the application role can take numbers only for the current tenant.
 */
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

describe('MRN numbers', () => {
  let owner: DataSource;
  let app: DataSource;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    app = await createDataSource(appUrl(), 12).initialize();
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  const next = (ds: DataSource, tenantId: string | null): Promise<number> =>
    asTenant(ds, tenantId, async (tx) =>
      Number((await tx.query(`SELECT clinical.next_mrn_number() AS n`))[0].n),
    );

  it('an open transaction holding a number does not hold up the next one, and a rollback leaves a gap', async () => {
    const { id: t } = await newTenant(owner, 'mrn');
    expect(await next(app, t)).toBe(1);
    const runner = app.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT set_config('app.current_tenant', $1, true)`, [t]);
      const [{ n }] = await runner.query(`SELECT clinical.next_mrn_number() AS n`);
      expect(Number(n)).toBe(2);
      // Still open: another registration of the same clinic gets its number at once.
      expect(await next(app, t)).toBe(3);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(await next(app, t)).toBe(4);
  });

  it('numbers never repeat under concurrency, per tenant', async () => {
    const [{ id: a }, { id: b }] = await Promise.all([newTenant(owner, 'mrn-a'), newTenant(owner, 'mrn-b')]);
    const numbers = await Promise.all(Array.from({ length: 24 }, (_, i) => next(app, i % 2 ? a : b)));
    const ofA = numbers.filter((_, i) => i % 2).sort((x, y) => x - y);
    const ofB = numbers.filter((_, i) => !(i % 2)).sort((x, y) => x - y);
    expect(ofA).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(ofB).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it("a tenant's sequence comes and goes with the tenant", async () => {
    const { id: t } = await newTenant(owner, 'mrn-life');
    const sequence = `mrn_${t.replace(/-/g, '')}`;
    const exists = async () =>
      (
        await owner.query(`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'S' AND relname = $1`, [
          sequence,
        ])
      )[0].n;
    expect(await exists()).toBe(1);
    await asTenant(owner, t, (tx) => tx.query(`DELETE FROM core.tenants WHERE id = $1`, [t]));
    expect(await exists()).toBe(0);
  });

  it('without a tenant there is no number, and the application role cannot touch counters or sequences', async () => {
    const { id: t } = await newTenant(owner, 'mrn-priv');
    await expect(next(app, null)).rejects.toMatchObject({ driverError: { code: '42501' } });
    await next(app, t);
    const sequence = `clinical.mrn_${t.replace(/-/g, '')}`;
    await expect(asTenant(app, t, (tx) => tx.query(`SELECT nextval($1)`, [sequence]))).rejects.toMatchObject({
      driverError: { code: '42501' },
    });
    await expect(
      asTenant(app, t, (tx) => tx.query(`UPDATE clinical.mrn_counters SET last_value = 0`)),
    ).rejects.toMatchObject({ driverError: { code: '42501' } });
  });
});
