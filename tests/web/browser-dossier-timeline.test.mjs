// Digitaal Dossier in a real browser: the timeline of Deby acting for Gemeente Heerhugowaard
// (registrations, a message, invoices and a credit note) and the filter, wide and at 320 pixels,
// nothing wider than the window, axe-core finding nothing serious.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logIn, assertAxeClean } from './lib/browser.mjs';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { sql, isoDay } from './lib/db.mjs';
import { orgId } from './lib/portal.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  const org = await orgId(srv, 'Gemeente Heerhugowaard');
  await sql(srv.dbUrl, `INSERT INTO invoices (number, organisation_id, invoice_date, due_date, amount_cents, status, created_at, kind) VALUES ('2026-900002', ${org}, '${isoDay(0)}', '${isoDay(30)}', -12500, 'open', ${Math.floor(Date.now() / 1000)}, 'creditnota')`);
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
  assert.equal(await page.locator('.timeline-item').count(), 2, 'the credit note and the invoice');
  await assertAxeClean(page, '/mijn/dossier?soort=facturen at 320 px');
  await context.close();
});
