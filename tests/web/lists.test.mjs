// Lists, on the Cursusagenda: pages walked by key (Vorige / Volgende) with many events on one
// date, the sort whitelist, filters kept in every link, garbled and forged cursors, old
// `pagina` links, the capped count, and the CSV download (bytes and headers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, isoDay, nlDay } from './lib/db.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const names = (html) => [...html.matchAll(/<td data-label="Evenement"><a [^>]*>([^<]*)<\/a>/g)].map((m) => unescape(m[1]));
const link = (html, rel) => {
  const m = html.match(new RegExp(`href="([^"]+)" rel="${rel}"`));
  return m ? unescape(m[1]) : null;
};
const NOTICE = /Deze paginalink klopt niet \(meer\)\. U ziet de eerste pagina\./;

/** n public events named `${prefix} ${i}` (i from 1), spread over `days` dates from day `from`. */
async function addEvents(prefix, n, { from = 120, days = 1, locations = ['Texel'] } = {}) {
  const locs = locations.map((l) => `'${l}'`);
  const loc = locs.length === 1 ? locs[0] : `CASE i % ${locs.length} ${locs.map((l, k) => `WHEN ${k} THEN ${l}`).join(' ')} END`;
  const dayExpr = days === 1 ? `'${isoDay(from)}'`
    : `CASE i % ${days} ${Array.from({ length: days }, (_, k) => `WHEN ${k} THEN '${isoDay(from + k)}'`).join(' ')} END`;
  await sql(srv.dbUrl, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})
    INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
    SELECT (SELECT id FROM courses WHERE slug = 'basic-safety-stcw'), '${prefix} ' || i, ${dayExpr}, ${dayExpr},
      ${loc}, 10, 0, 0 FROM n`);
}

/** The names in the order the database itself sorts them. */
async function ordered(prefix, orderBy) {
  const rows = await sql(srv.dbUrl, `SELECT e.name FROM events e WHERE e.name LIKE '${prefix} %' ORDER BY ${orderBy}`);
  return rows.map((r) => r[0]);
}

/** Follows Volgende from url to the end; returns each page's names, links and status text. */
async function walk(url) {
  const pages = [];
  while (url && pages.length < 20) {
    const r = await srv.get(url);
    assert.equal(r.status, 200, url);
    assert.doesNotMatch(r.text, NOTICE, url);
    const status = r.text.match(/<nav class="pager"[\s\S]*?<span>([^<]*)<\/span>/);
    pages.push({ url, names: names(r.text), prev: link(r.text, 'prev'), next: link(r.text, 'next'), page: status?.[1] });
    url = pages.at(-1).next;
  }
  return pages;
}

/** A cursor built by hand, the way list.c lays one out. */
function cursor({ before = 0, desc = 0, page = 1, sort = 'datum', key, id }) {
  const k = Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf8');
  const b = Buffer.alloc(17 + sort.length + k.length);
  b[0] = 1;
  b[1] = before | (desc << 1);
  b.writeUInt32BE(page, 2);
  b.writeBigUInt64BE(BigInt(id), 6);
  b[14] = sort.length;
  b.write(sort, 15, 'latin1');
  b.writeUInt16BE(k.length, 15 + sort.length);
  k.copy(b, 17 + sort.length);
  return b.toString('base64url');
}

test('Volgende shows every event once and Vorige walks back, with 57 events on one date', async () => {
  await addEvents('Stapel', 57);
  await addEvents('Stapel', 8, { from: 121 }); // names repeat: only the id tells them apart
  const want = await ordered('Stapel', 'e.starts_on, e.id');
  const pages = await walk('/cursusagenda?q=stapel');
  assert.equal(pages.length, 4);
  assert.deepEqual(pages.flatMap((p) => p.names), want, 'no event twice, none missing, in order');
  assert.deepEqual(pages.map((p) => p.page), ['Pagina 1 van 4', 'Pagina 2 van 4', 'Pagina 3 van 4', 'Pagina 4 van 4']);
  assert.equal(pages[0].prev, null);
  assert.equal(pages[3].next, null);
  for (const p of pages.slice(1)) assert.match(p.url, /^\/cursusagenda\?q=stapel&cursor=[\w-]+$/, 'the filter is kept');

  // back from the last page, one page at a time
  let url = pages[3].prev;
  for (let i = 2; i >= 0; i--) {
    const r = await srv.get(url);
    assert.deepEqual(names(r.text), pages[i].names, `page ${i + 1} on the way back`);
    assert.match(r.text, new RegExp(`<span>Pagina ${i + 1} van 4</span>`));
    assert.equal(link(r.text, 'next') !== null, true);
    url = link(r.text, 'prev');
  }
  assert.equal(url, null, 'the first page has no Vorige');

  // the page size is kept in the links, within its bounds (10 to 100)
  const tens = await walk('/cursusagenda?q=stapel&aantal=10');
  assert.equal(tens.length, 7);
  assert.deepEqual(tens.flatMap((p) => p.names), want);
  for (const p of tens.slice(1)) assert.match(p.url, /^\/cursusagenda\?q=stapel&aantal=10&cursor=/);
  assert.equal(names((await srv.get('/cursusagenda?q=stapel&aantal=999')).text).length, 65);
  assert.equal(names((await srv.get('/cursusagenda?q=stapel&aantal=1')).text).length, 10);
});

test('the columns sort from a whitelist, announce it with aria-sort, and keep the filters', async () => {
  await addEvents('Sorteer', 45, { days: 3, locations: ['Texel', 'Den Oever', 'Harlingen'] });
  const byPlace = await walk('/cursusagenda?q=sorteer&sorteer=locatie');
  assert.deepEqual(byPlace.flatMap((p) => p.names), await ordered('Sorteer', 'e.location, e.id'));
  for (const p of byPlace.slice(1)) assert.match(p.url, /^\/cursusagenda\?q=sorteer&sorteer=locatie&cursor=/);

  const byName = await walk('/cursusagenda?q=sorteer&sorteer=evenement&richting=aflopend');
  assert.deepEqual(byName.flatMap((p) => p.names), await ordered('Sorteer', 'lower(e.name) DESC, e.id DESC'));
  for (const p of byName.slice(1)) assert.match(p.url, /sorteer=evenement&richting=aflopend&cursor=/);

  const r = await srv.get('/cursusagenda?q=sorteer&sorteer=evenement&richting=aflopend');
  const head = r.text.match(/<thead>[\s\S]*?<\/thead>/)[0];
  assert.match(head, /<th scope="col" aria-sort="descending"><a href="\/cursusagenda\?q=sorteer&amp;sorteer=evenement">Evenement <span aria-hidden="true">▼<\/span><\/a><\/th>/);
  assert.match(head, /<th scope="col"><a href="\/cursusagenda\?q=sorteer">Datum<\/a><\/th>/);
  assert.match(head, /<th scope="col"><a href="\/cursusagenda\?q=sorteer&amp;sorteer=locatie">Locatie<\/a><\/th>/);
  assert.match(head, /<th scope="col" class="num">Beschikbare plaatsen<\/th>/, 'not sortable: no link');
  assert.equal((head.match(/aria-sort/g) || []).length, 1);

  // anything not on the list is the default order, without a word
  const plain = names((await srv.get('/cursusagenda?q=sorteer')).text);
  for (const q of ['sorteer=prijs', 'sorteer=e.name%3BDROP%20TABLE%20events', 'sorteer=places', 'richting=zijwaarts']) {
    const other = await srv.get(`/cursusagenda?q=sorteer&${q}`);
    assert.equal(other.status, 200, q);
    assert.deepEqual(names(other.text), plain, q);
    assert.doesNotMatch(other.text, /class="alert"/, q);
  }
});

test('a garbled or forged cursor shows the first page with a Dutch notice, never an error', async () => {
  await addEvents('Kapot', 30);
  const first = await srv.get('/cursusagenda?q=kapot');
  const page1 = names(first.text);
  const next = link(first.text, 'next');
  const good = next.match(/cursor=([\w-]+)/)[1];
  const byPlace = link((await srv.get('/cursusagenda?q=kapot&sorteer=locatie')).text, 'next').match(/cursor=([\w-]+)/)[1];
  const flipped = good.slice(0, 10) + (good[10] === 'A' ? 'B' : 'A') + good.slice(11);
  const bad = ['xyz', 'AAAA', encodeURIComponent("' OR 1=1 --"), good + 'A', good.slice(0, -2), flipped,
    byPlace, // made for another sort
    cursor({ key: Buffer.from([0xff, 0xfe]), id: 1 }), // not UTF-8: PostgreSQL would refuse it
    cursor({ key: 'x', id: 0 }), cursor({ key: 'x', id: 1, sort: 'prijs' }),
    cursor({ key: 'x', id: 1, page: 2000000 }), 'A'.repeat(3000)];
  for (const c of bad) {
    const r = await srv.get(`/cursusagenda?q=kapot&cursor=${c}`);
    assert.equal(r.status, 200, c);
    assert.match(r.text, NOTICE, c);
    assert.deepEqual(names(r.text), page1, c);
  }
  // a well-formed cursor is only a boundary: hostile text in its key is a value, not SQL
  const hostile = await srv.get(`/cursusagenda?q=kapot&cursor=${cursor({ key: "' OR 1=1; --", id: 1 })}`);
  assert.equal(hostile.status, 200);
  assert.deepEqual(names(hostile.text), page1, "every date sorts after the quote");
  // a cursor past the last event (the rows after it are gone): the first page, with the notice
  const gone = await srv.get(`/cursusagenda?q=kapot&cursor=${cursor({ key: '9999-12-31', id: 1, page: 2 })}`);
  assert.match(gone.text, NOTICE);
  assert.deepEqual(names(gone.text), page1);
});

test('old pagina links land on the page they meant, capped, and go on from there', async () => {
  await addEvents('Oudelink', 70, { days: 2 });
  const pages = await walk('/cursusagenda?q=oudelink');
  assert.equal(pages.length, 4);
  for (let p = 1; p <= 4; p++) {
    const r = await srv.get(`/cursusagenda?q=oudelink&pagina=${p}`);
    assert.deepEqual(names(r.text), pages[p - 1].names, `pagina=${p}`);
    assert.match(r.text, new RegExp(`<span>Pagina ${p} van 4</span>`));
  }
  const beyond = await srv.get('/cursusagenda?q=oudelink&pagina=999');
  assert.deepEqual(names(beyond.text), pages[3].names, 'past the end: the last page');
  const three = await srv.get('/cursusagenda?q=oudelink&pagina=3');
  assert.deepEqual(names((await srv.get(link(three.text, 'prev'))).text), pages[1].names);
  assert.deepEqual(names((await srv.get(link(three.text, 'next'))).text), pages[3].names);
  assert.doesNotMatch(link(three.text, 'next'), /pagina=/, 'new links carry a cursor, not a number');
});

test('the count stops at 500: "meer dan 500" beyond', async () => {
  await addEvents('Grens', 500, { days: 5 });
  assert.match((await srv.get('/cursusagenda?q=grens')).text, /<p class="result-count" role="status">500 evenementen gevonden<\/p>/);
  await addEvents('Grens', 1, { from: 130 });
  const r = await srv.get('/cursusagenda?q=grens');
  assert.match(r.text, /<p class="result-count" role="status">meer dan 500 evenementen gevonden<\/p>/);
  assert.match(r.text, /<span>Pagina 1<\/span>/, 'no "van N" when the number of pages is not known');
});

/** Splits CSV text into rows of cells (quotes undone). */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i++;
    } else cell += ch;
  }
  assert.equal(row.length + cell.length, 0, 'the file ends with CRLF');
  return rows;
}

test('Download als CSV: the page\'s filters and order, UTF-8 with BOM, ";" and CRLF, formulas neutralised', async () => {
  for (const name of ['=HYPERLINK("http://x";"Formule")', '+31 Formule', '-5 Formule', '@Formule', 'Gewoon; "Formule" café']) {
    await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
      VALUES ((SELECT id FROM courses WHERE slug = 'basic-safety-stcw'), '${name.replace(/'/g, "''")}', '${isoDay(140)}', '${isoDay(140)}', 'Texel', 10, 0, 0)`);
  }
  const page = await srv.get('/cursusagenda?q=formule&sorteer=evenement&richting=aflopend');
  const href = page.text.match(/<a href="([^"]+)">Download als CSV \(Excel\)<\/a>/);
  assert.ok(href, 'the page offers the download');
  assert.equal(unescape(href[1]), '/cursusagenda/csv?q=formule&sorteer=evenement&richting=aflopend');

  const res = await fetch(srv.url + unescape(href[1]));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="cursusagenda-${isoDay(0)}.csv"`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
  const text = bytes.subarray(3).toString('utf8');
  assert.ok(text.startsWith('Datum;Evenement;Cursus;Locatie;Beschikbare plaatsen;Link;Inschrijving\r\n'));
  assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, 'every line ends in CRLF');
  assert.ok(text.includes(`${nlDay(140)};"'=HYPERLINK(""http://x"";""Formule"")";Basic Safety (STCW);Texel;10;${srv.url}/aanbod/`));
  assert.ok(text.includes(`;"Gewoon; ""Formule"" café";`));
  const rows = parseCsv(text).slice(1);
  assert.deepEqual([...new Set(rows.map((r) => r[6]))], ['open'], 'Inschrijving, last: open');
  const shown = rows.map((r) => r[1]);
  for (const n of ["'+31 Formule", "'-5 Formule", "'@Formule"]) assert.ok(shown.includes(n), n);
  // the same events in the same order as the page
  assert.deepEqual(shown.map((n) => n.replace(/^'(?=[=+\-@])/, '')), names(page.text));
});

test('the CSV streams every row in chunks read by key, none twice; HEAD sends no body', async () => {
  await addEvents('Bulk', 1203, { days: 3 });
  const res = await fetch(`${srv.url}/cursusagenda/csv?q=bulk`);
  assert.equal(res.headers.get('transfer-encoding'), 'chunked', 'streamed, not built whole');
  const rows = parseCsv(Buffer.from(await res.arrayBuffer()).subarray(3).toString('utf8')).slice(1);
  assert.equal(rows.length, 1203);
  assert.equal(new Set(rows.map((r) => r[1])).size, 1203);
  assert.deepEqual(rows.map((r) => r[1]), await ordered('Bulk', 'e.starts_on, e.id'));
  const head = await fetch(`${srv.url}/cursusagenda/csv?q=bulk`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal((await head.arrayBuffer()).byteLength, 0);
});

test('no download link when nothing matches; the empty state says so', async () => {
  const r = await srv.get('/cursusagenda?q=bestaatnergens');
  assert.match(r.text, /0 evenementen gevonden/);
  assert.match(r.text, /<p class="empty">Er zijn geen evenementen die aan uw zoekopdracht voldoen\. Probeer andere filters\.<\/p>/);
  assert.doesNotMatch(r.text, /Download als CSV|<table/);
  const csv = await fetch(`${srv.url}/cursusagenda/csv?q=bestaatnergens`);
  assert.equal(parseCsv(Buffer.from(await csv.arrayBuffer()).subarray(3).toString('utf8')).length, 1, 'the header only');
});
