import type { DataSource } from 'typeorm';
import { setTransactionTenant } from '@hims/database';

export interface NewTenant {
  id?: string;
  slug: string;
  name: string;
  settings?: Record<string, unknown>;
  status?: 'active' | 'suspended';
}

/**
 * Operator-side tenant creation (owner role, never the API). The new tenant
 * is set as app.current_tenant for the transaction, so the insert passes the
 * same policies and the audit trigger records it in the tenant's own chain.
 * Idempotent on slug.
 */
export async function provisionTenant(
  ds: DataSource,
  input: NewTenant,
): Promise<{ id: string; created: boolean }> {
  return ds.transaction(async (tx) => {
    const existing: { id: string }[] = await tx.query(`SELECT id FROM core.tenants WHERE slug = $1`, [
      input.slug,
    ]);
    if (existing[0]) return { id: existing[0].id, created: false };
    const [{ id }] = await tx.query(`SELECT coalesce($1::uuid, gen_random_uuid()) AS id`, [input.id ?? null]);
    await setTransactionTenant(tx, id);
    await tx.query(
      `INSERT INTO core.tenants (id, slug, name, status, settings) VALUES ($1, $2, $3, $4, $5)`,
      [
        id,
        input.slug,
        input.name,
        input.status ?? 'active',
        JSON.stringify(input.settings ?? { defaultRegion: 'IN' }),
      ],
    );
    return { id, created: true };
  });
}
