// The ways in to Inschrijven from the catalog: every open event on a course page, in the
// Cursusagenda (page and CSV) and on Home links to its enrolment page, a full one offers the
// waiting list, a closed one says "Inschrijving gesloten" without a link, by the same rule the
// enrolment page applies; maatwerk events are never listed; the enrolment page is never served
// from the page cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { actingAs, text } from './lib/portal.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const LV = '/aanbod/cursussen-trainingen/agro-groen/licentieverlengingen-gewasbescherming/licentieverlenging-gewasbescherming';
const MC = '/aanbod/cursussen-trainingen/maritiem/medical-care-stcw';
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
  'oktober', 'november', 'december'];

/** 'YYYY-MM-DD' of today plus n days where the server is: it keeps Amsterdam's date. */
function serverDay(n = 0) {
  const d = new Date(Date.now() + n * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(d);
}
/** '5 maart 2027', as an enrolment link's accessible name says the date. */
const longDay = (iso) => `${Number(iso.slice(8))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

const eventId = (name) => sqlValue(srv.dbUrl, `SELECT min(id) FROM events WHERE name = '${name}'`);

/** The table row (course page or agenda) that names this event. */
function rowOf(html, name) {
  const rows = (html.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0] ?? '').match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
  const hits = rows.filter((r) => text(r).includes(` ${name} `));
  assert.equal(hits.length, 1, `one row for ${name}`);
  return hits[0];
}

/** The links in a piece of markup: [{ href, name }], name as a screen reader reads it. */
const links = (html) => [...html.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)]
  .map((m) => ({ href: m[1].replace(/&amp;/g, '&'), name: text(m[2]).trim() }));
const enrolLinks = (html) => links(html).filter((l) => /^\/evenementen\/\d+\/inschrijven$/.test(l.href));

/** An event of the public course Licentieverlenging Gewasbescherming; returns its id. */
async function addEvent(name, startIn, deadline, { capacity = 10, taken = 0, cancelled = 0 } = {}) {
  const dl = deadline === null ? 'NULL' : `'${deadline}'`;
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, seats_taken,
    price_cents, registration_deadline, cancelled, created_at)
    SELECT id, '${name}', '${serverDay(startIn)}', '${serverDay(startIn)}', 'Texel', ${capacity}, ${taken}, 9500,
      ${dl}, ${cancelled}, 0 FROM courses WHERE slug = 'licentieverlenging-gewasbescherming'`);
  return eventId(name);
}

test('the course page of Licentieverlenging Gewasbescherming offers Inschrijven for its event, naming it', async () => {
  const eid = await eventId('LV Optimaal bespuiten (VT)');
  const start = await sqlValue(srv.dbUrl, `SELECT starts_on FROM events WHERE id = ${eid}`);
  const r = await srv.get(LV);
  assert.equal(r.status, 200);
  assert.match(r.text, /<th scope="col">Inschrijving<\/th>/);
  const row = rowOf(r.text, 'LV Optimaal bespuiten (VT)');
  assert.deepEqual(enrolLinks(row), [{
    href: `/evenementen/${eid}/inschrijven`, name: `Inschrijven voor LV Optimaal bespuiten (VT) op ${longDay(start)}`,
  }]);
  assert.match(row, /<a class="button small" href="[^"]+">Inschrijven<span class="sr-only"> voor /, 'visible: Inschrijven');
  // the link leads to that event's enrolment page, open
  const page = await srv.get(`/evenementen/${eid}/inschrijven`);
  assert.equal(page.status, 200);
  const t = text(page.text);
  assert.match(t, /Licentieverlenging Gewasbescherming/);
  assert.match(t, /Evenement LV Optimaal bespuiten \(VT\)/);
  assert.doesNotMatch(t, /Inschrijving gesloten/);
});

test('the full Medical Care event shows Vol and Plaats op wachtlijst, on its course page and in the agenda', async () => {
  const eid = await sqlValue(srv.dbUrl, "SELECT id FROM events WHERE name = 'Medical Care (STCW)' AND seats_taken >= capacity");
  const start = await sqlValue(srv.dbUrl, `SELECT starts_on FROM events WHERE id = ${eid}`);
  const want = [{ href: `/evenementen/${eid}/inschrijven`, name: `Plaats op wachtlijst voor Medical Care (STCW) op ${longDay(start)}` }];
  const course = await srv.get(MC);
  const row = (course.text.match(/<tr>[\s\S]*?<\/tr>/g) ?? []).find((x) => x.includes(`datetime="${start}"`));
  assert.ok(row, 'the full event is listed');
  assert.match(text(row), /Vol Plaats op wachtlijst/);
  assert.deepEqual(enrolLinks(row), want);

  const agenda = await srv.get('/cursusagenda?q=medical');
  const arow = (agenda.text.match(/<tr>[\s\S]*?<\/tr>/g) ?? []).find((x) => x.includes(`datetime="${start}"`));
  assert.ok(arow);
  assert.match(arow, /<td data-label="Beschikbare plaatsen" class="num"><span class="badge warn">Vol<\/span><\/td>/);
  assert.deepEqual(enrolLinks(arow), want);
  // the other Medical Care event has its one place left: Inschrijven
  const other = (agenda.text.match(/<tr>[\s\S]*?<\/tr>/g) ?? []).find((x) => x.includes('Medical Care') && !x.includes(`datetime="${start}"`));
  assert.match(enrolLinks(other)[0].name, /^Inschrijven voor Medical Care \(STCW\) op /);
  assert.match(text(other), / 1 Inschrijven/);
});

