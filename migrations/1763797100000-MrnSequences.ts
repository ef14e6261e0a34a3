import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * MRNs without a row lock held until commit.
 *
 * Before: registration bumped the tenant's row in clinical.mrn_counters, which
 * stayed locked until the request committed, so one clinic's registrations ran
 * one at a time. Now each tenant has its own sequence, clinical.mrn_<tenant id
 * without dashes>, and clinical.next_mrn_number() takes nextval() from it: no lock
 * outlives the call. A rolled-back registration leaves a gap (acceptable);
 * numbers never repeat. Per-tenant sequences (not one shared sequence) keep the
 * numbers dense per clinic and reveal nothing about other clinics' volume.
 *
 * The sequence is made on a tenant's first registration, starting after its old
 * counter, under an advisory lock held to commit so two first registrations
 * cannot both create it. SECURITY DEFINER (owner): the application role gets
 * neither CREATE nor the sequences themselves, only this function, which works
 * on the current tenant (app.current_tenant) and no other.
 */
export class MrnSequences1763797100000 implements MigrationInterface {
  name = 'MrnSequences1763797100000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE FUNCTION clinical.next_mrn_number() RETURNS bigint
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         v_tenant uuid := NULLIF(current_setting('app.current_tenant', true), '')::uuid;
         v_name text;
         v_start bigint;
       BEGIN
         IF v_tenant IS NULL OR NOT EXISTS (SELECT 1 FROM core.tenants WHERE id = v_tenant) THEN
           RAISE EXCEPTION 'clinical.next_mrn_number: no current tenant' USING ERRCODE = '42501';
         END IF;
         v_name := 'clinical.mrn_' || replace(v_tenant::text, '-', '');
         IF to_regclass(v_name) IS NULL THEN
           PERFORM pg_advisory_xact_lock(hashtext(v_name));
           IF to_regclass(v_name) IS NULL THEN
             SELECT last_value + 1 INTO v_start FROM clinical.mrn_counters WHERE tenant_id = v_tenant;
             EXECUTE format('CREATE SEQUENCE %s AS bigint MINVALUE 1 START WITH %s', v_name, coalesce(v_start, 1));
           END IF;
         END IF;
         RETURN nextval(v_name);
       END $$`,
      `REVOKE ALL ON FUNCTION clinical.next_mrn_number() FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION clinical.next_mrn_number() TO hims_app`,
      // The counter table is only read (as the starting point of a tenant's sequence).
      `REVOKE INSERT, UPDATE ON clinical.mrn_counters FROM hims_app`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Carry each sequence's position back into the counter table, then drop the sequences.
    await q.query(`GRANT INSERT, UPDATE ON clinical.mrn_counters TO hims_app`);
    const sequences: { name: string; tenant: string }[] = await q.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name,
              regexp_replace(substr(c.relname, 5), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\\1-\\2-\\3-\\4-\\5') AS tenant
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND n.nspname = 'clinical' AND c.relname ~ '^mrn_[0-9a-f]{32}$'`,
    );
    for (const s of sequences) {
      await q.query(`SELECT set_config('app.current_tenant', $1, true)`, [s.tenant]);
      await q.query(
        `INSERT INTO clinical.mrn_counters (tenant_id, last_value)
         SELECT $1::uuid, last_value FROM ${s.name} WHERE is_called
         ON CONFLICT (tenant_id) DO UPDATE SET last_value = excluded.last_value`,
        [s.tenant],
      );
      await q.query(`DROP SEQUENCE ${s.name}`);
    }
    await q.query(`SELECT set_config('app.current_tenant', '', true)`);
    await q.query(`DROP FUNCTION clinical.next_mrn_number()`);
  }
}
