// The participants of an event in the back office: the list with the waiting list in order, the
// CSV as Dutch Excel reads it, Uitnodiging versturen (a mail with the event as a calendar file,
// read back as a calendar app would) and Resultaat and Gevolgd for every participant in one
// form, which the participant then sees in Mijn cursussen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer, readMails } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { csrfOf, text, actingAs, personId, staffClient } from './lib/portal.mjs';

let srv, staff;
let full; // Medical Care with 8 places, all taken, two on its waiting list
let maatwerk, janReg; // Gemeente Heerhugowaard's maatwerk event and Jan's processed registration in it
let lucjaReg; // a bezoeker's confirmed sign-up there, not processed yet

before(async () => {
  srv = await startServer();
  staff = await staffClient(srv);
  full = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'Medical Care (STCW)' AND capacity = 8");
  maatwerk = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard'");
  janReg = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE event_id = ${maatwerk} AND person_id = ${await personId(srv, 'jan.devries@example.nl')}`);
  // typed by a bezoeker: a name a spreadsheet must keep, an organisation that looks like a formula
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, status, applicant_first_name, applicant_infix, applicant_last_name, applicant_email, applicant_org_name, created_at, confirmed_at)
    VALUES (${maatwerk}, 'aangemeld', 'Łucja', '', 'Coördinator', 'lucja@example.nl', '=cmd|'' /C calc''!A0', 1700000000, 1700000000)`);
  await sql(srv.dbUrl, `UPDATE events SET seats_taken = seats_taken + 1, start_time = '09:00', end_time = '12:30' WHERE id = ${maatwerk}`);
  lucjaReg = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE applicant_email = 'lucja@example.nl'`);
});
after(async () => { await srv?.stop(); });

/** The field changes of audit lines, one string per line: "field old → new; …" (the stored text
 * has tabs and line breaks, which the SQL helper's output splits on). */
const changes = async (where) => (await sql(srv.dbUrl,
  `SELECT subject, replace(replace(changes, '\t', ' | '), '\n', '; ') FROM audit_log WHERE ${where} ORDER BY id`))
  .map(([subject, c]) => [subject, c.replace(/; $/, '')]);

const page = (id) => staff.get(`/beheer/evenementen/${id}/deelnemers`);

/** The mails to `to` whose subject starts with `subject`, waiting for the sender to write them. */
async function mailsTo(to, subject, atLeast = 1) {
  let found = [];
  for (let i = 0; i < 100; i++) {
    found = (await readMails(srv.mailDir)).filter((m) => m.to.text.includes(to) && m.subject.startsWith(subject));
    if (found.length >= atLeast) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return found;
}

/** The VEVENTs of a calendar file, with its zone registered as a calendar app does. */
function events(ics) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  ICAL.TimezoneService.register(cal.getFirstSubcomponent('vtimezone'));
  return cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

test('the list: the event\'s facts, the participants by name, the waiting list in its order', async () => {
  const r = await page(full);
  assert.equal(r.status, 200);
  const t = text(r.text);
  assert.match(t, /Deelnemers Medical Care \(STCW\)/);
  assert.match(t, /Locatie Den Helder - Kievitstraat 31/);
  assert.match(t, /Bezetting 8 van 8 plaatsen bezet/);
  assert.match(t, /Wachtlijst 2/);
  assert.match(r.text, new RegExp(`href="/beheer/evenementen/${full}"`), 'back to the event itself');
  const [seats, waiting] = r.text.split('id="wachtlijst"');
  for (const name of ['Lars Jansen', 'Emma de Boer', 'Julia Bos']) assert.match(text(seats), new RegExp(name));
  assert.doesNotMatch(text(seats), /Kees Visser|Fatima El Amrani/, 'the waiting list is not among the participants');
  // by last name: Boer, Bos, …, Jansen
  assert.ok(seats.indexOf('Emma de Boer') < seats.indexOf('Julia Bos') && seats.indexOf('Julia Bos') < seats.indexOf('Lars Jansen'));
  const w = text(waiting);
  assert.match(w, /1 Kees Visser .* 2 Fatima El Amrani/);
  assert.match(w, /Wachtlijst \(plaats 1\)/);
  assert.equal((await page(999999)).status, 404);
  assert.equal((await staff.get('/beheer/evenementen/abc/deelnemers')).status, 404);
});

test('the CSV: BOM, ";" between cells, CRLF, names intact, a formula made harmless', async () => {
  const r = await staff.get(`/beheer/evenementen/${maatwerk}/deelnemers.csv`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="deelnemers-evenement-\d+\.csv"/);
  // the client's text drops a byte order mark: read the bytes
  const cookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const bytes = Buffer.from(await (await fetch(srv.url + `/beheer/evenementen/${maatwerk}/deelnemers.csv`, { headers: { cookie } })).arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
  const body = bytes.subarray(3).toString('utf8');
  assert.ok(body.endsWith('\r\n') && !/[^\r]\n/.test(body), 'every line ends in CRLF');
  const lines = body.trimEnd().split('\r\n');
  assert.equal(lines[0], 'Naam;Organisatie / factuur aan;E-mailadres;Status;Bevestiging verzonden;Uitnodiging verzonden;Resultaat;Gevolgd');
  const jan = lines.find((l) => l.startsWith('Jan de Vries;'));
  assert.equal(jan, 'Jan de Vries;Gemeente Heerhugowaard;jan.devries@example.nl;Verwerkt;ja;nee;;nee');
  const lucja = lines.find((l) => l.startsWith('Łucja Coördinator;'));
  assert.ok(lucja, body);
  // the formula starts with a quote, so a spreadsheet shows it as text
  assert.equal(lucja.split(';')[1], "'=cmd|' /C calc'!A0");
  assert.equal((await staff.get('/beheer/evenementen/999999/deelnemers.csv')).status, 404);
});

test('Uitnodiging versturen: a mail with the event as .ics (the UID of the portal\'s own calendar files), Uitnodiging verzonden set', async () => {
  const [[day]] = await sql(srv.dbUrl, `SELECT starts_on FROM events WHERE id = ${maatwerk}`);
  const before = (await readMails(srv.mailDir)).length;
  let r = await page(maatwerk);
  r = await staff.post(`/beheer/evenementen/${maatwerk}/deelnemers/uitnodiging`, { csrf: csrfOf(r.text) });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/beheer/evenementen/${maatwerk}/deelnemers`);
  const after = await staff.get(r.headers.get('location'));
  assert.match(text(after.text), /De uitnodiging is verstuurd\./);

  const [mail] = await mailsTo('jan.devries@example.nl', 'Uitnodiging voor uw cursus');
  assert.ok(mail, 'Jan is invited');
  assert.match(mail.text, /Tijd: +09:00 - 12:30 uur/);
  assert.match(mail.text, /Locatie: +Incompany/);
  const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  assert.ok(ics, 'a calendar file attached');
  assert.equal(ics.filename, 'uitnodiging.ics');
  const [ev] = events(ics.content.toString('utf8'));
  assert.equal(ev.startDate.zone.tzid, 'Europe/Amsterdam');
  assert.equal(ev.startDate.toString().slice(0, 16), `${day}T09:00`);
  assert.equal(ev.location, 'Incompany');
  assert.equal(ev.summary, 'LV Bedreigingen openbaar groen - gemeente Heerhugowaard');
  // the same event as the .ics Jan downloads himself: it never shows twice in his calendar
  const jan = await actingAs(srv, 'jan.devries@example.nl');
  const own = await jan.get(`/evenementen/${maatwerk}.ics`);
  assert.equal(ev.uid, events(own.text)[0].uid);

  assert.equal(await sqlValue(srv.dbUrl, `SELECT invitation_sent FROM registrations WHERE id = ${janReg}`), '1');
  // not processed yet: no invitation
  assert.equal(await sqlValue(srv.dbUrl, `SELECT invitation_sent FROM registrations WHERE id = ${lucjaReg}`), '0');
  assert.equal((await readMails(srv.mailDir)).filter((m) => m.to.text.includes('lucja@example.nl')).length, 0);
  const invited = await changes(`action = 'uitnodiging_verstuurd' AND event_id = ${maatwerk}`);
  assert.deepEqual(invited, [['Jan de Vries', 'uitnodiging verzonden | nee | ja']]);
  const mine = await jan.get('/mijn/cursussen');
  const row = mine.text.split('<tr>').find((tr) => tr.includes('LV Bedreigingen'));
  assert.match(row, /data-label="Uitnodiging verzonden"><span class="tick"/);

  // again without ticks: everyone had it, nothing is sent twice
  r = await staff.post(`/beheer/evenementen/${maatwerk}/deelnemers/uitnodiging`, { csrf: csrfOf(after.text) });
  assert.equal(r.status, 303);
  assert.match(text((await staff.get(r.headers.get('location'))).text), /iedere verwerkte deelnemer heeft haar al/);
  // ticked: sent again
  r = await staff.post(`/beheer/evenementen/${maatwerk}/deelnemers/uitnodiging`, { csrf: csrfOf(after.text), inschrijving: janReg });
  assert.equal(r.status, 303);
  assert.equal((await mailsTo('jan.devries@example.nl', 'Uitnodiging voor uw cursus', 2)).length, 2);
  // a row that is not a processed registration of this event: nothing at all
  for (const id of [lucjaReg, await sqlValue(srv.dbUrl, `SELECT min(id) FROM registrations WHERE event_id = ${full}`)]) {
    r = await staff.post(`/beheer/evenementen/${maatwerk}/deelnemers/uitnodiging`, { csrf: csrfOf(after.text), inschrijving: [janReg, id] });
    assert.equal(r.status, 404);
  }
  await new Promise((res) => setTimeout(res, 300));
  assert.equal((await readMails(srv.mailDir)).length, before + 2);
});

