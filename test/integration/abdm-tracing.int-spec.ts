/**
 * Needs: the project's PostgreSQL 15. ABDM work continues the trace of the gateway
 * callback that caused it (docs/tracing.md): the inbox row stores the callback
 * request's traceparent, the worker's processor handles the row in a span of that
 * trace, the on-* answer it queues stores its own context, and the delivery to the
 * (fake) gateway is a CLIENT span whose traceparent header the gateway receives.
 *
 * The worker (its real WorkerModule, processor on) runs in this process with this
 * file's tracer provider (exporting to memory). The callback request's SERVER span
 * is started here around the real CallbackIntake, as the API's HTTP instrumentation
 * does around the controller (Jest's module loader bypasses that instrumentation).
 */
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { DataSource } from 'typeorm';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ABDM_CONFIG, AbdmProcessor } from '../../libs/abdm/src';
import { CallbackIntake } from '../../libs/abdm/src/callback-intake.service';
import { InboxRepository } from '../../libs/abdm/src/inbox.repository';
import { AuditRecorder } from '../../libs/audit/src';
import { APP_CONFIG, loadConfig } from '../../libs/config/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { TenantScope } from '../../libs/tenancy/src';
import { traced } from '../../libs/tracing/src';
import { abdmConfigFor, registerHip } from '../support/abdm';
import { appUrl, ownerUrl } from '../support/env';
import { FakeAbdmGateway } from '../support/fake-abdm-gateway';
import { asTenant, newTenant } from '../support/fixtures';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('ABDM bridge: one trace from the gateway callback to our on-* call', () => {
  const exported = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exported)] });
  let owner: DataSource;
  let gw: FakeAbdmGateway;
  let worker: INestApplication | undefined;

  beforeAll(async () => {
    provider.register(); // W3C propagator and context manager, as startTracing() registers them
    owner = await createDataSource(ownerUrl(), 2).initialize();
    gw = await new FakeAbdmGateway().start();
  });

  afterAll(async () => {
    await worker?.close();
    await gw?.stop();
    await owner?.destroy();
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('stores the callback’s trace context, continues it in the processor and sends traceparent to the gateway', async () => {
    const tenant = await newTenant(owner, 'abdm-trace');
    const hipId = `T${randomUUID().slice(0, 8)}-TR`;
    await registerHip(owner, tenant.id, hipId);
    const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(APP_CONFIG)
      .useValue({
        ...base,
        databaseUrl: appUrl(),
        databaseOwnerUrl: ownerUrl(),
        logLevel: 'silent',
        audit: { ...base.audit, sealIntervalMs: 0 },
      })
      .overrideProvider(ABDM_CONFIG)
      .useValue(abdmConfigFor(gw, { hipIdPrefix: hipId }))
      .compile();
    worker = moduleRef.createNestApplication({ logger: false });
    await worker.init();
    const get = <T>(type: new (...args: never[]) => T) => worker!.get(type, { strict: false });
    const intake = new CallbackIntake(get(InboxRepository), get(TenantScope), get(AuditRecorder), get(AbdmProcessor));

    const requestId = randomUUID();
    const person = { id: 'tracedperson77@sbx', name: 'Tracy Spanwala' };
    const callback = await traced(
      'POST /api/v3/hip/patient/care-context/discover',
      {},
      async (span) => {
        await intake.accept(
          'discover',
          { requestId, hipId, cmId: gw.cmId, timestamp: new Date() },
          {
            transactionId: randomUUID(),
            patient: { ...person, gender: 'F', verifiedIdentifiers: [] },
          },
        );
        return span.spanContext();
      },
      { kind: SpanKind.SERVER },
    );

    // The inbox row carries the callback request's context.
    const [inbox] = await asTenant(owner, tenant.id, (tx) =>
      tx.query(`SELECT traceparent FROM clinical.abdm_inbox WHERE request_id = $1`, [requestId]),
    );
    expect(inbox.traceparent).toMatch(TRACEPARENT);
    const [, inboxTrace] = TRACEPARENT.exec(inbox.traceparent)!;
    expect(inboxTrace).toBe(callback.traceId);

    // The gateway receives our answer with a traceparent of the same trace.
    const answer = await gw.answerTo(requestId);
    expect(answer.headers.traceparent).toMatch(TRACEPARENT);
    const [, answerTrace, clientSpanId] = TRACEPARENT.exec(answer.headers.traceparent)!;
    expect(answerTrace).toBe(callback.traceId);

    // The span that sent it, once ended: POST <path>, CLIENT, under "abdm deliver", under
    // the span that queued the call (the outbound row's traceparent), under "abdm handle callback",
    // under the callback request.
    const spans = await finishedSpans((s) => s.spanContext().spanId === clientSpanId);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const ancestors = (s: ReadableSpan): ReadableSpan[] => {
      const out: ReadableSpan[] = [];
      for (let p = byId.get(s.parentSpanContext?.spanId ?? ''); p; p = byId.get(p.parentSpanContext?.spanId ?? ''))
        out.push(p);
      return out;
    };
    const client = byId.get(clientSpanId)!;
    expect(client.kind).toBe(SpanKind.CLIENT);
    expect(client.name).toBe(`POST ${answer.path}`);
    expect(client.attributes).toMatchObject({ 'http.response.status_code': 202, 'url.path': answer.path });
    const chain = ancestors(client);
    expect(chain.map((s) => s.name)).toEqual(
      expect.arrayContaining(['abdm deliver', 'abdm handle callback', 'POST /api/v3/hip/patient/care-context/discover']),
    );
    expect(chain.map((s) => s.name).indexOf('abdm deliver')).toBe(0);
    const [outbound] = await asTenant(owner, tenant.id, (tx) =>
      tx.query(`SELECT traceparent FROM clinical.abdm_outbound WHERE request_id = $1`, [answer.headers['request-id']]),
    );
    const queuedBy = TRACEPARENT.exec(outbound.traceparent)![2];
    expect(chain[0].parentSpanContext?.spanId).toBe(queuedBy);
    const handle = chain.find((s) => s.name === 'abdm handle callback')!;
    expect(handle.attributes).toMatchObject({ 'hims.abdm.kind': 'discover', 'hims.abdm.request_id': requestId });
    expect([queuedBy, ...ancestors(byId.get(queuedBy)!).map((s) => s.spanContext().spanId)]).toContain(
      handle.spanContext().spanId,
    );

    // Ids and counts only: nothing of the person in any span.
    const attributes = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]));
    for (const value of [person.id, person.name, 'Spanwala']) expect(attributes).not.toContain(value);
  });

  /** The exported spans once one matches (a span ends after the call it wraps returns). */
  async function finishedSpans(until: (s: ReadableSpan) => boolean): Promise<ReadableSpan[]> {
    const deadline = Date.now() + 20000;
    for (;;) {
      const spans = exported.getFinishedSpans();
      if (spans.some(until)) return spans;
      if (Date.now() > deadline) throw new Error('the span was not exported');
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
});
