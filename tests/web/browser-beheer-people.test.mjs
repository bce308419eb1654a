// Persons and organisations in the back office, in a real browser: the administratie finds Jan
// through the search form, opens his page, adds him to Herenbos Schagen, and walks the forms and
// the organisations. axe-core finds nothing serious on any of these pages, wide or at 320 pixels,
// and nothing scrolls sideways on a phone.
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

const main = (page) => page.locator('main').innerText();

/** axe-core, and at a phone's width nothing wider than the window. */
async function check(page, what) {
  await assertAxeClean(page, what);
  const wide = await page.evaluate(() => document.querySelector('main').scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `${what}: main is ${wide}px wider than the window`);
}

test('the administratie finds a person, adds them to an organisation and walks the organisations', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  await logInStaff(page, srv);
  const jan = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'jan.devries@example.nl'");
  const org = await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Herenbos Schagen'");
  for (const width of [1100, 320]) {
    await page.setViewportSize({ width, height: 900 });
    const at = ` at ${width}`;
    await page.goto(`${srv.url}/beheer`);
    await page.getByRole('link', { name: 'Personen' }).first().click();
    await page.waitForURL(/\/beheer\/personen$/);
    await check(page, 'Personen' + at);
    await page.getByLabel('Naam').fill('vries');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.waitForURL(/naam=vries/);
    assert.match(await main(page), /1 persoon/);
    await check(page, 'Personen, searched' + at);
    await page.getByRole('link', { name: 'Jan de Vries' }).click();
    await page.waitForURL(new RegExp(`/beheer/personen/${jan}$`));
    assert.match(await main(page), /Gemeente Heerhugowaard/);
    await check(page, 'a person' + at);
    await page.getByRole('link', { name: 'Gegevens aanpassen' }).click();
    await page.waitForURL(/\/bewerken$/);
    await check(page, 'Gegevens aanpassen' + at);
    await page.goto(`${srv.url}/beheer/personen/${jan}/organisaties?q=heren`);
    await check(page, 'Toevoegen aan organisatie' + at);
    if (width === 1100) {
      await page.getByRole('button', { name: 'Medewerker van Herenbos Schagen' }).click();
      await page.waitForURL(new RegExp(`/beheer/personen/${jan}$`));
      assert.match(await main(page), /De persoon is aan de organisatie toegevoegd\./);
      assert.match(await main(page), /Herenbos Schagen\s+Medewerker\s+Actief/);
      await check(page, 'a person with a notice' + at);
    }
    await page.goto(`${srv.url}/beheer/personen/nieuw`);
    await page.getByRole('button', { name: 'Aanmaken' }).click();
    await page.waitForLoadState();
    assert.match(await main(page), /Er is een probleem/);
    await check(page, 'Nieuwe persoon with errors' + at);

    await page.goto(`${srv.url}/beheer/organisaties`);
    await check(page, 'Organisaties' + at);
    await page.getByRole('link', { name: 'Herenbos Schagen' }).click();
    await page.waitForURL(new RegExp(`/beheer/organisaties/${org}$`));
    assert.match(await main(page), /Jan de Vries/);
    await check(page, 'an organisation' + at);
    await page.getByRole('link', { name: 'Gegevens aanpassen' }).click();
    await page.waitForURL(/\/bewerken$/);
    await check(page, 'organisation, Gegevens aanpassen' + at);
    await page.goto(`${srv.url}/beheer/organisaties/nieuw`);
    await page.getByRole('button', { name: 'Organisatie aanmaken' }).click();
    await page.waitForLoadState();
    assert.match(await main(page), /Vul de naam van de organisatie in\./);
    await check(page, 'Organisatie-toegang with errors' + at);
  }
  await ctx.close();
});
