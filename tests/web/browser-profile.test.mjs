// Mijn gegevens in a real browser: Martin opens his data from the menu under his name, clicks
// Aanpassen, makes a typo in the postcode (the error stands next to the field, his input is kept),
// corrects it and sees the new postcode; axe-core finds nothing serious on any page of the feature.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logIn } from './lib/browser.mjs';
import { startServer, launchBrowser, axeCheck, formatViolations } from './lib/harness.mjs';
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

test('Mijn gegevens → Aanpassen → a typo in the postcode, then the right one', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, srv.url, 'martin.sommer@example.nl');
  await page.locator('.usermenu summary').click();
  await page.getByRole('link', { name: 'Mijn gegevens' }).click();
  await page.waitForURL(srv.url + '/mijn/gegevens');
  await page.getByRole('heading', { name: 'Mijn gegevens', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Aanpassen' }).click();
  await page.waitForURL(srv.url + '/mijn/gegevens/aanpassen');

  const postcode = page.getByLabel('Postcode');
  assert.equal(await postcode.inputValue(), '1781 JK');
  await postcode.fill('1782 G');
  await page.getByLabel('Woonplaats').fill('Den Helder');
  await page.getByRole('button', { name: 'Aanpassen' }).click();
  const error = page.locator('#f-postcode-fout');
  await error.waitFor();
  // "Fout:" is there for screen readers only
  assert.match(await error.innerText(), /^(Fout:\s*)?Vul een geldige postcode in, bijvoorbeeld 1234 AB\.$/);
  assert.match(await page.title(), /^Fout: Mijn gegevens aanpassen/);
  // the summary at the top has the focus
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
  assert.equal(await postcode.inputValue(), '1782 G', 'the typed value is kept');
  assert.equal(await postcode.getAttribute('aria-invalid'), 'true');
  assert.match(await postcode.getAttribute('aria-describedby'), /postcode-fout/);
  // the error sits inside the field's own box, right under the input
  assert.equal(await page.locator('.field.invalid').count(), 1);
  assert.equal(await page.locator('.field.invalid #f-postcode').count(), 1);
  assert.equal(await page.locator('.field.invalid #f-postcode-fout').count(), 1);
  // the summary at the top leads to the field
  await page.getByRole('link', { name: 'Postcode: Vul een geldige postcode in' }).click();
  assert.equal(await page.evaluate(() => location.hash), '#f-postcode');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-postcode');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT postcode FROM persons WHERE email = 'martin.sommer@example.nl'"), '1781 JK');

  await postcode.fill('1782ga');
  await page.getByRole('button', { name: 'Aanpassen' }).click();
  await page.waitForURL(srv.url + '/mijn/gegevens');
  await page.getByText('Uw gegevens zijn opgeslagen.').waitFor();
  // the address block: street and number over postcode and place
  const dd = page.locator('dt:text-is("Adres") + dd');
  assert.equal(await dd.innerText(), 'Bernhardstraat 8\n1782 GA\u00a0\u00a0Den Helder');
  const hist = await sql(srv.dbUrl, "SELECT field, old_value, new_value FROM person_history WHERE person_id = (SELECT id FROM persons WHERE email = 'martin.sommer@example.nl')");
  assert.deepEqual(hist, [['postcode', '1781 JK', '1782 GA']]);
  await context.close();
});

test('the forms work with the keyboard alone, without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logIn(page, srv.url, 'deby.rummens@example.nl');
  await page.goto(srv.url + '/mijn/gegevens/aanpassen');
  await page.getByLabel('Telefoon').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('06 11122233');
  await page.keyboard.press('Enter');
  await page.waitForURL(srv.url + '/mijn/gegevens');
  assert.equal(await page.locator('dt:has-text("Telefoon") + dd').innerText(), '06 11122233');
  await context.close();
});

test('axe-core: every page of Mijn gegevens, also with errors', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const check = async (what) => {
    const v = await axeCheck(page);
    assert.deepEqual(v, [], `${what}\n${formatViolations(v)}`);
  };
  await logIn(page, srv.url, 'jan.devries@example.nl');
  await page.goto(srv.url + '/mijn/gegevens');
  await check('mijn gegevens, als persoon');
  await page.goto(srv.url + '/mijn/gegevens/aanpassen');
  await check('aanpassen');
  await page.getByLabel('Voornaam').fill('');
  await page.getByLabel('Postcode').fill('0000');
  await page.getByLabel('Geboortedatum').fill('31-02-2001');
  await page.getByRole('button', { name: 'Aanpassen' }).click();
  await page.locator('#f-postcode-fout').waitFor();
  await check('aanpassen met fouten');

  // acting for the organisation (the chooser is another feature: set it on the session)
  await sql(srv.dbUrl, "UPDATE sessions SET organisation_id = (SELECT id FROM organisations WHERE name = 'Gemeente Heerhugowaard') WHERE person_id = (SELECT id FROM persons WHERE email = 'jan.devries@example.nl')");
  await page.goto(srv.url + '/mijn/gegevens');
  await page.getByText('Gemeente Heerhugowaard').first().waitFor();
  await check('mijn gegevens, via organisatie');
  await page.goto(srv.url + '/mijn/gegevens/aanpassen');
  await check('aanpassen via organisatie');
  await page.getByLabel('E-mail werk').fill('geen adres');
  await page.getByRole('button', { name: 'Aanpassen' }).click();
  await page.locator('#f-email_werk-fout').waitFor();
  await check('aanpassen via organisatie met fouten');

  await page.goto(srv.url + '/mijn/gegevens/email');
  await check('e-mailadres wijzigen');
  await page.getByLabel('Nieuw e-mailadres').fill('martin.sommer@example.nl');
  await page.getByLabel('Huidig wachtwoord').fill('Cursus!2026');
  await page.getByRole('button', { name: 'E-mailadres wijzigen' }).click();
  await page.locator('#f-email-fout').waitFor();
  await check('e-mailadres wijzigen met fout');
  await page.getByLabel('Nieuw e-mailadres').fill('jan.nieuw@example.nl');
  await page.getByLabel('Huidig wachtwoord').fill('Cursus!2026');
  await page.getByRole('button', { name: 'E-mailadres wijzigen' }).click();
  await page.getByText('We hebben een bevestigingslink gestuurd naar').waitFor();
  await check('e-mailadres wijzigen, verstuurd');
  await page.goto(srv.url + '/mijn/gegevens/email/bevestigen?token=ongeldig');
  await check('ongeldige bevestigingslink');

  await page.goto(srv.url + '/mijn/wachtwoord');
  await check('wachtwoord wijzigen');
  await page.getByLabel('Huidig wachtwoord').fill('fout');
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('abc');
  await page.getByLabel('Bevestig nieuw wachtwoord').fill('abd');
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await page.locator('#f-wachtwoord_bevestiging-fout', { hasText: 'De wachtwoorden zijn niet gelijk.' }).waitFor();
  assert.match(await page.title(), /^Fout: Wachtwoord wijzigen/);
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
  await check('wachtwoord wijzigen met fouten');
  await context.close();
});
