/// <reference lib="dom" />
/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts), Debian's chromium
 * (scripts/ensure-chromium.sh installs it), and a built API (npm run build).
 * The staff console in a real headless Chromium against a real API process on
 * the test database: a front-desk shift end to end, roles, and tenant
 * isolation in the UI; axe-core on every screen; screenshots at desktop and
 * tablet widths into the folder printed at the end.
 */
import { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createUser, type TestUser } from '../support/auth';
import { signInThroughApi, startApiProcess } from '../support/api-process';
import { axe, buildConsole, launchChromium, type AxeViolation } from '../support/browser';
import { secondStepInBrowser } from '../support/browser-mfa';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, tablet: { width: 820, height: 1180 } };
const LONG = 240_000;

describe('staff console in Chromium', () => {
  let owner: DataSource;
  let api: { child: ChildProcess; port: number; output: () => string };
  let browser: Browser;
  let base: string;
  let clinicA: { id: string; slug: string };
  let clinicB: { id: string; slug: string };
  let adminA: TestUser;
  let deskA: TestUser;
  let deskB: TestUser;
  let nurseA: TestUser;
  let roamerA: TestUser;
  const axeResults: Record<string, AxeViolation[]> = {};
  const cspErrors: string[] = [];
  let firstPatientId = '';

  beforeAll(async () => {
    buildConsole();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinicA = await newTenant(owner, 'console-a');
    clinicB = await newTenant(owner, 'console-b');
    adminA = await createUser(owner, clinicA.id, { roles: ['tenant_admin'], displayName: 'Asha Admin' });
    deskA = await createUser(owner, clinicA.id, { roles: ['receptionist'], displayName: 'Dev Desk' });
    deskB = await createUser(owner, clinicB.id, { roles: ['receptionist'], displayName: 'Bela Desk' });
    nurseA = await createUser(owner, clinicA.id, { roles: ['nurse'], displayName: 'Nia Nurse' });
    roamerA = await createUser(owner, clinicA.id, { roles: ['receptionist'], displayName: 'Ravi Roamer' });
    api = await startApiProcess({ LOG_LEVEL: 'warn' });
    base = `http://127.0.0.1:${api.port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGTERM');
    await owner?.destroy();
    writeFileSync(join(SHOTS, 'axe-results.json'), JSON.stringify(axeResults, null, 2));
    process.stdout.write(`console screenshots and axe results: ${SHOTS}\n`);
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    return { context, page };
  }

  /** axe (no serious or critical violations) and screenshots at both widths. */
  async function screen(page: Page, name: string): Promise<void> {
    const violations = await axe(page);
    axeResults[name] = violations;
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    for (const [width, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  async function signIn(page: Page, slug: string, user: TestUser): Promise<void> {
    await page.goto(`${base}/`);
    await page.locator('#clinic').fill(slug);
    await page.locator('#email').fill(user.email);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // tenant_admin: the second step (enrolment on the first sign-in; docs/auth.md).
    await page.locator('#q, #mfa-code, #mfa-recovery').first().waitFor();
    if (await page.locator('#mfa-title').count()) await secondStepInBrowser(page, user);
    await page.locator('#q').waitFor();
  }

  it(
    'runs a front-desk shift: sign in, register, duplicate, search, edit, conflicting edit, audit, sign out',
    async () => {
      const { context, page } = await newPage();
      await page.goto(`${base}/`);
      await page.locator('#clinic').waitFor();
      await screen(page, 'sign-in');

      // A wrong clinic is named as such; then the real sign-in.
      await page.locator('#clinic').fill('no-such-clinic');
      await page.locator('#email').fill(adminA.email);
      await page.locator('#password').fill(adminA.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'No clinic with this name' }).waitFor();
      await signIn(page, clinicA.slug, adminA);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
      // The access token is in memory only; the refresh token is an HttpOnly cookie.
      expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toMatch(/eyJ/);
      expect(await page.evaluate(() => document.cookie)).not.toContain('hims_rt');
      const rt = (await context.cookies()).find((c) => c.name === 'hims_rt')!;
      expect(rt).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth/console' });
      await screen(page, 'search-empty');

      // Register: the API's field errors appear beside the field.
      await page.getByRole('link', { name: 'Register patient' }).click();
      await page.locator('#f-given').fill('Ravi');
      await page.locator('#f-family').fill('Kumar');
      await page.locator('#f-gender').selectOption('male');
      await page.locator('#f-birthDate').fill('1990-13-45');
      await page.locator('#f-phone').fill('98765 43210');
      await page.locator('#f-abhaNumber').fill('12345678901234');
      await page.locator('#f-city').fill('Pune');
      await page.getByRole('button', { name: 'Register', exact: true }).click();
      await page.locator('#f-birthDate-error').waitFor();
      expect(await page.locator('#f-birthDate').getAttribute('aria-invalid')).toBe('true');
      await screen(page, 'register-errors');
      await page.locator('#f-birthDate').fill('1990-05-17');
      await page.getByRole('button', { name: 'Register', exact: true }).click();
      await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
      firstPatientId = page.url().split('/').pop()!;
      await page.getByTestId('abha').filter({ hasText: '12-3456-7890-1234' }).waitFor();
      const firstMrn = await page.getByTestId('mrn').textContent();
      await screen(page, 'patient');

      // The same person again: the duplicate warning, then a deliberate "register anyway".
      await page.getByRole('link', { name: 'Register patient' }).click();
      await page.locator('#f-given').fill('Ravi');
      await page.locator('#f-family').fill('Kumar');
      await page.locator('#f-gender').selectOption('male');
      await page.locator('#f-birthDate').fill('1990-05-17');
      await page.locator('#f-phone').fill('9876543210');
      await page.getByRole('button', { name: 'Register', exact: true }).click();
      const dialog = page.getByRole('alertdialog');
      await dialog.getByText('This patient may already be registered').waitFor();
      await dialog.getByText(firstMrn!).waitFor();
      // The warning takes focus (keyboard and screen reader land on it).
      await page.waitForFunction(() => document.activeElement?.id === 'dup-title');
      await screen(page, 'register-duplicate');
      await dialog.getByRole('button', { name: 'Register anyway' }).click();
      await page.waitForURL((u) => /\/patients\//.test(u.pathname) && !u.pathname.endsWith(firstPatientId));
      expect(await page.getByTestId('mrn').textContent()).not.toBe(firstMrn);

      // Someone else with the first patient's ABHA number: the clash is named in words.
      await page.getByRole('link', { name: 'Register patient' }).click();
      await page.locator('#f-given').fill('Sunil');
      await page.locator('#f-family').fill('Rao');
      await page.locator('#f-gender').selectOption('male');
      await page.locator('#f-birthDate').fill('1975-02-03');
      await page.locator('#f-abhaNumber').fill('12345678901234');
      await page.getByRole('button', { name: 'Register', exact: true }).click();
      await page
        .getByRole('alertdialog')
        .getByText(`The ABHA number 12-3456-7890-1234 belongs to patient MRN ${firstMrn}`)
        .waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'dup-title');
      expect(await page.getByRole('alertdialog').getByRole('button', { name: 'Register anyway' }).count()).toBe(0);

      // Search as you type; keyboard opens the first hit.
      await page.getByRole('link', { name: 'Find patient' }).click();
      await page.locator('#q').pressSequentially('ravi kum');
      await page.locator('#results').getByRole('option').nth(1).waitFor();
      await page.getByTestId('db-fallback').waitFor();
      await screen(page, 'search-results');
      await page.locator('#q').press('ArrowDown');
      await page.locator('#q').press('ArrowUp');
      await page.locator('#q').press('Enter');
      await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);

      // Edit the first patient while another desk changes it: the 412 flow.
      await page.goto(`${base}/patients/${firstPatientId}`);
      await page.getByTestId('version').filter({ hasText: '1' }).waitFor();
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.locator('#f-city').fill('Nashik');

      const other = await newPage();
      await signIn(other.page, clinicA.slug, deskA);
      await other.page.goto(`${base}/patients/${firstPatientId}`);
      await other.page.getByRole('button', { name: 'Edit' }).click();
      await other.page.locator('#f-family').fill('Kumaar');
      await other.page.getByRole('button', { name: 'Save' }).click();
      await other.page.getByTestId('version').filter({ hasText: '2' }).waitFor();
      await other.context.close();

      await page.getByRole('button', { name: 'Save' }).click();
      const conflict = page.locator('.conflict');
      await conflict.getByText('Someone else changed this patient').waitFor();
      // Their change (family name) and mine (city), each against the version the edit started from.
      await conflict.getByRole('row', { name: /Family name Kumar Kumaar —/ }).waitFor();
      await conflict.getByRole('row', { name: /City Pune Pune Nashik/ }).waitFor();
      await screen(page, 'patient-conflict');
      await conflict.getByRole('button', { name: 'Reapply my changes' }).click();
      await page.getByTestId('version').filter({ hasText: '3' }).waitFor();
      await page.getByText('Ravi Kumaar').first().waitFor();
      await page.getByText('Nashik').waitFor();

      // The audit view shows the reads and writes of that patient.
      await page.getByRole('link', { name: 'Audit trail' }).click();
      await page.locator('#a-entity').fill(firstPatientId);
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('cell', { name: 'read', exact: true }).first().waitFor();
      await page.getByRole('cell', { name: 'UPDATE', exact: true }).first().waitFor();
      await screen(page, 'audit');
      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('cell', { name: deskA.email, exact: true }).waitFor();
      await screen(page, 'users');

      // Roles: a nurse becomes nurse and doctor; the last administrator cannot lose the role (the API's 409).
      await page.getByRole('button', { name: `Edit roles: ${nurseA.email}` }).click();
      const editor = page.getByRole('form', { name: /Roles of Nia Nurse/ });
      await editor.getByRole('checkbox', { name: 'Doctor' }).check();
      await screen(page, 'users-roles');
      await editor.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Roles saved' }).waitFor();
      await page.getByRole('row', { name: new RegExp(`${nurseA.email} Nurse, Doctor`) }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/^edit-roles-/);
      await page.getByRole('button', { name: `Edit roles: ${adminA.email}` }).click();
      const own = page.getByRole('form', { name: /Roles of Asha Admin/ });
      await own.getByRole('checkbox', { name: 'Clinic administrator' }).uncheck();
      await own.getByRole('checkbox', { name: 'Doctor' }).check();
      await own.getByRole('button', { name: 'Save' }).click();
      await own.getByRole('alert').filter({ hasText: 'last active administrator' }).waitFor();
      await own.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('row', { name: new RegExp(`${adminA.email} Clinic administrator`) }).waitFor();

      // Hindi catalogue.
      await page.getByLabel('Language').selectOption('hi');
      await page.getByRole('link', { name: 'मरीज़ खोजें' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('hi');
      await screen(page, 'users-hi');
      await page.getByLabel('भाषा').selectOption('en');

      // Password reset: a one-time token, shown once.
      await page.getByRole('button', { name: `Reset password: ${nurseA.email}` }).click();
      await page.getByTestId('reset-token').waitFor();
      const resetToken = (await page.getByTestId('reset-token').textContent())!;
      expect(resetToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // With a second administrator, an admin may give up the role; their own screens follow at once.
      await page.getByRole('button', { name: `Edit roles: ${nurseA.email}` }).click();
      const nurseEditor = page.getByRole('form', { name: /Roles of Nia Nurse/ });
      await nurseEditor.getByRole('checkbox', { name: 'Clinic administrator' }).check();
      await nurseEditor.getByRole('button', { name: 'Save' }).click();
      await page
        .getByRole('row', { name: new RegExp(`${nurseA.email} Nurse, Doctor, Clinic administrator`) })
        .waitFor();
      await page.getByRole('button', { name: `Edit roles: ${adminA.email}` }).click();
      const self = page.getByRole('form', { name: /Roles of Asha Admin/ });
      await self.getByRole('checkbox', { name: 'Clinic administrator' }).uncheck();
      await self.getByRole('checkbox', { name: 'Doctor' }).check();
      await self.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('alert').filter({ hasText: 'You do not have access' }).waitFor();
      expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);

      // A reload resumes the session from the cookie; sign-out ends it.
      await page.reload();
      await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.locator('#password').waitFor();
      await page.reload();
      await page.locator('#password').waitFor();

      // The nurse sets a new password with the reset token (signed out, from the sign-in page).
      await page.getByRole('link', { name: 'Have a one-time token? Set your password' }).click();
      expect(await page.locator('#clinic').inputValue()).toBe(clinicA.slug);
      await page.locator('#token').fill(resetToken);
      await page.locator('#new-password').fill('short');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.locator('#password-error').waitFor();
      expect(await page.locator('#new-password').getAttribute('aria-invalid')).toBe('true');
      await screen(page, 'set-password');
      const newPassword = 'Plum-orchard-lantern-42';
      await page.locator('#new-password').fill(newPassword);
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByRole('status').filter({ hasText: 'Your password is set' }).waitFor();
      await page.getByRole('link', { name: 'Back to sign-in' }).click();
      await signIn(page, clinicA.slug, { ...nurseA, password: newPassword });
      await page.getByText('Signed in as Nia Nurse').waitFor();
      await context.close();
      expect(cspErrors).toEqual([]);
    },
    LONG,
  );

  it('serves the console under / with a strict CSP, and leaves /api and other clients to the API', async () => {
    const page = await fetch(`${base}/patients/some-client-route`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)![1];
    const js = await fetch(`${base}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');

    const apiMiss = await fetch(`${base}/api/v1/no-such-route`, { headers: { Accept: 'text/html' } });
    expect(apiMiss.status).toBe(404);
    expect(apiMiss.headers.get('content-type')).toMatch(/problem\+json/);
    const clientMiss = await fetch(`${base}/no/such/route`, { headers: { Accept: 'application/json' } });
    expect(clientMiss.status).toBe(404);
    expect(clientMiss.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it(
    'keeps a receptionist signed in past the access-token lifetime, and shows them no admin screens',
    async () => {
      const { context, page } = await newPage();
      // The page's clock is ours: 14 minutes pass without a real wait.
      await page.clock.install();
      await signIn(page, clinicA.slug, deskA);
      const cookie = async () => (await context.cookies()).find((c) => c.name === 'hims_rt')?.value;
      const first = await cookie();
      await page.clock.runFor(14.5 * 60 * 1000);
      // A minute before the 15-minute access token lapses, the console refreshed it from the cookie.
      const deadline = Date.now() + 20000;
      while ((await cookie()) === first && Date.now() < deadline) await page.waitForTimeout(100);
      expect(await cookie()).not.toBe(first);
      expect(await page.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
      await page.goto(`${base}/audit`);
      await page.getByRole('alert').filter({ hasText: 'You do not have access' }).waitFor();
      await page.goto(`${base}/users`);
      await page.getByRole('alert').filter({ hasText: 'You do not have access' }).waitFor();
      await context.close();
    },
    LONG,
  );

  it(
    "never shows a second clinic's staff the first clinic's patients",
    async () => {
      expect(firstPatientId).not.toBe('');
      const { context, page } = await newPage();
      await signIn(page, clinicB.slug, deskB);
      await page.locator('#q').pressSequentially('ravi');
      await page.getByText('No patient matches').waitFor();
      expect(await page.locator('#results').getByRole('option').count()).toBe(0);
      await page.goto(`${base}/patients/${firstPatientId}`);
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      await context.close();
    },
    LONG,
  );

  it(
    'pages beyond the first 20 search results from the keyboard',
    async () => {
      // 23 patients sharing a family name no other test uses, registered through the API.
      const family = `Pagina${Date.now()
        .toString(36)
        .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)])}`;
      const headers = await signInThroughApi(api.port, clinicA.id, deskA);
      for (let i = 0; i < 23; i++) {
        const res = await fetch(`${base}/api/v1/patients`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            name: { given: [`Asha${'abcdefghijklmnopqrstuvw'[i]}`], family },
            gender: 'female',
            birthDate: `${1950 + i}-01-15`,
            allowDuplicate: true,
          }),
        });
        expect(res.status).toBe(201);
      }
      const { context, page } = await newPage();
      await signIn(page, clinicA.slug, deskA);
      await page.locator('#q').pressSequentially(family);
      const options = page.locator('#results').getByRole('option');
      await options.nth(19).waitFor();
      expect(await options.count()).toBe(20);
      await page
        .getByTestId('result-count')
        .filter({ hasText: '20 results shown; more available' })
        .waitFor();

      // Tab from the search box reaches "Show more results"; Enter loads the next page and puts
      // the first new result under the keyboard, with focus back in the search box.
      await page.locator('#q').press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Show more results');
      await screen(page, 'search-more');
      await page.keyboard.press('Enter');
      await options.nth(22).waitFor();
      expect(await options.count()).toBe(23);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
      const activeId = async () => page.locator('#q').getAttribute('aria-activedescendant');
      const twentyFirst = await options.nth(20).getAttribute('id');
      const deadline = Date.now() + 10000;
      while ((await activeId()) !== twentyFirst && Date.now() < deadline) await page.waitForTimeout(50);
      // Every result is distinct (the cursor continued the first page) and the 21st is active.
      const ids = await options.evaluateAll((els) => els.map((e) => e.id));
      expect(new Set(ids).size).toBe(23);
      expect(ids.indexOf((await activeId()) ?? '')).toBe(20);
      expect(await page.getByRole('button', { name: 'Show more results' }).count()).toBe(0);
      await page.locator('#q').press('Enter');
      await page.waitForURL(new RegExp(`/patients/${twentyFirst!.replace('result-', '')}$`));
      await context.close();
    },
    LONG,
  );

  it(
    'signs out everywhere: the other device is signed out at its next request',
    async () => {
      const desk = await newPage();
      const phone = await newPage();
      await signIn(desk.page, clinicA.slug, roamerA);
      await signIn(phone.page, clinicA.slug, roamerA);
      await desk.page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await desk.page.locator('#password').waitFor();
      expect((await desk.context.cookies()).find((c) => c.name === 'hims_rt')).toBeUndefined();
      // The phone still shows the search page; its next call is refused and its refresh too.
      await phone.page.locator('#q').pressSequentially('ab');
      await phone.page.locator('#password').waitFor();
      await phone.page.reload();
      await phone.page.locator('#password').waitFor();
      await desk.context.close();
      await phone.context.close();
    },
    LONG,
  );
});
