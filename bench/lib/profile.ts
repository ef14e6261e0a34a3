import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  startTime: number;
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled wall time of the profile, ms. */
  totalMs: number;
  /** Only the load window was counted (false: the whole process life, start-up included). */
  windowed: boolean;
  /** Share of the sampled time the main thread was busy (not idle in the event loop). */
  busyPercent: number;
  /** Share of non-idle time by where the code lives (package, node internals, GC, the project's own code). */
  byArea: { area: string; percent: number }[];
  /** Top functions by self time, share of non-idle time. */
  topFunctions: { fn: string; where: string; percent: number }[];
}

/** node_modules/<pkg> (scoped too), node:internal, the project's dist/, or a V8 pseudo-frame. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node internals';
  const own = /dist\/((?:libs|apps)\/[^/]+)/.exec(url);
  return own ? own[1] : url;
}

/**
 * Self time per function and per area from a V8 .cpuprofile (node --cpu-prof).
 * `window` (µs, CLOCK_MONOTONIC like the profile's own timestamps: pass
 * process.hrtime.bigint() / 1000) keeps only the samples taken while the load
 * ran, so start-up (module loading) and sign-in do not count.
 */
export function summariseCpuProfile(path: string, top = 15, window?: { from: number; to: number }): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const collect = (w?: { from: number; to: number }) => {
    const self = new Map<number, number>();
    let total = 0;
    let t = p.startTime;
    p.samples.forEach((id, i) => {
      const dt = p.timeDeltas[i] ?? 0;
      t += dt;
      if (w && (t < w.from || t > w.to)) return;
      self.set(id, (self.get(id) ?? 0) + dt);
      total += dt;
    });
    return { self, total };
  };
  let { self, total } = collect(window);
  if (total === 0) ({ self, total } = collect()); // clocks did not line up: whole profile
  const windowed = total > 0 && !!window && self.size > 0;
  const fns = new Map<string, { fn: string; where: string; us: number }>();
  const areas = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') continue; // (program) = native work outside JS frames: kept
    busy += us;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = url ? `${url.replace(/^.*?(node_modules\/|dist\/)/, '$1')}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const e = fns.get(key) ?? { fn: functionName || '(anonymous)', where, us: 0 };
    e.us += us;
    fns.set(key, e);
  }
  const pct = (us: number) => Math.round((us / Math.max(1, busy)) * 1000) / 10;
  return {
    totalMs: Math.round(total / 1000),
    windowed,
    busyPercent: Math.round((busy / Math.max(1, total)) * 1000) / 10,
    byArea: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([area, us]) => ({ area, percent: pct(us) })),
    topFunctions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ fn: f.fn, where: f.where, percent: pct(f.us) })),
  };
}
