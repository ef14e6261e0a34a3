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
 * The sequence is made with the tenant (a trigger on core.tenants; this
 * migration makes those of existing tenants, continuing after their old
 * counter), so no request ever runs DDL. SECURITY DEFINER (owner): the
 * application role gets neither CREATE nor the sequences themselves, only
 * next_mrn_number(), which works on the current tenant (app.current_tenant).
 */
export class MrnSequences1763797100000 implements MigrationInterface {
  name = 'MrnSequences1763797100000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE FUNCTION clinical.mrn_sequence_name(p_tenant uuid) RETURNS text
       LANGUAGE sql IMMUTABLE AS $$ SELECT 'clinical.mrn_' || replace(p_tenant::text, '-', '') $$`,
      `CREATE FUNCTION clinical.manage_mrn_sequence() RETURNS trigger
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       BEGIN
         IF TG_OP = 'INSERT' THEN
           EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %s AS bigint MINVALUE 1', clinical.mrn_sequence_name(NEW.id));
         ELSE
           EXECUTE format('DROP SEQUENCE IF EXISTS %s', clinical.mrn_sequence_name(OLD.id));
         END IF;
         RETURN NULL;
       END $$`,
      `CREATE TRIGGER tenants_mrn_sequence AFTER INSERT OR DELETE ON core.tenants
         FOR EACH ROW EXECUTE FUNCTION clinical.manage_mrn_sequence()`,
      // Existing tenants: a sequence each, continuing after the old counter.
      `DO $$
       DECLARE t record;
       BEGIN
         FOR t IN SELECT id FROM core.tenants LOOP
           PERFORM set_config('app.current_tenant', t.id::text, true);
           EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %s AS bigint MINVALUE 1 START WITH %s',
                          clinical.mrn_sequence_name(t.id),
                          coalesce((SELECT last_value + 1 FROM clinical.mrn_counters WHERE tenant_id = t.id), 1));
         END LOOP;
         PERFORM set_config('app.current_tenant', '', true);
       END $$`,
      `CREATE FUNCTION clinical.next_mrn_number() RETURNS bigint
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         v_tenant uuid := NULLIF(current_setting('app.current_tenant', true), '')::uuid;
       BEGIN
         IF v_tenant IS NULL OR NOT EXISTS (SELECT 1 FROM core.tenants WHERE id = v_tenant) THEN
           RAISE EXCEPTION 'clinical.next_mrn_number: no current tenant' USING ERRCODE = '42501';
         END IF;
         RETURN nextval(clinical.mrn_sequence_name(v_tenant));
       END $$`,
      `REVOKE ALL ON FUNCTION clinical.next_mrn_number() FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION clinical.next_mrn_number() TO hims_app`,
      // The counter table is kept only as history (the starting point above).
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
    await q.query(`DROP TRIGGER tenants_mrn_sequence ON core.tenants`);
    await q.query(`DROP FUNCTION clinical.manage_mrn_sequence()`);
    await q.query(`DROP FUNCTION clinical.mrn_sequence_name(uuid)`);
  }
}
