// Cursussen: the tab Mijn cursussen (the manual's columns, the order of the rows, the checkmarks
// and their words, a waiting-list place), Afmelden (by the participant, by the beheerder for a
// colleague, refused for anyone else and after the deadline, the first on the waiting list
// promoted and mailed) and the tab Inschrijven cursussen organisatie (maatwerk events).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { csrfOf, text, personId, actingAs, loginAs } from './lib/portal.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const contextOf = (html) => html.match(/name="context" value="([^"]+)"/)?.[1];
const today = () => isoDay(0);
/** The registration of the person (by address) in the event (by name), not cancelled. */
const regOf = (email, event) => sqlValue(srv.dbUrl, `SELECT r.id FROM registrations r JOIN persons p ON p.id = r.person_id JOIN events e ON e.id = r.event_id WHERE p.email = '${email}' AND e.name = '${event}' AND r.status <> 'geannuleerd' ORDER BY e.starts_on DESC LIMIT 1`);
const statusOf = (id) => sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE id = ${id}`);
const seatsOf = (eventId) => sqlValue(srv.dbUrl, `SELECT seats_taken FROM events WHERE id = ${eventId}`).then(Number);
const eventOfReg = (id) => sqlValue(srv.dbUrl, `SELECT event_id FROM registrations WHERE id = ${id}`);

/** The mails to `to` whose subject starts with `subject` and text matches `about`, waited for. */
async function mailsAbout(to, subject, about) {
  for (let n = 1; ; n++) {
    const found = (await srv.waitForMail(to, n)).filter((m) => m.subject.startsWith(subject) && about.test(m.text));
    if (found.length) return found;
  }
}

/** POSTs a form with the client's cookies and returns the answer's bytes (a download). */
async function download(c, p, form) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, String(x));
  const res = await fetch(srv.url + p, {
    method: 'POST', redirect: 'manual', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The text of a PDF as pdftotext (poppler) reads it. */
function pdfText(bytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-pdf-'));
  try {
    const file = path.join(dir, 'b.pdf');
    fs.writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The tables of the page: header labels and each row's cells as text. */
function tables(html) {
  return [...html.matchAll(/<table[\s\S]*?<\/table>/g)].map((m) => cellsOf(m[0]));
}
const firstTable = (html) => tables(html)[0];
function cellsOf(table) {
  const heads = [...table.matchAll(/<th scope="col">([\s\S]*?)<\/th>/g)].map((m) => text(m[1]).trim());
  const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((m) =>
    [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]).trim()));
  return { heads, rows };
}

/** Posts Afmelden for the ids from the page the client sees; with confirm, also "Ja, afmelden". */
async function afmelden(c, ids, { confirm = true } = {}) {
  const page = await c.get('/mijn/cursussen');
  const form = { csrf: csrfOf(page.text), context: contextOf(page.text), inschrijving: ids.map(String) };
  const first = await c.post('/mijn/cursussen/afmelden', form);
  if (!confirm || first.status !== 200) return { first };
  const second = await c.post('/mijn/cursussen/afmelden', { ...form, bevestigd: '1' });
  return { first, second };
}

test('Mijn cursussen: the manual\'s columns in order, upcoming first then the past, checkmarks in words', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  const page = await deby.get('/mijn/cursussen');
  assert.equal(page.status, 200);
  assert.match(page.text, /<title>Mijn cursussen — Cursussen/);
  assert.match(page.text, /<a href="\/mijn\/cursussen" aria-current="page">Cursussen<\/a>/, 'the Mijn menu item');
  assert.match(page.text, /<a href="\/mijn\/cursussen" aria-current="page">Mijn cursussen<\/a>/, 'the tab');
  assert.doesNotMatch(page.text, /Inschrijven cursussen organisatie/, 'no organisation tab as person');
  const { heads, rows } = firstTable(page.text);
  assert.deepEqual(heads, ['Cursus', 'Cursusdatum', 'Locatie', 'Bevestiging verzonden', 'Uitnodiging verzonden', 'Resultaat', 'Gevolgd']);
  // the maatwerk course upcoming (in 40 days), then the past: 60 days ago before 320 days ago,
  // then the session she paid herself (330 days ago)
  assert.deepEqual(rows.map((r) => r[0].replace(/, \S+ \d\d-\d\d-\d{4}$/, '').trim()), [
    '2e testcursus - Maatwerk cursussen Herenbos',
    'Test evenement ROC Kop van Noord-Holland (test)',
    'Medical Care (STCW)',
    'LV Gewasbescherming in de praktijk (VT) - Licentieverlenging Gewasbescherming',
  ]);
  assert.match(rows[0][1], new RegExp(isoDay(40).split('-').reverse().join('-')));
  assert.equal(rows[0][2], 'Incompany');
  // Test evenement: Bevestiging verzonden yes, Uitnodiging no, Afgerond, Gevolgd yes
  assert.deepEqual(rows[1].slice(3), ['✓ ja', '– nee', 'Afgerond', '✓ ja']);
  assert.deepEqual(rows[0].slice(3), ['– nee', '– nee', '', '– nee']);
  // each row can be ticked, its label naming the course and the date
  const id = await regOf('deby.rummens@example.nl', '2e testcursus');
  assert.match(page.text, new RegExp(`<input type="checkbox" name="inschrijving" value="${id}" id="inschrijving-${id}"><label for="inschrijving-${id}">2e testcursus - Maatwerk cursussen Herenbos<span class="sr-only">, \\S+ \\d\\d-\\d\\d-\\d{4}</span></label>`));
  assert.match(page.text, /<form method="post" action="\/mijn\/cursussen\/afmelden"[\s\S]*<button type="submit" class="button secondary">Afmelden<\/button>[\s\S]*<table/);

  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const m = firstTable((await martin.get('/mijn/cursussen')).text);
  assert.deepEqual(m.rows.map((r) => r[0].replace(/, \S+ \d\d-\d\d-\d{4}$/, '').trim()), ['LV Bodem en gewas (VT) - Licentieverlenging Gewasbescherming', 'Medical Care (STCW)']);
  assert.deepEqual(m.rows[1].slice(2), ['Den Helder - Kievitstraat 31', '✓ ja', '✓ ja', 'Afgerond', '✓ ja']);
});

test('a waiting-list place shows as Wachtlijst (plaats N); the demo\'s full event has two in line', async () => {
  const full = await sqlValue(srv.dbUrl, `SELECT id FROM events WHERE name = 'Medical Care (STCW)' AND capacity = seats_taken AND starts_on > '${today()}'`);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE event_id = ${full} AND status = 'wachtlijst'`), '2');
  assert.equal(await seatsOf(full), Number(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE event_id = ${full} AND status IN ('aangemeld', 'verwerkt')`)));
  // Martin takes the third place in line through the enrolment page
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const page = await martin.get(`/evenementen/${full}/inschrijven`);
  const r = await martin.post(`/evenementen/${full}/inschrijven`, { csrf: csrfOf(page.text), context: contextOf(page.text), voorwaarden: '1', wachtlijst: '1' });
  assert.equal(r.status, 303);
  const { rows } = firstTable((await martin.get('/mijn/cursussen')).text);
  const row = rows.find((x) => x[0].startsWith('Medical Care (STCW)') && /Wachtlijst/.test(x[0]));
  assert.ok(row, 'the waiting-list row');
  assert.match(row[0], /Wachtlijst \(plaats 3\)/);
  // he leaves the line again, so the other tests see the demo as it was
  const id = await regOf('martin.sommer@example.nl', 'Medical Care (STCW)');
  const { second } = await afmelden(martin, [id]);
  assert.equal(second.status, 303);
  assert.equal(await statusOf(id), 'geannuleerd');
});

test('Afmelden refused after the registration deadline: the administratie\'s number, nothing changed', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const id = await regOf('martin.sommer@example.nl', 'LV Bodem en gewas (VT)');
  const ev = await eventOfReg(id);
  const deadline = await sqlValue(srv.dbUrl, `SELECT registration_deadline FROM events WHERE id = ${ev}`);
  const seats = await seatsOf(ev);
  await sql(srv.dbUrl, `UPDATE events SET registration_deadline = '${isoDay(-1)}' WHERE id = ${ev}`);
  try {
    const page = await martin.get('/mijn/cursussen');
    const form = { csrf: csrfOf(page.text), context: contextOf(page.text), inschrijving: id };
    for (const extra of [{}, { bevestigd: '1' }]) {
      const r = await martin.post('/mijn/cursussen/afmelden', { ...form, ...extra });
      assert.equal(r.status, 409);
      const t = text(r.text);
      assert.match(t, /sluitingsdatum van de inschrijving/);
      assert.match(t, /neem contact op met de administratie, 0223-611310/);
      assert.match(t, /Er is niets afgemeld/);
      assert.doesNotMatch(r.text, /Ja, afmelden/);
    }
    assert.equal(await statusOf(id), 'verwerkt');
    assert.equal(await seatsOf(ev), seats);
  } finally {
    await sql(srv.dbUrl, `UPDATE events SET registration_deadline = '${deadline}' WHERE id = ${ev}`);
  }
});

test('Afmelden by the participant: a confirmation step first, then the seat is free, audited and mailed', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const id = await regOf('martin.sommer@example.nl', 'LV Bodem en gewas (VT)');
  const ev = await eventOfReg(id);
  const seats = await seatsOf(ev);
  const { first, second } = await afmelden(martin, [id]);
  assert.equal(first.status, 200);
  const t = text(first.text);
  assert.match(t, /Afmelden/);
  assert.match(t, /Weet u zeker dat u deze inschrijving wilt afmelden\?/);
  assert.match(t, /LV Bodem en gewas \(VT\) - Licentieverlenging Gewasbescherming/);
  assert.match(first.text, /<button type="submit" class="button danger">Ja, afmelden<\/button>/);
  assert.match(first.text, /<a href="\/mijn\/cursussen">Annuleren<\/a>/);
  assert.equal(second.status, 303);
  assert.equal(second.headers.get('location'), '/mijn/cursussen');
  assert.equal(await statusOf(id), 'geannuleerd');
  assert.equal(await seatsOf(ev), seats - 1);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = 'afmelding' AND subject = '${id}'`), '1');
  const after = await martin.get('/mijn/cursussen');
  assert.match(text(after.text), /U bent afgemeld\./);
  assert.doesNotMatch(text(after.text), /LV Bodem en gewas/);
  const mails = await mailsAbout('martin.sommer@example.nl', 'Afmelding ontvangen', /LV Bodem en gewas/);
  assert.equal(mails.length, 1);
  assert.match(mails[0].text, /Uw afmelding voor LV Bodem en gewas \(VT\) - Licentieverlenging Gewasbescherming is ontvangen/);
  // the same form again: the registration is not active any more
  const again = await martin.post('/mijn/cursussen/afmelden', { csrf: csrfOf(after.text), context: contextOf(after.text), inschrijving: id, bevestigd: '1' });
  assert.equal(again.status, 404);
});

