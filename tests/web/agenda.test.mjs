// The Cursusagenda's filters as a visitor uses them: Maand as the coming twelve months in
// Dutch (old maand=YYYY-MM links still filter), every category level indented, a Filter
// button and Filters wissen, and dates with the weekday in front in lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, isoDay, nlDay, nlWeekday } from './lib/db.mjs';

let srv;
const NBSP = '\u00a0';
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
  'oktober', 'november', 'december'];

const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const text = (html) => unescape(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

/** The options of the select with this id: [{ value, label, selected }]. */
function options(html, id) {
  const select = html.match(new RegExp(`<select id="${id}"[^>]*>([\\s\\S]*?)</select>`));
  assert.ok(select, `a select #${id}`);
  return [...select[1].matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)]
    .map((m) => ({ value: unescape(m[1]), label: unescape(m[3]), selected: !!m[2] }));
}

/** 'YYYY-MM' of the month the server is in: it keeps the business time zone, whatever ours. */
function serverMonth() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit' })
    .formatToParts(new Date());
  return `${parts.find((p) => p.type === 'year').value}-${parts.find((p) => p.type === 'month').value}`;
}

/** 'YYYY-MM' plus n months. */
function addMonths(ym, n) {
  const [y, m] = ym.split('-').map(Number);
  const i = y * 12 + (m - 1) + n; // n may be negative
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
const monthLabel = (ym) => `${MONTHS[Number(ym.slice(5)) - 1]} ${ym.slice(0, 4)}`;

const farMonth = () => addMonths(serverMonth(), 20);

before(async () => {
  srv = await startServer();
  // A fourth level under Licentieverlengingen Gewasbescherming, with a course and an event,
  // and an event twenty months ahead (beyond the month list): before the first request,
  // since a server keeps its filter choices for a minute.
  await sql(srv.dbUrl, `INSERT INTO categories (parent_id, slug, name, sort_order, slug_path, id_path)
    SELECT id, 'diepste-laag', 'Diepste laag', 0, slug_path || '/diepste-laag', '' FROM categories
    WHERE slug = 'licentieverlengingen-gewasbescherming'`);
  await sql(srv.dbUrl, `UPDATE categories SET id_path = (SELECT p.id_path FROM categories p
    WHERE p.id = categories.parent_id) || id || '/' WHERE slug = 'diepste-laag'`);
  await sql(srv.dbUrl, `INSERT INTO courses (category_id, slug, name, created_at)
    SELECT id, 'diepe-cursus', 'Diepe cursus', 0 FROM categories WHERE slug = 'diepste-laag'`);
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, created_at)
    SELECT id, 'Diepe bijeenkomst', '${isoDay(45)}', '${isoDay(45)}', 'Texel', 8, 0 FROM courses
    WHERE slug = 'diepe-cursus'`);
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, created_at)
    SELECT id, 'Verre bijeenkomst', '${farMonth()}-15', '${farMonth()}-15', 'Texel', 8, 0 FROM courses
    WHERE slug = 'basic-safety-stcw'`);
});
after(async () => { await srv?.stop(); });

test('Maand offers the current month and the eleven after it, in Dutch, not a month field', async () => {
  const r = await srv.get('/cursusagenda');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /type="month"/);
  assert.match(r.text, /<label for="f-maand">Maand<\/label>/);
  const want = [{ value: '', label: 'Alle maanden', selected: false }];
  for (let i = 0; i < 12; i++) {
    const ym = addMonths(serverMonth(), i);
    want.push({ value: ym, label: monthLabel(ym), selected: false });
  }
  assert.deepEqual(options(r.text, 'f-maand'), want);
});

test('a month from the list filters the agenda and stays chosen', async () => {
  const ym = isoDay(45).slice(0, 7);
  const r = await srv.get(`/cursusagenda?maand=${ym}`);
  const expected = await sqlValue(srv.dbUrl, `SELECT count(*) FROM events e JOIN courses c ON c.id = e.course_id
    WHERE c.maatwerk_org_id IS NULL AND e.cancelled = 0 AND e.starts_on >= '${isoDay(0)}'
    AND substr(e.starts_on, 1, 7) = '${ym}'`);
  assert.ok(Number(expected) >= 1);
  assert.match(text(r.text), new RegExp(`${expected} evenement(en)? gevonden`));
  assert.match(r.text, /Diepe bijeenkomst/);
  const chosen = options(r.text, 'f-maand').filter((o) => o.selected);
  assert.deepEqual(chosen, [{ value: ym, label: monthLabel(ym), selected: true }]);
});

