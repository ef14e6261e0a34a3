import { Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Counter, Gauge } from 'prom-client';
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

export type SlotAlert = 'lost' | 'lagging' | null;

/**
 * Change capture's health as PostgreSQL sees it: on /metrics, in the worker's readiness, and
 * as an alert-level log line. Nothing else notices when Debezium stops (no events means no
 * consumer lag). Seen on 2026-11-23: a long transaction pinned the slot while another
 * database wrote gigabytes of WAL, PostgreSQL invalidated the slot, and the search index
 * silently stopped following. A lost slot, or one holding more than `maxLagBytes` of WAL (on
 * its way to being lost), makes the worker unready and logs `ALERT`; `onLost` (the self-repair,
 * cdc-repair.ts) is called once per loss when the slot is watched.
 */
export class SlotMonitor {
  private readonly logger = new Logger('SlotMonitor');
  private alert: SlotAlert = null;
  private last: SlotState = { streaming: false, lost: false, lagBytes: null };
  private inFlight?: Promise<SlotState>;
  private timer?: NodeJS.Timeout;
  private readonly alerts: Counter<'slot' | 'reason'>;

  constructor(
    private readonly db: SlotQuery,
    private readonly slot: string,
    private readonly maxLagBytes = 1024 ** 3,
    private readonly onLost?: () => Promise<void>,
  ) {
    // The gauges are collected together on a scrape: one query answers them all.
    const read = () => (this.inFlight ??= this.state().finally(() => (this.inFlight = undefined)));
    const gauges: [string, string, (s: SlotState) => number][] = [
      ['hims_cdc_slot_streaming', 'The change-capture slot exists and a connector is streaming from it (1) or not (0)', (s) => (s.streaming ? 1 : 0)],
      ['hims_cdc_slot_lost', 'PostgreSQL removed WAL the change-capture slot needed: events were not streamed (1)', (s) => (s.lost ? 1 : 0)],
      ['hims_cdc_slot_lag_bytes', 'WAL written since the change-capture connector last confirmed, bytes (-1: no slot)', (s) => s.lagBytes ?? -1],
      ['hims_cdc_slot_alert', 'Change capture needs attention: the slot is lost or holds more WAL than CDC_SLOT_MAX_LAG_BYTES (1)', () => (this.alert ? 1 : 0)],
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
    const counter = 'hims_cdc_slot_alerts_total';
    if (metricsRegistry.getSingleMetric(counter)) metricsRegistry.removeSingleMetric(counter);
    this.alerts = new Counter({
      name: counter,
      help: 'Times change capture went into alert, by reason (lost, lagging)',
      labelNames: ['slot', 'reason'],
      registers: [metricsRegistry],
    });
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
    this.last = state;
    this.transition(state.lost ? 'lost' : (state.lagBytes ?? 0) > this.maxLagBytes ? 'lagging' : null, state);
    return state;
  }

  private transition(next: SlotAlert, state: SlotState): void {
    if (next === this.alert) return;
    const was = this.alert;
    this.alert = next;
    if (next === 'lost') {
      this.alerts.inc({ slot: this.slot, reason: 'lost' });
      this.logger.error(
        `ALERT change capture: slot ${this.slot} is lost (PostgreSQL removed WAL it needed); events written meanwhile were not streamed. ` +
          (this.onLost ? 'Self-repair: new slot, then reconciliation of the index.' : 'Run pipeline setup, then pipeline reconcile --all.'),
      );
    } else if (next === 'lagging') {
      this.alerts.inc({ slot: this.slot, reason: 'lagging' });
      this.logger.error(
        `ALERT change capture: slot ${this.slot} holds ${state.lagBytes} bytes of WAL (limit ${this.maxLagBytes}); the connector is not keeping up or is stopped, and PostgreSQL drops the slot at max_slot_wal_keep_size`,
      );
    } else {
      this.logger.log(`change capture: slot ${this.slot} healthy again (was ${was})`);
    }
  }

  /** The worker's readiness: down while the slot is lost or lagging past the limit. */
  async readiness(): Promise<HealthIndicatorResult> {
    const s = await (this.inFlight ??= this.state().finally(() => (this.inFlight = undefined)));
    const check = new HealthIndicatorService().check('cdc');
    const details = { slot: this.slot, streaming: s.streaming, lost: s.lost, lagBytes: s.lagBytes, maxLagBytes: this.maxLagBytes };
    return this.alert ? check.down({ ...details, alert: this.alert }) : check.up(details);
  }

  /** Looks at the slot every `intervalMs` without waiting for a scrape; a loss triggers `onLost` once. */
  watch(intervalMs: number): void {
    if (intervalMs <= 0) return;
    let repairing = false;
    const tick = async () => {
      try {
        await this.state();
        if (this.last.lost && this.onLost && !repairing) {
          repairing = true;
          await this.onLost().finally(() => (repairing = false));
        }
      } catch (err) {
        this.logger.warn(`change-capture check failed: ${(err as Error).message}`);
      }
    };
    this.timer = setInterval(() => void tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
