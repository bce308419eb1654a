// Rushes on Inschrijven: many people at once for an event with few places, one person sending
// the same enrolment many times at once, and (PostgreSQL) the rush split over two servers on
// one database. Whatever the order the requests are served in: never more registrations
// holding a seat than places, seats_taken equal to them, and every other request a clear
// refusal or a waiting-list place, each with its audit line and its mail.
//
// The persons and their sessions are made in SQL (the session cookie is a random token, the
// row holds its SHA-256), so the rush starts without 200 Argon2id logins first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { text } from './lib/portal.mjs';

const PEOPLE = 200;
const PLACES = 10;
const SAME = 50;
// every request of a rush is an open connection from 127.0.0.1 (the default allows 64)
const env = { KLANTPORTAL_CONNECTIONS_PER_ADDRESS: '1000' };

let srv;
const people = []; // { id, email, cookie, csrf }

before(async () => {
  srv = await startServer({ demo: false, env });
  const now = Math.floor(Date.now() / 1000);
  const rows = [];
  for (let i = 1; i <= PEOPLE; i++) {
    const email = `rush${i}@example.nl`;
    rows.push(`('Deelnemer', '${i}', 'Rush', '${email}', 'Stationsweg', '${i}', '1811 AA', 'Alkmaar', ${now}, ${now})`);
    const token = crypto.randomBytes(32).toString('base64url');
    people.push({ email, cookie: `kp_sessie=${token}`, csrf: crypto.randomBytes(32).toString('base64url'), token });
  }
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, infix, last_name, email, street, house_number, postcode, city, created_at, updated_at) VALUES ${rows.join(', ')}`);
  const ids = new Map(await sql(srv.dbUrl, "SELECT email, id FROM persons WHERE email LIKE 'rush%'"));
  const sessions = people.map((p) => {
    p.id = ids.get(p.email);
    const hash = crypto.createHash('sha256').update(p.token).digest('hex');
    return `('${hash}', ${p.id}, '${p.csrf}', ${now}, ${now}, ${now + 3600})`;
  });
  await sql(srv.dbUrl, `INSERT INTO sessions (token_hash, person_id, csrf, created_at, last_seen_at, expires_at) VALUES ${sessions.join(', ')}`);
  await sql(srv.dbUrl, `INSERT INTO courses (slug, name, created_at) VALUES ('drukte', 'Cursus Drukte', ${now})`);
});
after(async () => { await srv?.stop(); });

/** A free event of the rush course with `places` places; resolves with its id. */
async function newEvent(name, places = PLACES) {
  const now = Math.floor(Date.now() / 1000);
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
    SELECT id, '${name}', '${isoDay(30)}', '${isoDay(30)}', 'Alkmaar', ${places}, 0, ${now} FROM courses WHERE slug = 'drukte'`);
  return sqlValue(srv.dbUrl, `SELECT id FROM events WHERE name = '${name}'`);
}

