// Persons and organisations in the back office: finding them by each criterion, a person made
// and changed (address history and audit lines), memberships and roles, the activation link,
// blocking (every session and remembered browser out at once), lifting the brake, and
// Organisatie-toegang end to end: the new beheerder activates from the e-mail, logs in, chooses
// the organisation and acts for it as beheerder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { PW, csrfOf, text, loginAs, personId, orgId, choose, staffClient } from './lib/portal.mjs';

const linkIn = (mail) => mail.text.match(/\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+/)?.[0];
const NEW_PW = 'Tulpen!Veld2026';

let srv;
let staff; // one staff login for the whole file: each login uses a code
let staffId;
before(async () => {
  srv = await startServer();
  staff = await staffClient(srv);
  staffId = await personId(srv, 'administratie@example.nl');
});
after(async () => { await srv?.stop(); });

const count = async (q) => Number(await sqlValue(srv.dbUrl, q));

/** The names in the first column of a list page's rows. */
const namesIn = (html) => [...html.matchAll(/<td data-label="Naam"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

/** Posts a form of a back-office page with that page's CSRF token. */
async function postFrom(pagePath, action, form = {}) {
  const page = await staff.get(pagePath);
  assert.equal(page.status, 200, pagePath);
  return staff.post(action, { csrf: csrfOf(page.text), ...form });
}

/** The audit lines about a person or organisation, oldest first: [action, changes]. */
const auditOf = async (where) => {
  const chr = srv.dbUrl.startsWith('sqlite') ? 'char' : 'chr';
  const rows = await sql(srv.dbUrl, `SELECT action, replace(replace(changes, ${chr}(9), '|'), ${chr}(10), ';') FROM audit_log WHERE ${where} ORDER BY id`);
  return rows.map(([action, changes]) => [action, (changes ?? '').replace(/;$/, '')]);
};

test('Personen: found by name, e-mail address, place and organisation', async () => {
  let r = await staff.get('/beheer/personen?naam=vries');
  assert.equal(r.status, 200);
  assert.deepEqual(namesIn(r.text), ['Jan de Vries']);
  r = await staff.get('/beheer/personen?naam=rummens+deby');
  assert.deepEqual(namesIn(r.text), ['Deby Rummens - Heijnen']);
  r = await staff.get('/beheer/personen?email=martin.sommer%40');
  assert.deepEqual(namesIn(r.text), ['Martin Sommer']);
  r = await staff.get('/beheer/personen?plaats=den+helder');
  assert.deepEqual(namesIn(r.text).sort(), ['Fatima El Amrani', 'Julia Bos', 'Lars Jansen', 'Martin Sommer']);
  r = await staff.get('/beheer/personen?organisatie=herenbos');
  assert.deepEqual(namesIn(r.text), ['Deby Rummens - Heijnen', 'Kees Visser'], 'by last name');
  assert.match(text(r.text), /2 personen/);
  assert.match(text(r.text), /Herenbos Schagen \(beheerder\)/);
  // criteria together; a LIKE character is a character
  r = await staff.get('/beheer/personen?plaats=den+helder&organisatie=roc');
  assert.deepEqual(namesIn(r.text), ['Fatima El Amrani']);
  r = await staff.get('/beheer/personen?naam=%25');
  assert.deepEqual(namesIn(r.text), []);
  assert.match(text(r.text), /Er zijn geen personen gevonden/);
  // everyone, by last name, a page at a time with the filters kept
  r = await staff.get('/beheer/personen?aantal=10');
  assert.equal(namesIn(r.text).length, 10);
  const next = r.text.match(/href="([^"]+)" rel="next"/)?.[1].replace(/&amp;/g, '&');
  assert.ok(next, 'a next page');
  const second = await staff.get(next);
  assert.equal(second.status, 200);
  assert.ok(!namesIn(second.text).some((n) => namesIn(r.text).includes(n)), 'no row twice');
});

test('Organisaties: found by name, place and KvK number', async () => {
  let r = await staff.get('/beheer/organisaties?naam=heren');
  assert.equal(r.status, 200);
  assert.deepEqual(namesIn(r.text), ['Herenbos Schagen']);
  r = await staff.get('/beheer/organisaties?plaats=den+helder');
  assert.deepEqual(namesIn(r.text), ['ROC Kop van Noord-Holland']);
  r = await staff.get('/beheer/organisaties?kvk=5012');
  assert.deepEqual(namesIn(r.text), ['Gemeente Heerhugowaard']);
  r = await staff.get('/beheer/organisaties');
  assert.deepEqual(namesIn(r.text), ['Gemeente Heerhugowaard', 'Herenbos Schagen', 'ROC Kop van Noord-Holland']);
  // the organisation's page: its data and members with their roles
  const id = await orgId(srv, 'Herenbos Schagen');
  r = await staff.get(`/beheer/organisaties/${id}`);
  assert.equal(r.status, 200);
  const page = text(r.text);
  assert.match(page, /KvK-nummer 37012345/);
  assert.match(page, /Deby Rummens - Heijnen HR-adviseur deby\.rummens@example\.nl Beheerder Heeft een account/);
  assert.match(page, /Kees Visser Bedrijfsleider .* Medewerker Geen account/);
});

test('Nieuwe persoon without a login, then changed: address history and audit lines', async () => {
  // half an address is refused, with the typed values kept
  let r = await postFrom('/beheer/personen/nieuw', '/beheer/personen/nieuw', { voornaam: 'Bert', achternaam: 'Hooi', straat: 'Dijkweg' });
  assert.equal(r.status, 200);
  assert.match(text(r.text), /Er is een probleem/);
  assert.match(r.text, /Vul ook de postcode in\./);
  assert.match(r.text, /name="straat" type="text" value="Dijkweg"/);
  r = await postFrom('/beheer/personen/nieuw', '/beheer/personen/nieuw', {
    voornaam: 'Bert', tussenvoegsel: 'van', achternaam: 'Hooi', straat: 'Dijkweg', huisnummer: '4',
    postcode: '1741ab', woonplaats: 'Schagen', telefoon: '06 12345678',
  });
  assert.equal(r.status, 303);
  const id = r.headers.get('location').match(/^\/beheer\/personen\/(\d+)$/)?.[1];
  assert.ok(id);
  assert.deepEqual((await sql(srv.dbUrl, `SELECT first_name, infix, last_name, email, postcode, city, password_hash IS NULL FROM persons WHERE id = ${id}`))[0],
    ['Bert', 'van', 'Hooi', '', '1741 AB', 'Schagen', srv.dbUrl.startsWith('sqlite') ? '1' : 't']);
  assert.equal(await count(`SELECT count(*) FROM outbox WHERE link_person_id = ${id}`), 0, 'no mail without an address');
  const made = await auditOf(`person_id = ${id}`);
  assert.equal(made.length, 1);
  assert.equal(made[0][0], 'persoon_aangemaakt');
  assert.match(made[0][1], /achternaam\|\|Hooi/);
  let page = await staff.get(`/beheer/personen/${id}`);
  assert.match(text(page.text), /De persoon is aangemaakt\./);
  assert.match(text(page.text), /Geen e-mailadres, kan niet inloggen/);
  assert.doesNotMatch(page.text, /activatielink/, 'no activation without an address');

  // the address changes: a history row per part, one audit line with old and new
  r = await postFrom(`/beheer/personen/${id}/bewerken`, `/beheer/personen/${id}/bewerken`, {
    voornaam: 'Bert', tussenvoegsel: 'van', achternaam: 'Hooi', straat: 'Loet', huisnummer: '4',
    postcode: '1741 AB', woonplaats: 'Den Helder', telefoon: '06 12345678',
  });
  assert.equal(r.status, 303);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT field, old_value, new_value, changed_by FROM person_history WHERE person_id = ${id} ORDER BY field`),
    [['city', 'Schagen', 'Den Helder', String(staffId)], ['street', 'Dijkweg', 'Loet', String(staffId)]]);
  const lines = await auditOf(`person_id = ${id}`);
  assert.equal(lines.length, 2);
  assert.deepEqual(lines[1], ['persoon_gewijzigd', 'straat|Dijkweg|Loet;woonplaats|Schagen|Den Helder']);
  page = await staff.get(`/beheer/personen/${id}`);
  const p = text(page.text);
  assert.match(p, /De wijzigingen zijn opgeslagen\./);
  assert.match(p, /Gegeven Oud Nieuw Wanneer Door Woonplaats Schagen Den Helder \S+ \S+ Administratie Onderwijsgroep Straat Dijkweg Loet \S+ \S+ Administratie Onderwijsgroep Audit trail/);
  assert.match(p, /persoon gewijzigd straat: Dijkweg → Loet woonplaats: Schagen → Den Helder/);
  assert.match(page.text, new RegExp(`href="/beheer/audit\\?persoon=${id}"`));
  // nothing changed: nothing written
  r = await postFrom(`/beheer/personen/${id}/bewerken`, `/beheer/personen/${id}/bewerken`, {
    voornaam: 'Bert', tussenvoegsel: 'van', achternaam: 'Hooi', straat: 'Loet', huisnummer: '4',
    postcode: '1741 AB', woonplaats: 'Den Helder', telefoon: '06 12345678',
  });
  assert.equal(r.status, 303);
  assert.equal((await auditOf(`person_id = ${id}`)).length, 2);
  // an address another person has is refused
  r = await postFrom(`/beheer/personen/${id}/bewerken`, `/beheer/personen/${id}/bewerken`, { voornaam: 'Bert', achternaam: 'Hooi', email: 'Jan.DeVries@example.nl' });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Er is al een persoon met dit e-mailadres\./);
  assert.equal(await count(`SELECT count(*) FROM persons WHERE id = ${id} AND email = ''`), 1, 'unchanged');
  r = await postFrom('/beheer/personen/nieuw', '/beheer/personen/nieuw', { voornaam: 'Jan', achternaam: 'Kopie', email: 'jan.devries@example.nl' });
  assert.equal(r.status, 409);
  assert.match(r.text, new RegExp(`href="/beheer/personen/${await personId(srv, 'jan.devries@example.nl')}"`));
  assert.equal(await count("SELECT count(*) FROM persons WHERE last_name = 'Kopie'"), 0);
});

test('memberships: added as medewerker, made beheerder, ended; an organisation keeps its last beheerder', async () => {
  const kees = await personId(srv, 'kees.visser@example.nl');
  const roc = await orgId(srv, 'ROC Kop van Noord-Holland');
  const find = await staff.get(`/beheer/personen/${kees}/organisaties?q=kop+noord`);
  assert.equal(find.status, 200);
  assert.match(text(find.text), /ROC Kop van Noord-Holland Den Helder Medewerker van ROC Kop van Noord-Holland Beheerder/);
  let r = await staff.post(`/beheer/personen/${kees}/organisaties`, { csrf: csrfOf(find.text), organisatie: roc, rol: 'medewerker' });
  assert.equal(r.status, 303);
  const member = () => sql(srv.dbUrl, `SELECT role, active, contact_last_name FROM memberships WHERE person_id = ${kees} AND organisation_id = ${roc}`);
  assert.deepEqual(await member(), [['medewerker', '1', 'Visser']]);
  // already a member: said so
  r = await staff.post(`/beheer/personen/${kees}/organisaties`, { csrf: csrfOf(find.text), organisatie: roc, rol: 'beheerder' });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Kees Visser is al lid van ROC Kop van Noord-Holland\./);
  r = await postFrom(`/beheer/personen/${kees}`, `/beheer/personen/${kees}/organisaties/${roc}/rol`, { rol: 'beheerder' });
  assert.equal(r.status, 303);
  assert.deepEqual(await member(), [['beheerder', '1', 'Visser']]);
  r = await postFrom(`/beheer/personen/${kees}`, `/beheer/personen/${kees}/organisaties/${roc}/beeindigen`);
  assert.equal(r.status, 303);
  assert.deepEqual(await member(), [['beheerder', '0', 'Visser']]);
  const lines = await auditOf(`person_id = ${kees} AND organisation_id = ${roc}`);
  assert.deepEqual(lines, [
    ['lidmaatschap_toegevoegd', 'organisatie||ROC Kop van Noord-Holland;rol||medewerker'],
    ['rol_gewijzigd', 'rol|medewerker|beheerder'],
    ['lidmaatschap_beeindigd', 'organisatie|ROC Kop van Noord-Holland|;rol|beheerder|'],
  ]);
  const page = text((await staff.get(`/beheer/personen/${kees}`)).text);
  assert.match(page, /ROC Kop van Noord-Holland Beheerder Beëindigd op/);
  assert.match(page, /Herenbos Schagen Medewerker Actief/);

  // Deby is Herenbos Schagen's only beheerder
  const deby = await personId(srv, 'deby.rummens@example.nl');
  const herenbos = await orgId(srv, 'Herenbos Schagen');
  for (const [action, form] of [['rol', { rol: 'medewerker' }], ['beeindigen', {}]]) {
    r = await postFrom(`/beheer/personen/${deby}`, `/beheer/personen/${deby}/organisaties/${herenbos}/${action}`, form);
    assert.equal(r.status, 409, action);
    assert.match(text(r.text), /Deby Rummens - Heijnen is de enige beheerder van Herenbos Schagen\. Een organisatie houdt minimaal één beheerder/);
  }
  assert.equal(await sqlValue(srv.dbUrl, `SELECT role || active FROM memberships WHERE person_id = ${deby} AND organisation_id = ${herenbos}`), 'beheerder1');
  // an organisation that does not exist
  r = await staff.post(`/beheer/personen/${kees}/organisaties`, { csrf: csrfOf(find.text), organisatie: '999999', rol: 'medewerker' });
  assert.equal(r.status, 404);
});

test('Activatielink: sent from the person page, again (the older link void), and the link sets a password', async () => {
  let r = await postFrom('/beheer/personen/nieuw', '/beheer/personen/nieuw', { voornaam: 'Ria', achternaam: 'Klaver', email: 'Ria.Klaver@example.nl' });
  assert.equal(r.status, 303);
  const id = r.headers.get('location').split('/').at(-1);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT email FROM persons WHERE id = ${id}`), 'ria.klaver@example.nl');
  let page = await staff.get(`/beheer/personen/${id}`);
  assert.match(text(page.text), /Account Geen account/);
  r = await staff.post(`/beheer/personen/${id}/activatielink`, { csrf: csrfOf(page.text) });
  assert.equal(r.status, 303);
  page = await staff.get(`/beheer/personen/${id}`);
  assert.match(text(page.text), /De activatielink is verstuurd\./);
  assert.match(text(page.text), /Uitgenodigd, nog niet geactiveerd/);
  r = await staff.post(`/beheer/personen/${id}/activatielink`, { csrf: csrfOf(page.text) });
  assert.equal(r.status, 303);
  assert.match(text((await staff.get(`/beheer/personen/${id}`)).text), /De activatielink is opnieuw verstuurd\./);
  assert.deepEqual((await auditOf(`person_id = ${id}`)).map((l) => l[0]), ['persoon_aangemaakt', 'activatielink_verstuurd', 'activatielink_opnieuw_verstuurd']);

  const mails = await srv.waitForMail('ria.klaver@example.nl', 2);
  assert.equal(mails[1].subject, 'Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep');
  const anon = makeClient(srv.url);
  assert.equal((await anon.get(linkIn(mails[0]))).status, 410, 'the older link no longer works');
  const form = await anon.get(linkIn(mails[1]));
  assert.equal(form.status, 200);
  r = await anon.post(linkIn(mails[1]), { csrf: csrfOf(form.text), wachtwoord: NEW_PW, wachtwoord_bevestiging: NEW_PW });
  assert.equal(r.status, 303);
  assert.equal((await anon.get('/mijn')).status, 200, 'logged in');
  await loginAs(srv, 'ria.klaver@example.nl', NEW_PW);
  // with a login no activation link is needed
  page = await staff.get(`/beheer/personen/${id}`);
  assert.match(text(page.text), /Account Heeft een account/);
  assert.doesNotMatch(page.text, /activatielink"/);
  r = await staff.post(`/beheer/personen/${id}/activatielink`, { csrf: csrfOf(page.text) });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Ria Klaver heeft al een account en kan inloggen/);
});

