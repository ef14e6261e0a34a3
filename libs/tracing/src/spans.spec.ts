import { ROOT_CONTEXT, SpanStatusCode, context, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  AlwaysOnSampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { contextFromCarrier, recordSpan, traceExemplar, traced } from './spans';

// This file's own provider (global per test file), exporting to memory.
const exported = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  spanProcessors: [new SimpleSpanProcessor(exported)],
});
provider.register();

afterAll(async () => {
  await provider.shutdown();
});

describe('traceExemplar', () => {
  it('is the trace id of the active sampled span, and nothing outside a span or in an unsampled trace', async () => {
    expect(traceExemplar()).toEqual({});
    const inSampled = await traced('x', {}, async (span) => ({ ids: traceExemplar(), span }));
    expect(inSampled.ids).toEqual({ trace_id: inSampled.span.spanContext().traceId });
    // A caller that did not sample: parent-based, so our span is not sampled either.
    const unsampled = contextFromCarrier(
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' },
      ROOT_CONTEXT,
    );
    const inUnsampled = await context.with(unsampled, () => traced('y', {}, async () => traceExemplar()));
    expect(inUnsampled).toEqual({});
  });
});

describe('recordSpan', () => {
  it('records finished work from its start time, under the active span, with an error class only', async () => {
    exported.reset();
    const startedAt = new Date(Date.now() - 250);
    const parent = await traced('pass', {}, async (span) => {
      recordSpan('seal audit rows', { 'hims.audit.sealed': 3 }, startedAt);
      recordSpan('seal audit rows', {}, startedAt, { error: new RangeError('quoted value 98765') });
      return span.spanContext();
    });
    const [ok, failed] = exported.getFinishedSpans().filter((s) => s.name === 'seal audit rows');
    expect(ok.attributes).toEqual({ 'hims.audit.sealed': 3 });
    expect(ok.parentSpanContext?.spanId).toBe(parent.spanId);
    expect(ok.startTime[0] * 1000 + ok.startTime[1] / 1e6).toBeCloseTo(startedAt.getTime(), -1);
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'RangeError' });
    expect(JSON.stringify([failed.attributes, failed.status, failed.events])).not.toContain('98765');
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
