import { SpanStatusCode } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

/**
 * Attributes that may carry a URL with its query string (search terms are
 * patient identifiers) or a statement's bound values. The instrumentations are
 * configured not to record them (tracing.ts); this is the second line: whatever
 * an instrumentation or library version adds, no exported span carries them.
 */
const URL_KEYS = new Set(['http.url', 'http.target', 'url.full', 'http.request.url']);
const DROP_KEYS = new Set([
  'url.query',
  'db.statement.parameters',
  'db.query.parameters',
  'db.postgresql.values',
  'exception.message',
  'http.request.body',
  'http.response.body',
]);
const DROP_PREFIXES = ['db.query.parameter.', 'http.request.header.', 'http.response.header.'];

export function scrubAttributes<T extends Record<string, unknown>>(attributes: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (DROP_KEYS.has(key) || DROP_PREFIXES.some((p) => key.startsWith(p))) continue;
    out[key] = URL_KEYS.has(key) && typeof value === 'string' ? value.split('?')[0] : value;
  }
  return out as T;
}

/**
 * A copy of the span as exporters read it: attributes scrubbed, exception
 * events reduced to their type, and no status message (error messages can
 * quote a value, e.g. PostgreSQL's "invalid input syntax for type uuid: ...").
 */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status:
      span.status.code === SpanStatusCode.ERROR
        ? { code: SpanStatusCode.ERROR, message: errorType(span) }
        : { code: span.status.code },
    attributes: scrubAttributes(span.attributes),
    links: span.links.map((l) => ({ ...l, attributes: l.attributes && scrubAttributes(l.attributes) })),
    events: span.events.map((e) => ({ ...e, attributes: e.attributes && scrubAttributes(e.attributes) })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** The error's class (e.g. `ProblemException`, `DatabaseError`), never its message: Zipkin shows it as the `error` tag. */
function errorType(span: ReadableSpan): string {
  const fromAttr = span.attributes['error.type'];
  if (typeof fromAttr === 'string' && fromAttr) return fromAttr;
  const ex = span.events.find((e) => e.name === 'exception')?.attributes?.['exception.type'];
  return typeof ex === 'string' && ex ? ex : 'error';
}

/** Wraps the real exporter (Zipkin or OTLP) so every batch is scrubbed on its way out. */
export class ScrubbingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans.map(scrubSpan), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
