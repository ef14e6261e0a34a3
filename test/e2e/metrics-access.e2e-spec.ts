/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * /metrics on the public API port answers only the scrape token when one is configured
 * (METRICS_TOKEN, required in production), as problem+json 401 otherwise.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createTestApp } from '../support/app';

describe('/metrics access', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await createTestApp({ metricsToken: 'scrape-token-for-tests' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a scrape without the token or with another one', async () => {
    for (const auth of [undefined, 'Bearer wrong', 'scrape-token-for-tests']) {
      const req = request(app.getHttpServer()).get('/metrics');
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.text).not.toMatch(/hims_http_requests_total/);
    }
  });

  it('answers the scraper that sends the token', async () => {
    const res = await request(app.getHttpServer())
      .get('/metrics')
      .set('Authorization', 'Bearer scrape-token-for-tests');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/process_cpu_user_seconds_total/);
  });
});
