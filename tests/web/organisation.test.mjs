// Organisation context (J3's choice, J5) and Mijn organisatie (J7): one login acting as person
// or for any of its organisations, with the rights of that choice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { PW, csrfOf, text, loginAs, orgId, personId, choose, actingAs } from './lib/portal.mjs';

const contextOf = (html) => html.match(/name="context" value="([^"]+)"/)?.[1];

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

test('J3: after login a person with organisations is asked Selecteer organisatie, own name first', async () => {
  const { c, r } = await loginAs(srv, 'deby.rummens@example.nl');
  assert.equal(r.headers.get('location'), '/organisatie-kiezen?terug=%2Fmijn');
  const page = await c.get('/organisatie-kiezen?terug=%2Fmijn');
  assert.match(page.text, /<legend>Selecteer organisatie<\/legend>/);
  const labels = [...page.text.matchAll(/<label for="org-[^"]+"><span class="choice-name">([^<]+)<\/span>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  assert.deepEqual(labels, ['Deby Rummens - Heijnen', 'Gemeente Heerhugowaard', 'Herenbos Schagen', 'ROC Kop van Noord-Holland']);
  assert.match(page.text, /value="persoon" checked/);
  assert.match(page.text, />OK</);
  // a person without organisations goes straight on
  const { r: m } = await loginAs(srv, 'martin.sommer@example.nl');
  assert.equal(m.headers.get('location'), '/mijn');
});

test('J5: OK reloads the page with the new rights, or the start page when it is not allowed there', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  let page = await c.get('/mijn/organisatie');
  assert.equal(page.status, 200);
  assert.match(page.text, /<p class="lead">Gemeente Heerhugowaard<\/p>/);
  assert.match(page.text, /Mijn organisatie<\/a><\/li>/, 'menu has Mijn organisatie');
  // switch to ROC from the organisation page: it reloads with medewerker rights
  let form = await c.get('/organisatie-kiezen?terug=%2Fmijn%2Forganisatie');
  let r = await c.post('/organisatie-kiezen', { csrf: csrfOf(form.text), organisatie: await orgId(srv, 'ROC Kop van Noord-Holland'), terug: '/mijn/organisatie' });
  assert.equal(r.headers.get('location'), '/mijn/organisatie');
  page = await c.get('/mijn/organisatie');
  assert.match(page.text, /<p class="lead">ROC Kop van Noord-Holland<\/p>/);
  assert.doesNotMatch(page.text, /Nieuw contactpersoon|\/aanpassen"/, 'read-only for a medewerker');
  // from a beheerder page to a medewerker context: the start page
  r = await c.post('/organisatie-kiezen', { csrf: csrfOf(form.text), organisatie: await orgId(srv, 'ROC Kop van Noord-Holland'), terug: '/mijn/organisatie/aanpassen' });
  assert.equal(r.headers.get('location'), '/mijn');
  // to "persoon" from the organisation page: the start page, and no Mijn organisatie
  r = await c.post('/organisatie-kiezen', { csrf: csrfOf(form.text), organisatie: 'persoon', terug: '/mijn/organisatie' });
  assert.equal(r.headers.get('location'), '/mijn');
  page = await c.get('/mijn');
  assert.doesNotMatch(page.text, /href="\/mijn\/organisatie"/);
  assert.equal((await c.get('/mijn/organisatie')).status, 404);
});

test('a forged organisation id is refused and changes nothing', async () => {
  const c = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const form = await c.get('/organisatie-kiezen');
  const r = await c.post('/organisatie-kiezen', { csrf: csrfOf(form.text), organisatie: await orgId(srv, 'Herenbos Schagen') });
  assert.equal(r.status, 400);
  assert.match(text(r.text), /Kies uw eigen naam of een van uw organisaties/);
  assert.match((await c.get('/mijn/organisatie')).text, /Gemeente Heerhugowaard/);
  const junk = await c.post('/organisatie-kiezen', { csrf: csrfOf(form.text), organisatie: '1 OR 1=1' });
  assert.equal(junk.status, 400);
});

test('J5: with Onthoud mijn gegevens the last organisation is preselected next time; Uitloggen forgets it', async () => {
  const { c } = await loginAs(srv, 'deby.rummens@example.nl', PW, { onthoud: '1' });
  await choose(srv, c, 'Herenbos Schagen');
  const herenbos = await orgId(srv, 'Herenbos Schagen');
  assert.equal(c.cookie('kp_organisatie'), herenbos);
  // next login in the same browser (session gone, remembered data kept)
  const again = makeClient(srv.url);
  again.cookies.set('kp_gebruiker', c.cookie('kp_gebruiker'));
  again.cookies.set('kp_organisatie', c.cookie('kp_organisatie'));
  const form = await again.get('/inloggen');
  await again.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: 'deby.rummens@example.nl', wachtwoord: PW, onthoud: '1' });
  const page = await again.get('/organisatie-kiezen');
  assert.match(page.text, new RegExp(`value="${herenbos}" checked`));
  // remember-me brings the context back after a browser restart
  const restarted = makeClient(srv.url);
  restarted.cookies.set('kp_onthoud', c.cookie('kp_onthoud'));
  assert.match((await restarted.get('/mijn/organisatie')).text, /Herenbos Schagen/);
  // Uitloggen clears it
  const mijn = await again.get('/mijn');
  const out = await again.post('/uitloggen', { csrf: csrfOf(mijn.text) });
  assert.ok(out.headers.getSetCookie().some((x) => x.startsWith('kp_organisatie=;') && /Max-Age=0/.test(x)));
});

