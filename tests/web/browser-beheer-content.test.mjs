// The back office's news and pages in a real browser: the administratie writes a news item,
// looks at its preview, saves it as a concept, is asked before deleting it, and opens a page and
// the read-only general terms. axe-core finds nothing serious on any of these pages, wide or at
// 320 pixels, and nothing is wider than the window.
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

async function check(page, what) {
  await assertAxeClean(page, what);
  const wide = await page.evaluate(() => document.querySelector('main').scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `${what}: main is ${wide}px wider than the window`);
}

test('news and pages, wide and at 320 pixels', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  await logInStaff(page, srv);
  for (const width of [1100, 320]) {
    await page.setViewportSize({ width, height: 900 });
    const title = `Zomerrooster ${width}`;
    await page.goto(`${srv.url}/beheer`);
    await page.locator('main, nav').getByRole('link', { name: 'Nieuws', exact: true }).first().click();
    await page.waitForURL(/\/beheer\/nieuws$/);
    assert.match(await main(page), /Nieuwe data licentieverlenging gewasbescherming/);
    await check(page, `Nieuws at ${width}`);

    await page.getByRole('link', { name: 'Nieuw nieuwsbericht' }).click();
    await page.getByLabel('Titel').fill(title);
    await page.getByLabel('Tekst').fill('## Openingstijden\n\nIn juli en augustus zijn wij **op vrijdag** gesloten.');
    await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    const preview = page.locator('#voorbeeld');
    await preview.getByRole('heading', { name: 'Openingstijden' }).waitFor();
    assert.match(await preview.innerText(), /op vrijdag gesloten/);
    await check(page, `the preview at ${width}`);

    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForURL(/\/beheer\/nieuws\/\d+$/);
    assert.match(await main(page), /Het nieuwsbericht is opgeslagen\./);
    assert.match(await main(page), /Concept: nog niet op de site/);
    await check(page, `a saved concept at ${width}`);
    assert.equal(await sqlValue(srv.dbUrl, `SELECT published FROM news WHERE title = '${title}'`), '0');

    await page.getByRole('link', { name: 'Verwijderen' }).click();
    await page.waitForURL(/\/verwijderen$/);
    await check(page, `deleting asks first at ${width}`);
    await page.getByRole('button', { name: 'Ja, verwijderen' }).click();
    await page.waitForURL(/\/beheer\/nieuws$/);
    assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM news WHERE title = '${title}'`), '0');

    await page.goto(`${srv.url}/beheer/paginas`);
    await check(page, `Pagina's at ${width}`);
    await page.locator('main').getByRole('link', { name: 'Contact', exact: true }).click();
    await page.waitForURL(/\/beheer\/paginas\/contact$/);
    await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    await page.locator('#voorbeeld').waitFor();
    await check(page, `a page and its preview at ${width}`);
    await page.goto(`${srv.url}/beheer/paginas/algemene-voorwaarden`);
    assert.match(await main(page), /Deze pagina is hier niet te wijzigen/);
    await check(page, `the general terms at ${width}`);
  }
  await ctx.close();
});
