// The public site (issue: walking skeleton): what a visitor sees on each page, the agenda's
// filters, hostile input, and the headers every response carries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, nlWeekday, isoDay } from './lib/db.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

test('Home shows upcoming public events, news, Inloggen and the administratie', async () => {
  const r = await srv.get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html; charset=utf-8/);
  const t = text(r.text);
  assert.match(t, /LV Optimaal bespuiten \(VT\)/);
  assert.match(t, new RegExp(`LV Optimaal bespuiten \\(VT\\) ${nlWeekday(30)} · Schagen - Herenweg 12 · 12 beschikbare plaatsen`));
  assert.match(t, /Medical Care \(STCW\).*1 beschikbare plaats\b/);
  assert.match(t, /Nieuwe data licentieverlenging gewasbescherming/);
  assert.match(t, /De Klantportal is vernieuwd/);
  assert.match(r.text, /<a class="login" href="\/inloggen\?terug=\/">Inloggen<\/a>/);
  assert.match(r.text, /href="\/inloggen">Klantenportal<\/a>/);
  assert.match(t, /0223-611310/);
  assert.match(t, /info@onderwijsgroepnwh\.nl/);
  for (const item of ['Home', 'Ons aanbod', 'Cursusagenda', 'Nieuws & Evenementen', 'Wie zijn wij', 'Contact']) {
    assert.ok(t.includes(item), `navigation has ${item}`);
  }
});

test('maatwerk courses and their events never appear on public pages', async () => {
  for (const p of ['/', '/cursusagenda', '/cursusagenda?q=maatwerk', '/cursusagenda?locatie=Incompany', '/aanbod']) {
    const r = await srv.get(p);
    assert.equal(r.status, 200, p);
    assert.doesNotMatch(r.text, /Bedreigingen openbaar groen|2e testcursus|Maatwerk cursussen|Incompany/, p);
  }
  const r = await srv.get('/cursusagenda?q=bedreigingen');
  assert.match(text(r.text), /0 evenementen gevonden/);
});

test('Ons aanbod walks the category tree with breadcrumbs down to a course', async () => {
  let r = await srv.get('/aanbod');
  assert.match(r.text, /href="\/aanbod\/cursussen-trainingen">Cursussen &amp; Trainingen<\/a>/);
  r = await srv.get('/aanbod/cursussen-trainingen/agro-groen');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Agro &amp; Groen<\/h1>/);
  assert.match(r.text, /href="\/aanbod\/cursussen-trainingen\/agro-groen\/licentieverlengingen-gewasbescherming"/);
  const crumbs = r.text.match(/<nav class="crumbs"[\s\S]*?<\/nav>/)[0];
  assert.equal(text(crumbs).trim(), 'Home Ons aanbod Cursussen & Trainingen Agro & Groen');
  assert.match(crumbs, /<span aria-current="page">Agro &amp; Groen<\/span>/);

  r = await srv.get('/aanbod/cursussen-trainingen/agro-groen/licentieverlengingen-gewasbescherming/licentieverlenging-gewasbescherming');
  assert.equal(r.status, 200);
  const c = r.text.match(/<nav class="crumbs"[\s\S]*?<\/nav>/)[0];
  assert.equal(text(c).trim(),
    'Home Ons aanbod Cursussen & Trainingen Agro & Groen Licentieverlengingen Gewasbescherming Licentieverlenging Gewasbescherming');
  const row = r.text.match(/<tr>\s*<td data-label="Datum">[\s\S]*?<\/tr>/)[0];
  assert.match(text(row), new RegExp(`^ ?${nlWeekday(30)} .*LV Optimaal bespuiten \\(VT\\) Schagen - Herenweg 12 € 95,00 12`));
  // Markdown from the database, rendered safely
  assert.match(r.text, /<strong>licentie gewasbescherming<\/strong>/);
});

test('a course page shows places left and a full event as Vol', async () => {
  const r = await srv.get('/aanbod/cursussen-trainingen/maritiem/medical-care-stcw');
  const rows = r.text.match(/<tr>\s*<td data-label="Datum">[\s\S]*?<\/tr>/g).map(text);
  assert.equal(rows.length, 2, 'past events are not listed');
  assert.match(rows[0], new RegExp(`^ ?${nlWeekday(21)} t/m ${nlWeekday(25)} .* 1 Inschrijven voor Medical Care \\(STCW\\) op .* $`));
  assert.match(rows[1], /Vol Plaats op wachtlijst voor Medical Care \(STCW\) op .* $/);
});

