// The registrations queue in a real browser: staff log in (with the second factor), process a
// bezoeker's sign-up with its row's Verwerken, open a registration whose address belongs to an
// existing person (the match to confirm, the organisation to choose), ask to cancel one, and
// enrol someone. axe-core finds nothing serious on these pages, 1280 and 320 pixels wide, and
// none of them scrolls sideways on the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { logInStaff, assertAxeClean } from './lib/browser.mjs';
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

const WIDE = { width: 1280, height: 800 };
const PHONE = { width: 320, height: 640 };

/** A confirmed sign-up of a bezoeker in a new event; the registration's id. */
async function signUp(email, first, org = null) {
  const name = `Browsertest ${first}`;
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, seats_taken, price_cents, created_at)
    VALUES ((SELECT id FROM courses WHERE name = 'Licentieverlenging Gewasbescherming'), '${name}', '${isoDay(30)}', '${isoDay(30)}', 'Schagen', 5, 1, 9500, 0)`);
  const eid = await sqlValue(srv.dbUrl, `SELECT id FROM events WHERE name = '${name}'`);
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, status, source, price_cents, created_at, confirmed_at, applicant_first_name, applicant_infix,
    applicant_last_name, applicant_email, applicant_street, applicant_house_number, applicant_postcode, applicant_city, applicant_phone, applicant_org_name,
    applicant_invoice_address) VALUES (${eid}, 'aangemeld', 'formulier', 9500, ${Math.floor(Date.now() / 1000)}, 1, '${first}', '', 'Bakker', '${email}', 'Dorpsstraat', '1', '1741 BC',
    'Schagen', '06 12345678', ${org ? `'${org}'` : 'NULL'}, ${org ? "'Postbus 1, 1740 AA Schagen'" : 'NULL'})`);
  return sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE applicant_email = '${email}' AND event_id = ${eid}`);
}

async function check(page, what) {
  for (const viewport of [WIDE, PHONE]) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px at ${viewport.width}`);
    await assertAxeClean(page, `${what} at ${viewport.width} px`);
  }
  await page.setViewportSize(WIDE);
}

test('staff process, confirm a match, ask to cancel and enrol someone; axe finds nothing', async () => {
  const fresh = await signUp('browser.bezoeker@voorbeeld.nl', 'Bram');
  const known = await signUp('martin.sommer@example.nl', 'Maarten', 'Bakkerij Bakker');
  const ctx = await browser.newContext({ viewport: WIDE });
  const page = await ctx.newPage();
  await logInStaff(page, srv);

  await page.getByRole('link', { name: 'Inschrijvingen', exact: true }).first().click();
  await page.waitForURL(/\/beheer\/inschrijvingen$/);
  await page.getByRole('button', { name: /^Verwerken Bram Bakker/ }).click();
  await page.waitForURL(/\/beheer\/inschrijvingen$/);
  assert.match(await page.locator('main').innerText(), /De inschrijving is verwerkt/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE id = ${fresh}`), 'verwerkt');
  await check(page, 'the queue with a notice');

  // the existing person: the match and the organisation on the registration's page
  await page.getByRole('link', { name: /^Koppeling bevestigen Maarten Bakker/ }).click();
  await page.waitForURL(new RegExp(`/beheer/inschrijvingen/${known}$`));
  assert.match(await page.locator('main').innerText(), /Er bestaat al een persoon met het e-mailadres martin\.sommer@example\.nl/);
  await check(page, 'a registration with a match');
  await page.getByLabel('De persoon (organisatie niet koppelen)').check();
  await page.getByRole('button', { name: /koppelen en verwerken/ }).click();
  await page.waitForURL(new RegExp(`/beheer/inschrijvingen/${known}$`));
  assert.equal(await sqlValue(srv.dbUrl, `SELECT person_id FROM registrations WHERE id = ${known}`),
    await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'martin.sommer@example.nl'"));

  // cancelling asks first
  await page.getByRole('button', { name: 'Inschrijving annuleren' }).click();
  await page.getByRole('button', { name: 'Ja, annuleren' }).waitFor();
  await check(page, 'a processed registration with its history and the question before cancelling');

  // enrol someone: search, choose, the form
  await page.goto(srv.url + '/beheer/inschrijvingen/nieuw');
  await page.getByLabel('Zoek op naam of e-mailadres').fill('jan de vries');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.waitForURL(/q=jan/);
  await check(page, 'Iemand inschrijven: the persons found');
  await page.getByRole('link', { name: /^Kiezen Jan de Vries/ }).click();
  await page.getByLabel('Evenement', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Inschrijven' }).click();
  assert.match(await page.locator('main').innerText(), /Kies het evenement\./);
  await check(page, 'Iemand inschrijven with an error');
  await ctx.close();
});
