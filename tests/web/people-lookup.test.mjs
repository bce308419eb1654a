// The persons of an organisation for a beheerder to choose a participant from
// (/mijn/organisatie/personen, the enrolment page's magnifier): search, pages, the Kiezen link
// back to the enrolment page and nowhere else, Nieuw contactpersoon on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { csrfOf, text, orgId, actingAs } from './lib/portal.mjs';

const contextOf = (html) => html.match(/name="context" value="([^"]+)"/)?.[1];
const NEW = '/mijn/organisatie/contactpersonen/nieuw';
const LOOKUP = '/mijn/organisatie/personen';
const ENROL = '/evenementen/12/inschrijven';
const lookup = (params) => `${LOOKUP}?${new URLSearchParams(params)}`;
// the header's Organisatie kiezen carries the current page, percent-encoded; nothing else may
const withoutHeaderLink = (html) => html.replace(/\/organisatie-kiezen\?terug=[^"]*/g, '');
const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');

let srv;
let deby; // Deby acting for Gemeente Heerhugowaard, its beheerder
let herenbos; // Deby acting for Herenbos Schagen, its beheerder too
before(async () => {
  srv = await startServer();
  deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  herenbos = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  // colleagues without an address are persons to choose too
  for (const [voornaam, achternaam, functie] of [['Gert', 'Hovenier', 'Tuinman'], ['Gert', 'Hovenier', 'Heftruckchauffeur'], ['Piet', 'Zonderadres', '']]) {
    assert.equal((await addContact(deby, { voornaam, achternaam, functie })).status, 303);
  }
});
after(async () => { await srv?.stop(); });

/** The rows of the lookup list: name, email cell, function, and the Kiezen link's attributes. */
function rowsOf(html) {
  const box = html.match(/<div id="personen-lijst">([\s\S]*?)\n {2}<\/div>/)?.[1];
  assert.ok(box, 'the list has its container');
  return [...box.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]).filter((r) => r.includes('<td')).map((tr) => {
    const cell = (label) => tr.match(new RegExp(`<td data-label="${label}">([\\s\\S]*?)</td>`))?.[1];
    const a = tr.match(/<a [^>]*>Kiezen/)?.[0];
    return {
      name: unescape(cell('Naam')),
      email: text(cell('E-mailadres')).trim(),
      job: unescape(cell('Functie') ?? ''),
      href: a ? unescape(a.match(/href="([^"]*)"/)[1]) : null,
      id: a?.match(/data-deelnemer="([^"]*)"/)?.[1],
      dataName: a && unescape(a.match(/data-naam="([^"]*)"/)[1]),
    };
  });
}
const names = (html) => rowsOf(html).map((r) => r.name);
const nextOf = (html) => unescape(html.match(/<a href="([^"]+)" rel="next">/)?.[1] ?? '') || null;
const prevOf = (html) => unescape(html.match(/<a href="([^"]+)" rel="prev">/)?.[1] ?? '') || null;

/** Adds a contact through Nieuw contactpersoon as c. */
async function addContact(c, fields, query = '') {
  const form = await c.get(NEW + query);
  assert.equal(form.status, 200);
  return c.post(NEW, { csrf: csrfOf(form.text), context: contextOf(form.text), rol: 'medewerker', ...fields });
}

