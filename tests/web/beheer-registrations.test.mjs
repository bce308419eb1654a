// The administratie's registrations: the queue /beheer/inschrijvingen (newest first, filters,
// Verwerken per row and for the ticked rows), processing a bezoeker's sign-up (J1 end to end: the
// person made, the activation mail, the Bevestiging, the new cursist's Mijn cursussen), the match
// with an existing person confirmed on the registration's page, moving a registration to another
// event, cancelling one (the waiting list promoted), and enrolling anyone. Every change leaves an
// audit line with what it concerns and the fields that changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { csrfOf, text, staffClient, loginAs, personId, orgId } from './lib/portal.mjs';

let srv;
let staff;
let staffCsrf;
before(async () => {
  srv = await startServer({ env: { KLANTPORTAL_TRUSTED_PROXIES: '127.0.0.1' } });
  staff = await staffClient(srv);
  staffCsrf = csrfOf((await staff.get('/beheer/inschrijvingen')).text);
});
after(async () => { await srv?.stop(); });

const count = async (q) => Number(await sqlValue(srv.dbUrl, q));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mailsTo = async (to, subject) => (await srv.mailsTo(to)).filter((m) => !subject || m.subject.startsWith(subject));
async function waitForSubject(to, subject, n = 1) {
  for (let i = 0; i < 80; i++) {
    const m = await mailsTo(to, subject);
    if (m.length >= n) return m;
    await sleep(100);
  }
  throw new Error(`no mail "${subject}" for ${to}`);
}

let ipNo = 0;
/** A client seen by the server as an address of its own (the sign-up brake counts per address). */
function visitor() {
  ipNo += 1;
  const c = makeClient(srv.url);
  const headers = { 'x-forwarded-for': `203.0.113.${ipNo}` };
  return { get: (p) => c.get(p, { headers }), post: (p, form) => c.post(p, form, { headers }) };
}

let eventNo = 0;
/** A fresh public event; its id. */
async function newEvent({ capacity = 10, price = 9500, deadline = null, start = 40 } = {}) {
  eventNo += 1;
  const name = `Beheertest ${eventNo} ${crypto.randomBytes(3).toString('hex')}`;
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, start_time, end_time, location, capacity, price_cents, registration_deadline, created_at)
    VALUES ((SELECT id FROM courses WHERE name = 'Licentieverlenging Gewasbescherming'), '${name}', '${isoDay(start)}', '${isoDay(start)}', '09:00', '16:30',
    'Schagen - Herenweg 12', ${capacity}, ${price}, ${deadline ? `'${deadline}'` : 'NULL'}, 0)`);
  return sqlValue(srv.dbUrl, `SELECT id FROM events WHERE name = '${name}'`);
}
const eventName = (eid) => sqlValue(srv.dbUrl, `SELECT name FROM events WHERE id = ${eid}`);
const seats = (eid) => count(`SELECT seats_taken FROM events WHERE id = ${eid}`);

const form = (email, over = {}) => ({
  voornaam: 'Klaas', tussenvoegsel: 'de', achternaam: 'Boer', email, telefoon: '06 12345678',
  straat: 'Dorpsstraat', huisnummer: '12a', postcode: '1741bc', woonplaats: 'Schagen', voorwaarden: '1', ...over,
});

/** A bezoeker signs up for the event (a waiting-list place when full) and, unless told not to,
 * confirms the address through the mailed link; the registration's id. */
async function signUp(eid, email, { confirm = true, ...over } = {}) {
  const v = visitor();
  const page = await v.get(`/evenementen/${eid}/inschrijven`);
  const body = { csrf: csrfOf(page.text), ...form(email, over) };
  if (/name="wachtlijst"/.test(page.text)) body.wachtlijst = '1';
  const r = await v.post(`/evenementen/${eid}/inschrijven`, body);
  assert.equal(r.status, 303, text(r.text).slice(0, 300));
  const id = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE event_id = ${eid} AND applicant_email = '${email}' AND status <> 'geannuleerd'`);
  if (!confirm) return id;
  const [mail] = await waitForSubject(email, 'Bevestig uw aanmelding');
  const link = mail.text.match(/https?:\/\/[^/\s]+(\/inschrijvingen\/bevestigen\?token=[A-Za-z0-9_-]{43})/)[1];
  const ask = await v.get(link);
  assert.equal((await v.post(link, { csrf: csrfOf(ask.text) })).status, 200);
  return id;
}

