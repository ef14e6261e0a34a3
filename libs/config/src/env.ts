/**
 * The one set of environment readers every module's settings use (the app's
 * AppConfig, the ABDM bridge's AbdmConfig): empty counts as unset, every
 * problem is one ConfigError line naming the setting. Tracing alone reads its
 * few settings by hand: it must start before any other module loads.
 */

/** A configuration problem, reported as one line naming the setting. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`configuration error: ${setting} ${problem}`);
  }
}

export type Env = Record<string, string | undefined>;

export function str(env: Env, name: string, fallback?: string): string {
  const value = env[name] || fallback; // empty counts as unset (.env.example lines)
  if (value === undefined || value === '') throw new ConfigError(name, 'is required');
  return value;
}

export function int(
  env: Env,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

export function postgresUrl(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, 'is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, `must use the postgres:// scheme (got "${url.protocol}")`);
  }
  if (!url.pathname || url.pathname === '/') throw new ConfigError(name, 'must name a database');
  return value;
}

export function origins(env: Env, name: string): string[] {
  const raw = env[name] ?? '';
  if (raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const value = entry.trim();
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(name, `must list origins like https://console.example.org (got "${value}")`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value) {
      throw new ConfigError(name, `must list bare origins (scheme://host[:port], no path) (got "${value}")`);
    }
    return value;
  });
}

/** An http(s) URL, without trailing slashes. */
export function httpUrl(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
  } catch {
    throw new ConfigError(name, `must be an http(s) URL (got "${value}")`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * In production no secret falls back to its development value: each must be set, and a
 * missing one stops start-up with one line naming it.
 */
export function secret(env: Env, name: string, devFallback: string | undefined): string {
  return env.NODE_ENV === 'production' ? str(env, name) : str(env, name, devFallback);
}
