// Mijn organisatie cannot be turned against others: mail caused by what a beheerder types has a
// quota (staff and system mail never), a login linked by its e-mail address shows the
// organisation only what the beheerder typed and can undo the link, a form shown for one
// organisation never changes another, and remember-me tokens are only changed by their person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { PW, csrfOf, text, loginAs, orgId, personId, choose, actingAs } from './lib/portal.mjs';

const contextOf = (html) => html.match(/name="context" value="([^"]+)"/)?.[1];
const NEW = '/mijn/organisatie/contactpersonen/nieuw';
const QUOTA_MSG = /Om misbruik van e-mail te voorkomen kan dat even niet meer\. .*Er is niets opgeslagen\./;

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const now = () => Math.floor(Date.now() / 1000);
const count = async (q) => Number(await sqlValue(srv.dbUrl, q));
const linkIn = (mail) => mail.text.match(/https?:\/\/\S+\/ontkoppelen\?token=[A-Za-z0-9_-]+/)?.[0];

/** Adds a contact through the form; returns the response. */
async function addContact(c, fields) {
  const form = await c.get(NEW);
  assert.equal(form.status, 200);
  return c.post(NEW, { csrf: csrfOf(form.text), context: contextOf(form.text), rol: 'medewerker', ...fields });
}

/** n quota rows for an organisation and person, `ago` seconds old. */
async function fillQuota(org, person, n, kind = 'contact', ago = 0) {
  const rows = Array.from({ length: n }, () => `(${org}, ${person}, '${kind}', ${now() - ago})`).join(', ');
  await sql(srv.dbUrl, `INSERT INTO mail_quota (organisation_id, person_id, kind, at) VALUES ${rows}`);
}

