/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * The demo seed onboards its clinic through the provisioning saga (the saga
 * log shows every step done) and makes a platform operator; run again, it
 * keeps the clinic and resets both passwords.
 */
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src';
import { PasswordHasher } from '../../libs/auth/src/password-hasher';
import { createDataSource } from '../../libs/database/src/data-source';
import { STEP_NAMES } from '../../libs/platform/src';
import { seedDemo } from '../../apps/cli/src/seed-demo';
import { ownerUrl, platformUrl } from '../support/env';
import { asTenant } from '../support/fixtures';

jest.setTimeout(60_000);

describe('seed-demo', () => {
  let owner: DataSource;
  const config = () => {
    const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
    return { ...base, platform: { ...base.platform, databaseUrl: platformUrl() } };
  };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
  });
  afterAll(() => owner?.destroy());

  it('provisions the demo clinic through the saga and an operator; a second run keeps the clinic', async () => {
    const first = await seedDemo(owner, config());
    expect(first.sagaId).toEqual(expect.any(String));
    const steps = await owner.query(
      `SELECT step, status FROM platform.saga_steps WHERE saga_id = $1 ORDER BY started_at`,
      [first.sagaId],
    );
    expect(steps.map((s: { step: string }) => s.step)).toEqual(STEP_NAMES);
    expect(steps.every((s: { status: string }) => s.status === 'done')).toBe(true);
    const [tenant] = await owner.query(`SELECT status, settings FROM core.tenants WHERE id = $1`, [
      first.tenantId,
    ]);
    expect(tenant).toEqual({
      status: 'active',
      settings: { defaultRegion: 'IN', mrnPrefix: 'DEMO', timeZone: 'Asia/Kolkata' },
    });
    const [admin] = await asTenant(owner, first.tenantId, (tx) =>
      tx.query(`SELECT password_hash, roles FROM core.users WHERE email = $1`, [first.email]),
    );
    expect(admin.roles).toEqual(['tenant_admin', 'doctor']);
    expect(await new PasswordHasher().verify(admin.password_hash, first.password)).toBe(true);
    const [operator] = await owner.query(`SELECT password_hash FROM platform.operators WHERE email = $1`, [
      first.operatorEmail,
    ]);
    expect(await new PasswordHasher().verify(operator.password_hash, first.operatorPassword)).toBe(true);

    const second = await seedDemo(owner, config());
    expect(second.tenantId).toBe(first.tenantId);
    expect(second.sagaId).toBeNull();
    expect(second.password).not.toBe(first.password);
    const [operatorAgain] = await owner.query(
      `SELECT password_hash FROM platform.operators WHERE email = $1`,
      [first.operatorEmail],
    );
    expect(await new PasswordHasher().verify(operatorAgain.password_hash, second.operatorPassword)).toBe(
      true,
    );
  });
});
