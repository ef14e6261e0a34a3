/**
 * Needs: PostgreSQL 15, Kafka, Kafka Connect + Debezium, Elasticsearch — all started by
 * test/support/stack.ts (jest project "pipeline"; the lead runs it).
 *
 * Revenue per department per day (issue 29): a real bill is finalised and another cancelled
 * with a credit note through the API; Debezium routes the billing.* outbox rows to
 * `<ns>.billing.events`; the worker's analytics consumer (in this process) projects
 * analytics.daily_revenue, once per event even when an event is delivered again, and another
 * clinic's revenue stays its own.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createTestApp } from '../support/app';
import { LoggedIn, authHeaders, loginAs } from '../support/auth';
import { appUrl, ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import {
  TopicReader,
  eventually,
  pipelineConfig,
  produce,
  startTestWorker,
  stopTestWorker,
  topology,
} from '../support/stack';

jest.setTimeout(180000);

describe('pipeline: billing events → analytics.daily_revenue (per department and day)', () => {
  let owner: DataSource;
  let api: NestExpressApplication;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let reader: TopicReader;
  const t = topology();
  let a: { id: string };
  let b: { id: string };
  let adminA: LoggedIn;
  let deskA: LoggedIn;
  let docA: LoggedIn;
  const today = new Date().toISOString().slice(0, 10);

  const call = (
    user: LoggedIn,
    method: 'post' | 'get',
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ) => request(api.getHttpServer())[method](path).set(authHeaders(user.token, a.id)).set(headers).send(body);

  /** A finalised bill of one consultation for a new patient in `department`. */
  async function finalisedBill(department: string) {
    const p = await call(deskA, 'post', '/api/v1/patients', {
      name: { given: ['Rev'], family: 'Enue' },
      gender: 'male',
      birthDate: '1970-01-01',
      allowDuplicate: true,
    });
    const v = await call(deskA, 'post', `/api/v1/patients/${p.body.id}/visits`, {
      attendingDoctorId: docA.userId,
      department,
      scheduledAt: new Date().toISOString(),
    });
    const d = await call(deskA, 'post', `/api/v1/visits/${v.body.id}/bill`);
    const f = await call(deskA, 'post', `/api/v1/invoices/${d.body.id}/finalise`);
    expect(f.status).toBe(200);
    return f.body as { id: string; totalPaise: number };
  }

  const revenue = (tenantId: string) =>
    asTenant(owner, tenantId, (tx) =>
      tx.query(
        `SELECT department, invoices::int, credit_notes::int AS "creditNotes", revenue_paise::int AS revenue
           FROM analytics.daily_revenue WHERE day = $1 ORDER BY department`,
        [today],
      ),
    ) as Promise<{ department: string; invoices: number; creditNotes: number; revenue: number }[]>;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'revenue-a');
    b = await newTenant(owner, 'revenue-b');
    reader = await new TopicReader([t.topic('billing')]).start();
    worker = await startTestWorker('billing');
    api = await createTestApp(pipelineConfig({ databaseUrl: appUrl(), databasePoolMax: 4 }));
    [adminA, deskA, docA] = await Promise.all([
      loginAs(api, owner, a.id, ['tenant_admin']),
      loginAs(api, owner, a.id, ['receptionist']),
      loginAs(api, owner, a.id, ['doctor']),
    ]);
    await call(adminA, 'post', '/api/v1/billing/price-items', {
      code: 'CONS',
      name: 'Consultation',
      kind: 'consultation',
      pricePaise: 50000,
      gstExempt: true,
      effectiveFrom: '2020-04-01',
    });
  });

  afterAll(async () => {
    await reader?.stop();
    await stopTestWorker(worker);
    await api?.close();
    await owner?.destroy();
  });

  it('counts finalised revenue per department, subtracts a credit note, once per event, per clinic', async () => {
    await finalisedBill('Cardiology');
    await finalisedBill('Cardiology');
    const cancelled = await finalisedBill('ENT');
    const cn = await call(adminA, 'post', `/api/v1/invoices/${cancelled.id}/cancel`, {
      reason: 'wrong patient',
    });
    expect(cn.status).toBe(201);

    const rows = await eventually(async () => {
      const r = await revenue(a.id);
      return r.length === 2 && r[1].creditNotes === 1 ? r : undefined;
    }, "A's revenue projected");
    expect(rows).toEqual([
      { department: 'Cardiology', invoices: 2, creditNotes: 0, revenue: 100000 },
      { department: 'ENT', invoices: 1, creditNotes: 1, revenue: 0 },
    ]);

    // The cancellation delivered again (same event id): not subtracted twice.
    const again = await reader.find(
      // The event type travels in the message's headers (the outbox router's), not in its payload.
      (x) => x.headers.eventType === 'billing.invoice_cancelled' && x.headers.tenantId === a.id,
      'the cancellation event',
    );
    await produce(again.topic, [{ key: again.key, value: again.value, headers: again.headers }]);
    await eventually(async () => {
      const group = worker!.consumers.analytics.spec.groupId;
      const lag = (await worker!.consumers.lag.lag()).filter((r) => r.group === group);
      return lag.length > 0 && lag.every((r) => r.lag === 0);
    }, 'analytics consumer drained after the redelivery');
    expect(await revenue(a.id)).toEqual(rows);
    expect(await revenue(b.id)).toEqual([]);
  });
});
