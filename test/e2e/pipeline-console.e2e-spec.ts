/// <reference lib="dom" />
/**
 * Needs: PostgreSQL 15, Kafka, Kafka Connect + Debezium, Elasticsearch (all
 * started by test/support/stack.ts, jest project "pipeline"), Debian's chromium
 * (scripts/ensure-chromium.sh) and a built API (npm run build).
 *
 * The staff console's "found by search (Elasticsearch)" step: a patient
 * registered in the browser travels API → PostgreSQL → Debezium → Kafka →
 * worker → Elasticsearch, and the console then finds them with the answer
 * from the index (no database-fallback note). A second clinic's desk, also
 * answered by the index, finds nobody.
 */
import { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/database/src/data-source';
import { createUser, type TestUser } from '../support/auth';
import { signInThroughApi, startApiProcess } from '../support/api-process';
import { axe, buildConsole, launchChromium } from '../support/browser';
import { ownerUrl } from '../support/env';
import { newTenant } from '../support/fixtures';
import { eventually, pipelineEnv, startTestWorker, stopTestWorker } from '../support/stack';

jest.setTimeout(300000);

const SHOTS = resolve(process.env.HIMS_SCREENSHOT_DIR ?? join(__dirname, '../../dist/console-screenshots'));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, tablet: { width: 820, height: 1180 } };

/** A family name no other run has used (letters only: names are validated). */
function uniqueFamily(): string {
  const letters = 'bcdfghjklmnprstvz';
  let s = '';
  for (let i = 0; i < 7; i++) s += letters[randomInt(letters.length)];
  return `Es${s}`;
}

describe('staff console on the full pipeline (Elasticsearch search)', () => {
  let owner: DataSource;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let api: { child: ChildProcess; port: number };
  let browser: Browser;
  let base: string;
  let clinicA: { id: string; slug: string };
  let clinicB: { id: string; slug: string };
  let deskA: TestUser;
  let deskB: TestUser;

  beforeAll(async () => {
    buildConsole();
    owner = await createDataSource(ownerUrl(), 2).initialize();
    clinicA = await newTenant(owner, 'console-es-a');
    clinicB = await newTenant(owner, 'console-es-b');
    deskA = await createUser(owner, clinicA.id, { roles: ['receptionist'], displayName: 'Esha Desk' });
    deskB = await createUser(owner, clinicB.id, { roles: ['receptionist'], displayName: 'Bina Desk' });
    worker = await startTestWorker('console');
    api = await startApiProcess(pipelineEnv());
    base = `http://127.0.0.1:${api.port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    api?.child.kill('SIGTERM');
    await stopTestWorker(worker);
    await owner?.destroy();
  });

  async function signIn(slug: string, user: TestUser): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.locator('#clinic').fill(slug);
    await page.locator('#email').fill(user.email);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#q').waitFor();
    return page;
  }

  it('registers a patient in the browser and finds them through Elasticsearch, not the database fallback', async () => {
    const family = uniqueFamily();
    const page = await signIn(clinicA.slug, deskA);
    await page.getByRole('link', { name: 'Register patient' }).click();
    await page.locator('#f-given').fill('Meera');
    await page.locator('#f-family').fill(family);
    await page.locator('#f-gender').selectOption('female');
    await page.locator('#f-birthDate').fill('1979-08-21');
    await page.locator('#f-phone').fill('98220 12345');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    const patientId = page.url().split('/').pop()!;

    // Indexing is asynchronous: poll the same search API (its answer names its source) with a deadline.
    const headers = await signInThroughApi(api.port, clinicA.id, deskA);
    await eventually(
      async () => {
        const res = await fetch(`${base}/api/v1/search/patients?q=${family}`, { headers });
        const body = (await res.json()) as { source: string; items: { id: string }[] };
        return body.source === 'elasticsearch' && body.items.some((i) => i.id === patientId);
      },
      'the new patient found through Elasticsearch',
      180000,
    );

    await page.getByRole('link', { name: 'Find patient' }).click();
    await page.locator('#q').pressSequentially(family.toLowerCase());
    const hit = page.locator(`#result-${patientId}`);
    await hit.waitFor();
    expect(await page.getByTestId('db-fallback').count()).toBe(0);
    expect(await hit.textContent()).toContain(`Meera ${family}`);
    const violations = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    for (const [width, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(SHOTS, `search-elasticsearch-${width}.png`), fullPage: true });
    }
    await page.locator('#q').press('Enter');
    await page.waitForURL(new RegExp(`/patients/${patientId}$`));

    // Another clinic's desk, answered by the same index, finds nobody.
    const other = await signIn(clinicB.slug, deskB);
    await other.locator('#q').pressSequentially(family.toLowerCase());
    await other.getByText('No patient matches').waitFor();
    expect(await other.getByTestId('db-fallback').count()).toBe(0);
    expect(await other.locator('#results').getByRole('option').count()).toBe(0);
    await other.context().close();
    await page.context().close();
  });
});