/** The enrolment POST of person p as the page's form sends it. */
async function enrol(base, p, eid, waitlist) {
  const body = new URLSearchParams({ csrf: p.csrf, context: 'persoon' });
  if (waitlist) body.set('wachtlijst', '1');
  const res = await fetch(`${base}/evenementen/${eid}/inschrijven`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: p.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { p, waitlist, status: res.status, location: res.headers.get('location'), text: text(await res.text()) };
}

const count = async (q) => Number(await sqlValue(srv.dbUrl, q));

/** Fires every person's enrolment at once (odd ones ask for the waiting list when full), each
 * at servers[i % servers.length], and checks the outcome in the answers and the database. */
async function rush(eid, servers) {
  const mailsBefore = await count("SELECT count(*) FROM outbox WHERE to_address LIKE 'rush%'");
  const answers = await Promise.all(people.map((p, i) => enrol(servers[i % servers.length].url, p, eid, i % 2 === 1)));
  const stored = answers.filter((a) => a.status === 303);
  const refused = answers.filter((a) => a.status === 409);
  const other = answers.filter((a) => a.status !== 303 && a.status !== 409);
  assert.deepEqual(other.map((a) => `${a.status} ${a.text.slice(0, 200)}`), [], 'every request stored or refused');
  for (const a of stored) assert.match(a.location, /^\/inschrijvingen\/\d+\/bevestiging$/);
  for (const a of refused) {
    assert.match(a.text, /Dit evenement is intussen vol/);
    assert.equal(a.waitlist, false, 'who asked for the waiting list got a place on it');
  }

  const seated = await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid} AND status = 'aangemeld'`);
  const waiting = await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid} AND status = 'wachtlijst'`);
  assert.equal(seated, PLACES, 'exactly as many registrations hold a seat as there are places');
  assert.equal(await count(`SELECT seats_taken FROM events WHERE id = ${eid}`), PLACES);
  assert.equal(seated + waiting, stored.length, 'one registration per 303');
  assert.equal(seated + waiting + refused.length, PEOPLE);
  // who waits asked for it, and the registrations are theirs, one each
  const regs = await sql(srv.dbUrl, `SELECT r.id, r.person_id, r.status FROM registrations r WHERE r.event_id = ${eid}`);
  const asked = new Set(answers.filter((a) => a.waitlist).map((a) => a.p.id));
  for (const [, person, status] of regs) if (status === 'wachtlijst') assert.ok(asked.has(person), `person ${person} waits without asking`);
  assert.equal(new Set(regs.map((r) => r[1])).size, regs.length);
  assert.deepEqual(new Set(regs.map((r) => `/inschrijvingen/${r[0]}/bevestiging`)), new Set(stored.map((a) => a.location)));
  // everyone who asked for the waiting list is on it or has a seat
  assert.equal(stored.filter((a) => a.waitlist).length, PEOPLE / 2);
  // each stored registration has its audit line and its mail, a refusal neither
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action IN ('inschrijving', 'inschrijving_wachtlijst') AND detail LIKE 'evenement ${eid},%'`), stored.length);
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'inschrijving_wachtlijst' AND detail LIKE 'evenement ${eid},%'`), waiting);
  // one "Inschrijving ontvangen" or "Plaats op de wachtlijst" per registration
  assert.equal(await count("SELECT count(*) FROM outbox WHERE to_address LIKE 'rush%'") - mailsBefore, stored.length);
  return { seated, waiting, refused: refused.length };
}

test(`${PEOPLE} people at once for ${PLACES} places: ${PLACES} seats, the rest refused or on the waiting list`, async () => {
  const eid = await newEvent('Drukte een server');
  const r = await rush(eid, [srv]);
  // the page says so: Vol, with the waiting list's length
  const page = text(await (await fetch(`${srv.url}/evenementen/${eid}/inschrijven`)).text());
  assert.match(page, new RegExp(`Beschikbare plaatsen Vol \\(${r.waiting} personen op de wachtlijst\\)`));
});

test(`one person sending the same enrolment ${SAME} times at once: one registration, the rest told it exists`, async () => {
  const eid = await newEvent('Drukte dubbel');
  const p = people[0];
  const answers = await Promise.all(Array.from({ length: SAME }, () => enrol(srv.url, p, eid, false)));
  const stored = answers.filter((a) => a.status === 303);
  assert.equal(stored.length, 1, answers.map((a) => a.status).join(' '));
  const refused = answers.filter((a) => a.status === 409);
  assert.equal(refused.length, SAME - 1);
  for (const a of refused) assert.match(a.text, /U bent al ingeschreven voor dit evenement/);
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid}`), 1);
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid} AND person_id = ${p.id} AND status = 'aangemeld'`), 1);
  assert.equal(await count(`SELECT seats_taken FROM events WHERE id = ${eid}`), 1);
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'inschrijving' AND detail LIKE 'evenement ${eid},%'`), 1);
});

test('PostgreSQL: the rush split over two servers on one database still takes exactly the places', async (t) => {
  if (srv.backend !== 'postgres') {
    t.skip('two server processes on one database: PostgreSQL only');
    return;
  }
  const srv2 = await startServer({
    dbUrl: srv.dbUrl,
    env: { ...env, KLANTPORTAL_SECRET_KEY_FILE: path.join(srv.tmpDir, 'klantportal.key') },
  });
  try {
    assert.notEqual(srv2.pid, srv.pid);
    const eid = await newEvent('Drukte twee servers');
    await rush(eid, [srv, srv2]);
  } finally {
    await srv2.stop();
  }
});
