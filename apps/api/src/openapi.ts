import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@hims/config';
import { AppModule } from './app.module';
import { buildOpenApiDocument, configureHttp } from './http-setup';

/**
 * The OpenAPI document as stable JSON text (contracts/openapi.json). Built
 * without listening; the database pool is created lazily and closed again.
 */
export async function renderOpenApi(): Promise<string> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: false,
    bodyParser: false,
    abortOnError: false,
  });
  try {
    configureHttp(app, loadConfig());
    await app.init();
    return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