test('J7: a medewerker sees the organisation and its contact persons read-only; forged POSTs get 403', async () => {
  const c = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const page = await c.get('/mijn/organisatie');
  const t = text(page.text);
  assert.match(t, /Parelhoeve 15 1702 AP Heerhugowaard/);
  assert.match(t, /KvK-nummer 50123456/);
  for (const name of ['Deby Rummens - Heijnen', 'Jan de Vries', 'Sanne Bakker', 'Pieter van Dijk']) assert.ok(t.includes(name), name);
  assert.match(t, /Medewerker groenbeheer/);
  assert.doesNotMatch(page.text, /Nieuw contactpersoon|Verwijderen|>Aanpassen</);
  const csrf = csrfOf(page.text) ?? csrfOf((await c.get('/mijn')).text);
  const sanne = await personId(srv, 'sanne.bakker@example.nl');
  for (const [path, form] of [
    ['/mijn/organisatie/aanpassen', { naam: 'Gekaapt' }],
    ['/mijn/organisatie/contactpersonen/nieuw', { voornaam: 'X', achternaam: 'Y', email: 'x@example.nl' }],
    [`/mijn/organisatie/contactpersonen/${sanne}/aanpassen`, { rol: 'beheerder' }],
    [`/mijn/organisatie/contactpersonen/${sanne}/verwijderen`, {}],
  ]) {
    assert.equal((await c.get(path)).status, 403, `GET ${path}`);
    assert.equal((await c.post(path, { csrf, ...form })).status, 403, `POST ${path}`);
  }
  assert.equal(await sqlValue(srv.dbUrl, "SELECT name FROM organisations WHERE name LIKE 'Gemeente%'"), 'Gemeente Heerhugowaard');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT role || active FROM memberships WHERE person_id = ${sanne}`), 'medewerker1');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM persons WHERE email = 'x@example.nl'"), '0');
});

test('J7: a beheerder changes the organisation data, with validation next to the fields', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const form = await c.get('/mijn/organisatie/aanpassen');
  assert.match(form.text, /name="naam" type="text" value="Gemeente Heerhugowaard"/);
  const csrf = csrfOf(form.text);
  const context = contextOf(form.text);
  assert.equal(context, await orgId(srv, 'Gemeente Heerhugowaard'), 'the form carries its organisation');
  const fields = {
    naam: 'Gemeente Heerhugowaard', bezoek_straat: 'Parelhoeve', bezoek_huisnummer: '15', bezoek_postcode: '1702ap',
    bezoek_plaats: 'Heerhugowaard', post_straat: 'Postbus', post_huisnummer: '390', post_postcode: '1700 AJ',
    post_plaats: 'Heerhugowaard', telefoon: '072-5756800', email: 'gemeente@heerhugowaard.example.nl',
    email_factuur: 'facturen@heerhugowaard.example.nl', kvk: '50123456',
  };
  let r = await c.post('/mijn/organisatie/aanpassen', { csrf, context, ...fields, bezoek_postcode: '12345', kvk: '12', email_factuur: 'geen-mail', naam: '' });
  assert.equal(r.status, 200);
  const t = text(r.text);
  assert.match(r.text, /name="bezoek_postcode" type="text" value="12345"[^>]*aria-invalid="true"/, 'typed value kept');
  // the error pattern: "Fout:" in the title, a summary with a link to each field
  assert.match(r.text, /<title>Fout: Organisatiegegevens aanpassen/);
  assert.match(r.text, /<h2 id="fouten-titel">Er is een probleem<\/h2>/);
  assert.match(r.text, /<a href="#f-naam">Naam: Vul de naam van de organisatie in\.<\/a>/);
  assert.match(r.text, /<legend>Bezoekadres<\/legend>/);
  assert.match(t, /Vul de naam van de organisatie in\./);
  assert.match(t, /Vul een geldig e-mailadres in\./);
  assert.match(r.text, /id="f-kvk-fout"/);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT invoice_email FROM organisations WHERE name = 'Gemeente Heerhugowaard'"), 'gemeente@heerhugowaard.example.nl', 'nothing stored');
  r = await c.post('/mijn/organisatie/aanpassen', { csrf, context, ...fields, organisatie_id: await orgId(srv, 'Herenbos Schagen') });
  assert.equal(r.status, 303);
  const row = await sql(srv.dbUrl, "SELECT visit_postcode, postal_street, invoice_email FROM organisations WHERE name = 'Gemeente Heerhugowaard'");
  assert.deepEqual(row[0], ['1702 AP', 'Postbus', 'facturen@heerhugowaard.example.nl']);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT invoice_email FROM organisations WHERE name = 'Herenbos Schagen'"), 'info@herenbos.example.nl', 'a forged organisatie_id changed nothing');
  assert.ok(Number(await sqlValue(srv.dbUrl, "SELECT count(*) FROM audit_log WHERE action = 'organisatie_gewijzigd'")) >= 1);
  // old → new per field, about this organisation
  const chr = srv.dbUrl.startsWith('sqlite') ? 'char' : 'chr';
  assert.match(await sqlValue(srv.dbUrl, `SELECT replace(replace(changes, ${chr}(9), '|'), ${chr}(10), ';') FROM audit_log WHERE action = 'organisatie_gewijzigd' AND organisation_id = ${await orgId(srv, 'Gemeente Heerhugowaard')} ORDER BY id DESC LIMIT 1`),
    /(^|;)email_factuur\|gemeente@heerhugowaard\.example\.nl\|facturen@heerhugowaard\.example\.nl;/);
  // the notice comes once, on the page after the redirect
  const after = text((await c.get('/mijn/organisatie')).text);
  assert.match(after, /De wijzigingen zijn opgeslagen/);
  assert.doesNotMatch(text((await c.get('/mijn/organisatie')).text), /De wijzigingen zijn opgeslagen/);
});

test('J7: Nieuw contactpersoon with a login invitation; an existing person is linked, not duplicated', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const form = await c.get('/mijn/organisatie/contactpersonen/nieuw');
  const csrf = csrfOf(form.text);
  const context = contextOf(form.text);
  let r = await c.post('/mijn/organisatie/contactpersonen/nieuw', { csrf, context, voornaam: '', achternaam: 'Groen', email: 'fout' });
  assert.equal(r.status, 200);
  assert.match(text(r.text), /Vul de voornaam in\./);
  assert.match(r.text, /name="achternaam" type="text" value="Groen"/);

  r = await c.post('/mijn/organisatie/contactpersonen/nieuw', {
    csrf, context, voornaam: 'Femke', tussenvoegsel: 'van der', achternaam: 'Groen', email: 'Femke.Groen@example.nl',
    functie: 'Hovenier', afdeling: 'Openbare ruimte', telefoon_werk: '072-5756899', rol: 'medewerker', uitnodigen: '1',
    is_staff: '1', organisatie_id: await orgId(srv, 'Herenbos Schagen'),
  });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mijn/organisatie');
  assert.match(text((await c.get('/mijn/organisatie')).text), /De contactpersoon is toegevoegd/);
  const femke = await sql(srv.dbUrl, "SELECT p.id, p.is_staff, m.organisation_id, m.role, m.job_title FROM persons p JOIN memberships m ON m.person_id = p.id WHERE p.email = 'femke.groen@example.nl'");
  assert.equal(femke.length, 1);
  assert.deepEqual(femke[0].slice(1), ['0', await orgId(srv, 'Gemeente Heerhugowaard'), 'medewerker', 'Hovenier']);
  // the invitation is the accounts' activation email
  let mail;
  for (let i = 0; i < 80 && !mail; i++) {
    mail = (await srv.mails()).find((m) => m.to.value[0].address === 'femke.groen@example.nl');
    if (!mail) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(mail, 'invitation sent');
  assert.match(mail.subject, /Activeer uw toegang/);

  // Martin already exists: linked, not duplicated, his own data untouched
  r = await c.post('/mijn/organisatie/contactpersonen/nieuw', { csrf, context, voornaam: 'M.', achternaam: 'Anders', email: 'martin.sommer@example.nl', rol: 'medewerker' });
  assert.equal(r.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM persons WHERE email = 'martin.sommer@example.nl'"), '1');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT last_name FROM persons WHERE email = 'martin.sommer@example.nl'"), 'Sommer');
  r = await c.post('/mijn/organisatie/contactpersonen/nieuw', { csrf, context, voornaam: 'Martin', achternaam: 'Sommer', email: 'martin.sommer@example.nl' });
  assert.match(text(r.text), /Deze persoon is al contactpersoon van uw organisatie\./);
  // Martin has a login: he is told he was linked
  let note;
  for (let i = 0; i < 80 && !note; i++) {
    note = (await srv.mails()).find((m) => m.to.value[0].address === 'martin.sommer@example.nl' && /contactpersoon/.test(m.subject));
    if (!note) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(note, 'Martin is told');
  assert.match(note.text, /Deby Rummens - Heijnen heeft u toegevoegd als contactpersoon van Gemeente Heerhugowaard/);
  // and Martin now gets the choice after login
  const { r: login } = await loginAs(srv, 'martin.sommer@example.nl');
  assert.match(login.headers.get('location'), /^\/organisatie-kiezen/);
});

test('J7: the contact person forms follow the one error pattern', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const form = await c.get('/mijn/organisatie/contactpersonen/nieuw');
  const csrf = csrfOf(form.text);
  const context = contextOf(form.text);
  assert.match(form.text, /<input id="f-telefoon_werk" name="telefoon_werk" type="tel" value="" maxlength="30" class="w-l"/);
  assert.match(form.text, /<input id="f-tussenvoegsel" name="tussenvoegsel" type="text" value="" maxlength="30" class="w-m"/);
  assert.match(form.text, /<input id="f-email" name="email" type="email"[^>]*aria-describedby="f-email-hint"/);
  const persons = await sqlValue(srv.dbUrl, 'SELECT count(*) FROM persons');
  let r = await c.post('/mijn/organisatie/contactpersonen/nieuw', { csrf, context, voornaam: '', achternaam: 'Groen', email: 'fout', telefoon_werk: '12', rol: 'beheerder' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<title>Fout: Nieuw contactpersoon - /);
  assert.match(r.text, /<h2 id="fouten-titel">Er is een probleem<\/h2>/);
  const summary = [...r.text.matchAll(/<li><a href="#f-([a-z_]+)">([^<]*)<\/a><\/li>/g)].map((m) => m[1]);
  assert.deepEqual(summary, ['voornaam', 'email', 'telefoon_werk']);
  assert.match(r.text, /<a href="#f-email">E-mailadres: Vul een geldig e-mailadres in\.<\/a>/);
  assert.match(r.text, /id="f-telefoon_werk-fout"/);
  assert.match(r.text, /id="rol-beheerder" type="radio" name="rol" value="beheerder" checked/, 'the role is kept');
  assert.equal(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM persons'), persons, 'nothing stored');
  // a contact already there: said under the e-mail field
  r = await c.post('/mijn/organisatie/contactpersonen/nieuw', { csrf, context, voornaam: 'Deby', achternaam: 'Rummens', email: 'Deby.Rummens@example.nl' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<p class="field-error" id="f-email-fout"><span class="sr-only">Fout: <\/span>Deze persoon is al contactpersoon van uw organisatie\.<\/p>/);
  assert.match(r.text, /<title>Fout: Nieuw contactpersoon/);
  // the edit form: the same pattern for the employee data
  const jan = await personId(srv, 'jan.devries@example.nl');
  const edit = await c.get(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`);
  assert.doesNotMatch(edit.text, /name="voornaam"/, 'the name is not changed here');
  r = await c.post(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`, { csrf, context, functie: 'Groen', telefoon_werk: 'abc', email_werk: 'geen', rol: 'medewerker' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<title>Fout: Contactpersoon aanpassen - /);
  assert.deepEqual([...r.text.matchAll(/<li><a href="#f-([a-z_]+)">/g)].map((m) => m[1]), ['telefoon_werk', 'email_werk']);
  assert.match(r.text, /name="functie" type="text" value="Groen"/, 'typed value kept');
  // a valid work address is stored in its normal form
  r = await c.post(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`, { csrf, context, functie: 'Medewerker groenbeheer', email_werk: ' J.deVries@Heerhugowaard.example.nl ', rol: 'medewerker' });
  assert.equal(r.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT work_email FROM memberships WHERE person_id = ${jan} AND organisation_id = ${await orgId(srv, 'Gemeente Heerhugowaard')}`), 'j.devries@heerhugowaard.example.nl');
});

test('J7: edit a contact person; another organisation\'s contact is simply not found', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const jan = await personId(srv, 'jan.devries@example.nl');
  const form = await c.get(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`);
  assert.equal(form.status, 200);
  assert.match(form.text, /value="Medewerker groenbeheer"/);
  const r = await c.post(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`, {
    csrf: csrfOf(form.text), context: contextOf(form.text), functie: 'Teamleider groen', afdeling: 'Openbare ruimte', telefoon_werk: 'abc', rol: 'medewerker',
  });
  assert.equal(r.status, 200, 'bad phone');
  const ok = await c.post(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`, {
    csrf: csrfOf(form.text), context: contextOf(form.text), functie: 'Teamleider groen', afdeling: 'Openbare ruimte', rol: 'medewerker', person_id: '1',
  });
  assert.equal(ok.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT job_title FROM memberships WHERE person_id = ${jan}`), 'Teamleider groen');
  // Kees is a contact of Herenbos, not of Gemeente Heerhugowaard
  const kees = await personId(srv, 'kees.visser@example.nl');
  for (const p of [`/mijn/organisatie/contactpersonen/${kees}/aanpassen`, `/mijn/organisatie/contactpersonen/${kees}/verwijderen`,
    '/mijn/organisatie/contactpersonen/999999/aanpassen', '/mijn/organisatie/contactpersonen/abc/aanpassen']) {
    assert.equal((await c.get(p)).status, 404, p);
    assert.equal((await c.post(p, { csrf: csrfOf(form.text), context: contextOf(form.text), rol: 'beheerder' })).status, 404, p);
  }
  assert.equal(await sqlValue(srv.dbUrl, `SELECT role FROM memberships WHERE person_id = ${kees}`), 'medewerker');
});

test('J7: removing a contact ends the membership, keeps the history; the last beheerder stays', async () => {
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const sanne = await personId(srv, 'sanne.bakker@example.nl');
  const confirm = await c.get(`/mijn/organisatie/contactpersonen/${sanne}/verwijderen`);
  assert.match(text(confirm.text), /Weet u zeker dat u Sanne Bakker wilt verwijderen/);
  // a page that confirms a removal offers Annuleren, not Terug
  assert.match(confirm.text, /<a href="\/mijn\/organisatie">Annuleren<\/a>/);
  const r = await c.post(`/mijn/organisatie/contactpersonen/${sanne}/verwijderen`, { csrf: csrfOf(confirm.text), context: contextOf(confirm.text) });
  assert.equal(r.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT active FROM memberships WHERE person_id = ${sanne}`), '0');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM persons WHERE id = ${sanne}`), '1', 'the person stays');
  assert.doesNotMatch((await c.get('/mijn/organisatie')).text, /Sanne Bakker/);
  // Deby is the only beheerder of Gemeente Heerhugowaard
  const deby = await personId(srv, 'deby.rummens@example.nl');
  // the removal page says so before anyone tries, and offers no button that cannot work
  const ask = await c.get(`/mijn/organisatie/contactpersonen/${deby}/verwijderen`);
  assert.match(text(ask.text), /U bent de enige beheerder van uw organisatie\. Een organisatie houdt minimaal één beheerder/);
  assert.doesNotMatch(ask.text, />Verwijderen<\/button>/);
  // a direct POST is refused all the same
  const self = await c.get(`/mijn/organisatie/contactpersonen/${deby}/aanpassen`);
  const refused = await c.post(`/mijn/organisatie/contactpersonen/${deby}/verwijderen`, { csrf: csrfOf(self.text), context: contextOf(self.text) });
  assert.equal(refused.status, 200);
  assert.match(text(refused.text), /Een organisatie houdt minimaal één beheerder/);
  const demote = await c.post(`/mijn/organisatie/contactpersonen/${deby}/aanpassen`, { csrf: csrfOf(self.text), context: contextOf(self.text), rol: 'medewerker' });
  assert.match(text(demote.text), /Een organisatie houdt minimaal één beheerder/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT role || active FROM memberships WHERE person_id = ${deby} AND organisation_id = ${await orgId(srv, 'Gemeente Heerhugowaard')}`), 'beheerder1');
  // a removed contact acting for the organisation falls back to acting as person
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const janId = await personId(srv, 'jan.devries@example.nl');
  const conf = await c.get(`/mijn/organisatie/contactpersonen/${janId}/verwijderen`);
  await c.post(`/mijn/organisatie/contactpersonen/${janId}/verwijderen`, { csrf: csrfOf(conf.text), context: contextOf(conf.text) });
  assert.equal((await jan.get('/mijn/organisatie')).status, 404);
  assert.ok(Number(await sqlValue(srv.dbUrl, "SELECT count(*) FROM audit_log WHERE action = 'contactpersoon_verwijderd'")) >= 2);
});
