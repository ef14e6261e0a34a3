import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appUrl, ownerUrl, platformUrl } from './env';
import { completeSignIn, fetchPost } from './mfa';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * Polls /health/live until the API answers (a deadline, then the reason). Generous: a cold
 * start on a loaded 2-core machine has been seen to take over 30 s.
 */
export async function waitForHealth(port: number, child: ChildProcess, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited early with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('API did not become healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The built API (dist/) as a child process on the test database; its output is kept in `output`. */
export async function startApiProcess(
  env: Record<string, string> = {},
  /** A given port, e.g. to restart the API where its clients already point. */
  fixedPort?: number,
): Promise<{
  child: ChildProcess;
  port: number;
  output: () => string;
  keyDir: string;
}> {
  const port = fixedPort ?? (await freePort());
  const keyDir = mkdtempSync(join(tmpdir(), 'hims-test-keys-'));
  const child = spawn(process.execPath, [resolve(__dirname, '../../dist/apps/api/src/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: appUrl(),
      DATABASE_OWNER_URL: ownerUrl(),
      DATABASE_PLATFORM_URL: platformUrl(),
      AUTH_KEY_DIR: keyDir,
      DATABASE_APPLICATION_NAME: `hims-test-${port}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitForHealth(port, child);
  return { child, port, output: () => out, keyDir };
}

/** Signs a user in through an API process; the headers of that user's tenant requests. */
export async function signInThroughApi(
  port: number,
  tenantId: string,
  user: { email: string; password: string },
): Promise<Record<string, string>> {
  const post = fetchPost(port, tenantId);
  const first = await post('/api/v1/auth/login', { email: user.email, password: user.password });
  const login = await completeSignIn(post, '/api/v1/auth', user.email, first);
  if (login.status !== 200)
    throw new Error(`sign-in answered ${login.status}: ${JSON.stringify(login.body)}`);
  const accessToken = login.body.accessToken as string;
  return { 'X-Tenant-ID': tenantId, Authorization: `Bearer ${accessToken}` };
}