test('Blokkeren ends every session at once: the next request gets the login page, the remembered browser no longer logs in; Deblokkeren', async () => {
  const jan = await personId(srv, 'jan.devries@example.nl');
  const { c } = await loginAs(srv, 'jan.devries@example.nl', PW, { onthoud: '1' });
  assert.equal((await c.get('/mijn')).status, 200);
  const remembered = c.cookie('kp_onthoud');
  assert.ok(remembered);
  const other = (await loginAs(srv, 'jan.devries@example.nl')).c;
  await sql(srv.dbUrl, `INSERT INTO calendar_keys (person_id, key_hash, created_at) VALUES (${jan}, 'ab${'0'.repeat(62)}', 1)`);

  let r = await postFrom(`/beheer/personen/${jan}`, `/beheer/personen/${jan}/blokkeren`);
  assert.equal(r.status, 303);
  for (const client of [c, other]) {
    r = await client.get('/mijn');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /^\/inloggen\?terug=/);
  }
  const browser = makeClient(srv.url);
  browser.cookies.set('kp_onthoud', remembered);
  r = await browser.get('/mijn');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/inloggen\?terug=/);
  assert.equal(await count(`SELECT count(*) FROM sessions WHERE person_id = ${jan}`), 0);
  assert.equal(await count(`SELECT count(*) FROM remember_tokens WHERE person_id = ${jan}`), 0);
  assert.equal(await count(`SELECT count(*) FROM calendar_keys WHERE person_id = ${jan}`), 0, 'the calendar feed stops');
  // the password no longer lets them in
  const again = makeClient(srv.url);
  r = await again.post('/inloggen', { csrf: csrfOf((await again.get('/inloggen')).text), gebruikersnaam: 'jan.devries@example.nl', wachtwoord: PW });
  assert.notEqual(r.status, 303, 'a blocked login is refused');
  let page = await staff.get(`/beheer/personen/${jan}`);
  assert.match(text(page.text), /De toegang is geblokkeerd\. De persoon is overal uitgelogd/);
  assert.match(text(page.text), /Account Geblokkeerd/);
  assert.deepEqual((await auditOf(`person_id = ${jan} AND action LIKE 'persoon_%blokkeerd'`)), [['persoon_geblokkeerd', 'geblokkeerd|nee|ja']]);

  r = await staff.post(`/beheer/personen/${jan}/deblokkeren`, { csrf: csrfOf(page.text) });
  assert.equal(r.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT blocked FROM persons WHERE id = ${jan}`), '0');
  await loginAs(srv, 'jan.devries@example.nl');
  assert.deepEqual((await auditOf(`person_id = ${jan} AND action LIKE 'persoon_%blokkeerd'`)).map((l) => l[0]), ['persoon_geblokkeerd', 'persoon_gedeblokkeerd']);

  // staff never lock themselves out
  r = await postFrom(`/beheer/personen/${staffId}`, `/beheer/personen/${staffId}/blokkeren`);
  assert.equal(r.status, 409);
  assert.match(text(r.text), /U kunt uw eigen toegang niet blokkeren\./);
  assert.equal((await staff.get('/beheer')).status, 200);
});

test('Rem opheffen: a login held back by the brake gets in again', async () => {
  const user = 'martin.sommer@example.nl';
  const martin = await personId(srv, user);
  await sql(srv.dbUrl, 'DELETE FROM auth_attempts');
  const c = makeClient(srv.url);
  const attempt = async (pw) => c.post('/inloggen', { csrf: csrfOf((await c.get('/inloggen')).text), gebruikersnaam: user, wachtwoord: pw });
  for (let i = 0; i < 5; i++) assert.equal((await attempt('Fout!Wachtwoord1')).status, 200);
  let r = await attempt(PW);
  assert.notEqual(r.status, 303, 'the brake holds the right password back too');
  assert.match(text(r.text), /Te veel mislukte pogingen/);
  let page = await staff.get(`/beheer/personen/${martin}`);
  assert.match(text(page.text), /Rem Te veel mislukte inlogpogingen/);
  r = await staff.post(`/beheer/personen/${martin}/rem-opheffen`, { csrf: csrfOf(page.text) });
  assert.equal(r.status, 303);
  page = await staff.get(`/beheer/personen/${martin}`);
  assert.match(text(page.text), /De rem is opgeheven: er kan weer worden ingelogd\./);
  assert.match(text(page.text), /Rem Geen/);
  assert.equal((await attempt(PW)).status, 303, 'logged in');
  assert.deepEqual((await auditOf(`person_id = ${martin} AND action = 'rem_opgeheven'`)).length, 1);
});

test('Organisatie-toegang: the beheerder activates from the e-mail, logs in, chooses the organisation and acts for it', async () => {
  const NEW = '/beheer/organisaties/nieuw';
  let r = await postFrom(NEW, NEW, { naam: 'Kwekerij De Tuin', contact_voornaam: 'Ilse' });
  assert.equal(r.status, 200);
  assert.match(r.text, /Vul de achternaam van de beheerder in\./);
  assert.match(r.text, /Vul het e-mailadres van de beheerder in\./);
  assert.match(r.text, /name="naam" type="text" value="Kwekerij De Tuin"/);
  r = await postFrom(NEW, NEW, {
    naam: 'Kwekerij De Tuin', bezoek_straat: 'Tuinweg', bezoek_huisnummer: '1', bezoek_postcode: '1741 AA',
    bezoek_plaats: 'Schagen', kvk: '12345678', contact_voornaam: 'Ilse', contact_achternaam: 'Groen',
    contact_email: 'ilse.groen@example.nl',
  });
  assert.equal(r.status, 303);
  const org = r.headers.get('location').match(/^\/beheer\/organisaties\/(\d+)$/)?.[1];
  assert.ok(org);
  const ilse = await personId(srv, 'ilse.groen@example.nl');
  assert.deepEqual(await sql(srv.dbUrl, `SELECT role, active FROM memberships WHERE organisation_id = ${org} AND person_id = ${ilse}`), [['beheerder', '1']]);
  const lines = await auditOf(`organisation_id = ${org}`);
  assert.equal(lines.length, 1);
  assert.equal(lines[0][0], 'organisatie_toegang');
  assert.match(lines[0][1], /naam\|\|Kwekerij De Tuin;.*kvk\|\|12345678;beheerder\|\|Ilse Groen <ilse\.groen@example\.nl>;persoon\|\|nieuw;activatielink\|\|verstuurd/);
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE organisation_id = ${org} AND person_id = ${ilse}`), 1);
  let page = await staff.get(`/beheer/organisaties/${org}`);
  assert.match(text(page.text), /De organisatie is aangemaakt\. De beheerder ontvangt een e-mail/);
  assert.match(text(page.text), /Ilse Groen .* Beheerder Uitgenodigd, nog niet geactiveerd/);

  // the beheerder activates, logs in, chooses the organisation and acts for it
  const [mail] = await srv.waitForMail('ilse.groen@example.nl');
  assert.match(mail.text, /Beste Ilse,/);
  const anon = makeClient(srv.url);
  const form = await anon.get(linkIn(mail));
  r = await anon.post(linkIn(mail), { csrf: csrfOf(form.text), wachtwoord: NEW_PW, wachtwoord_bevestiging: NEW_PW });
  assert.equal(r.status, 303);
  const { c, r: login } = await loginAs(srv, 'ilse.groen@example.nl', NEW_PW);
  assert.match(login.headers.get('location'), /^\/organisatie-kiezen/);
  const choice = await c.get(login.headers.get('location'));
  assert.match(text(choice.text), /Selecteer organisatie.*Ilse Groen.*Kwekerij De Tuin/);
  await choose(srv, c, 'Kwekerij De Tuin');
  const mine = await c.get('/mijn/organisatie');
  assert.equal(mine.status, 200);
  assert.match(text(mine.text), /Kwekerij De Tuin/);
  assert.match(text(mine.text), /namens Kwekerij De Tuin \(beheerder\)/);
  assert.equal((await c.get('/mijn/organisatie/aanpassen')).status, 200, 'beheerder rights');
  page = await staff.get(`/beheer/organisaties/${org}`);
  assert.match(text(page.text), /Ilse Groen .* Beheerder Heeft een account/);

  // a contact who already has a login is linked, not made twice, and needs no mail
  const mailsBefore = await count('SELECT count(*) FROM outbox');
  r = await postFrom(NEW, NEW, { naam: 'Sommer Advies', contact_voornaam: 'M.', contact_achternaam: 'Sommer', contact_email: 'MARTIN.SOMMER@example.nl' });
  assert.equal(r.status, 303);
  const org2 = r.headers.get('location').split('/').at(-1);
  assert.equal(await count("SELECT count(*) FROM persons WHERE lower(email) = 'martin.sommer@example.nl'"), 1);
  const martin = await personId(srv, 'martin.sommer@example.nl');
  assert.deepEqual(await sql(srv.dbUrl, `SELECT role, contact_first_name FROM memberships WHERE organisation_id = ${org2} AND person_id = ${martin}`), [['beheerder', 'M.']]);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT first_name FROM persons WHERE id = ${martin}`), 'Martin', 'the person\'s own name stays');
  assert.equal(await count('SELECT count(*) FROM outbox'), mailsBefore, 'no activation mail');
  assert.match(text((await staff.get(`/beheer/organisaties/${org2}`)).text), /De beheerder had al een account en kan direct inloggen/);

  // Gegevens aanpassen of the organisation: one audit line with old and new
  r = await postFrom(`/beheer/organisaties/${org}/bewerken`, `/beheer/organisaties/${org}/bewerken`, {
    naam: 'Kwekerij De Tuin', bezoek_straat: 'Tuinweg', bezoek_huisnummer: '1', bezoek_postcode: '1741 AA',
    bezoek_plaats: 'Schagen', kvk: '12345678', telefoon: '0224-123456',
  });
  assert.equal(r.status, 303);
  assert.deepEqual((await auditOf(`organisation_id = ${org} AND action = 'organisatie_gewijzigd'`)), [['organisatie_gewijzigd', 'telefoon||0224-123456']]);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT phone FROM organisations WHERE id = ${org}`), '0224-123456');
});

