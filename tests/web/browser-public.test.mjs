// The public site in a real browser (Debian's chromium): a visitor walks Ons aanbod down to a
// course, uses the agenda's filters, on a phone too, and axe-core finds no serious or critical
// violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, axeCheck, formatViolations } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';

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

test('on a phone the agenda card, the course page and Home offer Inschrijven by the event\'s name, 44px tall', async () => {
  const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
    'oktober', 'november', 'december'];
  const start = await sqlValue(srv.dbUrl, "SELECT starts_on FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
  const when = `${Number(start.slice(8))} ${MONTHS[Number(start.slice(5, 7)) - 1]} ${start.slice(0, 4)}`;
  const name = `Inschrijven voor LV Optimaal bespuiten (VT) op ${when}`;
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const p of ['/', '/aanbod/cursussen-trainingen/agro-groen/licentieverlengingen-gewasbescherming/licentieverlenging-gewasbescherming',
    '/cursusagenda']) {
    await page.goto(srv.url + p);
    const link = page.getByRole('main').getByRole('link', { name, exact: true });
    const shown = await link.evaluate((a) => [...a.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''));
    assert.equal(shown, 'Inschrijven', `${p}: the visible word; the rest is for screen readers`);
    assert.equal(await link.locator('.sr-only').evaluate((e) => e.getBoundingClientRect().width), 1);
    const box = await link.boundingBox();
    assert.ok(box.height >= 43.5 && box.width >= 44, `${p}: ${JSON.stringify(box)}`);
    assert.ok(box.x >= 0 && box.x + box.width <= 320, `${p}: inside the window`);
  }
  const full = page.getByRole('main').getByRole('link', { name: /^Plaats op wachtlijst voor Medical Care \(STCW\) op / });
  assert.equal(await full.count(), 1);
  await page.getByRole('main').getByRole('link', { name, exact: true }).click();
  await page.waitForURL(/\/evenementen\/\d+\/inschrijven$/);
  await page.getByRole('heading', { level: 1, name: 'Licentieverlenging Gewasbescherming' }).waitFor();
  await context.close();
});

test('the agenda filters by search term and location without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(srv.url + '/cursusagenda');
  await page.getByRole('searchbox', { name: 'Zoeken' }).fill('medical');
  await page.getByLabel('Locatie').selectOption('Den Helder - Kievitstraat 31');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.waitForURL(/q=medical/);
  assert.match(await page.getByRole('status').innerText(), /2 evenementen gevonden/);
  assert.equal(await page.getByRole('row').count(), 3);
  await context.close();
});

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
  'oktober', 'november', 'december'];

test('Maand is picked from a list of months, without JavaScript', async () => {
  const ym = isoDay(21).slice(0, 7);
  const expected = await sqlValue(srv.dbUrl, `SELECT count(*) FROM events e JOIN courses c ON c.id = e.course_id
    WHERE c.maatwerk_org_id IS NULL AND e.cancelled = 0 AND e.starts_on >= '${isoDay(0)}'
    AND substr(e.starts_on, 1, 7) = '${ym}'`);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(srv.url + '/cursusagenda');
  await page.getByLabel('Maand').selectOption({ label: `${MONTHS[Number(ym.slice(5)) - 1]} ${ym.slice(0, 4)}` });
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.waitForURL(new RegExp(`maand=${ym}`));
  assert.match(await page.getByRole('status').innerText(), new RegExp(`^${expected} evenement(en)? gevonden`));
  await page.getByRole('link', { name: 'Filters wissen' }).click();
  await page.waitForURL(/\/cursusagenda$/);
  await context.close();
});

/** Many events with long, unbreakable names at a long location: the agenda at its widest. */
let manyRows;
async function addManyRows() {
  if (manyRows) return manyRows;
  await sql(srv.dbUrl, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 45)
    INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
    SELECT (SELECT id FROM courses WHERE slug = 'basic-safety-stcw'),
      'Veiligheidsbewustzijnsopfriscursusbijeenkomst ' || i, '${isoDay(90)}', '${isoDay(92)}',
      'Opleidingscentrumvergaderzaal Noordwest-Holland', 12, 0, 0 FROM n`);
  manyRows = '/cursusagenda?q=veiligheidsbewustzijn';
  return manyRows;
}

/**
 * What sticks out of the main content sideways: main scrolling itself, or an element inside it
 * past the viewport's edge (unless an ancestor that fits clips it, as a visually hidden table
 * header is). The header and its menus are measured on their own once the compact header is
 * in; this looks at the content the pages of the agenda and the catalog put in main.
 */
async function sticksOut(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const main = document.querySelector('main');
    const fits = (r) => r.left >= -0.5 && r.right <= vw + 0.5;
    const out = [];
    if (main.scrollWidth > main.clientWidth) out.push(`main is ${main.scrollWidth}px wide in ${main.clientWidth}px`);
    for (const el of main.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || fits(r)) continue;
      let clipped = false;
      for (let a = el.parentElement; a && a !== main && !clipped; a = a.parentElement) {
        clipped = getComputedStyle(a).overflowX !== 'visible' && fits(a.getBoundingClientRect());
      }
      if (!clipped) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> from ${Math.round(r.left)} to ${Math.round(r.right)}px`);
    }
    return out;
  });
}

