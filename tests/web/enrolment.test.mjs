// Inschrijven: the three ways in (as person, as medewerker, as beheerder for a colleague), who
// is invoiced (checked in the database), the terms a paying person accepts, the Bevestiging,
// the refusals (twice, closed, a form from a tab whose context was switched) and the waiting
// list of a full event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, readMails } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { csrfOf, text, orgId, personId, actingAs, choose } from './lib/portal.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const eventId = (name) => sqlValue(srv.dbUrl, `SELECT min(id) FROM events WHERE name = '${name}'`);
const contextOf = (html) => html.match(/name="context" value="([^"]+)"/)?.[1];
const regOf = (loc) => loc?.match(/^\/inschrijvingen\/(\d+)\/bevestiging$/)?.[1];

/** Opens the enrolment page and posts its form with extra fields; returns both responses. */
async function enrol(c, eid, extra = {}, query = '') {
  const page = await c.get(`/evenementen/${eid}/inschrijven${query}`);
  assert.equal(page.status, 200, text(page.text).slice(0, 300));
  const form = { csrf: csrfOf(page.text), context: contextOf(page.text) };
  const d = page.text.match(/name="deelnemer" value="(\d+)"/)?.[1];
  if (d) form.deelnemer = d;
  const r = await c.post(`/evenementen/${eid}/inschrijven`, { ...form, ...extra });
  return { page, r };
}

test('as person: the person is invoiced, the terms are accepted and stored, Bevestiging shows it', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const eid = await eventId('LV Optimaal bespuiten (VT)');
  const page = await martin.get(`/evenementen/${eid}/inschrijven`);
  const t = text(page.text);
  assert.match(t, /Licentieverlenging Gewasbescherming/);
  assert.match(t, /Evenement LV Optimaal bespuiten \(VT\)/);
  assert.match(t, /Beschikbare plaatsen 12 beschikbare plaatsen/);
  assert.match(t, /Deelnemer Martin Sommer/);
  assert.match(t, /Factuur aan Martin Sommer/);
  assert.match(t, /Prijs € 95,00 \(inclusief btw\)/);
  assert.match(t, /14 dagen bedenktijd/);
  assert.match(t, /betalingsverplichting aan van € 95,00/);
  assert.match(page.text, /Home<\/a>[\s\S]*Ons aanbod[\s\S]*Agro &amp; Groen[\s\S]*Licentieverlengingen Gewasbescherming[\s\S]*Licentieverlenging Gewasbescherming<\/a>[\s\S]*Inschrijven/);

  // without ticking the terms: refused, nothing stored
  const { r: no } = await enrol(martin, eid);
  assert.equal(no.status, 422);
  assert.match(text(no.text), /Ga akkoord met de algemene voorwaarden/);
  assert.equal(Number(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE event_id = ${eid}`)), 0);

  const { r } = await enrol(martin, eid, { voorwaarden: '1' });
  assert.equal(r.status, 303);
  const id = regOf(r.headers.get('location'));
  assert.ok(id);
  const [[person, org, by, status, price, terms]] = await sql(srv.dbUrl, `SELECT person_id, COALESCE(organisation_id, 0), enrolled_by, status, price_cents, terms_version FROM registrations WHERE id = ${id}`);
  const martinId = await personId(srv, 'martin.sommer@example.nl');
  assert.equal(person, martinId);
  assert.equal(org, '0');
  assert.equal(by, martinId);
  assert.equal(status, 'aangemeld');
  assert.equal(price, '9500');
  assert.equal(terms, '2026-1');
  assert.equal(Number(await sqlValue(srv.dbUrl, `SELECT seats_taken FROM events WHERE id = ${eid}`)), 1);

  const conf = await martin.get(`/inschrijvingen/${id}/bevestiging`);
  assert.equal(conf.status, 200);
  const ct = text(conf.text);
  assert.match(ct, /Bevestiging/);
  assert.match(ct, /Algemeen/);
  assert.match(ct, /Deelnemer Martin Sommer/);
  assert.match(ct, /Beschikbare plaatsen 11 beschikbare plaatsen/);
  assert.match(ct, /Factuur aan Martin Sommer/);

  // twice: refused with a clear message, still one registration
  const { r: twice } = await enrol(martin, eid, { voorwaarden: '1' });
  assert.equal(twice.status, 409);
  assert.match(text(twice.text), /al ingeschreven voor dit evenement/);
  assert.equal(Number(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE event_id = ${eid} AND person_id = ${martinId}`)), 1);

  // someone else's Bevestiging does not exist
  const jan = await actingAs(srv, 'jan.devries@example.nl');
  assert.equal((await jan.get(`/inschrijvingen/${id}/bevestiging`)).status, 404);

  const mails = (await readMails(srv.mailDir)).filter((m) => m.subject.startsWith('Inschrijving ontvangen'));
  assert.ok(mails.some((m) => m.to.text.includes('martin.sommer@example.nl') && /LV Optimaal bespuiten/.test(m.text)));
});

