// Organisation context in a real browser: Deby logs in, picks Gemeente Heerhugowaard, adds a
// contact person who receives an invitation, switches to ROC Kop van Noord-Holland and finds the
// organisation read-only there; axe-core finds nothing serious on these pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, axeCheck, formatViolations } from './lib/harness.mjs';

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

test('Deby: Gemeente Heerhugowaard → Nieuw contactpersoon with invitation → ROC is read-only', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const check = async (what) => {
    const v = await axeCheck(page);
    assert.deepEqual(v, [], `${what}\n${formatViolations(v)}`);
  };
  await page.goto(srv.url + '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill('deby.rummens@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Cursus!2026');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('group', { name: 'Selecteer organisatie' }).waitFor();
  await check('selecteer organisatie');
  await page.getByLabel('Gemeente Heerhugowaard').check();
  await page.getByRole('button', { name: 'OK' }).click();
  await page.waitForURL(srv.url + '/mijn');

  await page.locator('.usermenu summary').click();
  await page.getByRole('link', { name: 'Mijn organisatie' }).click();
  await page.getByRole('heading', { name: 'Contactpersonen' }).waitFor();
  await check('mijn organisatie (beheerder)');
  await page.getByRole('link', { name: 'Nieuw contactpersoon' }).click();
  await check('nieuw contactpersoon');
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  // the one error pattern: the summary has the focus and leads to each field
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  assert.match(await page.title(), /^Fout: Nieuw contactpersoon/);
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
  assert.match(await page.locator('#f-voornaam-fout').innerText(), /Vul de voornaam in\.$/);
  await check('nieuw contactpersoon met fouten');
  await page.getByRole('link', { name: 'Achternaam: Vul de achternaam in.' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-achternaam');
  // not everyone has an address: the field is optional
  assert.equal(await page.getByRole('link', { name: /^E-mailadres:/ }).count(), 0);
  await page.getByLabel('Voornaam').fill('Ruben');
  await page.getByLabel('Achternaam').fill('Kaptein');
  await page.getByLabel('E-mailadres').fill('ruben.kaptein@example.nl');
  await page.getByLabel('Functie').fill('Boomverzorger');
  await page.getByLabel(/Stuur een uitnodiging/).check();
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.getByText('De contactpersoon is toegevoegd.').waitFor();
  assert.ok(await page.getByRole('cell', { name: 'Ruben Kaptein', exact: true }).isVisible());
  let mail;
  for (let i = 0; i < 80 && !mail; i++) {
    mail = (await srv.mails()).find((m) => m.to.value[0].address === 'ruben.kaptein@example.nl');
    if (!mail) await page.waitForTimeout(100);
  }
  assert.ok(mail, 'the invitation arrived');
  assert.match(mail.text, /wachtwoord-instellen\?token=/);

  await page.locator('.usermenu summary').click();
  await page.getByRole('link', { name: 'Organisatie kiezen' }).click();
  await page.getByLabel('ROC Kop van Noord-Holland').check();
  await page.getByRole('button', { name: 'OK' }).click();
  // back on the organisation page, now with a medewerker's rights
  await page.waitForURL(srv.url + '/mijn/organisatie');
  await page.getByText('ROC Kop van Noord-Holland').first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'Nieuw contactpersoon' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Aanpassen' }).count(), 0);
  await check('mijn organisatie (medewerker)');
  const forbidden = await page.goto(srv.url + '/mijn/organisatie/aanpassen');
  assert.equal(forbidden.status(), 403);
  await check('403');
  await context.close();
});

test('Deby chooses a participant: search the persons, add a colleague without an address, Kiezen', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const check = async (what) => {
    const v = await axeCheck(page);
    assert.deepEqual(v, [], `${what}\n${formatViolations(v)}`);
  };
  await page.goto(srv.url + '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill('deby.rummens@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Cursus!2026');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Gemeente Heerhugowaard').check();
  await page.getByRole('button', { name: 'OK' }).click();
  await page.waitForURL(srv.url + '/mijn');

  const terug = '/evenementen/1/inschrijven';
  await page.goto(`${srv.url}/mijn/organisatie/personen?terug=${encodeURIComponent(terug)}`);
  await page.getByRole('heading', { name: 'Personen van Gemeente Heerhugowaard' }).waitFor();
  await check('personen');
  await page.getByLabel('Zoek op naam of e-mailadres').fill('sanne');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.getByText('1 persoon gevonden').waitFor();
  assert.equal(await page.locator('#personen-lijst tbody tr').count(), 1);
  await check('personen, gezocht');

  await page.getByRole('link', { name: 'Nieuw contactpersoon' }).click();
  await page.getByLabel('Voornaam').fill('Wim');
  await page.getByLabel('Achternaam').fill('Heftruck');
  await page.getByLabel('Functie').fill('Heftruckchauffeur');
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  // back on the list, still on the way to the enrolment
  await page.getByText('De contactpersoon is toegevoegd.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/mijn/organisatie/personen');
  const row = page.locator('#personen-lijst tr', { hasText: 'Wim Heftruck' });
  assert.equal(await row.getByRole('cell', { name: 'Geen e-mailadres' }).count(), 1);
  const kiezen = row.getByRole('link', { name: 'Kiezen Wim Heftruck' });
  assert.equal(await kiezen.getAttribute('data-naam'), 'Wim Heftruck');
  const id = await kiezen.getAttribute('data-deelnemer');
  assert.match(id, /^\d+$/);
  assert.equal(await kiezen.getAttribute('href'), `${terug}?deelnemer=${id}`);
  // at 320 px the rows are cards and nothing scrolls sideways
  await page.setViewportSize({ width: 320, height: 700 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'no sideways scrolling');
  await check('personen, smal');
  await context.close();
});
