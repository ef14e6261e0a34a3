/// <reference lib="dom" />
/**
 * Needs: the project's PostgreSQL 15, Debian's chromium (scripts/ensure-chromium.sh) and a built
 * API (npm run build). The ABDM screen of the staff console (issue 22, item 7) in a real headless
 * Chromium against a real API process: a clinic admin sees each transaction's state, whether it
 * is final, what the gateway said (code and message) and the retries of our calls; a nurse gets
 * no such screen; another clinic's admin sees none of it. axe on the screen; screenshots at
 * desktop (1280x800) and phone (390x844) widths.
 */
import { secondStepInBrowser } from '../support/browser-mfa';
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { registerHip } from '../support/abdm';
import { startApiProcess } from '../support/api-process';
import { createUser, type TestUser } from '../support/auth';
import { axe, buildConsole, launchChromium } from '../support/browser';
import { ownerUrl } from '../support/env';
import { asTenant, newTenant } from '../support/fixtures';

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const LONG = 240_000;

describe('staff console: ABDM transactions and what the gateway said', () => {
  let owner: DataSource;
  let api: { child: ChildProcess; port: number };
  let browser: Browser;
  let base: string;
  let clinicA: { id: string; slug: string };
  let clinicB: { id: string; slug: string };
  let adminA: TestUser;
  let adminB: TestUser;
  let nurseA: TestUser;

  /** A transaction the gateway refused (as the bridge records it) and one that linked. */
  async function seed(tenantId: string, hipId: string): Promise<void> {
    await asTenant(owner, tenantId, async (tx) => {
      const [failed] = await tx.query(
        `INSERT INTO clinical.abdm_transactions (tenant_id, transaction_id, hip_id, state, kind, failure)
         VALUES ($1, $2, $3, 'failed', 'hip_initiated', 'ABDM-1026: Invalid Link Token') RETURNING id`,
        [tenantId, randomUUID(), hipId],
      );
      await tx.query(
        `INSERT INTO clinical.abdm_outbound (tenant_id, transaction_ref, path, request_id, body, status, attempts,
                                             last_status, last_error, gateway_code, gateway_message)
         VALUES ($1, $2, '/api/hiecm/hip/v3/link/carecontext', $3, '{}', 'failed', 3, 401, 'HTTP 401 ABDM-1026',
                 'ABDM-1026', 'Invalid Link Token')`,
        [tenantId, failed.id, randomUUID()],
      );
      await tx.query(
        `INSERT INTO clinical.abdm_transactions (tenant_id, transaction_id, hip_id, state) VALUES ($1, $2, $3, 'linked')`,
        [tenantId, randomUUID(), hipId],
      );
    });
  }

  beforeAll(async () => {
    buildConsole();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinicA = await newTenant(owner, 'console-abdm-a');
    clinicB = await newTenant(owner, 'console-abdm-b');
    adminA = await createUser(owner, clinicA.id, { roles: ['tenant_admin'], displayName: 'Asha Admin' });
    adminB = await createUser(owner, clinicB.id, { roles: ['tenant_admin'], displayName: 'Bela Admin' });
    nurseA = await createUser(owner, clinicA.id, { roles: ['nurse'], displayName: 'Nia Nurse' });
    const hip = `CA${randomUUID().slice(0, 8)}`;
    await registerHip(owner, clinicA.id, hip);
    await seed(clinicA.id, hip);
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
    'shows the admin what the gateway said, the retries and the final state; not to a nurse or another clinic',
    async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const page = await context.newPage();
      await signIn(page, clinicA.slug, adminA);
      await page.getByRole('link', { name: 'ABDM' }).click();
      await page.getByRole('heading', { name: 'ABDM transactions' }).waitFor();
      const refused = page.getByRole('row').filter({ hasText: 'Invalid Link Token' });
      await refused.waitFor();
      const cells = await refused.getByRole('cell').allInnerTexts();
      expect(cells[1]).toBe('failed (final)');
      expect(cells[2]).toBe('ABDM-1026 Invalid Link Token');
      expect(cells[3]).toBe('2');
      expect(cells[4]).toContain('link/carecontext failed ×3 HTTP 401');
      expect(await page.getByRole('row').filter({ hasText: 'linked (final)' }).count()).toBe(1);

      const violations = await axe(page);
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      for (const [width, size] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(size);
        await page.screenshot({ path: join(SHOTS, `abdm-${width}.png`), fullPage: true });
      }
      await context.close();

      const nurse = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const nursePage = await nurse.newPage();
      await signIn(nursePage, clinicA.slug, nurseA);
      expect(await nursePage.getByRole('link', { name: 'ABDM' }).count()).toBe(0);
      await nursePage.goto(`${base}/abdm`);
      await nursePage.getByRole('alert').filter({ hasText: 'You do not have access' }).waitFor();
      await nurse.close();

      const other = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const otherPage = await other.newPage();
      await signIn(otherPage, clinicB.slug, adminB);
      await otherPage.getByRole('link', { name: 'ABDM' }).click();
      await otherPage.getByText('No ABDM transactions yet').waitFor();
      expect(await otherPage.getByText('Invalid Link Token').count()).toBe(0);
      await other.close();
    },
    LONG,
  );
});
