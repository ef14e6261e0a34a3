import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { provisionTenant } from '../../libs/tenancy/src/tenant-provisioning';

/** A fresh tenant with a unique slug, created as an operator would (owner role). */
export async function newTenant(owner: DataSource, label = 't', status: 'active' | 'suspended' = 'active') {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  const { id } = await provisionTenant(owner, { slug, name: `Clinic ${slug}`, status });
  return { id, slug };
}

/** Runs fn in a transaction with app.current_tenant (and optionally the user) set, like a request. */
export async function asTenant<T>(
  ds: DataSource,
  tenantId: string | null,
  fn: (tx: EntityManager) => Promise<T>,
  userId: string | null = null,
): Promise<T> {
  return ds.transaction(async (tx) => {
    if (tenantId) {
      await tx.query(
        `SELECT set_config('app.current_tenant', $1, true), set_config('app.current_user', $2, true)`,
        [tenantId, userId ?? ''],
      );
    }
    return fn(tx);
  });
}