test('an id that does not exist is a 404, on every page and form', async () => {
  const page = await staff.get('/beheer/personen');
  const csrf = csrfOf(page.text);
  for (const p of ['/beheer/personen/999999', '/beheer/personen/999999/bewerken', '/beheer/personen/999999/organisaties',
    '/beheer/organisaties/999999', '/beheer/organisaties/999999/bewerken', '/beheer/personen/abc']) {
    assert.equal((await staff.get(p)).status, 404, p);
  }
  for (const p of ['blokkeren', 'deblokkeren', 'activatielink', 'rem-opheffen']) {
    assert.equal((await staff.post(`/beheer/personen/999999/${p}`, { csrf })).status, 404, p);
  }
  const jan = await personId(srv, 'jan.devries@example.nl');
  assert.equal((await staff.post(`/beheer/personen/${jan}/organisaties/999999/beeindigen`, { csrf })).status, 404);
  assert.equal(await count('SELECT count(*) FROM audit_log WHERE person_id = 999999'), 0);
});

test('a corrected address voids the link sent to the old one and ends the person\'s sessions', async () => {
  let r = await postFrom('/beheer/personen/nieuw', '/beheer/personen/nieuw', { voornaam: 'Tom', achternaam: 'Typo', email: 'tom.tipo@example.nl' });
  assert.equal(r.status, 303);
  const id = r.headers.get('location').split('/').at(-1);
  const page = await staff.get(`/beheer/personen/${id}`);
  r = await staff.post(`/beheer/personen/${id}/activatielink`, { csrf: csrfOf(page.text) });
  assert.equal(r.status, 303);
  const [mail] = await srv.waitForMail('tom.tipo@example.nl', 1);
  r = await postFrom(`/beheer/personen/${id}/bewerken`, `/beheer/personen/${id}/bewerken`, { voornaam: 'Tom', achternaam: 'Typo', email: 'tom.typo@example.nl' });
  assert.equal(r.status, 303);
  // the owner of the mistyped mailbox cannot open the account with it
  assert.equal((await makeClient(srv.url).get(linkIn(mail))).status, 410);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM person_history WHERE person_id = ${id} AND field = 'email' AND old_value = 'tom.tipo@example.nl' AND new_value = 'tom.typo@example.nl'`), '1');
});
