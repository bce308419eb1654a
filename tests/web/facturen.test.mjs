// Facturen: the list per context and role (Openstaand and Betaald, the shown status, a credit
// note), an invoice's page, its PDF read back with pdftotext and its e-invoice through the EN 16931
// rules, an address changed after issue leaving all three as they were, and every number of
// another person or organisation, or a malformed one, answered with 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, isoDay, nlDay } from './lib/db.mjs';
import { text, personId, orgId, actingAs } from './lib/portal.mjs';
import { validateEinvoice, noValidator } from './lib/einvoice.mjs';

let srv, martin, deby, ghhw, herenbos;
const inv = {}; // the invoices this file issues, by name: their numbers

// An issued invoice as the store writes it (migration 0025): the party and the provider copied
// in, a line per registration with its VAT rate, the totals computed from the lines.
async function issue(name, { person, org, party, status = 'open', dateOffset = -10, dueOffset = 20, kind = 'factuur', creditOf = null, reference = '', lines }) {
  const seq = 900000 + Object.keys(inv).length + 1;
  const number = `2019-${seq}`;
  const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);
  let net = 0, vat = 0;
  for (const rate of [0, 21]) {
    const base = lines.filter((l) => l.rate === rate).reduce((s, l) => s + l.net, 0);
    net += base;
    vat += Math.sign(base) * Math.round(Math.abs(base) * rate / 100);
  }
  const paid = status === 'betaald' ? isoDay(dateOffset + 5) : null;
  const creditId = creditOf ? await sqlValue(srv.dbUrl, `SELECT id FROM invoices WHERE number = '${creditOf}'`) : null;
  await sql(srv.dbUrl, `INSERT INTO invoices (number, person_id, organisation_id, invoice_date, due_date, amount_cents, status, paid_on, created_at,
      kind, credit_of, net_cents, vat_cents, reference, payment_reference,
      party_name, party_attention, party_street, party_house_number, party_postcode, party_city, party_kvk, party_email,
      seller_name, seller_street, seller_postcode, seller_city, seller_kvk, seller_vat, seller_iban, seller_email, seller_phone)
    VALUES (${q(number)}, ${person ?? 'NULL'}, ${org ?? 'NULL'}, ${q(isoDay(dateOffset))}, ${q(isoDay(dueOffset))}, ${net + vat}, ${q(status)}, ${q(paid)}, 1700000000,
      ${q(kind)}, ${creditId ?? 'NULL'}, ${net}, ${vat}, ${q(reference)}, ${q(`1000 0${seq} 0000`)},
      ${q(party.name)}, ${q(party.attention ?? '')}, ${q(party.street)}, ${q(party.nr)}, ${q(party.postcode)}, ${q(party.city)}, ${q(party.kvk ?? '')}, ${q(party.email)},
      'Onderwijsgroep Noordwest-Holland', 'Kievitstraat 31', '1782 GA', 'Den Helder', '37095212', 'NL809521234B01', 'NL91ABNA0417164300', 'info@onderwijsgroepnwh.nl', '0223-611310')`);
  const id = await sqlValue(srv.dbUrl, `SELECT id FROM invoices WHERE number = '${number}'`);
  let pos = 0;
  for (const l of lines)
    await sql(srv.dbUrl, `INSERT INTO invoice_lines (invoice_id, description, amount_cents, vat_rate, position) VALUES (${id}, ${q(l.description)}, ${l.net}, ${l.rate}, ${pos++})`);
  inv[name] = number;
  return number;
}

/** The party as it stands now in persons / organisations: what issuing copies. */
async function personParty(id) {
  const [[first, infix, last, street, nr, postcode, city, email]] = await sql(srv.dbUrl, `SELECT first_name, infix, last_name, street, house_number, postcode, city, email FROM persons WHERE id = ${id}`);
  return { name: [first, infix, last].filter(Boolean).join(' '), street, nr, postcode, city, email };
}
async function orgParty(id) {
  const [[name, street, nr, postcode, city, kvk, email]] = await sql(srv.dbUrl, `SELECT name, postal_street, postal_house_number, postal_postcode, postal_city, kvk_number, invoice_email FROM organisations WHERE id = ${id}`);
  return { name, attention: 'Deby Rummens - Heijnen', street, nr, postcode, city, kvk, email };
}

