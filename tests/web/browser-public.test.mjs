// The public site in a real browser (Debian's chromium): a visitor walks Ons aanbod down to a
// course, uses the agenda's filters, and axe-core finds no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, axeCheck, formatViolations } from './lib/harness.mjs';
import { sql, isoDay } from './lib/db.mjs';

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

test('Home → Ons aanbod → … → Licentieverlenging Gewasbescherming shows LV Optimaal bespuiten', async () => {
  const page = await browser.newPage();
  await page.goto(srv.url + '/');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Ons aanbod' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ons aanbod' }).waitFor();
  for (const name of ['Cursussen & Trainingen', 'Agro & Groen', 'Licentieverlengingen Gewasbescherming',
    'Licentieverlenging Gewasbescherming']) {
    await page.getByRole('main').getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  }
  const crumbs = await page.getByRole('navigation', { name: 'Kruimelpad' }).getByRole('listitem').allInnerTexts();
  assert.deepEqual(crumbs, ['Home', 'Ons aanbod', 'Cursussen & Trainingen', 'Agro & Groen',
    'Licentieverlengingen Gewasbescherming', 'Licentieverlenging Gewasbescherming']);
  const separator = await page.locator('.crumbs li + li').first()
    .evaluate((li) => getComputedStyle(li, '::before').content);
  assert.equal(separator, '"»"');
  const row = page.getByRole('row', { name: /LV Optimaal bespuiten \(VT\)/ });
  assert.match(await row.innerText(), /12/);
  await page.close();
});

test('the agenda filters by search term and location without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(srv.url + '/cursusagenda');
  await page.getByRole('searchbox', { name: 'Zoeken' }).fill('medical');
  await page.getByLabel('Locatie').selectOption('Den Helder - Kievitstraat 31');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.waitForURL(/q=medical/);
  assert.match(await page.getByRole('status').innerText(), /2 evenementen gevonden/);
  assert.equal(await page.getByRole('row').count(), 3);
  await context.close();
});

test('the pages fit a phone screen', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const p of ['/', '/cursusagenda', '/aanbod/cursussen-trainingen/maritiem/medical-care-stcw']) {
    await page.goto(srv.url + p);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${p} scrolls sideways by ${overflow}px`);
  }
  await context.close();
});

test('keyboard: the skip link is the first stop and focus is visible', async () => {
  const page = await browser.newPage();
  await page.goto(srv.url + '/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({
    text: document.activeElement.textContent,
    outline: getComputedStyle(document.activeElement).outlineStyle,
  }));
  assert.equal(focused.text, 'Naar de inhoud');
  assert.notEqual(focused.outline, 'none');
  await page.close();
});

test('the footer leads to the three pages, set in the portal\'s own typeface', async () => {
  const page = await browser.newPage();
  await page.goto(srv.url + '/cursusagenda');
  for (const name of ['Privacyverklaring', 'Cookies', 'Toegankelijkheidsverklaring']) {
    await page.getByRole('contentinfo').getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  }
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Inter' && f.status === 'loaded').length;
  });
  assert.ok(fonts >= 1, 'Inter came from /static/fonts');
  assert.match(await page.locator('body').evaluate((b) => getComputedStyle(b).fontFamily), /^"?Inter"?,/);
  const logo = page.getByRole('banner').getByRole('link', { name: 'Mijn Onderwijsgroep, naar de startpagina' });
  assert.ok(await logo.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo loads');
  await page.close();
});

test('the agenda table sorts by a column header and pages with Volgende; axe finds nothing', async () => {
  await sql(srv.dbUrl, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
    INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
    SELECT (SELECT id FROM courses WHERE slug = 'basic-safety-stcw'), 'Bladertraining ' || i,
      '${isoDay(80)}', '${isoDay(80)}', CASE i % 2 WHEN 0 THEN 'Texel' ELSE 'Den Oever' END, 10, 0, 0 FROM n`);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(srv.url + '/cursusagenda?q=bladertraining');
  await page.getByRole('columnheader', { name: 'Locatie' }).getByRole('link').click();
  await page.waitForURL(/sorteer=locatie/);
  assert.equal(await page.getByRole('columnheader', { name: 'Locatie' }).getAttribute('aria-sort'), 'ascending');
  await page.getByRole('link', { name: /Volgende/ }).click();
  await page.waitForURL(/cursor=/);
  assert.match(await page.getByRole('navigation', { name: 'Paginering' }).innerText(), /Pagina 2 van 2/);
  assert.equal(await page.getByRole('row').count(), 11);
  assert.equal(await page.getByRole('link', { name: 'Download als CSV (Excel)' }).count(), 1);
  const v = await axeCheck(page);
  assert.deepEqual(v, [], formatViolations(v));
  await context.close();
});

const pages = ['/', '/aanbod', '/aanbod/cursussen-trainingen', '/aanbod/cursussen-trainingen/agro-groen',
  '/aanbod/cursussen-trainingen/agro-groen/licentieverlengingen-gewasbescherming/licentieverlenging-gewasbescherming',
  '/aanbod/cursussen-trainingen/maritiem/medical-care-stcw', '/cursusagenda', '/cursusagenda?q=xyz&maand=2026-13', '/cursusagenda?sorteer=locatie&richting=aflopend',
  '/nieuws', '/nieuws/nieuwe-data-licentieverlenging', '/wie-zijn-wij', '/contact', '/bestaat-niet',
  '/privacyverklaring', '/cookies', '/toegankelijkheidsverklaring'];

for (const p of pages) {
  test(`axe-core: no serious or critical violations on ${p}`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(srv.url + p);
    const v = await axeCheck(page);
    assert.deepEqual(v, [], formatViolations(v));
    await context.close();
  });
}