const queue = async (query = '') => {
  const r = await staff.get(`/beheer/inschrijvingen${query}`);
  assert.equal(r.status, 200);
  return r;
};
/** The rows of the queue's table: the registration ids in the order shown. */
const rowIds = (html) => [...html.matchAll(/<a href="\/beheer\/inschrijvingen\/(\d+)">[^<]*<\/a><\/span>/g)].map((m) => m[1]);
const processRow = (id) => staff.post('/beheer/inschrijvingen/verwerken', { csrf: staffCsrf, rij: id, terug: '/beheer/inschrijvingen?status=aangemeld' });
const regRow = (id, cols) => sql(srv.dbUrl, `SELECT ${cols} FROM registrations WHERE id = ${id}`).then((r) => r[0]);
/** The audit lines about a registration: person, organisation, event, the changes (fields
 * "name|old|new" joined by ";") and the actor. */
const auditOf = (id, action) => {
  const [tab, nl] = srv.backend === 'sqlite' ? ['char(9)', 'char(10)'] : ['chr(9)', 'chr(10)'];
  return sql(srv.dbUrl, `SELECT COALESCE(person_id, 0), COALESCE(organisation_id, 0), COALESCE(event_id, 0),
    replace(replace(changes, ${tab}, '|'), ${nl}, ';'), actor_id FROM audit_log WHERE subject = '${id}' AND action = '${action}' ORDER BY id`);
};
const staffId = () => personId(srv, 'administratie@example.nl');

test('J1: a bezoeker signs up and confirms, staff process it, the new cursist activates and finds the course with Bevestiging verzonden', async () => {
  const eid = await newEvent();
  const email = `nieuwe.cursist.${crypto.randomBytes(3).toString('hex')}@voorbeeld.nl`;
  const id = await signUp(eid, email, { geboortedatum: '17-05-1980' });
  const persons = await count('SELECT count(*) FROM persons');

  // the queue shows it first, with Verwerken
  const list = await queue('?status=aangemeld');
  assert.equal(rowIds(list.text)[0], id, 'newest first');
  const t = text(list.text);
  assert.match(t, /Klaas de Boer/);
  assert.match(t, new RegExp(await eventName(eid)));
  assert.match(list.text, new RegExp(`<button type="submit" name="rij" value="${id}" class="button small">Verwerken`));
  assert.match(list.text, new RegExp(`name="inschrijving" value="${id}"`));

  const r = await processRow(id);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/beheer/inschrijvingen?status=aangemeld');
  assert.match(text((await staff.get(r.headers.get('location'))).text), /De inschrijving is verwerkt/);

  // one person made from what was typed, the registration processed and linked
  assert.equal(await count('SELECT count(*) FROM persons'), persons + 1);
  const [pid, first, infix, last, street, house, postcode, city, phone, birth, pw] = (await sql(srv.dbUrl,
    `SELECT id, first_name, infix, last_name, street, house_number, postcode, city, phone, birth_date, COALESCE(password_hash, '-') FROM persons WHERE email = '${email}'`))[0];
  assert.deepEqual([first, infix, last, street, house, postcode, city, phone, birth, pw],
    ['Klaas', 'de', 'Boer', 'Dorpsstraat', '12a', '1741 BC', 'Schagen', '06 12345678', '1980-05-17', '-']);
  const [status, person, sent, processed] = await regRow(id, 'status, person_id, confirmation_sent, COALESCE(processed_at, 0)');
  assert.deepEqual([status, person, sent], ['verwerkt', pid, '1']);
  assert.ok(Number(processed) > 0, 'processed_at is set');
  const [line] = await auditOf(id, 'inschrijving_verwerkt');
  assert.deepEqual(line.slice(0, 3), [pid, '0', eid]);
  assert.match(line[3], /status\|aangemeld\|verwerkt/);
  assert.match(line[3], /bevestiging_verzonden\|nee\|ja/);
  assert.match(line[3], new RegExp(`persoon\\|\\|${pid} Klaas de Boer \\(nieuw\\)`));
  assert.equal(line[4], await staffId());

  // the Bevestiging with the facts, and the activation mail (a link, never a password)
  const [confirmation] = await waitForSubject(email, 'Bevestiging van uw inschrijving');
  assert.match(confirmation.text, /Cursus: +Licentieverlenging Gewasbescherming/);
  assert.match(confirmation.text, new RegExp(`Evenement: +${await eventName(eid)}`));
  assert.match(confirmation.text, /Datum: +\d+ \w+ \d{4}/);
  assert.match(confirmation.text, /Tijd: +09:00 - 16:30 uur/);
  assert.match(confirmation.text, /Locatie: +Schagen - Herenweg 12/);
  assert.match(confirmation.text, /Factuur aan: Klaas de Boer/);
  assert.match(confirmation.text, /e-mail om uw toegang tot de Klantportal te activeren/);
  const [activation] = await waitForSubject(email, 'Activeer uw toegang');
  assert.doesNotMatch(activation.text, /wachtwoord:/i);
  const link = activation.text.match(/https?:\/\/[^/\s]+(\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+)/)[1];

  // the new cursist sets a password, logs in and finds the course
  const cursist = makeClient(srv.url);
  const set = await cursist.get(link);
  assert.equal(set.status, 200);
  const done = await cursist.post(link, { csrf: csrfOf(set.text), wachtwoord: 'Zelfgekozen!2026', wachtwoord_bevestiging: 'Zelfgekozen!2026' });
  assert.equal(done.status, 303);
  const { c } = await loginAs(srv, email, 'Zelfgekozen!2026');
  const mine = await c.get('/mijn/cursussen');
  assert.equal(mine.status, 200);
  // the cursist's one course: its row, with the ✓ under Bevestiging verzonden
  const rows = [...mine.text.matchAll(/<tr>\s*<td data-label="Cursus">[\s\S]*?<\/tr>/g)].map((m) => m[0]);
  assert.equal(rows.length, 1);
  const row = rows[0];
  assert.ok(text(row).includes(`${await eventName(eid)} - Licentieverlenging Gewasbescherming`), row);
  assert.match(row, /<td data-label="Bevestiging verzonden"><span class="tick" aria-hidden="true">✓<\/span><span class="sr-only">ja<\/span><\/td>/);
});