before(async () => {
  srv = await startServer();
  martin = await personId(srv, 'martin.sommer@example.nl');
  deby = await personId(srv, 'deby.rummens@example.nl');
  ghhw = await orgId(srv, 'Gemeente Heerhugowaard');
  herenbos = await orgId(srv, 'Herenbos Schagen');
  const mp = await personParty(martin), dp = await personParty(deby), gp = await orgParty(ghhw), hp = await orgParty(herenbos);
  // Martin: an exempt course, paid; a 21 % one, open and past its due date; one open in time
  await issue('martinPaid', { person: martin, party: mp, status: 'betaald', dateOffset: -60, dueOffset: -30, lines: [{ description: 'Medical Care (STCW) - Martin Sommer, 12-03-2026', net: 189500, rate: 0 }] });
  await issue('martinOverdue', { person: martin, party: mp, dateOffset: -40, dueOffset: -10, lines: [{ description: 'Excel basis - Martin Sommer', net: 25000, rate: 21 }, { description: 'Lesmateriaal', net: 1999, rate: 21 }] });
  await issue('martinOpen', { person: martin, party: mp, dateOffset: -2, dueOffset: 28, lines: [{ description: 'LV Bodem en gewas (VT) - Martin Sommer', net: 9500, rate: 0 }] });
  // Deby as person: her own paid one
  await issue('debyPaid', { person: deby, party: dp, status: 'betaald', dateOffset: -90, dueOffset: -60, lines: [{ description: 'Veilig werken langs de weg - Deby Rummens - Heijnen', net: 14500, rate: 21 }] });
  // Gemeente Heerhugowaard: open (exempt and 21 % on one invoice) and paid, and a credit note
  await issue('ghhwOpen', { org: ghhw, party: gp, reference: 'INK-2026-0042', dateOffset: -3, dueOffset: 27, lines: [{ description: 'Maatwerk VCA - Jan de Vries', net: 12500, rate: 0 }, { description: 'Examengeld VCA - Jan de Vries', net: 4000, rate: 21 }] });
  await issue('ghhwPaid', { org: ghhw, party: gp, status: 'betaald', dateOffset: -50, dueOffset: -20, lines: [{ description: 'LV Optimaal bespuiten (VT) - Sanne Bakker', net: 9500, rate: 21 }] });
  await issue('ghhwCredit', { org: ghhw, party: gp, kind: 'creditnota', creditOf: inv.ghhwPaid, status: 'betaald', dateOffset: -1, dueOffset: 29, lines: [{ description: 'Creditering: LV Optimaal bespuiten (VT) - Sanne Bakker', net: -9500, rate: 21 }] });
  // another organisation's, for the cross-organisation checks
  await issue('herenbosOpen', { org: herenbos, party: hp, lines: [{ description: 'LV Bodem en gewas (VT) - Kees Smit', net: 9500, rate: 0 }] });
});
after(async () => { await srv?.stop(); });

/** The sections of the list: heading → rows (cells as text). */
function sections(html) {
  const out = {};
  for (const m of html.matchAll(/<section aria-labelledby="(openstaand|betaald)">([\s\S]*?)<\/section>/g)) {
    const rows = [...m[2].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((r) =>
      [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]).trim()));
    out[m[1]] = { rows, text: text(m[2]) };
  }
  return out;
}
const numbersIn = (rows) => rows.map((r) => r[0].split(' ')[0]);

/** The invoice's own part of its page (not the header, which names the current context). */
const mainOf = (html) => text(html.slice(html.indexOf('<h1>'), html.indexOf('Terug naar Facturen')));

/** What the database holds for this scope: every number, by stored status. */
async function stored(where) {
  const rows = await sql(srv.dbUrl, `SELECT number, status FROM invoices WHERE ${where} ORDER BY number`);
  return { open: rows.filter((r) => r[1] === 'open').map((r) => r[0]), paid: rows.filter((r) => r[1] === 'betaald').map((r) => r[0]) };
}

