import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
  } catch {
    return 'unknown';
  }
}

/** The line every result is stamped with: what ran, on what. */
export async function machineInfo(esUrl?: string, postgresServer?: string) {
  let elasticsearch = 'not measured';
  if (esUrl) {
    try {
      // GET / is not served by every setup (this stack answers 405); node info always is.
      const res = await fetch(`${esUrl}/_nodes?filter_path=nodes.*.version`);
      const nodes = ((await res.json()) as { nodes: Record<string, { version: string }> }).nodes;
      elasticsearch = Object.values(nodes)[0]?.version ?? 'unknown';
    } catch {
      elasticsearch = 'unreachable';
    }
  }
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: postgresServer ?? version('/usr/lib/postgresql/15/bin/postgres', ['--version']),
    pgbench: version('pgbench', ['--version']),
    elasticsearch,
    date: new Date().toISOString(),
  };
}
