// Digitaal Dossier in a real browser: staff write a message with an attachment to Gemeente
// Heerhugowaard through the form; Deby, acting for it, opens the message and downloads the
// attachment. axe-core finds nothing serious on the back-office page (also with an error) and
// the message page, wide and at 320 pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logIn, logInStaff, assertAxeClean } from './lib/browser.mjs';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { sqlValue } from './lib/db.mjs';

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
const WIDE = { width: 1280, height: 800 };

async function check(page, what) {
  for (const size of [WIDE, PHONE]) {
    await page.setViewportSize(size);
    await assertAxeClean(page, `${what} at ${size.width}px`);
    if (size === PHONE) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
    }
  }
  await page.setViewportSize(WIDE);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n', 'latin1');

test('staff write a message with an attachment; Deby opens it and downloads the file', async () => {
  const org = await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Gemeente Heerhugowaard'");
  const ctx = await browser.newContext({ viewport: WIDE, acceptDownloads: true });
  const page = await ctx.newPage();
  await logInStaff(page, srv);
  await page.goto(`${srv.url}/beheer/organisaties/${org}`);
  await page.getByRole('link', { name: 'Digitaal Dossier' }).click();
  await page.waitForURL(`${srv.url}/beheer/organisaties/${org}/dossier`);
  await page.getByRole('heading', { name: 'Nieuw bericht' }).waitFor();
  await check(page, 'the dossier in the back office');

  // a file that is not what its name says: refused at the field
  await page.getByLabel('Onderwerp').fill('Rooster najaar');
  await page.getByLabel('Tekst').fill('Het **rooster** voor het najaar staat in de bijlage.');
  await page.getByLabel('Bijlagen').setInputFiles({ name: 'rooster.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><body>x</body></html>') });
  await page.getByRole('button', { name: 'Versturen' }).click();
  await page.getByRole('heading', { name: 'Er is een probleem' }).waitFor();
  assert.match(await page.title(), /^Fout: /);
  await check(page, 'the dossier with a refused file');

  await page.getByLabel('Bijlagen').setInputFiles({ name: 'rooster.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Versturen' }).click();
  await page.getByText('Het bericht is verstuurd en staat in het dossier.').waitFor();
  await page.getByRole('cell', { name: 'Rooster najaar' }).waitFor();
  await ctx.close();

  const msg = await sqlValue(srv.dbUrl, "SELECT id FROM messages WHERE subject = 'Rooster najaar'");
  const deby = await browser.newContext({ viewport: WIDE, acceptDownloads: true });
  const p = await deby.newPage();
  await logIn(p, srv.url, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  await p.goto(`${srv.url}/mijn/dossier/berichten/${msg}`);
  await p.getByRole('heading', { name: 'Rooster najaar', level: 1 }).waitFor();
  assert.equal(await p.locator('.prose strong').textContent(), 'rooster');
  await check(p, 'the message');
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'rooster.pdf' }).click()]);
  assert.equal(download.suggestedFilename(), 'rooster.pdf');
  const fs = await import('node:fs/promises');
  assert.ok((await fs.readFile(await download.path())).equals(PDF));
  await deby.close();
});
