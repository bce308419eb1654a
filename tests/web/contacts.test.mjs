// The contact list of Mijn organisatie for its beheerders: who can log in, an invitation sent
// again (a new activation mail through the outbox, the older link void, the mail quota), the
// invitation box that is unticked until the beheerder ticks it, and the rule that an
// organisation keeps one beheerder, stated before anyone runs into it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { csrfOf, text, orgId, personId, actingAs } from './lib/portal.mjs';

const contextOf = (html) => html.match(/name="context" value="([^"]+)"/)?.[1];
const NEW = '/mijn/organisatie/contactpersonen/nieuw';
const invitePath = (id) => `/mijn/organisatie/contactpersonen/${id}/uitnodigen`;
const linkIn = (mail) => mail.text.match(/\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+/)?.[0];
const now = () => Math.floor(Date.now() / 1000);

let srv;
let deby; // Deby acting for Gemeente Heerhugowaard, its only beheerder
before(async () => {
  srv = await startServer();
  deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
});
after(async () => { await srv?.stop(); });

const count = async (q) => Number(await sqlValue(srv.dbUrl, q));
const activationMails = (id) => count(`SELECT count(*) FROM outbox WHERE link_kind = 'activatie' AND link_person_id = ${id}`);

/** The row of the contact list with this name: its cells by label, and the markup. */
function rowOf(html, name) {
  const tr = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1])
    .find((r) => r.includes(`<td data-label="Naam">${name}</td>`));
  assert.ok(tr, `a row for ${name}`);
  const cells = {};
  for (const m of tr.matchAll(/<td data-label="([^"]+)"[^>]*>([\s\S]*?)<\/td>/g)) cells[m[1]] = m[2];
  return { tr, cells, account: cells.Account && text(cells.Account).trim() };
}

/** Adds a contact through the form as Deby. */
async function addContact(fields) {
  const form = await deby.get(NEW);
  return deby.post(NEW, { csrf: csrfOf(form.text), context: contextOf(form.text), rol: 'medewerker', ...fields });
}

/** Posts the invitation button of the list, as the list offers it. */
async function resend(c, id) {
  const list = await c.get('/mijn/organisatie');
  return c.post(invitePath(id), { csrf: csrfOf(list.text), context: contextOf(list.text) });
}

test('the list tells a beheerder who can log in, and offers an invitation to the others', async () => {
  const page = await deby.get('/mijn/organisatie');
  assert.match(page.text, /<th scope="col">Account<\/th>/);
  assert.equal(rowOf(page.text, 'Deby Rummens - Heijnen').account, 'Heeft een account');
  assert.equal(rowOf(page.text, 'Jan de Vries').account, 'Heeft een account');
  const sanne = rowOf(page.text, 'Sanne Bakker');
  assert.match(sanne.account, /^Geen account Uitnodiging sturen aan Sanne Bakker$/);
  const sanneId = await personId(srv, 'sanne.bakker@example.nl');
  assert.match(sanne.cells.Account, new RegExp(`<form class="row-action" method="post" action="/mijn/organisatie/contactpersonen/${sanneId}/uitnodigen">`));
  assert.doesNotMatch(rowOf(page.text, 'Jan de Vries').cells.Account, /<form/, 'no invitation for a login');
  // a medewerker sees the colleagues, not their logins
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const seen = await jan.get('/mijn/organisatie');
  assert.doesNotMatch(seen.text, /Account<\/th>|Heeft een account|Geen account|uitnodigen/);
});