test('an unconfirmed sign-up is shown as such and cannot be processed; a waiting-list place is not processed', async () => {
  const eid = await newEvent({ capacity: 1 });
  const seated = await signUp(eid, 'nog.niet.bevestigd@voorbeeld.nl', { confirm: false });
  const waiting = await signUp(eid, 'wacht.nog@voorbeeld.nl');
  const list = await queue(`?evenement=${eid}`);
  const t = text(list.text);
  assert.match(t, /Aangemeld, e-mailadres nog niet bevestigd/);
  assert.doesNotMatch(list.text, new RegExp(`name="inschrijving" value="${seated}"`));
  assert.doesNotMatch(list.text, new RegExp(`value="${seated}" class="button small">Verwerken`));
  assert.doesNotMatch(list.text, new RegExp(`value="${waiting}" class="button small">Verwerken`));
  for (const [id, reason] of [[seated, /het e-mailadres is nog niet bevestigd/], [waiting, /staat op de wachtlijst/]]) {
    const r = await processRow(id);
    assert.equal(r.status, 409);
    assert.match(text(r.text), /Er is niets verwerkt/);
    assert.match(text(r.text), reason);
  }
  assert.deepEqual(await sql(srv.dbUrl, `SELECT status FROM registrations WHERE event_id = ${eid} ORDER BY id`), [['aangemeld'], ['wachtlijst']]);
  // its page says why
  assert.match(text((await staff.get(`/beheer/inschrijvingen/${waiting}`)).text), /staat op de wachtlijst en wordt niet verwerkt/);
  assert.match(text((await staff.get(`/beheer/inschrijvingen/${seated}`)).text), /nog niet worden verwerkt: de bezoeker heeft het e-mailadres nog niet bevestigd/);
});

