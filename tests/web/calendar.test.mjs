// The calendar files: an event's .ics for every event its enrolment page shows (and for a
// participant their own maatwerk event), and the personal feed a calendar app subscribes to
// with a key shown once, stored hashed and never written to the access log. Both read by
// ical.js as a calendar app would, times in Europe/Amsterdam.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { csrfOf, text, actingAs, personId } from './lib/portal.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const eventId = (name) => sqlValue(srv.dbUrl, `SELECT min(id) FROM events WHERE name = '${name}'`);

/** The VEVENTs of a calendar file, with the zone registered as an app does. */
function parse(body) {
  const cal = new ICAL.Component(ICAL.parse(body));
  const tz = cal.getFirstSubcomponent('vtimezone');
  assert.ok(tz, 'a VTIMEZONE');
  assert.equal(tz.getFirstPropertyValue('tzid'), 'Europe/Amsterdam');
  ICAL.TimezoneService.register(tz);
  return cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

test('an event\'s .ics: summary, place and time as in the catalog, for anyone who may see the event', async () => {
  const eid = await eventId('LV Optimaal bespuiten (VT)');
  await sql(srv.dbUrl, `UPDATE events SET start_time = '09:00', end_time = '12:30' WHERE id = ${eid}`);
  const [[day]] = await sql(srv.dbUrl, `SELECT starts_on FROM events WHERE id = ${eid}`);
  const anon = makeClient(srv.url);
  const r = await anon.get(`/evenementen/${eid}.ics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="evenement-\d+\.ics"/);
  const [ev] = parse(r.text);
  assert.equal(ev.summary, 'LV Optimaal bespuiten (VT)');
  assert.equal(ev.location, 'Schagen - Herenweg 12');
  assert.equal(ev.startDate.zone.tzid, 'Europe/Amsterdam');
  assert.equal(ev.startDate.toString().slice(0, 16), `${day}T09:00`);
  assert.equal(ev.endDate.toString().slice(0, 16), `${day}T12:30`);
  // the absolute moment follows the zone's rules (winter +01:00, summer +02:00)
  const offset = new Date(`${day}T12:00:00Z`).toLocaleString('en-US', { timeZone: 'Europe/Amsterdam', timeZoneName: 'shortOffset' }).match(/GMT([+-]\d+)/)[1];
  assert.equal(ev.startDate.toJSDate().toISOString().slice(11, 16), `${String(9 - Number(offset)).padStart(2, '0')}:00`);
  assert.equal((await anon.get('/evenementen/999999.ics')).status, 404);
  assert.equal((await anon.get(`/evenementen/${eid}.txt`)).status, 404);
});

test('a maatwerk event\'s .ics: 404 for everyone but its organisation\'s beheerders and its participants', async () => {
  const eid = await eventId('LV Bedreigingen openbaar groen - gemeente Heerhugowaard');
  assert.equal((await makeClient(srv.url).get(`/evenementen/${eid}.ics`)).status, 404);
  assert.equal((await (await actingAs(srv, 'martin.sommer@example.nl')).get(`/evenementen/${eid}.ics`)).status, 404);
  assert.equal((await (await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen')).get(`/evenementen/${eid}.ics`)).status, 404);
  assert.equal((await (await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard')).get(`/evenementen/${eid}.ics`)).status, 200);
  // Jan is enrolled in it: he sees his own event, in any context, but not its enrolment page
  const jan = await actingAs(srv, 'jan.devries@example.nl');
  assert.equal((await jan.get(`/evenementen/${eid}.ics`)).status, 200);
  assert.equal((await jan.get(`/evenementen/${eid}/inschrijven`)).status, 404);
});

test('the personal feed: key shown once, stored hashed, replaced keys stop working, kept out of the log', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const page = await martin.get('/mijn/cursussen/agenda');
  assert.equal(page.status, 200);
  assert.match(text(page.text), /U heeft nog geen agenda-koppeling/);
  const made = await martin.post('/mijn/cursussen/agenda', { csrf: csrfOf(page.text) });
  assert.equal(made.status, 200);
  assert.equal(made.headers.get('cache-control'), 'no-store');
  const url = made.text.match(/value="(http[^"]+\/mijn\/cursussen\.ics\?sleutel=([A-Za-z0-9_-]+))"/);
  assert.ok(url, 'the address is shown');
  const key = url[2];
  // shown once: the page afterwards says there is a link but not what it is
  const again = await martin.get('/mijn/cursussen/agenda');
  assert.doesNotMatch(again.text, new RegExp(key));
  assert.match(text(again.text), /U heeft een agenda-koppeling sinds/);
  const stored = await sqlValue(srv.dbUrl, `SELECT key_hash FROM calendar_keys WHERE person_id = ${await personId(srv, 'martin.sommer@example.nl')}`);
  assert.match(stored, /^[0-9a-f]{64}$/);
  assert.notEqual(stored, key);

  const app = makeClient(srv.url); // a calendar app: no session
  const feed = await app.get(`/mijn/cursussen.ics?sleutel=${key}`);
  assert.equal(feed.status, 200);
  const events = parse(feed.text);
  const names = events.map((e) => e.summary).sort();
  const expected = (await sql(srv.dbUrl, `SELECT e.name FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.person_id = ${await personId(srv, 'martin.sommer@example.nl')} AND r.status <> 'geannuleerd'`)).map(([n]) => n).sort();
  assert.deepEqual(names, expected);
  assert.ok(names.length >= 2);
  assert.ok(events.every((e) => /@onderwijsgroepnwh\.nl$/.test(e.uid)));
  const log = srv.stderr() + srv.stdout();
  assert.match(log, /\/mijn\/cursussen\.ics/, 'the request is in the access log');
  assert.doesNotMatch(log, new RegExp(key), 'the key is not');

  assert.equal((await app.get('/mijn/cursussen.ics?sleutel=' + 'A'.repeat(43))).status, 404);
  assert.equal((await app.get('/mijn/cursussen.ics')).status, 404);
  const replaced = await martin.post('/mijn/cursussen/agenda', { csrf: csrfOf(page.text) });
  const key2 = replaced.text.match(/sleutel=([A-Za-z0-9_-]+)/)[1];
  assert.notEqual(key2, key);
  assert.equal((await app.get(`/mijn/cursussen.ics?sleutel=${key}`)).status, 404);
  assert.equal((await app.get(`/mijn/cursussen.ics?sleutel=${key2}`)).status, 200);
  const stop = await martin.post('/mijn/cursussen/agenda/verwijderen', { csrf: csrfOf(page.text) });
  assert.equal(stop.status, 303);
  assert.equal((await app.get(`/mijn/cursussen.ics?sleutel=${key2}`)).status, 404);
});
