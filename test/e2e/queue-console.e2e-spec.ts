/// <reference lib="dom" />
/**
 * Needs: the project's PostgreSQL 15 (test/global-setup.ts), Debian's chromium
 * (scripts/ensure-chromium.sh), and a built API (npm run build).
 * The queue screens in a real headless Chromium against a real API process: reception's board
 * (keyboard reorder with a reason, check-in, call next), the doctor's queue, the waiting-room
 * display live over server-sent events, surviving an API restart, and showing nothing of another
 * clinic; the waiting-times chart. axe-core on every screen; screenshots at 1280×800 and 390×844.
 */
import { secondStepInBrowser } from '../support/browser-mfa';
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { provisionTenant } from '../../libs/tenancy/src/tenant-provisioning';
import { createUser, type TestUser } from '../support/auth';
import { signInThroughApi, startApiProcess } from '../support/api-process';
import { axe, buildConsole, launchChromium } from '../support/browser';
import { ownerUrl } from '../support/env';
import { dayIn, middayZone } from '../support/scheduling';

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const LONG = 240_000;

describe('queue screens in Chromium', () => {
  let owner: DataSource;
  let api: { child: ChildProcess; port: number };
  let browser: Browser;
  let base: string;
  let clinic: { id: string; slug: string };
  let other: { id: string; slug: string };
  let zone: string;
  let desk: TestUser;
  let doctor: TestUser & { id: string };
  let admin: TestUser;
  let deskB: TestUser;
  let h: Record<string, string>;

  const call = async (method: string, path: string, body?: unknown, headers = h) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = res.status === 204 ? null : await res.json();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const patient = async (given: string, family: string, headers = h) =>
    (
      await call(
        'POST',
        '/api/v1/patients',
        { name: { given: [given], family }, gender: 'female', birthDate: '1984', allowDuplicate: true },
        headers,
      )
    ).id as string;

  beforeAll(async () => {
    buildConsole();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    zone = middayZone();
    const slug = `queue-ui-${randomUUID().slice(0, 8)}`;
    clinic = {
      slug,
      ...(await provisionTenant(owner, {
        slug,
        name: 'Sunrise Clinic',
        status: 'active',
        settings: { defaultRegion: 'IN', timeZone: zone },
      })),
    };
    const slugB = `queue-ui-b-${randomUUID().slice(0, 8)}`;
    other = {
      slug: slugB,
      ...(await provisionTenant(owner, { slug: slugB, name: 'Other Clinic', status: 'active' })),
    };
    desk = await createUser(owner, clinic.id, { roles: ['receptionist'], displayName: 'Dev Desk' });
    const d = await createUser(owner, clinic.id, { roles: ['doctor'], displayName: 'Dr Meera Rao' });
    doctor = { ...d, id: d.id };
    admin = await createUser(owner, clinic.id, { roles: ['tenant_admin'], displayName: 'Asha Admin' });
    deskB = await createUser(owner, other.id, { roles: ['receptionist'], displayName: 'Bela Desk' });
    api = await startApiProcess({ LOG_LEVEL: 'warn' });
    base = `http://127.0.0.1:${api.port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });

    h = await signInThroughApi(api.port, clinic.id, desk);
    const ha = await signInThroughApi(api.port, clinic.id, admin);
    await call(
      'PUT',
      `/api/v1/schedules/${doctor.id}`,
      {
        department: 'General Medicine',
        slotMinutes: 10,
        capacity: 2,
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:50' })),
      },
      ha,
    );
    for (const [given, family] of [
      ['Kavya', 'Raghunathan'],
      ['Arjun', 'Menon'],
      ['Lakshmi', 'Iyer'],
    ]) {
      await call('POST', '/api/v1/queue/walk-ins', {
        doctorId: doctor.id,
        patientId: await patient(given, family),
        department: 'General Medicine',
      });
    }
    const today = dayIn(zone, 0);
    const slots = await call('GET', `/api/v1/slots?doctorId=${doctor.id}&from=${today}&to=${today}`);
    await call('POST', '/api/v1/appointments', {
      patientId: await patient('Farah', 'Khan'),
      doctorId: doctor.id,
      slotStart: slots.items[0].start,
    });
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGTERM');
    await owner?.destroy();
    process.stdout.write(`queue screenshots: ${SHOTS}\n`);
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

  const tokensOf = (page: Page) => page.locator('.lane li .tok').allTextContents();

  it(
    "reception's board: keyboard reorder needs a reason, check-in gives the next token, call next calls the first",
    async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await signIn(page, clinic.slug, desk);
      await page.getByRole('link', { name: 'Queue', exact: true }).click();
      await page.getByRole('heading', { name: 'Dr Meera Rao' }).waitFor();
      // The lane's heading comes with the schedules, its patients with the board: wait for those.
      await page.locator('li[aria-label^="Token 3,"]').waitFor();
      expect(await tokensOf(page)).toEqual(['1', '2', '3']);
      await page.getByRole('button', { name: 'Check in: Farah Khan' }).waitFor();
      await screen(page, 'queue-board');

      // Alt+↑ without a reason: refused, focus goes to the reason; with one, token 3 moves up twice.
      await page.locator('li[aria-label^="Token 3,"]').focus();
      await page.keyboard.press('Alt+ArrowUp');
      await page.getByRole('status').filter({ hasText: 'Enter a reason before moving a patient' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/^reason-/);
      await page.getByLabel('Reason for moving a patient').fill('Breathless, seen first');
      await page.locator('li[aria-label^="Token 3,"]').focus();
      await page.keyboard.press('Alt+ArrowUp');
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('.lane li .tok'))
            .map((e) => e.textContent)
            .join() === '1,3,2',
      );
      await page.locator('li[aria-label^="Token 3,"]').focus();
      await page.keyboard.press('Alt+ArrowUp');
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('.lane li .tok'))
            .map((e) => e.textContent)
            .join() === '3,1,2',
      );

      await page.getByRole('button', { name: 'Check in: Farah Khan' }).click();
      await page.getByRole('status').filter({ hasText: 'Farah Khan: Checked in: token 4' }).waitFor();
      await page.getByRole('button', { name: 'Call next' }).click();
      await page.getByRole('status').filter({ hasText: 'Called: Token 3' }).waitFor();
      await page.locator('li.active[aria-label^="Token 3,"]').waitFor();
      await screen(page, 'queue-board-called');
      expect(cspErrors).toEqual([]);
      await context.close();
    },
    LONG,
  );

  it(
    "the doctor's queue: start the called patient, finish, call the next",
    async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const page = await context.newPage();
      await signIn(page, clinic.slug, doctor);
      await page.getByRole('link', { name: 'My queue' }).click();
      await page.getByRole('button', { name: 'Start consultation: Token 3' }).click();
      await page.getByRole('button', { name: 'Done: Token 3' }).waitFor();
      await screen(page, 'queue-doctor');
      await page.getByRole('button', { name: 'Done: Token 3' }).click();
      await page.getByRole('status').filter({ hasText: 'Token 3: Done' }).waitFor();
      await page.getByRole('button', { name: 'Call next' }).click();
      await page.getByRole('status').filter({ hasText: 'Called: Token 1' }).waitFor();
      await context.close();
    },
    LONG,
  );

  it(
    'the waiting-room display: called tokens without names, live, through an API restart; another clinic shows nothing of ours',
    async () => {
      const { key } = await call('POST', '/api/v1/queue/displays', { label: 'OPD hall' });
      const hb = await signInThroughApi(api.port, other.id, deskB);
      const { key: keyB } = await call('POST', '/api/v1/queue/displays', { label: 'Hall B' }, hb);
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const page = await context.newPage();
      await page.goto(`${base}/display?key=${encodeURIComponent(key)}`);
      await page.locator('.wall-calling[data-token="1"]').waitFor();
      const text = await page.locator('main').innerText();
      expect(text).toContain('Dr Meera Rao');
      expect(text).not.toMatch(/Kavya|Arjun|Lakshmi|Farah|Raghunathan|Menon/);
      await screen(page, 'queue-display');

      // The API restarts; the page says it is reconnecting, then follows the queue again by itself.
      const port = api.port;
      const stopped = new Promise((r) => api.child.once('exit', r));
      api.child.kill('SIGTERM');
      await stopped;
      await page.getByRole('status').filter({ hasText: 'Connection lost: reconnecting…' }).waitFor();
      api = await startApiProcess({ LOG_LEVEL: 'warn' }, port);
      h = await signInThroughApi(api.port, clinic.id, desk);
      await call('POST', '/api/v1/queue/call-next', { doctorId: doctor.id });
      await page.locator('.wall-calling[data-token="2"]').waitFor();
      await page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor({ state: 'detached' });

      // Initials appear only once the clinic turns them on.
      const ha = await signInThroughApi(api.port, clinic.id, admin);
      await call(
        'PUT',
        '/api/v1/queue/settings',
        { displayInitials: true, noShowGraceMinutes: 30, turnNearAhead: 3 },
        { ...ha, 'If-Match': '"0"' },
      );
      await call('POST', '/api/v1/queue/call-next', { doctorId: doctor.id });
      await page.locator('.wall-calling[data-token="4"] small').filter({ hasText: 'FK' }).waitFor();

      const pageB = await context.newPage();
      await pageB.goto(`${base}/display?key=${encodeURIComponent(keyB)}`);
      await pageB.getByRole('heading', { name: 'Now calling' }).waitFor();
      await pageB.waitForFunction(() => document.querySelectorAll('.wall-lane').length === 0);
      expect(await pageB.locator('main').innerText()).not.toContain('Meera');
      const bad = await context.newPage();
      await bad.goto(`${base}/display?key=${encodeURIComponent(`${other.id}.${key.split('.')[1]}`)}`);
      await bad.getByRole('alert').filter({ hasText: 'This display link is not valid' }).waitFor();
      await context.close();
    },
    LONG,
  );

  it(
    'the waiting-times chart shows the median and 90th percentile per doctor per day',
    async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      const page = await context.newPage();
      await signIn(page, clinic.slug, admin);
      await page.getByRole('link', { name: 'Waiting times' }).click();
      await page.getByRole('img', { name: 'Waiting times (last 14 days)' }).waitFor();
      await page.getByRole('cell', { name: 'Dr Meera Rao' }).first().waitFor();
      await screen(page, 'queue-waits');
      await context.close();
    },
    LONG,
  );
});
