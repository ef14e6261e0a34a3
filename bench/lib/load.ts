import autocannon from 'autocannon';
import { CpuMeter, CpuUsage } from './cpu';
import { RssSampler } from './rss';
import { LatencySummary, summarize } from './stats';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Scenario bookkeeping carried to onResponse (e.g. the tracked patient of an update); never sent. */
  tag?: unknown;
  /** Label for per-kind counts in mixed scenarios. */
  kind?: string;
}

export interface ScenarioResult {
  name: string;
  connections: number;
  /** Requests/s cap (autocannon overallRate) when the scenario was rate-limited. */
  targetRps?: number;
  durationSeconds: number;
  requests: number;
  rps: number;
  latencyMs: LatencySummary;
  non2xx: number;
  errors: number;
  timeouts: number;
  peakRssMb: number | null;
  /** CPU used while the scenario ran, in cores (1.0 = one core busy), by process group. */
  cpu?: CpuUsage;
  /** Status codes by request kind (mixed scenarios) or overall. */
  statuses?: Record<string, Record<string, number>>;
  notes?: string[];
}

/**
 * Runs one closed-loop load scenario with autocannon. `next` builds each
 * request from a global sequence number (so bodies, tenants and ids vary);
 * `onResponse` lets a scenario learn from answers (e.g. new versions).
 * Latency of every response is recorded so percentiles are exact.
 *
 * autocannon resets a request's `context` after every request of a
 * one-request sequence, so nothing per-connection can live there: the spec
 * of the request in flight is kept in it only between setupRequest and
 * onResponse (with pipelining 1 that is the answered request).
 */
export async function runScenario(opts: {
  name: string;
  url: string;
  connections: number;
  durationSeconds: number;
  next: (seq: number) => RequestSpec;
  onResponse?: (status: number, body: string, spec: RequestSpec, headers: Record<string, string>) => void;
  rss?: RssSampler;
  cpu?: CpuMeter;
  /** Cap on total requests per second (open-ish loop for "latency at half of max throughput"). */
  overallRate?: number;
  /** Stop early when this settles (duration is then the upper bound). */
  until?: Promise<unknown>;
  /** Every response's latency (ms), e.g. to pool the samples of several rounds. */
  onSample?: (ms: number) => void;
}): Promise<ScenarioResult> {
  const samples: number[] = [];
  const statuses: Record<string, Record<string, number>> = {};
  opts.rss?.start();
  opts.cpu?.start();
  let seq = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.durationSeconds,
        timeout: 10,
        ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
        requests: [
          {
            setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
              const spec = opts.next(seq++);
              context.spec = spec;
              return { ...req, method: spec.method, path: spec.path, headers: spec.headers, body: spec.body };
            },
            onResponse: (
              status: number,
              body: string,
              context: Record<string, unknown>,
              headers: Record<string, string>,
            ) => {
              const spec = context.spec as RequestSpec | undefined;
              if (!spec) return;
              const byKind = (statuses[spec.kind ?? opts.name] ??= {});
              byKind[status] = (byKind[status] ?? 0) + 1;
              opts.onResponse?.(status, body, spec, headers);
            },
          },
        ],
      } as unknown as autocannon.Options,
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      samples.push(responseTime);
      opts.onSample?.(responseTime);
    });
    opts.until?.finally(() => (instance as unknown as { stop: () => void }).stop());
  });
  const peakRssMb = opts.rss ? opts.rss.stop() : null;
  const cpu = opts.cpu?.stop();
  // autocannon's own wall-clock duration (seconds), which an early stop shortens.
  const durationSeconds = result.duration || (performance.now() - started) / 1000;
  return {
    name: opts.name,
    connections: opts.connections,
    ...(opts.overallRate ? { targetRps: opts.overallRate } : {}),
    durationSeconds,
    requests: samples.length,
    rps: Math.round(samples.length / durationSeconds),
    latencyMs: summarize(samples),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    peakRssMb,
    ...(cpu ? { cpu } : {}),
    statuses,
  };
}

type Http = typeof import('node:http');

/** One request on a keep-alive agent; resolves with the status (0: failed or timed out after 10 s). */
function sendOnce(
  http: Http,
  agent: import('node:http').Agent,
  base: URL,
  spec: RequestSpec,
): Promise<{ status: number; retryAfter: number; timedOut: boolean }> {
  return new Promise((resolve) => {
    let timedOut = false;
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: spec.method,
        path: spec.path,
        headers: spec.body ? { ...spec.headers, 'Content-Length': Buffer.byteLength(spec.body) } : spec.headers,
        agent,
        timeout: 10000,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Number(res.headers['retry-after'] ?? 0) || 1,
            timedOut,
          }),
        );
      },
    );
    req.on('timeout', () => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    });
    req.on('error', () => resolve({ status: 0, retryAfter: 0, timedOut }));
    req.end(spec.body);
  });
}

