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
      loadConfig({ CORS_ALLOWED_ORIGINS: 'https://console.example.org, http://localhost:5173' }).corsAllowedOrigins,
    ).toEqual(['https://console.example.org', 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: 'https://console.example.org/app' })).toThrow(
      /CORS_ALLOWED_ORIGINS must list bare origins/,
    );
    expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: '*' })).toThrow(/CORS_ALLOWED_ORIGINS/);
  });
});
