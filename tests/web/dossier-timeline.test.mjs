// Digitaal Dossier, the timeline /mijn/dossier: registrations with their steps, messages and
// invoices newest first with the day in Dutch; each context and role sees exactly its own file
// (Martin; Deby as person; Deby as beheerder of Gemeente Heerhugowaard; Jan as medewerker
// there and as person); another organisation's invoice and message never show; the filter by kind; the next
// page by key. Items are put at known moments by SQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { text, personId, orgId, actingAs } from './lib/portal.mjs';

let srv;
const ids = {};

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
/** '5 maart 2027' for today plus n days. */
const longDay = (n) => { const [y, m, d] = isoDay(n).split('-').map(Number); return `${d} ${MONTHS[m - 1]} ${y}`; };
/** Unix seconds of today plus n days at 10:00 UTC (the same day in Amsterdam). */
const at = (n) => Date.parse(`${isoDay(n)}T10:00:00Z`) / 1000;

/** The timeline's items as text, in the order shown. */
function items(html) {
  return [...html.matchAll(/<li class="timeline-item">([\s\S]*?)<\/li>/g)].map((m) => text(m[1]).replace(/ ([:,])/g, '$1').trim());
}
async function timeline(c, query = '') {
  const r = await c.get(`/mijn/dossier${query}`);
  assert.equal(r.status, 200);
  return { html: r.text, items: items(r.text) };
}

const insertInvoice = (number, { person = null, org = null, day, created, amount, status = 'open', kind = 'factuur' }) =>
  sql(srv.dbUrl, `INSERT INTO invoices (number, person_id, organisation_id, invoice_date, due_date, amount_cents, status, created_at, kind) VALUES ('${number}', ${person}, ${org}, '${isoDay(day)}', '${isoDay(day + 30)}', ${amount}, '${status}', ${created}, '${kind}')`);
const insertMessage = (subject, { person = null, org = null, created }) =>
  sql(srv.dbUrl, `INSERT INTO messages (person_id, organisation_id, subject, body, created_at) VALUES (${person}, ${org}, '${subject}', 'Tekst', ${created})`);

