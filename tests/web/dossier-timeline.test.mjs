// Digitaal Dossier, the timeline /mijn/dossier: registrations with their steps, messages and
// invoices newest first with the day in Dutch; each context and role sees exactly its own file
// (Martin; Deby as person; Deby as beheerder of Gemeente Heerhugowaard; Jan as medewerker
// there and as person); another organisation's invoice and message never show; the filter by kind; the next
// page by key. Items are put at known moments by SQL; the demo's invoices are found by what they
// invoice (their lines), so their numbers and amounts come from the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { text, personId, orgId, actingAs } from './lib/portal.mjs';

let srv;
const ids = {};
/** The demo's invoices this test reads, by whose and what: { id, number, amount } (amount as shown). */
const inv = {};
/** Another organisation's items: never in any file below. */
let FOREIGN;

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
/** '5 maart 2027' for today plus n days. */
const longDay = (n) => { const [y, m, d] = isoDay(n).split('-').map(Number); return `${d} ${MONTHS[m - 1]} ${y}`; };
/** Unix seconds of today plus n days at 10:00 UTC (the same day in Amsterdam). */
const at = (n) => Date.parse(`${isoDay(n)}T10:00:00Z`) / 1000;
/** '€ 1.895,00', '-€ 125,00': cents as a Dutch amount. */
const euro = (cents) => {
  const v = Math.abs(cents);
  const euros = String(Math.floor(v / 100)).replace(/\B(?=(\d{3})+$)/g, '.');
  return `${cents < 0 ? '-' : ''}€ ${euros},${String(v % 100).padStart(2, '0')}`;
};
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (...numbers) => new RegExp(numbers.map(escapeRe).join('|'));

/** The timeline's items as text, in the order shown. */
function items(html) {
  return [...html.matchAll(/<li class="timeline-item">([\s\S]*?)<\/li>/g)].map((m) => text(m[1]).replace(/ ([:,])/g, '$1').trim());
}
async function timeline(c, query = '') {
  const r = await c.get(`/mijn/dossier${query}`);
  assert.equal(r.status, 200);
  return { html: r.text, items: items(r.text) };
}

const insertInvoice = (number, { person = null, org = null, day, created, amount, status = 'open', kind = 'factuur', creditOf = null }) =>
  sql(srv.dbUrl, `INSERT INTO invoices (number, person_id, organisation_id, invoice_date, due_date, amount_cents, status, created_at, kind, credit_of) VALUES ('${number}', ${person}, ${org}, '${isoDay(day)}', '${isoDay(day + 30)}', ${amount}, '${status}', ${created}, '${kind}', ${creditOf})`);
const insertMessage = (subject, { person = null, org = null, created }) =>
  sql(srv.dbUrl, `INSERT INTO messages (person_id, organisation_id, subject, body, created_at) VALUES (${person}, ${org}, '${subject}', 'Tekst', ${created})`);

