import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig, loadConfig } from '../../libs/config/src';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { appUrl, ownerUrl } from './env';

/** The real API module against the test database, as the application role. */
export async function createTestApp(overrides: Partial<AppConfig> = {}): Promise<NestExpressApplication> {
  const config: AppConfig = {
    ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }),
    databaseUrl: appUrl(),
    databaseOwnerUrl: ownerUrl(),
    logLevel: 'silent',
    ...overrides,
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
