/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts starts it), the built API
 * (dist/) and Debian's chromium. The ABHA counter screen in a real browser against the API
 * process and the fake ABHA service built from the contract: a new patient through Aadhaar
 * OTP (with a wrong OTP first, shown with the service's code), address choice, registration
 * and the printable card; an existing patient verified by ABHA number from their page; at
 * desktop and phone size, in English and Hindi; axe finds nothing serious.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { verhoeffCheckDigit } from '../../libs/abha/src';
import { createDataSource } from '../../libs/database/src/data-source';
import { startApiProcess } from '../support/api-process';
import { createUser, type TestUser } from '../support/auth';
import { axe, buildConsole, launchChromium, type AxeViolation } from '../support/browser';
import { ownerUrl } from '../support/env';
import { FakeAbhaService } from '../support/fake-abha-service';
import { newTenant } from '../support/fixtures';

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const LONG = 240_000;

describe('ABHA counter screen in Chromium', () => {
  let owner: DataSource;
  let fake: FakeAbhaService;
  let api: { child: ChildProcess; port: number; output: () => string };
  let browser: Browser;
  let base: string;
  let clinic: { id: string; slug: string };
  let desk: TestUser;
  const axeResults: Record<string, AxeViolation[]> = {};
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildConsole();
    fake = await new FakeAbhaService().start();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinic = await newTenant(owner, 'console-abha');
    desk = await createUser(owner, clinic.id, { roles: ['receptionist'], displayName: 'Counter Desk' });
    api = await startApiProcess({
      LOG_LEVEL: 'warn',
      ABHA_SERVICE_URL: fake.url,
      ABHA_SESSION_URL: fake.sessionUrl,
      ABHA_CLIENT_ID: 'hims-test-client',
      ABHA_CLIENT_SECRET: 'hims-test-secret',
    });
    base = `http://127.0.0.1:${api.port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGTERM');
    await owner?.destroy();
    await fake?.stop();
  });

  afterEach(() => {
    expect(fake.violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of (4\d\d)/.test(msg.text())) pageErrors.push(msg.text());
    });
    await page.goto(`${base}/`);
    await page.locator('#clinic').fill(clinic.slug);
    await page.locator('#email').fill(desk.email);
    await page.locator('#password').fill(desk.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#q').waitFor();
    return page;
  }

  async function screen(page: Page, name: string): Promise<void> {
    const violations = await axe(page);
    axeResults[name] = violations;
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: join(SHOTS, `abha-${name}-${size}.png`), fullPage: true });
      if (size === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        expect({ name, overflow }).toEqual({ name, overflow: false });
      }
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  it(
    'creates an ABHA with Aadhaar OTP, shows a wrong OTP in words with the service’s code, registers the patient and prints the card',
    async () => {
      const body = `2${String(Date.now() % 1e10).padStart(10, '0')}`;
      const aadhaar = body + verhoeffCheckDigit(body);
      fake.person({ aadhaar, aadhaarMobile: '9845012345', firstName: 'Lakshmi', lastName: 'Raghavan' });
      const page = await signedIn();
      await page.getByRole('link', { name: 'ABHA' }).click();
      await page.getByRole('heading', { name: 'ABHA at the counter' }).waitFor();
      await screen(page, 'question');

      await page.getByRole('button', { name: 'No, create one with Aadhaar' }).click();
      await page.getByLabel('Aadhaar number (12 digits)').fill(aadhaar);
      const send = page.getByRole('button', { name: 'Send OTP' });
      expect(await send.isDisabled()).toBe(true); // consent first
      await page.getByLabel('The patient agrees').check();
      await screen(page, 'consent');
      await send.click();

      await page.getByLabel('Mobile to put on the ABHA').fill('9845012345');
      await page.getByLabel('OTP the patient received').fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'The OTP is not correct' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('ABDM-1204');
      await screen(page, 'wrong-otp');

      await page.getByLabel('OTP the patient received').fill(fake.nextOtp);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('heading', { name: 'Verified by the ABHA service' }).waitFor();
      expect(await page.locator('dl.facts').textContent()).toContain('Lakshmi Raghavan');
      expect(await page.locator('dl.facts').textContent()).toContain('07/03/1988');
      await page.getByRole('button', { name: 'Choose an ABHA address' }).click();
      await page.getByLabel('Choose an ABHA address').fill('lakshmi.r1988');
      await page.getByRole('button', { name: 'Set address' }).click();
      await page.locator('dd', { hasText: 'lakshmi.r1988@sbx' }).waitFor();
      await screen(page, 'verified');

      await page.getByRole('button', { name: 'Register as a new patient' }).click();
      await page.getByRole('status').filter({ hasText: 'the patient’s ABHA is verified' }).waitFor();
      await page.getByRole('img', { name: 'ABHA card' }).waitFor();
      await screen(page, 'done');
      // The printed page is the card alone.
      await page.emulateMedia({ media: 'print' });
      const visible = await page.evaluate(
        () => getComputedStyle(document.querySelector('header.top')!).visibility,
      );
      expect(visible).toBe('hidden');
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('link', { name: 'Open the patient' }).click();
      await page.waitForURL(/\/patients\//);
      const patientId = page.url().split('/patients/')[1];
      const [row] = await owner.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant', $1, true)`, [clinic.id]);
        return tx.query(`SELECT abha_address FROM clinical.abha_verifications WHERE patient_id = $1`, [
          patientId,
        ]);
      });
      expect(row).toEqual({ abha_address: 'lakshmi.r1988@sbx' });
      await page.context().close();
    },
    LONG,
  );

  it(
    'verifies an existing ABHA by number from a patient’s page and updates that patient, in Hindi',
    async () => {
      const p = fake.person({
        aadhaar: '0',
        aadhaarMobile: '9000000001',
        firstName: 'Farida',
        lastName: 'Khan',
        abhaNumber: '91-7000-1000-2000',
        mobile: '9000000001',
      });
      const page = await signedIn();
      // A patient registered by hand earlier, through the API as the same desk.
      const login = await request(base)
        .post('/api/v1/auth/login')
        .set('X-Tenant-ID', clinic.id)
        .send({ email: desk.email, password: desk.password });
      const made = await request(base)
        .post('/api/v1/patients')
        .set({ Authorization: `Bearer ${login.body.accessToken}`, 'X-Tenant-ID': clinic.id })
        .send({ name: { given: ['Farida'] }, gender: 'female', birthDate: '1988', allowDuplicate: true });
      expect(made.status).toBe(201);

      await page.getByLabel('Language').selectOption('hi');
      await page.goto(`${base}/abha?patient=${made.body.id}`);
      await page.getByRole('heading', { name: 'काउंटर पर ABHA' }).waitFor();
      await page.getByRole('button', { name: 'हाँ, सत्यापित करें' }).click();
      await page.locator('#abha-value').fill(p.abhaNumber!);
      await page.getByRole('button', { name: 'OTP भेजें' }).click();
      await page.locator('#abha-otp').fill(fake.nextOtp);
      await page.getByRole('button', { name: 'सत्यापित करें' }).click();
      await page.getByRole('heading', { name: 'ABHA सेवा द्वारा सत्यापित' }).waitFor();
      await screen(page, 'verified-hindi');
      await page.getByRole('button', { name: 'सत्यापित विवरण से इस मरीज़ को अपडेट करें' }).click();
      await page.getByRole('status').waitFor();
      const after = await request(base)
        .get(`/api/v1/patients/${made.body.id}`)
        .set({ Authorization: `Bearer ${login.body.accessToken}`, 'X-Tenant-ID': clinic.id });
      expect(after.body).toMatchObject({
        name: { given: ['Farida'], family: 'Khan' },
        birthDate: '1988-03-07',
        abhaNumber: '91700010002000',
      });
      await page.context().close();
    },
    LONG,
  );
});
