import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sign-in page knows a clinic by its slug; every tenant route needs its id.
 * core.tenant_id_for_slug() answers exactly that and nothing else: the id of an
 * active tenant with this slug, or NULL (unknown and suspended look the same).
 *
 * SECURITY DEFINER (owner) because core.tenants is under forced RLS and no
 * tenant is set before sign-in; the application role gains one column of one
 * row it names, and no other way to list or read tenants.
 */
export class TenantSlugLookup1763802000000 implements MigrationInterface {
  name = 'TenantSlugLookup1763802000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE FUNCTION core.tenant_id_for_slug(p_slug text) RETURNS uuid
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
         SELECT t.id FROM core.tenants t WHERE t.slug = lower(p_slug) AND t.status = 'active'
       $$`,
      `REVOKE ALL ON FUNCTION core.tenant_id_for_slug(text) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION core.tenant_id_for_slug(text) TO hims_app`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION core.tenant_id_for_slug(text)`);
  }
}
