// What the browser tests share: logging in through the form as a person would, and axe-core's
// verdict as an assertion.
import assert from 'node:assert/strict';
import { axeCheck, formatViolations } from './harness.mjs';
import { PW, freshCode } from './portal.mjs';

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

/** Logs a staff member in at baseUrl with password and code, as a person would with an
 * authenticator app: the first login enrols the second factor (the key read from the page, kept
 * in srv.totpKeys as staffClient does). Ends on /beheer. */
export async function logInStaff(page, srv, email = 'administratie@example.nl') {
  srv.totpKeys ??= {};
  await page.goto(srv.url + '/inloggen?terug=%2Fbeheer');
  await page.getByLabel('Gebruikersnaam').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PW);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL((u) => u.pathname !== '/inloggen');
  const where = new URL(page.url()).pathname;
  if (where === '/inloggen/tweestapsverificatie') {
    const key = (await page.locator('.totp-key').textContent()).trim();
    srv.totpKeys[email] = key;
    await page.getByLabel('Code uit de app').fill(await freshCode(srv, email, key));
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await page.getByRole('heading', { name: 'Herstelcodes' }).waitFor();
    await page.getByRole('link', { name: 'Verder' }).click();
  } else {
    assert.equal(where, '/inloggen/code', `a code is asked of ${email}`);
    await page.getByLabel('Code', { exact: true }).fill(await freshCode(srv, email, srv.totpKeys[email]));
    await page.getByRole('button', { name: 'Inloggen' }).click();
  }
  await page.waitForURL(srv.url + '/beheer');
}

/** Fails with axe-core's serious and critical findings on the page, if any. */
export async function assertAxeClean(page, what) {
  const v = await axeCheck(page);
  assert.deepEqual(v, [], `${what}\n${formatViolations(v)}`);
}