test('Nieuw contactpersoon: the invitation box is unticked until the beheerder ticks it', async () => {
  const form = await deby.get(NEW);
  const box = form.text.match(/<input id="uitnodigen"[^>]*>/)?.[0];
  assert.ok(box);
  assert.doesNotMatch(box, /checked/);
  // sent back with an error, the box stays as it was sent
  const csrf = csrfOf(form.text);
  const context = contextOf(form.text);
  let r = await deby.post(NEW, { csrf, context, voornaam: '', achternaam: 'X', email: 'x.box@example.nl', uitnodigen: '1' });
  assert.match(r.text.match(/<input id="uitnodigen"[^>]*>/)[0], /checked/);
  r = await deby.post(NEW, { csrf, context, voornaam: '', achternaam: 'X', email: 'x.box@example.nl' });
  assert.doesNotMatch(r.text.match(/<input id="uitnodigen"[^>]*>/)[0], /checked/);
  // added without ticking it: no mail, and the list says so
  r = await addContact({ voornaam: 'Bram', achternaam: 'Stil', email: 'bram.stil@example.nl' });
  assert.equal(r.status, 303);
  const bram = await personId(srv, 'bram.stil@example.nl');
  assert.equal(await activationMails(bram), 0);
  assert.match(rowOf((await deby.get('/mijn/organisatie')).text, 'Bram Stil').account, /^Geen account/);
});

test('Uitnodiging opnieuw sturen: a new activation mail to that person, the older link void, audited', async () => {
  let r = await addContact({ voornaam: 'Femke', achternaam: 'Opnieuw', email: 'femke.opnieuw@example.nl', uitnodigen: '1' });
  assert.equal(r.status, 303);
  const femke = await personId(srv, 'femke.opnieuw@example.nl');
  const [first] = await srv.waitForMail('femke.opnieuw@example.nl');
  const firstLink = linkIn(first);
  assert.ok(firstLink);
  let page = await deby.get('/mijn/organisatie');
  const row = rowOf(page.text, 'Femke Opnieuw');
  assert.match(row.account, /^Uitgenodigd, nog niet geactiveerd Uitnodiging opnieuw sturen aan Femke Opnieuw$/);

  const quotaBefore = await count(`SELECT count(*) FROM mail_quota WHERE kind = 'uitnodiging' AND organisation_id = ${await orgId(srv, 'Gemeente Heerhugowaard')}`);
  r = await resend(deby, femke);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mijn/organisatie');
  page = await deby.get('/mijn/organisatie');
  assert.match(text(page.text), /De uitnodiging is opnieuw verstuurd naar het e-mailadres van de contactpersoon\. De nieuwe link is 7 dagen geldig; een eerdere link werkt niet meer\./);
  assert.match(page.text, /class="notice flash success"/);
  assert.match(rowOf(page.text, 'Femke Opnieuw').account, /^Uitgenodigd, nog niet geactiveerd/);
  // the outbox holds the second activation mail, to her, without a usable link
  const rows = await sql(srv.dbUrl, `SELECT to_address, subject, link_path FROM outbox WHERE link_kind = 'activatie' AND link_person_id = ${femke} ORDER BY id`);
  assert.deepEqual(rows, Array(2).fill(['femke.opnieuw@example.nl', 'Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep', '/wachtwoord-instellen']));
  assert.equal(await count(`SELECT count(*) FROM outbox WHERE link_person_id = ${femke} AND body_text LIKE '%token=%'`), 0, 'no usable link stored');
  assert.equal(await count(`SELECT count(*) FROM mail_quota WHERE kind = 'uitnodiging' AND organisation_id = ${await orgId(srv, 'Gemeente Heerhugowaard')}`), quotaBefore + 1, 'an invitation counts');
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'uitnodiging_opnieuw_verstuurd' AND subject = '${femke}'`), 1);
  // the mail arrives; only its link works
  const mails = await srv.waitForMail('femke.opnieuw@example.nl', 2);
  const secondLink = linkIn(mails[1]);
  assert.ok(secondLink && secondLink !== firstLink);
  const anon = makeClient(srv.url);
  assert.equal((await anon.get(firstLink)).status, 410, 'the first link is void');
  const set = await anon.get(secondLink);
  assert.equal(set.status, 200);
  // she activates: the list says so, and nothing more is offered or sent
  r = await anon.post(secondLink, { csrf: csrfOf(set.text), wachtwoord: 'Tulpen!Veld2026', wachtwoord_bevestiging: 'Tulpen!Veld2026' });
  assert.equal(r.status, 303);
  page = await deby.get('/mijn/organisatie');
  assert.equal(rowOf(page.text, 'Femke Opnieuw').account, 'Heeft een account');
  const before = await activationMails(femke);
  r = await resend(deby, femke);
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Femke Opnieuw heeft al een account en kan inloggen; een uitnodiging is niet nodig\./);
  assert.match(r.text, /<p class="alert" role="alert">/);
  assert.equal(await activationMails(femke), before, 'nothing sent');
});

test('Uitnodiging sturen to a contact never invited: the first invitation, said as such', async () => {
  const sanne = await personId(srv, 'sanne.bakker@example.nl');
  const r = await resend(deby, sanne);
  assert.equal(r.status, 303);
  const page = await deby.get('/mijn/organisatie');
  assert.match(text(page.text), /De uitnodiging is verstuurd naar het e-mailadres van de contactpersoon\. De link is 7 dagen geldig\./);
  assert.match(rowOf(page.text, 'Sanne Bakker').account, /^Uitgenodigd, nog niet geactiveerd Uitnodiging opnieuw sturen/);
  const [mail] = await srv.waitForMail('sanne.bakker@example.nl');
  assert.equal(mail.subject, 'Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep');
  assert.match(mail.text, /Beste Sanne,/);
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'uitnodiging_verstuurd' AND subject = '${sanne}'`), 1);
});