async function download(c, p) {
  const res = await fetch(srv.url + p, { redirect: 'manual', headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function pdfText(bytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-pdf-'));
  try {
    const file = path.join(dir, 'f.pdf');
    fs.writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('Martin as person: his own invoices, open ones (one past due) apart from the paid one', async () => {
  const c = await actingAs(srv, 'martin.sommer@example.nl');
  const page = await c.get('/mijn/facturen');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Facturen<\/h1>/);
  const s = sections(page.text);
  assert.deepEqual(s.openstaand.rows[0].length, 5);
  const want = await stored(`person_id = ${martin} AND organisation_id IS NULL`);
  assert.deepEqual(numbersIn(s.openstaand.rows).sort(), want.open);
  assert.deepEqual(numbersIn(s.betaald.rows).sort(), want.paid);
  assert.ok(want.open.includes(inv.martinOpen) && want.open.includes(inv.martinOverdue) && want.paid.includes(inv.martinPaid));
  const row = (n) => [...s.openstaand.rows, ...s.betaald.rows].find((r) => r[0] === n);
  assert.deepEqual(row(inv.martinOverdue), [inv.martinOverdue, nlDay(-40), nlDay(-10), '€ 326,69', 'vervallen']);
  assert.deepEqual(row(inv.martinOpen), [inv.martinOpen, nlDay(-2), nlDay(28), '€ 95,00', 'open']);
  assert.deepEqual(row(inv.martinPaid), [inv.martinPaid, nlDay(-60), nlDay(-30), '€ 1.895,00', 'betaald']);
  assert.match(page.text, new RegExp(`<a href="/mijn/facturen/${inv.martinOpen}">${inv.martinOpen}</a>`));
  // nobody else's
  for (const n of [inv.debyPaid, inv.ghhwOpen, inv.ghhwPaid, inv.herenbosOpen]) assert.doesNotMatch(page.text, new RegExp(n));
});

test('Deby as person: only her own paid invoice, and the empty Openstaand says so', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  const s = sections((await c.get('/mijn/facturen')).text);
  const want = await stored(`person_id = ${deby} AND organisation_id IS NULL`);
  assert.deepEqual(numbersIn(s.betaald.rows).sort(), want.paid);
  assert.ok(want.paid.includes(inv.debyPaid));
  assert.deepEqual(numbersIn(s.openstaand.rows).sort(), want.open);
  if (!want.open.length) assert.match(s.openstaand.text, /Er staan geen facturen open\./);
  for (const n of [inv.ghhwOpen, inv.ghhwPaid, inv.martinPaid]) assert.doesNotMatch(JSON.stringify(s), new RegExp(n));
});

test('Deby as beheerder of Gemeente Heerhugowaard: the organisation\'s, a credit note marked', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const page = await c.get('/mijn/facturen');
  assert.match(text(page.text), /De facturen van Gemeente Heerhugowaard: de openstaande en de reeds betaalde/);
  const s = sections(page.text);
  const want = await stored(`organisation_id = ${ghhw}`);
  assert.deepEqual(numbersIn(s.openstaand.rows).sort(), want.open);
  assert.deepEqual(numbersIn(s.betaald.rows).sort(), want.paid);
  assert.ok(want.open.includes(inv.ghhwOpen) && want.paid.includes(inv.ghhwPaid));
  const credit = s.betaald.rows.find((r) => r[0].startsWith(inv.ghhwCredit));
  assert.deepEqual(credit, [`${inv.ghhwCredit} Creditfactuur`, nlDay(-1), nlDay(29), '-€ 114,95', 'verrekend']);
  assert.deepEqual(s.openstaand.rows.find((r) => r[0] === inv.ghhwOpen), [inv.ghhwOpen, nlDay(-3), nlDay(27), '€ 173,40', 'open']);
  for (const n of [inv.debyPaid, inv.herenbosOpen, inv.martinOpen]) assert.doesNotMatch(page.text, new RegExp(n));
});

test('Jan, medewerker of Gemeente Heerhugowaard: refused with the reason, on every invoice page', async () => {
  const c = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const page = await c.get('/mijn/facturen');
  assert.equal(page.status, 403);
  assert.match(text(page.text), /Facturen van Gemeente Heerhugowaard ziet alleen een beheerder van Gemeente Heerhugowaard/);
  assert.doesNotMatch(page.text, new RegExp(inv.ghhwOpen));
  for (const p of [inv.ghhwOpen, `${inv.ghhwOpen}.pdf`, `${inv.ghhwOpen}.xml`]) {
    const r = await c.get(`/mijn/facturen/${p}`);
    assert.equal(r.status, 403, p);
    assert.doesNotMatch(r.text, /%PDF|<Invoice/);
  }
});

test('every number of another person or organisation, and a malformed one, is 404', async () => {
  const martinC = await actingAs(srv, 'martin.sommer@example.nl');
  const ghhwC = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const herenbosC = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  const debyP = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  const cases = [
    [martinC, [inv.ghhwOpen, inv.ghhwPaid, inv.debyPaid, inv.herenbosOpen]],
    [ghhwC, [inv.martinOpen, inv.martinPaid, inv.debyPaid, inv.herenbosOpen]],
    [herenbosC, [inv.ghhwOpen, inv.ghhwCredit, inv.debyPaid]],
    // her own invoice as person is not the organisation's, and the organisation's not hers
    [debyP, [inv.ghhwOpen, inv.herenbosOpen, inv.martinOverdue]],
  ];
  for (const [c, numbers] of cases)
    for (const n of numbers)
      for (const p of [n, `${n}.pdf`, `${n}.xml`]) assert.equal((await c.get(`/mijn/facturen/${p}`)).status, 404, p);
  assert.equal((await ghhwC.get(`/mijn/facturen/${inv.debyPaid}`)).status, 404);
  for (const bad of ['2019-90000', '2019-9000011', 'F2026-0001', '2019_900001', 'abc', '2019-900001.txt', '..%2F2019-900001', '%202019-900001', '2019-900001%00'])
    for (const p of [bad, `${bad}.pdf`, `${bad}.xml`]) assert.equal((await martinC.get(`/mijn/facturen/${p}`)).status, 404, p);
  assert.equal((await martinC.get('/mijn/facturen/9999-999999')).status, 404);
  // and the anonymous go to Inloggen
  const anon = await fetch(`${srv.url}/mijn/facturen/${inv.martinOpen}.pdf`, { redirect: 'manual' });
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /^\/inloggen\?terug=/);
});

test('an invoice\'s page: party, facts, lines with their VAT rate, VAT per rate, totals, how to pay', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const page = await c.get(`/mijn/facturen/${inv.ghhwOpen}`);
  assert.equal(page.status, 200);
  const t = text(page.text);
  assert.match(page.text, new RegExp(`<h1>Factuur ${inv.ghhwOpen}</h1>`));
  const party = await orgParty(ghhw);
  assert.match(t, new RegExp(`Factuur aan ${party.name} t.a.v. Deby Rummens - Heijnen ${party.street} ${party.nr} ${party.postcode} ${party.city} KvK-nummer: ${party.kvk}`));
  assert.match(t, /Van Onderwijsgroep Noordwest-Holland Kievitstraat 31 1782 GA Den Helder KvK-nummer: 37095212 Btw-nummer: NL809521234B01/);
  assert.match(t, new RegExp(`Factuurnummer ${inv.ghhwOpen} Factuurdatum ${nlDay(-3)} Vervaldatum ${nlDay(27)} Referentie INK-2026-0042 Status open`));
  assert.match(t, /Maatwerk VCA - Jan de Vries Vrijgesteld van btw, art\. 11 lid 1 onder o Wet OB € 125,00/);
  assert.match(t, /Examengeld VCA - Jan de Vries 21% btw € 40,00/);
  assert.match(t, /Totaal excl\. btw € 165,00 Vrijgesteld van btw, over € 125,00 € 0,00 Btw 21% over € 40,00 € 8,40 Totaal btw € 8,40 Totaal te betalen € 173,40/);
  assert.match(t, /IBAN NL91ABNA0417164300 Ten name van Onderwijsgroep Noordwest-Holland Betalingskenmerk 1000 0\d+ 0000 Uiterlijk te betalen op/);
  assert.match(page.text, new RegExp(`<a class="button" href="/mijn/facturen/${inv.ghhwOpen}.pdf" download>Download als PDF</a>`));
  assert.match(page.text, new RegExp(`href="/mijn/facturen/${inv.ghhwOpen}.xml" download>Download e-factuur \\(XML\\)</a>`));

  const credit = text((await c.get(`/mijn/facturen/${inv.ghhwCredit}`)).text);
  assert.match(credit, new RegExp(`Creditfactuur ${inv.ghhwCredit}`));
  assert.match(credit, new RegExp(`Creditering van factuur ${inv.ghhwPaid}`));
  assert.match(credit, /Totaal -€ 114,95/);
  assert.doesNotMatch(credit, /Totaal te betalen/);
});

