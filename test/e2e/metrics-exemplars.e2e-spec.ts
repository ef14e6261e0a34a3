/**
 * Needs: the project's PostgreSQL 15 and a built API (`npm run build`; npm test does it).
 * The API runs as a process with tracing on (OpenTelemetry's HTTP instrumentation patches
 * Node's http as it loads, which Jest's module loader bypasses), exporting to a span sink
 * here (what is exported is pipeline-tracing's business). A scrape that asks for
 * OpenMetrics gets the request histogram with the trace id of a sampled request as a
 * bucket's exemplar; an unsampled request leaves none; the classic text format has no
 * exemplars and keeps its counter names after an OpenMetrics scrape.
 */
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { startApiProcess } from '../support/api-process';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

describe('/metrics exemplars (API process, tracing on)', () => {
  let sink: Server;
  let api: Awaited<ReturnType<typeof startApiProcess>> | undefined;

  beforeAll(async () => {
    // Accepts whatever the Zipkin exporter sends, so the API exports without errors.
    sink = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(202).end());
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const { port } = sink.address() as AddressInfo;
    api = await startApiProcess({
      TRACING_ENDPOINT: `http://127.0.0.1:${port}/api/v2/spans`,
      TRACING_SAMPLE_RATIO: '1',
      OTEL_SERVICE_NAME: 'hims-api-exemplars-test',
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    if (api && api.child.exitCode === null) {
      const exited = new Promise((r) => api!.child.once('exit', r));
      api.child.kill('SIGTERM');
      await exited;
    }
    if (api) rmSync(api.keyDir, { recursive: true, force: true });
    await new Promise((r) => sink?.close(r));
  });

  const call = (traceId: string, flags: '00' | '01') =>
    fetch(`http://127.0.0.1:${api!.port}/api/v1/tenancy/context`, {
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}` },
    });

  it('an OpenMetrics scrape shows a sampled request’s trace id as an exemplar of its latency bucket', async () => {
    const sampled = randomBytes(16).toString('hex');
    const unsampled = randomBytes(16).toString('hex');
    const status = (await call(sampled, '01')).status;
    expect(status).toBeGreaterThanOrEqual(400); // no credentials: answered, measured, traced
    await call(unsampled, '00');

    const res = await fetch(`http://127.0.0.1:${api!.port}/metrics`, { headers: { Accept: OPENMETRICS } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    const body = await res.text();
    expect(body.endsWith('# EOF\n')).toBe(true);
    const bucket = new RegExp(
      `^http_request_duration_seconds_bucket\\{le="[^"]+",method="GET",route="/api/v1/tenancy/context",status="${status}"\\} \\d+ # \\{trace_id="${sampled}"\\} [0-9.e-]+ [0-9.]+$`,
      'm',
    );
    expect(body).toMatch(bucket);
    expect(body).not.toContain(unsampled);
    // Counters keep their sample names; the family is named without _total, as OpenMetrics wants.
    expect(body).toMatch(/^# TYPE http_requests counter$/m);
    expect(body).toMatch(/^http_requests_total\{method="GET",route="\/api\/v1\/tenancy\/context",/m);
  });

  it('the classic text format has no exemplars and its counter names survive an OpenMetrics scrape', async () => {
    await fetch(`http://127.0.0.1:${api!.port}/metrics`, { headers: { Accept: OPENMETRICS } });
    const res = await fetch(`http://127.0.0.1:${api!.port}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).not.toMatch(/ # \{trace_id=/);
    expect(body).toMatch(/^# TYPE http_requests_total counter$/m);
    expect(body).toMatch(/^http_requests_total\{method="GET",route="\/api\/v1\/tenancy\/context",/m);
    expect(body).not.toContain('# EOF');
  });
});
