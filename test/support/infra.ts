import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Runs an infra script (start/stop are idempotent) and fails loudly with its output. */
export function infra(script: string, ...args: string[]): string {
  try {
    return execFileSync('bash', [resolve(ROOT, script), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`, {
      cause: err,
    });
  }
}

export const pg = (...args: string[]) => infra('infra/postgres/pg.sh', ...args);