test('the PDF: a download named after the invoice, pdftotext reads number, party and amount', async () => {
  const c = await actingAs(srv, 'martin.sommer@example.nl');
  const pdf = await download(c, `/mijn/facturen/${inv.martinOverdue}.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(pdf.headers.get('content-disposition'), new RegExp(`^attachment; filename="factuur-${inv.martinOverdue}\\.pdf"`));
  assert.equal(pdf.headers.get('cache-control'), 'no-store');
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  const t = pdfText(pdf.bytes);
  assert.match(t, new RegExp(inv.martinOverdue));
  assert.match(t, /Martin Sommer/);
  assert.match(t, /326,69/);
  const credit = await download(await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard'), `/mijn/facturen/${inv.ghhwCredit}.pdf`);
  assert.match(credit.headers.get('content-disposition'), new RegExp(`filename="creditnota-${inv.ghhwCredit}\\.pdf"`));
});

test('the e-invoice of an exempt, a 21 % and a mixed invoice and of a credit note passes EN 16931', { skip: noValidator }, async () => {
  const martinC = await actingAs(srv, 'martin.sommer@example.nl');
  const ghhwC = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  for (const [c, n] of [[martinC, inv.martinPaid], [martinC, inv.martinOverdue], [ghhwC, inv.ghhwOpen], [ghhwC, inv.ghhwCredit]]) {
    const x = await download(c, `/mijn/facturen/${n}.xml`);
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('content-type'), 'application/xml');
    assert.match(x.headers.get('content-disposition'), new RegExp(`^attachment; filename="(factuur|creditnota)-${n}\\.xml"`));
    const xml = x.bytes.toString('utf8');
    assert.match(xml, new RegExp(`<cbc:ID>${n}</cbc:ID>`));
    const v = await validateEinvoice(xml);
    assert.ok(v.ok, `${n}: ${v.fatal.join('\n') || v.output}`);
  }
  const exempt = (await download(martinC, `/mijn/facturen/${inv.martinPaid}.xml`)).bytes.toString('utf8');
  assert.match(exempt, /<cbc:ID>E<\/cbc:ID>/);
  assert.match(exempt, /art\. 11 lid 1 onder o Wet OB/);
});

test('an address changed after issue leaves the page, the PDF and the e-invoice as they were', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const before = await orgParty(ghhw);
  const pageBefore = mainOf((await c.get(`/mijn/facturen/${inv.ghhwOpen}`)).text);
  const xmlBefore = (await download(c, `/mijn/facturen/${inv.ghhwOpen}.xml`)).bytes.toString('utf8');
  const pdfBefore = pdfText((await download(c, `/mijn/facturen/${inv.ghhwOpen}.pdf`)).bytes);
  await sql(srv.dbUrl, `UPDATE organisations SET name = 'Gemeente Dijk en Waard', postal_street = 'Nieuwe Laan', postal_house_number = '99', postal_postcode = '9999 ZZ', postal_city = 'Elders', kvk_number = '99999999' WHERE id = ${ghhw}`);
  await sql(srv.dbUrl, `UPDATE persons SET street = 'Verhuisd', city = 'Ergens' WHERE id = ${martin}`);
  try {
    const pageAfter = mainOf((await c.get(`/mijn/facturen/${inv.ghhwOpen}`)).text);
    assert.match(pageAfter, new RegExp(`${before.street} ${before.nr} ${before.postcode} ${before.city}`));
    assert.doesNotMatch(pageAfter, /Nieuwe Laan|9999 ZZ|Elders|99999999/);
    assert.match(pageAfter, new RegExp(`Factuur aan ${before.name} `));
    assert.equal(pageAfter, pageBefore);
    const xmlAfter = (await download(c, `/mijn/facturen/${inv.ghhwOpen}.xml`)).bytes.toString('utf8');
    assert.equal(xmlAfter, xmlBefore);
    const pdfAfter = pdfText((await download(c, `/mijn/facturen/${inv.ghhwOpen}.pdf`)).bytes);
    assert.equal(pdfAfter, pdfBefore);
    assert.doesNotMatch(pdfAfter, /Nieuwe Laan|Elders/);
    const m = await actingAs(srv, 'martin.sommer@example.nl');
    assert.doesNotMatch(pdfText((await download(m, `/mijn/facturen/${inv.martinOpen}.pdf`)).bytes), /Verhuisd|Ergens/);
  } finally {
    await sql(srv.dbUrl, `UPDATE organisations SET name = '${before.name}', postal_street = '${before.street}', postal_house_number = '${before.nr}', postal_postcode = '${before.postcode}', postal_city = '${before.city}', kvk_number = '${before.kvk}' WHERE id = ${ghhw}`);
  }
});
