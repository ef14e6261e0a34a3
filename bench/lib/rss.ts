import { readFileSync } from 'node:fs';

/** Samples a process's resident memory from /proc while a scenario runs; reports the peak in MB. */
export class RssSampler {
  private peakKb = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly pid: number) {}

  private sample(): void {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (kb > this.peakKb) this.peakKb = kb;
    } catch {
      /* process gone */
    }
  }

  start(): void {
    // Two scenarios running at once (the noisy neighbour) share one sampler: a second start
    // must not leave the first interval running, or the bench never exits.
    if (this.timer) clearInterval(this.timer);
    this.peakKb = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return Math.round(this.peakKb / 1024);
  }
}
