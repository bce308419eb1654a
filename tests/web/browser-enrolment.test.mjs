// Inschrijven in a real browser. Deby, beheerder of Gemeente Heerhugowaard, removes herself as
// participant with the red cross, chooses Jan through the magnifier's dialog on the maatwerk
// event, enrols him, sees the Bevestiging and uses "Nog iemand inschrijven"; Martin enrols
// himself from the Cursusagenda; a bezoeker sees the sign-up. axe-core finds nothing serious on
// any of these pages, wide or at 320 pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logIn, assertAxeClean } from './lib/browser.mjs';
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

const check = assertAxeClean;

const main = (page) => page.locator('main').innerText();

test('Deby enrols Jan through the magnifier on the maatwerk event, then someone else', async () => {
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard'");
  // the demo has Jan in this event already: he is taken out first, so Deby can enrol him
  await sql(srv.dbUrl, `UPDATE registrations SET status = 'geannuleerd' WHERE event_id = ${eid} AND person_id = (SELECT id FROM persons WHERE email = 'jan.devries@example.nl')`);
  await sql(srv.dbUrl, `UPDATE events SET seats_taken = seats_taken - 1 WHERE id = ${eid}`);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await logIn(page, srv.url, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  // the way the manual goes: Cursussen, the tab Inschrijven cursussen organisatie, the event
  await page.getByRole('link', { name: 'Cursussen', exact: true }).first().click();
  await page.getByRole('link', { name: 'Inschrijven cursussen organisatie' }).click();
  await page.waitForURL(/\/mijn\/cursussen\/organisatie$/);
  await check(page, 'Inschrijven cursussen organisatie');
  await page.getByRole('link', { name: /LV Bedreigingen openbaar groen/ }).first().click();
  await page.waitForURL(new RegExp(`/evenementen/${eid}/inschrijven$`));
  assert.match(await main(page), /Maatwerk cursussen Gemeente Heerhugowaard/);
  assert.match(await main(page), /Deelnemer\s+(✕\s+)?Deby Rummens - Heijnen/);
  await check(page, 'enrolment page');

  await page.getByRole('link', { name: 'Verwijder Deby Rummens - Heijnen als deelnemer' }).click();
  await page.waitForURL(/deelnemer=geen/);
  assert.match(await main(page), /Nog geen deelnemer gekozen/);
  const magnifier = page.getByRole('link', { name: /Kies een deelnemer/ });
  await magnifier.click();
  const dialog = page.getByRole('dialog', { name: 'Kies een deelnemer' });
  await dialog.waitFor();
  await dialog.locator('a[data-deelnemer]').first().waitFor();
  // the focus is in the dialog; Escape closes it and the focus is back on the magnifier
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus moved into the dialog');
  await check(page, 'the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'zoek-deelnemer');

  await magnifier.click();
  await dialog.waitFor();
  await dialog.getByLabel('Zoek op naam of e-mailadres').fill('Vries');
  await dialog.getByRole('button', { name: 'Zoeken' }).click();
  await dialog.getByRole('link', { name: 'Kiezen Jan de Vries' }).click();
  await page.waitForURL(/deelnemer=\d+/);
  assert.match(await main(page), /Deelnemer\s+(✕\s+)?Jan de Vries/);
  assert.match(await main(page), /Factuur aan\s+Gemeente Heerhugowaard/);
  await page.getByRole('button', { name: 'Inschrijven' }).click();
  await page.waitForURL(/\/inschrijvingen\/\d+\/bevestiging$/);
  const conf = await main(page);
  assert.match(conf, /Bevestiging/);
  assert.match(conf, /Deelnemer\s+Gemeente Heerhugowaard - Jan de Vries/);
  assert.match(conf, /Evenement\s+LV Bedreigingen openbaar groen - gemeente Heerhugowaard/);
  await check(page, 'Bevestiging');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE event_id = ${eid} AND person_id = (SELECT id FROM persons WHERE email = 'jan.devries@example.nl') AND status = 'aangemeld'`), '1');

  await page.getByRole('link', { name: 'Nog iemand inschrijven' }).click();
  await page.waitForURL(new RegExp(`/evenementen/${eid}/inschrijven`));
  assert.match(await main(page), /Nog geen deelnemer gekozen/);
  await ctx.close();
});

test('Martin enrols himself from the Cursusagenda', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await logIn(page, srv.url, 'martin.sommer@example.nl');
  await page.goto(`${srv.url}/cursusagenda?q=Optimaal`);
  await page.getByRole('link', { name: /Inschrijven voor LV Optimaal bespuiten \(VT\)/ }).click();
  await page.waitForURL(/\/evenementen\/\d+\/inschrijven$/);
  assert.match(await main(page), /Factuur aan\s+Martin Sommer/);
  await check(page, 'enrolment page as person');
  // without the terms: the message, and nothing stored
  await page.getByRole('button', { name: 'Inschrijven' }).click();
  await page.waitForLoadState();
  assert.match(await main(page), /Ga akkoord met de algemene voorwaarden/);
  assert.match(await page.title(), /^Fout:/);
  await check(page, 'enrolment page with an error');
  await page.getByLabel('Ik ga akkoord met de algemene voorwaarden en annuleringsvoorwaarden').check();
  await page.getByRole('button', { name: 'Inschrijven' }).click();
  await page.waitForURL(/\/inschrijvingen\/\d+\/bevestiging$/);
  assert.match(await main(page), /Deelnemer\s+Martin Sommer/);
  await ctx.close();
});

test('at 320 pixels the enrolment page fits, and a bezoeker\'s sign-up passes axe', async () => {
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'Basic Safety (STCW)'");
  const ctx = await browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/evenementen/${eid}/inschrijven`);
  assert.match(await main(page), /Heeft u een account\?/);
  const wide = await page.evaluate(() => document.querySelector('main').scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `main is ${wide}px wider than the window`);
  await check(page, 'sign-up at 320 px');
  await ctx.close();
});

test('Cursussen, Afmelden and Agenda-koppeling pass axe, wide and at 320 pixels', async () => {
  for (const width of [1100, 320]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    await logIn(page, srv.url, 'martin.sommer@example.nl');
    await page.goto(`${srv.url}/mijn/cursussen`);
    const t = await main(page);
    assert.match(t, /Medical Care \(STCW\)/);
    await check(page, `Mijn cursussen at ${width}`);
    const wide = await page.evaluate(() => document.querySelector('main').scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `Mijn cursussen is ${wide}px wider than the window at ${width}`);
    // the first row that can be cancelled: Afmelden asks first
    await page.locator('main input[name="inschrijving"]').first().check();
    await page.getByRole('button', { name: 'Afmelden' }).first().click();
    await page.waitForLoadState();
    assert.match(await main(page), /Afmelden/);
    await check(page, `Afmelden asks first at ${width}`);
    await page.goto(`${srv.url}/mijn/cursussen/agenda`);
    await page.getByRole('button', { name: 'Agenda-adres maken' }).or(page.getByRole('button', { name: 'Nieuw adres maken' })).click();
    await page.waitForLoadState();
    assert.match(await page.locator('#feed-url').inputValue(), /\/mijn\/cursussen\.ics\?sleutel=/);
    await check(page, `Agenda-koppeling at ${width}`);
    await ctx.close();
  }
});