test('as medewerker: the organisation is invoiced, the reference kept, its beheerders told', async () => {
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const eid = await eventId('Basic Safety (STCW)');
  const page = await jan.get(`/evenementen/${eid}/inschrijven`);
  const t = text(page.text);
  assert.match(t, /Factuur aan Gemeente Heerhugowaard/);
  assert.match(t, /Referentie \/ inkoopnummer/);
  assert.doesNotMatch(t, /bedenktijd/); // the organisation pays: no consumer terms
  const { r } = await enrol(jan, eid, { referentie: 'PO-4711' });
  assert.equal(r.status, 303);
  const id = regOf(r.headers.get('location'));
  const [[person, org, ref, terms]] = await sql(srv.dbUrl, `SELECT person_id, organisation_id, reference, COALESCE(terms_version, '-') FROM registrations WHERE id = ${id}`);
  assert.equal(person, await personId(srv, 'jan.devries@example.nl'));
  assert.equal(org, await orgId(srv, 'Gemeente Heerhugowaard'));
  assert.equal(ref, 'PO-4711');
  assert.equal(terms, '-');
  const conf = text((await jan.get(`/inschrijvingen/${id}/bevestiging`)).text);
  assert.match(conf, /Deelnemer Gemeente Heerhugowaard - Jan de Vries/);
  const mails = await readMails(srv.mailDir);
  assert.ok(mails.some((m) => m.subject.startsWith('Nieuwe inschrijving van een medewerker') && m.to.text.includes('deby.rummens@example.nl')),
    'the beheerder of the paying organisation is told');
});

test('as beheerder: a colleague chosen by ?deelnemer=, invoiced to the organisation; Nog iemand inschrijven', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const eid = await eventId('LV Bodem en gewas (VT)');
  const sanne = await personId(srv, 'sanne.bakker@example.nl');
  const none = await deby.get(`/evenementen/${eid}/inschrijven?deelnemer=geen`);
  assert.match(none.text, /href="\/mijn\/organisatie\/personen\?terug=\/evenementen\/\d+\/inschrijven"/);
  assert.match(text(none.text), /Nog geen deelnemer gekozen/);
  const { page, r } = await enrol(deby, eid, {}, `?deelnemer=${sanne}`);
  assert.match(text(page.text), /Deelnemer .*Sanne Bakker/);
  assert.equal(r.status, 303);
  const id = regOf(r.headers.get('location'));
  const [[person, org, by]] = await sql(srv.dbUrl, `SELECT person_id, organisation_id, enrolled_by FROM registrations WHERE id = ${id}`);
  assert.equal(person, sanne);
  assert.equal(org, await orgId(srv, 'Gemeente Heerhugowaard'));
  assert.equal(by, await personId(srv, 'deby.rummens@example.nl'));
  const conf = await deby.get(`/inschrijvingen/${id}/bevestiging`);
  assert.match(text(conf.text), /Deelnemer Gemeente Heerhugowaard - Sanne Bakker/);
  assert.match(conf.text, new RegExp(`href="/evenementen/${eid}/inschrijven\\?deelnemer=geen">Nog iemand inschrijven`));
  // a person of another organisation, or any made-up id: 404
  const kees = await personId(srv, 'kees.visser@example.nl'); // Herenbos
  assert.equal((await deby.get(`/evenementen/${eid}/inschrijven?deelnemer=${kees}`)).status, 404);
  assert.equal((await deby.get(`/evenementen/${eid}/inschrijven?deelnemer=999999`)).status, 404);
  const p2 = await deby.get(`/evenementen/${eid}/inschrijven`);
  const forged = await deby.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(p2.text), context: contextOf(p2.text), deelnemer: String(kees) });
  assert.equal(forged.status, 404);
  // a medewerker enrols only themself
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  assert.equal((await jan.get(`/evenementen/${eid}/inschrijven?deelnemer=${sanne}`)).status, 404);
});

test('a form from a tab whose context was switched is refused, nothing stored', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  const eid = await eventId('Medical Care (STCW)');
  const page = await deby.get(`/evenementen/${eid}/inschrijven`);
  assert.match(text(page.text), /Factuur aan Herenbos Schagen/);
  await choose(srv, deby, 'persoon'); // "another tab"
  const before = Number(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM registrations'));
  const r = await deby.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(page.text), context: contextOf(page.text) });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /U werkt intussen als persoon/);
  assert.match(text(r.text), /Er is niets opgeslagen/);
  assert.equal(Number(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM registrations')), before);
});