test('the lookup lists the organisation\'s persons with Naam, E-mailadres, Functie and Kiezen back to the enrolment', async () => {
  const page = await deby.get(lookup({ terug: ENROL }));
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Personen van Gemeente Heerhugowaard<\/h1>/);
  assert.match(page.text, /<title>Personen van Gemeente Heerhugowaard/);
  // Mijn Onderwijsgroep » Mijn organisatie » Personen
  const crumbs = page.text.match(/<nav class="crumbs" aria-label="Kruimelpad">([\s\S]*?)<\/nav>/)?.[1] ?? '';
  assert.match(text(crumbs), /Mijn Onderwijsgroep.*Mijn organisatie.*Personen/);
  assert.match(crumbs, /href="\/mijn\/organisatie"/);
  assert.match(page.text, /<label for="p-q">Zoek op naam of e-mailadres<\/label>/);
  assert.match(page.text, /<button type="submit" class="button">Zoeken<\/button>/);
  assert.match(page.text, /<input type="hidden" name="terug" value="\/evenementen\/12\/inschrijven">/);
  const heads = [...page.text.matchAll(/<th scope="col"[^>]*>([\s\S]*?)<\/th>/g)].map((m) => text(m[1]).replace(/[▲▼]/g, '').trim());
  assert.deepEqual(heads, ['Naam', 'E-mailadres', 'Functie', 'Kiezen']);
  const rows = rowsOf(page.text);
  const jan = rows.find((r) => r.name === 'Jan de Vries');
  const janId = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'jan.devries@example.nl'");
  assert.deepEqual(jan, { name: 'Jan de Vries', email: 'jan.devries@example.nl', job: 'Medewerker groenbeheer', href: `${ENROL}?deelnemer=${janId}`, id: janId, dataName: 'Jan de Vries' });
  const gert = rows.find((r) => r.name === 'Gert Hovenier');
  assert.equal(gert.email, 'Geen e-mailadres');
  assert.match(gert.href, /^\/evenementen\/12\/inschrijven\?deelnemer=\d+$/);
  // sorted by last name: Bakker, Dijk (van), Hovenier, Rummens - Heijnen, Vries (de), Zonderadres
  assert.deepEqual(rows.map((r) => r.name), ['Sanne Bakker', 'Pieter van Dijk', 'Gert Hovenier', 'Gert Hovenier', 'Deby Rummens - Heijnen', 'Jan de Vries', 'Piet Zonderadres']);
  // only the active ones, and only of this organisation
  const all = Number(await sqlValue(srv.dbUrl, `SELECT count(*) FROM memberships WHERE active = 1 AND organisation_id = ${await orgId(srv, 'Gemeente Heerhugowaard')}`));
  assert.equal(rows.length, all);
  assert.match(text(page.text), new RegExp(`${all} personen gevonden`));
  assert.doesNotMatch(page.text, /Kees Visser|Fatima/);
  // the enrolment page's query stays; a deelnemer it carried is replaced
  const withQuery = rowsOf((await deby.get(lookup({ terug: `${ENROL}?referentie=PO-7&deelnemer=1` }))).text);
  assert.equal(withQuery.find((r) => r.name === 'Jan de Vries').href, `${ENROL}?referentie=PO-7&deelnemer=${janId}`);
});

test('search by name and by address, case-insensitive, by the names the organisation typed', async () => {
  let rows = rowsOf((await deby.get(lookup({ q: 'VRIES', terug: ENROL }))).text);
  assert.deepEqual(rows.map((r) => r.name), ['Jan de Vries']);
  rows = rowsOf((await deby.get(lookup({ q: 'jan vries' }))).text);
  assert.deepEqual(rows.map((r) => r.name), ['Jan de Vries'], 'every word must match');
  assert.equal(rows[0].href, null, 'no Kiezen without an enrolment page to return to');
  rows = rowsOf((await deby.get(lookup({ q: 'Sanne.Bakker@EXAMPLE' }))).text);
  assert.deepEqual(rows.map((r) => r.name), ['Sanne Bakker']);
  rows = rowsOf((await deby.get(lookup({ q: 'hoven' }))).text);
  assert.deepEqual(rows.map((r) => r.name), ['Gert Hovenier', 'Gert Hovenier']);
  // LIKE's own characters are plain text
  let page = await deby.get(lookup({ q: '%' }));
  assert.deepEqual(rowsOf(page.text), []);
  assert.match(text(page.text), /0 personen gevonden/);
  assert.match(text(page.text), /Er zijn geen personen gevonden die aan uw zoekopdracht voldoen\./);
  page = await deby.get(lookup({ q: 'a_b' }));
  assert.deepEqual(rowsOf(page.text), []);
  // the search form shows what was searched
  page = await deby.get(lookup({ q: 'Vries <b>' }));
  assert.match(page.text, /value="Vries &lt;b&gt;"/);
  // another organisation's persons are never found, by name or by address
  for (const q of ['Kees', 'kees.visser@example.nl', 'Fatima']) {
    assert.deepEqual(rowsOf((await deby.get(lookup({ q }))).text), [], q);
  }
  // and the other way round
  const ended = await herenbos.get(lookup({ q: 'Kees' }));
  assert.deepEqual(rowsOf(ended.text).map((r) => r.name), ['Kees Visser']);
  assert.doesNotMatch((await herenbos.get(LOOKUP)).text, /Jan de Vries|Sanne Bakker/);
});

