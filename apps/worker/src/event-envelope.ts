/**
 * A captured outbox row as it arrives from Kafka (Debezium outbox event
 * router, infra/debezium/connector.json): key = aggregate id, value = the
 * payload JSON, headers = event id and the additional placement fields.
 */
export interface OutboxEvent {
  eventId: string;
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  schemaVersion: number;
  occurredAt: string | null;
  requestId: string | null;
  actorId: string | null;
  /** W3C trace context of the transaction that wrote the row (docs/tracing.md); null when it was not traced. */
  traceparent: string | null;
  tracestate: string | null;
  payload: unknown;
}

export class InvalidEnvelopeError extends Error {
  readonly permanent = true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Headers = Record<string, unknown>;

function header(headers: Headers, name: string): string | null {
  let v = headers[name];
  if (Array.isArray(v)) v = v[v.length - 1];
  if (v === undefined || v === null) return null;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function decodeEnvelope(message: { key?: unknown; value?: unknown; headers?: Headers }): OutboxEvent {
  const headers = message.headers ?? {};
  const eventId = header(headers, 'id');
  const tenantId = header(headers, 'tenantId');
  const eventType = header(headers, 'eventType');
  const key =
    message.key === null || message.key === undefined
      ? null
      : Buffer.isBuffer(message.key)
        ? message.key.toString()
        : String(message.key);
  if (!eventId || !UUID.test(eventId))
    throw new InvalidEnvelopeError('header "id" (event id) is missing or not a uuid');
  if (!tenantId || !UUID.test(tenantId))
    throw new InvalidEnvelopeError('header "tenantId" is missing or not a uuid');
  if (!eventType) throw new InvalidEnvelopeError('header "eventType" is missing');
  if (!key) throw new InvalidEnvelopeError('message key (aggregate id) is missing');
  let payload: unknown = null;
  if (message.value !== null && message.value !== undefined) {
    const text = Buffer.isBuffer(message.value) ? message.value.toString('utf8') : String(message.value);
    try {
      payload = JSON.parse(text);
    } catch {
      throw new InvalidEnvelopeError('value is not JSON');
    }
  }
  return {
    eventId: eventId.toLowerCase(),
    tenantId: tenantId.toLowerCase(),
    aggregateType: header(headers, 'aggregateType') ?? eventType.split('.')[0],
    aggregateId: key.toLowerCase(),
    eventType,
    schemaVersion: Number(header(headers, 'schemaVersion') ?? 1),
    occurredAt: header(headers, 'occurredAt'),
    requestId: header(headers, 'requestId'),
    actorId: header(headers, 'actorId'),
    traceparent: header(headers, 'traceparent'),
    tracestate: header(headers, 'tracestate'),
    payload,
  };
}
