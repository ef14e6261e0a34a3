import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One statement opens every request: core.begin_request() sets the request's
 * row-level-security variables (transaction-local, like before) and returns what
 * the tenant boundary needs to know: the tenant (status, settings) and, for an
 * authenticated caller, the user's status and current roles and whether the
 * session was revoked. Before, that took four round trips (set_config, the tenant
 * row, the principal's state, and the tenant row again in some services).
 *
 * SECURITY DEFINER (owner): the application role gains nothing it could not read
 * itself. The function sets app.current_tenant to the tenant it was given *before*
 * reading anything, so the forced RLS policies confine the user and session reads
 * to that tenant; the tenant row is also filtered by id explicitly (the owner's
 * operator policy on core.tenants would otherwise show every tenant).
 */
export class RequestContext1763797300000 implements MigrationInterface {
  name = 'RequestContext1763797300000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE FUNCTION core.begin_request(p_tenant uuid, p_user uuid, p_request_id text, p_session uuid)
       RETURNS TABLE (tenant_id uuid, slug text, name text, status text, settings jsonb,
                      user_status text, user_roles text[], session_revoked boolean)
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         IF p_tenant IS NULL THEN
           RAISE EXCEPTION 'core.begin_request: tenant is required' USING ERRCODE = '22004';
         END IF;
         PERFORM set_config('app.current_tenant', p_tenant::text, true),
                 set_config('app.current_user', coalesce(p_user::text, ''), true),
                 set_config('app.request_id', coalesce(p_request_id, ''), true);
         RETURN QUERY
           SELECT t.id, t.slug, t.name, t.status, t.settings, u.status, u.roles,
                  CASE WHEN p_session IS NULL THEN NULL ELSE EXISTS (
                    SELECT 1 FROM core.refresh_tokens r
                     WHERE r.tenant_id = p_tenant AND r.family_id = p_session AND r.revoked_at IS NOT NULL) END
             FROM core.tenants t
             LEFT JOIN core.users u ON u.tenant_id = p_tenant AND u.id = p_user
            WHERE t.id = p_tenant;
       END $$`,
      `REVOKE ALL ON FUNCTION core.begin_request(uuid, uuid, text, uuid) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION core.begin_request(uuid, uuid, text, uuid) TO hims_app`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION core.begin_request(uuid, uuid, text, uuid)`);
  }
}