/** Counts and latencies of a scenario driven by sendOnce (paced or polite). */
class Tally {
  readonly samples: number[] = [];
  readonly statuses: Record<string, number> = {};
  private non2xx = 0;
  private errors = 0;
  private timeouts = 0;

  record(r: { status: number; timedOut: boolean }, ms: number, onSample?: (ms: number) => void): void {
    if (r.timedOut) this.timeouts++;
    if (r.status === 0) {
      this.errors++;
      return;
    }
    this.samples.push(ms);
    onSample?.(ms);
    this.statuses[r.status] = (this.statuses[r.status] ?? 0) + 1;
    if (r.status < 200 || r.status > 299) this.non2xx++;
  }

  result(o: {
    name: string;
    connections: number;
    started: number;
    targetRps?: number;
    rss?: RssSampler;
    cpu?: CpuMeter;
  }): ScenarioResult {
    const durationSeconds = (performance.now() - o.started) / 1000;
    const peakRssMb = o.rss ? o.rss.stop() : null;
    const cpu = o.cpu?.stop();
    return {
      name: o.name,
      connections: o.connections,
      ...(o.targetRps ? { targetRps: o.targetRps } : {}),
      durationSeconds,
      requests: this.samples.length,
      rps: Math.round(this.samples.length / durationSeconds),
      latencyMs: summarize(this.samples),
      non2xx: this.non2xx,
      errors: this.errors,
      timeouts: this.timeouts,
      peakRssMb,
      ...(cpu ? { cpu } : {}),
      statuses: { [o.name]: this.statuses },
    };
  }
}

/**
 * Open-loop load at a fixed rate, for "latency at half of the maximum
 * throughput". autocannon's rate limit releases each connection's quota in a
 * burst at the start of every second, which measures latency at full
 * concurrency; here request k is due at k / rate seconds and its latency is
 * counted from when it was due (a late start counts against the server, so
 * queueing is not hidden: no coordinated omission). Keep-alive sockets,
 * at most `connections` in flight.
 */
export async function runPaced(opts: {
  name: string;
  url: string;
  rate: number;
  connections: number;
  durationSeconds: number;
  next: (seq: number) => RequestSpec;
  rss?: RssSampler;
  cpu?: CpuMeter;
  /** Every response's latency (ms, from when it was due). */
  onSample?: (ms: number) => void;
}): Promise<ScenarioResult> {
  const http = await import('node:http');
  const base = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const tally = new Tally();
  let issued = 0;
  let inFlight = 0;
  opts.rss?.start();
  opts.cpu?.start();
  const started = performance.now();
  const total = Math.round(opts.rate * opts.durationSeconds);
  await new Promise<void>((resolve) => {
    const fire = (seq: number, due: number) => {
      inFlight++;
      void sendOnce(http, agent, base, opts.next(seq)).then((r) => {
        tally.record(r, performance.now() - due, opts.onSample);
        done();
      });
    };
    const done = () => {
      inFlight--;
      if (issued >= total && inFlight === 0) resolve();
    };
    const timer = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      const due = Math.min(total, Math.floor(elapsed * opts.rate));
      while (issued < due) {
        fire(issued, started + (issued / opts.rate) * 1000);
        issued++;
      }
      if (issued >= total) {
        clearInterval(timer);
        if (inFlight === 0) resolve();
      }
    }, 2);
  });
  agent.destroy();
  return tally.result({ ...opts, targetRps: opts.rate, started });
}

/**
 * Closed loop of `connections` clients that back off when told to: an answer of 429 makes
 * that client wait its Retry-After (capped by what is left of the run) before its next
 * request. For "a clinic at its share": a client that ignores
 * 429 and retries at once measures only how fast the API can refuse.
 */
export async function runPolite(opts: {
  name: string;
  url: string;
  connections: number;
  durationSeconds: number;
  next: (seq: number) => RequestSpec;
  rss?: RssSampler;
  cpu?: CpuMeter;
}): Promise<ScenarioResult> {
  const http = await import('node:http');
  const base = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const tally = new Tally();
  let seq = 0;
  opts.rss?.start();
  opts.cpu?.start();
  const started = performance.now();
  const endAt = started + opts.durationSeconds * 1000;
  const client = async () => {
    while (performance.now() < endAt) {
      const t0 = performance.now();
      const r = await sendOnce(http, agent, base, opts.next(seq++));
      tally.record(r, performance.now() - t0);
      if (r.status === 429) {
        const wait = Math.min(r.retryAfter * 1000, endAt - performance.now());
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, client));
  agent.destroy();
  return tally.result({ ...opts, started });
}
