// Must stay the first import (instrumentation patches modules as they load).
import './tracing';
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@hims/config';
import { checkDatabase, startupFailureLine } from '@hims/database';
import { shutdownTracing } from '@hims/tracing';
import { AppModule } from './app.module';
import { configureHttp } from './http-setup';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await checkDatabase(config.databaseUrl, 'DATABASE_URL');
  await checkDatabase(config.platform.databaseUrl, 'DATABASE_PLATFORM_URL');
  // TLS_CERT_FILE/TLS_KEY_FILE: the API serves HTTPS itself (npm run stack -- --tls); without
  // them it serves HTTP for a TLS-terminating proxy in front (docs/security.md).
  const httpsOptions = config.tls
    ? {
        cert: readFileSync(config.tls.certFile),
        key: readFileSync(config.tls.keyFile),
        minVersion: 'TLSv1.2' as const,
      }
    : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
    httpsOptions,
  });
  app.useLogger(app.get(Logger));
  configureHttp(app, config);
  await app.listen(config.port, '0.0.0.0');
  const logger = app.get(Logger);
  logger.log(`HIMS API listening on port ${config.port}`);

  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the
  // pool, exit 0. A request still running after the grace period is cut off.
  const shutdown = (signal: string) => {
    logger.log(`${signal} received: draining`);
    setTimeout(() => process.exit(1), config.shutdownGraceMs).unref();
    // Stop accepting connections at once (in-flight requests go on): Nest's close() runs the
    // modules' destroy hooks (background loops that may be waiting on the database) before it
    // closes the server, and no new request should start meanwhile.
    app.getHttpServer().close();
    app
      .close()
      .then(() => shutdownTracing()) // export buffered spans before exiting
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

bootstrap().catch((err: unknown) => {
  // A configuration problem is one clear line, not a stack trace.
  process.stderr.write(`${startupFailureLine(err)}\n`);
  process.exit(1);
});
