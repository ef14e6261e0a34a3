import autocannon from 'autocannon';
import { RssSampler } from './rss';
import { LatencySummary, summarize } from './stats';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ScenarioResult {
  name: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  rps: number;
  latencyMs: LatencySummary;
  non2xx: number;
  errors: number;
  timeouts: number;
  peakRssMb: number | null;
}

/**
 * Runs one closed-loop load scenario with autocannon. `next` builds each
 * request (so bodies, tenants and ids vary); `onResponse` lets a scenario
 * learn from answers (e.g. new ids and versions). Latency of every response
 * is recorded so p95 is exact.
 */
export async function runScenario(opts: {
  name: string;
  url: string;
  connections: number;
  durationSeconds: number;
  next: (client: number) => RequestSpec;
  onResponse?: (client: number, status: number, body: string, spec: RequestSpec) => void;
  rss?: RssSampler;
}): Promise<ScenarioResult> {
  const samples: number[] = [];
  const sampler = opts.rss;
  sampler?.start();
  let clientSeq = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.durationSeconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
              if (context.client === undefined) context.client = clientSeq++;
              const spec = opts.next(context.client as number);
              context.spec = spec;
              return { ...req, method: spec.method, path: spec.path, headers: spec.headers, body: spec.body };
            },
            onResponse: (status: number, body: string, context: Record<string, unknown>) => {
              opts.onResponse?.(context.client as number, status, body, context.spec as RequestSpec);
            },
          },
        ],
      } as unknown as autocannon.Options,
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      samples.push(responseTime);
    });
  });
  const peakRssMb = sampler ? sampler.stop() : null;
  return {
    name: opts.name,
    connections: opts.connections,
    durationSeconds: opts.durationSeconds,
    requests: result.requests.total,
    rps: Math.round(result.requests.total / opts.durationSeconds),
    latencyMs: summarize(samples),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    peakRssMb,
  };
}
