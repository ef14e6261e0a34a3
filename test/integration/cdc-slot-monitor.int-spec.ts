/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it), wal_level=logical.
 * The worker's change-capture slot gauges read the real pg_replication_slots as the
 * application role: a missing slot, and a real (temporary) logical slot that no connector
 * streams from. A lost slot cannot be produced here (it needs gigabytes of WAL past
 * max_slot_wal_keep_size); its mapping is the wal_status value PostgreSQL documents.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SlotMonitor } from '../../apps/worker/src/slot-monitor';
import { createDataSource } from '../../libs/database/src/data-source';
import { renderMetrics } from '../../libs/observability/src';
import { appUrl, PG_PORT, TEST_DB } from '../support/env';

describe('change-capture slot monitor (real PostgreSQL)', () => {
  let app: DataSource;
  let replication: Client;
  const slot = `test_slotmon_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    app = await createDataSource(appUrl(), 2).initialize();
    replication = new Client({
      connectionString: `postgres://hims_replication:${process.env.HIMS_REPLICATION_PASSWORD ?? 'hims_replication_dev'}@127.0.0.1:${PG_PORT}/${TEST_DB}`,
    });
    await replication.connect();
  });
  afterAll(async () => {
    await replication?.end().catch(() => undefined); // the temporary slot goes with its session
    await app?.destroy();
  });

  it('reports no slot, a slot held by its session with its lag, and no slot once that session ends, on /metrics', async () => {
    const monitor = new SlotMonitor(app, slot);
    expect(await monitor.state()).toEqual({ streaming: false, lost: false, lagBytes: null });
    expect((await renderMetrics()).body).toContain(`hims_cdc_slot_lag_bytes{slot="${slot}"} -1`);

    // A temporary logical slot is held (active) by the session that made it, as a connector holds its own.
    await replication.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput', true)`, [slot]);
    const held = await monitor.state();
    expect({ streaming: held.streaming, lost: held.lost }).toEqual({ streaming: true, lost: false });
    expect(held.lagBytes).toEqual(expect.any(Number)); // WAL since the slot's confirmed point (none yet: 0)
    expect(held.lagBytes).toBeGreaterThanOrEqual(0);
    const scrape = (await renderMetrics()).body;
    expect(scrape).toContain(`hims_cdc_slot_streaming{slot="${slot}"} 1`);
    expect(scrape).toContain(`hims_cdc_slot_lost{slot="${slot}"} 0`);

    await replication.end();
    expect(await monitor.state()).toEqual({ streaming: false, lost: false, lagBytes: null });
    expect((await renderMetrics()).body).toContain(`hims_cdc_slot_streaming{slot="${slot}"} 0`);
  });
});
