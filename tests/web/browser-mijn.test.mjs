// Mijn gegevens and Mijn organisatie in a real browser, wide and at 320 pixels: the values in one
// grid (label beside value when there is room, under it on a phone), the contact list with its
// account states and invitation buttons, nothing in the content wider than the window, and
// axe-core finding nothing serious.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logIn, assertAxeClean } from './lib/browser.mjs';
import { startServer, launchBrowser } from './lib/harness.mjs';

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

/** How far the content (main) reaches past the window's right edge, in pixels (0: it fits).
 * Counts main's scrollable width and every element in it that shows: one inside a box that
 * clips it (the list's column headings, hidden on a phone) is left out when that box fits. */
const overflow = (page) => page.evaluate(() => {
  const main = document.querySelector('main');
  const fits = (e) => e.getBoundingClientRect().right <= window.innerWidth + 0.5;
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== main; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible' && fits(p)) return true;
    }
    return false;
  };
  const wide = [main, ...main.querySelectorAll('*')].filter((e) => !fits(e) && !clipped(e));
  const right = Math.max(0, ...wide.map((e) => e.getBoundingClientRect().right));
  return Math.max(0, main.scrollWidth - window.innerWidth, Math.ceil(right - window.innerWidth));
});

/** Whether the value of a grid row stands beside its label (else under it). */
const beside = (page, label) => page.evaluate((l) => {
  const dt = [...document.querySelectorAll('main dl.data-grid dt')].find((e) => e.textContent.trim() === l);
  const a = dt.getBoundingClientRect();
  const b = dt.nextElementSibling.getBoundingClientRect();
  return b.left > a.left && Math.abs(b.top - a.top) < 4;
}, label);

const check = assertAxeClean;

test('Deby, beheerder: Mijn gegevens and Mijn organisatie at 1280 and at 320 pixels', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await logIn(page, srv.url, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  // a contact who is invited but has not activated yet, so the list shows every kind of row
  await page.goto(srv.url + '/mijn/organisatie/contactpersonen/nieuw');
  assert.equal(await page.getByLabel(/Stuur een uitnodiging/).isChecked(), false, 'unticked until asked');
  await page.getByLabel('Voornaam').fill('Wilhelmina');
  await page.getByLabel('Achternaam').fill('Langeachternaam-Vanderheijden');
  await page.getByLabel('E-mailadres').fill('wilhelmina.langeachternaam-vanderheijden@heerhugowaard.example.nl');
  await page.getByLabel(/Stuur een uitnodiging/).check();
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.getByText('De contactpersoon is toegevoegd.').waitFor();

  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: width === 320 ? 640 : 800 });
    await page.goto(srv.url + '/mijn/gegevens');
    await page.getByRole('heading', { name: 'Mijn gegevens', level: 1 }).waitFor();
    assert.equal(await overflow(page), 0, `Mijn gegevens at ${width}`);
    assert.equal(await beside(page, 'Functie'), width > 320, `Mijn gegevens: label and value at ${width}`);
    await check(page, `mijn gegevens (organisatie) at ${width}`);

    await page.goto(srv.url + '/mijn/organisatie');
    await page.getByRole('heading', { name: 'Contactpersonen' }).waitFor();
    assert.equal(await overflow(page), 0, `Mijn organisatie at ${width}`);
    assert.equal(await beside(page, 'Bezoekadres'), width > 320, `Mijn organisatie: label and value at ${width}`);
    // the invitation button is large enough to hit with a thumb
    const button = page.getByRole('button', { name: 'Uitnodiging opnieuw sturen aan Wilhelmina Langeachternaam-Vanderheijden' });
    const box = await button.boundingBox();
    assert.ok(box.height >= 24 && box.width >= 24, `button ${box.width}×${box.height} at ${width}`);
    assert.ok(await page.getByText('U bent de enige beheerder van uw organisatie.').isVisible());
    await check(page, `mijn organisatie (beheerder) at ${width}`);
  }

  // the button works: the notice, and the mail
  await button320(page);
  await context.close();
});

async function button320(page) {
  await page.getByRole('button', { name: 'Uitnodiging opnieuw sturen aan Wilhelmina Langeachternaam-Vanderheijden' }).click();
  await page.getByText('De uitnodiging is opnieuw verstuurd naar het e-mailadres van de contactpersoon.').waitFor();
  assert.equal(await overflow(page), 0, 'with the notice at 320');
  await check(page, 'mijn organisatie with the notice at 320');
  const mails = await srv.waitForMail('wilhelmina.langeachternaam-vanderheijden@heerhugowaard.example.nl', 2);
  assert.match(mails[1].text, /wachtwoord-instellen\?token=/);
}

test('Martin, as person: Mijn gegevens with the address block, at 1280 and at 320 pixels', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await logIn(page, srv.url, 'martin.sommer@example.nl');
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: width === 320 ? 640 : 800 });
    await page.goto(srv.url + '/mijn/gegevens');
    const address = page.locator('dt:text-is("Adres") + dd');
    // two lines: street and number, then postcode and place
    assert.deepEqual((await address.innerText()).split('\n'), ['Bernhardstraat 8', '1781 JK\u00a0\u00a0Den Helder']);
    assert.equal(await overflow(page), 0, `Mijn gegevens at ${width}`);
    assert.equal(await beside(page, 'Adres'), width > 320);
    // Aanpassen right under the values it changes
    const grid = await page.locator('main dl.data-grid').first().boundingBox();
    const edit = await page.getByRole('link', { name: 'Aanpassen' }).boundingBox();
    assert.ok(edit.y >= grid.y + grid.height && edit.y - (grid.y + grid.height) < 48, 'Aanpassen under the grid');
    await check(page, `mijn gegevens (persoon) at ${width}`);
  }
  await context.close();
});