test('an address that has a person: staff confirm the match on the registration\'s page before it is linked', async () => {
  const eid = await newEvent();
  const id = await signUp(eid, 'martin.sommer@example.nl', { voornaam: 'Maarten' });
  const martin = await personId(srv, 'martin.sommer@example.nl');
  const persons = await count('SELECT count(*) FROM persons');
  const list = await queue(`?evenement=${eid}`);
  assert.match(text(list.text), /Bestaande persoon met dit e-mailadres/);
  assert.match(list.text, new RegExp(`<a class="button secondary small" href="/beheer/inschrijvingen/${id}">Koppeling bevestigen`));
  const refused = await processRow(id);
  assert.equal(refused.status, 409);
  assert.match(text(refused.text), /er bestaat al een persoon met dit e-mailadres; bevestig eerst op de pagina van de inschrijving/);
  assert.equal((await regRow(id, 'status'))[0], 'aangemeld');

  const page = await staff.get(`/beheer/inschrijvingen/${id}`);
  assert.equal(page.status, 200);
  const pt = text(page.text);
  assert.match(pt, /Er bestaat al een persoon met het e-mailadres martin\.sommer@example\.nl/);
  assert.match(pt, /Naam Martin Sommer/);
  assert.match(pt, /Account Heeft een account/);
  assert.match(page.text, new RegExp(`<input type="hidden" name="koppelen" value="${martin}">`));
  // the form without the confirmed person, or with another one, links nobody
  for (const koppelen of [undefined, await personId(srv, 'jan.devries@example.nl')]) {
    const r = await staff.post(`/beheer/inschrijvingen/${id}/verwerken`, { csrf: staffCsrf, ...(koppelen ? { koppelen } : {}) });
    assert.equal(r.status, 409);
    assert.equal((await regRow(id, 'COALESCE(person_id, 0)'))[0], '0');
  }
  const r = await staff.post(`/beheer/inschrijvingen/${id}/verwerken`, { csrf: staffCsrf, koppelen: martin });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/beheer/inschrijvingen/${id}`);
  assert.deepEqual(await regRow(id, 'status, person_id, confirmation_sent'), ['verwerkt', martin, '1']);
  assert.equal(await count('SELECT count(*) FROM persons'), persons, 'no second person');
  // Martin's own data stays his; he has a login, so no activation mail
  assert.equal(await sqlValue(srv.dbUrl, `SELECT first_name FROM persons WHERE id = ${martin}`), 'Martin');
  await waitForSubject('martin.sommer@example.nl', 'Bevestiging van uw inschrijving');
  assert.equal((await mailsTo('martin.sommer@example.nl', 'Activeer uw toegang')).length, 0);
  const [line] = await auditOf(id, 'inschrijving_verwerkt');
  assert.match(line[3], /koppeling bevestigd/);
  assert.match(text((await staff.get(`/beheer/inschrijvingen/${id}`)).text), /Geschiedenis .*Verwerkt/);
});

test('a bezoeker\'s organisation is linked (made) when staff choose it: invoiced to it, the person its medewerker', async () => {
  const eid = await newEvent();
  const orgName = `Bakkerij Boer ${crypto.randomBytes(2).toString('hex')}`;
  const id = await signUp(eid, 'bakker.boer@voorbeeld.nl', { organisatie: orgName, factuuradres: 'Postbus 12\n1740 AA Schagen', voorwaarden: '' });
  const page = await staff.get(`/beheer/inschrijvingen/${id}`);
  assert.match(text(page.text), new RegExp(`Nieuwe organisatie “${orgName}” aanmaken`));
  const r = await staff.post(`/beheer/inschrijvingen/${id}/verwerken`, { csrf: staffCsrf, organisatie_keuze: 'nieuw' });
  assert.equal(r.status, 303);
  const org = await orgId(srv, orgName);
  assert.ok(org, 'the organisation is made');
  const [status, invoiced, person] = await regRow(id, 'status, organisation_id, person_id');
  assert.deepEqual([status, invoiced], ['verwerkt', org]);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT role || active FROM memberships WHERE person_id = ${person} AND organisation_id = ${org}`), 'medewerker1');
  const [line] = await auditOf(id, 'inschrijving_verwerkt');
  assert.equal(line[1], org);
  const [mail] = await waitForSubject('bakker.boer@voorbeeld.nl', 'Bevestiging van uw inschrijving');
  assert.match(mail.text, new RegExp(`Factuur aan: ${orgName}`));
});

