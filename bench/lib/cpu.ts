import { readFileSync, readdirSync } from 'node:fs';

/** CPU used during a scenario, in cores (1.0 = one core fully busy for the whole scenario). */
export interface CpuUsage {
  api: number;
  loadGenerator: number;
  postgres: number;
  /** Elasticsearch, Kafka, Kafka Connect. */
  java: number;
  /** Everything else (the stack's own API and worker, pgbench, the OS). */
  other: number;
  /** Whole machine: busy / (cores × seconds); 1.0 = every core saturated. */
  machineBusy: number;
}

const TICKS = 100; // USER_HZ on Linux

function procTicks(pid: number): { comm: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    return { comm, ticks: Number(f[11]) + Number(f[12]) }; // utime + stime
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3] + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

type Snapshot = { at: number; byGroup: Record<string, number>; machine: { busy: number; total: number } };

/**
 * Where the CPU goes while a scenario runs, from /proc: the API child, this
 * process (autocannon), PostgreSQL backends, the JVMs, the rest. On a
 * 2-core box that split says whether the API, the database or the load
 * generator is the bottleneck.
 */
export class CpuMeter {
  private begin?: Snapshot;

  constructor(private readonly apiPid: () => number | undefined) {}

  private snapshot(): Snapshot {
    const byGroup: Record<string, number> = { api: 0, loadGenerator: 0, postgres: 0, java: 0, other: 0 };
    const api = this.apiPid();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      const p = procTicks(pid);
      if (!p) continue;
      const group =
        pid === api ? 'api' : pid === process.pid ? 'loadGenerator' : p.comm === 'postgres' ? 'postgres' : p.comm === 'java' ? 'java' : 'other';
      byGroup[group] += p.ticks;
    }
    return { at: performance.now(), byGroup, machine: machineTicks() };
  }

  start(): void {
    this.begin = this.snapshot();
  }

  stop(): CpuUsage | undefined {
    if (!this.begin) return undefined;
    const end = this.snapshot();
    const seconds = (end.at - this.begin.at) / 1000;
    const cores = (g: string) =>
      Math.round((Math.max(0, end.byGroup[g] - this.begin!.byGroup[g]) / TICKS / seconds) * 100) / 100;
    const busy = end.machine.busy - this.begin.machine.busy;
    const total = end.machine.total - this.begin.machine.total;
    return {
      api: cores('api'),
      loadGenerator: cores('loadGenerator'),
      postgres: cores('postgres'),
      java: cores('java'),
      other: cores('other'),
      machineBusy: total > 0 ? Math.round((busy / total) * 100) / 100 : 0,
    };
  }
}
