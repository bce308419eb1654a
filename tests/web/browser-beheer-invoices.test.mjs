// Invoicing in the back office in a real browser: staff open Facturen from the menu, go to Te
// factureren, choose an event and invoice everything it shows at once, open the invoice made
// and mark it paid. axe-core finds nothing serious on these pages, 1280 and 320 pixels wide, and
// none of them scrolls sideways on the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { logInStaff, assertAxeClean } from './lib/browser.mjs';
import { sql, sqlValue, isoDay, nlDay } from './lib/db.mjs';

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

const WIDE = { width: 1280, height: 800 };
const PHONE = { width: 320, height: 640 };

async function check(page, what) {
  for (const viewport of [WIDE, PHONE]) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px at ${viewport.width}`);
    await assertAxeClean(page, `${what} at ${viewport.width} px`);
  }
  await page.setViewportSize(WIDE);
}

test('staff invoice an event from Te factureren, open the invoice and mark it paid; axe finds nothing', async () => {
  // an event with two processed registrations for Gemeente Heerhugowaard, one of its own
  const now = Math.floor(Date.now() / 1000);
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, seats_taken, price_cents, created_at)
    VALUES ((SELECT id FROM courses WHERE name = 'Licentieverlenging Gewasbescherming'), 'Browser factuurdag', '${isoDay(12)}', '${isoDay(12)}', 'Schagen', 10, 2, 12100, ${now})`);
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'Browser factuurdag'");
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, person_id, organisation_id, enrolled_by, status, price_cents, reference, created_at, processed_at)
    SELECT ${eid}, p.id, o.id, p.id, 'verwerkt', 12100, 'INK-77', ${now}, ${now} FROM persons p, organisations o
    WHERE p.email IN ('sanne.bakker@example.nl', 'pieter.vandijk@example.nl') AND o.name = 'Gemeente Heerhugowaard'`);

  const ctx = await browser.newContext({ viewport: WIDE });
  const page = await ctx.newPage();
  await logInStaff(page, srv);
  await page.getByRole('link', { name: 'Facturen', exact: true }).first().click();
  await page.waitForURL(/\/beheer\/facturen$/);
  await check(page, 'Facturen');

  await page.getByRole('link', { name: 'Te factureren en te crediteren' }).click();
  await page.waitForURL(/\/beheer\/facturen\/te-factureren$/);
  await check(page, 'Te factureren');
  await page.getByLabel('Evenement', { exact: true }).selectOption({ label: `${nlDay(12)}, Browser factuurdag` });
  await page.getByRole('button', { name: 'Filteren' }).click();
  await page.waitForURL(new RegExp(`evenement=${eid}`));
  await page.getByRole('button', { name: 'Alle 2 inschrijvingen hieronder factureren' }).click();
  await page.waitForURL(/gemaakt=/);
  const number = await sqlValue(srv.dbUrl, `SELECT i.number FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id
    JOIN registrations r ON r.id = l.registration_id WHERE r.event_id = ${eid} GROUP BY i.number`);
  assert.match(await page.locator('main').innerText(), new RegExp(`Factuur\\s+${number}\\s+is gemaakt`));
  await check(page, 'Te factureren with the invoice made');

  await page.getByRole('link', { name: number }).first().click();
  await page.waitForURL(new RegExp(`/beheer/facturen/${number}$`));
  const main = await page.locator('main').innerText();
  assert.match(main, /Gemeente Heerhugowaard/);
  assert.match(main, /INK-77/);
  await check(page, 'an open invoice');
  await page.getByLabel('Betaald op').fill('32-13-2026');
  await page.getByRole('button', { name: 'Markeer als betaald' }).click();
  await page.locator('.error-summary').waitFor();
  await check(page, 'Markeer als betaald with an error');
  await page.getByLabel('Betaald op').fill(nlDay(0));
  await page.getByRole('button', { name: 'Markeer als betaald' }).click();
  await page.getByText('De factuur is gemarkeerd als betaald.').waitFor();
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM invoices WHERE number = '${number}'`), 'betaald');
  await check(page, 'a paid invoice');
  await ctx.close();
});