test('bulk Verwerken: all ticked rows, or none when one of them cannot be processed', async () => {
  const eid = await newEvent({ capacity: 2 });
  const a = await signUp(eid, 'bulk.een@voorbeeld.nl');
  const b = await signUp(eid, 'bulk.twee@voorbeeld.nl', { voornaam: 'Bea' });
  const w = await signUp(eid, 'bulk.wacht@voorbeeld.nl', { voornaam: 'Wout' });
  const post = (ids) => staff.post('/beheer/inschrijvingen/verwerken', { csrf: staffCsrf, inschrijving: ids, terug: `/beheer/inschrijvingen?evenement=${eid}` });
  const refused = await post([a, b, w]);
  assert.equal(refused.status, 409);
  assert.match(text(refused.text), /Wout de Boer, .*: staat op de wachtlijst/);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT status FROM registrations WHERE event_id = ${eid} ORDER BY id`), [['aangemeld'], ['aangemeld'], ['wachtlijst']]);
  assert.equal(await count(`SELECT count(*) FROM persons WHERE email IN ('bulk.een@voorbeeld.nl', 'bulk.twee@voorbeeld.nl')`), 0, 'nothing stored');
  const r = await post([a, b]);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/beheer/inschrijvingen?evenement=${eid}`);
  assert.match(text((await staff.get(r.headers.get('location'))).text), /De inschrijvingen zijn verwerkt/);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT status, confirmation_sent FROM registrations WHERE event_id = ${eid} ORDER BY id`),
    [['verwerkt', '1'], ['verwerkt', '1'], ['wachtlijst', '0']]);
  for (const email of ['bulk.een@voorbeeld.nl', 'bulk.twee@voorbeeld.nl']) {
    await waitForSubject(email, 'Bevestiging van uw inschrijving');
    await waitForSubject(email, 'Activeer uw toegang');
  }
  // nothing ticked: said so, nothing changes
  const none = await staff.post('/beheer/inschrijvingen/verwerken', { csrf: staffCsrf });
  assert.equal(none.status, 303);
  assert.match(text((await staff.get(none.headers.get('location'))).text), /Kies eerst een of meer inschrijvingen/);
});

test('moving keeps the seat counts of both events right and promotes the old event\'s waiting list', async () => {
  const from = await newEvent({ capacity: 1 });
  const to = await newEvent({ capacity: 1 });
  const mover = await signUp(from, 'verhuizer@voorbeeld.nl', { voornaam: 'Vera' });
  const waiter = await signUp(from, 'wachter@voorbeeld.nl', { voornaam: 'Wim' });
  assert.deepEqual([await seats(from), await seats(to)], [1, 0]);
  const page = await staff.get(`/beheer/inschrijvingen/${mover}`);
  assert.match(page.text, new RegExp(`<option value="${to}">`));
  const r = await staff.post(`/beheer/inschrijvingen/${mover}/verplaatsen`, { csrf: staffCsrf, evenement: to });
  assert.equal(r.status, 303);
  const moved = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE moved_from = ${mover}`);
  assert.equal(r.headers.get('location'), `/beheer/inschrijvingen/${moved}`);
  assert.deepEqual([await seats(from), await seats(to)], [1, 1], 'one seat each');
  assert.deepEqual(await regRow(mover, 'status'), ['geannuleerd']);
  assert.deepEqual(await regRow(moved, 'event_id, status, applicant_email'), [to, 'aangemeld', 'verhuizer@voorbeeld.nl']);
  assert.deepEqual(await regRow(waiter, 'status'), ['aangemeld'], 'the first on the waiting list got the seat');
  const [line] = await auditOf(moved, 'inschrijving_verplaatst');
  assert.equal(line[2], to);
  assert.match(line[3], new RegExp(`evenement\\|${from} [^|]+\\|${to} `));
  assert.equal((await auditOf(waiter, 'wachtlijst_ingeschreven')).length, 1);
  await waitForSubject('verhuizer@voorbeeld.nl', 'Uw inschrijving is verplaatst');
  await waitForSubject('wachter@voorbeeld.nl', 'Er is een plaats vrijgekomen');
  const detail = text((await staff.get(r.headers.get('location'))).text);
  assert.match(detail, /De inschrijving is verplaatst/);
  assert.match(detail, new RegExp(`Verplaatst van Inschrijving ${mover}`));

  // the new event is full now: refused, unless the waiting list will do
  const third = await signUp(from, 'derde@voorbeeld.nl', { voornaam: 'Dirk' });
  const full = await staff.post(`/beheer/inschrijvingen/${third}/verplaatsen`, { csrf: staffCsrf, evenement: to });
  assert.equal(full.status, 409);
  assert.match(text(full.text), /Dit evenement is vol/);
  assert.deepEqual(await regRow(third, 'event_id, status'), [from, 'wachtlijst']);
  const wl = await staff.post(`/beheer/inschrijvingen/${third}/verplaatsen`, { csrf: staffCsrf, evenement: to, wachtlijst: '1' });
  assert.equal(wl.status, 303);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT status FROM registrations WHERE moved_from = ${third}`), [['wachtlijst']]);
  assert.deepEqual([await seats(from), await seats(to)], [1, 1]);
  assert.match(text((await staff.get(wl.headers.get('location'))).text), /Wachtlijst \(plaats 1\)/);
});

test('cancelling frees the seat, promotes the waiting list and mails both', async () => {
  const eid = await newEvent({ capacity: 1 });
  const gone = await signUp(eid, 'annuleer.mij@voorbeeld.nl', { voornaam: 'Anna' });
  const next = await signUp(eid, 'de.volgende@voorbeeld.nl', { voornaam: 'Niels' });
  const ask = await staff.post(`/beheer/inschrijvingen/${gone}/annuleren`, { csrf: staffCsrf });
  assert.equal(ask.status, 200);
  assert.match(text(ask.text), /Weet u zeker dat u deze inschrijving wilt annuleren\?/);
  assert.equal((await regRow(gone, 'status'))[0], 'aangemeld', 'the question changes nothing');
  const r = await staff.post(`/beheer/inschrijvingen/${gone}/annuleren`, { csrf: staffCsrf, bevestigd: '1' });
  assert.equal(r.status, 303);
  assert.match(text((await staff.get(r.headers.get('location'))).text), /De inschrijving is geannuleerd/);
  assert.deepEqual(await regRow(gone, 'status'), ['geannuleerd']);
  assert.deepEqual(await regRow(next, 'status'), ['aangemeld']);
  assert.equal(await seats(eid), 1);
  const [line] = await auditOf(gone, 'inschrijving_geannuleerd');
  assert.equal(line[2], eid);
  assert.match(line[3], /status\|aangemeld\|geannuleerd/);
  await waitForSubject('annuleer.mij@voorbeeld.nl', 'Afmelding ontvangen');
  await waitForSubject('de.volgende@voorbeeld.nl', 'Er is een plaats vrijgekomen');
  const again = await staff.post(`/beheer/inschrijvingen/${gone}/annuleren`, { csrf: staffCsrf, bevestigd: '1' });
  assert.equal(again.status, 409, 'a second cancel changes nothing');
  assert.match(text(again.text), /Deze inschrijving was al geannuleerd/);
  assert.doesNotMatch(again.text, /Ja, annuleren|Inschrijving annuleren/);
  assert.equal((await auditOf(gone, 'inschrijving_geannuleerd')).length, 1);
});

test('the queue filters by status, event, organisation and name, newest first', async () => {
  const eid = await newEvent({ capacity: 1 });
  const first = await signUp(eid, 'filter.eerste@voorbeeld.nl', { voornaam: 'Fenna', achternaam: 'Filterman' });
  const second = await signUp(eid, 'filter.tweede@voorbeeld.nl', { voornaam: 'Gijs', achternaam: 'Filterman' });
  assert.deepEqual(rowIds((await queue(`?evenement=${eid}`)).text), [second, first]);
  assert.deepEqual(rowIds((await queue(`?evenement=${eid}&status=wachtlijst`)).text), [second]);
  assert.deepEqual(rowIds((await queue(`?evenement=${eid}&status=aangemeld`)).text), [first]);
  assert.deepEqual(rowIds((await queue('?q=fenna+filterman')).text), [first]);
  assert.deepEqual(rowIds((await queue('?q=filter.tweede%40')).text), [second]);
  // an organisation: the registrations invoiced to it only
  const herenbos = await orgId(srv, 'Herenbos Schagen');
  const org = rowIds((await queue(`?organisatie=${herenbos}`)).text);
  assert.ok(org.length > 0);
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE id IN (${org.join(',')}) AND organisation_id <> ${herenbos}`), 0);
  // the filters stay in the form and in the links
  const page = await queue(`?evenement=${eid}&status=wachtlijst`);
  assert.match(page.text, new RegExp(`<option value="${eid}" selected>`));
  assert.match(page.text, /<option value="wachtlijst" selected>/);
  assert.match(text(page.text), /1 inschrijving gevonden/);
});

