/// <reference lib="dom" />
/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts), Debian's chromium
 * (scripts/ensure-chromium.sh) and a built API (npm run build).
 * The platform operator's console at /platform in a real Chromium against a real API process:
 * sign-in (a wrong password answered in words), the clinic list, onboarding with a field error
 * in the operator's language and then the saga's steps, suspend and reactivate, limits (a bad
 * value refused beside its field; a good one stored), and a re-issued first-admin invitation.
 * Every screen: axe (0 serious or critical) at 1280×800 and 390×844, screenshots, no sideways
 * scroll on a phone, no console errors beyond the 4xx answers provoked on purpose.
 */
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { startApiProcess } from '../support/api-process';
import { axe, buildConsole, launchChromium } from '../support/browser';
import { ownerUrl } from '../support/env';
import { newOperator, type TestOperator } from '../support/platform';
import { totpCode } from '../../libs/auth/src/mfa/totp';

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const LONG = 300_000;

describe('the platform operator console (Chromium)', () => {
  let owner: DataSource;
  let api: { child: ChildProcess; port: number };
  let browser: Browser;
  let base: string;
  let op: TestOperator;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    buildConsole();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    op = await newOperator(owner);
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
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      const violations = await axe(page);
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

  const tenantRow = async (slug: string) =>
    (await owner.query(`SELECT status, settings FROM core.tenants WHERE slug = $1`, [slug]))[0] as
      { status: string; settings: { limits?: Record<string, number> } } | undefined;

  it(
    'signs in, onboards a clinic showing its steps, suspends, reactivates, sets limits and re-issues the invitation',
    async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const page = await context.newPage();
      page.on('console', (m) => {
        // Chromium logs every 4xx itself; these (wrong password 401, field errors 400) are provoked on purpose.
        if (
          m.type() === 'error' &&
          !/Failed to load resource: the server responded with a status of (400|401)/.test(m.text())
        ) {
          consoleErrors.push(m.text());
        }
      });
      page.on('pageerror', (e) => consoleErrors.push(String(e)));

      await page.goto(`${base}/platform`);
      await page.getByRole('heading', { name: 'Operator sign-in' }).waitFor();
      await page.locator('#op-email').fill(op.email);
      await page.locator('#op-password').fill('not-the-password-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong email, password or code.');
      await screen(page, 'platform-sign-in');

      await page.locator('#op-password').fill(op.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Every operator needs an authenticator: the first sign-in shows the new secret to type into
      // the app; the test computes the code from it, as the app would, then sees the recovery codes once.
      const secret = (await page.locator('code.secret').textContent())!.trim();
      await page.locator('#op-code').fill(totpCode(secret, Date.now()));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: /Recovery codes/ }).waitFor();
      expect(await page.locator('#op-recovery ~ ul li').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Clinics', exact: true }).waitFor();

      // A bad slug: the field is marked in the operator's words, never class-validator's English.
      const slug = `op-${randomUUID().slice(0, 8)}`;
      await page.locator('#ob-slug').fill('Bad Slug!');
      // A name no other test file gives a clinic (they share the test database and its clinic list).
      const clinicName = `Sunrise ${Array.from({ length: 8 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('')}`;
      await page.locator('#ob-name').fill(clinicName);
      await page.locator('#ob-mrnPrefix').fill('SUN');
      await page.locator('#ob-adminEmail').fill(`admin@${slug}.test`);
      await page.locator('#ob-adminName').fill('Meera Admin');
      await page.getByRole('button', { name: 'Onboard', exact: true }).click();
      await expect(page.locator('#ob-slug-error').textContent()).resolves.toBe('Check this field');
      expect(await page.locator('#main').textContent()).not.toMatch(/lowercase letters/);
      expect(await tenantRow('bad slug!')).toBeUndefined();

      await page.locator('#ob-slug').fill(slug);
      await page.getByRole('button', { name: 'Onboard', exact: true }).click();
      const token = page.getByTestId('invitation-token');
      await token.waitFor();
      const firstToken = await token.textContent();
      const steps = page.locator('.saga-steps li');
      expect(await steps.count()).toBeGreaterThan(3);
      expect(await page.locator('.saga-steps li:not([data-status="done"])').count()).toBe(0);
      expect((await tenantRow(slug))?.status).toBe('active');
      await screen(page, 'platform-onboarded');

      // The new clinic: suspend, reactivate.
      // The onboarded clinic opens by itself (the list is oldest first and the test database holds many).
      await page.getByRole('heading', { name: clinicName }).first().waitFor();
      const status = page.getByTestId('tenant-status');
      await expect(status.textContent()).resolves.toBe('Active');
      await page.getByRole('button', { name: 'Suspend' }).click();
      await page.getByRole('button', { name: 'Reactivate' }).waitFor();
      await expect(status.textContent()).resolves.toBe('Suspended');
      expect((await tenantRow(slug))?.status).toBe('suspended');
      await page.getByRole('button', { name: 'Reactivate' }).click();
      await page.getByRole('button', { name: 'Suspend' }).waitFor();
      expect((await tenantRow(slug))?.status).toBe('active');

      // Limits: a negative value is refused beside its field and nothing is stored; then a good one.
      await page.locator('#lim-writesPerMinute').fill('-5');
      await page.getByRole('button', { name: 'Save limits' }).click();
      await expect(page.locator('#lim-writesPerMinute-error').textContent()).resolves.toBe(
        'Check this field',
      );
      expect((await tenantRow(slug))?.settings.limits?.writesPerMinute).toBeUndefined();
      await page.locator('#lim-writesPerMinute').fill('120');
      await page.getByRole('button', { name: 'Save limits' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      expect((await tenantRow(slug))?.settings.limits?.writesPerMinute).toBe(120);

      // A fresh invitation for the first admin (they have not set a password yet).
      await page.getByRole('button', { name: "Re-issue the first admin's invitation" }).click();
      const reissued = page.getByTestId('reissued-token');
      await reissued.waitFor();
      expect(await reissued.textContent()).not.toBe(firstToken);
      await screen(page, 'platform-clinic');

      // The operator's language: Hindi labels, no English left on the sign-out button.
      await page.getByLabel('Language').selectOption('hi');
      await page.getByRole('button', { name: 'साइन आउट' }).click();
      await page.getByRole('heading', { name: 'संचालक साइन-इन' }).waitFor();
      await context.close();
      expect(consoleErrors).toEqual([]);
    },
    LONG,
  );
});
