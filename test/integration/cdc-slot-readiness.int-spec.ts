/**
 * Needs: PostgreSQL 15 binaries. A throw-away cluster of this test's own (started by
 * infra/postgres/pg.sh, archiving off, max_slot_wal_keep_size 1 MB) where a replication slot
 * can really be lost: a slot nobody streams from, a few WAL segments, a checkpoint, and
 * PostgreSQL invalidates it (wal_status 'lost'), as it did to Debezium's slot during the bench.
 *
 * The worker's change-capture readiness fails with an ALERT log line and metrics, and the
 * self-repair hook is called once, for a lost slot and for one lagging past the limit.
 */
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SlotMonitor } from '../../apps/worker/src/slot-monitor';
import { createDataSource } from '../../libs/database/src/data-source';
import { renderMetrics } from '../../libs/observability/src';
import { startThrowawayCluster, ThrowawayCluster } from '../support/throwaway-cluster';

describe('change capture cannot die silently (a really lost slot, own cluster)', () => {
  let cluster: ThrowawayCluster;
  let app: DataSource;
  const errors: string[] = [];

  beforeAll(async () => {
    cluster = await startThrowawayCluster({ HIMS_BACKUP: 'off', HIMS_PG_SLOT_KEEP: '1MB' });
    app = await createDataSource(cluster.urls.app, 2).initialize();
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
  }, 120000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.destroy();
    cluster?.destroy();
  });

  it('is ready while the slot keeps up, unready with an ALERT when it lags past the limit', async () => {
    await cluster.sql(`SELECT pg_create_logical_replication_slot('lagging_slot', 'pgoutput')`);
    const monitor = new SlotMonitor(app, 'lagging_slot', 64 * 1024);
    expect((await monitor.readiness()).cdc.status).toBe('up');

    // WAL the slot has not confirmed: a table of 100k rows is a few MB.
    await cluster.sql(`CREATE TABLE filler AS SELECT g, repeat('x', 20) AS pad FROM generate_series(1, 100000) g`);
    const down = await monitor.readiness();
    expect(down.cdc).toMatchObject({ status: 'down', alert: 'lagging', lost: false });
    expect(errors.filter((e) => e.startsWith('ALERT change capture: slot lagging_slot holds'))).toHaveLength(1);
    const scrape = (await renderMetrics()).body;
    expect(scrape).toContain('hims_cdc_slot_alert{slot="lagging_slot"} 1');
    expect(scrape).toContain('hims_cdc_slot_alerts_total{slot="lagging_slot",reason="lagging"} 1');
    await cluster.sql(`SELECT pg_drop_replication_slot('lagging_slot')`);
  });

  it('is unready with an ALERT once PostgreSQL has invalidated the slot, and calls the self-repair once', async () => {
    await cluster.sql(`SELECT pg_create_logical_replication_slot('doomed_slot', 'pgoutput')`);
    let repairs = 0;
    let repaired!: () => void;
    let release!: () => void;
    const repairCalled = new Promise<void>((r) => (repaired = r));
    const held = new Promise<void>((r) => (release = r));
    // The repair is held open until the test has looked: no second call while one runs.
    const monitor = new SlotMonitor(app, 'doomed_slot', 1024 ** 3, async () => {
      repairs++;
      repaired();
      await held;
    });
    expect((await monitor.readiness()).cdc.status).toBe('up');

    // Past max_slot_wal_keep_size (1 MB here): three segment switches with writes between, then a checkpoint.
    for (let i = 0; i < 3; i++) {
      await cluster.sql(`INSERT INTO filler SELECT g, 'y' FROM generate_series(1, 1000) g`);
      await cluster.sql(`SELECT pg_switch_wal()`);
    }
    await cluster.sql(`CHECKPOINT`);
    const [{ wal_status }] = await cluster.sql<{ wal_status: string }>(
      `SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'doomed_slot'`,
    );
    expect(wal_status).toBe('lost');

    const down = await monitor.readiness();
    expect(down.cdc).toMatchObject({ status: 'down', alert: 'lost', lost: true, streaming: false });
    expect(errors.filter((e) => e.startsWith('ALERT change capture: slot doomed_slot is lost'))).toHaveLength(1);
    const scrape = (await renderMetrics()).body;
    expect(scrape).toContain('hims_cdc_slot_lost{slot="doomed_slot"} 1');
    expect(scrape).toContain('hims_cdc_slot_alerts_total{slot="doomed_slot",reason="lost"} 1');

    monitor.watch(50);
    await repairCalled;
    monitor.stop();
    release();
    expect(repairs).toBe(1);
  });
});