before(async () => {
  srv = await startServer();
  ids.martin = await personId(srv, 'martin.sommer@example.nl');
  ids.deby = await personId(srv, 'deby.rummens@example.nl');
  ids.jan = await personId(srv, 'jan.devries@example.nl');
  ids.sanne = await personId(srv, 'sanne.bakker@example.nl');
  ids.kees = await personId(srv, 'kees.visser@example.nl');
  ids.ghhw = await orgId(srv, 'Gemeente Heerhugowaard');
  ids.herenbos = await orgId(srv, 'Herenbos Schagen');
  const reg = (person, event) => sqlValue(srv.dbUrl, `SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.person_id = ${person} AND e.name LIKE '${event}%' ORDER BY r.id LIMIT 1`);
  const place = (id, created, processed) => sql(srv.dbUrl, `UPDATE registrations SET created_at = ${at(created)}, processed_at = ${at(processed)} WHERE id = ${id}`);
  // the invoice with a line for this registration (or, for a maatwerk event invoiced whole, this
  // event), dated `day` days from today (due 30 days later): the timeline shows it on its date
  const invoiceFor = async (line, day) => {
    const [[id, number, cents]] = await sql(srv.dbUrl, `SELECT i.id, i.number, i.amount_cents FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id WHERE l.${line} AND i.kind = 'factuur'`);
    if (day !== undefined) await sql(srv.dbUrl, `UPDATE invoices SET invoice_date = '${isoDay(day)}', due_date = '${isoDay(day + 30)}' WHERE id = ${id}`);
    return { id, number, amount: euro(Number(cents)) };
  };
  // Martin's file at known moments: the past Medical Care made and processed before it was
  // held, its invoice after; LV Bodem made and processed, the message, LV Bodem's open invoice
  const mc = await reg(ids.martin, 'Medical Care');
  const lv = await reg(ids.martin, 'LV Bodem');
  await place(mc, -340, -339);
  await place(lv, -20, -19);
  await sql(srv.dbUrl, `UPDATE messages SET created_at = ${at(-10)} WHERE person_id = ${ids.martin}`);
  inv.martinMc = await invoiceFor(`registration_id = ${mc}`, -318);
  inv.martinLv = await invoiceFor(`registration_id = ${lv}`, -5);
  // and a registration made 3 days ago and cancelled yesterday
  const ev = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, person_id, enrolled_by, status, created_at, cancelled_at) VALUES (${ev}, ${ids.martin}, ${ids.martin}, 'geannuleerd', ${at(-3)}, ${at(-1)})`);
  ids.lvEvent = ev;
  // The past LV session: Deby paid for herself, Sanne on Gemeente Heerhugowaard's invoice
  const debyLv = await reg(ids.deby, 'LV Gewasbescherming in de praktijk');
  const sanneLv = await reg(ids.sanne, 'LV Gewasbescherming in de praktijk');
  await place(debyLv, -345, -344);
  await place(sanneLv, -345, -344);
  inv.deby = await invoiceFor(`registration_id = ${debyLv}`, -328);
  inv.ghhwLv = await invoiceFor(`registration_id = ${sanneLv}`, -328);
  // Gemeente Heerhugowaard's: Jan's maatwerk registration, the offer message, the maatwerk's
  // invoice (for the event as a whole)
  const maatwerk = await sqlValue(srv.dbUrl, `SELECT r.id FROM registrations r WHERE r.person_id = ${ids.jan} AND r.organisation_id = ${ids.ghhw}`);
  await place(maatwerk, -30, -29);
  await sql(srv.dbUrl, `UPDATE messages SET created_at = ${at(-6)} WHERE organisation_id = ${ids.ghhw}`);
  inv.ghhwMaatwerk = await invoiceFor(`event_id = (SELECT event_id FROM registrations WHERE id = ${maatwerk})`, -3);
  // a message to Deby; Jan: a message to him
  await insertMessage('Persoonlijk bericht voor Deby', { person: ids.deby, created: at(-2) });
  await insertMessage('Bericht voor Jan', { person: ids.jan, created: at(-4) });
  // another organisation's: must never show in the files below (with the demo's Herenbos invoice)
  inv.herenbos = await invoiceFor(`registration_id = ${await reg(ids.kees, 'LV Bodem')}`);
  await insertInvoice('2026-900999', { org: ids.herenbos, day: -1, created: at(-1), amount: 99900 });
  await insertMessage('Geheim van Herenbos', { org: ids.herenbos, created: at(-1) });
  FOREIGN = anyOf('2026-900999', 'Geheim van Herenbos', inv.herenbos.number);
  // and a credit note correcting part of Gemeente Heerhugowaard's maatwerk invoice
  await insertInvoice('2026-900002', { org: ids.ghhw, day: -1, created: at(-1), amount: -12500, kind: 'creditnota', creditOf: inv.ghhwMaatwerk.id });
  // every invoice found is a different one, and none of them is the foreign one
  const numbers = Object.values(inv).map((i) => i.number);
  assert.equal(new Set(numbers).size, numbers.length, numbers.join(' '));
});
after(async () => { await srv?.stop(); });

test('Martin: every item of his file newest first, registrations step by step, days in Dutch, links', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const { html, items: got } = await timeline(martin);
  assert.match(html, /<title>Digitaal Dossier/);
  assert.match(html, /<a href="\/mijn\/dossier" aria-current="page">Digitaal Dossier[ <]/, 'the Mijn menu item');
  const expected = [
    [longDay(-1), 'Inschrijving', 'Geannuleerd: LV Optimaal bespuiten (VT)'],
    [longDay(-3), 'Inschrijving', 'Aangemeld: LV Optimaal bespuiten (VT)'],
    [longDay(-5), 'Factuur', `Factuur ${inv.martinLv.number}`, `${inv.martinLv.amount}, open`],
    [longDay(-10), 'Bericht', 'Certificaat Medical Care (STCW)'],
    [longDay(-19), 'Inschrijving', 'Bevestigd: LV Bodem en gewas (VT) - Licentieverlenging Gewasbescherming', 'Deelnemer: Martin Sommer'],
    [longDay(-20), 'Inschrijving', 'Aangemeld: LV Bodem en gewas (VT)'],
    [longDay(-318), 'Factuur', `Factuur ${inv.martinMc.number}`, `${inv.martinMc.amount}, betaald`],
    [longDay(-339), 'Inschrijving', 'Bevestigd: Medical Care (STCW)'],
    [longDay(-340), 'Inschrijving', 'Aangemeld: Medical Care (STCW)'],
  ];
  assert.equal(got.length, expected.length, got.join('\n'));
  expected.forEach((parts, i) => {
    assert.ok(got[i].startsWith(`${parts[0]} ${parts[1]}`), `item ${i}: ${got[i]}`);
    for (const p of parts.slice(2)) assert.ok(got[i].includes(p), `item ${i} has ${p}: ${got[i]}`);
  });
  assert.match(got[2], new RegExp(`vervaldatum ${longDay(25)}$`));
  assert.doesNotMatch(got[6], /vervaldatum/, 'a paid invoice has no due date');
  // the links: the message page, the invoice page, Cursussen for an active registration only
  const msg = await sqlValue(srv.dbUrl, `SELECT id FROM messages WHERE person_id = ${ids.martin}`);
  assert.match(html, new RegExp(`<a href="/mijn/dossier/berichten/${msg}">Certificaat Medical Care \\(STCW\\)</a>`));
  for (const { number } of [inv.martinLv, inv.martinMc]) {
    assert.match(html, new RegExp(`<a href="/mijn/facturen/${escapeRe(number)}">Factuur ${escapeRe(number)}</a>`));
  }
  assert.match(html, /<strong>Bevestigd<\/strong>: <a href="\/mijn\/cursussen">Medical Care \(STCW\)<\/a>/);
  assert.match(html, /<strong>Geannuleerd<\/strong>: LV Optimaal bespuiten \(VT\)/, 'a cancelled one is not under Cursussen');
  assert.match(html, new RegExp(`<time datetime="${isoDay(-5)}">${longDay(-5)}</time>`));
  assert.doesNotMatch(html, FOREIGN);
  assert.doesNotMatch(html, /Deby|Sanne|Offerte maatwerk|Bericht voor Jan|LV Gewasbescherming in de praktijk/);
  assert.doesNotMatch(html, anyOf(inv.deby.number, inv.ghhwLv.number, inv.ghhwMaatwerk.number, '2026-900002'));
});

test('the filter by kind; an unknown kind shows everything with a notice', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const reg = await timeline(martin, '?soort=inschrijvingen');
  assert.equal(reg.items.length, 6);
  assert.ok(reg.items.every((i) => / Inschrijving /.test(i)), reg.items.join('\n'));
  assert.match(reg.html, /<a href="\/mijn\/dossier\?soort=inschrijvingen" aria-current="page">Inschrijvingen<\/a>/);
  const msg = await timeline(martin, '?soort=berichten');
  assert.deepEqual(msg.items.map((i) => i.replace(/^.* Bericht /, '')), ['Certificaat Medical Care (STCW) ongelezen']);
  const invoices = await timeline(martin, '?soort=facturen');
  assert.deepEqual(invoices.items.map((i) => i.match(/ Factuur Factuur (\S+) /)?.[1]), [inv.martinLv.number, inv.martinMc.number]);
  for (const q of ['?soort=onzin', '?soort=%3Cscript%3E']) {
    const all = await timeline(martin, q);
    assert.equal(all.items.length, 9, q);
    assert.match(all.html, /Deze soort kennen we niet\. U ziet alles\./);
    assert.match(all.html, /<a href="\/mijn\/dossier" aria-current="page">Alles<\/a>/);
  }
  assert.doesNotMatch((await timeline(martin)).html, /Deze soort kennen we niet/);
  // an undeclared field changes nothing: no one else's file through the query
  const forged = await timeline(martin, `?organisatie=${ids.herenbos}&person_id=${ids.deby}`);
  assert.equal(forged.items.length, 9);
  assert.doesNotMatch(forged.html, FOREIGN);
  assert.doesNotMatch(forged.html, anyOf(inv.deby.number, 'Deby'));
  // nothing of a kind: the empty text (Jan as person has no invoices)
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'persoon');
  const empty = await timeline(jan, '?soort=facturen');
  assert.equal(empty.items.length, 0);
  assert.match(empty.html, /<p class="empty">Er staan geen facturen in dit dossier\.<\/p>/);
});

test('Deby as person: the registrations she takes part in (with who pays), her message and invoice; no organisation\'s', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  const { html, items: got } = await timeline(deby);
  const has = (re) => got.some((i) => re.test(i));
  assert.ok(has(/Persoonlijk bericht voor Deby/), got.join('\n'));
  assert.ok(has(/Bevestigd: 2e testcursus - Maatwerk cursussen Herenbos Deelnemer: Deby Rummens - Heijnen, op factuur van Herenbos Schagen$/), got.join('\n'));
  assert.ok(has(/Bevestigd: Medical Care \(STCW\) Deelnemer: Deby Rummens - Heijnen, op factuur van ROC Kop van Noord-Holland$/), got.join('\n'));
  assert.equal(got.filter((i) => / Inschrijving /.test(i)).length, 8, 'four registrations, made and processed');
  // the past session she paid herself: no "op factuur van", her own invoice after it, in that order
  assert.deepEqual(got.filter((i) => /LV Gewasbescherming in de praktijk| Factuur /.test(i)), [
    `${longDay(-328)} Factuur Factuur ${inv.deby.number} ${inv.deby.amount}, betaald`,
    `${longDay(-344)} Inschrijving Bevestigd: LV Gewasbescherming in de praktijk (VT) - Licentieverlenging Gewasbescherming Deelnemer: Deby Rummens - Heijnen`,
    `${longDay(-345)} Inschrijving Aangemeld: LV Gewasbescherming in de praktijk (VT) - Licentieverlenging Gewasbescherming Deelnemer: Deby Rummens - Heijnen`,
  ]);
  assert.equal(got.filter((i) => / Factuur /.test(i)).length, 1, 'only her own invoice');
  assert.doesNotMatch(html, FOREIGN);
  // not the municipality's invoice for the same session, nor its other items
  assert.doesNotMatch(html, anyOf(inv.ghhwLv.number, inv.ghhwMaatwerk.number, '2026-900002', inv.martinLv.number));
  assert.doesNotMatch(html, /Offerte maatwerk|Sanne|Jan de Vries|Bericht voor Jan|Martin/);
  assert.match(html, /Alles uit uw dossier/);
});

test('Deby as beheerder of Gemeente Heerhugowaard: the organisation\'s registrations, messages and invoices only', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const { html, items: got } = await timeline(deby);
  const lv = 'LV Gewasbescherming in de praktijk (VT) - Licentieverlenging Gewasbescherming';
  const maatwerk = 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard - Maatwerk cursussen Gemeente Heerhugowaard';
  assert.deepEqual(got.map((i) => i.replace(/ Deelnemer: .*$/, '')), [
    `${longDay(-1)} Creditfactuur Creditfactuur 2026-900002 ${euro(-12500)}, open`,
    `${longDay(-3)} Factuur Factuur ${inv.ghhwMaatwerk.number} ${inv.ghhwMaatwerk.amount}, open, vervaldatum ${longDay(27)}`,
    `${longDay(-6)} Bericht Offerte maatwerk 2027 ongelezen`,
    `${longDay(-29)} Inschrijving Bevestigd: ${maatwerk}`,
    `${longDay(-30)} Inschrijving Aangemeld: ${maatwerk}`,
    `${longDay(-328)} Factuur Factuur ${inv.ghhwLv.number} ${inv.ghhwLv.amount}, betaald`,
    `${longDay(-344)} Inschrijving Bevestigd: ${lv}`,
    `${longDay(-345)} Inschrijving Aangemeld: ${lv}`,
  ]);
  assert.match(got[3], /Deelnemer: Jan de Vries$/, 'the participant, with no "op factuur van" in the organisation\'s own file');
  assert.match(got[6], /Deelnemer: Sanne Bakker$/);
  assert.doesNotMatch(html, FOREIGN);
  // Deby's own registration for the same session and her own invoice are in her person file only
  assert.doesNotMatch(html, anyOf(inv.deby.number, inv.martinLv.number, inv.martinMc.number));
  assert.doesNotMatch(html, /Deelnemer: Deby|Persoonlijk bericht voor Deby|Bericht voor Jan|Martin|Herenbos Schagen/);
  assert.match(html, /Het dossier van Gemeente Heerhugowaard/);
  assert.match(html, /<a href="\/mijn\/dossier\?soort=facturen">Facturen<\/a>/);
});

test('Jan as medewerker: only his own registrations there; no invoices, no messages (his own are in his person file)', async () => {
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const { html, items: got } = await timeline(jan);
  assert.deepEqual(got.map((i) => i.replace(/ Deelnemer: .*$/, '')), [
    `${longDay(-29)} Inschrijving Bevestigd: LV Bedreigingen openbaar groen - gemeente Heerhugowaard - Maatwerk cursussen Gemeente Heerhugowaard`,
    `${longDay(-30)} Inschrijving Aangemeld: LV Bedreigingen openbaar groen - gemeente Heerhugowaard - Maatwerk cursussen Gemeente Heerhugowaard`,
  ]);
  const organisations = anyOf(inv.ghhwMaatwerk.number, inv.ghhwLv.number, '2026-900002');
  assert.doesNotMatch(html, /Factuur|Creditfactuur|Offerte maatwerk|Bericht voor Jan/);
  assert.doesNotMatch(html, organisations);
  assert.doesNotMatch(html, /Sanne Bakker|LV Gewasbescherming in de praktijk/, 'a colleague\'s registration is not his');
  assert.doesNotMatch(html, FOREIGN);
  const filter = html.match(/<nav class="tabs" aria-label="Soort">[\s\S]*?<\/nav>/)[0];
  assert.deepEqual([...filter.matchAll(/>([^<>]+)<\/a>/g)].map((m) => m[1]), ['Alles', 'Inschrijvingen']);
  for (const soort of ['facturen', 'berichten']) {
    const page = await timeline(jan, `?soort=${soort}`);
    assert.equal(page.items.length, 0);
    assert.match(page.html, /Berichten en facturen van Gemeente Heerhugowaard ziet alleen een beheerder van de organisatie\./);
    assert.doesNotMatch(page.html, /Offerte maatwerk|Bericht voor Jan/);
    assert.doesNotMatch(page.html, organisations);
  }
  // as person the message to him is there, with his registration (he takes part in it)
  const asPerson = await timeline(await actingAs(srv, 'jan.devries@example.nl', 'persoon'));
  assert.equal(asPerson.items.length, 3, asPerson.items.join('\n'));
  assert.match(asPerson.items[0], new RegExp(`^${longDay(-4)} Bericht Bericht voor Jan ongelezen$`));
  assert.match(asPerson.items[1], /Deelnemer: Jan de Vries, op factuur van Gemeente Heerhugowaard$/);
  assert.doesNotMatch(asPerson.html, /Offerte maatwerk/);
  assert.doesNotMatch(asPerson.html, organisations);
});

test('Oudere items: the next page by key, each item once, the order kept', async () => {
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'persoon');
  const values = Array.from({ length: 60 }, (_, i) => `(${ids.jan}, 'Reeks ${String(i).padStart(2, '0')}', '', ${at(-100) + i * 60})`).join(', ');
  await sql(srv.dbUrl, `INSERT INTO messages (person_id, subject, body, created_at) VALUES ${values}`);
  try {
    const first = await timeline(jan);
    assert.equal(first.items.length, 50);
    const older = first.html.match(/<a href="([^"]+)">Oudere items<\/a>/)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(older, 'a link to older items');
    assert.match(older, /^\/mijn\/dossier\?voor=\d+&voor_id=\d+$/);
    const second = await timeline(jan, older.slice('/mijn/dossier'.length));
    assert.equal(second.items.length, 63 - 50);
    assert.doesNotMatch(second.html, /Oudere items/);
    assert.match(second.html, /<a href="\/mijn\/dossier">Naar het nieuwste<\/a>/);
    const all = [...first.items, ...second.items];
    assert.equal(new Set(all).size, all.length, 'no item twice');
    const reeks = all.map((i) => i.match(/Reeks (\d\d)/)?.[1]).filter(Boolean).map(Number);
    assert.deepEqual(reeks, [...reeks].sort((a, b) => b - a), 'newest first across the pages');
    assert.equal(reeks.length, 60);
    // the filter is kept in the link
    const msgs = await timeline(jan, '?soort=berichten');
    assert.match(msgs.html, /<a href="\/mijn\/dossier\?soort=berichten&amp;voor=\d+&amp;voor_id=\d+">Oudere items<\/a>/);
  } finally {
    await sql(srv.dbUrl, `DELETE FROM messages WHERE subject LIKE 'Reeks %'`);
  }
});

test('ongelezen until this reader opens the message; another reader\'s read state is their own', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const msg = await sqlValue(srv.dbUrl, `SELECT id FROM messages WHERE person_id = ${ids.martin}`);
  assert.match((await timeline(martin, '?soort=berichten')).html, /Certificaat Medical Care \(STCW\)<\/a> <span class="badge unread">ongelezen<\/span>/);
  assert.equal((await martin.get(`/mijn/dossier/berichten/${msg}`)).status, 200);
  assert.doesNotMatch((await timeline(martin, '?soort=berichten')).html, /ongelezen/);
  // the organisation's message read by another reader stays unread for Deby
  const offer = await sqlValue(srv.dbUrl, `SELECT id FROM messages WHERE organisation_id = ${ids.ghhw}`);
  await sql(srv.dbUrl, `INSERT INTO message_reads (message_id, person_id, read_at) VALUES (${offer}, ${ids.jan}, ${at(0)})`);
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  assert.match((await timeline(deby, '?soort=berichten')).html, /Offerte maatwerk 2027<\/a> <span class="badge unread">ongelezen<\/span>/);
});
