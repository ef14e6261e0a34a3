/**
 * Needs: the project's PostgreSQL 15, the built API (dist/, `npm run build`) started as a
 * child process, Debian's chromium (scripts/ensure-chromium.sh) and poppler-utils.
 * The counter in the staff console: the desk opens a shift, opens the visit's bill, adds an
 * item with a discount, finalises, takes a split payment (cash with change + UPI) and saves
 * the receipt PDF (read back); the administrator refunds part, cancels with a credit note,
 * keeps the price list, reads the day's report and chart, and closes a shift. axe-core on
 * every screen; screenshots at 1280×800 and 390×844.
 */
import { secondStepInBrowser } from '../support/browser-mfa';
import { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { startApiProcess } from '../support/api-process';
import { createUser, TestUser } from '../support/auth';
import { axe, buildConsole, launchChromium } from '../support/browser';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';
import { pdfText, squash } from '../support/pdf-text';
import { completeSignIn, fetchPost } from '../support/mfa';

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const LONG = 240_000;
jest.setTimeout(LONG);

describe('billing screens in Chromium', () => {
  let owner: DataSource;
  let api: { child: ChildProcess; port: number };
  let browser: Browser;
  let base: string;
  let clinic: { id: string; slug: string };
  let admin: TestUser;
  let desk: TestUser;
  let doctorId: string;
  let visitId: string;

  /** An API call as `user` (setup only; the screens do the work under test). */
  const tokens = new Map<string, string>();
  async function call(user: TestUser, method: string, path: string, body?: unknown) {
    // Both sign-in steps (an administrator needs the authenticator), once per user.
    let accessToken = tokens.get(user.email);
    if (!accessToken) {
      const post = fetchPost(api.port, clinic.id);
      const first = await post('/api/v1/auth/login', { email: user.email, password: user.password });
      const signedIn = await completeSignIn(post, '/api/v1/auth', user.email, first);
      accessToken = signedIn.body.accessToken as string;
      tokens.set(user.email, accessToken);
    }
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'X-Tenant-ID': clinic.id,
        Authorization: `Bearer ${accessToken}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect({ path, status: res.status < 300 }).toEqual({ path, status: true });
    return res.json() as Promise<Record<string, unknown>>;
  }

  beforeAll(async () => {
    buildConsole();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinic = await newTenant(owner, 'bill-console');
    admin = await createUser(owner, clinic.id, { roles: ['tenant_admin'], displayName: 'Asha Admin' });
    desk = await createUser(owner, clinic.id, { roles: ['receptionist'], displayName: 'Dev Desk' });
    doctorId = (await createUser(owner, clinic.id, { roles: ['doctor'], displayName: 'Dr Meera Rao' })).id;
    api = await startApiProcess({ LOG_LEVEL: 'warn' });
    base = `http://127.0.0.1:${api.port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });

    await call(admin, 'PUT', '/api/v1/billing/settings', {
      legalName: 'Shanti Clinic',
      address: '12 MG Road, Pune',
      gstin: '27ABCDE1234F1Z5',
    });
    for (const item of [
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
        code: 'DRESSING',
        name: 'Wound dressing',
        kind: 'procedure',
        pricePaise: 20000,
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
      await call(admin, 'POST', '/api/v1/billing/price-items', item);
    }
    const patient = await call(desk, 'POST', '/api/v1/patients', {
      name: { given: ['Asha'], family: 'Verma' },
      gender: 'female',
      birthDate: '1985-03-04',
      allowDuplicate: true,
    });
    const visit = await call(desk, 'POST', `/api/v1/patients/${patient.id}/visits`, {
      attendingDoctorId: doctorId,
      department: 'General Medicine',
      scheduledAt: new Date().toISOString(),
    });
    visitId = visit.id as string;
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGTERM');
    await owner?.destroy();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, acceptDownloads: true });
    return { context, page: await context.newPage() };
  }

  async function screen(page: Page, name: string): Promise<void> {
    const violations = await axe(page);
    expect({
      name,
      violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    }).toEqual({ name, violations: [] });
    for (const [width, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  async function signIn(page: Page, user: TestUser): Promise<void> {
    await page.goto(`${base}/`);
    await page.locator('#clinic').fill(clinic.slug);
    await page.locator('#email').fill(user.email);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // tenant_admin: the second step (enrolment on the first sign-in; docs/auth.md).
    await page.locator('#q, #mfa-code, #mfa-recovery').first().waitFor();
    if (await page.locator('#mfa-title').count()) await secondStepInBrowser(page, user);
    await page.locator('#q').waitFor();
  }

  it('the desk: shift, bill, discount, finalise, split payment with change, receipt PDF', async () => {
    const { context, page } = await newPage();
    await signIn(page, desk);
    await page.getByRole('link', { name: 'Counter' }).click();
    await page.locator('#shift-amount').fill('2000');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await page.getByText('Expected cash in drawer').waitFor();

    // The encounter loop ends at the bill: the visit screen links to it.
    await page.goto(`${base}/visits/${visitId}`);
    await page.getByRole('link', { name: 'Bill for this visit' }).click();
    await page.getByRole('cell', { name: 'Consultation, General Medicine', exact: true }).waitFor();
    expect(page.url()).toBe(`${base}/visits/${visitId}/bill`);
    await page.getByLabel('Price list item').selectOption('DRESSING');
    await page.getByLabel('Discount %').fill('10');
    await page.getByLabel('Discount reason').fill('senior citizen');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.getByText('senior citizen').waitFor();
    await screen(page, 'bill-draft');

    await page.getByRole('button', { name: 'Finalise bill' }).click();
    await page.getByRole('status').filter({ hasText: 'Finalised: INV-' }).waitFor();
    // ₹680.00 due: ₹500 in cash from a ₹1,000 note, ₹180 by UPI.
    await page.locator('#pay-cash').fill('500');
    await page.locator('#pay-tendered').fill('1000');
    await page.locator('#pay-upi').fill('180');
    await page.locator('#pay-upi-ref').fill('UPI-556677');
    await screen(page, 'bill-payment');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Change to give back: ₹500.00' }).waitFor();
    await page.getByRole('table', { name: 'Payments' }).getByRole('cell', { name: 'UPI-556677' }).waitFor();
    await screen(page, 'bill-paid');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'PDF' }).click();
    const pdf = readFileSync(await (await download).path());
    const text = squash(pdfText(pdf));
    for (const expected of [
      'Shanti Clinic',
      'GSTIN 27ABCDE1234F1Z5',
      'Wound dressing',
      'Rupees Six Hundred Eighty Only',
      'UPI-556677',
    ]) {
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    }
    await context.close();
  });

  it('the administrator: refund part, credit note, price list, day report with chart, shift close; Hindi', async () => {
    const { context, page } = await newPage();
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Counter' }).click();
    await page.locator('#shift-amount').fill('0');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await page.getByText('Expected cash in drawer').waitFor();

    await page.goto(`${base}/visits/${visitId}/bill`);
    const refundForm = page.getByRole('form', { name: 'Refund ₹180.00' });
    await refundForm.getByLabel('Refund (₹)').fill('80');
    await refundForm.getByLabel('Reason for the refund').fill('dressing not needed');
    await refundForm.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('status').filter({ hasText: 'Refund recorded: ₹80.00' }).waitFor();
    await screen(page, 'bill-refund');

    await page.getByLabel('Reason for cancelling').fill('billed to the wrong visit');
    await page.getByRole('button', { name: 'Cancel with a credit note' }).click();
    await page.getByRole('status').filter({ hasText: 'Cancelled; credit note CN-' }).waitFor();
    await page.getByRole('heading', { name: /Credit note CN-/ }).waitFor();
    await screen(page, 'bill-credit-note');

    await page.getByRole('link', { name: 'Price list' }).click();
    await page.getByRole('cell', { name: 'CERT', exact: true }).waitFor();
    await page.locator('#pi-code').fill('XRAY');
    await page.locator('#pi-name').fill('X-ray chest');
    await page.locator('#pi-kind').selectOption('investigation');
    await page.locator('#pi-price').fill('350');
    await page.getByRole('button', { name: 'Add to price list' }).click();
    await page.getByRole('cell', { name: 'XRAY', exact: true }).waitFor();
    await screen(page, 'price-list');

    await page.getByRole('link', { name: 'Counter' }).click();
    await page
      .getByRole('img', {
        name: /Collections and refunds by mode. Cash: Collected ₹500.00, Refunded ₹500.00/,
      })
      .waitFor();
    const [{ net }] = await asTenant(owner, clinic.id, (tx) =>
      tx.query(`SELECT sum(amount_paise)::int AS net FROM billing.ledger WHERE mode IS NOT NULL`),
    );
    expect(net).toBe(0);
    await page.locator('#shift-amount').fill('0');
    await page.locator('#shift-note').fill('cash refund paid out');
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByRole('status').filter({ hasText: 'Shift closed; difference ₹500.00' }).waitFor();
    await screen(page, 'counter-day-report');

    await page.getByLabel('Language').first().selectOption('hi');
    await page.getByRole('heading', { name: 'काउंटर' }).waitFor();
    await screen(page, 'counter-hi');
    await context.close();
  });
});
