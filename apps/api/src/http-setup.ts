import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '@hims/config';
import {
  answerClientError,
  createValidationPipe,
  limitJsonDepth,
  completeProblemResponses,
  ProblemDetailsFilter,
  ProblemException,
} from '@hims/errors';
import { responseHeaders } from './response-headers';
import { consoleDir, serveConsole } from './web-console';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Bodies on write methods must be JSON; anything else is a 415, not a parse attempt. */
function requireJsonBodies(req: Request, _res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is(JSON_TYPES)) {
    return next(new ProblemException('unsupportedMediaType', 'Send the request body as application/json'));
  }
  next();
}

/** Everything about HTTP that the app and the e2e tests must share. */
export function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  for (const handler of responseHeaders()) app.use(handler);
  // CORS is closed unless origins are listed: the console is served same-origin.
  if (config.corsAllowedOrigins.length > 0) {
    app.enableCors({ origin: config.corsAllowedOrigins, credentials: true, maxAge: 600 });
  }
  // The staff console (static files) under /; the API stays under /api.
  serveConsole(app, consoleDir(config.webConsoleDir));
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: config.bodyLimit, type: JSON_TYPES, strict: true });
  app.use(limitJsonDepth);
  // Requests Node's parser refuses (e.g. a URL over its header limit) never reach Express.
  app.getHttpServer().on('clientError', answerClientError);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('HIMS API')
    .setDescription(
      'Multi-tenant clinical records API. Every tenant route needs X-Tenant-ID; errors are RFC 9457 problem+json.',
    )
    .setVersion('1')
    .addServer('/', 'This HIMS (the console and the API share one origin)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  config.info.license = { name: 'UNLICENSED (proprietary; package.json)' };
  return completeProblemResponses(SwaggerModule.createDocument(app, config));
}