test('a place left but people waiting is Vol too: a newcomer joins the waiting list', async () => {
  const eid = await addEvent('Wachtrij bijeenkomst', 40, null, { capacity: 10, taken: 9 });
  const person = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'martin.sommer@example.nl'");
  let row = rowOf((await srv.get(LV)).text, 'Wachtrij bijeenkomst');
  assert.equal(enrolLinks(row)[0]?.name.split(' voor ')[0], 'Inschrijven');
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, person_id, enrolled_by, status, created_at)
    VALUES (${eid}, ${person}, ${person}, 'wachtlijst', 0)`);
  row = rowOf((await srv.get(LV)).text, 'Wachtrij bijeenkomst');
  assert.match(text(row), /Vol Plaats op wachtlijst voor Wachtrij bijeenkomst/);
  const arow = rowOf((await srv.get('/cursusagenda?q=wachtrij')).text, 'Wachtrij bijeenkomst');
  assert.match(text(arow), /Vol Plaats op wachtlijst voor Wachtrij bijeenkomst/);
  // and the enrolment page says the same
  assert.match(text((await srv.get(`/evenementen/${eid}/inschrijven`)).text), /1 persoon op de wachtlijst/);
});

test('past the deadline: Inschrijving gesloten and no link, on the course page, in the agenda, its CSV and Home', async () => {
  const eid = await eventId('LV Bodem en gewas (VT)');
  const before = rowOf((await srv.get(LV)).text, 'LV Bodem en gewas (VT)');
  assert.equal(enrolLinks(before).length, 1, 'open while the deadline is ahead');
  await sql(srv.dbUrl, `UPDATE events SET registration_deadline = '${serverDay(-1)}' WHERE id = ${eid}`);
  try {
    const row = rowOf((await srv.get(LV)).text, 'LV Bodem en gewas (VT)');
    assert.match(row, /<td data-label="Inschrijving">Inschrijving gesloten<\/td>/);
    assert.deepEqual(enrolLinks(row), []);
    const arow = rowOf((await srv.get('/cursusagenda?q=bodem')).text, 'LV Bodem en gewas (VT)');
    assert.match(arow, /<td data-label="Inschrijving">Inschrijving gesloten<\/td>/);
    assert.deepEqual(enrolLinks(arow), []);
    assert.match(arow, /<td data-label="Beschikbare plaatsen" class="num">14<\/td>/, 'the places are still shown');
    const csv = Buffer.from(await (await fetch(`${srv.url}/cursusagenda/csv?q=bodem`)).arrayBuffer()).subarray(3).toString('utf8');
    assert.match(csv, /^Datum;Evenement;Cursus;Locatie;Beschikbare plaatsen;Link;Inschrijving\r\n/);
    assert.match(csv, /\r\n[^\r\n]*;LV Bodem en gewas \(VT\);[^\r\n]*;gesloten\r\n$/);
    const home = (await srv.get('/')).text;
    const item = home.match(/<li>\s*<a href="[^"]+"><strong>LV Bodem en gewas \(VT\)<\/strong>[\s\S]*?<\/li>/)?.[0];
    assert.ok(item, 'Home lists it');
    assert.match(text(item), /Inschrijving gesloten/);
    assert.deepEqual(enrolLinks(item), []);
    const items = home.match(/<ul class="event-list">[\s\S]*?<\/ul>/)[0].match(/<li>[\s\S]*?<\/li>/g);
    assert.ok(items.length > 1);
    for (const li of items.filter((x) => x !== item)) assert.equal(enrolLinks(li).length, 1, 'the others have their link');
    // the enrolment page agrees
    assert.match(text((await srv.get(`/evenementen/${eid}/inschrijven`)).text), /Inschrijving gesloten/);
  } finally {
    await sql(srv.dbUrl, `UPDATE events SET registration_deadline = '${serverDay(51)}' WHERE id = ${eid}`);
  }
});

test('the catalog and the enrolment page draw the line on the same day', async () => {
  // [name, starts in n days, deadline, open?]
  const cases = [
    ['Grens deadline gisteren', 20, serverDay(-1), false],
    ['Grens deadline vandaag', 20, serverDay(0), true],
    ['Grens deadline morgen', 20, serverDay(1), true],
    ['Grens zonder deadline morgen', 1, null, true],
    ['Grens zonder deadline vandaag', 0, null, false],
  ];
  const ids = {};
  for (const [name, start, deadline] of cases) ids[name] = await addEvent(name, start, deadline);
  await addEvent('Grens geannuleerd', 20, null, { cancelled: 1 });
  const course = (await srv.get(LV)).text;
  const agenda = (await srv.get('/cursusagenda?q=grens')).text;
  assert.match(text(agenda), /5 evenementen gevonden/, 'a cancelled event is not listed');
  assert.doesNotMatch(course + agenda, /Grens geannuleerd/);
  const csv = Buffer.from(await (await fetch(`${srv.url}/cursusagenda/csv?q=grens`)).arrayBuffer()).toString('utf8');
  for (const [name, , , open] of cases) {
    const href = `/evenementen/${ids[name]}/inschrijven`;
    for (const [where, html] of [['course page', course], ['agenda', agenda]]) {
      const row = rowOf(html, name);
      assert.deepEqual(enrolLinks(row).map((l) => l.href), open ? [href] : [], `${where}: ${name}`);
      assert.equal(text(row).includes('Inschrijving gesloten'), !open, `${where}: ${name}`);
    }
    assert.match(csv, new RegExp(`;${name.replace(/[()]/g, '\\$&')};[^\\r\\n]*;${open ? 'open' : 'gesloten'}\\r\\n`), `CSV: ${name}`);
    const page = text((await srv.get(href)).text);
    assert.equal(/Inschrijving gesloten/.test(page), !open, `enrolment page: ${name}`);
  }
});

test('maatwerk events are never listed, even with a category and to their own beheerder', async () => {
  const eid = await eventId('LV Bedreigingen openbaar groen - gemeente Heerhugowaard');
  // give the maatwerk course a place in the tree, so only its maatwerk mark keeps it out
  await sql(srv.dbUrl, `UPDATE courses SET category_id = (SELECT id FROM categories
    WHERE slug = 'licentieverlengingen-gewasbescherming') WHERE id = (SELECT course_id FROM events WHERE id = ${eid})`);
  const slug = await sqlValue(srv.dbUrl, `SELECT c.slug FROM courses c JOIN events e ON e.course_id = c.id WHERE e.id = ${eid}`);
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  assert.equal((await deby.get(`/evenementen/${eid}/inschrijven`)).status, 200, 'the event exists for her');
  for (const c of [srv, deby]) {
    for (const p of ['/', '/cursusagenda', '/cursusagenda?q=bedreigingen', '/cursusagenda?locatie=Incompany',
      '/aanbod/cursussen-trainingen/agro-groen/licentieverlengingen-gewasbescherming', LV]) {
      const r = await c.get(p);
      assert.equal(r.status, 200, p);
      const main = r.text.slice(r.text.indexOf('<main')); // the header repeats the address
      assert.doesNotMatch(main, /Bedreigingen openbaar groen|Maatwerk cursussen|Incompany/, p);
      assert.ok(!r.text.includes(`/evenementen/${eid}/`), `${p}: no link to it`);
    }
    const csv = await c.get('/cursusagenda/csv?q=bedreigingen');
    assert.equal(csv.status, 200);
    assert.doesNotMatch(csv.text, /Bedreigingen/);
    assert.equal((await c.get(`/aanbod/cursussen-trainingen/agro-groen/licentieverlengingen-gewasbescherming/${slug}`)).status, 404);
  }
});

test('the enrolment page is never served from the page cache; the agenda is', async () => {
  const cached = await startServer({ env: { KLANTPORTAL_PAGE_CACHE_MS: '5000' } });
  try {
    const eid = await sqlValue(cached.dbUrl, "SELECT min(id) FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
    const page = await cached.get(`/evenementen/${eid}/inschrijven`);
    const agenda = await cached.get('/cursusagenda?q=optimaal');
    assert.match(text(page.text), /Beschikbare plaatsen 12 beschikbare plaatsen/);
    await sql(cached.dbUrl, `UPDATE events SET seats_taken = 5 WHERE id = ${eid}`);
    assert.match(text((await cached.get(`/evenementen/${eid}/inschrijven`)).text), /Beschikbare plaatsen 7 beschikbare plaatsen/);
    assert.equal((await cached.get('/cursusagenda?q=optimaal')).text, agenda.text, 'the agenda comes from the cache');
  } finally {
    await cached.stop();
  }
});
