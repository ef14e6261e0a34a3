import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { TracingSettings, tracingSettings } from './settings';

/**
 * Process-wide tracing. `startTracing()` must run before pg, express, kafkajs
 * and @elastic/elasticsearch are required: each app's `src/tracing.ts` calls it
 * and is the first import of its main.ts. With no TRACING_ENDPOINT it returns
 * at once and loads nothing: no provider, no instrumentation, no exporter, so
 * every span (ours and the libraries') is the API's no-op span.
 *
 * Uses the Node SDK's trace packages (NodeTracerProvider, the contrib
 * instrumentations) rather than the @opentelemetry/sdk-node meta package: that
 * one also brings gRPC, metrics and logs exporters and, with nothing
 * configured, exports to an OTLP default address; here nothing is exported
 * unless an endpoint is set.
 */
let active: { settings: TracingSettings; shutdown: () => Promise<void>; flush: () => Promise<void> } | null =
  null;

export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): TracingSettings {
  if (active) return active.settings;
  const settings = tracingSettings(service, packageVersion(), env);
  if (!settings.enabled) return settings;

  // Required here, not imported at the top, so tracing off loads none of it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const {
    NodeTracerProvider,
    BatchSpanProcessor,
    ParentBasedSampler,
    TraceIdRatioBasedSampler,
    AlwaysOnSampler,
  } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } =
    require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { KafkaJsInstrumentation } =
    require('@opentelemetry/instrumentation-kafkajs') as typeof import('@opentelemetry/instrumentation-kafkajs');
  const { ScrubbingExporter } = require('./scrub') as typeof import('./scrub');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const root =
    settings.sampleRatio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(settings.sampleRatio);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': settings.serviceName,
      'service.version': settings.serviceVersion,
      'deployment.environment.name': settings.environment,
    }),
    sampler: new ParentBasedSampler({ root }),
    spanProcessors: [
      new BatchSpanProcessor(new ScrubbingExporter(exporterFor(settings)), {
        scheduledDelayMillis: 500,
        maxQueueSize: 4096,
      }),
    ],
  });
  // Registers the W3C trace-context propagator and the async-hooks context manager.
  provider.register();

  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not traced.
        ignoreIncomingRequestHook: (req: IncomingMessage) => /^\/(health\/|metrics)/.test(req.url ?? ''),
        // Query strings carry search terms (patient identifiers): spans get the path only.
        startIncomingSpanHook: (req: IncomingMessage) => {
          const path = (req.url ?? '').split('?')[0];
          return { 'http.target': path, 'http.url': path, 'url.path': path };
        },
      }),
      new ExpressInstrumentation(),
      // enhancedDatabaseReporting would add bound values (patient data) to spans: off, explicitly.
      new PgInstrumentation({
        enhancedDatabaseReporting: false,
        requireParentSpan: true,
        ignoreConnectSpans: true,
      }),
      new KafkaJsInstrumentation(),
    ],
  });

  active = {
    settings,
    shutdown: () => provider.shutdown(),
    flush: () => provider.forceFlush(),
  };
  return settings;
}

function exporterFor(settings: TracingSettings) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (settings.exporter === 'otlp') {
    const { OTLPTraceExporter } =
      require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter({ url: settings.endpoint! });
  }
  const { ZipkinExporter } =
    require('@opentelemetry/exporter-zipkin') as typeof import('@opentelemetry/exporter-zipkin');
  return new ZipkinExporter({ url: settings.endpoint!, serviceName: settings.serviceName });
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Exports what is buffered and stops (call before process.exit; a no-op when tracing is off). */
export async function shutdownTracing(): Promise<void> {
  const a = active;
  active = null;
  await a?.shutdown().catch(() => undefined);
}

/** Exports what is buffered now (tests, the CLI before it exits). */
export async function flushTracing(): Promise<void> {
  await active?.flush().catch(() => undefined);
}

export function tracingEnabled(): boolean {
  return active !== null;
}

function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hims-backend') return pkg.version ?? '0.0.0';
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

/** For each app's src/tracing.ts: a bad TRACING_* setting is one line on stderr and exit 1, like other settings. */
export function startTracingOrExit(service: string): void {
  try {
    startTracing(service);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
