// The authorization matrix: every route of the portal × every role × GET and POST, each with
// the outcome it must have. Later features add their rows to `routes`.
//
// Roles: anonymous; a cursist without organisation (Martin); a medewerker of A (Jan, Gemeente
// Heerhugowaard); a beheerder of A (Deby acting for Gemeente Heerhugowaard); a beheerder of B
// (Deby acting for Herenbos Schagen, reaching for A's contact); a beheerder acting as person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer, makeClient, repoRoot } from './lib/harness.mjs';
import { sqlValue } from './lib/db.mjs';
import { csrfOf, personId, actingAs, orgId } from './lib/portal.mjs';

let srv;
const roles = {};
// the context each role's session acts in ('persoon' or the organisation's id); forms carry it
const contexts = {};
let victim; // a medewerker of A that POSTs may try to change
let someone; // another person of A, for the back office's person pages
let newsSlug, newsId, categoryPath;
let publicEvent, maatwerkA, janReg; // an open public event, Gemeente Heerhugowaard's maatwerk event, Jan's registration in it
let queueReg; // a registration for the back office's rows (its id is not the victim's, which the POST check looks for)
let categoryId, maatwerkCourseA; // a category, Gemeente Heerhugowaard's maatwerk course
let martinMsg, martinAtt, orgMsgA; // Digitaal Dossier: Martin's message with its attachment, Gemeente Heerhugowaard's message
let invoiceA, invoiceCursist; // an invoice of Gemeente Heerhugowaard and one of Martin as person
let openInvoice; // an open demo invoice (Gemeente Heerhugowaard's)

before(async () => {
  srv = await startServer();
  roles.anonymous = makeClient(srv.url);
  roles.cursist = await actingAs(srv, 'martin.sommer@example.nl');
  roles.medewerkerA = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  roles.beheerderA = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  roles.beheerderB = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  roles.persoon = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  victim = await personId(srv, 'pieter.vandijk@example.nl');
  someone = await personId(srv, 'sanne.bakker@example.nl');
  newsSlug = await sqlValue(srv.dbUrl, 'SELECT slug FROM news ORDER BY id LIMIT 1');
  newsId = await sqlValue(srv.dbUrl, 'SELECT id FROM news ORDER BY id LIMIT 1');
  categoryPath = await sqlValue(srv.dbUrl, 'SELECT slug_path FROM categories ORDER BY id LIMIT 1');
  const a = await orgId(srv, 'Gemeente Heerhugowaard');
  publicEvent = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
  maatwerkA = await sqlValue(srv.dbUrl, "SELECT e.id FROM events e JOIN courses c ON c.id = e.course_id WHERE c.maatwerk_org_id = " + a);
  categoryId = await sqlValue(srv.dbUrl, 'SELECT id FROM categories ORDER BY id LIMIT 1');
  maatwerkCourseA = await sqlValue(srv.dbUrl, 'SELECT id FROM courses WHERE maatwerk_org_id = ' + a);
  janReg = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE event_id = ${maatwerkA} AND person_id = ${await personId(srv, 'jan.devries@example.nl')}`);
  // issued copies as the store writes them; only who they are addressed to matters here
  const martin = await personId(srv, 'martin.sommer@example.nl');
  for (const [number, person, org] of [['2019-800001', 'NULL', a], ['2019-800002', martin, 'NULL']])
    await sqlValue(srv.dbUrl, `INSERT INTO invoices (number, person_id, organisation_id, invoice_date, due_date, amount_cents, status, created_at, party_name, payment_reference) VALUES ('${number}', ${person}, ${org}, '2019-01-02', '2019-02-01', 0, 'open', 0, 'x', 'x')`);
  [invoiceA, invoiceCursist] = ['2019-800001', '2019-800002'];
  queueReg = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE id <> ${victim} ORDER BY id DESC LIMIT 1`);
  martinMsg = await sqlValue(srv.dbUrl, "SELECT m.id FROM messages m JOIN persons p ON p.id = m.person_id WHERE p.email = 'martin.sommer@example.nl' ORDER BY m.id LIMIT 1");
  martinAtt = await sqlValue(srv.dbUrl, `SELECT id FROM attachments WHERE message_id = ${martinMsg}`);
  orgMsgA = await sqlValue(srv.dbUrl, 'SELECT id FROM messages WHERE organisation_id = ' + a);
  // (a number holding the victim's id would trip the membership check below)
  openInvoice = await sqlValue(srv.dbUrl, `SELECT number FROM invoices WHERE status = 'open' AND organisation_id = ${a} AND number NOT LIKE '%${victim}%' ORDER BY id LIMIT 1`);
  Object.assign(contexts, { anonymous: 'persoon', cursist: 'persoon', medewerkerA: a, beheerderA: a, beheerderB: await orgId(srv, 'Herenbos Schagen'), persoon: 'persoon' });
});
after(async () => { await srv?.stop(); });

