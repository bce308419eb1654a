// The pages the hardening added, in a real browser with axe-core: the unlink page a person reaches
// from the mail after a beheerder linked their login (ask, then done), the page for a form of
// another organisation (409), and the login form's wait message of the brake.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, axeCheck, formatViolations } from './lib/harness.mjs';
import { actingAs, csrfOf, text } from './lib/portal.mjs';
import { sql } from './lib/db.mjs';

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

async function axeClean(page, what) {
  const v = await axeCheck(page);
  assert.deepEqual(v, [], `${what}\n${formatViolations(v)}`);
}

test('Martin opens the unlink link from his mail and undoes the link with one click', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const form = await deby.get('/mijn/organisatie/contactpersonen/nieuw');
  const r = await deby.post('/mijn/organisatie/contactpersonen/nieuw', {
    csrf: csrfOf(form.text), context: form.text.match(/name="context" value="([^"]+)"/)[1],
    voornaam: 'Onbekende', achternaam: 'Collega', email: 'martin.sommer@example.nl',
  });
  assert.equal(r.status, 303);
  const [mail] = await srv.waitForMail('martin.sommer@example.nl');
  const link = mail.text.match(/https?:\/\/\S+\/ontkoppelen\?token=[A-Za-z0-9_-]+/)[0];

  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await page.getByRole('heading', { name: 'Koppeling ongedaan maken' }).waitFor();
  await axeClean(page, 'unlink: ask');
  await page.getByRole('button', { name: 'Koppeling ongedaan maken' }).click();
  await page.getByRole('heading', { name: 'Koppeling ongedaan gemaakt' }).waitFor();
  await axeClean(page, 'unlink: done');
  assert.deepEqual(await sql(srv.dbUrl, "SELECT m.active FROM memberships m JOIN persons p ON p.id = m.person_id WHERE p.email = 'martin.sommer@example.nl'"), [['0']]);
});

test('a form of another organisation gets a page that says for whom one acts now', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(srv.url + '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill('deby.rummens@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Cursus!2026');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Gemeente Heerhugowaard').check();
  await page.getByRole('button', { name: 'OK' }).click();
  await page.waitForURL(srv.url + '/mijn');
  await page.goto(srv.url + '/mijn/organisatie/aanpassen');
  // another tab switches to Herenbos Schagen
  const other = await context.newPage();
  await other.goto(srv.url + '/organisatie-kiezen');
  await other.getByLabel('Herenbos Schagen').check();
  await other.getByRole('button', { name: 'OK' }).click();
  await other.close();
  await page.getByRole('button', { name: 'Aanpassen' }).click();
  await page.getByRole('heading', { name: 'Formulier van een andere organisatie' }).waitFor();
  assert.match(text(await page.content()), /U werkt nu namens Herenbos Schagen/);
  await axeClean(page, '409 page');
});

test('the brake asks an unknown browser to wait, in words and accessibly', async () => {
  const page = await (await browser.newContext()).newPage();
  for (let i = 0; i < 6; i++) {
    await page.goto(srv.url + '/inloggen');
    await page.getByLabel('Gebruikersnaam').fill('jan.devries@example.nl');
    await page.getByLabel('Wachtwoord', { exact: true }).fill('Fout!wachtwoord1');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForLoadState();
  }
  assert.match(text(await page.content()), /Probeer het over \d+ seconden? opnieuw/);
  await axeClean(page, 'login refused by the brake');
});

test('a form with errors: the summary gets the focus, links to the field, and axe finds nothing', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(srv.url + '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill('deby.rummens@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Cursus!2026');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Gemeente Heerhugowaard').check();
  await page.getByRole('button', { name: 'OK' }).click();
  await page.waitForURL(srv.url + '/mijn');
  await page.goto(srv.url + '/mijn/organisatie/aanpassen');
  await page.getByLabel('Naam').fill('');
  await page.getByRole('group', { name: 'Bezoekadres' }).getByLabel('Postcode').fill('12345');
  await page.getByRole('button', { name: 'Aanpassen' }).click();
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  assert.match(await page.title(), /^Fout: /);
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
  await axeClean(page, 'organisation form with errors');
  await page.getByRole('link', { name: /Naam: Vul de naam van de organisatie in/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-naam');
});
