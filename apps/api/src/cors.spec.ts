import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { loadConfig } from '@hims/config';
import { configureHttp } from './http-setup';

@Module({})
class EmptyModule {}

async function appWith(env: Record<string, string>): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [EmptyModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureHttp(app, loadConfig(env));
  await app.init();
  return app;
}

describe('CORS allow-list', () => {
  it('sends no CORS headers when no origin is configured', async () => {
    const app = await appWith({});
    try {
      const res = await request(app.getHttpServer())
        .options('/api/docs/openapi.json')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('allows a listed origin and refuses any other', async () => {
    const app = await appWith({ CORS_ALLOWED_ORIGINS: 'https://console.example.org' });
    try {
      const allowed = await request(app.getHttpServer())
        .get('/api/docs/openapi.json')
        .set('Origin', 'https://console.example.org');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example.org');
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      const other = await request(app.getHttpServer())
        .get('/api/docs/openapi.json')
        .set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
