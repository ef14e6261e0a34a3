/// <reference lib="dom" />
/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts), Debian's chromium
 * (scripts/ensure-chromium.sh), poppler-utils (scripts/ensure-poppler.sh) and a built API.
 * A whole clinic day in a real Chromium against a real API process: an operator onboards a
 * clinic (platform API), its first admin sets a password and invites a doctor, a nurse and a
 * receptionist (console), the receptionist registers a patient, books and checks in, prints
 * the OPD card; the nurse records vitals; the doctor records the consultation and signs, then
 * amends it; the receptionist prints the prescription (PDF text checked); the admin reads the
 * patient's history; another clinic's desk sees none of it. Every screen: axe (0 serious or
 * critical) at desktop 1280×800 and phone 390×844, screenshots, no horizontal scroll on the
 * phone, no console errors. Load and screen-to-screen timings are written, not asserted.
 */
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createUser, type TestUser } from '../support/auth';
import { startApiProcess } from '../support/api-process';
import { axe, buildConsole, launchChromium, type AxeViolation } from '../support/browser';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';
import { pdfPages, pdfText, squash } from '../support/pdf-text';
import { newOperator } from '../support/platform';
import { completeSignIn, fetchPost } from '../support/mfa';
import { secondStepInBrowser } from '../support/browser-mfa';

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const LONG = 300_000;
const PASSWORD = 'amber-kettle-monsoon-42';

