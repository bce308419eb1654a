// Import in a real browser: staff chooses a file on /beheer/import, sees the preview with the
// refused row and its reason, and imports. axe-core finds nothing serious on the upload page
// (also with an error), the preview and the outcome, wide and at 320 pixels, and nothing
// scrolls sideways on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logInStaff, assertAxeClean } from './lib/browser.mjs';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { sqlValue } from './lib/db.mjs';

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

const PHONE = { width: 320, height: 640 };
const WIDE = { width: 1280, height: 800 };

/** axe-core at both widths, and no sideways scrolling on the phone. */
async function check(page, what) {
  for (const size of [WIDE, PHONE]) {
    await page.setViewportSize(size);
    await assertAxeClean(page, `${what} at ${size.width}px`);
    if (size === PHONE) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
    }
  }
  await page.setViewportSize(WIDE);
}

const file = (text) => ({ name: 'klanten.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

test('staff previews a file with a bad row and imports the good ones', async () => {
  const ctx = await browser.newContext({ viewport: WIDE });
  const page = await ctx.newPage();
  await logInStaff(page, srv);
  await page.getByRole('link', { name: 'Import', exact: true }).first().click();
  await page.waitForURL(srv.url + '/beheer/import');
  await page.getByRole('heading', { name: 'Kolommen' }).waitFor();
  await check(page, 'Import');

  // a file that is not CSV: the error is summarised and sits at the field
  await page.getByLabel('CSV-bestand').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG\r\n\x1a\n\0\0', 'latin1') });
  await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  assert.match(await page.title(), /^Fout: Import/);
  await check(page, 'Import with an error');

  await page.getByLabel('CSV-bestand').setInputFiles(file(
    '\uFEFFvoornaam;tussenvoegsel;achternaam;e-mailadres;organisatie;kvk-nummer;rol;functie\r\n' +
    'Wieteke;van der;Wal-Ĳzerman;wieteke@import.example;Hoveniersbedrijf De Linde;24681357;beheerder;Eigenaar\r\n' +
    'Xander;;Xu;xander@@import;;;;\r\n'));
  await page.getByLabel('Activatiemails versturen').check();
  await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
  await page.waitForURL(/\/beheer\/import\/[A-Za-z0-9_-]{43}$/);
  const main = await page.locator('main').innerText();
  assert.match(main, /1 regel wordt geïmporteerd, 1 regel wordt geweigerd/);
  assert.match(main, /3\s+Xander, Xu, xander@@import\s+e-mailadres ongeldig \(xander@@import\)/);
  assert.match(main, /Activatiemails: 1/);
  await check(page, 'the preview');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM persons WHERE email = 'wieteke@import.example'"), '0');

  await page.getByRole('button', { name: 'Importeren' }).click();
  await page.getByRole('heading', { name: 'Import uitgevoerd' }).waitFor();
  await check(page, 'the outcome');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT last_name FROM persons WHERE email = 'wieteke@import.example'"), 'Wal-Ĳzerman');
  await srv.waitForMail('wieteke@import.example');
  await ctx.close();
});
