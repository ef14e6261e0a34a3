import { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { metricsRegistry } from './metrics';

const passes = new Counter({
  name: 'hims_background_loop_passes_total',
  help: 'Passes of each background loop (sealer, processor, resumer, purger), by outcome',
  labelNames: ['loop', 'outcome'] as const,
  registers: [metricsRegistry],
});

export interface BackgroundLoopOptions {
  /** The loop's name: its metric label and its logger. */
  name: string;
  /** The pause between passes (ms). A loop with 0 or less never starts. */
  intervalMs: number;
  /** One pass. Its answer says whether it found work (true, or a count above 0). */
  pass: () => Promise<unknown>;
  /** While a pass finds work, run the next one at once instead of pausing (drain a backlog). */
  eager?: boolean;
  /** Wait one interval before the first pass (default: the first pass runs at start). */
  delayFirstPass?: boolean;
  /** After consecutive failures the pause doubles up to this (default: no backoff). */
  maxBackoffMs?: number;
  /** The log line of a failed pass: ids and SQLSTATEs only, never data. */
  describeFailure?: (err: unknown) => string;
}

/**
 * The one way a background loop runs: start, pause (woken early by poke or
 * stop), optional drain and backoff, a pass counter by outcome, and a stop that
 * waits for the pass in flight. Hosts stop their loops in
 * beforeApplicationShutdown, so every loop has finished before any pool or
 * client closes in onApplicationShutdown (the shutdown order).
 */
export class BackgroundLoop {
  private readonly log: Logger;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private failures = 0;

  constructor(private readonly options: BackgroundLoopOptions) {
    this.log = new Logger(options.name);
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running || this.options.intervalMs <= 0) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the pass in flight (a pause ends at once). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Ends the current pause: there is work now. */
  poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    const { intervalMs, pass, eager, delayFirstPass } = this.options;
    if (delayFirstPass) await this.pause(intervalMs);
    while (this.running) {
      let busy = false;
      try {
        const found = await pass();
        busy = !!eager && (found === true || (typeof found === 'number' && found > 0));
        this.failures = 0;
        passes.inc({ loop: this.options.name, outcome: 'ok' });
      } catch (err) {
        this.failures++;
        passes.inc({ loop: this.options.name, outcome: 'failed' });
        const code = (err as { code?: string }).code;
        this.log.warn(
          this.options.describeFailure?.(err) ?? `pass failed (SQLSTATE ${code ?? 'n/a'}); retrying`,
        );
      }
      if (!busy && this.running) await this.pause(this.nextPause());
    }
  }

  private nextPause(): number {
    const { intervalMs, maxBackoffMs } = this.options;
    if (!maxBackoffMs || this.failures === 0) return intervalMs;
    return Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(this.failures - 1, 20));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (!this.running) return resolve();
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