test('Afmelden of someone else\'s registration: 404, nothing changed', async () => {
  const janReg = await regOf('jan.devries@example.nl', 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard');
  const ownDeby = await regOf('deby.rummens@example.nl', '2e testcursus');
  const attempts = [
    [await actingAs(srv, 'martin.sommer@example.nl'), [janReg]],
    // a beheerder of another organisation, and the same beheerder acting as person
    [await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen'), [janReg]],
    [await actingAs(srv, 'deby.rummens@example.nl', 'persoon'), [janReg, ownDeby]],
    [await actingAs(srv, 'deby.rummens@example.nl', 'persoon'), ['999999']],
  ];
  for (const [c, ids] of attempts) {
    const { first, second } = await afmelden(c, ids);
    assert.equal(first.status, 404, ids.join(','));
    assert.equal(second, undefined);
    const page = await c.get('/mijn/cursussen');
    const r = await c.post('/mijn/cursussen/afmelden', { csrf: csrfOf(page.text), context: contextOf(page.text), inschrijving: ids, bevestigd: '1' });
    assert.equal(r.status, 404);
  }
  assert.equal(await statusOf(janReg), 'verwerkt');
  assert.equal(await statusOf(ownDeby), 'verwerkt');
  // a medewerker cannot cancel a colleague's registration that the organisation pays
  const sanne = await personId(srv, 'sanne.bakker@example.nl');
  const ghhw = await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Gemeente Heerhugowaard'");
  const ev = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'Basic Safety (STCW)'");
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, person_id, organisation_id, enrolled_by, status, created_at) VALUES (${ev}, ${sanne}, ${ghhw}, ${sanne}, 'aangemeld', 0)`);
  const sanneReg = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE person_id = ${sanne} AND event_id = ${ev}`);
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  assert.equal((await afmelden(jan, [sanneReg])).first.status, 404);
  assert.equal(await statusOf(sanneReg), 'aangemeld');
});

