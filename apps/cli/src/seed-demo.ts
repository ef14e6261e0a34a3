import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '@hims/auth';
import { provisionTenant } from '@hims/tenancy';

/**
 * A demo clinic and its administrator. The password is new on every run and
 * printed once; nothing secret is stored in the repository.
 */
export async function seedDemo(ds: DataSource) {
  const tenant = await provisionTenant(ds, {
    slug: 'demo-clinic',
    name: 'Demo Clinic',
    settings: { defaultRegion: 'IN' },
  });
  const email = 'admin@demo-clinic.local';
  const password = process.env.HIMS_DEMO_PASSWORD || `Demo-${randomBytes(9).toString('base64url')}`;
  const passwordHash = await new PasswordHasher().hash(password);
  await ds.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [tenant.id]);
    await tx.query(
      `INSERT INTO core.users (tenant_id, email, display_name, password_hash, roles)
       VALUES ($1, $2, 'Demo Administrator', $3, ARRAY['tenant_admin', 'doctor'])
       ON CONFLICT (tenant_id, lower(email))
       DO UPDATE SET password_hash = EXCLUDED.password_hash, status = 'active', updated_at = now()`,
      [tenant.id, email, passwordHash],
    );
  });
  return { tenantId: tenant.id, tenantSlug: 'demo-clinic', email, password };
}
