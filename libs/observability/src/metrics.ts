import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Injectable, NestMiddleware, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import {
  Counter,
  Histogram,
  Metric,
  OpenMetricsContentType,
  Registry,
  RegistryContentType,
  collectDefaultMetrics,
} from 'prom-client';
import { APP_CONFIG, AppConfig } from '@hims/config';
import { ProblemException } from '@hims/errors';
import { NoTenant } from '@hims/tenancy';
import { traceExemplar } from '@hims/tracing';

/**
 * One registry per process; other modules add their own metrics to it. OpenMetrics-typed
 * because prom-client accepts exemplar-enabled metrics only on such a registry; it is
 * never rendered itself (see renderMetrics).
 */
export const metricsRegistry = new Registry<OpenMetricsContentType>();
metricsRegistry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
collectDefaultMetrics({ register: metricsRegistry });

const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests by method, route template and status',
  labelNames: ['method', 'route', 'status'],
  registers: [metricsRegistry],
});

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by method, route template and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
  // The trace id of a sampled request, per bucket (OpenMetrics scrapes only; docs/tracing.md).
  enableExemplars: true,
});

/**
 * Labels use the route template (`/api/v1/patients/:id`), never the raw path. The
 * request's trace id (when its trace is sampled) is the bucket's exemplar.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    // Read here, inside the HTTP server span; 'finish' fires outside it.
    const end = httpDuration.startTimer({}, traceExemplar());
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      httpRequests.inc(labels);
      end(labels);
    });
    next();
  }
}

const OPENMETRICS = /application\/openmetrics-text/i;

/**
 * The registry in the format the scraper asked for: OpenMetrics (with exemplars)
 * when its Accept names application/openmetrics-text, as Prometheus does when
 * exemplar storage is on; else the classic text format, which has no exemplars.
 *
 * Each scrape renders through a throwaway registry of read-only views of the
 * metrics: prom-client's OpenMetrics rendering renames counters in place (drops
 * `_total` from the metric's name), which must not leak into the next classic scrape.
 */
export async function renderMetrics(accept = ''): Promise<{ contentType: string; body: string }> {
  const open = OPENMETRICS.test(accept);
  const out = new Registry<RegistryContentType>();
  out.setContentType(open ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
  for (const metric of metricsRegistry.getMetricsAsArray() as unknown as MetricSource[]) {
    out.registerMetric(metricView(metric, open));
  }
  return { contentType: out.contentType, body: await out.metrics() };
}

interface MetricSource {
  name: string;
  help: string;
  type: string;
  get(): Promise<{ name: string }>;
  getForPromString?(): Promise<{ name: string }>;
}

function metricView(metric: MetricSource, open: boolean): Metric {
  const read = () => (metric.getForPromString ? metric.getForPromString() : metric.get());
  const counter = open && metric.type === 'counter';
  return {
    name: metric.name,
    help: metric.help,
    type: metric.type,
    // OpenMetrics names a counter family without `_total` and adds it to each sample.
    get: async () => {
      const data = await read();
      return counter ? { ...data, name: data.name.replace(/_total$/, '') } : data;
    },
  } as unknown as Metric;
}

/**
 * Prometheus metrics. With METRICS_TOKEN set (required in production) only a scraper that
 * sends it as a bearer token is answered: the API's port is public.
 */
@ApiExcludeController()
@NoTenant()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  async metrics(
    @Res({ passthrough: true }) res: Response,
    @Headers('authorization') authorization?: string,
    @Headers('accept') accept?: string,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token && !sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new ProblemException(
        'unauthenticated',
        'Metrics need the scrape token (METRICS_TOKEN) as a bearer token',
      );
    }
    const { contentType, body } = await renderMetrics(accept);
    res.setHeader('Content-Type', contentType);
    return body;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