test('Afmelden by the beheerder for a colleague: the organisation\'s enrolments, both are mailed', async () => {
  const janReg = await regOf('jan.devries@example.nl', 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard');
  const ev = await eventOfReg(janReg);
  const seats = await seatsOf(ev);
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const page = await deby.get('/mijn/cursussen');
  assert.match(page.text, /<a href="\/mijn\/cursussen\/organisatie">Inschrijven cursussen organisatie<\/a>/);
  const t = text(page.text);
  assert.match(t, /Inschrijvingen van Gemeente Heerhugowaard/);
  const org = tables(page.text)[1];
  assert.deepEqual(org.heads, ['Deelnemer', 'Cursus', 'Cursusdatum', 'Locatie', 'Status']);
  const row = org.rows.find((r) => r[0].startsWith('Jan de Vries'));
  assert.ok(row, 'Jan in the organisation\'s enrolments');
  assert.equal(row[1], 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard - Maatwerk cursussen Gemeente Heerhugowaard');
  assert.deepEqual(row.slice(3), ['Incompany', 'Bevestigd']);
  assert.match(page.text, new RegExp(`value="${janReg}" id="org-inschrijving-${janReg}"`));
  const { first, second } = await afmelden(deby, [janReg]);
  assert.equal(first.status, 200);
  assert.match(text(first.text), /LV Bedreigingen openbaar groen - gemeente Heerhugowaard - Maatwerk cursussen Gemeente Heerhugowaard – Jan de Vries/);
  assert.equal(second.status, 303);
  assert.equal(await statusOf(janReg), 'geannuleerd');
  assert.equal(await seatsOf(ev), seats - 1);
  assert.match(text((await deby.get('/mijn/cursussen')).text), /De afmelding is verwerkt\./);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT actor_id FROM audit_log WHERE action = 'afmelding' AND subject = '${janReg}'`), await personId(srv, 'deby.rummens@example.nl'));
  const toJan = await mailsAbout('jan.devries@example.nl', 'Afmelding ontvangen', /LV Bedreigingen/);
  const toDeby = await mailsAbout('deby.rummens@example.nl', 'Afmelding ontvangen', /LV Bedreigingen/);
  assert.equal(toJan.length, 1);
  assert.match(toJan[0].text, /Uw afmelding voor LV Bedreigingen/);
  assert.equal(toDeby.length, 1);
  assert.match(toDeby[0].text, /De afmelding van Jan de Vries voor LV Bedreigingen/);
});

test('Afmelden of a seat in the full event: the first on the waiting list gets it and is mailed', async () => {
  const full = await sqlValue(srv.dbUrl, `SELECT id FROM events WHERE name = 'Medical Care (STCW)' AND capacity = seats_taken AND starts_on > '${today()}'`);
  const [[firstId, firstEmail]] = await sql(srv.dbUrl, `SELECT r.id, p.email FROM registrations r JOIN persons p ON p.id = r.person_id WHERE r.event_id = ${full} AND r.status = 'wachtlijst' ORDER BY r.id LIMIT 1`);
  const seats = await seatsOf(full);
  // Lars holds a seat; he gets a login to cancel it himself
  await sql(srv.dbUrl, "UPDATE persons SET password_hash = (SELECT password_hash FROM persons WHERE email = 'martin.sommer@example.nl'), activated_at = (SELECT activated_at FROM persons WHERE email = 'martin.sommer@example.nl') WHERE email = 'lars.jansen@example.nl'");
  const lars = (await loginAs(srv, 'lars.jansen@example.nl')).c;
  const id = await sqlValue(srv.dbUrl, `SELECT r.id FROM registrations r JOIN persons p ON p.id = r.person_id WHERE p.email = 'lars.jansen@example.nl' AND r.event_id = ${full}`);
  const { second } = await afmelden(lars, [id]);
  assert.equal(second.status, 303);
  assert.equal(await statusOf(id), 'geannuleerd');
  assert.equal(await statusOf(firstId), 'aangemeld', 'the first in line is enrolled');
  assert.equal(await seatsOf(full), seats, 'the freed seat is taken at once');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE event_id = ${full} AND status = 'wachtlijst'`), '1');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = 'wachtlijst_ingeschreven' AND subject = '${firstId}'`), '1');
  const mails = await mailsAbout(firstEmail, 'Er is een plaats vrijgekomen', /Medical Care/);
  assert.equal(mails.length, 1);
  assert.match(mails[0].text, /Medical Care \(STCW\)/);
});

test('Inschrijven cursussen organisatie: the maatwerk events of the organisation, for its beheerder only', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard'");
  const page = await deby.get('/mijn/cursussen/organisatie');
  assert.equal(page.status, 200);
  const t = text(page.text);
  assert.match(t, /Maatwerk cursussen Gemeente Heerhugowaard/);
  assert.match(page.text, /<a href="\/mijn\/cursussen\/organisatie" aria-current="page">Inschrijven cursussen organisatie<\/a>/);
  assert.match(page.text, /<nav class="crumbs"[\s\S]*Mijn Onderwijsgroep<\/a>[\s\S]*<a href="\/mijn\/cursussen">Cursussen<\/a>[\s\S]*<span aria-current="page">Inschrijven cursussen organisatie<\/span>/);
  assert.match(page.text, new RegExp(`<a href="/evenementen/${eid}/inschrijven">LV Bedreigingen openbaar groen - gemeente Heerhugowaard</a>`));
  assert.match(page.text, new RegExp(`<time datetime="${isoDay(24)}">`));
  assert.match(t, /Incompany/);
  assert.doesNotMatch(t, /2e testcursus/, 'another organisation\'s maatwerk');
  // the link leads to the enrolment page, whose crumbs lead back here
  const enrol = await deby.get(`/evenementen/${eid}/inschrijven`);
  assert.equal(enrol.status, 200);
  assert.match(enrol.text, /<a href="\/mijn\/cursussen\/organisatie">Maatwerk cursussen Gemeente Heerhugowaard<\/a>/);
  // Herenbos sees its own
  const herenbos = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  assert.match(text((await herenbos.get('/mijn/cursussen/organisatie')).text), /Maatwerk cursussen Herenbos Schagen.*2e testcursus/);
  // a medewerker: 403; as person: 404; anonymous: to Inloggen
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  assert.equal((await jan.get('/mijn/cursussen/organisatie')).status, 403);
  assert.doesNotMatch((await jan.get('/mijn/cursussen')).text, /Inschrijven cursussen organisatie/);
  const persoon = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  assert.equal((await persoon.get('/mijn/cursussen/organisatie')).status, 404);
  const anon = makeClient(srv.url);
  const r = await anon.get('/mijn/cursussen/organisatie');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/inloggen\?terug=/);
});

test('an organisation without upcoming maatwerk events sees the empty state', async () => {
  await sql(srv.dbUrl, "UPDATE events SET cancelled = 1 WHERE name = '2e testcursus'");
  try {
    const herenbos = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
    const t = text((await herenbos.get('/mijn/cursussen/organisatie')).text);
    assert.match(t, /Er zijn nu geen geplande evenementen van maatwerk cursussen voor uw organisatie/);
  } finally {
    await sql(srv.dbUrl, "UPDATE events SET cancelled = 0 WHERE name = '2e testcursus'");
  }
});

test('nothing ticked: back to Cursussen with a notice; a form from another context: 409', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  const page = await deby.get('/mijn/cursussen');
  const none = await deby.post('/mijn/cursussen/afmelden', { csrf: csrfOf(page.text), context: contextOf(page.text) });
  assert.equal(none.status, 303);
  assert.match(text((await deby.get('/mijn/cursussen')).text), /Kies eerst een of meer cursussen/);
  const own = await regOf('deby.rummens@example.nl', '2e testcursus');
  const other = await deby.post('/mijn/cursussen/afmelden', { csrf: csrfOf(page.text), context: '12345', inschrijving: own, bevestigd: '1' });
  assert.equal(other.status, 409);
  assert.match(text(other.text), /Er is niets afgemeld/);
  assert.equal(await statusOf(own), 'verwerkt');
});

test('Bevestiging: the chosen enrolments as a PDF that pdftotext reads back', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  // a new enrolment, not yet processed by the administratie, invoiced to the organisation
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
  const enrolPage = await deby.get(`/evenementen/${eid}/inschrijven`);
  const r = await deby.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(enrolPage.text), context: contextOf(enrolPage.text) });
  assert.equal(r.status, 303);
  const fresh = await regOf('deby.rummens@example.nl', 'LV Optimaal bespuiten (VT)');
  const processed = await regOf('deby.rummens@example.nl', '2e testcursus');
  const page = await deby.get('/mijn/cursussen');
  assert.match(page.text, /<button type="submit" class="button secondary" formaction="\/mijn\/cursussen\/bevestiging">Bevestiging<\/button>/);
  const form = { csrf: csrfOf(page.text), context: contextOf(page.text), inschrijving: [fresh, processed] };
  const pdf = await download(deby, '/mijn/cursussen/bevestiging', form);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(pdf.headers.get('content-disposition'), /attachment; filename="bevestiging-inschrijvingen.pdf"/);
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  const t = pdfText(pdf.bytes).replace(/[ \t]+/g, ' ');
  assert.match(t, /Bevestiging van uw inschrijvingen/);
  assert.match(t, /Deelnemer Deby Rummens - Heijnen/);
  assert.match(t, /Evenement LV Optimaal bespuiten \(VT\)/);
  assert.match(t, /Cursus Licentieverlenging Gewasbescherming/);
  assert.match(t, /Locatie Schagen - Herenweg 12/);
  assert.match(t, /Factuur aan Gemeente Heerhugowaard\s+Status aanmelding ontvangen/);
  assert.match(t, /Evenement 2e testcursus/);
  assert.match(t, /Factuur aan Herenbos Schagen\s+Status bevestigd/);
  assert.match(t, /Datum \d+ \S+ \d{4}, 09:00 - 16:30 uur/);

  // the organisation's enrolments: a colleague's name as the organisation knows it, in any script
  const sanne = await personId(srv, 'sanne.bakker@example.nl');
  const ghhw = await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Gemeente Heerhugowaard'");
  await sql(srv.dbUrl, `UPDATE memberships SET contact_first_name = 'Łucja', contact_last_name = 'Coördinator Łódź' WHERE person_id = ${sanne} AND organisation_id = ${ghhw}`);
  const p2 = await deby.get(`/evenementen/${eid}/inschrijven?deelnemer=${sanne}`);
  const r2 = await deby.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(p2.text), context: contextOf(p2.text), deelnemer: sanne });
  assert.equal(r2.status, 303);
  const sanneReg = await regOf('sanne.bakker@example.nl', 'LV Optimaal bespuiten (VT)');
  const after = await deby.get('/mijn/cursussen');
  assert.match(text(after.text), /Łucja Coördinator Łódź/);
  const t2 = pdfText((await download(deby, '/mijn/cursussen/bevestiging', { ...form, inschrijving: sanneReg })).bytes).replace(/[ \t]+/g, ' ');
  assert.match(t2, /Bevestiging van uw inschrijving\b/);
  assert.match(t2, /Deelnemer Łucja Coördinator Łódź/);
  assert.match(t2, /Factuur aan Gemeente Heerhugowaard/);

  // someone else's registration: 404, no document
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const mp = await martin.get('/mijn/cursussen');
  const refused = await download(martin, '/mijn/cursussen/bevestiging', { csrf: csrfOf(mp.text), inschrijving: fresh });
  assert.equal(refused.status, 404);
  assert.notEqual(refused.bytes.subarray(0, 5).toString(), '%PDF-');
});
