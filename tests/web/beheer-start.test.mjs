// The back office's start page (what needs doing: registrations to process, the week's events
// with their fill rate, waiting lists, logins held by the brake, which staff can lift) and the
// audit trail: searchable at /beheer/audit, and refused by the database itself for UPDATE and
// DELETE on both databases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { PW, csrfOf, text, actingAs, staffClient, personId } from './lib/portal.mjs';

let srv, staff;
before(async () => {
  srv = await startServer();
  staff = await staffClient(srv);
});
after(async () => { await srv?.stop(); });

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

test('the start page counts the registrations to process and links to the queue', async () => {
  const before = text((await staff.get('/beheer')).text);
  assert.match(before, /Geen nieuwe inschrijvingen om te verwerken/);
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const eid = await sqlValue(srv.dbUrl, "SELECT min(id) FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
  const page = await martin.get(`/evenementen/${eid}/inschrijven`);
  const r = await martin.post(`/evenementen/${eid}/inschrijven`, {
    csrf: csrfOf(page.text), context: 'persoon', voorwaarden: '1',
  });
  assert.equal(r.status, 303);
  const after = await staff.get('/beheer');
  assert.equal(after.status, 200);
  assert.match(text(after.text), /1 nieuwe inschrijving om te verwerken/);
  assert.match(after.text, /href="\/beheer\/inschrijvingen\?status=aangemeld"/);
});

test('the week: events starting from today up to six days ahead, with seats and fill rate', async () => {
  const eid = await sqlValue(srv.dbUrl, "SELECT min(id) FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
  await sql(srv.dbUrl, `UPDATE events SET starts_on = ${q(isoDay(2))}, ends_on = ${q(isoDay(2))}, capacity = 8, seats_taken = 6 WHERE id = ${eid}`);
  const t = text((await staff.get('/beheer')).text);
  assert.match(t, /Evenementen deze week .*LV Optimaal bespuiten \(VT\).* 6 van 8 75%/);
  await sql(srv.dbUrl, `UPDATE events SET starts_on = ${q(isoDay(7))}, ends_on = ${q(isoDay(7))} WHERE id = ${eid}`);
  assert.match(text((await staff.get('/beheer')).text), /Deze week begint er geen evenement/);
});

test('waiting lists: the events with people waiting, most first', async () => {
  const t = text((await staff.get('/beheer')).text);
  // the demo's full Medical Care (STCW) event has two people waiting
  assert.match(t, /Wachtlijsten .*Medical Care \(STCW\).* 8 van 8 2/);
});

test('a braked login shows on the start page and staff lift the brake', async () => {
  const user = 'jan.devries@example.nl';
  for (let i = 0; i < 5; i++) {
    const c = makeClient(srv.url);
    const page = await c.get('/inloggen');
    await c.post('/inloggen', { csrf: csrfOf(page.text), gebruikersnaam: user, wachtwoord: 'Fout!wachtwoord9' });
  }
  const page = await staff.get('/beheer');
  assert.match(text(page.text), new RegExp(`${user} 5`));
  const refused = await actingAs(srv, user).catch((e) => e);
  assert.ok(refused instanceof Error, 'the brake holds the right password back');
  const r = await staff.post('/beheer/rem-opheffen', { csrf: csrfOf(page.text), account: user });
  assert.equal(r.status, 303);
  const back = await staff.get('/beheer');
  assert.match(text(back.text), /De rem is opgeheven/);
  assert.match(text(back.text), /Er worden nu geen logins tegengehouden/);
  assert.ok(await actingAs(srv, user), 'the owner logs in again');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = 'rem_opgeheven' AND subject = ${q(user)} AND actor_id = ${await personId(srv, 'administratie@example.nl')}`), '1');
});

test('the audit trail shows each field as old → new and is searched by event, person, date and text', async () => {
  const eid = await sqlValue(srv.dbUrl, 'SELECT min(id) FROM events');
  const admin = await personId(srv, 'administratie@example.nl');
  const now = Math.floor(Date.now() / 1000);
  await sql(srv.dbUrl, `INSERT INTO audit_log (at, actor_id, client_ip, action, subject, detail, event_id, changes)
    VALUES (${now}, ${admin}, '192.0.2.9', 'evenement_gewijzigd', 'Heftruck basis', '', ${eid}, ${q('capaciteit\t8\t10\nlocatie\tDen Helder\tSchagen\n')})`);
  const byEvent = await staff.get(`/beheer/audit?evenement=${eid}`);
  assert.equal(byEvent.status, 200);
  const t = text(byEvent.text);
  assert.match(t, /evenement_gewijzigd/);
  assert.match(t, /capaciteit: 8 → 10; locatie: Den Helder → Schagen/);
  assert.match(t, /Administratie Onderwijsgroep/);
  // another event: not there
  assert.doesNotMatch(text((await staff.get(`/beheer/audit?evenement=${Number(eid) + 100000}`)).text), /evenement_gewijzigd/);
  // by the person who did it, by text, by date
  assert.match(text((await staff.get(`/beheer/audit?persoon=${admin}`)).text), /evenement_gewijzigd/);
  assert.match(text((await staff.get('/beheer/audit?zoek=HEFTRUCK')).text), /evenement_gewijzigd/);
  assert.match(text((await staff.get(`/beheer/audit?van=${isoDay(0)}&tot=${isoDay(0)}`)).text), /evenement_gewijzigd/);
  assert.doesNotMatch(text((await staff.get(`/beheer/audit?van=${isoDay(1)}`)).text), /evenement_gewijzigd/);
  // a malformed filter is named, not an error
  const bad = await staff.get('/beheer/audit?van=gisteren');
  assert.equal(bad.status, 200);
  assert.match(text(bad.text), /Dit filter is niet gebruikt/);
});

test('nobody can change or delete an audit line: the database refuses', async () => {
  const before = await sqlValue(srv.dbUrl, 'SELECT count(*) FROM audit_log');
  const id = await sqlValue(srv.dbUrl, 'SELECT min(id) FROM audit_log');
  const subject = await sqlValue(srv.dbUrl, `SELECT subject FROM audit_log WHERE id = ${id}`);
  await assert.rejects(sql(srv.dbUrl, `UPDATE audit_log SET subject = 'vervalst' WHERE id = ${id}`), /audit_log/);
  await assert.rejects(sql(srv.dbUrl, `DELETE FROM audit_log WHERE id = ${id}`), /audit_log/);
  await assert.rejects(sql(srv.dbUrl, 'DELETE FROM audit_log'), /audit_log/);
  if (srv.backend === 'postgres') await assert.rejects(sql(srv.dbUrl, 'TRUNCATE audit_log'), /audit_log/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT subject FROM audit_log WHERE id = ${id}`), subject);
  assert.equal(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM audit_log'), before);
});

test('customers never see the back office', async () => {
  for (const [email, org] of [['martin.sommer@example.nl', null], ['deby.rummens@example.nl', 'Gemeente Heerhugowaard']]) {
    const c = await actingAs(srv, email, org);
    for (const path of ['/beheer', '/beheer/audit']) {
      const r = await c.get(path);
      assert.equal(r.status, 403, `${email} ${path}`);
      assert.match(text(r.text), /alleen voor medewerkers van de administratie/);
    }
    assert.doesNotMatch((await c.get('/mijn')).text, /href="\/beheer"/, 'no Beheer link in the menu');
  }
  assert.match((await staff.get('/mijn')).text, /href="\/beheer"/);
});
