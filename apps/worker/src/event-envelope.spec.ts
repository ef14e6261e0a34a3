import { decodeEnvelope } from './event-envelope';
import { classifyError } from './pipeline-consumer';

const headers = {
  id: '976fc148-5bac-4eab-acf3-a359e4382933',
  tenantId: '11111111-1111-4111-8111-111111111111',
  eventType: 'patient.registered',
  aggregateType: 'patient',
  schemaVersion: '1',
  occurredAt: '2025-01-02T03:04:05.123456Z',
  requestId: null,
};

describe('decodeEnvelope', () => {
  it('reads what the Debezium outbox router writes', () => {
    const e = decodeEnvelope({
      key: 'D48552C2-471D-4E6B-AC79-9501B288FF80',
      value: Buffer.from('{"version": 1, "patientId": "x", "changedFields": []}'),
      headers,
    });
    expect(e).toMatchObject({
      eventId: headers.id,
      tenantId: headers.tenantId,
      aggregateId: 'd48552c2-471d-4e6b-ac79-9501b288ff80',
      eventType: 'patient.registered',
      schemaVersion: 1,
      requestId: null,
      payload: { version: 1, patientId: 'x', changedFields: [] },
    });
  });

  it("reads the writer's trace context headers (null when the row was not traced)", () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const traced = decodeEnvelope({
      key: 'd48552c2-471d-4e6b-ac79-9501b288ff80',
      value: Buffer.from('{}'),
      headers: { ...headers, traceparent: Buffer.from(traceparent), tracestate: Buffer.from('hims=1') },
    });
    expect(traced).toMatchObject({ traceparent, tracestate: 'hims=1' });
    const untraced = decodeEnvelope({ key: 'd48552c2-471d-4e6b-ac79-9501b288ff80', value: null, headers });
    expect(untraced).toMatchObject({ traceparent: null, tracestate: null });
  });

  it.each([
    ['no event id', { ...headers, id: undefined }, 'x', /header "id"/],
    ['a bad tenant', { ...headers, tenantId: 'nope' }, '{}', /tenantId/],
    ['no event type', { ...headers, eventType: undefined }, '{}', /eventType/],
    ['a value that is not JSON', headers, 'not json {', /not JSON/],
  ])('refuses a message with %s, permanently', (_label, h, value, message) => {
    let err: unknown;
    try {
      decodeEnvelope({ key: 'k', value: Buffer.from(value), headers: h as Record<string, unknown> });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(message);
    expect(classifyError(err)).toBe('permanent');
  });
});

describe('classifyError', () => {
  it('tells outages (retry until back) from other failures (retry, then dead-letter)', () => {
    expect(classifyError(Object.assign(new Error('x'), { name: 'ConnectionError' }))).toBe('unavailable');
    expect(
      classifyError(Object.assign(new Error('x'), { name: 'ResponseError', meta: { statusCode: 503 } })),
    ).toBe('unavailable');
    expect(
      classifyError(
        Object.assign(new Error('x'), {
          meta: { statusCode: 404, body: { error: { type: 'index_not_found_exception' } } },
        }),
      ),
    ).toBe('unavailable');
    expect(classifyError(Object.assign(new Error('x'), { driverError: { code: '57P01' } }))).toBe(
      'unavailable',
    );
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'unavailable',
    );
    expect(classifyError(Object.assign(new Error('x'), { meta: { statusCode: 400 } }))).toBe('transient');
    expect(classifyError(Object.assign(new Error('x'), { driverError: { code: '40001' } }))).toBe(
      'transient',
    );
    expect(classifyError(new Error('boom'))).toBe('transient');
  });
});