before(async () => {
  srv = await startServer();
  ids.martin = await personId(srv, 'martin.sommer@example.nl');
  ids.deby = await personId(srv, 'deby.rummens@example.nl');
  ids.jan = await personId(srv, 'jan.devries@example.nl');
  ids.ghhw = await orgId(srv, 'Gemeente Heerhugowaard');
  ids.herenbos = await orgId(srv, 'Herenbos Schagen');
  const reg = (person, event) => sqlValue(srv.dbUrl, `SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.person_id = ${person} AND e.name LIKE '${event}%' ORDER BY r.id LIMIT 1`);
  // Martin's file at known moments: two registrations made and processed, the message, the two
  // invoices (the old one's row written today: it counts on its own date, 330 days ago)
  const mc = await reg(ids.martin, 'Medical Care');
  const lv = await reg(ids.martin, 'LV Bodem');
  await sql(srv.dbUrl, `UPDATE registrations SET created_at = ${at(-40)}, processed_at = ${at(-39)} WHERE id = ${mc}`);
  await sql(srv.dbUrl, `UPDATE registrations SET created_at = ${at(-20)}, processed_at = ${at(-19)} WHERE id = ${lv}`);
  await sql(srv.dbUrl, `UPDATE messages SET created_at = ${at(-10)} WHERE person_id = ${ids.martin}`);
  await sql(srv.dbUrl, `UPDATE invoices SET created_at = ${at(-5)} WHERE number = 'F2026-0002'`);
  // and a registration made 3 days ago and cancelled yesterday
  const ev = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, person_id, enrolled_by, status, created_at, cancelled_at) VALUES (${ev}, ${ids.martin}, ${ids.martin}, 'geannuleerd', ${at(-3)}, ${at(-1)})`);
  ids.lvEvent = ev;
  // Gemeente Heerhugowaard's: Jan's registration, the offer message
  await sql(srv.dbUrl, `UPDATE registrations SET created_at = ${at(-30)}, processed_at = ${at(-29)} WHERE person_id = ${ids.jan} AND organisation_id = ${ids.ghhw}`);
  await sql(srv.dbUrl, `UPDATE messages SET created_at = ${at(-6)} WHERE organisation_id = ${ids.ghhw}`);
  // Deby as person: her own invoice and a message to her; Jan: a message to him
  await insertInvoice('2026-900001', { person: ids.deby, day: -2, created: at(-2), amount: 24200, status: 'betaald' });
  await insertMessage('Persoonlijk bericht voor Deby', { person: ids.deby, created: at(-2) });
  await insertMessage('Bericht voor Jan', { person: ids.jan, created: at(-4) });
  // another organisation's: must never show in the files below
  await insertInvoice('2026-900999', { org: ids.herenbos, day: -1, created: at(-1), amount: 99900 });
  await insertMessage('Geheim van Herenbos', { org: ids.herenbos, created: at(-1) });
  // and a credit note to Gemeente Heerhugowaard
  await insertInvoice('2026-900002', { org: ids.ghhw, day: -1, created: at(-1), amount: -12500, kind: 'creditnota' });
});
after(async () => { await srv?.stop(); });

const FOREIGN = /2026-900999|Geheim van Herenbos|F2026-0004/;

test('Martin: every item of his file newest first, registrations step by step, days in Dutch, links', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const { html, items: got } = await timeline(martin);
  assert.match(html, /<title>Digitaal Dossier/);
  assert.match(html, /<a href="\/mijn\/dossier" aria-current="page">Digitaal Dossier[ <]/, 'the Mijn menu item');
  const expected = [
    [longDay(-1), 'Inschrijving', 'Geannuleerd: LV Optimaal bespuiten (VT)'],
    [longDay(-3), 'Inschrijving', 'Aangemeld: LV Optimaal bespuiten (VT)'],
    [longDay(-5), 'Factuur', 'Factuur F2026-0002', '€ 95,00, open'],
    [longDay(-10), 'Bericht', 'Certificaat Medical Care (STCW)'],
    [longDay(-19), 'Inschrijving', 'Bevestigd: LV Bodem en gewas (VT) - Licentieverlenging Gewasbescherming', 'Deelnemer: Martin Sommer'],
    [longDay(-20), 'Inschrijving', 'Aangemeld: LV Bodem en gewas (VT)'],
    [longDay(-39), 'Inschrijving', 'Bevestigd: Medical Care (STCW)'],
    [longDay(-40), 'Inschrijving', 'Aangemeld: Medical Care (STCW)'],
    [longDay(-330), 'Factuur', 'Factuur F2026-0001', '€ 1.895,00, betaald'],
  ];
  assert.equal(got.length, expected.length, got.join('\n'));
  expected.forEach((parts, i) => {
    assert.ok(got[i].startsWith(`${parts[0]} ${parts[1]}`), `item ${i}: ${got[i]}`);
    for (const p of parts.slice(2)) assert.ok(got[i].includes(p), `item ${i} has ${p}: ${got[i]}`);
  });
  assert.match(got[2], new RegExp(`vervaldatum ${longDay(25)}`));
  // the links: the message page, the invoice page, Cursussen for an active registration only
  const msg = await sqlValue(srv.dbUrl, `SELECT id FROM messages WHERE person_id = ${ids.martin}`);
  assert.match(html, new RegExp(`<a href="/mijn/dossier/berichten/${msg}">Certificaat Medical Care \\(STCW\\)</a>`));
  assert.match(html, /<a href="\/mijn\/facturen\/F2026-0002">Factuur F2026-0002<\/a>/);
  assert.match(html, /<strong>Bevestigd<\/strong>: <a href="\/mijn\/cursussen">Medical Care \(STCW\)<\/a>/);
  assert.match(html, /<strong>Geannuleerd<\/strong>: LV Optimaal bespuiten \(VT\)/, 'a cancelled one is not under Cursussen');
  assert.match(html, new RegExp(`<time datetime="${isoDay(-5)}">${longDay(-5)}</time>`));
  assert.doesNotMatch(html, FOREIGN);
  assert.doesNotMatch(html, /Deby|Offerte maatwerk|Bericht voor Jan|F2026-0003/);
});

test('the filter by kind; an unknown kind shows everything with a notice', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const reg = await timeline(martin, '?soort=inschrijvingen');
  assert.equal(reg.items.length, 6);
  assert.ok(reg.items.every((i) => / Inschrijving /.test(i)), reg.items.join('\n'));
  assert.match(reg.html, /<a href="\/mijn\/dossier\?soort=inschrijvingen" aria-current="page">Inschrijvingen<\/a>/);
  const msg = await timeline(martin, '?soort=berichten');
  assert.deepEqual(msg.items.map((i) => i.replace(/^.* Bericht /, '')), ['Certificaat Medical Care (STCW) ongelezen']);
  const inv = await timeline(martin, '?soort=facturen');
  assert.deepEqual(inv.items.map((i) => i.match(/Factuur (F2026-\d+)/)[1]), ['F2026-0002', 'F2026-0001']);
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
  assert.ok(has(/Factuur 2026-900001 € 242,00, betaald$/), got.join('\n'));
  assert.ok(has(/Persoonlijk bericht voor Deby/));
  assert.ok(has(/Bevestigd: 2e testcursus - Maatwerk cursussen Herenbos Deelnemer: Deby Rummens - Heijnen, op factuur van Herenbos Schagen/), got.join('\n'));
  assert.equal(got.filter((i) => / Inschrijving /.test(i)).length, 6, 'three registrations, made and processed');
  assert.doesNotMatch(html, FOREIGN);
  assert.doesNotMatch(html, /F2026-0003|Offerte maatwerk|2026-900002|Jan de Vries|Bericht voor Jan|Martin/);
  assert.match(html, /Alles uit uw dossier/);
});

test('Deby as beheerder of Gemeente Heerhugowaard: the organisation\'s registrations, messages and invoices only', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const { html, items: got } = await timeline(deby);
  assert.deepEqual(got.map((i) => i.replace(/ Deelnemer: .*$/, '')), [
    `${longDay(-1)} Creditfactuur Creditfactuur 2026-900002 -€ 125,00, open`,
    `${longDay(-3)} Factuur Factuur F2026-0003 € 125,00, open, vervaldatum ${longDay(27)}`,
    `${longDay(-6)} Bericht Offerte maatwerk 2027 ongelezen`,
    `${longDay(-29)} Inschrijving Bevestigd: LV Bedreigingen openbaar groen - gemeente Heerhugowaard - Maatwerk cursussen Gemeente Heerhugowaard`,
    `${longDay(-30)} Inschrijving Aangemeld: LV Bedreigingen openbaar groen - gemeente Heerhugowaard - Maatwerk cursussen Gemeente Heerhugowaard`,
  ]);
  assert.match(got[3], /Deelnemer: Jan de Vries$/, 'the participant, with no "op factuur van" in the organisation\'s own file');
  assert.doesNotMatch(html, FOREIGN);
  assert.doesNotMatch(html, /2026-900001|Persoonlijk bericht voor Deby|Bericht voor Jan|Martin|Herenbos Schagen/);
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
  assert.doesNotMatch(html, /Factuur|Creditfactuur|F2026-0003|2026-900002|Offerte maatwerk|Bericht voor Jan/);
  assert.doesNotMatch(html, FOREIGN);
  const filter = html.match(/<nav class="tabs" aria-label="Soort">[\s\S]*?<\/nav>/)[0];
  assert.deepEqual([...filter.matchAll(/>([^<>]+)<\/a>/g)].map((m) => m[1]), ['Alles', 'Inschrijvingen']);
  for (const soort of ['facturen', 'berichten']) {
    const page = await timeline(jan, `?soort=${soort}`);
    assert.equal(page.items.length, 0);
    assert.match(page.html, /Berichten en facturen van Gemeente Heerhugowaard ziet alleen een beheerder van de organisatie\./);
    assert.doesNotMatch(page.html, /F2026-0003|2026-900002|Offerte maatwerk|Bericht voor Jan/);
  }
  // as person the message to him is there, with his registration (he takes part in it)
  const asPerson = await timeline(await actingAs(srv, 'jan.devries@example.nl', 'persoon'));
  assert.equal(asPerson.items.length, 3, asPerson.items.join('\n'));
  assert.match(asPerson.items[0], new RegExp(`^${longDay(-4)} Bericht Bericht voor Jan ongelezen$`));
  assert.match(asPerson.items[1], /Deelnemer: Jan de Vries, op factuur van Gemeente Heerhugowaard$/);
  assert.doesNotMatch(asPerson.html, /F2026-0003|Offerte maatwerk/);
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
