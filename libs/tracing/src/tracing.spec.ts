import {
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  context,
  createContextKey,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { scrubSpan } from './scrub';
import { tracingSettings } from './settings';
import { currentTraceCarrier, contextFromCarrier, traceLogFields, traced } from './spans';
import { startTracing, tracingEnabled } from './tracing';

describe('tracing settings', () => {
  it('is off when no endpoint is set, whatever else is', () => {
    const s = tracingSettings('hims-api', '1.0.0', { TRACING_EXPORTER: 'otlp', TRACING_SAMPLE_RATIO: '1' });
    expect(s.enabled).toBe(false);
    expect(s.endpoint).toBeNull();
  });

  it('samples every trace outside production and a tenth in production by default', () => {
    expect(
      tracingSettings('a', '1', { TRACING_ENDPOINT: 'http://127.0.0.1:59411/api/v2/spans' }).sampleRatio,
    ).toBe(1);
    expect(
      tracingSettings('a', '1', { NODE_ENV: 'production', TRACING_ENDPOINT: 'http://z:9411/api/v2/spans' })
        .sampleRatio,
    ).toBe(0.1);
    expect(tracingSettings('a', '1', { TRACING_SAMPLE_RATIO: '0.25' }).sampleRatio).toBe(0.25);
  });

  it('names the setting that is wrong', () => {
    expect(() => tracingSettings('a', '1', { TRACING_EXPORTER: 'jaeger' })).toThrow(/TRACING_EXPORTER/);
    expect(() => tracingSettings('a', '1', { TRACING_ENDPOINT: 'not a url' })).toThrow(/TRACING_ENDPOINT/);
    expect(() => tracingSettings('a', '1', { TRACING_SAMPLE_RATIO: '2' })).toThrow(/TRACING_SAMPLE_RATIO/);
  });

  it('takes the service name from OTEL_SERVICE_NAME when set', () => {
    expect(tracingSettings('hims-api', '1', { OTEL_SERVICE_NAME: 'api-eu' }).serviceName).toBe('api-eu');
  });
});

describe('tracing off', () => {
  it('registers nothing: no provider, spans are no-ops, outbox rows get no trace context', async () => {
    const settings = startTracing('hims-test', {});
    expect(settings.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const valid = await traced('register patient', { 'hims.count': 1 }, async (span) => {
      expect(span.isRecording()).toBe(false);
      return trace.isSpanContextValid(span.spanContext());
    });
    expect(valid).toBe(false);
    expect(currentTraceCarrier()).toEqual({ traceparent: null, tracestate: null });
    expect(traceLogFields()).toEqual({});
    // An event's traceparent is ignored without a propagator: the consumer starts no remote child.
    const ctx = contextFromCarrier({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(trace.getSpanContext(ctx)).toBeUndefined();
    // Nothing global was registered: the API's no-op tracer provider, propagator and context manager.
    const provider = trace.getTracerProvider() as ProxyTracerProvider;
    expect(provider.getDelegate().constructor.name).toBe('NoopTracerProvider');
    expect(propagation.fields()).toEqual([]);
    const key = createContextKey('probe');
    expect(context.with(context.active().setValue(key, 1), () => context.active().getValue(key))).toBeUndefined();
    // No spans kept: every span is the same kind of non-recording, invalid span.
    const spans = Array.from({ length: 100 }, () => trace.getTracer('hims').startSpan('x'));
    expect(spans.every((s) => !s.isRecording() && !trace.isSpanContextValid(s.spanContext()))).toBe(true);
    spans.forEach((s) => s.end());
  });
});

describe('scrubSpan', () => {
  const base = {
    name: 'GET /api/v1/search/patients',
    kind: SpanKind.SERVER,
    spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }),
    startTime: [0, 0],
    endTime: [0, 1],
    duration: [0, 1],
    ended: true,
    links: [],
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    instrumentationScope: { name: 'x' },
  } as unknown as ReadableSpan;

  it('drops query strings, bound values and error messages, keeps ids and the error class', () => {
    const out = scrubSpan({
      ...base,
      status: { code: SpanStatusCode.ERROR, message: 'invalid input syntax for type uuid: "Asha"' },
      attributes: {
        'http.url': 'http://127.0.0.1:3000/api/v1/search/patients?q=Asha%20Rao',
        'http.target': '/api/v1/search/patients?q=9876543210',
        'url.query': 'q=Asha',
        'db.statement.parameters': '["Asha"]',
        'db.statement': 'SELECT 1 WHERE id = $1',
        'hims.patient_id': '3f1c…',
      },
      events: [
        {
          name: 'exception',
          time: [0, 0],
          attributes: {
            'exception.type': 'QueryFailedError',
            'exception.message': 'Key (phone)=(+919876543210)',
          },
        },
      ],
    } as unknown as ReadableSpan);
    expect(out.attributes).toEqual({
      'http.url': 'http://127.0.0.1:3000/api/v1/search/patients',
      'http.target': '/api/v1/search/patients',
      'db.statement': 'SELECT 1 WHERE id = $1',
      'hims.patient_id': '3f1c…',
    });
    expect(out.events[0].attributes).toEqual({ 'exception.type': 'QueryFailedError' });
    expect(out.status).toEqual({ code: SpanStatusCode.ERROR, message: 'QueryFailedError' });
    expect(JSON.stringify(out.attributes)).not.toMatch(/Asha|9876543210/);
  });
});