describe('a clinic day in the console (Chromium)', () => {
  let owner: DataSource;
  let api: { child: ChildProcess; port: number; output: () => string };
  let browser: Browser;
  let base: string;
  let slug: string;
  let adminToken: string;
  let clinicB: { id: string; slug: string };
  let deskB: TestUser;
  const axeResults: Record<string, AxeViolation[]> = {};
  const consoleErrors: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    buildConsole();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinicB = await newTenant(owner, 'day-other');
    deskB = await createUser(owner, clinicB.id, { roles: ['receptionist'], displayName: 'Other Desk' });
    api = await startApiProcess({ LOG_LEVEL: 'warn' });
    base = `http://127.0.0.1:${api.port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });

    // The operator onboards the clinic through the platform API (the saga runs every step).
    const op = await newOperator(owner);
    // Both steps: every operator signs in with an authenticator (enrolled here at the first sign-in).
    const post = fetchPost(api.port);
    const first = await post('/api/v1/platform/auth/login', { email: op.email, password: op.password });
    const accessToken = (await completeSignIn(post, '/api/v1/platform/auth', op.email, first)).body
      .accessToken as string;
    slug = `day-${randomUUID().slice(0, 8)}`;
    const provisioned = await fetch(`${base}/api/v1/platform/tenants`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${accessToken}`,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        slug,
        name: 'Shanti Clinic',
        settings: { defaultPhoneRegion: 'IN', mrnPrefix: 'SHC', timeZone: 'Asia/Kolkata' },
        firstAdmin: { email: `admin@${slug}.test`, displayName: 'Asha Admin' },
      }),
    });
    expect(provisioned.status).toBe(201);
    const body = (await provisioned.json()) as {
      saga: { status: string };
      firstAdmin: { invitation: { token: string } };
    };
    expect(body.saga.status).toBe('completed');
    adminToken = body.firstAdmin.invitation.token;
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGTERM');
    await owner?.destroy();
    writeFileSync(join(SHOTS, 'axe-results-day.json'), JSON.stringify(axeResults, null, 2));
    writeFileSync(join(SHOTS, 'timings-day.json'), JSON.stringify(timings, null, 2));
    process.stdout.write(
      `clinic-day screenshots, axe results and timings (ms, not asserted): ${SHOTS}\n${JSON.stringify(timings)}\n`,
    );
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, acceptDownloads: true });
    const page = await context.newPage();
    page.on('console', (m) => {
      // Chromium logs every 4xx answer itself; the ones this day provokes on purpose (a field
      // error 400, a conflict 412, another clinic's 404) are shown by the screens instead.
      if (
        m.type() === 'error' &&
        !/Failed to load resource: the server responded with a status of (400|404|412)/.test(m.text())
      ) {
        consoleErrors.push(m.text());
      }
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    return { context, page };
  }

  /** axe at both sizes (no serious or critical), screenshots, and no sideways scroll on a phone. */
  async function screen(page: Page, name: string): Promise<void> {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      const violations = await axe(page);
      axeResults[`${name}-${size}`] = violations;
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      if (size === 'phone') {
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        );
      }
      await page.screenshot({ path: join(SHOTS, `${name}-${size}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  /** Milliseconds from an action to the screen being ready (reported, never asserted). */
  async function timed(
    name: string,
    action: () => Promise<unknown>,
    ready: () => Promise<unknown>,
  ): Promise<void> {
    const start = performance.now();
    await action();
    await ready();
    timings[name] = Math.round(performance.now() - start);
  }

  async function signIn(page: Page, email: string, password = PASSWORD, clinic = slug): Promise<void> {
    await page.goto(`${base}/`);
    await page.locator('#clinic').fill(clinic);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The clinic's administrator signs in with an authenticator (enrolled on the first sign-in).
    await page.locator('#q, #mfa-code, #mfa-recovery').first().waitFor();
    if ((await page.locator('#q').count()) === 0) await secondStepInBrowser(page, { email });
    await page.locator('#q').waitFor();
  }

  async function setPassword(page: Page, token: string): Promise<void> {
    await page.goto(`${base}/set-password`);
    await page.locator('#clinic').fill(slug);
    await page.locator('#token').fill(token);
    await page.locator('#new-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is set' }).waitFor();
  }

  async function downloadPdf(page: Page, button: string): Promise<Buffer> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button, exact: true }).click(),
    ]);
    return readFileSync((await download.path())!);
  }

  it(
    'plays the day from onboarding to the printed prescription; another clinic sees none of it',
    async () => {
      // First load: the sign-in screen of a fresh browser.
      const admin = await newPage();
      await timed(
        'firstLoadSignIn',
        () => admin.page.goto(`${base}/`),
        () => admin.page.locator('#clinic').waitFor(),
      );
      await setPassword(admin.page, adminToken);
      await signIn(admin.page, `admin@${slug}.test`);

      // The admin invites the staff; each one-time token is shown once, with a copy button.
      const staff: Record<
        'doctor' | 'nurse' | 'receptionist',
        { email: string; name: string; token: string }
      > = {
        doctor: { email: `meera@${slug}.test`, name: 'Dr Meera Rao', token: '' },
        nurse: { email: `nia@${slug}.test`, name: 'Nia Nurse', token: '' },
        receptionist: { email: `dev@${slug}.test`, name: 'Dev Desk', token: '' },
      };
      await timed(
        'toUsers',
        () => admin.page.getByRole('link', { name: 'Users' }).click(),
        () => admin.page.locator('#u-name').waitFor(),
      );
      for (const [role, s] of Object.entries(staff)) {
        await admin.page.locator('#u-name').fill(s.name);
        await admin.page.locator('#u-email').fill(s.email);
        await admin.page.locator('#u-role').selectOption(role);
        await admin.page.getByRole('button', { name: 'Invite' }).click();
        await admin.page.getByRole('row').filter({ hasText: s.email }).waitFor();
        s.token = (await admin.page.getByTestId('invite-token').textContent())!;
      }
      await admin.page.getByRole('button', { name: /^Copy/ }).first().waitFor();
      await screen(admin.page, 'day-users-invited');

      const desk = await newPage();
      await setPassword(desk.page, staff.receptionist.token);
      await signIn(desk.page, staff.receptionist.email);

      // Reception registers the patient and lands on the chart with the banner.
      await desk.page.getByRole('link', { name: 'Register patient' }).click();
      await desk.page.locator('#f-given').fill('Arjun');
      await desk.page.locator('#f-family').fill('Kumar');
      await desk.page.locator('#f-gender').selectOption('male');
      await desk.page.locator('#f-birthDate').fill('1990-05-17');
      await desk.page.locator('#f-phone').fill('98765 43210');
      await desk.page.getByRole('button', { name: 'Register', exact: true }).click();
      await desk.page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
      const patientId = desk.page.url().split('/').pop()!;
      const mrn = (await desk.page.getByTestId('mrn').textContent())!;
      expect(mrn).toMatch(/^[A-Z]+-\d+$/);
      expect(await desk.page.getByTestId('age-sex').textContent()).toMatch(/^\d+ y \/ Male$/);

      // The OPD card: clinic, patient, MRN (and its QR code).
      const card = await downloadPdf(desk.page, 'OPD card (PDF)');
      const cardText = squash(pdfText(card));
      for (const words of ['Shanti Clinic', 'OPD card', 'Patient Arjun Kumar', `MRN ${mrn}`])
        expect(cardText).toContain(words);
      expect(pdfPages(card, 60, SHOTS, 'day-opd-card')).toHaveLength(1);

      // Book with the doctor; the chart lists the visit.
      await desk.page.locator('#book-attendingDoctorId').selectOption({ label: staff.doctor.name });
      await desk.page.locator('#book-reason').fill('Fever for three days');
      await desk.page.getByRole('button', { name: 'Book', exact: true }).click();
      await desk.page.getByRole('status').filter({ hasText: 'Visit booked' }).waitFor();
      await desk.page
        .getByRole('row')
        .filter({ hasText: staff.doctor.name })
        .filter({ hasText: 'Booked' })
        .waitFor();
      await screen(desk.page, 'day-patient-chart');

      // Today's visits: check in.
      await timed(
        'toToday',
        () => desk.page.getByRole('link', { name: "Today's visits" }).click(),
        () => desk.page.getByRole('link', { name: 'Arjun Kumar' }).waitFor(),
      );
      await screen(desk.page, 'day-today-desk');
      await desk.page.getByRole('button', { name: 'Check in: Arjun Kumar' }).click();
      await desk.page.getByText('Checked in', { exact: true }).waitFor();
      await timed(
        'toVisit',
        () => desk.page.getByRole('link', { name: 'Arjun Kumar' }).click(),
        () => desk.page.getByText('Checked in').first().waitFor(),
      );
      const visitUrl = desk.page.url();
      // Reception may not record the consultation, and is told why.
      await desk.page
        .getByText('Start consultation: Only a doctor or nurse can record the consultation')
        .waitFor();

      // The nurse starts the consultation and records vitals.
      const nurse = await newPage();
      await setPassword(nurse.page, staff.nurse.token);
      await signIn(nurse.page, staff.nurse.email);
      await nurse.page.goto(visitUrl);
      await nurse.page.getByRole('button', { name: 'Start consultation' }).click();
      await nurse.page.getByText('In consultation').first().waitFor();
      await nurse.page.getByRole('button', { name: 'Edit' }).click();
      await nurse.page.locator('#c-vitals-systolicMmHg').fill('128');
      await nurse.page.locator('#c-vitals-diastolicMmHg').fill('84');
      await nurse.page.locator('#c-vitals-pulsePerMin').fill('300');
      await nurse.page.locator('#c-vitals-temperatureCel').fill('38.4');
      await nurse.page.locator('#c-vitals-weightKg').fill('70');
      await nurse.page.locator('#c-vitals-heightCm').fill('175');
      await nurse.page.getByRole('button', { name: 'Save consultation' }).click();
      // Out of range: the API's field error, in the console's words, beside the field.
      await nurse.page.locator('#c-vitals-pulsePerMin-error').waitFor();
      expect(await nurse.page.locator('#c-vitals-pulsePerMin').getAttribute('aria-invalid')).toBe('true');
      await screen(nurse.page, 'day-vitals-error');
      await nurse.page.locator('#c-vitals-pulsePerMin').fill('88');
      await nurse.page.getByRole('button', { name: 'Save consultation' }).click();
      await nurse.page.getByRole('status').filter({ hasText: 'Consultation saved' }).waitFor();
      // The nurse may not sign: the reason is on screen.
      await nurse.page.getByText('Only the attending doctor can sign or amend this visit').first().waitFor();

      // The doctor finds the patient in their own list and records the consultation.
      const doctor = await newPage();
      await setPassword(doctor.page, staff.doctor.token);
      await signIn(doctor.page, staff.doctor.email);
      await doctor.page.getByRole('link', { name: "Today's visits" }).click();
      expect(await doctor.page.getByLabel('Only my patients').isChecked()).toBe(true);
      await screen(doctor.page, 'day-today-doctor');
      await doctor.page.getByRole('link', { name: 'Arjun Kumar' }).click();
      await doctor.page.getByRole('button', { name: 'Edit' }).click();
      expect(await doctor.page.locator('#c-vitals-pulsePerMin').inputValue()).toBe('88');
      await doctor.page.getByRole('button', { name: 'Add: Complaint' }).click();
      await doctor.page.locator('#c-complaints-0-text').fill('Fever');
      await doctor.page.getByRole('button', { name: 'Add: Diagnosis' }).click();
      await doctor.page
        .locator('#c-diagnoses-0-text')
        .fill('J06.9 · Acute upper respiratory infection, unspecified');
      expect(await doctor.page.locator('#c-diagnoses-0-icd10').inputValue()).toBe('J06.9');
      await doctor.page.getByRole('button', { name: 'Add: Medicine' }).click();
      await doctor.page.locator('#c-medications-0-drug').fill('Paracetamol');
      await doctor.page.locator('#c-medications-0-strength').fill('500 mg');
      await doctor.page.locator('#c-medications-0-dose').fill('1 tablet');
      await doctor.page.locator('#c-medications-0-frequency').fill('three times a day');
      await doctor.page.locator('#c-medications-0-durationDays').fill('3');
      await doctor.page.locator('#c-advice').fill('Rest and plenty of fluids');
      await doctor.page.locator('#c-followUpDate').fill('15/12/2026');
      await screen(doctor.page, 'day-consultation-form');

      // Meanwhile the nurse saves again: the doctor's save meets a 412, keeps the entries, reloads.
      await nurse.page.getByRole('button', { name: 'Edit' }).click();
      await nurse.page.locator('#c-vitals-spo2Percent').fill('97');
      await nurse.page.getByRole('button', { name: 'Save consultation' }).click();
      await nurse.page.getByRole('status').filter({ hasText: 'Consultation saved' }).waitFor();
      await doctor.page.getByRole('button', { name: 'Save consultation' }).click();
      await doctor.page.getByRole('alert').filter({ hasText: 'Someone else saved this visit' }).waitFor();
      expect(await doctor.page.locator('#c-advice').inputValue()).toBe('Rest and plenty of fluids');
      await doctor.page.locator('#c-vitals-spo2Percent').fill('97');
      await doctor.page.getByRole('button', { name: 'Save consultation' }).click();
      await doctor.page.getByRole('status').filter({ hasText: 'Consultation saved' }).waitFor();

      // Sign, after a confirmation that says what signing means.
      await doctor.page.getByRole('button', { name: 'Sign', exact: true }).click();
      await doctor.page
        .getByRole('alertdialog')
        .filter({ hasText: 'only be corrected by an amendment' })
        .waitFor();
      await doctor.page.getByRole('button', { name: 'Yes, do it' }).click();
      await doctor.page.getByText('Signed (Version 1)').waitFor();
      await screen(doctor.page, 'day-visit-signed');

      // Amend with a reason; the versions side by side.
      await doctor.page.getByRole('button', { name: 'Amend' }).click();
      await doctor.page.locator('#c-amend-reason').fill('Dose clarified');
      await doctor.page.locator('#c-medications-0-instructions').fill('After food');
      await doctor.page.getByRole('button', { name: 'Save amendment' }).click();
      await doctor.page.getByText('Signed (Version 2)').waitFor();
      await doctor.page.getByRole('heading', { name: 'Versions side by side' }).waitFor();
      await doctor.page.getByText('Amendment reason: Dose clarified').waitFor();
      await doctor.page.getByRole('button', { name: 'Show FHIR document' }).click();
      await doctor.page.locator('pre.fhir').filter({ hasText: '"resourceType": "Bundle"' }).waitFor();
      await screen(doctor.page, 'day-versions-fhir');

      // Reception prints the prescription: English A5, and Hindi.
      await desk.page.goto(visitUrl);
      await desk.page.getByRole('button', { name: 'Prescription (PDF)', exact: true }).waitFor();
      await screen(desk.page, 'day-visit-print');
      const rx = await downloadPdf(desk.page, 'Prescription (PDF)');
      const rxText = squash(pdfText(rx));
      for (const words of [
        'Shanti Clinic',
        'Prescription (Amended version 2)',
        'Patient Arjun Kumar',
        `MRN ${mrn}`,
        'Doctor Dr Meera Rao',
        'BP 128/84 mmHg, Pulse 88/min',
        'Diagnoses: Acute upper respiratory infection, unspecified (J06.9)',
        'Paracetamol 500 mg 1 tablet oral',
        'After food',
        'Advice: Rest and plenty of fluids',
        'Follow-up: 15/12/2026',
        'Signature',
      ]) {
        expect(rxText).toContain(words);
      }
      expect(pdfPages(rx, 60, SHOTS, 'day-prescription-en')).toHaveLength(1);
      const rxHi = await downloadPdf(desk.page, 'Prescription (PDF) in Hindi');
      const rxHiText = squash(pdfText(rxHi));
      // pdftotext gives Devanagari in visual order: compare words without a pre-base i-matra or a reph.
      for (const words of [
        'संस्करण 2',
        'रोगी Arjun Kumar',
        'डॉक्टर Dr Meera Rao',
        'सलाह: Rest and plenty of fluids',
        'हस्ताक्षर',
      ]) {
        expect(rxHiText).toContain(words);
      }
      pdfPages(rxHi, 60, SHOTS, 'day-prescription-hi');

      // The admin reads the patient's history: staff names, one line per change.
      await admin.page.goto(`${base}/patients/${patientId}/history`);
      await admin.page.getByText('Dev Desk').first().waitFor();
      const lines = await admin.page.locator('ol.history li').allTextContents();
      expect(lines.some((l) => /Dev Desk · Created/.test(l))).toBe(true);
      expect(lines.some((l) => /Dev Desk · Printed/.test(l))).toBe(true);
      expect(lines.join('\n')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      await screen(admin.page, 'day-patient-history');

      // Safety: deactivating asks first and says what happens; an admin can undo it.
      await admin.page.getByRole('link', { name: '← Patient', exact: true }).click();
      await admin.page.getByRole('button', { name: 'Deactivate' }).click();
      await admin.page
        .getByRole('alertdialog')
        .filter({ hasText: 'an administrator can reactivate them' })
        .waitFor();
      await screen(admin.page, 'day-deactivate-confirm');
      await admin.page.getByRole('button', { name: 'Yes, do it' }).click();
      await admin.page.locator('.banner .badge').filter({ hasText: 'Deactivated' }).waitFor();
      await admin.page.getByRole('button', { name: 'Reactivate' }).click();
      await admin.page.getByRole('status').filter({ hasText: 'The patient is active again' }).waitFor();
      expect(await admin.page.locator('.banner .badge').count()).toBe(0);

      // Another clinic's desk: an empty day, and the visit's address is "Not found".
      const other = await newPage();
      await signIn(other.page, deskB.email, deskB.password, clinicB.slug);
      await other.page.getByRole('link', { name: "Today's visits" }).click();
      await other.page.getByText('No visits yet').waitFor();
      await other.page.goto(visitUrl);
      await other.page.getByRole('heading', { name: 'Not found' }).waitFor();

      expect(consoleErrors).toEqual([]);
      for (const p of [admin, desk, nurse, doctor, other]) await p.context.close();
    },
    LONG,
  );
});
