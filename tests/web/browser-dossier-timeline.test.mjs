// Digitaal Dossier in a real browser: the timeline of Deby acting for Gemeente Heerhugowaard
// (registrations, a message, invoices and a credit note) and the filter, wide and at 320 pixels,
// nothing wider than the window, axe-core finding nothing serious.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logIn, assertAxeClean } from './lib/browser.mjs';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { orgId } from './lib/portal.mjs';

let srv;
let browser;
/** Gemeente Heerhugowaard's invoice numbers (the demo's and the credit note), newest first. */
let numbers;
before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  const org = await orgId(srv, 'Gemeente Heerhugowaard');
  const latest = await sqlValue(srv.dbUrl, `SELECT id FROM invoices WHERE organisation_id = ${org} ORDER BY invoice_date DESC, id DESC LIMIT 1`);
  await sql(srv.dbUrl, `INSERT INTO invoices (number, organisation_id, invoice_date, due_date, amount_cents, status, created_at, kind, credit_of) VALUES ('2026-900002', ${org}, '${isoDay(0)}', '${isoDay(30)}', -12500, 'open', ${Math.floor(Date.now() / 1000)}, 'creditnota', ${latest})`);
  numbers = (await sql(srv.dbUrl, `SELECT number FROM invoices WHERE organisation_id = ${org} ORDER BY invoice_date DESC, id DESC`)).map(([n]) => n);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const overflow = (page) => page.evaluate(() => Math.max(0, document.querySelector('main').scrollWidth - window.innerWidth));

test('the timeline and its filter, wide and at 320 px: readable and axe-clean', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await logIn(page, srv.url, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  await page.getByRole('link', { name: 'Digitaal Dossier' }).first().click();
  await page.waitForURL(srv.url + '/mijn/dossier');
  await page.getByRole('heading', { name: 'Digitaal Dossier' }).waitFor();
  assert.ok(await page.getByRole('link', { name: 'Creditfactuur 2026-900002' }).isVisible());
  assert.ok(await page.getByRole('link', { name: 'Offerte maatwerk 2027' }).isVisible());
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(srv.url + '/mijn/dossier');
    assert.equal(await overflow(page), 0, `nothing wider than ${width} px`);
    await assertAxeClean(page, `/mijn/dossier at ${width} px`);
  }
  await page.getByRole('navigation', { name: 'Soort' }).getByRole('link', { name: 'Facturen' }).click();
  await page.waitForURL(srv.url + '/mijn/dossier?soort=facturen');
  assert.ok(numbers.length >= 2 && numbers[0] === '2026-900002', numbers.join(' '));
  assert.deepEqual(
    await page.locator('.timeline-item').evaluateAll((li) => li.map((e) => e.querySelector('a[href^="/mijn/facturen/"]')?.textContent.replace(/^\S+ /, ''))),
    numbers,
    'the credit note and every invoice of the organisation, newest first',
  );
  await assertAxeClean(page, '/mijn/dossier?soort=facturen at 320 px');
  await context.close();
});