test('a form shown for one organisation is refused after a switch to another: 409, nothing stored', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const ghhw = await orgId(srv, 'Gemeente Heerhugowaard');
  const jan = await personId(srv, 'jan.devries@example.nl');
  const edit = await c.get('/mijn/organisatie/aanpassen');
  const add = await c.get(NEW);
  const contact = await c.get(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`);
  const remove = await c.get(`/mijn/organisatie/contactpersonen/${jan}/verwijderen`);
  for (const page of [edit, add, contact, remove]) assert.equal(contextOf(page.text), ghhw);
  const orgsBefore = await sql(srv.dbUrl, 'SELECT id, name, visit_city, updated_at FROM organisations ORDER BY id');
  const membersBefore = await sql(srv.dbUrl, 'SELECT id, role, job_title, active FROM memberships ORDER BY id');
  const personsBefore = await count('SELECT count(*) FROM persons');

  await choose(srv, c, 'Herenbos Schagen'); // in another tab
  const posts = [
    ['/mijn/organisatie/aanpassen', edit, { naam: 'Gekaapt', bezoek_plaats: 'Elders' }],
    [NEW, add, { voornaam: 'Femke', achternaam: 'Groen', email: 'femke.stale@example.nl', rol: 'medewerker' }],
    [`/mijn/organisatie/contactpersonen/${jan}/aanpassen`, contact, { functie: 'Gekaapt', rol: 'beheerder' }],
    [`/mijn/organisatie/contactpersonen/${jan}/verwijderen`, remove, {}],
  ];
  for (const [path, page, form] of posts) {
    const r = await c.post(path, { csrf: csrfOf(page.text), context: contextOf(page.text), ...form });
    assert.equal(r.status, 409, path);
    assert.match(text(r.text), /Dit formulier hoort bij een andere organisatie dan die u nu gekozen heeft\. Er is niets opgeslagen\. U werkt nu namens Herenbos Schagen\./, path);
    // a form without its context is refused the same way
    assert.equal((await c.post(path, { csrf: csrfOf(page.text), ...form })).status, 409, `${path} without context`);
  }
  assert.deepEqual(await sql(srv.dbUrl, 'SELECT id, name, visit_city, updated_at FROM organisations ORDER BY id'), orgsBefore, 'neither organisation changed');
  assert.deepEqual(await sql(srv.dbUrl, 'SELECT id, role, job_title, active FROM memberships ORDER BY id'), membersBefore);
  assert.equal(await count('SELECT count(*) FROM persons'), personsBefore);

  // the same form shown for Herenbos Schagen goes through
  const fresh = await c.get('/mijn/organisatie/aanpassen');
  assert.equal(contextOf(fresh.text), await orgId(srv, 'Herenbos Schagen'));
  const ok = await c.post('/mijn/organisatie/aanpassen', { csrf: csrfOf(fresh.text), context: contextOf(fresh.text), naam: 'Herenbos Schagen', bezoek_plaats: 'Schagen' });
  assert.equal(ok.status, 303);
});

test('adding a login by its address shows only what the beheerder typed; the person is told and can undo it', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const martinId = await personId(srv, 'martin.sommer@example.nl');
  const martinBefore = await sql(srv.dbUrl, `SELECT first_name, infix, last_name, street, house_number, postcode, city, phone, birth_date, updated_at FROM persons WHERE id = ${martinId}`);
  const street = martinBefore[0][3];
  assert.ok(street, 'Martin has a private address');

  const known = await addContact(c, { voornaam: 'Onbekende', achternaam: 'Collega', email: 'Martin.Sommer@example.nl', uitnodigen: '1' });
  const unknown = await addContact(c, { voornaam: 'Nieuwe', achternaam: 'Collega', email: 'nieuwe.collega@example.nl', uitnodigen: '1' });
  assert.equal(known.status, 303);
  assert.equal(known.headers.get('location'), unknown.headers.get('location'), 'the same answer, known address or not');
  assert.equal(known.headers.get('location'), '/mijn/organisatie');

  const view = await c.get('/mijn/organisatie');
  const t = text(view.text);
  assert.match(t, /De contactpersoon is toegevoegd\./);
  assert.match(t, /Onbekende Collega/);
  assert.doesNotMatch(t, /Sommer/, 'never the person\'s own name');
  assert.doesNotMatch(t, new RegExp(street), 'never the person\'s private data');
  const edit = await c.get(`/mijn/organisatie/contactpersonen/${martinId}/aanpassen`);
  assert.match(text(edit.text), /Onbekende Collega/);
  assert.doesNotMatch(edit.text, /Sommer/);
  const remove = await c.get(`/mijn/organisatie/contactpersonen/${martinId}/verwijderen`);
  assert.match(text(remove.text), /Weet u zeker dat u Onbekende Collega wilt verwijderen/);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT first_name, infix, last_name, street, house_number, postcode, city, phone, birth_date, updated_at FROM persons WHERE id = ${martinId}`), martinBefore, 'his own data untouched');
  assert.deepEqual((await sql(srv.dbUrl, `SELECT contact_first_name, contact_last_name, contact_email FROM memberships WHERE person_id = ${martinId}`))[0], ['Onbekende', 'Collega', 'martin.sommer@example.nl']);

  // Martin is told, by a subject without anything a customer typed, with a link to undo it
  const [mail] = await srv.waitForMail('martin.sommer@example.nl');
  assert.equal(mail.subject, 'U bent toegevoegd als contactpersoon - Klantportal Mijn Onderwijsgroep');
  assert.match(mail.text, /Deby Rummens - Heijnen heeft u toegevoegd als contactpersoon van Gemeente Heerhugowaard/);
  assert.match(mail.text, /Beste Martin,/, 'his own name in a mail to himself');
  const link = linkIn(mail);
  assert.ok(link, 'unlink link');
  const token = link.split('token=')[1];
  assert.equal(await count(`SELECT count(*) FROM account_tokens WHERE token_hash = '${token}' OR data = '${token}'`), 0, 'stored hashed');
  assert.equal(await count(`SELECT count(*) FROM outbox WHERE body_text LIKE '%${token}%'`), 0, 'not in the stored mail');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT max(expires_at - created_at) FROM account_tokens WHERE kind LIKE 'ontkoppelen:%'"), String(14 * 24 * 3600));
  // the stranger with the new address got the invitation, not the link notice
  const [invite] = await srv.waitForMail('nieuwe.collega@example.nl');
  assert.equal(invite.subject, 'Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep');

  // acting for the organisation, Martin sees and edits the name the organisation knows
  const m = await actingAs(srv, 'martin.sommer@example.nl', 'Gemeente Heerhugowaard');
  const form = await m.get('/mijn/gegevens/aanpassen');
  assert.match(form.text, /name="voornaam" type="text" value="Onbekende"/);
  assert.match(form.text, /name="achternaam" type="text" value="Collega"/);
  const saved = await m.post('/mijn/gegevens/aanpassen', { csrf: csrfOf(form.text), context: contextOf(form.text), voornaam: 'Martin', achternaam: 'Sommer-Collega' });
  assert.equal(saved.status, 303);
  assert.deepEqual((await sql(srv.dbUrl, `SELECT contact_first_name, contact_last_name FROM memberships WHERE person_id = ${martinId}`))[0], ['Martin', 'Sommer-Collega']);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT last_name FROM persons WHERE id = ${martinId}`), 'Sommer', 'the own name stays');
  assert.match(text((await c.get('/mijn/organisatie')).text), /Martin Sommer-Collega/);

  // the link works without logging in: GET asks, POST ends the membership once
  const anon = makeClient(srv.url);
  const ask = await anon.get(link.replace(/^https?:\/\/[^/]+/, ''));
  assert.equal(ask.status, 200);
  assert.equal(ask.headers.get('referrer-policy'), 'no-referrer');
  assert.match(text(ask.text), /U bent toegevoegd als contactpersoon van Gemeente Heerhugowaard/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT active FROM memberships WHERE person_id = ${martinId}`), '1', 'a GET changes nothing');
  const path = `/ontkoppelen?token=${token}`;
  const done = await anon.post(path, { csrf: csrfOf(ask.text) });
  assert.equal(done.status, 200);
  assert.match(text(done.text), /U bent geen contactpersoon meer van Gemeente Heerhugowaard/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT active FROM memberships WHERE person_id = ${martinId}`), '0');
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'contactpersoon_ontkoppeld' AND actor_id = ${martinId}`), 1);
  assert.doesNotMatch(text((await c.get('/mijn/organisatie')).text), /Sommer-Collega/);
  assert.equal((await anon.post(path, { csrf: csrfOf(ask.text) })).status, 410, 'one time only');
  assert.equal((await anon.get(path)).status, 410);
  assert.equal((await m.get('/mijn/organisatie')).status, 404, 'Martin no longer acts for it');
});

