// What the browser tests share: logging in through the form as a person would, and axe-core's
// verdict as an assertion.
import assert from 'node:assert/strict';
import { axeCheck, formatViolations } from './harness.mjs';
import { PW } from './portal.mjs';

/** Logs in at baseUrl through Inloggen; with org, chooses it at Selecteer organisatie. */
export async function logIn(page, baseUrl, email, org) {
  await page.goto(baseUrl + '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PW);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  // /mijn, or first Selecteer organisatie for a person with organisations
  await page.waitForURL((u) => u.pathname !== '/inloggen');
  if (org) {
    await page.getByLabel(org).check();
    await page.getByRole('button', { name: 'OK' }).click();
    await page.waitForURL(baseUrl + '/mijn');
  }
}

/** Fails with axe-core's serious and critical findings on the page, if any. */
export async function assertAxeClean(page, what) {
  const v = await axeCheck(page);
  assert.deepEqual(v, [], `${what}\n${formatViolations(v)}`);
}
