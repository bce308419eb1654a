// The login chapter in a real browser: password forgotten from the login page, through the link in
// the real email, to the start page with the name top right; the person's menu works without
// JavaScript; axe-core finds nothing serious on the account pages.
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

async function mailFor(to) {
  for (let i = 0; i < 80; i++) {
    const mails = (await srv.mails()).filter((m) => m.to.value[0].address === to);
    if (mails.length) return mails[mails.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail for ${to}`);
}

test('Wachtwoord vergeten: steps 1–8 of the manual', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(srv.url + '/');
  await page.getByRole('link', { name: 'Inloggen' }).click();                 // 1
  await page.getByRole('link', { name: 'Wachtwoord opvragen' }).click();      // 2
  await page.getByLabel('Gebruikersnaam').fill('jan.devries@example.nl');     // 3
  await page.getByRole('button', { name: 'Aanvragen' }).click();              // 4
  await page.getByText('Er is een bericht gestuurd naar uw e-mailadres').waitFor();
  const mail = await mailFor('jan.devries@example.nl');                       // 5
  const link = mail.html.match(/href="([^"]*wachtwoord-instellen\?token=[^"]+)"/)[1];
  await page.goto(link);                                                      // 6
  await page.getByLabel('Nieuw wachtwoord').fill('zwak');                     // 7
  await page.getByLabel('Bevestig wachtwoord').fill('zwak');
  await page.getByRole('button', { name: 'OK' }).click();
  // the message stands under the field and in the summary at the top, which has the focus
  await page.locator('#f-wachtwoord-fout', { hasText: 'Gebruik minimaal 8 tekens.' }).waitFor();
  assert.match(await page.title(), /^Fout: Nieuw wachtwoord instellen/);
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
  assert.equal(await page.getByLabel('Nieuw wachtwoord').inputValue(), '', 'the password is not filled in again');
  await page.getByLabel('Nieuw wachtwoord').fill('Kievit!Zwaluw27');
  await page.getByLabel('Bevestig wachtwoord').fill('Kievit!Zwaluw27');
  await page.getByRole('button', { name: 'OK' }).click();                     // 8
  await page.waitForURL(srv.url + '/mijn');
  assert.match(await page.locator('.usermenu summary').innerText(), /^Ingelogd als\s+Jan de Vries\s+als persoon$/);
  assert.ok(await page.locator('.usermenu summary').isVisible());
  await context.close();
});

test('log in, open the menu under the name (no JavaScript needed), log out', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(srv.url + '/cursusagenda');
  await page.getByRole('link', { name: 'Inloggen' }).click();
  await page.getByLabel('Gebruikersnaam').fill('martin.sommer@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Cursus!2026');
  await page.getByLabel('Onthoud mijn gegevens').check();
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(srv.url + '/cursusagenda', { timeout: 10000 });
  await page.getByText('Martin Sommer').first().click(); // the button; the menu repeats the name
  await page.getByRole('link', { name: 'Mijn gegevens' }).waitFor();
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL(srv.url + '/');
  await page.getByRole('link', { name: 'Inloggen' }).waitFor();
  const cookies = (await context.cookies()).map((c) => c.name);
  assert.ok(!cookies.includes('kp_onthoud') && !cookies.includes('kp_sessie') && !cookies.includes('kp_gebruiker'), cookies.join());
  await context.close();
});

test('axe-core: the account pages', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const check = async (what) => {
    const v = await axeCheck(page);
    assert.deepEqual(v, [], `${what}\n${formatViolations(v)}`);
  };
  await page.goto(srv.url + '/inloggen');
  await check('inloggen');
  await page.getByLabel('Gebruikersnaam').fill('deby.rummens@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('fout');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.locator('#f-wachtwoord-fout', { hasText: 'Gebruikersnaam of wachtwoord onjuist.' }).waitFor();
  await check('inloggen met fout');
  await page.goto(srv.url + '/wachtwoord-opvragen');
  await check('wachtwoord opvragen');
  await page.getByLabel('Gebruikersnaam').fill('onbekend@example.nl');
  await page.getByRole('button', { name: 'Aanvragen' }).click();
  await page.locator('#f-gebruikersnaam-fout', { hasText: 'Deze gebruikersnaam is niet bekend' }).waitFor();
  await check('wachtwoord opvragen, onbekend');
  await page.getByLabel('Gebruikersnaam').fill('deby.rummens@example.nl');
  await page.getByRole('button', { name: 'Aanvragen' }).click();
  await page.getByText('Er is een bericht gestuurd').waitFor();
  await check('wachtwoord opvragen, verstuurd');
  const mail = await mailFor('deby.rummens@example.nl');
  const link = mail.html.match(/href="([^"]*wachtwoord-instellen\?token=[^"]+)"/)[1];
  await page.goto(link);
  await check('wachtwoord instellen');
  await page.getByLabel('Nieuw wachtwoord').fill('abc');
  await page.getByLabel('Bevestig wachtwoord').fill('abd');
  await page.getByRole('button', { name: 'OK' }).click();
  await page.locator('#f-wachtwoord_bevestiging-fout', { hasText: 'De wachtwoorden zijn niet gelijk.' }).waitFor();
  await check('wachtwoord instellen met fouten');
  await page.goto(srv.url + '/wachtwoord-instellen?token=ongeldig');
  await check('ongeldige link');
  await page.goto(srv.url + '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill('martin.sommer@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Cursus!2026');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(srv.url + '/mijn');
  await check('mijn');
  await page.locator('.usermenu summary').click();
  await check('mijn met open menu');
  await context.close();
});