test('an invitation is refused for a contact of another organisation, a login, a blocked one, and past the quota', async () => {
  const ghhw = await orgId(srv, 'Gemeente Heerhugowaard');
  const debyId = await personId(srv, 'deby.rummens@example.nl');
  const outbox = () => count('SELECT count(*) FROM outbox');
  const start = await outbox();
  // Kees is a contact of Herenbos Schagen (no login): not found from Gemeente Heerhugowaard
  const kees = await personId(srv, 'kees.visser@example.nl');
  for (const id of [kees, '999999', 'abc', '01']) {
    assert.equal((await resend(deby, id)).status, 404, `contact ${id}`);
  }
  // Jan has a login
  const jan = await personId(srv, 'jan.devries@example.nl');
  let r = await resend(deby, jan);
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Jan de Vries heeft al een account/);
  // blocked by the administratie: said, not offered, not sent
  const pieter = await personId(srv, 'pieter.vandijk@example.nl');
  await sql(srv.dbUrl, `UPDATE persons SET blocked = 1 WHERE id = ${pieter}`);
  assert.equal(rowOf((await deby.get('/mijn/organisatie')).text, 'Pieter van Dijk').account, 'Toegang geblokkeerd door de administratie');
  r = await resend(deby, pieter);
  assert.equal(r.status, 409);
  assert.match(text(r.text), /De toegang van Pieter van Dijk is geblokkeerd door de administratie\. Er is geen uitnodiging verstuurd\./);
  await sql(srv.dbUrl, `UPDATE persons SET blocked = 0 WHERE id = ${pieter}`);
  assert.equal(await outbox(), start, 'nothing sent');

  // fifty invitations of the organisation today: the next one waits, and nothing is stored
  await sql(srv.dbUrl, 'DELETE FROM mail_quota');
  const rows = Array.from({ length: 50 }, () => `(${ghhw}, ${debyId}, 'uitnodiging', ${now() - 7200})`).join(', ');
  await sql(srv.dbUrl, `INSERT INTO mail_quota (organisation_id, person_id, kind, at) VALUES ${rows}`);
  const audits = await count('SELECT count(*) FROM audit_log');
  r = await resend(deby, pieter);
  assert.equal(r.status, 429);
  assert.match(text(r.text), /U heeft in korte tijd veel uitnodigingen verstuurd\. Om misbruik van e-mail te voorkomen kan dat even niet meer\. Probeer het over een uur opnieuw of neem contact op met de administratie\. Er is geen uitnodiging verstuurd\./);
  assert.match(text(r.text), /Contactpersonen/, 'the list is there to go on with');
  assert.equal(await outbox(), start);
  assert.equal(await count('SELECT count(*) FROM mail_quota'), 50);
  assert.equal(await count('SELECT count(*) FROM audit_log'), audits);
  await sql(srv.dbUrl, 'DELETE FROM mail_quota');
  assert.equal((await resend(deby, pieter)).status, 303, 'once the quota allows it');
});