const L = 'login'; // 303 to /inloggen?terug=…
const ALL = (status) => ({ anonymous: status, cursist: status, medewerkerA: status, beheerderA: status, beheerderB: status, persoon: status });
const LOGGED_IN = (status) => ({ ...ALL(status), anonymous: L });
// the back office: the login page for the anonymous, 403 for every customer role
const STAFF_ONLY = LOGGED_IN(403);

// [method, path (a function for ids), expected per role, form for POST]
const routes = [
  ['GET', '/healthz', ALL(200)],
  ['GET', '/readyz', ALL(200)],
  ['GET', '/static/style.css', ALL(200)],
  ['GET', '/', ALL(200)],
  ['GET', () => `/nieuws/${newsSlug}`, ALL(200)],
  ['GET', () => `/aanbod/${categoryPath}`, ALL(200)],
  ['GET', '/inloggen', { ...ALL(303), anonymous: 200 }],
  ['POST', '/inloggen', ALL(200), { gebruikersnaam: '' }],
  // a forged token: a live session is never ended by another site's form
  ['POST', '/uitloggen', { ...ALL(403), anonymous: 303 }, { csrf: 'x'.repeat(43) }],
  ['POST', '/wachtwoord-opvragen', ALL(200), { gebruikersnaam: '' }],
  ['GET', '/wachtwoord-instellen?token=ongeldig', ALL(410)],
  ['POST', '/wachtwoord-instellen?token=ongeldig', ALL(410), { wachtwoord: 'x' }],
  ['POST', '/mijn/gegevens/email', LOGGED_IN(200), { email: '' }],
  ['GET', '/aanbod', ALL(200)],
  ['GET', '/cursusagenda', ALL(200)],
  ['GET', '/cursusagenda/csv', ALL(200)],
  ['GET', '/nieuws', ALL(200)],
  ['GET', '/wie-zijn-wij', ALL(200)],
  ['GET', '/contact', ALL(200)],
  ['GET', '/privacyverklaring', ALL(200)],
  ['GET', '/cookies', ALL(200)],
  ['GET', '/toegankelijkheidsverklaring', ALL(200)],
  ['GET', '/static/fonts/Inter-Regular.otf', ALL(200)],
  ['GET', '/wachtwoord-opvragen', ALL(200)],
  ['GET', '/organisatie-kiezen', LOGGED_IN(200)],
  ['POST', '/organisatie-kiezen', { ...LOGGED_IN(400), persoon: 400 }, { organisatie: '999999' }],
  ['GET', '/mijn', LOGGED_IN(200)],
  ['GET', '/mijn/gegevens', LOGGED_IN(200)],
  ['GET', '/mijn/gegevens/aanpassen', LOGGED_IN(200)],
  ['POST', '/mijn/gegevens/aanpassen', LOGGED_IN(200), { voornaam: '' }],
  ['GET', '/mijn/gegevens/email', LOGGED_IN(200)],
  ['GET', '/mijn/wachtwoord', LOGGED_IN(200)],
  ['POST', '/mijn/wachtwoord', LOGGED_IN(200), { huidig_wachtwoord: '' }],
  ['GET', '/mijn/gegevens/email/bevestigen?token=ongeldig', ALL(410)],
  ['GET', '/mijn/organisatie', { anonymous: L, cursist: 404, medewerkerA: 200, beheerderA: 200, beheerderB: 200, persoon: 404 }],
  ['POST', '/mijn/organisatie', { anonymous: 405, cursist: 405, medewerkerA: 405, beheerderA: 405, beheerderB: 405, persoon: 405 }],
  ['GET', '/mijn/organisatie/aanpassen', { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 200, persoon: 404 }],
  ['POST', '/mijn/organisatie/aanpassen', { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 200, persoon: 404 }, { naam: '' }],
  ['GET', '/mijn/organisatie/contactpersonen/nieuw', { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 200, persoon: 404 }],
  ['POST', '/mijn/organisatie/contactpersonen/nieuw', { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 200, persoon: 404 }, { voornaam: '' }],
  ['GET', () => `/mijn/organisatie/contactpersonen/${victim}/aanpassen`, { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 404, persoon: 404 }],
  ['POST', () => `/mijn/organisatie/contactpersonen/${victim}/aanpassen`, { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 404, persoon: 404 }, { telefoon_werk: 'x', rol: 'beheerder' }],
  // Pieter has no login: beheerderA's POST sends him an invitation
  ['POST', () => `/mijn/organisatie/contactpersonen/${victim}/uitnodigen`, { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 303, beheerderB: 404, persoon: 404 }, {}],
  ['GET', () => `/mijn/organisatie/contactpersonen/${victim}/uitnodigen`, ALL(405)],
  ['GET', () => `/mijn/organisatie/contactpersonen/${victim}/verwijderen`, { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 404, persoon: 404 }],
  ['POST', () => `/mijn/organisatie/contactpersonen/${victim}/verwijderen`, { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 303, beheerderB: 404, persoon: 404 }, {}],
  // the list to choose a participant from; an enrolment page to return to changes no rule
  ['GET', '/mijn/organisatie/personen', { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 200, persoon: 404 }],
  ['GET', '/mijn/organisatie/personen?terug=%2Fevenementen%2F1%2Finschrijven&q=a', { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 200, persoon: 404 }],
  ['POST', '/mijn/organisatie/personen', ALL(405), {}],
  ['GET', '/mijn/cursussen', LOGGED_IN(200)],
  // Digitaal Dossier: every logged-in person sees the file of their own context; the kind only filters
  ['GET', '/mijn/dossier', LOGGED_IN(200)],
  ['GET', '/mijn/dossier?soort=facturen', LOGGED_IN(200)],
  ['POST', '/mijn/dossier', ALL(405)],
  ['POST', '/mijn/cursussen', ALL(405)],
  ['GET', '/mijn/cursussen/organisatie', { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 200, persoon: 404 }],
  // the first step (no bevestigd) shows the question to whoever may cancel: the participant, or
  // the beheerder of the organisation that pays; for anyone else the registration does not exist
  ['POST', '/mijn/cursussen/afmelden', { anonymous: L, cursist: 404, medewerkerA: 200, beheerderA: 200, beheerderB: 404, persoon: 404 }, { get inschrijving() { return janReg; } }],
  ['GET', '/mijn/cursussen/afmelden', ALL(405)],
  // the PDF of the chosen registrations, for the same people
  ['POST', '/mijn/cursussen/bevestiging', { anonymous: L, cursist: 404, medewerkerA: 200, beheerderA: 200, beheerderB: 404, persoon: 404 }, { get inschrijving() { return janReg; } }],
  ['GET', '/mijn/cursussen/bevestiging', ALL(405)],
  // Facturen: a medewerker sees no invoices of the organisation; anyone else's number does not exist
  ['GET', '/mijn/facturen', { ...LOGGED_IN(200), medewerkerA: 403 }],
  ['POST', '/mijn/facturen', ALL(405)],
  ...['', '.pdf', '.xml'].flatMap((ext) => [
    ['GET', () => `/mijn/facturen/${invoiceA}${ext}`, { anonymous: L, cursist: 404, medewerkerA: 403, beheerderA: 200, beheerderB: 404, persoon: 404 }],
    ['GET', () => `/mijn/facturen/${invoiceCursist}${ext}`, { anonymous: L, cursist: 200, medewerkerA: 403, beheerderA: 404, beheerderB: 404, persoon: 404 }],
    ['POST', () => `/mijn/facturen/${invoiceA}${ext}`, ALL(405), {}],
  ]),
  ['GET', '/mijn/facturen/2019-80000', { ...LOGGED_IN(404), medewerkerA: 403 }],
  ['GET', '/ontkoppelen?token=ongeldig', ALL(410)],
  ['GET', '/algemene-voorwaarden', ALL(200)],
  ['GET', () => `/evenementen/${publicEvent}/inschrijven`, ALL(200)],
  ['GET', () => `/evenementen/${maatwerkA}/inschrijven`, { ...ALL(404), beheerderA: 200 }],
  // Jan is enrolled in it: a participant always has their own event
  ['GET', () => `/evenementen/${maatwerkA}.ics`, { ...ALL(404), medewerkerA: 200, beheerderA: 200 }],
  // an empty sign-up or a paying person who did not accept the terms: 422; for an organisation the enrolment is
  // made; Deby is then in the event (through Herenbos), so for Gemeente Heerhugowaard she is twice
  ['POST', () => `/evenementen/${publicEvent}/inschrijven`, { anonymous: 422, cursist: 422, medewerkerA: 303, beheerderA: 409, beheerderB: 303, persoon: 422 }, {}],
  ['POST', () => `/evenementen/${maatwerkA}/inschrijven`, { ...ALL(404), beheerderA: 303 }, {}],
  ['GET', () => `/evenementen/${publicEvent}.ics`, ALL(200)],
  ['GET', '/mijn/cursussen.ics?sleutel=onbekend', ALL(404)],
  ['GET', '/mijn/cursussen/agenda', LOGGED_IN(200)],
  ['POST', '/mijn/cursussen/agenda', LOGGED_IN(200), {}],
  ['POST', '/mijn/cursussen/agenda/verwijderen', LOGGED_IN(303), {}],
  ['GET', () => `/inschrijvingen/${janReg}/bevestiging`, { anonymous: L, cursist: 404, medewerkerA: 200, beheerderA: 200, beheerderB: 404, persoon: 404 }],
  ['POST', '/ontkoppelen?token=ongeldig', ALL(410), {}],
  // a bezoeker's sign-up: its landing page and its confirmation link need the secret, not a login
  ['GET', '/inschrijvingen/aanmelding?sleutel=ongeldig', ALL(404)],
  ['GET', '/inschrijvingen/bevestigen?token=ongeldig', ALL(404)],
  ['POST', '/inschrijvingen/bevestigen?token=ongeldig', ALL(404), {}],
  // the second factor: without a right password first (a login challenge) the code pages send
  // back to Inloggen; the settings page is everyone's own
  ['GET', '/inloggen/code', ALL(303)],
  ['POST', '/inloggen/code', ALL(303), { code: '123456' }],
  ['GET', '/inloggen/tweestapsverificatie', ALL(303)],
  ['POST', '/inloggen/tweestapsverificatie', ALL(303), { code: '123456' }],
  ['GET', '/mijn/gegevens/tweestapsverificatie', LOGGED_IN(200)],
  ['POST', '/mijn/gegevens/tweestapsverificatie', LOGGED_IN(200), { actie: 'aanzetten' }],
  // the back office
  ['GET', () => `/beheer/personen/${someone}/dossier`, STAFF_ONLY],
  ['POST', () => `/beheer/personen/${someone}/dossier`, STAFF_ONLY, { onderwerp: 'Niet van u', tekst: 'x', actie: 'versturen' }],
  ['GET', () => `/beheer/organisaties/${contexts.beheerderA}/dossier`, STAFF_ONLY],
  ['POST', () => `/beheer/organisaties/${contexts.beheerderA}/dossier`, STAFF_ONLY, { onderwerp: 'Niet van u', tekst: 'x', actie: 'versturen' }],
  // Martin's own message and attachment (demo); Gemeente Heerhugowaard's message, for its beheerders only
  ['GET', () => `/mijn/dossier/berichten/${martinMsg}`, { anonymous: L, cursist: 200, medewerkerA: 404, beheerderA: 404, beheerderB: 404, persoon: 404 }],
  ['GET', () => `/mijn/dossier/bijlagen/${martinAtt}`, { anonymous: L, cursist: 200, medewerkerA: 404, beheerderA: 404, beheerderB: 404, persoon: 404 }],
  ['GET', () => `/mijn/dossier/berichten/${orgMsgA}`, { anonymous: L, cursist: 404, medewerkerA: 404, beheerderA: 200, beheerderB: 404, persoon: 404 }],
  ['POST', () => `/mijn/dossier/berichten/${martinMsg}`, ALL(405), {}],
  ['POST', () => `/mijn/dossier/bijlagen/${martinAtt}`, ALL(405), {}],
  ['GET', '/beheer', STAFF_ONLY],
  ['GET', '/beheer/audit', STAFF_ONLY],
  ['POST', '/beheer/rem-opheffen', STAFF_ONLY, { account: 'martin.sommer@example.nl' }],
  ['GET', '/beheer/nieuws', STAFF_ONLY],
  ['GET', '/beheer/nieuws/nieuw', STAFF_ONLY],
  ['POST', '/beheer/nieuws/nieuw', STAFF_ONLY, { titel: 'Niet van u', datum: '01-01-2027', tekst: 'x', actie: 'opslaan' }],
  ['GET', () => `/beheer/nieuws/${newsId}`, STAFF_ONLY],
  ['POST', () => `/beheer/nieuws/${newsId}`, STAFF_ONLY, { titel: 'Niet van u', datum: '01-01-2027', tekst: 'x', actie: 'opslaan' }],
  ['GET', () => `/beheer/nieuws/${newsId}/verwijderen`, STAFF_ONLY],
  ['POST', () => `/beheer/nieuws/${newsId}/verwijderen`, STAFF_ONLY, {}],
  ['GET', '/beheer/paginas', STAFF_ONLY],
  ['GET', '/beheer/paginas/contact', STAFF_ONLY],
  ['POST', '/beheer/paginas/contact', STAFF_ONLY, { titel: 'Niet van u', tekst: 'x', actie: 'opslaan' }],
  // persons and organisations in the back office
  ['GET', '/beheer/personen?naam=a&email=b&plaats=c&organisatie=d', STAFF_ONLY],
  ['GET', '/beheer/personen/nieuw', STAFF_ONLY],
  ['POST', '/beheer/personen/nieuw', STAFF_ONLY, { voornaam: 'X', achternaam: 'Y', email: 'xy@example.nl', uitnodigen: '1' }],
  ['GET', () => `/beheer/personen/${someone}`, STAFF_ONLY],
  ['GET', () => `/beheer/personen/${someone}/bewerken`, STAFF_ONLY],
  ['POST', () => `/beheer/personen/${someone}/bewerken`, STAFF_ONLY, { voornaam: 'X', achternaam: 'Y' }],
  ['POST', () => `/beheer/personen/${someone}/activatielink`, STAFF_ONLY, {}],
  ['POST', () => `/beheer/personen/${someone}/blokkeren`, STAFF_ONLY, {}],
  ['POST', () => `/beheer/personen/${someone}/deblokkeren`, STAFF_ONLY, {}],
  ['POST', () => `/beheer/personen/${someone}/rem-opheffen`, STAFF_ONLY, {}],
  ['GET', () => `/beheer/personen/${someone}/organisaties?q=a`, STAFF_ONLY],
  ['POST', () => `/beheer/personen/${someone}/organisaties`, STAFF_ONLY, { get organisatie() { return contexts.beheerderB; }, rol: 'beheerder' }],
  ['POST', () => `/beheer/personen/${someone}/organisaties/${contexts.beheerderA}/rol`, STAFF_ONLY, { rol: 'beheerder' }],
  ['POST', () => `/beheer/personen/${someone}/organisaties/${contexts.beheerderA}/beeindigen`, STAFF_ONLY, {}],
  ['GET', '/beheer/organisaties?naam=a&plaats=b&kvk=1', STAFF_ONLY],
  ['GET', '/beheer/organisaties/nieuw', STAFF_ONLY],
  ['POST', '/beheer/organisaties/nieuw', STAFF_ONLY, { naam: 'X', contact_voornaam: 'X', contact_achternaam: 'Y', contact_email: 'xy@example.nl' }],
  ['GET', () => `/beheer/organisaties/${contexts.beheerderA}`, STAFF_ONLY],
  ['GET', () => `/beheer/organisaties/${contexts.beheerderA}/bewerken`, STAFF_ONLY],
  ['POST', () => `/beheer/organisaties/${contexts.beheerderA}/bewerken`, STAFF_ONLY, { naam: 'X' }],
  ['GET', '/beheer/import', STAFF_ONLY],
  ['POST', '/beheer/import', STAFF_ONLY, {}],
  ['GET', '/beheer/import/voorbeeld.csv', STAFF_ONLY],
  ['GET', `/beheer/import/${'A'.repeat(43)}`, STAFF_ONLY],
  ['POST', `/beheer/import/${'A'.repeat(43)}`, STAFF_ONLY, { plan: '0'.repeat(64) }],
  // the registrations queue: a customer processes, moves or cancels nothing, not even their own
  ['GET', '/beheer/inschrijvingen', STAFF_ONLY],
  ['GET', '/beheer/inschrijvingen?status=aangemeld&q=jan', STAFF_ONLY],
  ['POST', '/beheer/inschrijvingen/verwerken', STAFF_ONLY, { get rij() { return queueReg; } }],
  ['GET', '/beheer/inschrijvingen/nieuw', STAFF_ONLY],
  ['POST', '/beheer/inschrijvingen/nieuw', STAFF_ONLY, { get persoon() { return victim; }, get evenement() { return publicEvent; }, factuur: 'persoon' }],
  ['GET', () => `/beheer/inschrijvingen/${queueReg}`, STAFF_ONLY],
  ['POST', () => `/beheer/inschrijvingen/${queueReg}/verwerken`, STAFF_ONLY, {}],
  ['POST', () => `/beheer/inschrijvingen/${queueReg}/verplaatsen`, STAFF_ONLY, { get evenement() { return publicEvent; } }],
  ['POST', () => `/beheer/inschrijvingen/${queueReg}/annuleren`, STAFF_ONLY, { bevestigd: '1' }],
  ['POST', () => `/beheer/inschrijvingen/${queueReg}/referentie`, STAFF_ONLY, { referentie: 'Niet van u' }],
  // invoicing: a customer invoices, credits or marks paid nothing, not even their own
  ['GET', '/beheer/facturen', STAFF_ONLY],
  ['GET', '/beheer/facturen?status=open&q=2026', STAFF_ONLY],
  ['GET', '/beheer/facturen/csv', STAFF_ONLY],
  ['GET', '/beheer/facturen/te-factureren', STAFF_ONLY],
  ['POST', '/beheer/facturen/te-factureren', STAFF_ONLY, { get evenement() { return publicEvent; } }],
  ['POST', '/beheer/facturen/maatwerk', STAFF_ONLY, { get evenement() { return maatwerkA; }, omschrijving: 'Niet van u', bedrag: '1,00', btw: '21' }],
  ['POST', '/beheer/facturen/crediteren', STAFF_ONLY, { get inschrijving() { return janReg; } }],
  ['GET', () => `/beheer/facturen/${openInvoice}`, STAFF_ONLY],
  ['GET', () => `/beheer/facturen/${openInvoice}.pdf`, STAFF_ONLY],
  ['GET', () => `/beheer/facturen/${openInvoice}.xml`, STAFF_ONLY],
  ['POST', () => `/beheer/facturen/${openInvoice}/betaald`, STAFF_ONLY, { datum: '01-01-2026' }],
  ['GET', () => `/beheer/evenementen/${maatwerkA}/deelnemers`, STAFF_ONLY],
  ['GET', () => `/beheer/evenementen/${maatwerkA}/deelnemers.csv`, STAFF_ONLY],
  ['POST', () => `/beheer/evenementen/${maatwerkA}/deelnemers/uitnodiging`, STAFF_ONLY, {}],
  ['POST', () => `/beheer/evenementen/${maatwerkA}/deelnemers/resultaten`, STAFF_ONLY, { get resultaat() { return `${janReg}:Geslaagd`; } }],
  // the catalog: categories, courses, events (a refused POST changes nothing: the data stays)
  ['GET', '/beheer/categorieen', STAFF_ONLY],
  ['GET', '/beheer/categorieen/nieuw', STAFF_ONLY],
  ['POST', '/beheer/categorieen/nieuw', STAFF_ONLY, { naam: 'Ingebroken' }],
  ['GET', () => `/beheer/categorieen/${categoryId}`, STAFF_ONLY],
  ['POST', () => `/beheer/categorieen/${categoryId}`, STAFF_ONLY, { naam: 'Ingebroken', slug: 'ingebroken' }],
  ['POST', () => `/beheer/categorieen/${categoryId}/verwijderen`, STAFF_ONLY, { bevestigd: '1' }],
  ['GET', '/beheer/cursussen', STAFF_ONLY],
  ['GET', '/beheer/cursussen/nieuw', STAFF_ONLY],
  ['POST', '/beheer/cursussen/nieuw', STAFF_ONLY, { naam: 'Ingebroken', prijs: '1', btw: '21' }],
  ['GET', () => `/beheer/cursussen/${maatwerkCourseA}`, STAFF_ONLY],
  ['POST', () => `/beheer/cursussen/${maatwerkCourseA}`, STAFF_ONLY, { naam: 'Ingebroken', prijs: '1', btw: '21' }],
  ['POST', () => `/beheer/cursussen/${maatwerkCourseA}/verwijderen`, STAFF_ONLY, { bevestigd: '1' }],
  ['GET', '/beheer/evenementen', STAFF_ONLY],
  ['GET', '/beheer/evenementen/nieuw', STAFF_ONLY],
  ['POST', '/beheer/evenementen/nieuw', STAFF_ONLY, { get cursus() { return maatwerkCourseA; }, begindatum: '01-01-2030', capaciteit: '5' }],
  ['GET', () => `/beheer/evenementen/${maatwerkA}`, STAFF_ONLY],
  ['POST', () => `/beheer/evenementen/${maatwerkA}`, STAFF_ONLY, { begindatum: '01-01-2030', capaciteit: '500' }],
  ['POST', () => `/beheer/evenementen/${maatwerkA}/annuleren`, STAFF_ONLY, { bevestigd: '1' }],
  ['POST', () => `/beheer/evenementen/${maatwerkA}/verwijderen`, STAFF_ONLY, { bevestigd: '1' }],
];

