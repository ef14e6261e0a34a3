import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { ABDM_CONFIG, AbdmConfig, loadAbdmConfig } from '../../libs/abdm/src';
import { APP_CONFIG, AppConfig, loadConfig } from '../../libs/config/src';
import { testAuthKeyDir } from './app';
import { appUrl, ownerUrl } from './env';
import { asTenant } from './fixtures';
import type { FakeAbdmGateway } from './fake-abdm-gateway';

/** ABDM settings pointing at a fake gateway, with quick retries for tests. */
export function abdmConfigFor(gw: FakeAbdmGateway, overrides: Partial<AbdmConfig> = {}): AbdmConfig {
  return {
    ...loadAbdmConfig({}),
    gatewayUrl: gw.url,
    jwksUrl: gw.jwksUrl,
    gatewayIssuer: gw.issuer,
    gatewayClientId: gw.gatewayClientId,
    clientId: gw.clientId,
    clientSecret: gw.clientSecret,
    cmId: gw.cmId,
    processor: true,
    pollIntervalMs: 50,
    backoffBaseMs: 100,
    backoffMaxMs: 400,
    maxAttempts: 5,
    // Off unless a test asks: it scans every opted-in clinic of the shared test database.
    hipInitiatedLinking: false,
    smsNotify: false,
    ...overrides,
  };
}

/**
 * The real API module (with the ABDM processor running in it) against the test
 * database, listening on a port so the fake gateway can call it back.
 */
export async function createAbdmTestApp(
  gw: FakeAbdmGateway,
  abdm: Partial<AbdmConfig> = {},
  logger: false | { log: (m: string) => void; warn: (m: string) => void; error: (m: string) => void } = false,
): Promise<{ app: NestExpressApplication; url: string }> {
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const config: AppConfig = {
    ...base,
    databaseUrl: appUrl(),
    databaseOwnerUrl: ownerUrl(),
    databasePoolMax: 6,
    logLevel: 'silent',
    auth: { ...base.auth, keyDir: testAuthKeyDir() },
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .overrideProvider(ABDM_CONFIG)
    .useValue(abdmConfigFor(gw, abdm))
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: logger ? (logger as never) : false,
  });
  configureHttp(app, config);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

/** Registers a HIP id for a tenant as its admin would (owner role, under the tenant's RLS). */
export async function registerHip(
  owner: DataSource,
  tenantId: string,
  hipId: string,
  enabled = true,
): Promise<void> {
  await asTenant(owner, tenantId, (tx) =>
    tx.query(`INSERT INTO core.abdm_hips (tenant_id, hip_id, enabled) VALUES ($1, $2, $3)`, [
      tenantId,
      hipId,
      enabled,
    ]),
  );
}

/** Polls until fn returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 20000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