test('at 320 × 640 nothing in the content is wider than the window (WCAG 1.4.10)', async () => {
  const many = await addManyRows();
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const p of ['/', '/aanbod', '/aanbod/cursussen-trainingen/agro-groen',
    '/aanbod/cursussen-trainingen/maritiem/medical-care-stcw', '/aanbod/cursussen-trainingen/maritiem/basic-safety-stcw',
    '/cursusagenda', many, `${many}&maand=2026-13`, '/nieuws', '/nieuws/nieuwe-data-licentieverlenging']) {
    await page.goto(srv.url + p);
    assert.deepEqual(await sticksOut(page), [], p);
    if (p.startsWith('/cursusagenda')) {
      await page.locator('main summary').click();
      await page.getByRole('searchbox', { name: 'Zoeken' }).waitFor();
      assert.deepEqual(await sticksOut(page), [], `${p} with the filters open`);
    }
  }
  // just wide enough for a table again: a long word breaks rather than push it out
  await page.setViewportSize({ width: 800, height: 640 });
  for (const p of [many, '/aanbod/cursussen-trainingen/maritiem/basic-safety-stcw']) {
    await page.goto(srv.url + p);
    assert.deepEqual(await sticksOut(page), [], `${p} at 800px`);
  }
  await context.close();
});

test('the agenda\'s filters fold away on a phone and are simply there on a wide screen, without JavaScript', async () => {
  const phone = await browser.newContext({ viewport: { width: 320, height: 640 }, javaScriptEnabled: false });
  let page = await phone.newPage();
  await page.goto(srv.url + '/cursusagenda');
  const search = page.getByRole('searchbox', { name: 'Zoeken' });
  assert.equal(await search.isVisible(), false, 'folded away on a phone');
  const box = await page.locator('main').boundingBox();
  const table = await page.locator('main table').boundingBox();
  assert.ok(table.y < box.y + 640, 'the events start on the first screen');
  await page.locator('main summary').click();
  await search.fill('medical');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.waitForURL(/q=medical/);
  assert.match(await page.getByRole('status').innerText(), /2 evenementen gevonden/);
  assert.match(await page.locator('main summary').innerText(), /Filters\s+\(1 filter actief\)/);
  await phone.close();

  const wide = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
  page = await wide.newPage();
  await page.goto(srv.url + '/cursusagenda');
  for (const label of ['Zoeken', 'Categorie', 'Maand', 'Locatie']) {
    assert.ok(await page.getByLabel(label, { exact: true }).isVisible(), `${label} is there at once`);
  }
  assert.equal(await page.locator('main summary').isVisible(), false, 'nothing to unfold');
  // the controls line up: one row, every field's top and bottom the same
  const boxes = await Promise.all(['#f-q', '#f-categorie', '#f-maand', '#f-locatie'].map((s) => page.locator(s).boundingBox()));
  const button = await page.getByRole('button', { name: 'Filter', exact: true }).boundingBox();
  for (const b of [...boxes.slice(1), button]) {
    assert.ok(Math.abs(b.y - boxes[0].y) < 1 && Math.abs(b.height - boxes[0].height) < 1,
      `aligned: ${JSON.stringify(b)} vs ${JSON.stringify(boxes[0])}`);
  }
  await wide.close();
});

test('the agenda\'s links that act are buttons: 44px tall on a phone, 24px at least on a wide screen', async () => {
  const many = await addManyRows();
  for (const [width, min] of [[320, 44], [1280, 24]]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(srv.url + many);
    if (width < 600) await page.locator('main summary').click();
    const targets = page.locator([
      'main summary', 'main .filters button', 'main .filters a', 'main thead a', 'main td a',
      'main .pager a', 'main .download a'].join(', '));
    const sizes = await targets.evaluateAll((els) => els
      .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
      .map((e) => ({ text: e.textContent.trim().slice(0, 30), h: e.getBoundingClientRect().height })));
    assert.ok(sizes.length >= 20, `${width}: ${sizes.length} targets`);
    for (const { text, h } of sizes) assert.ok(h >= min - 0.5, `${width}px: "${text}" is ${h}px tall`);
    await context.close();
  }
});

test('axe-core: the agenda at 320 × 640 (filters folded and open) and at 1280, also with many rows', async () => {
  const many = await addManyRows();
  for (const width of [320, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: width < 600 ? 640 : 800 } });
    const page = await context.newPage();
    for (const p of ['/cursusagenda', many]) {
      await page.goto(srv.url + p);
      let v = await axeCheck(page);
      assert.deepEqual(v, [], `${width} ${p}\n${formatViolations(v)}`);
      if (width > 600) continue;
      await page.locator('main summary').click();
      v = await axeCheck(page);
      assert.deepEqual(v, [], `${width} ${p} open\n${formatViolations(v)}`);
    }
    await context.close();
  }
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