test('the only beheerder is told before trying: on the list, on the role field and on the removal page', async () => {
  const debyId = await personId(srv, 'deby.rummens@example.nl');
  const jan = await personId(srv, 'jan.devries@example.nl');
  const RULE = 'U bent de enige beheerder van uw organisatie. Een organisatie houdt minimaal één beheerder: maak eerst een collega beheerder voordat u uzelf medewerker maakt of verwijdert.';
  const list = await deby.get('/mijn/organisatie');
  assert.ok(text(list.text).includes(RULE));
  // stated above the list, before its buttons
  assert.ok(list.text.indexOf('id="enige-beheerder"') < list.text.indexOf('<table'));
  const own = await deby.get(`/mijn/organisatie/contactpersonen/${debyId}/aanpassen`);
  assert.match(own.text, /<fieldset class="choices" aria-describedby="rol-hint">\s*<legend>Rol<\/legend>\s*<p class="hint" id="rol-hint">Een organisatie houdt minimaal één beheerder\. U bent nu de enige beheerder van uw organisatie en blijft beheerder tot u een collega beheerder heeft gemaakt\.<\/p>/);
  const other = await deby.get(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`);
  assert.match(other.text, /<p class="hint" id="rol-hint">Een organisatie houdt minimaal één beheerder\.<\/p>/);
  // the new form has no such hint: adding a beheerder is always fine
  assert.doesNotMatch((await deby.get(NEW)).text, /rol-hint/);

  // with a second beheerder the notes go, and Deby may step down
  const r = await deby.post(`/mijn/organisatie/contactpersonen/${jan}/aanpassen`, { csrf: csrfOf(other.text), context: contextOf(other.text), functie: 'Medewerker groenbeheer', rol: 'beheerder' });
  assert.equal(r.status, 303);
  assert.ok(!text((await deby.get('/mijn/organisatie')).text).includes('U bent de enige beheerder'));
  assert.doesNotMatch((await deby.get(`/mijn/organisatie/contactpersonen/${debyId}/aanpassen`)).text, /enige beheerder/);
  const remove = await deby.get(`/mijn/organisatie/contactpersonen/${debyId}/verwijderen`);
  assert.match(remove.text, />Verwijderen<\/button>/);
  assert.doesNotMatch(remove.text, /enige beheerder/);
  await sql(srv.dbUrl, `UPDATE memberships SET role = 'medewerker' WHERE person_id = ${jan} AND organisation_id = ${await orgId(srv, 'Gemeente Heerhugowaard')}`);
});

test('a medewerker or another organisation\'s beheerder cannot send an invitation; a stale form is refused', async () => {
  const bram = await personId(srv, 'bram.stil@example.nl');
  const before = await activationMails(bram);
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const janPage = await jan.get('/mijn');
  assert.equal((await jan.post(invitePath(bram), { csrf: csrfOf(janPage.text), context: await orgId(srv, 'Gemeente Heerhugowaard') })).status, 403);
  const herenbos = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  assert.equal((await resend(herenbos, bram)).status, 404, 'not a contact of Herenbos Schagen');
  // the list's button shown for Gemeente Heerhugowaard, sent after a switch in another tab
  const list = await deby.get('/mijn/organisatie');
  const c = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const shown = await c.get('/mijn/organisatie');
  const page = await c.get('/organisatie-kiezen');
  await c.post('/organisatie-kiezen', { csrf: csrfOf(page.text), organisatie: await orgId(srv, 'Herenbos Schagen') });
  assert.equal((await c.post(invitePath(bram), { csrf: csrfOf(shown.text), context: contextOf(shown.text) })).status, 409);
  assert.equal((await deby.post(invitePath(bram), { csrf: csrfOf(list.text) })).status, 409, 'without its context');
  assert.equal(await activationMails(bram), before, 'nothing sent');
});
