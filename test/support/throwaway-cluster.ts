import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from './api-process';

const ROOT = resolve(__dirname, '../..');
const PG_CTL = '/usr/lib/postgresql/15/bin/pg_ctl';
const asRunUser = (cmd: string, args: string[]) =>
  process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'hims', '--', cmd, ...args], { stdio: 'pipe' })
    : execFileSync(cmd, args, { stdio: 'pipe' });

const password = (name: string, fallback: string) => process.env[name] ?? fallback;

/** Connection URLs of the project's roles on a cluster at `port` (the same dev passwords pg.sh sets). */
export function clusterUrls(port: number, db = 'hims') {
  const url = (user: string, pw: string) => `postgres://${user}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${db}`;
  return {
    app: url('hims_app', password('HIMS_APP_PASSWORD', 'hims_app_dev')),
    owner: url('hims_owner', password('HIMS_OWNER_PASSWORD', 'hims_owner_dev')),
    platform: url('hims_platform', password('HIMS_PLATFORM_PASSWORD', 'hims_platform_dev')),
    replication: url('hims_replication', password('HIMS_REPLICATION_PASSWORD', 'hims_replication_dev')),
    superuser: url('postgres', password('PG_SUPERUSER_PASSWORD', 'postgres_dev')),
  };
}

export interface ThrowawayCluster {
  stateDir: string;
  port: number;
  /** HIMS_STATE_DIR and HIMS_PG_PORT: the infra scripts and the CLI act on this cluster with them. */
  env: Record<string, string>;
  urls: ReturnType<typeof clusterUrls>;
  /** One statement as the superuser; the rows. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[], db?: string): Promise<T[]>;
  /** Stops this cluster and any cluster restored under its state directory, and removes them. */
  destroy(extraDataDirs?: string[]): void;
}

/**
 * A PostgreSQL 15 cluster of the test's own, started by infra/postgres/pg.sh itself (the
 * same code as the shared one) in a temporary state directory on a free port: archiving,
 * restores and lost slots are tried here, never on the cluster everyone shares.
 */
export async function startThrowawayCluster(env: Record<string, string> = {}): Promise<ThrowawayCluster> {
  const stateDir = mkdtempSync(join(tmpdir(), 'hims-cluster-'));
  const port = await freePort();
  const clusterEnv = { HIMS_STATE_DIR: stateDir, HIMS_PG_PORT: String(port), ...env };
  const withEnv = { ...process.env, ...clusterEnv };
  try {
    execFileSync('bash', [join(ROOT, 'infra/postgres/pg.sh'), 'start'], { env: withEnv, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    execFileSync('bash', [join(ROOT, 'infra/postgres/pg.sh'), 'stop'], { env: withEnv, stdio: 'ignore' });
    rmSync(stateDir, { recursive: true, force: true });
    throw new Error(`throw-away cluster did not start:\n${e.stderr ?? e.message}`, { cause: err });
  }
  const urls = clusterUrls(port);
  return {
    stateDir,
    port,
    env: clusterEnv,
    urls,
    async sql(text, params, db = 'hims') {
      const client = new Client({ connectionString: clusterUrls(port, db).superuser });
      await client.connect();
      try {
        return (await client.query(text, params as unknown[])).rows;
      } finally {
        await client.end();
      }
    },
    destroy(extraDataDirs = []) {
      // Immediate: a fast shutdown waits for the archiver to push every pending segment first.
      for (const dir of [...extraDataDirs, join(stateDir, 'postgres/data')]) {
        try {
          asRunUser(PG_CTL, ['-D', dir, '-m', 'immediate', '-w', 'stop']);
        } catch {
          /* not running */
        }
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The built CLI (dist/) with the given environment; exit code and output. */
export function cli(args: string[], env: Record<string, string>): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      env: { ...process.env, TRACING_ENDPOINT: '', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
