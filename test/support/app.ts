import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig, loadConfig } from '../../libs/config/src';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { appUrl, ownerUrl, platformUrl } from './env';

/** Signing keys for this test process: made on first use, shared by its apps, never the developer's own. */
let testKeyDir: string | undefined;
export function testAuthKeyDir(): string {
  return (testKeyDir ??= mkdtempSync(join(tmpdir(), 'hims-test-keys-')));
}

export type TestAppOverrides = Partial<Omit<AppConfig, 'auth' | 'platform'>> & {
  auth?: Partial<AppConfig['auth']>;
  platform?: Partial<AppConfig['platform']>;
};

/** The real API module against the test database, as the application role. */
export async function createTestApp(overrides: TestAppOverrides = {}): Promise<NestExpressApplication> {
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const { auth, platform, ...rest } = overrides;
  const config: AppConfig = {
    ...base,
    databaseUrl: appUrl(),
    databaseOwnerUrl: ownerUrl(),
    logLevel: 'silent',
    ...rest,
    platform: { ...base.platform, databaseUrl: platformUrl(), ...platform },
    auth: { ...base.auth, keyDir: testAuthKeyDir(), ...auth },
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureHttp(app, config);
  await app.init();
  return app;
}
