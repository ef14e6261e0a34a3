import {
  Attributes,
  Context,
  Link,
  Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';

/** Instrumentation scope of the application's own (domain) spans. */
const TRACER = 'hims';

/**
 * Runs `fn` inside a span named in domain terms ("register patient", "index
 * patient"). Attributes are ids, counts and outcomes only: never names, phones,
 * identifiers, query text or tokens (the same rule as logs). A thrown error
 * marks the span as failed with the error's class; the message is not recorded.
 * With tracing off this costs one no-op span object.
 */
export function traced<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  opts: { kind?: SpanKind; links?: Link[]; parent?: Context } = {},
): Promise<T> {
  const tracer = trace.getTracer(TRACER);
  return tracer.startActiveSpan(
    name,
    { attributes, kind: opts.kind ?? SpanKind.INTERNAL, links: opts.links },
    opts.parent ?? context.active(),
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        markError(span, err);
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Records work that already happened as a finished span, started at `startedAt`
 * and ended now. For loops whose idle passes should leave no span (the audit
 * sealer polls every 200 ms): the caller records only the passes that did work.
 * Attributes: ids and counts only. A no-op when tracing is off.
 */
export function recordSpan(
  name: string,
  attributes: Attributes,
  startedAt: Date,
  opts: { error?: unknown; parent?: Context } = {},
): void {
  const span = trace
    .getTracer(TRACER)
    .startSpan(name, { attributes, startTime: startedAt }, opts.parent ?? context.active());
  if (opts.error !== undefined) markError(span, opts.error);
  span.end();
}

/** Marks a span failed by the error's class only (messages can quote values). */
export function markError(span: Span, err: unknown): void {
  const type = (err as Error)?.constructor?.name ?? 'Error';
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
  span.setAttribute('error.type', type);
}

export interface TraceCarrier {
  traceparent: string | null;
  tracestate: string | null;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** W3C tracestate: list members are key=value with printable ASCII except ',' and '='; at most 512 chars here. */
const TRACESTATE =
  /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]*=[\x20-\x2b\x2d-\x3c\x3e-\x7e]*(,[\x20-\x2b\x2d-\x3c\x3e-\x7e]*=[\x20-\x2b\x2d-\x3c\x3e-\x7e]*)*$/;

/**
 * The active context as W3C trace headers (what the outbox row stores so the
 * worker can continue the trace). Nulls when tracing is off (no propagator is
 * registered) or there is no valid span.
 */
export function currentTraceCarrier(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const traceparent = TRACEPARENT.test(carrier.traceparent ?? '') ? carrier.traceparent : null;
  const state = carrier.tracestate ?? '';
  const tracestate = traceparent && state && state.length <= 512 && TRACESTATE.test(state) ? state : null;
  return { traceparent, tracestate };
}

/**
 * The W3C headers (`traceparent`, `tracestate`) of the active context, to send on an
 * outbound HTTP call (Node's fetch is not instrumented). Empty when tracing is off.
 */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

/**
 * An outbound HTTP call as a CLIENT span; `call` gets the headers that continue the
 * trace on the other side (the span's own context). Attributes: method, host and a
 * fixed path at most, never a URL with values or a body. A response status ≥ 400
 * set through `status` marks the span failed with `HTTP <status>`.
 */
export function tracedClientCall<T>(
  name: string,
  attributes: Attributes,
  call: (headers: Record<string, string>, status: (code: number) => void) => Promise<T>,
): Promise<T> {
  return traced(
    name,
    attributes,
    (span) =>
      call(traceHeaders(), (code) => {
        span.setAttribute('http.response.status_code', code);
        if (code >= 400) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${code}` });
          span.setAttribute('error.type', String(code));
        }
      }),
    { kind: SpanKind.CLIENT },
  );
}

/** The context a W3C carrier describes (e.g. an event's `traceparent` header), on top of `base`. */
export function contextFromCarrier(
  carrier: { traceparent?: string | null; tracestate?: string | null },
  base: Context = context.active(),
): Context {
  const headers: Record<string, string> = {};
  if (carrier.traceparent && TRACEPARENT.test(carrier.traceparent)) headers.traceparent = carrier.traceparent;
  else return base;
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
  return propagation.extract(base, headers);
}

/** trace_id / span_id of the active span for log lines (nothing when tracing is off or nothing is sampled). */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const sc = span.spanContext();
  if (!trace.isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId };
}

/**
 * Exemplar labels for a metric observation (prom-client, OpenMetrics): the trace
 * id of the active span when its trace is sampled (so Zipkin has it), else none
 * (an empty set records no exemplar). Only the id: the same rule as logs.
 * Typed as a plain record: prom-client types exemplar labels as the metric's own.
 */
export function traceExemplar(): Record<string, string> {
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc) || (sc.traceFlags & TraceFlags.SAMPLED) === 0) return {};
  return { trace_id: sc.traceId };
}