test('unknown categories and courses are a Dutch 404', async () => {
  for (const p of ['/aanbod/bestaat-niet', '/aanbod/cursussen-trainingen/bestaat-niet',
    '/aanbod/cursussen-trainingen/maritiem/medical-care-stcw/extra', '/aanbod/Hoofdletters',
    '/aanbod/a%2F..%2Fb', '/nieuws/bestaat-niet', '/bestaat-niet']) {
    const r = await srv.get(p);
    assert.equal(r.status, 404, p);
    assert.match(r.text, /Pagina niet gevonden/, p);
    assert.match(r.text, /<html lang="nl">/);
  }
});

test('maatwerk course pages are not reachable by guessing their URL', async () => {
  const slug = await sqlValue(srv.dbUrl, "SELECT slug FROM courses WHERE maatwerk_org_id IS NOT NULL ORDER BY id LIMIT 1");
  assert.ok(slug);
  for (const cat of ['cursussen-trainingen', 'cursussen-trainingen/agro-groen']) {
    const r = await srv.get(`/aanbod/${cat}/${slug}`);
    assert.equal(r.status, 404);
  }
});

test('Cursusagenda lists upcoming public events and filters them', async () => {
  let r = await srv.get('/cursusagenda');
  let t = text(r.text);
  assert.match(t, /5 evenementen gevonden/);
  assert.doesNotMatch(t, /Test evenement ROC/, 'past events are not listed');

  r = await srv.get('/cursusagenda?q=MEDICAL');
  t = text(r.text);
  assert.match(t, /2 evenementen gevonden/);
  assert.match(t, /Medical Care \(STCW\)/);
  assert.doesNotMatch(t, /LV Optimaal/);
  assert.match(r.text, /name="q" type="search" value="MEDICAL"/);

  r = await srv.get('/cursusagenda?locatie=' + encodeURIComponent('Den Helder - Kievitstraat 31'));
  t = text(r.text);
  assert.match(t, /3 evenementen gevonden/);
  assert.match(r.text, /<option value="Den Helder - Kievitstraat 31" selected>/);

  const month = isoDay(30).slice(0, 7);
  r = await srv.get(`/cursusagenda?maand=${month}`);
  const expected = Number(await sqlValue(srv.dbUrl,
    `SELECT count(*) FROM events e JOIN courses c ON c.id = e.course_id WHERE c.maatwerk_org_id IS NULL
     AND e.starts_on >= '${isoDay(0)}' AND substr(e.starts_on, 1, 7) = '${month}'`));
  assert.ok(expected >= 1);
  assert.match(text(r.text), new RegExp(`${expected} evenement(en)? gevonden`));

  const maritiem = await sqlValue(srv.dbUrl, "SELECT id FROM categories WHERE slug = 'maritiem'");
  r = await srv.get(`/cursusagenda?categorie=${maritiem}`);
  t = text(r.text);
  assert.match(t, /3 evenementen gevonden/);
  assert.doesNotMatch(t, /LV Optimaal/);
  const top = await sqlValue(srv.dbUrl, "SELECT id FROM categories WHERE parent_id IS NULL");
  r = await srv.get(`/cursusagenda?categorie=${top}`);
  assert.match(text(r.text), /5 evenementen gevonden/, 'a category includes its whole subtree');

  r = await srv.get(`/cursusagenda?categorie=${maritiem}&q=basic`);
  assert.match(text(r.text), /1 evenement gevonden/);
});

test('a bad filter value gets a Dutch message and is not used', async () => {
  const r = await srv.get('/cursusagenda?maand=2026-13&categorie=abc');
  assert.equal(r.status, 200);
  const t = text(r.text);
  assert.match(t, /Vul een geldige maand in/);
  assert.match(t, /Vul een geldig getal in/);
  assert.match(t, /5 evenementen gevonden/);
});