test('an old maand=YYYY-MM link beyond the list still filters, and the form shows its month', async () => {
  const ym = farMonth();
  const r = await srv.get(`/cursusagenda?maand=${ym}`);
  assert.equal(r.status, 200);
  const t = text(r.text);
  assert.match(t, /1 evenement gevonden/);
  assert.match(t, /Verre bijeenkomst/);
  const opts = options(r.text, 'f-maand');
  assert.equal(opts.length, 14, 'Alle maanden, twelve months and the link\'s own');
  assert.deepEqual(opts.at(-1), { value: ym, label: monthLabel(ym), selected: true });
  assert.match(r.text, /<a class="button secondary" href="\/cursusagenda">Filters wissen<\/a>/);
  assert.match(t, /Filters \(1 filter actief\)/);

  const past = addMonths(serverMonth(), -3);
  const old = await srv.get(`/cursusagenda?maand=${past}`);
  assert.match(text(old.text), /0 evenementen gevonden/);
  assert.deepEqual(options(old.text, 'f-maand')[1], { value: past, label: monthLabel(past), selected: true });
});

test('Categorie offers every level, each under its parent and set in per level', async () => {
  const r = await srv.get('/cursusagenda');
  const indent = (depth) => (depth > 1 ? NBSP.repeat(2 * (depth - 1)) + '– ' : '');
  const ids = Object.fromEntries(await sql(srv.dbUrl, 'SELECT slug, id FROM categories'));
  assert.deepEqual(options(r.text, 'f-categorie'), [
    { value: '', label: 'Alle categorieën', selected: false },
    { value: ids['cursussen-trainingen'], label: indent(1) + 'Cursussen & Trainingen', selected: false },
    { value: ids['agro-groen'], label: indent(2) + 'Agro & Groen', selected: false },
    { value: ids['licentieverlengingen-gewasbescherming'], label: indent(3) + 'Licentieverlengingen Gewasbescherming', selected: false },
    { value: ids['diepste-laag'], label: indent(4) + 'Diepste laag', selected: false },
    { value: ids.maritiem, label: indent(2) + 'Maritiem', selected: false },
    { value: ids.evenementen, label: indent(2) + 'Evenementen', selected: false },
  ]);
  // the deepest level filters on its own subtree
  const deep = await srv.get(`/cursusagenda?categorie=${ids['diepste-laag']}`);
  assert.match(text(deep.text), /1 evenement gevonden/);
  assert.match(deep.text, /Diepe bijeenkomst/);
  assert.ok(options(deep.text, 'f-categorie').find((o) => o.value === ids['diepste-laag']).selected);
});

test('the form has a Filter button; Filters wissen appears once a filter is used', async () => {
  let r = await srv.get('/cursusagenda');
  assert.match(r.text, /<button type="submit" class="button">Filter<\/button>/);
  assert.doesNotMatch(r.text, /Filters wissen/);
  assert.match(r.text, /<summary>Filters<\/summary>/);
  r = await srv.get('/cursusagenda?q=medical&locatie=Texel');
  assert.match(r.text, /href="\/cursusagenda">Filters wissen<\/a>/);
  assert.match(text(r.text), /Filters \(2 filters actief\)/);
});

test('dates carry the weekday in the agenda, on a course page and on Home; the CSV keeps dd-mm-jjjj', async () => {
  const agenda = await srv.get('/cursusagenda?q=diepe');
  assert.match(agenda.text, new RegExp(`<td data-label="Datum"><time datetime="${isoDay(45)}">${nlWeekday(45)}</time></td>`));
  assert.match(nlWeekday(45), /^(ma|di|wo|do|vr|za|zo) \d\d-\d\d-\d{4}$/);

  const course = await srv.get('/aanbod/cursussen-trainingen/maritiem/medical-care-stcw');
  assert.match(course.text, new RegExp(`<time datetime="${isoDay(21)}">${nlWeekday(21)}</time> t/m <time datetime="${isoDay(25)}">${nlWeekday(25)}</time>`));

  const home = await srv.get('/');
  assert.match(home.text, new RegExp(`<time datetime="${isoDay(21)}">${nlWeekday(21)}</time>`));

  const csv = await fetch(`${srv.url}/cursusagenda/csv?q=diepe`);
  const rows = Buffer.from(await csv.arrayBuffer()).subarray(3).toString('utf8').split('\r\n');
  assert.ok(rows[1].startsWith(`${nlDay(45)};Diepe bijeenkomst;`), rows[1]);
});
