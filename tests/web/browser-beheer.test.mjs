// The back office in a real browser: the administratie logs in for the first time, enrols the
// second factor from the page (the key read as a person would type it into an app), keeps the
// recovery codes, lands on the start page; a later session asks for the code. axe-core finds
// nothing serious on these pages, wide or at 320 pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logInStaff, assertAxeClean } from './lib/browser.mjs';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { freshCode, PW } from './lib/portal.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const main = (page) => page.locator('main').innerText();

async function bothWidths(page, what) {
  await assertAxeClean(page, what);
  await page.setViewportSize({ width: 320, height: 640 });
  await assertAxeClean(page, `${what} at 320 px`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 320, `${what}: nothing scrolls sideways at 320 px (${wide})`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('the first login enrols the second factor; the next one asks for the code', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(srv.url + '/inloggen?terug=%2Fbeheer');
  await page.getByLabel('Gebruikersnaam').fill('administratie@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PW);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(/\/inloggen\/tweestapsverificatie$/);
  await page.getByRole('img', { name: /QR-code/ }).waitFor();
  await bothWidths(page, 'Tweestapsverificatie instellen');
  const key = (await page.locator('.totp-key').textContent()).trim();
  srv.totpKeys = { 'administratie@example.nl': key };
  // a wrong code first: the error is named and linked from the summary
  await page.getByLabel('Code uit de app').fill('12345');
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  await bothWidths(page, 'enrolment with an error');
  await page.getByLabel('Code uit de app').fill(await freshCode(srv, 'administratie@example.nl', key));
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByRole('heading', { name: 'Herstelcodes' }).waitFor();
  assert.equal(await page.locator('.recovery-code').count(), 10);
  await bothWidths(page, 'Herstelcodes');
  await page.getByRole('link', { name: 'Verder' }).click();
  await page.waitForURL(srv.url + '/beheer');
  assert.match(await main(page), /Te doen/);
  await bothWidths(page, 'Beheer start page');
  await page.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Audit' }).click();
  await page.waitForURL(/\/beheer\/audit$/);
  assert.match(await main(page), /tweestapsverificatie_aan/);
  await bothWidths(page, 'Audit');
  await ctx.close();

  const next = await browser.newContext();
  const p2 = await next.newPage();
  await logInStaff(p2, srv);
  await p2.goto(srv.url + '/mijn/gegevens/tweestapsverificatie');
  assert.match(await main(p2), /Tweestapsverificatie staat aan/);
  await bothWidths(p2, 'Tweestapsverificatie in Mijn gegevens');
  await next.close();
});

test('the code page, as a returning staff member sees it', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(srv.url + '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill('administratie@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PW);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(/\/inloggen\/code$/);
  await bothWidths(page, 'Code invoeren');
  await ctx.close();
});
