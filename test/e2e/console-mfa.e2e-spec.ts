/// <reference lib="dom" />
/**
 * Needs: the project's PostgreSQL 15, Debian's chromium (scripts/ensure-chromium.sh) and a
 * built API (npm run build).
 * The console's two-step sign-in in a real Chromium against an API process: a tenant_admin's
 * first sign-in sets up the authenticator from the QR code's key, a wrong code is named as
 * such, the right one shows the recovery codes once; the next sign-in asks for a code, and a
 * recovery code works instead. axe-core on every screen; screenshots at 1280×800 and 390×844
 * (docs/console.md "Two-step sign-in").
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createUser, type TestUser } from '../support/auth';
import { startApiProcess } from '../support/api-process';
import { axe, buildConsole, launchChromium } from '../support/browser';
import { secondStepInBrowser } from '../support/browser-mfa';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';
import { enrolmentOf } from '../support/mfa';

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const LONG = 240_000;

describe('console two-step sign-in in Chromium', () => {
  let owner: DataSource;
  let api: Awaited<ReturnType<typeof startApiProcess>>;
  let browser: Browser;
  let base: string;
  let clinic: { id: string; slug: string };
  let admin: TestUser;
  const cspErrors: string[] = [];

  beforeAll(async () => {
    buildConsole();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinic = await newTenant(owner, 'console-mfa');
    admin = await createUser(owner, clinic.id, { roles: ['tenant_admin'], displayName: 'Meera Admin' });
    api = await startApiProcess({ LOG_LEVEL: 'warn' });
    base = `http://127.0.0.1:${api.port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGTERM');
    await owner?.destroy();
  });

  async function screen(page: Page, name: string): Promise<void> {
    const violations = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    for (const [width, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  async function passwordStep(page: Page): Promise<void> {
    await page.goto(`${base}/`);
    await page.locator('#clinic').fill(clinic.slug);
    await page.locator('#email').fill(admin.email);
    await page.locator('#password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it(
    'first sign-in: QR code and key, a wrong code refused, the right one signs in after the recovery codes',
    async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await passwordStep(page);
      await page.locator('#mfa-secret').waitFor();
      // The QR code is an image the strict CSP allows (data: URL), with a text alternative.
      const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
      expect(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      // No session yet: a password alone gave no cookie and no token.
      expect((await context.cookies()).map((c) => c.name)).not.toContain('hims_rt');

      await page.locator('#mfa-code').fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').filter({ hasText: 'The code is incorrect' }).waitFor();
      expect(await page.locator('#mfa-code').getAttribute('aria-invalid')).toBe('true');
      await screen(page, 'mfa-wrong-code');

      await page.locator('#mfa-code').fill('');
      await secondStepInBrowser(page, admin, (name) => screen(page, name));
      await page.locator('#q').waitFor();
      expect(enrolmentOf(admin.email)!.recoveryCodes).toHaveLength(10);
      expect((await context.cookies()).map((c) => c.name)).toContain('hims_rt');
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.locator('#clinic').waitFor();
      await context.close();
    },
    LONG,
  );

  it(
    'next sign-in: a code from the app, or a recovery code instead',
    async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const page = await context.newPage();
      await passwordStep(page);
      await page.locator('#mfa-code').waitFor();
      expect(await page.locator('#mfa-secret').count()).toBe(0); // enrolled: no new key is shown
      await screen(page, 'mfa-code');
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      const recovery = enrolmentOf(admin.email)!.recoveryCodes.shift()!;
      await page.locator('#mfa-recovery').fill(recovery);
      await screen(page, 'mfa-recovery');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.locator('#q').waitFor();
      expect(cspErrors).toEqual([]);
      await context.close();
    },
    LONG,
  );
});