test('mail a beheerder causes has a quota per organisation, per person and for invitations; refused means nothing stored', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  const herenbos = await orgId(srv, 'Herenbos Schagen');
  const ghhw = await orgId(srv, 'Gemeente Heerhugowaard');
  const deby = await personId(srv, 'deby.rummens@example.nl');
  const other = await personId(srv, 'kees.visser@example.nl');
  await sql(srv.dbUrl, 'DELETE FROM mail_quota');
  const snapshot = async () => [
    await count('SELECT count(*) FROM persons'), await count('SELECT count(*) FROM memberships'),
    await count('SELECT count(*) FROM outbox'), await count("SELECT count(*) FROM audit_log WHERE action = 'contactpersoon_toegevoegd'"),
    await count('SELECT count(*) FROM mail_quota'),
  ];

  // per organisation per hour (30), whoever caused them
  await fillQuota(herenbos, other, 30);
  let before = await snapshot();
  let r = await addContact(c, { voornaam: 'Uw factuur', achternaam: 'staat klaar', email: 'stranger1@example.nl', uitnodigen: '1' });
  assert.equal(r.status, 429);
  assert.match(text(r.text), QUOTA_MSG);
  assert.match(r.text, /name="email" type="email" value="stranger1@example.nl"/, 'the typed values stay in the form');
  assert.deepEqual(await snapshot(), before, 'nothing stored');
  // the linked-login notice counts too: a known address is refused the same way
  r = await addContact(c, { voornaam: 'X', achternaam: 'Y', email: 'martin.sommer@example.nl' });
  assert.equal(r.status, 429);
  assert.deepEqual(await snapshot(), before);
  // an hour later they no longer count
  await sql(srv.dbUrl, `UPDATE mail_quota SET at = at - 3601 WHERE organisation_id = ${herenbos}`);
  r = await addContact(c, { voornaam: 'Femke', achternaam: 'Groen', email: 'femke.quota@example.nl', uitnodigen: '1' });
  assert.equal(r.status, 303);
  assert.equal(await count(`SELECT count(*) FROM mail_quota WHERE organisation_id = ${herenbos} AND person_id = ${deby} AND kind = 'uitnodiging'`), 1);

  // per acting person per hour (20), over all organisations
  await sql(srv.dbUrl, 'DELETE FROM mail_quota');
  await fillQuota(ghhw, deby, 20);
  r = await addContact(c, { voornaam: 'Lars', achternaam: 'Jansen', email: 'stranger2@example.nl' });
  assert.equal(r.status, 429);
  assert.equal(await count("SELECT count(*) FROM persons WHERE email = 'stranger2@example.nl'"), 0);

  // invitations per organisation per day (50); adding without an invitation still works
  await sql(srv.dbUrl, 'DELETE FROM mail_quota');
  await fillQuota(herenbos, other, 50, 'uitnodiging', 2 * 3600);
  before = await snapshot();
  r = await addContact(c, { voornaam: 'Emma', achternaam: 'Boer', email: 'stranger3@example.nl', uitnodigen: '1' });
  assert.equal(r.status, 429);
  assert.deepEqual(await snapshot(), before);
  r = await addContact(c, { voornaam: 'Emma', achternaam: 'Boer', email: 'stranger3@example.nl' });
  assert.equal(r.status, 303);

  // mail the system sends is never capped: a password link still goes out
  await fillQuota(herenbos, deby, 40);
  const reset = makeClient(srv.url);
  const form = await reset.get('/wachtwoord-opvragen');
  const before2 = (await srv.mailsTo('deby.rummens@example.nl')).length;
  const rr = await reset.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'deby.rummens@example.nl' });
  assert.equal(rr.status, 303);
  assert.match(text((await reset.get(rr.headers.get('location'))).text), /Er is een bericht gestuurd naar uw e-mailadres/);
  const mails = await srv.waitForMail('deby.rummens@example.nl', before2 + 1);
  assert.match(mails[mails.length - 1].subject, /Wachtwoord opvragen/);
  await sql(srv.dbUrl, 'DELETE FROM mail_quota');
});

