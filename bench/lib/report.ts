import type { ScenarioResult } from './load';
import type { PgbenchResult } from './pgbench';

const pad = (s: string | number, n: number) => String(s).padStart(n);
const cores = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(2));

/** A readable table of HTTP scenarios and pgbench ceilings. */
export function renderTable(scenarios: ScenarioResult[], ceilings: PgbenchResult[]): string {
  const lines = [
    `${'scenario'.padEnd(24)} ${pad('conns', 5)} ${pad('req/s', 6)} ${pad('p50 ms', 7)} ${pad('p95 ms', 7)} ${pad('p99 ms', 7)} ${pad('non2xx', 6)} ${pad('errors', 6)} ${pad('rss MB', 6)} ${pad('cpu api', 7)} ${pad('cpu pg', 6)} ${pad('cpu gen', 7)}`,
  ];
  for (const s of scenarios) {
    const name = s.targetRps ? `${s.name} @${s.targetRps}/s` : s.name;
    lines.push(
      `${name.padEnd(24)} ${pad(s.connections, 5)} ${pad(s.rps, 6)} ${pad(s.latencyMs.p50, 7)} ${pad(s.latencyMs.p95, 7)} ${pad(s.latencyMs.p99, 7)} ${pad(s.non2xx, 6)} ${pad(s.errors + s.timeouts, 6)} ${pad(s.peakRssMb ?? '-', 6)} ${pad(cores(s.cpu?.api), 7)} ${pad(cores(s.cpu?.postgres), 6)} ${pad(cores(s.cpu?.loadGenerator), 7)}`,
    );
  }
  if (ceilings.length) {
    lines.push('', `${'pgbench (same SQL)'.padEnd(24)} ${pad('role', 14)} ${pad('clients', 7)} ${pad('tps', 7)} ${pad('avg ms', 7)} ${pad('failed', 6)}`);
    for (const c of ceilings) {
      lines.push(
        `${c.name.padEnd(24)} ${pad(c.role, 14)} ${pad(c.clients, 7)} ${pad(c.tps, 7)} ${pad(c.latencyAvgMs, 7)} ${pad(c.failed, 6)}`,
      );
    }
  }
  return lines.join('\n');
}

/** The same results as GitHub markdown tables. */
export function renderMarkdown(scenarios: ScenarioResult[], ceilings: PgbenchResult[]): string {
  const lines = [
    '| scenario | conns | req/s | p50 ms | p95 ms | p99 ms | non-2xx | errors | API peak RSS MB | CPU api / pg / load gen (cores) |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of scenarios) {
    const name = s.targetRps ? `${s.name} (paced at ${s.targetRps}/s)` : s.name;
    lines.push(
      `| ${name} | ${s.connections} | ${s.rps} | ${s.latencyMs.p50} | ${s.latencyMs.p95} | ${s.latencyMs.p99} | ${s.non2xx} | ${s.errors + s.timeouts} | ${s.peakRssMb ?? '-'} | ${cores(s.cpu?.api)} / ${cores(s.cpu?.postgres)} / ${cores(s.cpu?.loadGenerator)} |`,
    );
  }
  if (ceilings.length) {
    lines.push('', '| pgbench (same SQL as the endpoint) | role | clients | tps | avg ms | failed |', '|---|---|--:|--:|--:|--:|');
    for (const c of ceilings) {
      lines.push(`| ${c.name} | ${c.role} | ${c.clients} | ${c.tps} | ${c.latencyAvgMs} | ${c.failed} |`);
    }
  }
  return lines.join('\n');
}