test('Resultaat and Gevolgd: one form, an audit line per change, shown in Mijn cursussen; a value outside the list refused', async () => {
  const r0 = await page(maatwerk);
  assert.match(r0.text, new RegExp(`<option value="${janReg}:Niet verschenen">Niet verschenen</option>`));
  const csrf = csrfOf(r0.text);
  const post = (form) => staff.post(`/beheer/evenementen/${maatwerk}/deelnemers/resultaten`, { csrf, ...form });
  let r = await post({ resultaat: [`${janReg}:Geslaagd`, `${lucjaReg}:`], gevolgd: janReg });
  assert.equal(r.status, 303);
  assert.match(text((await staff.get(r.headers.get('location'))).text), /De resultaten zijn opgeslagen\./);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT '[' || result || ']', attended FROM registrations WHERE id IN (${janReg}, ${lucjaReg}) ORDER BY id`), [['[Geslaagd]', '1'], ['[]', '0']]);
  // only the registration that changed, old → new per field
  assert.deepEqual(await changes(`action = 'resultaat_vastgelegd' AND event_id = ${maatwerk}`),
    [['Jan de Vries', 'resultaat |  | Geslaagd; gevolgd | nee | ja']]);

  const jan = await actingAs(srv, 'jan.devries@example.nl');
  let row = (await jan.get('/mijn/cursussen')).text.split('<tr>').find((tr) => tr.includes('LV Bedreigingen'));
  assert.match(row, /data-label="Resultaat">Geslaagd</);
  assert.match(row, /data-label="Gevolgd"><span class="tick" aria-hidden="true">✓<\/span><span class="sr-only">ja/);

  // changed again: old → new
  r = await post({ resultaat: [`${janReg}:Niet geslaagd`, `${lucjaReg}:`] });
  assert.equal(r.status, 303);
  assert.deepEqual((await changes(`action = 'resultaat_vastgelegd' AND event_id = ${maatwerk}`)).at(-1),
    ['Jan de Vries', 'resultaat | Geslaagd | Niet geslaagd; gevolgd | ja | nee']);
  row = (await jan.get('/mijn/cursussen')).text.split('<tr>').find((tr) => tr.includes('LV Bedreigingen'));
  assert.match(row, /data-label="Resultaat">Niet geslaagd</);

  // refused whole: a value the list does not have, a row twice, a Gevolgd for a row not in the form
  for (const form of [
    { resultaat: [`${janReg}:Uitstekend`, `${lucjaReg}:Geslaagd`] },
    { resultaat: [`${janReg}:geslaagd`] },
    { resultaat: [`${janReg}:Geslaagd`, `${janReg}:Afgerond`] },
    { resultaat: [`${lucjaReg}:Geslaagd`], gevolgd: janReg },
  ]) {
    r = await post(form);
    assert.equal(r.status, 422);
    assert.match(text(r.text), /Kies bij Resultaat een waarde uit de lijst/);
    assert.match(r.text, /<title>Fout:/);
  }
  // a registration of another event: not found, nothing stored
  const other = await sqlValue(srv.dbUrl, `SELECT min(id) FROM registrations WHERE event_id = ${full}`);
  r = await post({ resultaat: [`${lucjaReg}:Geslaagd`, `${other}:Geslaagd`] });
  assert.equal(r.status, 404);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT result FROM registrations WHERE id = ${janReg}`), 'Niet geslaagd');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE id IN (${lucjaReg}, ${other}) AND result = ''`), '2');
});

test('one form holds every participant: 40 rows with Gevolgd are saved at once', async () => {
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'Basic Safety (STCW)'");
  await sql(srv.dbUrl, `UPDATE events SET capacity = 40, seats_taken = 40 WHERE id = ${eid}`);
  const values = Array.from({ length: 40 }, (_, i) =>
    `(${eid}, 'verwerkt', 'Cursist', '', 'Nummer ${String(i).padStart(2, '0')}', 'cursist${i}@example.nl', 1700000000, 1700000000)`);
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, status, applicant_first_name, applicant_infix, applicant_last_name, applicant_email, created_at, confirmed_at) VALUES ${values.join(', ')}`);
  const ids = (await sql(srv.dbUrl, `SELECT id FROM registrations WHERE event_id = ${eid} AND applicant_email LIKE 'cursist%'`)).map(([id]) => id);
  assert.equal(ids.length, 40);
  const p = await page(eid);
  assert.equal((p.text.match(/name="resultaat"/g) || []).length, 40);
  const r = await staff.post(`/beheer/evenementen/${eid}/deelnemers/resultaten`, {
    csrf: csrfOf(p.text), resultaat: ids.map((id) => `${id}:Afgerond`), gevolgd: ids,
  });
  assert.equal(r.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE event_id = ${eid} AND result = 'Afgerond' AND attended = 1`), '40');
});

test('a cancelled event: no Uitnodiging versturen, and a forged one sends nothing', async () => {
  await sql(srv.dbUrl, `UPDATE events SET cancelled = 1 WHERE id = ${full}`);
  const p = await page(full);
  assert.match(text(p.text), /Gaat niet door/);
  assert.doesNotMatch(p.text, /Uitnodiging versturen<\/button>/);
  const before = await sqlValue(srv.dbUrl, 'SELECT count(*) FROM outbox');
  const r = await staff.post(`/beheer/evenementen/${full}/deelnemers/uitnodiging`, { csrf: csrfOf(p.text) });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Dit evenement gaat niet door: er is geen uitnodiging verstuurd/);
  assert.equal(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM outbox'), before);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE event_id = ${full} AND invitation_sent = 1`), '0');
});
