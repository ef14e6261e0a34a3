import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { isDevelopmentSecret } from './env';

describe('loadConfig', () => {
  it('uses documented defaults for a local stack', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toMatch(/^postgres:\/\/hims_app:[^@]+@127\.0\.0\.1:55432\/hims$/);
    expect(config.auth.accessTokenTtlSeconds).toBe(900);
  });

  it('names the setting when a database URL is malformed', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL is not a valid URL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://a@b/c' })).toThrow(/DATABASE_URL must use the postgres/);
  });

  it('rejects out-of-range integers with the setting name', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be an integer between 0 and 65535/);
    expect(() => loadConfig({ DATABASE_POOL_MAX: 'abc' })).toThrow(/DATABASE_POOL_MAX/);
  });

  it('keeps CORS closed by default and accepts only bare origins', () => {
    expect(loadConfig({}).corsAllowedOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ALLOWED_ORIGINS: 'https://console.example.org, http://localhost:5173' })
        .corsAllowedOrigins,
    ).toEqual(['https://console.example.org', 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: 'https://console.example.org/app' })).toThrow(
      /CORS_ALLOWED_ORIGINS must list bare origins/,
    );
    expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: '*' })).toThrow(/CORS_ALLOWED_ORIGINS/);
  });

  it('in production, no secret falls back to its development value: each missing one is named', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://hims_app:s1@db.internal:5432/hims',
      DATABASE_OWNER_URL: 'postgres://hims_owner:s2@db.internal:5432/hims',
      DATABASE_PLATFORM_URL: 'postgres://hims_platform:s5@db.internal:5432/hims',
      HIMS_REPLICATION_PASSWORD: 's3',
      METRICS_TOKEN: 's4',
      AUTH_MFA_KEY: 'c2VjcmV0LW1mYS1rZXktZm9yLXByb2R1Y3Rpb24tMzI=',
    };
    expect(loadConfig(production)).toMatchObject({
      metricsToken: 's4',
      databaseUrl: production.DATABASE_URL,
    });
    for (const missing of [
      'DATABASE_URL',
      'DATABASE_OWNER_URL',
      'DATABASE_PLATFORM_URL',
      'HIMS_REPLICATION_PASSWORD',
      'METRICS_TOKEN',
      'AUTH_MFA_KEY',
    ]) {
      expect(() => loadConfig({ ...production, [missing]: '' })).toThrow(
        new RegExp(`${missing} is required`),
      );
    }
    // Development keeps its defaults, and /metrics open unless a token is set.
    expect(loadConfig({}).metricsToken).toBeNull();
  });
});

describe('production refuses development defaults (docs/security.md "Secrets")', () => {
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://hims_app:s1@db.internal:5432/hims',
    DATABASE_OWNER_URL: 'postgres://hims_owner:s2@db.internal:5432/hims',
    DATABASE_PLATFORM_URL: 'postgres://hims_platform:s5@db.internal:5432/hims',
    HIMS_REPLICATION_PASSWORD: 's3',
    METRICS_TOKEN: 's4',
    AUTH_MFA_KEY: 'c2VjcmV0LW1mYS1rZXktZm9yLXByb2R1Y3Rpb24tMzI=',
  };

  it.each([
    ['DATABASE_URL', 'postgres://hims_app:hims_app_dev@db.internal:5432/hims'],
    ['DATABASE_OWNER_URL', 'postgres://hims_owner:hims_owner_dev@db.internal:5432/hims'],
    ['DATABASE_PLATFORM_URL', 'postgres://hims_platform:hims_platform_dev@db.internal:5432/hims'],
    ['HIMS_REPLICATION_PASSWORD', 'hims_replication_dev'],
    ['METRICS_TOKEN', 'postgres_dev'],
    ['AUTH_MFA_KEY', 'aGltcy1kZXZlbG9wbWVudC1tZmEta2V5LTMyLWJ5dGU='],
  ])('%s holding a development value stops start-up', (name, value) => {
    expect(() => loadConfig({ ...production, [name]: value })).toThrow(
      new RegExp(`${name} holds a development default`),
    );
  });

  it('every development password in .env.example is on the refused list', () => {
    const example = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    const devValues = [...example.matchAll(/^[A-Z_]*PASSWORD=(\S+)/gm)].map((m) => m[1]);
    expect(devValues.length).toBeGreaterThanOrEqual(5);
    for (const v of devValues) expect(isDevelopmentSecret(v)).toBe(true);
    for (const m of example.matchAll(/^DATABASE_[A-Z_]*URL=(\S+)/gm))
      expect(isDevelopmentSecret(m[1])).toBe(true);
  });

  it('allows only https CORS origins in production; TLS needs both files', () => {
    expect(() => loadConfig({ ...production, CORS_ALLOWED_ORIGINS: 'http://console.example.org' })).toThrow(
      /CORS_ALLOWED_ORIGINS must list https origins only/,
    );
    expect(
      loadConfig({ ...production, CORS_ALLOWED_ORIGINS: 'https://console.example.org' }).corsAllowedOrigins,
    ).toEqual(['https://console.example.org']);
    expect(loadConfig({ CORS_ALLOWED_ORIGINS: 'http://localhost:5173' }).corsAllowedOrigins).toEqual([
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ TLS_CERT_FILE: '/x.pem' })).toThrow(/TLS_KEY_FILE is required/);
    expect(loadConfig({ TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem' }).tls).toEqual({
      certFile: '/c.pem',
      keyFile: '/k.pem',
    });
  });
});