for (const [method, p, expected, form] of routes) {
  const name = typeof p === 'function' ? p.toString().replace(/^\(\) => `|`$/g, '') : p;
  test(`${method} ${name}`, async () => {
    // beheerderA last: its allowed POSTs may change data the other roles must not have changed
    for (const role of ['anonymous', 'cursist', 'medewerkerA', 'beheerderB', 'persoon', 'beheerderA']) {
      const c = roles[role];
      const path = typeof p === 'function' ? p() : p;
      let r;
      if (method === 'GET') {
        r = await c.get(path);
      } else {
        const page = await c.get('/mijn');
        const csrf = csrfOf(page.text) ?? csrfOf((await c.get('/inloggen')).text);
        // the context of the role's own session: the matrix tests the route flags
        r = await c.post(path, { csrf, context: contexts[role], ...form });
      }
      const want = expected[role];
      if (want === L) {
        assert.equal(r.status, 303, `${role}: ${method} ${path}`);
        assert.match(r.headers.get('location'), /^\/inloggen\?terug=/, `${role}: ${method} ${path}`);
      } else {
        assert.equal(r.status, want, `${role}: ${method} ${path}`);
      }
      if (method === 'POST' && path.startsWith('/beheer/')) {
        assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM news WHERE title = 'Niet van u' OR body = 'x'"), '0', `${role} stored no news`);
        assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM news WHERE id = ${newsId}`), '1', `${role} deleted nothing`);
        assert.equal(await sqlValue(srv.dbUrl, "SELECT title FROM pages WHERE slug = 'contact'"), 'Contact', `${role} changed no page`);
      }
      if (method === 'POST' && role !== 'beheerderA' && path.includes(String(victim))) {
        assert.equal(await sqlValue(srv.dbUrl, `SELECT role || active FROM memberships WHERE person_id = ${victim}`), 'medewerker1', `${role} changed nothing`);
      }
    }
  });
}

// The refused POSTs of the back office's catalog changed nothing.
test('no customer changed the catalog through the back office', async () => {
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM categories WHERE name = 'Ingebroken'"), '0');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM courses WHERE name = 'Ingebroken'"), '0');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM categories WHERE id = ${categoryId}`), '1');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT cancelled || ':' || capacity FROM events WHERE id = ${maatwerkA}`), '0:15');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM events WHERE starts_on = '2030-01-01'"), '0');
});

// Every route the program serves has a row above (same method, a path the pattern matches), so
// a new route cannot ship without its rules being tested.
test('every route has a row in the matrix', async () => {
  const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));
  const listed = execFileSync(bin, ['routes'], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(listed.length > 30, 'klantportal routes lists the routes');
  const rows = routes.map(([m, p]) => [m, (typeof p === 'function' ? p() : p).split('?')[0]]);
  const missing = [];
  for (const line of listed) {
    const [method, pattern] = line.trim().split(/\s+/);
    const re = new RegExp('^' + pattern.split('/').map((seg) =>
      seg.startsWith(':') ? '[^/]+' : seg.startsWith('*') ? '.+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/') + '$');
    if (!rows.some(([m, p]) => m === method && re.test(p))) missing.push(`${method} ${pattern}`);
  }
  assert.deepEqual(missing, [], 'routes without a row in the authorization matrix');
});

test('extra fields never reach the database: rol, organisatie_id, another person\'s id', async () => {
  const c = roles.medewerkerA;
  const page = await c.get('/mijn');
  const before = await sqlValue(srv.dbUrl, "SELECT count(*) FROM memberships WHERE role = 'beheerder'");
  await c.post('/organisatie-kiezen', { csrf: csrfOf(page.text), organisatie: 'persoon', rol: 'beheerder', organisatie_id: '1', person_id: '1' });
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM memberships WHERE role = 'beheerder'"), before);
});

test('an organisation form of another context is refused with 409 for every organisation POST', async () => {
  const c = roles.beheerderB;
  const page = await c.get('/mijn');
  for (const path of ['/mijn/organisatie/aanpassen', '/mijn/organisatie/contactpersonen/nieuw', `/mijn/organisatie/contactpersonen/${victim}/uitnodigen`]) {
    const r = await c.post(path, { csrf: csrfOf(page.text), context: contexts.beheerderA, naam: '' });
    assert.equal(r.status, 409, path);
    const missing = await c.post(path, { csrf: csrfOf(page.text), naam: '' });
    assert.equal(missing.status, 409, `${path} without context`);
  }
});
