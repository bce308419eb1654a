// The participants of an event in a real browser: staff record Jan's result with the select
// and the Gevolgd checkbox, send him the invitation by ticking his name, and axe-core finds
// nothing serious on the page, wide or at 320 pixels (where the page must not scroll sideways).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logInStaff, assertAxeClean } from './lib/browser.mjs';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';

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

test('staff record a result and send the invitation; the page passes axe wide and at 320 px', async () => {
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard'");
  const reg = await sqlValue(srv.dbUrl, `SELECT r.id FROM registrations r JOIN persons p ON p.id = r.person_id WHERE r.event_id = ${eid} AND p.email = 'jan.devries@example.nl'`);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await logInStaff(page, srv);
  await page.goto(`${srv.url}/beheer/evenementen/${eid}/deelnemers`);
  assert.match(await main(page), /Deelnemers LV Bedreigingen openbaar groen/);
  await assertAxeClean(page, 'Deelnemers');

  await page.getByLabel('Resultaat van Jan de Vries').selectOption({ label: 'Geslaagd' });
  await page.getByLabel('Jan de Vries heeft de cursus gevolgd').check();
  await page.getByRole('button', { name: 'Resultaten opslaan' }).click();
  await page.getByText('De resultaten zijn opgeslagen.').waitFor();
  assert.deepEqual(await sql(srv.dbUrl, `SELECT result, attended FROM registrations WHERE id = ${reg}`), [['Geslaagd', '1']]);
  assert.equal(await page.getByLabel('Resultaat van Jan de Vries').inputValue(), `${reg}:Geslaagd`);

  await page.getByLabel('Jan de Vries: uitnodigen').check();
  await page.getByRole('button', { name: 'Uitnodiging versturen' }).click();
  await page.getByText('De uitnodiging is verstuurd.').waitFor();
  assert.equal(await sqlValue(srv.dbUrl, `SELECT invitation_sent FROM registrations WHERE id = ${reg}`), '1');
  await assertAxeClean(page, 'Deelnemers after saving');

  await page.setViewportSize({ width: 320, height: 800 });
  await page.reload();
  const wide = await page.evaluate(() => document.querySelector('main').scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `the page is ${wide}px wider than the window`);
  await assertAxeClean(page, 'Deelnemers at 320 px');
  await ctx.close();
});
