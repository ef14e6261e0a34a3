import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A platform operator sets a clinic's share of the API (issue 14's bulkheads):
 * core.tenants.settings.limits `{maxConcurrentTransactions, writesPerMinute,
 * searchesPerMinute}`, read by the tenant boundary on every request. Before this only
 * SQL as the owner could set them. hims_platform changes tenants only through
 * controlled SECURITY DEFINER functions; this one replaces the limits object as a
 * whole (NULL or `{}` removes it: the configured defaults apply), refuses any other
 * key or a value that is not a whole number in range (22023), and answers the limits
 * it replaced, for the operator audit.
 */
export class TenantLimitsByOperator1763810000000 implements MigrationInterface {
  name = 'TenantLimitsByOperator1763810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION platform.set_tenant_limits(p_id uuid, p_limits jsonb)
      RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE
        previous jsonb;
        k text;
        v jsonb;
      BEGIN
        IF p_limits IS NOT NULL THEN
          IF jsonb_typeof(p_limits) <> 'object' THEN
            RAISE EXCEPTION 'platform.set_tenant_limits: limits must be an object' USING ERRCODE = '22023';
          END IF;
          FOR k, v IN SELECT * FROM jsonb_each(p_limits) LOOP
            IF k NOT IN ('maxConcurrentTransactions', 'writesPerMinute', 'searchesPerMinute')
               OR jsonb_typeof(v) <> 'number' OR v::numeric <> trunc(v::numeric)
               OR v::numeric < (CASE WHEN k = 'maxConcurrentTransactions' THEN 1 ELSE 0 END)
               OR v::numeric > 1000000 THEN
              RAISE EXCEPTION 'platform.set_tenant_limits: % is not a valid limit', k USING ERRCODE = '22023';
            END IF;
          END LOOP;
        END IF;
        PERFORM set_config('app.current_tenant', p_id::text, true);
        SELECT settings -> 'limits' INTO previous FROM core.tenants
         WHERE id = p_id AND status IN ('active', 'suspended') FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'platform.set_tenant_limits: tenant is not active or suspended' USING ERRCODE = '55000';
        END IF;
        UPDATE core.tenants
           SET settings = CASE WHEN p_limits IS NULL OR p_limits = '{}'::jsonb THEN settings - 'limits'
                               ELSE jsonb_set(settings, '{limits}', p_limits) END,
               updated_at = now()
         WHERE id = p_id;
        RETURN previous;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION platform.set_tenant_limits(uuid, jsonb) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION platform.set_tenant_limits(uuid, jsonb) TO hims_platform`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION platform.set_tenant_limits(uuid, jsonb)`);
  }
}