test('pages by key: more than one page of persons, each once, the search and the way back kept', async () => {
  const hb = await orgId(srv, 'Herenbos Schagen');
  const values = Array.from({ length: 27 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return `('Medewerker${n}', '', 'Bulkmans', 'bulk${n}@example.nl', 1, 1)`;
  }).join(', ');
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, infix, last_name, email, created_at, updated_at) VALUES ${values}`);
  await sql(srv.dbUrl, `INSERT INTO memberships (person_id, organisation_id, role, job_title, started_at, contact_first_name, contact_infix, contact_last_name, contact_email) SELECT id, ${hb}, 'medewerker', 'Kweker', 1, first_name, infix, last_name, email FROM persons WHERE last_name = 'Bulkmans'`);
  // one of them left: not listed
  await sql(srv.dbUrl, `UPDATE memberships SET active = 0 WHERE contact_first_name = 'Medewerker27'`);
  const terug = '/evenementen/7/inschrijven';
  let page = await herenbos.get(lookup({ q: 'bulkmans', terug }));
  assert.match(text(page.text), /26 personen gevonden/);
  assert.match(text(page.text), /Pagina 1 van 2/);
  const first = rowsOf(page.text);
  assert.equal(first.length, 20);
  const next = nextOf(page.text);
  assert.ok(next, 'a link to the next page');
  assert.equal(prevOf(page.text), null);
  const u = new URL(next, srv.url);
  assert.equal(u.pathname, LOOKUP);
  assert.equal(u.searchParams.get('q'), 'bulkmans');
  assert.equal(u.searchParams.get('terug'), terug);
  assert.ok(u.searchParams.get('cursor'));
  assert.equal(u.searchParams.get('pagina'), null, 'by key, not by number');
  page = await herenbos.get(next);
  assert.match(text(page.text), /Pagina 2 van 2/);
  const second = rowsOf(page.text);
  assert.equal(second.length, 6);
  assert.equal(nextOf(page.text), null);
  const all = [...first, ...second].map((r) => r.name);
  assert.equal(new Set(all).size, 26, 'every person once');
  assert.deepEqual(all, Array.from({ length: 26 }, (_, i) => `Medewerker${String(i + 1).padStart(2, '0')} Bulkmans`));
  for (const r of second) assert.match(r.href, /^\/evenementen\/7\/inschrijven\?deelnemer=\d+$/);
  // and back
  page = await herenbos.get(prevOf(page.text));
  assert.deepEqual(rowsOf(page.text).map((r) => r.name), first.map((r) => r.name));
  // sorted by address the other way round
  page = await herenbos.get(lookup({ q: 'bulk', sorteer: 'email', richting: 'aflopend' }));
  assert.equal(rowsOf(page.text)[0].email, 'bulk26@example.nl');
  // a forged cursor: the first page and a notice, never an error
  page = await herenbos.get(lookup({ q: 'bulk', cursor: 'AAAA' }));
  assert.equal(page.status, 200);
  assert.match(text(page.text), /Deze paginalink klopt niet \(meer\)/);
  // Gemeente Heerhugowaard never sees them
  assert.deepEqual(rowsOf((await deby.get(lookup({ q: 'bulk' }))).text), []);
});

test('terug is a way back to an enrolment page of this site only; anything else shows the list without Kiezen', async () => {
  const bad = [
    'https://evil.example/evenementen/1/inschrijven',
    '//evil.example/evenementen/1/inschrijven',
    '/\\evil.example/evenementen/1/inschrijven',
    'javascript:alert(1)//evenementen/1/inschrijven',
    '/mijn/organisatie',
    '/evenementen/1/inschrijven/../../../uitloggen',
    '/evenementen/../inschrijven',
    '/evenementen//inschrijven',
    '/evenementen/1/inschrijven#evil',
    '/evenementen/1/2/inschrijven',
    'evenementen/1/inschrijven',
  ];
  for (const terug of bad) {
    const page = await deby.get(lookup({ terug }));
    assert.equal(page.status, 200, terug);
    const rows = rowsOf(page.text);
    assert.ok(rows.length > 0, 'the list is shown');
    assert.ok(rows.every((r) => r.href === null), `no Kiezen for ${terug}`);
    assert.doesNotMatch(page.text, /data-deelnemer|<th scope="col">Kiezen/);
    assert.doesNotMatch(withoutHeaderLink(page.text), /evil|javascript:/i, `${terug} is not echoed`);
    assert.doesNotMatch(page.text, /name="terug"/);
  }
  // a good one with a slug-like id is fine too
  const ok = rowsOf((await deby.get(lookup({ terug: '/evenementen/lv-groen-2026/inschrijven' }))).text);
  assert.ok(ok.every((r) => r.href.startsWith('/evenementen/lv-groen-2026/inschrijven?deelnemer=')));
});

test('Nieuw contactpersoon from the lookup returns there after saving, with the way back to the enrolment', async () => {
  const page = await deby.get(lookup({ terug: ENROL }));
  const here = `${LOOKUP}?terug=${encodeURIComponent(ENROL)}`;
  const link = unescape(page.text.match(/<a class="button secondary" href="([^"]+)">Nieuw contactpersoon<\/a>/)[1]);
  assert.equal(link, `${NEW}?terug=${encodeURIComponent(here)}`);
  const form = await deby.get(link);
  assert.match(form.text, new RegExp(`<input type="hidden" name="terug" value="${here.replace(/[?]/g, '\\?')}">`));
  assert.match(unescape(form.text), new RegExp(`<a href="${here.replace(/[?]/g, '\\?')}">Terug</a>`));
  const r = await deby.post(NEW, { csrf: csrfOf(form.text), context: contextOf(form.text), voornaam: 'Bart', achternaam: 'Nieuwkomer', terug: here });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), here);
  const back = await deby.get(here);
  assert.match(text(back.text), /De contactpersoon is toegevoegd\./);
  const bart = rowsOf(back.text).find((x) => x.name === 'Bart Nieuwkomer');
  assert.match(bart.href, /^\/evenementen\/12\/inschrijven\?deelnemer=\d+$/);
  // an errored form keeps the way back
  const err = await deby.post(NEW, { csrf: csrfOf(form.text), context: contextOf(form.text), voornaam: '', achternaam: 'X', terug: here });
  assert.match(err.text, /name="terug" value="\/mijn\/organisatie\/personen\?terug=/);
  // a way back off this site is ignored: Mijn organisatie, as before
  for (const [terug, achternaam] of [['//evil.example/x', 'Omweg'], ['https://evil.example/', 'Zijweg']]) {
    const f = await deby.get(`${NEW}?terug=${encodeURIComponent(terug)}`);
    assert.doesNotMatch(withoutHeaderLink(f.text), /evil/);
    const x = await deby.post(NEW, { csrf: csrfOf(f.text), context: contextOf(f.text), voornaam: 'Ed', achternaam, terug });
    assert.equal(x.status, 303);
    assert.equal(x.headers.get('location'), '/mijn/organisatie');
  }
});

test('only a beheerder of the organisation sees the list: a medewerker gets 403, without organisation 404', async () => {
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const r = await jan.get(lookup({ terug: ENROL }));
  assert.equal(r.status, 403);
  assert.doesNotMatch(r.text, /Sanne Bakker|data-deelnemer/);
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  assert.equal((await martin.get(LOOKUP)).status, 404);
  const persoon = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  assert.equal((await persoon.get(LOOKUP)).status, 404);
  const anon = makeClient(srv.url);
  const a = await anon.get(LOOKUP);
  assert.equal(a.status, 303);
  assert.match(a.headers.get('location'), /^\/inloggen\?terug=/);
});
