/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it) and poppler-utils
 * (scripts/ensure-poppler.sh; npm test runs it).
 * The counter's whole loop in one clinic, as issue 29's "Done when" lists it: register →
 * visit → bill → pay (split cash + UPI) → receipt PDF read back (English and Hindi) →
 * refund part → credit note → the day-end report matches the ledger; the finalised invoice
 * as FHIR R4 (validated offline with @medplum) and as printable HTML for A4/A5/80 mm.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Bundle, Invoice } from '@medplum/fhirtypes';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { amountInWords } from '../../libs/billing/src/words';
import { formatAmount } from '../../libs/billing/src/money';
import { createTestApp } from '../support/app';
import { authHeaders, loginAs, LoggedIn } from '../support/auth';
import { ownerUrl } from '../support/env';
import { fhirErrors } from '../support/fhir';
import { asTenant, newTenant } from '../support/fixtures';
import { pdfText, squash } from '../support/pdf-text';

jest.setTimeout(120_000);

describe('billing at the counter, end to end', () => {
  let app: NestExpressApplication;
  let owner: DataSource;
  let clinic: { id: string };
  let admin: LoggedIn;
  let rec: LoggedIn;
  let doc: LoggedIn;
  const server = () => app.getHttpServer();
  const as = (u: LoggedIn) => authHeaders(u.token, clinic.id);
  const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  };

  beforeAll(async () => {
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinic = await newTenant(owner, 'bill-flow');
    app = await createTestApp({ databasePoolMax: 6 });
    [admin, rec, doc] = await Promise.all([
      loginAs(app, owner, clinic.id, ['tenant_admin']),
      loginAs(app, owner, clinic.id, ['receptionist']),
      loginAs(app, owner, clinic.id, ['doctor']),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await owner?.destroy();
  });

  it('register → visit → bill → split pay → receipt PDF → refund part → credit note → day report = ledger', async () => {
    // The clinic's billing profile and price list (tenant_admin).
    const settings = await request(server()).put('/api/v1/billing/settings').set(as(admin)).send({
      legalName: 'Shanti Clinic Pvt Ltd',
      address: '12 MG Road, Pune 411001',
      gstin: '27ABCDE1234F1Z5',
    });
    expect(settings.status).toBe(200);
    for (const item of [
      {
        code: 'CONS',
        name: 'Consultation',
        kind: 'consultation',
        pricePaise: 50000,
        gstExempt: true,
        effectiveFrom: '2020-04-01',
      },
      {
        code: 'CERT',
        name: 'Medical certificate',
        kind: 'other',
        pricePaise: 33333,
        gstExempt: false,
        gstRateBp: 1800,
        hsnSac: '999312',
        effectiveFrom: '2020-04-01',
      },
    ]) {
      expect(
        (await request(server()).post('/api/v1/billing/price-items').set(as(admin)).send(item)).status,
      ).toBe(201);
    }

    const patient = await request(server())
      .post('/api/v1/patients')
      .set(as(rec))
      .send({
        name: { given: ['Asha'], family: 'Verma' },
        gender: 'female',
        birthDate: '1985-03-04',
        allowDuplicate: true,
      });
    expect(patient.status).toBe(201);
    const visit = await request(server())
      .post(`/api/v1/patients/${patient.body.id}/visits`)
      .set(as(rec))
      .send({
        attendingDoctorId: doc.userId,
        department: 'General Medicine',
        scheduledAt: new Date().toISOString(),
      });
    expect(visit.status).toBe(201);

    const draft = await request(server()).post(`/api/v1/visits/${visit.body.id}/bill`).set(as(rec));
    expect(draft.status).toBe(201);
    const withCert = await request(server())
      .post(`/api/v1/invoices/${draft.body.id}/lines`)
      .set(as(rec))
      .set('If-Match', `"${draft.body.version}"`)
      .send({ code: 'CERT' });
    expect(withCert.status).toBe(201);
    const inv = await request(server()).post(`/api/v1/invoices/${draft.body.id}/finalise`).set(as(rec));
    expect(inv.status).toBe(200);
    // 500.00 + 333.33 + 18 % GST on 333.33 (CGST 30.00 + SGST 30.00, each rounded half up per line).
    expect(inv.body).toMatchObject({ subtotalPaise: 83333, taxPaise: 6000, totalPaise: 89333 });

    expect(
      (
        await request(server())
          .post('/api/v1/billing/shifts')
          .set(as(rec))
          .send({ openingFloatPaise: 100000 })
      ).status,
    ).toBe(201);
    const paid = await request(server())
      .post(`/api/v1/invoices/${inv.body.id}/payments`)
      .set(as(rec))
      .set('Idempotency-Key', 'flow-pay-1')
      .send({
        tenders: [
          { mode: 'cash', amountPaise: 50000, tenderedPaise: 50000 },
          { mode: 'upi', amountPaise: 39333, reference: 'UPI-9988776655' },
        ],
      });
    expect(paid.status).toBe(201);
    expect(paid.body.invoice).toMatchObject({ paidPaise: 89333, balancePaise: 0 });

    // The receipt as PDF, read back as text: clinic, GSTIN, number, items, tax, amount in words.
    const pdf = await request(server())
      .get(`/api/v1/invoices/${inv.body.id}/pdf?size=a5`)
      .set(as(rec))
      .buffer(true)
      .parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = squash(pdfText(pdf.body as Buffer));
    for (const expected of [
      'Shanti Clinic Pvt Ltd',
      '12 MG Road, Pune 411001',
      'GSTIN 27ABCDE1234F1Z5',
      inv.body.number,
      'Consultation',
      'Medical certificate',
      '999312',
      'CGST 9%',
      'SGST 9%',
      formatAmount(89333),
      'All amounts in Indian rupees (INR).',
      'Asha Verma',
      'UPI-9988776655',
    ]) {
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    }
    expect(squash(amountInWords(89333, 'en'))).toBe(
      'Rupees Eight Hundred Ninety-Three and Thirty-Three Paise Only',
    );
    expect(text).toContain('Rupees Eight Hundred Ninety-Three and Thirty-Three Paise Only');
    const hindi = await request(server())
      .get(`/api/v1/invoices/${inv.body.id}/pdf?size=a4&lang=hi`)
      .set(as(rec))
      .buffer(true)
      .parse(binary);
    expect(hindi.status).toBe(200);
    const hiText = squash(pdfText(hindi.body as Buffer));
    // To look at the pages: BILLING_PDF_DIR=/tmp/x keeps both PDFs there.
    if (process.env.BILLING_PDF_DIR) {
      writeFileSync(join(process.env.BILLING_PDF_DIR, 'receipt-en-a5.pdf'), pdf.body as Buffer);
      writeFileSync(join(process.env.BILLING_PDF_DIR, 'invoice-hi-a4.pdf'), hindi.body as Buffer);
    }
    // Words without a pre-base matra or reph come out of pdftotext in logical order.
    for (const word of ['रुपये', 'पैसे', 'मात्र', 'कुल', inv.body.number])
      expect({ word, found: hiText.includes(word) }).toEqual({ word, found: true });

    // Printable HTML for the three paper widths; the thermal roll hides the wide columns.
    for (const size of ['a4', 'a5', '80mm']) {
      const html = await request(server())
        .get(`/api/v1/invoices/${inv.body.id}/print?size=${size}`)
        .set(as(rec));
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toMatch(/text\/html/);
      expect(html.text).toContain(inv.body.number);
      expect(html.text).toContain(size === '80mm' ? 'size: 80mm auto' : `size: ${size.toUpperCase()}`);
    }

    // FHIR R4: an Invoice with ChargeItems, valid offline.
    const fhir = await request(server()).get(`/api/v1/invoices/${inv.body.id}/fhir`).set(as(rec));
    expect(fhir.status).toBe(200);
    const bundle = fhir.body as Bundle;
    for (const e of bundle.entry ?? [])
      expect({ type: e.resource?.resourceType, errors: fhirErrors(e.resource!) }).toEqual({
        type: e.resource?.resourceType,
        errors: [],
      });
    expect(fhirErrors(bundle)).toEqual([]);
    const fhirInvoice = bundle.entry![0].resource as Invoice;
    expect(fhirInvoice).toMatchObject({
      status: 'balanced',
      totalGross: { value: 893.33, currency: 'INR' },
      identifier: [{ value: inv.body.number }],
    });
    expect(bundle.entry!.filter((e) => e.resource?.resourceType === 'ChargeItem')).toHaveLength(2);

    // Refund part of the UPI payment, then cancel: the rest comes back and a credit note nets it.
    const upi = paid.body.payments.find((p: { mode: string }) => p.mode === 'upi');
    const part = await request(server())
      .post(`/api/v1/payments/${upi.id}/refunds`)
      .set(as(admin))
      .send({ amountPaise: 9333, reason: 'certificate not needed' });
    expect(part.status).toBe(201);
    expect(
      (await request(server()).post('/api/v1/billing/shifts').set(as(admin)).send({ openingFloatPaise: 0 }))
        .status,
    ).toBe(201);
    const cn = await request(server())
      .post(`/api/v1/invoices/${inv.body.id}/cancel`)
      .set(as(admin))
      .send({ reason: 'patient left before the consultation' });
    expect(cn.status).toBe(201);
    expect(cn.body.totalPaise + inv.body.totalPaise).toBe(0);
    const cnPdf = await request(server())
      .get(`/api/v1/invoices/${cn.body.id}/pdf`)
      .set(as(admin))
      .buffer(true)
      .parse(binary);
    const cnText = squash(pdfText(cnPdf.body as Buffer));
    expect(cnText).toContain(cn.body.number);
    expect(cnText).toContain(inv.body.number);
    expect(cnText).toContain('Minus Rupees Eight Hundred Ninety-Three');

    // The day's report equals the ledger: in 500.00 cash + 393.33 UPI; out 93.33 + 300.00 UPI and 500.00 cash.
    const report = await request(server()).get('/api/v1/billing/reports/day').set(as(admin));
    expect(report.status).toBe(200);
    const ledger = await asTenant(owner, clinic.id, (tx) =>
      tx.query(
        `SELECT mode, sum(amount_paise)::int AS net FROM billing.ledger WHERE mode IS NOT NULL GROUP BY mode ORDER BY mode`,
      ),
    );
    expect(
      report.body.byMode.map((m: { mode: string; netPaise: number }) => ({ mode: m.mode, net: m.netPaise })),
    ).toEqual(ledger);
    expect(report.body.totals).toEqual({ collectedPaise: 89333, refundedPaise: 89333, netPaise: 0 });
    expect(report.body.billed).toEqual({
      invoices: 1,
      invoicedPaise: 89333,
      creditNotes: 1,
      creditedPaise: -89333,
    });
    const byUser = report.body.collections.map((c: { userId: string; mode: string; netPaise: number }) => [
      c.userId === rec.userId ? 'rec' : 'admin',
      c.mode,
      c.netPaise,
    ]);
    expect(byUser.sort()).toEqual(
      [
        ['admin', 'cash', -50000],
        ['admin', 'upi', -39333],
        ['rec', 'cash', 50000],
        ['rec', 'upi', 39333],
      ].sort(),
    );
  });
});