test('past the deadline: Inschrijving gesloten, and a POST is refused', async () => {
  const eid = await eventId('Basic Safety (STCW)');
  await sql(srv.dbUrl, `UPDATE events SET registration_deadline = '2000-01-01' WHERE id = ${eid}`);
  try {
    const martin = await actingAs(srv, 'martin.sommer@example.nl');
    const page = await martin.get(`/evenementen/${eid}/inschrijven`);
    assert.match(text(page.text), /Inschrijving gesloten/);
    assert.doesNotMatch(page.text, /<button type="submit" class="button">Inschrijven/);
    const r = await martin.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(page.text), context: 'persoon', voorwaarden: '1' });
    assert.equal(r.status, 409);
    assert.match(text(r.text), /inschrijving voor dit evenement is gesloten/);
  } finally {
    await sql(srv.dbUrl, `UPDATE events SET registration_deadline = NULL WHERE id = ${eid}`);
  }
});

test('a full event: Vol and Plaats op wachtlijst; the place on the list is stored in order', async () => {
  const full = await sqlValue(srv.dbUrl, `SELECT id FROM events WHERE name = 'Medical Care (STCW)' AND capacity = seats_taken AND starts_on > '${isoDay(0)}'`);
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const page = await martin.get(`/evenementen/${full}/inschrijven`);
  assert.match(text(page.text), /Vol/);
  assert.match(page.text, />Plaats op wachtlijst</);
  const { r } = await enrol(martin, full, { voorwaarden: '1', wachtlijst: '1' });
  assert.equal(r.status, 303);
  const id = regOf(r.headers.get('location'));
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE id = ${id}`), 'wachtlijst');
  const conf = text((await martin.get(`/inschrijvingen/${id}/bevestiging`)).text);
  assert.match(conf, /Wachtlijst \(plaats \d+\)/);
  assert.equal(Number(await sqlValue(srv.dbUrl, `SELECT capacity - seats_taken FROM events WHERE id = ${full}`)), 0);
});

test('maatwerk: the enrolment page exists only for the owning organisation\'s beheerders', async () => {
  const eid = await eventId('LV Bedreigingen openbaar groen - gemeente Heerhugowaard');
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const page = await deby.get(`/evenementen/${eid}/inschrijven`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Cursussen<\/a>[\s\S]*Maatwerk cursussen Gemeente Heerhugowaard<\/a>[\s\S]*Inschrijven/);
  for (const [email, org] of [['martin.sommer@example.nl', null], ['jan.devries@example.nl', 'Gemeente Heerhugowaard'],
    ['deby.rummens@example.nl', 'Herenbos Schagen'], ['deby.rummens@example.nl', null]]) {
    const c = await actingAs(srv, email, org);
    assert.equal((await c.get(`/evenementen/${eid}/inschrijven`)).status, 404, `${email} ${org}`);
  }
  const anon = (await import('./lib/harness.mjs')).makeClient(srv.url);
  assert.equal((await anon.get(`/evenementen/${eid}/inschrijven`)).status, 404);
});

test('missing data: the page names it and links to Aanpassen, which comes back to the enrolment', async () => {
  const eid = await eventId('Basic Safety (STCW)');
  const emma = await personId(srv, 'emma.deboer@example.nl');
  // Emma gets a login without an address; the course asks for a date of birth she lacks too
  await sql(srv.dbUrl, `UPDATE persons SET password_hash = (SELECT password_hash FROM persons WHERE email = 'martin.sommer@example.nl'), activated_at = 1, street = '', house_number = '', postcode = '', city = '', birth_date = NULL WHERE id = ${emma}`);
  await sql(srv.dbUrl, `UPDATE courses SET requires_birth_date = 1 WHERE id = (SELECT course_id FROM events WHERE id = ${eid})`);
  try {
    const c = await actingAs(srv, 'emma.deboer@example.nl');
    const page = await c.get(`/evenementen/${eid}/inschrijven`);
    assert.match(text(page.text), /Om u in te schrijven missen wij nog uw adres en uw geboortedatum/);
    const fix = page.text.match(/href="(\/mijn\/gegevens\/aanpassen\?terug=\/evenementen\/\d+\/inschrijven)"/)?.[1];
    assert.ok(fix, 'a link to Aanpassen that returns here');
    assert.doesNotMatch(page.text, />Inschrijven<\/button>/);
    const refused = await c.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(page.text), context: 'persoon', voorwaarden: '1' });
    assert.equal(refused.status, 422);
    assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM registrations WHERE person_id = ${emma} AND event_id = ${eid}`), '0');

    const form = await c.get(fix);
    assert.equal(form.status, 200);
    assert.match(form.text, /name="terug" value="\/evenementen\/\d+\/inschrijven"/);
    const saved = await c.post('/mijn/gegevens/aanpassen', {
      csrf: csrfOf(form.text), context: 'persoon', terug: `/evenementen/${eid}/inschrijven`,
      voornaam: 'Emma', tussenvoegsel: 'de', achternaam: 'Boer', straat: 'Laan', huisnummer: '15',
      postcode: '1741 EA', woonplaats: 'Schagen', telefoon: '06-22222222', geboortedatum: '14-06-1985',
    });
    assert.equal(saved.status, 303, text(saved.text).slice(0, 400));
    assert.equal(saved.headers.get('location'), `/evenementen/${eid}/inschrijven`);
    const ready = await c.get(`/evenementen/${eid}/inschrijven`);
    assert.doesNotMatch(text(ready.text), /missen wij nog/);
    assert.match(ready.text, />Inschrijven<\/button>/);
    // any other target of terug is ignored: back to Mijn gegevens
    const other = await c.post('/mijn/gegevens/aanpassen', {
      csrf: csrfOf(form.text), context: 'persoon', terug: '//evil.example/evenementen/1/inschrijven',
      voornaam: 'Emma', tussenvoegsel: 'de', achternaam: 'Boer', straat: 'Laan', huisnummer: '15',
      postcode: '1741 EA', woonplaats: 'Schagen', telefoon: '06-22222222', geboortedatum: '14-06-1985',
    });
    assert.equal(other.headers.get('location'), '/mijn/gegevens');
  } finally {
    await sql(srv.dbUrl, `UPDATE courses SET requires_birth_date = 0 WHERE id = (SELECT course_id FROM events WHERE id = ${eid})`);
  }
});

