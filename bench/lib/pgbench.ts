import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgbenchResult {
  name: string;
  role: string;
  clients: number;
  durationSeconds: number;
  tps: number;
  latencyAvgMs: number;
  failed: number;
}

/**
 * The database's own ceiling for the SQL an endpoint runs: pgbench with a
 * custom script (bench/pgbench/*.sql) over TCP, as the given role.
 */
export async function pgbench(opts: {
  name: string;
  script: string;
  url: string;
  clients: number;
  durationSeconds: number;
  vars?: Record<string, string>;
  /**
   * `extended` (default): an unnamed statement parsed and planned per
   * execution, as node-postgres does for the API (no named prepared
   * statements); `prepared` lets PostgreSQL reuse plans, which the API never gets.
   */
  mode?: 'simple' | 'extended' | 'prepared';
}): Promise<PgbenchResult> {
  const u = new URL(opts.url);
  const args = [
    '-n',
    '-M', opts.mode ?? 'extended',
    '-c', String(opts.clients),
    '-j', String(Math.min(2, opts.clients)),
    '-T', String(opts.durationSeconds),
    '-f', opts.script,
    '-h', u.hostname,
    '-p', u.port,
    '-U', decodeURIComponent(u.username),
    ...Object.entries(opts.vars ?? {}).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
    u.pathname.slice(1),
  ];
  let stdout: string;
  try {
    ({ stdout } = await run('pgbench', args, {
      env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) },
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (err) {
    // The command line carries long -D lists; the useful part is pgbench's first complaint.
    const stderr = String((err as { stderr?: string }).stderr ?? '');
    const first = stderr.split('\n').find((l) => /error|ERROR/.test(l)) ?? (err as Error).message.slice(0, 300);
    throw new Error(`pgbench ${opts.name} as ${decodeURIComponent(u.username)} failed: ${first}`, { cause: err });
  }
  const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? NaN);
  return {
    name: opts.name,
    role: decodeURIComponent(u.username),
    clients: opts.clients,
    durationSeconds: opts.durationSeconds,
    tps: Math.round(num(/tps = ([\d.]+) \(without initial connection time\)/)),
    latencyAvgMs: num(/latency average = ([\d.]+) ms/),
    failed: num(/number of failed transactions: (\d+)/) || 0,
  };
}
