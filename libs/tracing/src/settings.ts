/**
 * Tracing settings, read from the environment before anything else loads (the
 * tracer must be registered before pg, express and kafkajs are required, so this
 * cannot wait for @hims/config). Documented in .env.example and docs/tracing.md.
 *
 * - TRACING_ENDPOINT: where spans go. Empty (the default) = tracing off: no
 *   tracer provider, no instrumentation, no exporter; every span is a no-op.
 * - TRACING_EXPORTER: `zipkin` (default; e.g. http://127.0.0.1:59411/api/v2/spans)
 *   or `otlp` (OTLP/HTTP JSON, e.g. http://collector:4318/v1/traces).
 * - TRACING_SAMPLE_RATIO: 0..1 for traces that start here (parent-based: a
 *   caller's sampling decision is kept). Default 1 (always) outside production,
 *   0.1 in production.
 */
export type TracingExporter = 'zipkin' | 'otlp';

export interface TracingSettings {
  enabled: boolean;
  exporter: TracingExporter;
  endpoint: string | null;
  sampleRatio: number;
  serviceName: string;
  serviceVersion: string;
  environment: string;
}

export class TracingSettingsError extends Error {}

export function tracingSettings(
  service: string,
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): TracingSettings {
  const environment = env.NODE_ENV ?? 'development';
  const endpoint = (env.TRACING_ENDPOINT ?? '').trim() || null;
  const exporter = (env.TRACING_EXPORTER ?? 'zipkin').trim().toLowerCase();
  if (exporter !== 'zipkin' && exporter !== 'otlp') {
    throw new TracingSettingsError(`TRACING_EXPORTER must be zipkin or otlp (got "${exporter}")`);
  }
  if (endpoint) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new TracingSettingsError('TRACING_ENDPOINT is not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TracingSettingsError('TRACING_ENDPOINT must be an http(s) URL');
    }
  }
  const rawRatio = (env.TRACING_SAMPLE_RATIO ?? '').trim();
  const sampleRatio = rawRatio === '' ? (environment === 'production' ? 0.1 : 1) : Number(rawRatio);
  if (!Number.isFinite(sampleRatio) || sampleRatio < 0 || sampleRatio > 1) {
    throw new TracingSettingsError(`TRACING_SAMPLE_RATIO must be a number from 0 to 1 (got "${rawRatio}")`);
  }
  return {
    enabled: endpoint !== null,
    exporter,
    endpoint,
    sampleRatio,
    serviceName: (env.OTEL_SERVICE_NAME ?? '').trim() || service,
    serviceVersion: version,
    environment,
  };
}