test('an organisation name of 200 characters breaks no page and no mail', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  await sql(srv.dbUrl, 'DELETE FROM mail_quota');
  const long = ('Gemeente & Co ' + 'Heerhugowaard-Noord '.repeat(10)).slice(0, 200);
  assert.equal(long.length, 200);
  const form = await c.get('/mijn/organisatie/aanpassen');
  let r = await c.post('/mijn/organisatie/aanpassen', { csrf: csrfOf(form.text), context: contextOf(form.text), naam: long });
  assert.equal(r.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT length(name) FROM organisations WHERE name LIKE 'Gemeente & Co%'"), '200');
  r = await addContact(c, { voornaam: 'Lange', achternaam: 'Naam', email: 'lange.naam@example.nl', uitnodigen: '1' });
  assert.equal(r.status, 303);
  r = await addContact(c, { voornaam: 'Martin', achternaam: 'Sommer', email: 'martin.sommer@example.nl' });
  assert.equal(r.status, 303);
  for (const p of ['/mijn', '/mijn/organisatie', '/mijn/organisatie/aanpassen', NEW, '/mijn/gegevens', '/mijn/gegevens/aanpassen', '/organisatie-kiezen']) {
    const page = await c.get(p);
    assert.equal(page.status, 200, p);
  }
  assert.ok(text((await c.get('/mijn/organisatie')).text).includes(long));
  const [invite] = await srv.waitForMail('lange.naam@example.nl');
  assert.equal(invite.subject, 'Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep');
  const notices = (await srv.waitForMail('martin.sommer@example.nl', 2)).filter((m) => /contactpersoon/.test(m.subject));
  const notice = notices[notices.length - 1];
  assert.equal(notices.length, 2, 'Martin is told again');
  assert.equal(notice.subject, 'U bent toegevoegd als contactpersoon - Klantportal Mijn Onderwijsgroep');
  assert.ok(notice.text.replace(/\s+/g, ' ').includes(long), 'the long name in the body');
  // Martin acting for it sees it too
  const k = await actingAs(srv, 'martin.sommer@example.nl', long);
  assert.equal((await k.get('/mijn/organisatie')).status, 200);
  assert.equal((await k.get('/mijn/gegevens')).status, 200);
});