test('staff enrol anyone in a closed event, invoiced to any organisation; a full event needs the waiting list', async () => {
  const martin = await personId(srv, 'martin.sommer@example.nl');
  const herenbos = await orgId(srv, 'Herenbos Schagen');
  const closed = await newEvent({ capacity: 1, deadline: isoDay(-1), start: 3 });
  const search = await staff.get('/beheer/inschrijvingen/nieuw?q=martin+sommer');
  assert.equal(search.status, 200);
  assert.match(search.text, new RegExp(`href="/beheer/inschrijvingen/nieuw\\?persoon=${martin}"`));
  const page = await staff.get(`/beheer/inschrijvingen/nieuw?persoon=${martin}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`<option value="${closed}">[^<]*inschrijving gesloten`));
  assert.equal((await staff.get('/beheer/inschrijvingen/nieuw?persoon=99999999')).status, 404);
  const before = await seats(closed);
  const r = await staff.post('/beheer/inschrijvingen/nieuw', { csrf: staffCsrf, persoon: martin, evenement: closed, factuur: 'andere', andere_organisatie: herenbos, referentie: 'PO-42' });
  assert.equal(r.status, 303, text(r.text).slice(0, 500));
  const id = r.headers.get('location').match(/^\/beheer\/inschrijvingen\/(\d+)$/)[1];
  assert.deepEqual(await regRow(id, 'event_id, person_id, organisation_id, enrolled_by, status, reference'),
    [closed, martin, herenbos, await staffId(), 'aangemeld', 'PO-42']);
  assert.equal(await seats(closed), before + 1);
  const [line] = await auditOf(id, 'inschrijving_administratie');
  assert.deepEqual(line.slice(0, 3), [martin, herenbos, closed]);
  assert.match(line[3], /factuur_aan\|\|organisatie \d+ Herenbos Schagen/);
  await waitForSubject('martin.sommer@example.nl', 'Inschrijving ontvangen');
  assert.equal((await mailsTo('administratie@example.nl', 'Inschrijving ontvangen')).length, 0, 'staff get no mail of their own work');

  // full now: refused unless the waiting list will do
  const jan = await personId(srv, 'jan.devries@example.nl');
  const full = await staff.post('/beheer/inschrijvingen/nieuw', { csrf: staffCsrf, persoon: jan, evenement: closed, factuur: 'persoon' });
  assert.equal(full.status, 409);
  assert.match(text(full.text), /Dit evenement is vol/);
  const wl = await staff.post('/beheer/inschrijvingen/nieuw', { csrf: staffCsrf, persoon: jan, evenement: closed, factuur: 'persoon', wachtlijst: '1' });
  assert.equal(wl.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE event_id = ${closed} AND person_id = ${jan}`), 'wachtlijst');
  assert.equal(await seats(closed), before + 1);
  // twice is refused; no event chosen says so under the field
  const twice = await staff.post('/beheer/inschrijvingen/nieuw', { csrf: staffCsrf, persoon: martin, evenement: closed, factuur: 'persoon' });
  assert.equal(twice.status, 409);
  assert.match(text(twice.text), /staat al ingeschreven/);
  const empty = await staff.post('/beheer/inschrijvingen/nieuw', { csrf: staffCsrf, persoon: martin, factuur: 'persoon' });
  assert.equal(empty.status, 422);
  assert.match(empty.text, /<title>Fout: /);
  assert.match(text(empty.text), /Kies het evenement/);
});

test('a registration that does not exist is 404; ids that are not ids too', async () => {
  for (const p of ['/beheer/inschrijvingen/99999999', '/beheer/inschrijvingen/abc']) {
    assert.equal((await staff.get(p)).status, 404, p);
  }
  for (const action of ['verwerken', 'verplaatsen', 'annuleren']) {
    const r = await staff.post(`/beheer/inschrijvingen/99999999/${action}`, { csrf: staffCsrf, bevestigd: '1', evenement: '1' });
    assert.equal(r.status, 404, action);
  }
});
