// Must stay the first import (instrumentation patches modules as they load).
import './tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@hims/config';
import { checkDatabase, startupFailureLine } from '@hims/database';
import { shutdownTracing } from '@hims/tracing';
import { connectPipelineConsumers } from './worker-app';
import { WorkerModule } from './worker.module';

/**
 * The pipeline worker: consumes the event topics (search indexer and
 * analytics consumer groups) and serves /health/live, /health/ready and
 * /metrics on WORKER_PORT.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await checkDatabase(config.databaseUrl, 'DATABASE_URL');
  const app = await NestFactory.create<NestExpressApplication>(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const consumers = connectPipelineConsumers(app);
  await app.startAllMicroservices();
  await app.listen(config.pipeline.workerPort, '127.0.0.1');
  app
    .get(Logger)
    .log(
      `HIMS worker: groups ${consumers.indexer.spec.groupId}, ${consumers.analytics.spec.groupId}; /health and /metrics on port ${config.pipeline.workerPort}`,
    );
  // Best effort: export buffered spans while Nest's shutdown hooks close the consumers.
  const shutdown = async () => Promise.all([consumers.lag.close(), consumers.close(), shutdownTracing()]);
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`${startupFailureLine(err)}\n`);
  process.exit(1);
});
