// The header in a real browser (Debian's chromium) on a phone and at 400 % zoom (320 CSS pixels,
// WCAG 1.4.10): no page scrolls sideways, the main menu folds behind "Menu" and works with the
// keyboard (and without JavaScript), the name menu closes with Escape and a click outside, and
// axe-core finds nothing serious at 320 and 1280 pixels wide.
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

const PHONE = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 800 };

async function logIn(page, email, org) {
  await page.goto(srv.url + '/inloggen');
  await page.getByLabel('Gebruikersnaam').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Cursus!2026');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  if (org) {
    await page.getByLabel(org).check();
    await page.getByRole('button', { name: 'OK' }).click();
  }
  await page.waitForURL(srv.url + '/mijn');
}

async function fits(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
}

async function clean(page, what) {
  const v = await axeCheck(page);
  assert.deepEqual(v, [], `${what}\n${formatViolations(v)}`);
}

for (const viewport of [PHONE, DESKTOP]) {
  test(`${viewport.width} px: Home, Cursusagenda, Inloggen, Mijn gegevens, Mijn organisatie fit and axe finds nothing`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    for (const p of ['/', '/cursusagenda', '/inloggen']) {
      await page.goto(srv.url + p);
      await fits(page, `${p} (anonymous)`);
      await clean(page, `${p} at ${viewport.width}`);
    }
    await logIn(page, 'deby.rummens@example.nl', 'Herenbos Schagen');
    for (const p of ['/mijn', '/mijn/gegevens', '/mijn/organisatie', '/cursusagenda', '/organisatie-kiezen']) {
      await page.goto(srv.url + p);
      await fits(page, `${p} (beheerder)`);
      await clean(page, `${p} at ${viewport.width}`);
    }
    // Selecteer organisatie: every choice is a target of at least 24 by 24 pixels
    await page.goto(srv.url + '/organisatie-kiezen');
    const sizes = await page.locator('.choice').evaluateAll((rows) => rows.map((r) => {
      const input = r.querySelector('input').getBoundingClientRect();
      const label = r.querySelector('label').getBoundingClientRect();
      return [Math.min(input.width, input.height), label.height];
    }));
    assert.equal(sizes.length, 4);
    for (const [radio, label] of sizes) assert.ok(radio >= 24 && label >= 24, `choice ${radio} / ${label}px`);
    // the name menu open
    await page.goto(srv.url + '/mijn/gegevens');
    await page.locator('.usermenu summary').click();
    await fits(page, 'the open name menu');
    await clean(page, `name menu at ${viewport.width}`);
    await context.close();
  });
}

test('at 320 px the main menu is behind "Menu" and opens and closes with the keyboard', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await page.goto(srv.url + '/');
  const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
  const menu = page.locator('.navmenu > summary');
  assert.equal(await nav.count(), 0, 'folded away');
  await menu.focus();
  await page.keyboard.press('Enter');
  await nav.getByRole('link', { name: 'Cursusagenda' }).waitFor();
  await fits(page, 'the open main menu');
  await clean(page, 'main menu open at 320');
  // Tab goes into the menu, Escape closes it and puts the focus back on Menu
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Home');
  await page.keyboard.press('Escape');
  assert.equal(await nav.count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Menu');
  // Space opens, Enter closes, as a button does
  await page.keyboard.press('Space');
  await nav.getByRole('link', { name: 'Home' }).waitFor();
  await page.keyboard.press('Enter');
  assert.equal(await nav.count(), 0);
  // the links go where they say
  await page.keyboard.press('Enter');
  await nav.getByRole('link', { name: 'Cursusagenda' }).click();
  await page.waitForURL(srv.url + '/cursusagenda');
  await context.close();
});

test('without JavaScript the Menu still opens and closes', async () => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(srv.url + '/contact');
  const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
  await page.getByText('Menu', { exact: true }).click();
  await nav.getByRole('link', { name: 'Ons aanbod' }).waitFor();
  await page.getByText('Menu', { exact: true }).click();
  assert.equal(await nav.count(), 0);
  await context.close();
});

test('the name menu says for whom one acts and closes with Escape and a click outside', async () => {
  for (const viewport of [PHONE, DESKTOP]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await logIn(page, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
    await page.goto(srv.url + '/cursusagenda');
    const button = page.locator('.usermenu summary');
    assert.match(await button.innerText(), /Deby Rummens - Heijnen\s+namens Gemeente Heerhugowaard \(beheerder\)/);
    const item = page.getByRole('link', { name: 'Organisatie kiezen' });
    // keyboard: open with Enter, Escape closes and the focus is back on the button
    await button.focus();
    await page.keyboard.press('Enter');
    await item.waitFor();
    assert.match(await page.locator('.usermenu-who').innerText(), /Deby Rummens - Heijnen\s+namens Gemeente Heerhugowaard \(beheerder\)/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    assert.equal(await item.isVisible(), false, `Escape closes it at ${viewport.width}`);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY');
    // a click outside closes it
    await button.click();
    await item.waitFor();
    await page.getByRole('contentinfo').click({ position: { x: 4, y: 4 } });
    assert.equal(await item.isVisible(), false, `a click outside closes it at ${viewport.width}`);
    // Organisatie kiezen comes back to this page, with the notice
    await button.click();
    await item.click();
    await page.getByLabel('Herenbos Schagen').check();
    await page.getByRole('button', { name: 'OK' }).click();
    await page.waitForURL(srv.url + '/cursusagenda');
    assert.match(await page.getByRole('status').first().innerText(), /U werkt nu namens Herenbos Schagen \(beheerder\)\./);
    await clean(page, `agenda with the notice at ${viewport.width}`);
    await context.close();
  }
});

test('the 403 page says why, offers Organisatie kiezen, and axe finds nothing', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await logIn(page, 'deby.rummens@example.nl', 'ROC Kop van Noord-Holland');
  await page.goto(srv.url + '/mijn/organisatie/aanpassen');
  await page.getByText('Deze pagina is alleen voor beheerders van ROC Kop van Noord-Holland.').waitFor();
  await fits(page, '403 page');
  await clean(page, '403 page at 320');
  await page.getByRole('main').getByRole('link', { name: 'Organisatie kiezen' }).click();
  await page.getByLabel('Gemeente Heerhugowaard').check();
  await page.getByRole('button', { name: 'OK' }).click();
  await page.waitForURL(srv.url + '/mijn/organisatie/aanpassen');
  await context.close();
});
