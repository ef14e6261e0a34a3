/**
 * The data push carries the trace (docs/tracing.md): each attempt is a CLIENT span under
 * the caller's span, the HIU gets that span's traceparent, a retried 503 is a failed span,
 * and no span holds the push URL's path or query, or anything of the documents.
 * Against the fake HIU over real HTTP; the fetch is the global one, wrapped only to see
 * the headers it sends.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { traced } from '@hims/tracing';
import { renderOpConsultDocument } from '@hims/visits';
import { FakeHiu } from '../../../test/support/fake-hiu';
import { sampleInput } from '../../../test/support/op-consult-sample';
import { DataPushClient, buildTransferPages } from './index';

const AUTH = 'Bearer hiu-session-token-123';
const exported = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exported)] });
provider.register();

afterAll(async () => {
  await provider.shutdown();
});

describe('DataPushClient tracing', () => {
  let hiu: FakeHiu;

  beforeEach(async () => {
    hiu = await FakeHiu.start({ authorization: AUTH });
  });

  afterEach(async () => {
    await hiu.stop();
  });

  it('sends each attempt’s traceparent to the HIU, from a CLIENT span under the caller’s', async () => {
    const input = sampleInput();
    const pages = buildTransferPages({
      transactionId: '6a1f5a3e-3d0c-4f8e-9b1e-2a7c4d5e6f70',
      hiuKey: hiu.requestKey(),
      documents: [{ careContextReference: 'OPD-0', bundle: renderOpConsultDocument(input) }],
    });
    const sent: Record<string, string>[] = [];
    const client = new DataPushClient({
      logger: { log: () => undefined, warn: () => undefined },
      baseDelayMs: 1,
      sleep: async () => undefined,
      fetch: (url, init) => {
        sent.push({ ...(init?.headers as Record<string, string>) });
        return fetch(url, init);
      },
    });
    hiu.failNext(1);
    exported.reset();
    const caller = await traced('transfer health information', {}, async (span) => {
      await client.push(`${hiu.dataPushUrl}?sig=url-secret-456`, pages, { headers: { authorization: AUTH } });
      return span.spanContext();
    });

    const attempts = exported.getFinishedSpans().filter((s) => s.name === 'POST data push');
    expect(attempts).toHaveLength(2);
    expect(sent).toHaveLength(2);
    attempts.forEach((span, k) => {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.parentSpanContext?.spanId).toBe(caller.spanId);
      expect(sent[k].traceparent).toBe(`00-${caller.traceId}-${span.spanContext().spanId}-01`);
    });
    expect(attempts[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
    expect(attempts[1].attributes['http.response.status_code']).toBe(202);
    const recorded = JSON.stringify(attempts.map((s) => [s.attributes, s.events, s.status]));
    for (const secret of ['url-secret-456', 'hiu-session-token', new URL(hiu.dataPushUrl).pathname]) {
      expect(recorded).not.toContain(secret);
    }
  });
});
