import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolation } from './lib/rls';

/**
 * Change-data-capture pipeline (docs/pipeline.md).
 *
 * - analytics: per-tenant aggregates kept by the worker from the event topics,
 *   under RLS like every tenant table; processed_events makes each event count
 *   once (at-least-once delivery).
 * - events.purge_outbox(): deletes captured outbox rows. Debezium reads inserts
 *   from the WAL through the replication slot, not from the table, so deleting
 *   a committed row never loses its event. SECURITY DEFINER (owner) so the
 *   worker's application role can run it without DELETE on the table; it walks
 *   the tenants because FORCE RLS applies to the owner too, and it refuses to
 *   delete anything younger than five minutes.
 */
export class Pipeline1763780400000 implements MigrationInterface {
  name = 'Pipeline1763780400000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE SCHEMA analytics`,
      `REVOKE ALL ON SCHEMA analytics FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA analytics TO hims_app`,

      `CREATE TABLE analytics.processed_events (
         tenant_id uuid NOT NULL,
         event_id uuid NOT NULL,
         event_type text NOT NULL,
         occurred_at timestamptz NOT NULL,
         processed_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, event_id)
       )`,
      `CREATE INDEX processed_events_processed_at_idx ON analytics.processed_events (processed_at)`,
      ...tenantIsolation('analytics.processed_events'),

      // One row per tenant, UTC day and metric (patient_registrations, logins, login_failures, ...).
      `CREATE TABLE analytics.daily_counters (
         tenant_id uuid NOT NULL,
         day date NOT NULL,
         metric text NOT NULL CHECK (metric ~ '^[a-z][a-z_]*$'),
         count bigint NOT NULL DEFAULT 0 CHECK (count >= 0),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, day, metric)
       )`,
      ...tenantIsolation('analytics.daily_counters'),

      // Distinct users who logged in on a day (UTC); count(*) per day = active users.
      `CREATE TABLE analytics.daily_active_users (
         tenant_id uuid NOT NULL,
         day date NOT NULL,
         user_id uuid NOT NULL,
         first_seen_at timestamptz NOT NULL,
         PRIMARY KEY (tenant_id, day, user_id)
       )`,
      ...tenantIsolation('analytics.daily_active_users'),

      `GRANT SELECT, INSERT ON analytics.processed_events TO hims_app`,
      `GRANT SELECT, INSERT, UPDATE ON analytics.daily_counters, analytics.daily_active_users TO hims_app`,

      `CREATE FUNCTION events.purge_outbox(p_older_than interval) RETURNS bigint
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         v_cutoff timestamptz;
         v_tenant uuid;
         v_count bigint;
         v_total bigint := 0;
         v_previous text := current_setting('app.current_tenant', true);
       BEGIN
         IF p_older_than IS NULL OR p_older_than < interval '5 minutes' THEN
           RAISE EXCEPTION 'events.purge_outbox: keep at least 5 minutes of outbox rows (got %)', p_older_than
             USING ERRCODE = '22023';
         END IF;
         v_cutoff := now() - p_older_than;
         FOR v_tenant IN SELECT id FROM core.tenants LOOP
           PERFORM set_config('app.current_tenant', v_tenant::text, true);
           DELETE FROM events.outbox WHERE tenant_id = v_tenant AND occurred_at < v_cutoff;
           GET DIAGNOSTICS v_count = ROW_COUNT;
           v_total := v_total + v_count;
         END LOOP;
         PERFORM set_config('app.current_tenant', coalesce(v_previous, ''), true);
         RETURN v_total;
       END $$`,
      `REVOKE ALL ON FUNCTION events.purge_outbox(interval) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION events.purge_outbox(interval) TO hims_app`,

      // Dedup records only need to outlive Kafka's retention; same shape as the outbox purge.
      `CREATE FUNCTION analytics.purge_processed_events(p_older_than interval) RETURNS bigint
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
       DECLARE
         v_tenant uuid;
         v_count bigint;
         v_total bigint := 0;
         v_previous text := current_setting('app.current_tenant', true);
       BEGIN
         IF p_older_than IS NULL OR p_older_than < interval '7 days' THEN
           RAISE EXCEPTION 'analytics.purge_processed_events: keep at least 7 days (got %)', p_older_than
             USING ERRCODE = '22023';
         END IF;
         FOR v_tenant IN SELECT id FROM core.tenants LOOP
           PERFORM set_config('app.current_tenant', v_tenant::text, true);
           DELETE FROM analytics.processed_events
            WHERE tenant_id = v_tenant AND processed_at < now() - p_older_than;
           GET DIAGNOSTICS v_count = ROW_COUNT;
           v_total := v_total + v_count;
         END LOOP;
         PERFORM set_config('app.current_tenant', coalesce(v_previous, ''), true);
         RETURN v_total;
       END $$`,
      `REVOKE ALL ON FUNCTION analytics.purge_processed_events(interval) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION analytics.purge_processed_events(interval) TO hims_app`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP FUNCTION IF EXISTS analytics.purge_processed_events(interval)`,
      `DROP FUNCTION IF EXISTS events.purge_outbox(interval)`,
      `DROP SCHEMA analytics CASCADE`,
    ]) {
      await q.query(sql);
    }
  }
}
