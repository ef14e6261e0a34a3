import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * `backup now [full|diff|incr] | list [--json] | verify | restore --to <time> --target-dir <dir> --port <port>`:
 * the operator's face of pgBackRest (docs/operations.md). The work is done by
 * infra/postgres/backup.sh, the same script pg.sh uses to set archiving up, so the CLI and
 * the scripts cannot disagree about where the repository is or how it is encrypted.
 */
const BACKUP_SH = resolve(__dirname, '../../../../../infra/postgres/backup.sh');

const USAGE =
  'usage: backup now [full|diff|incr] | list [--json] | verify | restore --to <time with zone> --target-dir <new dir> --port <port>\n';

/** Runs backup.sh; stdout is captured when asked (list parses it), stderr is the operator's. */
function run(args: string[], capture = false): Promise<{ code: number; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [BACKUP_SH, ...args], { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout }));
  });
}

/**
 * A recovery target PostgreSQL and pgBackRest both read the same way: `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]`.
 * A time without a zone is refused: on a server in another zone it would restore to another moment.
 */
export function recoveryTarget(input: string | undefined): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(input ?? '');
  if (!m) return null;
  const z = m[3];
  const isoZone = z === 'Z' ? 'Z' : `${z.slice(0, 3)}:${z.length > 3 ? z.slice(-2) : '00'}`;
  if (Number.isNaN(Date.parse(`${m[1]}T${m[2].slice(0, 12)}${isoZone}`))) return null;
  return `${m[1]} ${m[2]}${m[3] === 'Z' ? '+00' : m[3]}`;
}

interface BackupInfo {
  archive: { min: string | null; max: string | null }[];
  backup: { label: string; type: string; timestamp: { start: number; stop: number }; info: { size: number; repository: { size: number } } }[];
  status: { message: string };
}

function describe(info: BackupInfo[]): string {
  const stanza = info[0];
  if (!stanza) return 'no stanza\n';
  const iso = (s: number) => new Date(s * 1000).toISOString();
  const lines = stanza.backup.map(
    (b) =>
      `${b.label}  ${b.type.padEnd(4)}  ${iso(b.timestamp.start)} → ${iso(b.timestamp.stop)}  ` +
      `${(b.info.size / 1048576).toFixed(1)} MiB (${(b.info.repository.size / 1048576).toFixed(1)} MiB in the repository)`,
  );
  const wal = stanza.archive[0];
  lines.push(wal?.min ? `WAL archive ${wal.min} … ${wal.max}` : 'WAL archive empty');
  lines.push(`status: ${stanza.status.message}`);
  return `${lines.join('\n')}\n`;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function backupCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'now': {
      const type = rest[0] ?? 'incr';
      if (!['full', 'diff', 'incr'].includes(type)) break;
      const r = await run(['now', type], true);
      if (r.code === 0) process.stdout.write(describe(JSON.parse(r.stdout) as BackupInfo[]));
      return r.code;
    }
    case 'list': {
      const r = await run(['list'], true);
      if (r.code !== 0) return r.code;
      process.stdout.write(rest.includes('--json') ? r.stdout : describe(JSON.parse(r.stdout) as BackupInfo[]));
      return 0;
    }
    case 'verify':
      return (await run(['verify'])).code;
    case 'restore': {
      const to = recoveryTarget(option(rest, '--to'));
      const dir = option(rest, '--target-dir');
      const port = Number(option(rest, '--port'));
      if (!to || !dir || !Number.isInteger(port) || port < 1024 || port > 65535) break;
      return (await run(['restore', '--to', to, '--target-dir', resolve(dir), '--port', String(port)])).code;
    }
  }
  process.stderr.write(USAGE);
  return 2;
}
