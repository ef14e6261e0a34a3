import type { ScenarioResult } from './load';
import type { PgbenchResult } from './pgbench';

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** A readable table of HTTP scenarios and pgbench ceilings. */
export function renderTable(scenarios: ScenarioResult[], ceilings: PgbenchResult[]): string {
  const lines = [
    `${'scenario'.padEnd(30)} ${pad('conns', 5)} ${pad('req/s', 7)} ${pad('p50 ms', 7)} ${pad('p95 ms', 7)} ${pad('p99 ms', 7)} ${pad('non2xx', 7)} ${pad('errors', 6)} ${pad('rss MB', 6)}`,
  ];
  for (const s of scenarios) {
    lines.push(
      `${s.name.padEnd(30)} ${pad(s.connections, 5)} ${pad(s.rps, 7)} ${pad(s.latencyMs.p50, 7)} ${pad(s.latencyMs.p95, 7)} ${pad(s.latencyMs.p99, 7)} ${pad(s.non2xx, 7)} ${pad(s.errors + s.timeouts, 6)} ${pad(s.peakRssMb ?? '-', 6)}`,
    );
  }
  if (ceilings.length) {
    lines.push('', `${'pgbench (same SQL)'.padEnd(30)} ${pad('role', 16)} ${pad('clients', 7)} ${pad('tps', 7)} ${pad('avg ms', 7)}`);
    for (const c of ceilings) {
      lines.push(`${c.name.padEnd(30)} ${pad(c.role, 16)} ${pad(c.clients, 7)} ${pad(c.tps, 7)} ${pad(c.latencyAvgMs, 7)}`);
    }
  }
  return lines.join('\n');
}
