import { Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '@hims/observability';

/** Something that runs SQL (the worker's pool). */
export interface SlotQuery {
  query(sql: string, params?: unknown[]): Promise<{ active: boolean; wal_status: string | null; lag: number | null }[]>;
}

export interface SlotState {
  /** The slot exists, a connector is streaming from it, and its WAL is still there. */
  streaming: boolean;
  /** PostgreSQL removed WAL the slot still needed (max_slot_wal_keep_size): events were not streamed. */
  lost: boolean;
  /** WAL written since the connector last confirmed (bytes); null when there is no slot. */
  lagBytes: number | null;
}

/**
 * Change capture's health as PostgreSQL sees it, on the worker's /metrics: nothing else
 * notices when Debezium stops (no events means no consumer lag, and the worker stays
 * ready). Seen on 2026-11-23: a long transaction pinned the slot while another database
 * on the cluster wrote gigabytes of WAL, PostgreSQL invalidated the slot, and the search
 * index silently stopped following. `hims_cdc_slot_lost 1` is the alert; the remedy is
 * `pipeline setup` (recreates the slot) and `pipeline reindex --all` (docs/pipeline.md).
 */
export class SlotMonitor {
  private readonly logger = new Logger('SlotMonitor');
  private wasLost = false;
  private inFlight?: Promise<SlotState>;

  constructor(
    private readonly db: SlotQuery,
    private readonly slot: string,
  ) {
    // The three gauges are collected together on a scrape: one query answers them all.
    const read = () => (this.inFlight ??= this.state().finally(() => (this.inFlight = undefined)));
    const gauges: [string, string, (s: SlotState) => number][] = [
      ['hims_cdc_slot_streaming', 'The change-capture slot exists and a connector is streaming from it (1) or not (0)', (s) => (s.streaming ? 1 : 0)],
      ['hims_cdc_slot_lost', 'PostgreSQL removed WAL the change-capture slot needed: events were not streamed (1)', (s) => (s.lost ? 1 : 0)],
      ['hims_cdc_slot_lag_bytes', 'WAL written since the change-capture connector last confirmed, bytes (-1: no slot)', (s) => s.lagBytes ?? -1],
    ];
    for (const [name, help, value] of gauges) {
      if (metricsRegistry.getSingleMetric(name)) metricsRegistry.removeSingleMetric(name);
      new Gauge({
        name,
        help,
        labelNames: ['slot'],
        registers: [metricsRegistry],
        async collect() {
          this.set({ slot }, value(await read()));
        },
      });
    }
  }

  async state(): Promise<SlotState> {
    const rows = await this.db.query(
      `SELECT active, wal_status, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::float8 AS lag
         FROM pg_replication_slots WHERE slot_name = $1`,
      [this.slot],
    );
    const row = rows[0];
    const state: SlotState = row
      ? { streaming: row.active && row.wal_status !== 'lost', lost: row.wal_status === 'lost', lagBytes: row.lag }
      : { streaming: false, lost: false, lagBytes: null };
    if (state.lost && !this.wasLost)
      this.logger.error(`change-capture slot ${this.slot} is lost: run pipeline setup, then pipeline reindex --all`);
    this.wasLost = state.lost;
    return state;
  }
}
