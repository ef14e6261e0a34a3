import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@hims/config';
import { PasswordHasher } from '@hims/auth';
import { OperatorsRepository, provisionWithSaga } from '@hims/platform';
import { asOwnerInTenant } from '@hims/database';

const SLUG = 'demo-clinic';
const ADMIN_EMAIL = 'admin@demo-clinic.local';
const OPERATOR_EMAIL = 'operator@hims.local';

/**
 * A platform operator, and a demo clinic onboarded through the provisioning
 * saga (the same one POST /api/v1/platform/tenants runs) with its first admin.
 * Passwords are new on every run (or HIMS_DEMO_PASSWORD / HIMS_DEMO_OPERATOR_PASSWORD)
 * and printed once; nothing secret is stored in the repository. A clinic that
 * already exists keeps its id; only the passwords are reset.
 */
export async function seedDemo(ds: DataSource, config: AppConfig) {
  const hasher = new PasswordHasher();
  const operatorPassword =
    process.env.HIMS_DEMO_OPERATOR_PASSWORD || `Op-${randomBytes(9).toString('base64url')}`;
  let operator = await OperatorsRepository.findByEmail(ds, OPERATOR_EMAIL);
  if (operator) {
    await ds.query(
      `UPDATE platform.operators SET password_hash = $2, status = 'active', updated_at = now() WHERE id = $1`,
      [operator.id, await hasher.hash(operatorPassword)],
    );
  } else {
    const id = await OperatorsRepository.create(ds, {
      email: OPERATOR_EMAIL,
      displayName: 'Demo Platform Operator',
      passwordHash: await hasher.hash(operatorPassword),
    });
    operator = (await OperatorsRepository.findById(ds, id))!;
  }

  let tenantId: string | undefined = (
    await ds.query(`SELECT id FROM core.tenants WHERE slug = $1`, [SLUG])
  )[0]?.id;
  let sagaId: string | null = null;
  if (!tenantId) {
    const made = await provisionWithSaga(
      config,
      {
        slug: SLUG,
        name: 'Demo Clinic',
        settings: { defaultPhoneRegion: 'IN', mrnPrefix: 'DEMO', timeZone: 'Asia/Kolkata' },
        firstAdmin: { email: ADMIN_EMAIL, displayName: 'Demo Administrator' },
      },
      operator.id,
    );
    if (made.status !== 'completed') {
      throw new Error(`provisioning the demo clinic failed at ${made.failedStep} (saga ${made.sagaId})`);
    }
    tenantId = made.tenantId;
    sagaId = made.sagaId;
  }

  // The demo admin gets a printed password (as if the invitation had been accepted) and the doctor role too.
  const password = process.env.HIMS_DEMO_PASSWORD || `Demo-${randomBytes(9).toString('base64url')}`;
  const passwordHash = await hasher.hash(password);
  await asOwnerInTenant(ds, tenantId, async (tx) => {
    const [user] = await tx.query(
      `INSERT INTO core.users (tenant_id, email, display_name, password_hash, roles)
       VALUES ($1, $2, 'Demo Administrator', $3, ARRAY['tenant_admin', 'doctor'])
       ON CONFLICT (tenant_id, lower(email))
       DO UPDATE SET password_hash = EXCLUDED.password_hash, roles = EXCLUDED.roles, status = 'active', updated_at = now()
       RETURNING id`,
      [tenantId, ADMIN_EMAIL, passwordHash],
    );
    await tx.query(
      `UPDATE core.user_invitations SET accepted_at = now() WHERE tenant_id = $1 AND user_id = $2 AND accepted_at IS NULL`,
      [tenantId, user.id],
    );
  });
  return {
    tenantId,
    tenantSlug: SLUG,
    sagaId,
    email: ADMIN_EMAIL,
    password,
    operatorEmail: OPERATOR_EMAIL,
    operatorPassword,
  };
}
