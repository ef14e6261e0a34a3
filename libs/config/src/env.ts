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
  // Trailing slashes trimmed without a regex: /\/+$/ is quadratic on many '/' (SAST).
  let end = value.length;
  while (end > 0 && value[end - 1] === '/') end--;
  return value.slice(0, end);
}

/** AUTH_MFA_KEY outside production when unset (base64 of 32 bytes; refused in production). */
export const DEV_MFA_KEY = 'aGltcy1kZXZlbG9wbWVudC1tZmEta2V5LTMyLWJ5dGU=';

/**
 * The development passwords that .env.example, docker-compose.yml and infra/postgres/pg.sh
 * ship with. Production refuses a setting that holds one (set by copying the example), not
 * only a missing setting.
 */
export const DEVELOPMENT_SECRETS: readonly string[] = [
  'hims_app_dev',
  'hims_owner_dev',
  'hims_platform_dev',
  'hims_replication_dev',
  'postgres_dev',
  'hims-dev-secret',
  DEV_MFA_KEY,
];

/** True when the value is, or (a URL) carries as its password, a development default. */
export function isDevelopmentSecret(value: string): boolean {
  if (DEVELOPMENT_SECRETS.includes(value)) return true;
  try {
    return DEVELOPMENT_SECRETS.includes(decodeURIComponent(new URL(value).password));
  } catch {
    return false;
  }
}

/**
 * In production no secret falls back to its development value: each must be set, and a
 * missing one, or one still holding a development default, stops start-up with one line
 * naming it.
 */
export function secret(env: Env, name: string, devFallback: string | undefined): string {
  if (env.NODE_ENV !== 'production') return str(env, name, devFallback);
  const value = str(env, name);
  if (isDevelopmentSecret(value)) {
    throw new ConfigError(name, 'holds a development default; set a production secret');
  }
  return value;
}
