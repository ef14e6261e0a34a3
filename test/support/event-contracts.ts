import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DataSource } from 'typeorm';
import { asTenant } from './fixtures';

interface EventIndex {
  envelope: string;
  events: Record<string, { payload: string; aggregateType: string }>;
}

const dir = resolve(__dirname, '../../contracts/events');
const load = (f: string) => JSON.parse(readFileSync(resolve(dir, f), 'utf8'));

/** contracts/events compiled once: the envelope and one validator per registered event type. */
function compileContracts() {
  const index = load('index.json') as EventIndex;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return {
    index,
    envelope: ajv.compile(load(index.envelope)),
    payloads: Object.fromEntries(
      Object.entries(index.events).map(([type, e]) => [type, ajv.compile(load(e.payload))]),
    ),
  };
}

export interface OutboxRow {
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: Record<string, unknown>;
}

/**
 * Reads a tenant's outbox rows of one aggregate type (as the owner, under the tenant's RLS
 * context) and asserts each matches contracts/events: the envelope, a registered event type
 * of that aggregate, and its payload schema. Returns the rows for further checks.
 */
export async function expectOutboxMatchesContracts(
  owner: DataSource,
  tenantId: string,
  aggregateType: string,
): Promise<OutboxRow[]> {
  const { index, envelope, payloads } = compileContracts();
  const rows: (OutboxRow & Record<string, unknown>)[] = await asTenant(owner, tenantId, (tx) =>
    tx.query(
      `SELECT id, tenant_id, aggregate_type, aggregate_id, event_type, payload,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
              request_id, actor_id, schema_version
         FROM events.outbox WHERE aggregate_type = $1 ORDER BY occurred_at, id`,
      [aggregateType],
    ),
  );
  for (const row of rows) {
    const validate = payloads[row.event_type];
    expect({ id: row.id, type: row.event_type, registered: !!validate }).toEqual({
      id: row.id,
      type: row.event_type,
      registered: true,
    });
    expect(index.events[row.event_type].aggregateType).toBe(aggregateType);
    expect({ id: row.id, errors: envelope(row) ? null : envelope.errors }).toEqual({
      id: row.id,
      errors: null,
    });
    expect({
      id: row.id,
      type: row.event_type,
      errors: validate(row.payload) ? null : validate.errors,
    }).toEqual({
      id: row.id,
      type: row.event_type,
      errors: null,
    });
  }
  return rows;
}
