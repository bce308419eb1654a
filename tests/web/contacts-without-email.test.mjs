// Contact persons without an e-mail address (a gardener, a forklift driver): stored and listed,
// two of them as easily as one, but never invited, mailed or logged in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { PW, csrfOf, text, actingAs } from './lib/portal.mjs';

const contextOf = (html) => html.match(/name="context" value="([^"]+)"/)?.[1];
const NEW = '/mijn/organisatie/contactpersonen/nieuw';

let srv;
let deby; // Deby acting for Gemeente Heerhugowaard, its beheerder
before(async () => {
  srv = await startServer();
  deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
});
after(async () => { await srv?.stop(); });

const count = async (q) => Number(await sqlValue(srv.dbUrl, q));

/** Adds a contact through Nieuw contactpersoon as c. */
async function addContact(c, fields) {
  const form = await c.get(NEW);
  assert.equal(form.status, 200);
  return c.post(NEW, { csrf: csrfOf(form.text), context: contextOf(form.text), rol: 'medewerker', ...fields });
}

test('a contact without an e-mail address is stored and listed, and two of them may exist', async () => {
  const form = await deby.get(NEW);
  assert.match(text(form.text), /Niet iedereen heeft een e-mailadres; zonder adres krijgt de beheerder de berichten\./);
  assert.doesNotMatch(form.text.match(/<input id="f-email"[^>]*>/)[0], /required/);
  const personsBefore = await count('SELECT count(*) FROM persons');
  const quotaBefore = await count('SELECT count(*) FROM mail_quota');
  let r = await addContact(deby, { voornaam: 'Gert', achternaam: 'Hovenier', functie: 'Tuinman', email: '' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mijn/organisatie');
  // a second one without an address, even with the same name: another person
  r = await addContact(deby, { voornaam: 'Gert', achternaam: 'Hovenier', functie: 'Heftruckchauffeur' });
  assert.equal(r.status, 303);
  assert.equal(await count('SELECT count(*) FROM persons'), personsBefore + 2);
  const rows = await sql(srv.dbUrl, "SELECT p.email, m.contact_email, m.job_title, p.password_hash IS NULL FROM persons p JOIN memberships m ON m.person_id = p.id WHERE m.contact_last_name = 'Hovenier' ORDER BY p.id");
  assert.equal(rows.length, 2);
  for (const [email, contactEmail] of rows) assert.deepEqual([email, contactEmail], ['', '']);
  assert.deepEqual(rows.map((x) => x[2]), ['Tuinman', 'Heftruckchauffeur']);
  // no mail, no quota unit: nothing could be sent
  assert.equal(await count("SELECT count(*) FROM outbox WHERE to_address = ''"), 0);
  assert.equal(await count('SELECT count(*) FROM mail_quota'), quotaBefore);
  // the list says so, with no invitation to offer
  const page = await deby.get('/mijn/organisatie');
  const trs = [...page.text.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]).filter((tr) => tr.includes('>Gert Hovenier</td>'));
  assert.equal(trs.length, 2);
  for (const tr of trs) {
    assert.match(tr, /<td data-label="E-mail" class="email"><span class="muted">Geen e-mailadres<\/span><\/td>/);
    const account = text(tr.match(/<td data-label="Account">([\s\S]*?)<\/td>/)[1]).trim();
    assert.equal(account, 'Geen account');
    assert.doesNotMatch(tr, /uitnodigen/);
  }
  // an address that is there stays unique, whatever its case
  const taken = await addContact(deby, { voornaam: 'Jan', achternaam: 'Dubbel', email: 'JAN.DEVRIES@example.nl' });
  assert.equal(taken.status, 200);
  assert.match(text(taken.text), /Deze persoon is al contactpersoon van uw organisatie\./);
});

test('an invitation needs an address: refused on the form and on the list, nothing stored or sent', async () => {
  const before = await count("SELECT count(*) FROM persons WHERE last_name = 'Zonderadres'");
  const quota = await count('SELECT count(*) FROM mail_quota');
  const r = await addContact(deby, { voornaam: 'Piet', achternaam: 'Zonderadres', uitnodigen: '1' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<title>Fout: /);
  assert.match(text(r.text), /Zonder e-mailadres kan er geen uitnodiging worden gestuurd\./);
  assert.equal(await count("SELECT count(*) FROM persons WHERE last_name = 'Zonderadres'"), before);
  assert.equal(await count('SELECT count(*) FROM mail_quota'), quota);
  // added without the box, then invited from the list anyway (a forged or stale button)
  assert.equal((await addContact(deby, { voornaam: 'Piet', achternaam: 'Zonderadres' })).status, 303);
  const id = await sqlValue(srv.dbUrl, "SELECT person_id FROM memberships WHERE contact_last_name = 'Zonderadres'");
  const list = await deby.get('/mijn/organisatie');
  const outbox = await count('SELECT count(*) FROM outbox');
  const inv = await deby.post(`/mijn/organisatie/contactpersonen/${id}/uitnodigen`, { csrf: csrfOf(list.text), context: contextOf(list.text) });
  assert.equal(inv.status, 409);
  assert.match(text(inv.text), /Piet Zonderadres heeft geen e-mailadres en kan daarom geen uitnodiging krijgen\. Er is geen uitnodiging verstuurd\./);
  assert.equal(await count('SELECT count(*) FROM outbox'), outbox);
  assert.equal(await count(`SELECT count(*) FROM outbox WHERE link_person_id = ${id}`), 0);
  assert.equal(await count(`SELECT count(*) FROM account_tokens WHERE person_id = ${id}`), 0);
});

test('an empty login name never logs anyone in, not even a person without an address who has a password', async () => {
  // the worst case: a person without an address who somehow got a password
  const hash = await sqlValue(srv.dbUrl, "SELECT password_hash FROM persons WHERE email = 'deby.rummens@example.nl'");
  await sql(srv.dbUrl, `UPDATE persons SET password_hash = '${hash}' WHERE id = (SELECT min(person_id) FROM memberships WHERE contact_last_name = 'Hovenier')`);
  for (const name of ['', '   ']) {
    const c = makeClient(srv.url);
    const form = await c.get('/inloggen');
    const r = await c.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: name, wachtwoord: PW });
    assert.equal(r.status, 200, `login name ${JSON.stringify(name)}`);
    assert.match(text(r.text), /Vul uw gebruikersnaam in\./);
    assert.equal(c.cookie('kp_sessie'), undefined);
    assert.equal((await c.get('/mijn')).status, 303, 'not logged in');
    // nor is a password link sent for it
    const reset = await c.get('/wachtwoord-opvragen');
    const rr = await c.post('/wachtwoord-opvragen', { csrf: csrfOf(reset.text), gebruikersnaam: name });
    assert.equal(rr.status, 200);
  }
  assert.equal(await count("SELECT count(*) FROM outbox WHERE to_address = ''"), 0);
  assert.equal(await count("SELECT count(*) FROM sessions s JOIN persons p ON p.id = s.person_id WHERE p.email = ''"), 0);
  await sql(srv.dbUrl, "UPDATE persons SET password_hash = NULL WHERE email = ''");
});