test('the agenda pages through many events, keeping the filters', async () => {
  const values = [];
  for (let i = 0; i < 45; i++) {
    values.push(`((SELECT id FROM courses WHERE slug = 'basic-safety-stcw'), 'Extra training ${i}', '${isoDay(100 + i)}', '${isoDay(100 + i)}', 'Texel', 10, 0, 0)`);
  }
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at) VALUES ${values.join(',')}`);
  let r = await srv.get('/cursusagenda?q=extra');
  let t = text(r.text);
  assert.match(t, /45 evenementen gevonden/);
  assert.match(t, /Pagina 1 van 3/);
  assert.equal((r.text.match(/<td data-label="Evenement">/g) || []).length, 20);
  const next = r.text.match(/href="(\/cursusagenda\?q=extra&amp;cursor=[\w-]+)" rel="next"/);
  assert.ok(next, 'Volgende keeps the search term');
  r = await srv.get(next[1].replace(/&amp;/g, '&'));
  assert.match(text(r.text), /Pagina 2 van 3/);
  // an old link with a page number still lands on that page
  r = await srv.get('/cursusagenda?q=extra&pagina=3');
  t = text(r.text);
  assert.match(t, /Pagina 3 van 3/);
  assert.equal((r.text.match(/<td data-label="Evenement">/g) || []).length, 5);
  assert.match(t, /Extra training 44/);
  r = await srv.get('/cursusagenda?q=extra&pagina=999');
  assert.equal(r.status, 200);
  assert.match(text(r.text), /45 evenementen gevonden/);
});

test('a hostile query string comes back escaped', async () => {
  const evil = `"><script>alert('x')</script>`;
  const r = await srv.get('/cursusagenda?q=' + encodeURIComponent(evil) + '&locatie=' + encodeURIComponent(evil));
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /<script>alert/);
  assert.match(r.text, /value="&quot;&gt;&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt;"/);
  const like = await srv.get('/cursusagenda?q=' + encodeURIComponent("%' OR 1=1 --"));
  assert.match(text(like.text), /0 evenementen gevonden/);
});

test('Nieuws & Evenementen lists news and renders an item from Markdown', async () => {
  let r = await srv.get('/nieuws');
  const t = text(r.text);
  assert.ok(t.indexOf('Nieuwe data licentieverlenging') < t.indexOf('De Klantportal is vernieuwd'), 'newest first');
  r = await srv.get('/nieuws/nieuwe-data-licentieverlenging');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Nieuwe data licentieverlenging gewasbescherming<\/h1>/);
  assert.match(r.text, /<a href="\/cursusagenda">cursusagenda<\/a>/);
});

test('Markdown from the database cannot inject HTML or script links', async () => {
  await sql(srv.dbUrl, `INSERT INTO news (slug, title, summary, body, published_on, created_at) VALUES
    ('test-xss', 'Test <b>', '', '<script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>', '${isoDay(-1)}', 0)`);
  const r = await srv.get('/nieuws/test-xss');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /<script>alert|javascript:|onerror=/);
  assert.match(r.text, /<h1>Test &lt;b&gt;<\/h1>/);
});

test('Wie zijn wij and Contact come from the database', async () => {
  let r = await srv.get('/wie-zijn-wij');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Wie zijn wij<\/h1>/);
  assert.match(text(r.text), /Onderwijsgroep Noordwest-Holland verzorgt/);
  await sql(srv.dbUrl, "UPDATE pages SET body = 'Nieuwe tekst over **ons**.' WHERE slug = 'wie-zijn-wij'");
  r = await srv.get('/wie-zijn-wij');
  assert.match(r.text, /Nieuwe tekst over <strong>ons<\/strong>/);
  r = await srv.get('/contact');
  assert.match(r.text, /<h1>Contact<\/h1>/);
  assert.match(text(r.text), /Telefoon: 0223-611310/);
  assert.match(r.text, /mailto:info@onderwijsgroepnwh\.nl/);
});

test('every response carries the security headers', async () => {
  for (const p of ['/', '/cursusagenda', '/bestaat-niet', '/static/style.css', '/healthz']) {
    const r = await srv.get(p);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /frame-ancestors 'none'/, p);
    assert.match(csp, /script-src 'self'/, p);
    assert.doesNotMatch(csp, /unsafe-inline/, p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.ok(r.headers.get('referrer-policy'), p);
    assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS over plain http');
  }
});

test('static files have their type, an ETag and long caching', async () => {
  const r = await srv.get('/static/style.css');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.match(r.headers.get('cache-control'), /max-age=31536000/);
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{16}"$/);
  const again = await srv.get('/static/style.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  const home = await srv.get('/');
  assert.ok(home.text.includes(`/static/style.css?v=${etag.slice(1, -1)}`), 'pages link the current version');
  assert.equal((await srv.get('/static/../meson.build')).status, 404);
  assert.equal((await srv.get('/static/%2e%2e/meson.build')).status, 404);
});

test('405 with Allow for a wrong method, and HEAD works like GET', async () => {
  const r = await srv.post('/cursusagenda', 'q=x');
  assert.equal(r.status, 405);
  assert.match(r.headers.get('allow'), /GET/);
  assert.match(r.text, /Niet toegestaan/);
  const h = await srv.get('/', { method: 'HEAD' });
  assert.equal(h.status, 200);
  assert.equal(h.text, '');
});

test('/healthz and /readyz', async () => {
  const h = await srv.get('/healthz');
  assert.equal(h.status, 200);
  const r = await srv.get('/readyz');
  assert.equal(r.status, 200);
  assert.match(r.text, /ok/);
});