test('remember-me: choosing a context or logging out changes only the own person\'s token', async () => {
  const { c: deby } = await loginAs(srv, 'deby.rummens@example.nl', PW, { onthoud: '1' });
  await choose(srv, deby, 'Herenbos Schagen');
  const herenbos = await orgId(srv, 'Herenbos Schagen');
  const [selector] = deby.cookie('kp_onthoud').split('.');
  const row = () => sqlValue(srv.dbUrl, `SELECT coalesce(organisation_id, 0) FROM remember_tokens WHERE selector = '${selector}'`);
  assert.equal(await row(), herenbos);

  // Martin, logged in with a session, sends a cookie with Deby's selector
  const { c: martin } = await loginAs(srv, 'martin.sommer@example.nl');
  martin.cookies.set('kp_onthoud', `${selector}.verkeerd`);
  const page = await martin.get('/organisatie-kiezen');
  const r = await martin.post('/organisatie-kiezen', { csrf: csrfOf(page.text), organisatie: 'persoon' });
  assert.equal(r.status, 303);
  assert.equal(await row(), herenbos, 'Deby\'s remembered context unchanged');
  const mijn = await martin.get('/mijn');
  await martin.post('/uitloggen', { csrf: csrfOf(mijn.text) });
  assert.equal(await row(), herenbos, 'Deby\'s token not revoked by another person\'s logout');
  // Deby's own logout does revoke it
  const own = await deby.get('/mijn');
  await deby.post('/uitloggen', { csrf: csrfOf(own.text) });
  assert.equal(await row(), undefined);
});

test('the unlink link does not leave an organisation without a beheerder', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  await sql(srv.dbUrl, 'DELETE FROM mail_quota');
  const r = await addContact(c, { voornaam: 'Jan', achternaam: 'Beheerder', email: 'jan.devries@example.nl', rol: 'beheerder' });
  assert.equal(r.status, 303);
  const org = await orgId(srv, 'Herenbos Schagen');
  const jan = await personId(srv, 'jan.devries@example.nl');
  const deby = await personId(srv, 'deby.rummens@example.nl');
  // Deby steps down: Jan is now the only beheerder of Herenbos Schagen
  await sql(srv.dbUrl, `UPDATE memberships SET active = 0 WHERE person_id = ${deby} AND organisation_id = ${org}`);
  const mails = await srv.waitForMail('jan.devries@example.nl');
  const link = mails.map((m) => m.text.match(/https?:\/\/\S+\/ontkoppelen\?token=[A-Za-z0-9_-]+/)?.[0]).find(Boolean);
  const u = new URL(link);
  const j = makeClient(srv.url);
  const page = await j.get(u.pathname + u.search);
  const done = await j.post(u.pathname + u.search, { csrf: csrfOf(page.text) });
  assert.equal(done.status, 409);
  assert.match(text(done.text), /U bent de enige beheerder van Herenbos Schagen/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT active FROM memberships WHERE person_id = ${jan} AND organisation_id = ${org}`), '1');
});
