import type { Sql } from './platform-database';

export interface PlatformTenantRow {
  id: string;
  slug: string;
  name: string;
  status: 'provisioning' | 'active' | 'suspended' | 'failed';
  settings: Record<string, unknown>;
  createdAt: Date;
  /** createdAt at full precision (microseconds), for the page cursor. */
  cursorAt: string;
  sagaId: string | null;
}

/**
 * Tenants as operators see them: every row of core.tenants (the platform role's
 * own SELECT policy) joined with the newest saga that made it, plus the sagas
 * whose tenant never came to be or was discarded (status `failed`) or does not
 * exist yet (`provisioning`).
 */
const VIEW = `
  SELECT coalesce(t.id, s.tenant_id) AS id,
         coalesce(t.slug, s.slug) AS slug,
         coalesce(t.name, s.input ->> 'name') AS name,
         coalesce(t.status, CASE WHEN s.status = 'failed' THEN 'failed' ELSE 'provisioning' END) AS status,
         coalesce(t.settings, '{}'::jsonb) AS settings,
         coalesce(t.created_at, s.created_at) AS "createdAt",
         coalesce(t.created_at, s.created_at)::text AS "cursorAt",
         s.id AS "sagaId"
    FROM core.tenants t
    FULL JOIN (SELECT DISTINCT ON (tenant_id) * FROM platform.sagas ORDER BY tenant_id, created_at DESC) s
      ON s.tenant_id = t.id`;

export const PlatformTenantsRepository = {
  async find(sql: Sql, id: string): Promise<PlatformTenantRow | undefined> {
    return (await sql.query(`SELECT * FROM (${VIEW}) v WHERE id = $1`, [id]))[0];
  },

  /** Keyset pagination on (createdAt, id). */
  async list(
    sql: Sql,
    opts: { status?: string; limit: number; after?: { createdAt: string; id: string } },
  ): Promise<PlatformTenantRow[]> {
    return sql.query(
      `SELECT * FROM (${VIEW}) v
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::timestamptz IS NULL OR ("createdAt", id) > ($2::timestamptz, $3::uuid))
        ORDER BY "createdAt", id
        LIMIT $4`,
      [opts.status ?? null, opts.after?.createdAt ?? null, opts.after?.id ?? null, opts.limit],
    );
  },

  async slugInUse(sql: Sql, slug: string): Promise<boolean> {
    const rows = await sql.query(
      `SELECT 1 FROM core.tenants WHERE slug = $1 UNION ALL SELECT 1 FROM platform.slug_reservations WHERE slug = $1`,
      [slug],
    );
    return rows.length > 0;
  },
};