test('a contact without an e-mail address is enrolled; their beheerder gets the mail instead', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const form = await deby.get('/mijn/organisatie/contactpersonen/nieuw');
  const added = await deby.post('/mijn/organisatie/contactpersonen/nieuw', {
    csrf: csrfOf(form.text), context: contextOf(form.text), rol: 'medewerker',
    voornaam: 'Gert', achternaam: 'Hovenier', functie: 'Tuinman',
  });
  assert.equal(added.status, 303, text(added.text).slice(0, 300));
  const gert = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE first_name = 'Gert' AND last_name = 'Hovenier' AND email = ''");
  assert.ok(gert);
  const eid = await eventId('LV Optimaal bespuiten (VT)');
  const before = (await readMails(srv.mailDir)).length;
  const { page, r } = await enrol(deby, eid, {}, `?deelnemer=${gert}`);
  assert.match(text(page.text), /Deelnemer .*Gert Hovenier/);
  assert.equal(r.status, 303);
  const id = regOf(r.headers.get('location'));
  assert.equal(await sqlValue(srv.dbUrl, `SELECT person_id FROM registrations WHERE id = ${id}`), gert);
  // the sender writes the outbox to files: wait for the new ones
  let mails = [];
  for (let i = 0; i < 50 && mails.length <= before; i++) {
    mails = await readMails(srv.mailDir);
    await new Promise((res) => setTimeout(res, 100));
  }
  const fresh = mails.slice(before);
  assert.ok(fresh.some((m) => m.to.text.includes('deby.rummens@example.nl') && /Gert Hovenier/.test(m.text)),
    'the beheerder who enrolled him hears of it');
  assert.equal(Number(await sqlValue(srv.dbUrl, "SELECT count(*) FROM outbox WHERE to_address = ''")), 0, 'no mail to an empty address');
});

test('an event that has begun takes no enrolments, even with a deadline later than its start', async () => {
  const eid = await eventId('Basic Safety (STCW)');
  const [[starts, ends]] = await sql(srv.dbUrl, `SELECT starts_on, ends_on FROM events WHERE id = ${eid}`);
  await sql(srv.dbUrl, `UPDATE events SET starts_on = '${isoDay(-1)}', ends_on = '${isoDay(3)}', registration_deadline = '${isoDay(2)}' WHERE id = ${eid}`);
  try {
    const martin = await actingAs(srv, 'martin.sommer@example.nl');
    const page = await martin.get(`/evenementen/${eid}/inschrijven`);
    assert.match(text(page.text), /Inschrijving gesloten/);
    const r = await martin.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(page.text), context: 'persoon', voorwaarden: '1' });
    assert.equal(r.status, 409);
  } finally {
    await sql(srv.dbUrl, `UPDATE events SET starts_on = '${starts}', ends_on = '${ends}', registration_deadline = NULL WHERE id = ${eid}`);
  }
});
