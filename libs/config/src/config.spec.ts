import { ConfigError, loadConfig } from './config';

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
    ]) {
      expect(() => loadConfig({ ...production, [missing]: '' })).toThrow(
        new RegExp(`${missing} is required`),
      );
    }
    // Development keeps its defaults, and /metrics open unless a token is set.
    expect(loadConfig({}).metricsToken).toBeNull();
  });
});
