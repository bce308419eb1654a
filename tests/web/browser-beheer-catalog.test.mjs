// The back office's catalog in a real browser: staff walk Categorieën, a category's form (sent
// back with an error), Cursussen, a course with the preview of its description, Evenementen, an
// event and the question before cancelling it. axe-core finds nothing serious on any of them,
// wide or at 320 pixels, and nothing scrolls sideways on a phone.
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

test('staff walk the catalog pages; axe finds nothing serious, wide and at 320 px', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await logInStaff(page, srv);
  const seen = [];
  const check = async (what) => {
    await assertAxeClean(page, what);
    seen.push([what, page.url()]);
  };

  await page.getByRole('link', { name: 'Categorieën', exact: true }).first().click();
  await page.waitForURL(/\/beheer\/categorieen$/);
  await check('Categorieën');
  await page.getByRole('link', { name: 'Maritiem', exact: true }).click();
  await page.waitForURL(/\/beheer\/categorieen\/\d+$/);
  assert.equal(await page.getByLabel('Slug').inputValue(), 'maritiem');
  await page.getByLabel('Naam').fill('');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  assert.match(await page.title(), /^Fout: /);
  await check('a category sent back with an error');

  await page.getByRole('link', { name: 'Cursussen', exact: true }).first().click();
  await page.waitForURL(/\/beheer\/cursussen$/);
  await check('Cursussen');
  await page.getByRole('link', { name: 'Medical Care (STCW)', exact: true }).click();
  await page.waitForURL(/\/beheer\/cursussen\/\d+$/);
  await page.getByLabel('Beschrijving').fill('Vijfdaagse opleiding.\n\n## Programma\n\n- EHBO\n- **Medicatie**');
  await page.getByRole('button', { name: 'Voorbeeld van de beschrijving' }).click();
  await page.getByRole('heading', { name: 'Programma' }).waitFor();
  assert.match(await page.locator('#voorbeeld').innerText(), /Medicatie/);
  assert.match(await page.getByRole('textbox', { name: 'Beschrijving' }).inputValue(), /## Programma/, 'the text is kept');
  await check('a course with the preview');

  await page.getByRole('link', { name: 'Evenementen', exact: true }).first().click();
  await page.waitForURL(/\/beheer\/evenementen$/);
  await check('Evenementen');
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'Basic Safety (STCW)'");
  await page.locator(`a[href="/beheer/evenementen/${eid}"]`).click();
  await page.waitForURL(new RegExp(`/beheer/evenementen/${eid}$`));
  assert.match(await main(page), /Bezette plaatsen/);
  await check('an event');
  await page.getByRole('button', { name: 'Evenement annuleren' }).click();
  await page.getByRole('heading', { name: 'Evenement annuleren' }).waitFor();
  assert.match(await main(page), /Weet u zeker dat u Basic Safety \(STCW\)/);
  await check('the question before cancelling');
  await page.goto(srv.url + '/beheer/evenementen/nieuw?cursus=' + await sqlValue(srv.dbUrl, "SELECT id FROM courses WHERE name = 'Basic Safety (STCW)'"));
  await check('a new event');

  // the same pages on a phone (the forms sent back and the question are GET pages now)
  await page.setViewportSize({ width: 320, height: 640 });
  for (const [what, url] of seen) {
    await page.goto(url);
    await assertAxeClean(page, `${what} at 320 px`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 320, `${what} at 320 px scrolls sideways (${wide} px)`);
  }
  await ctx.close();
});
