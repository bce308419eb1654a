// Facturen in a real browser: Deby, beheerder of Gemeente Heerhugowaard, opens Facturen from the
// Mijn menu, an invoice from the list and its PDF (a download named after the invoice). axe-core
// finds nothing serious on the list or the invoice's page, wide or at 320 pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { logIn, assertAxeClean } from './lib/browser.mjs';
import { startServer, launchBrowser } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';

let srv, browser;
const NUMBER = '2019-700001';
before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  // an open invoice of Gemeente Heerhugowaard as the store issues it: an exempt and a 21 % line
  const org = await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Gemeente Heerhugowaard'");
  await sql(srv.dbUrl, `INSERT INTO invoices (number, organisation_id, invoice_date, due_date, amount_cents, status, created_at, net_cents, vat_cents, reference, payment_reference,
      party_name, party_street, party_house_number, party_postcode, party_city, party_kvk, party_email,
      seller_name, seller_street, seller_postcode, seller_city, seller_kvk, seller_vat, seller_iban, seller_email, seller_phone)
    VALUES ('${NUMBER}', ${org}, '${isoDay(-3)}', '${isoDay(27)}', 17340, 'open', 0, 16500, 840, 'INK-2026-0042', '1000 0700001 0000',
      'Gemeente Heerhugowaard', 'Parelgracht', '2', '1700 AA', 'Heerhugowaard', '37000001', 'facturen@heerhugowaard.example.nl',
      'Onderwijsgroep Noordwest-Holland', 'Kievitstraat 31', '1782 GA', 'Den Helder', '37095212', 'NL809521234B01', 'NL91ABNA0417164300', 'info@onderwijsgroepnwh.nl', '0223-611310')`);
  const id = await sqlValue(srv.dbUrl, `SELECT id FROM invoices WHERE number = '${NUMBER}'`);
  await sql(srv.dbUrl, `INSERT INTO invoice_lines (invoice_id, description, amount_cents, vat_rate, position) VALUES (${id}, 'Maatwerk VCA - Jan de Vries', 12500, 0, 0), (${id}, 'Examengeld VCA - Jan de Vries', 4000, 21, 1)`);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const main = (page) => page.locator('main').innerText();

test('Deby opens Facturen, an invoice and its PDF; axe-clean wide and at 320 pixels', async () => {
  for (const width of [1280, 320]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    const page = await ctx.newPage();
    await logIn(page, srv.url, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
    if (width === 1280) {
      await page.getByRole('link', { name: 'Facturen', exact: true }).first().click();
    } else {
      await page.goto(srv.url + '/mijn/facturen');
    }
    await page.waitForURL(/\/mijn\/facturen$/);
    const list = await main(page);
    assert.match(list, /Openstaand/);
    assert.match(list, /Betaald/);
    await assertAxeClean(page, `Facturen at ${width} px`);
    await page.getByRole('link', { name: NUMBER, exact: true }).click();
    await page.waitForURL(new RegExp(`/mijn/facturen/${NUMBER}$`));
    const detail = await main(page);
    assert.match(detail, new RegExp(`Factuur ${NUMBER}`));
    assert.match(detail, /Vrijgesteld van btw, art\. 11 lid 1 onder o Wet OB/);
    assert.match(detail, /€ 173,40/);
    await assertAxeClean(page, `invoice at ${width} px`);
    if (width === 1280) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download als PDF' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `factuur-${NUMBER}.pdf`);
      const file = await download.path();
      assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), '%PDF-');
      // the same request's headers, as a browser gets them
      const res = await page.request.get(`${srv.url}/mijn/facturen/${NUMBER}.pdf`);
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['content-type'], 'application/pdf');
      assert.match(res.headers()['content-disposition'], new RegExp(`^attachment; filename="factuur-${NUMBER}\\.pdf"`));
    }
    await ctx.close();
  }
});
