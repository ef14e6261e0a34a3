/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { enrolmentOf, rememberEnrolment, secondFactorFor } from './mfa';

/**
 * The console's second sign-in step in the browser, as a person with an authenticator app does
 * it: on the first sign-in read the key under the QR code, then type the app's code (computed
 * from that key), keep the recovery codes shown once, continue. `screen` is called on each
 * screen (axe and screenshots in the console tests).
 */
export async function secondStepInBrowser(
  page: Page,
  user: { email: string },
  screen: (name: string) => Promise<void> = async () => undefined,
): Promise<void> {
  await page.locator('#mfa-code, #mfa-recovery').first().waitFor();
  const enrolling = (await page.locator('#mfa-title').textContent()) === 'Set up your authenticator app';
  if (enrolling) {
    await page.locator('#mfa-secret').waitFor();
    const secret = ((await page.locator('#mfa-secret').textContent()) ?? '').replace(/\s/g, '');
    rememberEnrolment(user.email, secret, [], 0);
    await screen('mfa-enrol');
  } else {
    await screen('mfa-code');
  }
  const factor = secondFactorFor(user.email);
  if ('recoveryCode' in factor) {
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.locator('#mfa-recovery').fill(factor.recoveryCode);
  } else {
    await page.locator('#mfa-code').fill(factor.code);
  }
  await page.getByRole('button', { name: 'Verify' }).click();
  if (enrolling) {
    await page.locator('#recovery-codes').waitFor();
    const codes = await page.locator('#recovery-codes code').allTextContents();
    const e = enrolmentOf(user.email)!;
    rememberEnrolment(user.email, e.secret, codes, e.lastStep);
    await screen('mfa-recovery-codes');
    await page.getByRole('button', { name: 'I have saved these codes' }).click();
  }
}
