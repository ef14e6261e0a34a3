/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it).
 * Billing over HTTP with real tokens: the price list (tenant_admin, If-Match), the visit's
 * bill (consultation by rule, follow-up price, discounts within role limits, finalisation
 * numbers), payments (split, change, advance, idempotent under concurrency, never more than
 * due), refunds (admin, never more than paid), cancellation with a credit note, shifts,
 * the day report against the ledger, gapless numbers under concurrent finalisation, RBAC,
 * isolation from another clinic, and outbox rows checked against contracts/events.
 */
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { computeLine } from '../../libs/billing/src/money';
import { fiscalYearOf } from '../../libs/billing/src/fiscal';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { expectOutboxMatchesContracts } from '../support/event-contracts';
import { asTenant, newTenant } from '../support/fixtures';

jest.setTimeout(120_000);

const PROBLEM = /application\/problem\+json/;
const FY = fiscalYearOf(new Date(), 'Asia/Kolkata');

describe('billing (HTTP)', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let a: { id: string };
  let b: { id: string };
  let adminA: LoggedIn;
  let recA: LoggedIn;
  let docA: LoggedIn;
  let recB: LoggedIn;
  let patientA: string;

  const server = () => app.getHttpServer();
  const as = (user: LoggedIn, tenantId = a.id) => authHeaders(user.token, tenantId);
  const post = (user: LoggedIn, path: string, body: unknown = {}, tenantId = a.id) =>
    request(server())
      .post(path)
      .set(as(user, tenantId))
      .send(body as object);
  const get = (user: LoggedIn, path: string, tenantId = a.id) =>
    request(server()).get(path).set(as(user, tenantId));

  const newPatient = async () => {
    const res = await post(recA, '/api/v1/patients', {
      name: { given: ['Bill'], family: `Patient${randomUUID().slice(0, 6).replace(/\d/g, 'x')}` },
      gender: 'female',
      birthDate: '1980-01-02',
      allowDuplicate: true,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const newVisit = async (patientId = patientA, department = 'General Medicine') => {
    const res = await post(recA, `/api/v1/patients/${patientId}/visits`, {
      attendingDoctorId: docA.userId,
      department,
      scheduledAt: new Date().toISOString(),
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const openBill = async (visitId: string, user = recA) => {
    const res = await post(user, `/api/v1/visits/${visitId}/bill`);
    expect([200, 201]).toContain(res.status);
    return res.body;
  };
  const addLine = (id: string, version: number, body: Record<string, unknown>, user = recA) =>
    request(server())
      .post(`/api/v1/invoices/${id}/lines`)
      .set(as(user))
      .set('If-Match', `"${version}"`)
      .send(body);
  const finalise = (id: string, user = recA) => post(user, `/api/v1/invoices/${id}/finalise`);
  const pay = (id: string, body: unknown, user = recA, key?: string) => {
    const req = request(server()).post(`/api/v1/invoices/${id}/payments`).set(as(user));
    return (key ? req.set('Idempotency-Key', key) : req).send(body as object);
  };
  /** A finalised bill for a new visit: consultation plus a dressing. */
  const finalisedBill = async () => {
    const draft = await openBill(await newVisit(await newPatient()));
    const added = await addLine(draft.id, draft.version, { code: 'DRESSING' });
    expect(added.status).toBe(201);
    const res = await finalise(draft.id);
    expect(res.status).toBe(200);
    return res.body;
  };
  const ledger = (invoiceId: string) =>
    asTenant(owner, a.id, (tx) =>
      tx.query(
        `SELECT entry, amount_paise::int AS amount, mode FROM billing.ledger WHERE invoice_id = $1 ORDER BY created_at`,
        [invoiceId],
      ),
    ) as Promise<{ entry: string; amount: number; mode: string | null }[]>;

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    a = await newTenant(owner, 'bill-a');
    b = await newTenant(owner, 'bill-b');
    app = await createTestApp({ databasePoolMax: 12 });
    [adminA, recA, docA, recB] = await Promise.all([
      loginAs(app, owner, a.id, ['tenant_admin']),
      loginAs(app, owner, a.id, ['receptionist']),
      loginAs(app, owner, a.id, ['doctor']),
      loginAs(app, owner, b.id, ['receptionist']),
    ]);
    patientA = await newPatient();
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  describe('price list', () => {
    it('tenant_admin adds items; other roles may read but not change; bad input is 400 with the field', async () => {
      const items = [
        {
          code: 'CONS-GM',
          name: 'Consultation, General Medicine',
          kind: 'consultation',
          department: 'General Medicine',
          pricePaise: 50000,
          gstExempt: true,
          followUpDays: 7,
          followUpPricePaise: 0,
          effectiveFrom: '2020-04-01',
        },
        {
          code: 'CONS',
          name: 'Consultation',
          kind: 'consultation',
          pricePaise: 40000,
          gstExempt: true,
          effectiveFrom: '2020-04-01',
        },
        {
          code: 'DRESSING',
          name: 'Wound dressing',
          kind: 'procedure',
          pricePaise: 20000,
          gstExempt: true,
          effectiveFrom: '2020-04-01',
        },
        {
          code: 'CERT',
          name: 'Fitness certificate',
          kind: 'other',
          pricePaise: 33333,
          gstExempt: false,
          gstRateBp: 1800,
          hsnSac: '999312',
          effectiveFrom: '2020-04-01',
        },
      ];
      for (const item of items) {
        const res = await post(adminA, '/api/v1/billing/price-items', item);
        expect(res.status).toBe(201);
        expect(res.headers.etag).toBe('"1"');
        expect(res.body).toMatchObject({ code: item.code, pricePaise: item.pricePaise, version: 1 });
      }
      const forbidden = await post(recA, '/api/v1/billing/price-items', { ...items[2], code: 'X1' });
      expect(forbidden.status).toBe(403);
      const bad = await post(adminA, '/api/v1/billing/price-items', {
        ...items[3],
        code: 'X2',
        hsnSac: undefined,
        pricePaise: 12.5,
      });
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(PROBLEM);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['hsnSac', 'pricePaise']);
      const overlap = await post(adminA, '/api/v1/billing/price-items', {
        ...items[2],
        effectiveFrom: '2024-01-01',
      });
      expect(overlap.status).toBe(409);
      const list = await get(docA, '/api/v1/billing/price-items');
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { code: string }) => i.code)).toEqual([
        'CERT',
        'CONS',
        'CONS-GM',
        'DRESSING',
      ]);
    });

    it('changes are versioned with If-Match (428 without, 412 stale) and audited', async () => {
      const created = await post(adminA, '/api/v1/billing/price-items', {
        code: 'XRAY',
        name: 'X-ray',
        kind: 'investigation',
        pricePaise: 30000,
        gstExempt: true,
        effectiveFrom: '2020-04-01',
      });
      const path = `/api/v1/billing/price-items/${created.body.id}`;
      expect((await request(server()).patch(path).set(as(adminA)).send({ pricePaise: 35000 })).status).toBe(
        428,
      );
      const ok = await request(server())
        .patch(path)
        .set(as(adminA))
        .set('If-Match', '"1"')
        .send({ pricePaise: 35000 });
      expect(ok.status).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      expect(ok.body.pricePaise).toBe(35000);
      const stale = await request(server())
        .patch(path)
        .set(as(adminA))
        .set('If-Match', '"1"')
        .send({ pricePaise: 1 });
      expect(stale.status).toBe(412);
      expect(
        (await request(server()).patch(path).set(as(recA)).set('If-Match', '"2"').send({ pricePaise: 1 }))
          .status,
      ).toBe(403);
      const audit = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT action FROM audit.audit_log WHERE entity_id = $1 ORDER BY seq`, [created.body.id]),
      );
      expect(audit.map((r: { action: string }) => r.action).sort()).toEqual(
        [
          'INSERT',
          'UPDATE',
          'billing.price_item_changed',
          'billing.price_item_changed',
          'create',
          'update',
        ].sort(),
      );
    });
  });

  describe("the visit's bill", () => {
    let invoice: { id: string; version: number; number: string };

    it('opens with the consultation charge of the department (201), and the same draft afterwards (200)', async () => {
      const visitId = await newVisit();
      const first = await post(recA, `/api/v1/visits/${visitId}/bill`);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        status: 'draft',
        number: null,
        visitId,
        totalPaise: 50000,
        balancePaise: 50000,
      });
      expect(first.body.lines).toEqual([
        expect.objectContaining({ code: 'CONS-GM', quantity: 1, unitPricePaise: 50000, followUp: false }),
      ]);
      const again = await post(recA, `/api/v1/visits/${visitId}/bill`);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      expect((await post(docA, `/api/v1/visits/${visitId}/bill`)).status).toBe(403);
      invoice = first.body;
    });

    it('adds items with discounts (reason required, receptionist limit 10 %, admin more), totals exact per line', async () => {
      const noReason = await addLine(invoice.id, invoice.version, { code: 'DRESSING', discountBp: 500 });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors[0].field).toBe('discountReason');
      const tooMuch = await addLine(invoice.id, invoice.version, {
        code: 'DRESSING',
        discountBp: 2000,
        discountReason: 'staff',
      });
      expect(tooMuch.status).toBe(403);
      const unknown = await addLine(invoice.id, invoice.version, { code: 'NOPE' });
      expect(unknown.status).toBe(400);
      const dressing = await addLine(invoice.id, invoice.version, {
        code: 'DRESSING',
        discountBp: 1000,
        discountReason: 'senior citizen',
      });
      expect(dressing.status).toBe(201);
      const cert = await addLine(
        dressing.body.id,
        dressing.body.version,
        { code: 'CERT', quantity: 3, discountBp: 2500, discountReason: 'camp' },
        adminA,
      );
      expect(cert.status).toBe(201);
      const certLine = computeLine({ unitPricePaise: 33333, quantity: 3, discountBp: 2500, gstRateBp: 1800 });
      const dressingLine = computeLine({
        unitPricePaise: 20000,
        quantity: 1,
        discountBp: 1000,
        gstRateBp: null,
      });
      const { taxablePaise, ...certAmounts } = certLine;
      expect(cert.body.lines[2]).toMatchObject({
        code: 'CERT',
        hsnSac: '999312',
        gstRateBp: 1800,
        ...certAmounts,
      });
      expect(certAmounts.grossPaise - certAmounts.discountPaise).toBe(taxablePaise);
      expect(cert.body.totalPaise).toBe(50000 + dressingLine.totalPaise + certLine.totalPaise);
      expect(cert.body.taxPaise).toBe(certLine.cgstPaise + certLine.sgstPaise);
      expect(cert.body.subtotalPaise - cert.body.discountPaise + cert.body.taxPaise).toBe(
        cert.body.totalPaise,
      );
      const stale = await addLine(invoice.id, invoice.version, { code: 'DRESSING' });
      expect(stale.status).toBe(412);
      // Remove the certificate again.
      const removed = await request(server())
        .delete(`/api/v1/invoices/${invoice.id}/lines/${cert.body.lines[2].id}`)
        .set(as(recA))
        .set('If-Match', `"${cert.body.version}"`);
      expect(removed.status).toBe(200);
      expect(removed.body.lines.map((l: { code: string }) => l.code)).toEqual(['CONS-GM', 'DRESSING']);
      expect(removed.body.totalPaise).toBe(50000 + dressingLine.totalPaise);
      invoice = removed.body;
    });

    it('finalises with the next number of the financial year; afterwards nothing changes (409 invoice-finalised)', async () => {
      const res = await finalise(invoice.id);
      expect(res.status).toBe(200);
      expect(res.body.number).toMatch(new RegExp(`^INV-${FY}-\\d{5}$`));
      expect(res.body).toMatchObject({
        status: 'finalised',
        fiscalYear: FY,
        balancePaise: res.body.totalPaise,
      });
      const again = await finalise(invoice.id);
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('urn:hims:problem:invoice-finalised');
      const edit = await addLine(invoice.id, res.body.version, { code: 'DRESSING' });
      expect(edit.body.type).toBe('urn:hims:problem:invoice-finalised');
      // Not even the owner may rewrite it in the database.
      await expect(
        asTenant(owner, a.id, (tx) =>
          tx.query(`UPDATE billing.invoices SET total_paise = 1, subtotal_paise = 1 WHERE id = $1`, [
            invoice.id,
          ]),
        ),
      ).rejects.toThrow(/finalised/);
      invoice = res.body;
    });

    it('a follow-up within the item’s days is charged its follow-up price', async () => {
      const visitId = await newVisit();
      const draft = await openBill(visitId);
      expect(draft.lines).toEqual([
        expect.objectContaining({ code: 'CONS-GM', unitPricePaise: 0, followUp: true }),
      ]);
      expect(draft.totalPaise).toBe(0);
      // Another department has no item of its own: the clinic-wide consultation applies.
      const other = await openBill(await newVisit(patientA, 'ENT'));
      expect(other.lines).toEqual([expect.objectContaining({ code: 'CONS', unitPricePaise: 40000 })]);
    });
  });

  describe('payments, refunds, credit notes', () => {
    it('cash needs an open shift; a split payment (cash with change + UPI) leaves the rest due', async () => {
      const inv = await finalisedBill();
      const noShift = await pay(inv.id, { tenders: [{ mode: 'cash', amountPaise: 1000 }] });
      expect(noShift.status).toBe(409);
      expect((await post(recA, '/api/v1/billing/shifts', { openingFloatPaise: 200000 })).status).toBe(201);
      expect((await post(recA, '/api/v1/billing/shifts', { openingFloatPaise: 1 })).status).toBe(409);
      const upiNoRef = await pay(inv.id, { tenders: [{ mode: 'upi', amountPaise: 1000 }] });
      expect(upiNoRef.status).toBe(400);
      expect(upiNoRef.body.errors[0].field).toMatch(/reference/);
      const res = await pay(inv.id, {
        tenders: [
          { mode: 'cash', amountPaise: 30000, tenderedPaise: 50000 },
          { mode: 'upi', amountPaise: 20000, reference: 'UPI-4711-0042' },
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body.changeDuePaise).toBe(20000);
      expect(res.body.invoice).toMatchObject({ paidPaise: 50000, balancePaise: inv.totalPaise - 50000 });
      expect(res.body.payments.map((p: { mode: string }) => p.mode)).toEqual(['cash', 'upi']);
      const over = await pay(inv.id, {
        tenders: [{ mode: 'card', amountPaise: inv.totalPaise, reference: 'APPR1234' }],
      });
      expect(over.status).toBe(409);
      expect(await ledger(inv.id)).toEqual([
        { entry: 'payment', amount: 30000, mode: 'cash' },
        { entry: 'payment', amount: 20000, mode: 'upi' },
      ]);
      const draft = await openBill(await newVisit(await newPatient()));
      expect(
        (await pay(draft.id, { tenders: [{ mode: 'upi', amountPaise: 100, reference: 'UPI-0001' }] })).status,
      ).toBe(409);
    });

    it('a double-clicked Pay (same Idempotency-Key, concurrent) takes the money once', async () => {
      const inv = await finalisedBill();
      const key = `pay-${randomUUID()}`;
      const body = { tenders: [{ mode: 'upi', amountPaise: inv.totalPaise, reference: 'UPI-DOUBLE-1' }] };
      const answers = await Promise.all([
        pay(inv.id, body, recA, key),
        pay(inv.id, body, recA, key),
        pay(inv.id, body, recA, key),
      ]);
      expect(answers.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
      for (const r of answers) expect([201, 409]).toContain(r.status);
      expect(await ledger(inv.id)).toEqual([{ entry: 'payment', amount: inv.totalPaise, mode: 'upi' }]);
      const replay = await pay(inv.id, body, recA, key);
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await ledger(inv.id)).toHaveLength(1);
    });

    it('concurrent payments without a key never take more than is due', async () => {
      const inv = await finalisedBill();
      const body = { tenders: [{ mode: 'card', amountPaise: inv.totalPaise, reference: 'CARD-RACE-1' }] };
      const answers = await Promise.all([0, 1, 2, 3].map(() => pay(inv.id, body)));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await ledger(inv.id)).toEqual([{ entry: 'payment', amount: inv.totalPaise, mode: 'card' }]);
    });

    it('refunds: tenant_admin only, with a reason, never more than is left of the payment', async () => {
      const inv = await finalisedBill();
      const paid = await pay(inv.id, {
        tenders: [{ mode: 'upi', amountPaise: 40000, reference: 'UPI-REF-77' }],
      });
      const paymentId = paid.body.payments[0].id;
      expect(
        (await post(recA, `/api/v1/payments/${paymentId}/refunds`, { amountPaise: 100, reason: 'x' })).status,
      ).toBe(403);
      const tooMuch = await post(adminA, `/api/v1/payments/${paymentId}/refunds`, {
        amountPaise: 40001,
        reason: 'over',
      });
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body.refundablePaise).toBe(40000);
      const part = await post(adminA, `/api/v1/payments/${paymentId}/refunds`, {
        amountPaise: 15000,
        reason: 'dressing not done',
      });
      expect(part.status).toBe(201);
      expect(part.body).toMatchObject({ amountPaise: 15000, mode: 'upi', refundedByRole: 'tenant_admin' });
      const rest = await post(adminA, `/api/v1/payments/${paymentId}/refunds`, {
        amountPaise: 25001,
        reason: 'over',
      });
      expect(rest.status).toBe(409);
      const after = await get(recA, `/api/v1/invoices/${inv.id}`);
      expect(after.body).toMatchObject({ paidPaise: 25000, balancePaise: inv.totalPaise - 25000 });
      expect(after.body.payments[0]).toMatchObject({ amountPaise: 40000, refundedPaise: 15000 });
    });

    it('cancellation (admin): the rest is refunded, a CN credit note nets the invoice to zero', async () => {
      const inv = await finalisedBill();
      await pay(inv.id, { tenders: [{ mode: 'upi', amountPaise: 10000, reference: 'UPI-CN-001' }] });
      expect(
        (await post(recA, `/api/v1/invoices/${inv.id}/cancel`, { reason: 'wrong patient' })).status,
      ).toBe(403);
      const res = await post(adminA, `/api/v1/invoices/${inv.id}/cancel`, { reason: 'billed twice' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        kind: 'credit_note',
        status: 'finalised',
        creditNoteFor: inv.id,
        totalPaise: -inv.totalPaise,
      });
      expect(res.body.number).toMatch(new RegExp(`^CN-${FY}-\\d{5}$`));
      expect(res.body.lines.map((l: { quantity: number }) => l.quantity)).toEqual(
        inv.lines.map((l: { quantity: number }) => -l.quantity),
      );
      const original = await get(recA, `/api/v1/invoices/${inv.id}`);
      expect(original.body).toMatchObject({
        status: 'cancelled',
        paidPaise: 0,
        balancePaise: 0,
        creditNoteId: res.body.id,
        cancelReason: 'billed twice',
      });
      expect((await ledger(inv.id)).map((l) => l.amount)).toEqual([10000, -10000]);
      expect((await post(adminA, `/api/v1/invoices/${inv.id}/cancel`, { reason: 'again' })).status).toBe(409);
    });

    it('a deposit (advance) is applied to a later invoice, never beyond what is left', async () => {
      const patientId = await newPatient();
      const dep = await post(recA, `/api/v1/patients/${patientId}/advances`, {
        tenders: [{ mode: 'upi', amountPaise: 30000, reference: 'UPI-ADV-01' }],
      });
      expect(dep.status).toBe(201);
      expect(dep.body.balancePaise).toBe(30000);
      const draft = await openBill(await newVisit(patientId));
      const inv = (await finalise(draft.id)).body;
      const tooMuch = await pay(inv.id, { tenders: [], advancePaise: 30001 });
      expect(tooMuch.status).toBe(409);
      const used = await pay(inv.id, {
        tenders: [{ mode: 'card', amountPaise: inv.totalPaise - 30000, reference: 'CARD-ADV-1' }],
        advancePaise: 30000,
      });
      expect(used.status).toBe(201);
      expect(used.body.invoice).toMatchObject({ paidPaise: inv.totalPaise, balancePaise: 0 });
      expect((await get(recA, `/api/v1/patients/${patientId}/advances`)).body.balancePaise).toBe(0);
    });
  });

  describe('numbers, day end, isolation', () => {
    it('invoice numbers stay consecutive and gapless under concurrent finalisation (a failed one uses none)', async () => {
      const drafts = await Promise.all(
        Array.from({ length: 8 }, async () => openBill(await newVisit(await newPatient()))),
      );
      const empty = await openBill(await newVisit(await newPatient(), 'Dermatology-none'));
      await request(server())
        .delete(`/api/v1/invoices/${empty.id}/lines/${empty.lines[0].id}`)
        .set(as(recA))
        .set('If-Match', `"${empty.version}"`);
      const answers = await Promise.all([...drafts.map((d) => finalise(d.id)), finalise(empty.id)]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 409]);
      const all = await asTenant(owner, a.id, (tx) =>
        tx.query(`SELECT seq FROM billing.invoices WHERE series = 'INV' AND fiscal_year = $1 ORDER BY seq`, [
          FY,
        ]),
      );
      const seqs = all.map((r: { seq: number }) => r.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    });

    it('closes the shift with the counted cash and the day report matches the ledger (JSON and CSV)', async () => {
      const current = await get(recA, '/api/v1/billing/shifts/current');
      const shift = current.body.shift;
      expect(shift.cashMovementPaise).toBe(30000);
      const closed = await post(recA, `/api/v1/billing/shifts/${shift.id}/close`, {
        countedCashPaise: 229900,
        note: 'one coin short',
      });
      expect(closed.status).toBe(201);
      expect(closed.body).toMatchObject({
        expectedCashPaise: 230000,
        countedCashPaise: 229900,
        differencePaise: -100,
      });
      const report = await get(adminA, '/api/v1/billing/reports/day');
      expect(report.status).toBe(200);
      const [{ net, collected }] = await asTenant(owner, a.id, (tx) =>
        tx.query(
          `SELECT sum(amount_paise)::int AS net, sum(greatest(amount_paise, 0))::int AS collected FROM billing.ledger WHERE mode IS NOT NULL`,
        ),
      );
      expect(report.body.totals).toEqual({
        netPaise: net,
        collectedPaise: collected,
        refundedPaise: collected - net,
      });
      expect(report.body.byMode.map((m: { mode: string }) => m.mode)).toEqual(['card', 'cash', 'upi']);
      expect(report.body.shifts.find((s: { id: string }) => s.id === shift.id)).toMatchObject({
        differencePaise: -100,
      });
      const csv = await get(adminA, '/api/v1/billing/reports/day.csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const rows = csv.text.trim().split('\r\n');
      expect(rows[0]).toBe('day,user,mode,count,collected,refunded,net');
      expect(rows[rows.length - 1]).toBe(
        `${report.body.day},ALL,ALL,,${(collected / 100).toFixed(2)},${((collected - net) / 100).toFixed(2)},${(net / 100).toFixed(2)}`,
      );
    });

    it('another clinic sees and changes nothing (404 for every id, empty lists)', async () => {
      const inv = await finalisedBill();
      const paid = await pay(inv.id, {
        tenders: [{ mode: 'upi', amountPaise: 100, reference: 'UPI-ISO-1' }],
      });
      expect((await get(recB, `/api/v1/invoices/${inv.id}`, b.id)).status).toBe(404);
      expect((await get(recB, `/api/v1/invoices/${inv.id}/fhir`, b.id)).status).toBe(404);
      expect(
        (
          await post(
            recB,
            `/api/v1/invoices/${inv.id}/payments`,
            { tenders: [{ mode: 'upi', amountPaise: 1, reference: 'UPI-ISO-2' }] },
            b.id,
          )
        ).status,
      ).toBe(404);
      expect((await post(recB, `/api/v1/invoices/${inv.id}/finalise`, {}, b.id)).status).toBe(404);
      expect((await post(recB, `/api/v1/visits/${inv.visitId}/bill`, {}, b.id)).status).toBe(404);
      expect((await get(recB, `/api/v1/visits/${inv.visitId}/invoices`, b.id)).status).toBe(404);
      expect((await get(recB, `/api/v1/patients/${inv.patientId}/advances`, b.id)).status).toBe(404);
      const list = await get(recB, '/api/v1/billing/price-items', b.id);
      expect(list.body.items).toEqual([]);
      const report = await get(recB, '/api/v1/billing/reports/day', b.id);
      expect(report.body.totals).toEqual({ collectedPaise: 0, refundedPaise: 0, netPaise: 0 });
      expect(paid.status).toBe(201);
      const bRows = await asTenant(owner, b.id, (tx) =>
        tx.query(`SELECT count(*)::int AS n FROM events.outbox WHERE aggregate_type = 'billing'`),
      );
      expect(bRows[0].n).toBe(0);
    });

    it('every billing event matches contracts/events and names no patient', async () => {
      const rows = await expectOutboxMatchesContracts(owner, a.id, 'billing');
      expect(new Set(rows.map((r) => r.event_type))).toEqual(
        new Set([
          'billing.price_item_changed',
          'billing.invoice_opened',
          'billing.invoice_changed',
          'billing.invoice_finalised',
          'billing.invoice_cancelled',
          'billing.payment_captured',
          'billing.payment_refunded',
          'billing.deposit_taken',
          'billing.shift_opened',
          'billing.shift_closed',
        ]),
      );
      expect(JSON.stringify(rows)).not.toMatch(/Patient[a-z]{3}|UPI-/);
    });
  });
});
