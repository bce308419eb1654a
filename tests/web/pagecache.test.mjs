// The short-lived cache of public pages: anonymous visitors share it; a logged-in person never
// gets a cached page and never puts theirs in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, isoDay } from './lib/db.mjs';
import { actingAs } from './lib/portal.mjs';

let srv;
// Long enough to outlast the UPDATE between two requests: psql alone takes most of a second on
// PostgreSQL, and several seconds while other test files run beside this one.
before(async () => { srv = await startServer({ env: { KLANTPORTAL_PAGE_CACHE_MS: '5000' } }); });
after(async () => { await srv?.stop(); });

test('anonymous visitors get the cached page until it expires', async () => {
  const first = await srv.get('/wie-zijn-wij');
  assert.match(first.text, /Onderwijsgroep Noordwest-Holland verzorgt/);
  await sql(srv.dbUrl, "UPDATE pages SET body = 'Vernieuwde tekst.' WHERE slug = 'wie-zijn-wij'");
  const cached = await srv.get('/wie-zijn-wij');
  assert.equal(cached.text, first.text, 'served from the cache');
  assert.match(cached.headers.get('content-type'), /text\/html/);
  assert.match(cached.headers.get('content-security-policy'), /frame-ancestors/);
  await new Promise((r) => setTimeout(r, 5100));
  assert.match((await srv.get('/wie-zijn-wij')).text, /Vernieuwde tekst\./);
});

test('the query string is part of the key', async () => {
  const a = await srv.get('/cursusagenda?q=medical');
  const b = await srv.get('/cursusagenda?q=bespuiten');
  assert.match(a.text, /2 evenementen gevonden/);
  assert.match(b.text, /1 evenement gevonden/);
});

test('a logged-in person sees fresh pages with their name, and never fills the cache', async () => {
  const c = await actingAs(srv, 'martin.sommer@example.nl');
  await srv.get('/contact'); // anonymous copy in the cache
  await sql(srv.dbUrl, "UPDATE pages SET title = 'Contact en route' WHERE slug = 'contact'");
  const mine = await c.get('/contact');
  assert.match(mine.text, /<h1>Contact en route<\/h1>/, 'not the cached copy');
  assert.match(mine.text, /Martin Sommer/);
  const home = await c.get('/nieuws');
  assert.match(home.text, /Martin Sommer/);
  const anon = await srv.get('/nieuws');
  assert.doesNotMatch(anon.text, /Martin Sommer|usermenu/, 'a personal page is never served to others');
});

test('a page reached by a cursor is cached under its own key; the CSV download never is', async () => {
  await sql(srv.dbUrl, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
    INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
    SELECT (SELECT id FROM courses WHERE slug = 'basic-safety-stcw'), 'Cachetoets ' || i,
      '${isoDay(90)}', '${isoDay(90)}', 'Texel', 10, 0, 0 FROM n`);
  const one = await srv.get('/cursusagenda?q=cachetoets');
  const next = one.text.match(/href="([^"]+)" rel="next"/)[1].replace(/&amp;/g, '&');
  const two = await srv.get(next);
  assert.match(one.text, /Pagina 1 van 2/);
  assert.match(two.text, /Pagina 2 van 2/);
  assert.equal((two.text.match(/<td data-label="Evenement">/g) || []).length, 5);
  assert.equal((await srv.get(next)).text, two.text);

  const csv = async () => {
    const r = await fetch(`${srv.url}/cursusagenda/csv?q=cachetoets`);
    assert.equal(r.headers.get('content-disposition'), `attachment; filename="cursusagenda-${isoDay(0)}.csv"`);
    assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
    return r.text();
  };
  assert.match(await csv(), /;Cachetoets 1;/);
  await sql(srv.dbUrl, "UPDATE events SET name = 'Cachetoets vernieuwd' WHERE name = 'Cachetoets 1'");
  const again = await csv();
  assert.match(again, /;Cachetoets vernieuwd;/, 'not served from the cache');
});
