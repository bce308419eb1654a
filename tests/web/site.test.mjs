// What makes the site look like one organisation's: the footer with the administratie's address
// and its three pages (Privacyverklaring, Cookies, Toegankelijkheidsverklaring), the logo, the
// typeface the portal serves itself, Ons aanbod with its subcategories, Contact, and the words
// (Klantportal, no error codes, a date that does not exist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql } from './lib/db.mjs';
import { actingAs, csrfOf, loginAs, text } from './lib/portal.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const footerOf = (html) => html.match(/<footer class="site-footer">[\s\S]*?<\/footer>/)?.[0] ?? '';
const mainOf = (html) => html.match(/<main[\s\S]*?<\/main>/)?.[0] ?? '';
const footerPages = [
  ['/privacyverklaring', 'Privacyverklaring'],
  ['/cookies', 'Cookies'],
  ['/toegankelijkheidsverklaring', 'Toegankelijkheidsverklaring'],
];

test('the footer pages answer with their heading and their content', async () => {
  for (const [p, heading] of footerPages) {
    const r = await srv.get(p);
    assert.equal(r.status, 200, p);
    assert.match(r.text, new RegExp(`<h1>${heading}</h1>`), p);
    assert.match(r.text, new RegExp(`<title>${heading} - `), p);
  }
  const privacy = text((await srv.get('/privacyverklaring')).text);
  for (const s of ['woonadres', 'geboortedatum', 'IP-adres', '30 dagen', 'AVG', 'Inzage',
    'Verwijderen', 'Autoriteit Persoonsgegevens', 'info@onderwijsgroepnwh.nl']) {
    assert.ok(privacy.includes(s), `Privacyverklaring mentions ${s}`);
  }
  const a11y = text((await srv.get('/toegankelijkheidsverklaring')).text);
  for (const s of ['WCAG 2.1', 'niveau AA', 'axe-core', 'toetsenbord', '320 pixels']) {
    assert.ok(a11y.includes(s), `Toegankelijkheidsverklaring mentions ${s}`);
  }
});

test('the footer pages live in the pages table, so they can be edited', async () => {
  const rows = await sql(srv.dbUrl, "SELECT slug FROM pages WHERE slug IN ('privacyverklaring', 'cookies', 'toegankelijkheidsverklaring') ORDER BY slug");
  assert.deepEqual(rows.map((r) => r[0]), ['cookies', 'privacyverklaring', 'toegankelijkheidsverklaring']);
  await sql(srv.dbUrl, "UPDATE pages SET body = body || ' Bijgewerkt door de **administratie**.' WHERE slug = 'cookies'");
  const r = await srv.get('/cookies');
  assert.match(r.text, /Bijgewerkt door de <strong>administratie<\/strong>\./);
});

test('every page has the footer with the address, the KvK number and the three pages', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const seen = [];
  for (const p of ['/', '/aanbod', '/cursusagenda', '/nieuws', '/contact', '/inloggen', '/bestaat-niet',
    ...footerPages.map(([path]) => path)]) {
    seen.push([p, await srv.get(p)]);
  }
  for (const p of ['/mijn', '/mijn/gegevens']) seen.push([p, await martin.get(p)]);
  for (const [p, r] of seen) {
    const f = footerOf(r.text);
    assert.match(f, /<address class="admin-address">/, p);
    const t = text(f);
    assert.match(t, /Kievitstraat 31, 1782 GA Den Helder/, p);
    assert.match(t, /KvK-nummer: \d{8}/, p);
    assert.match(t, /0223-611310/, p);
    for (const [path, label] of footerPages) {
      assert.match(f, new RegExp(`<a href="${path}">${label}</a>`), `${p} links ${path}`);
    }
  }
});

test('the cookie page names every cookie the portal sets', async () => {
  // log in with "Onthoud mijn gegevens", pick an organisation, save data, log out
  const names = new Set();
  const note = (r) => {
    for (const c of r.headers.getSetCookie()) names.add(c.split('=')[0].replace(/^__Host-/, ''));
    return r;
  };
  const { c, r } = await loginAs(srv, 'deby.rummens@example.nl', undefined, { onthoud: '1' });
  note(r);
  note(await c.get('/inloggen'));
  const choose = note(await c.get('/organisatie-kiezen'));
  note(await c.post('/organisatie-kiezen', { csrf: csrfOf(choose.text), organisatie: 'persoon' }));
  const form = note(await c.get('/mijn/gegevens/aanpassen'));
  note(await c.post('/mijn/gegevens/aanpassen', { ...inputsOf(form.text) }));
  const home = note(await c.get('/'));
  note(await c.post('/uitloggen', { csrf: csrfOf(home.text) }));
  const anon = srv.client();
  note(await anon.get('/inloggen'));
  for (const n of ['kp_sessie', 'kp_onthoud', 'kp_gebruiker', 'kp_organisatie', 'kp_apparaat', 'kp_melding', 'kp_csrf']) {
    assert.ok(names.has(n), `the walk saw ${n} (saw ${[...names]})`);
  }
  const page = text(mainOf((await srv.get('/cookies')).text));
  for (const n of names) assert.ok(page.includes(n), `Cookies names ${n}`);
  assert.match(page, /__Host-/);
  assert.match(page, /alleen functionele cookies/);
});

/** Every input of a form with its value (name and value in any order of attributes). */
function inputsOf(html) {
  const values = {};
  for (const tag of html.match(/<input[^>]*>/g) ?? []) {
    const name = tag.match(/\bname="([^"]+)"/)?.[1];
    const value = tag.match(/\bvalue="([^"]*)"/)?.[1] ?? '';
    if (!name || /type="(checkbox|radio|submit)"/.test(tag)) continue;
    values[name] = value.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
  }
  return values;
}

test('the typeface is served by the portal itself, with its type and a long cache', async () => {
  const css = (await srv.get('/static/style.css')).text;
  const faces = css.match(/@font-face\s*{[^}]*}/g) ?? [];
  assert.ok(faces.length >= 2, 'style.css declares the faces');
  for (const face of faces) {
    assert.match(face, /font-family: "Inter"/);
    assert.match(face, /font-display: swap/);
    const url = face.match(/url\("([^"]+)"\)/)[1];
    assert.match(url, /^\/static\/fonts\/Inter-[A-Za-z]+\.otf$/, 'never an outside font service');
    const r = await fetch(srv.url + url);
    assert.equal(r.status, 200, url);
    assert.equal(r.headers.get('content-type'), 'font/otf', url);
    assert.match(r.headers.get('cache-control'), /max-age=31536000/, url);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'OTTO', `${url} is an OpenType font`);
  }
  assert.match(css, /font-family: "Inter", system-ui/, 'the system letter is the fallback');
});

test('without the font package the pages still show, in the system letter', async () => {
  const bare = await startServer({ demo: false, env: { KLANTPORTAL_FONT_DIR: '/nonexistent/fonts' } });
  try {
    const r = await bare.get('/');
    assert.equal(r.status, 200);
    assert.equal((await bare.get('/static/fonts/Inter-Regular.otf')).status, 404);
    assert.match(bare.stderr(), /lettertype \/nonexistent\/fonts\/Inter-Regular\.otf ontbreekt/);
  } finally {
    await bare.stop();
  }
});

test('the header shows our own logo with a text alternative', async () => {
  const r = await srv.get('/');
  const img = r.text.match(/<a class="brand" href="\/"><img [^>]*><\/a>/)?.[0];
  assert.ok(img, 'the logo links to Home');
  assert.match(img, /src="\/static\/logo\.svg(\?v=[0-9a-f]+)?"/);
  assert.match(img, /alt="Mijn Onderwijsgroep, naar de startpagina"/);
  const logo = await srv.get('/static/logo.svg');
  assert.equal(logo.status, 200);
  assert.equal(logo.headers.get('content-type'), 'image/svg+xml');
  assert.match(logo.text, /<title[^>]*>Mijn Onderwijsgroep<\/title>/);
  assert.match(logo.text, />Onderwijsgroep<\/text>/);
});

test('Ons aanbod shows the subcategories straight away', async () => {
  const r = await srv.get('/aanbod');
  const card = r.text.match(/<li class="card"><h2><a href="\/aanbod\/cursussen-trainingen">[\s\S]*?<\/li>\s*<\/ul><\/li>/)?.[0];
  assert.ok(card, 'the card of Cursussen & Trainingen has a list');
  assert.match(card, /<a href="\/aanbod\/cursussen-trainingen\/agro-groen">Agro &amp; Groen<\/a>/);
  assert.match(card, /<a href="\/aanbod\/cursussen-trainingen\/maritiem">Maritiem<\/a>/);
  assert.doesNotMatch(card, /licentieverlengingen-gewasbescherming/, 'one level down only');
});

test('Contact gives the phone number and the e-mail address once', async () => {
  const main = mainOf((await srv.get('/contact')).text);
  assert.equal(text(main).match(/0223-611310/g)?.length, 1);
  assert.equal(main.match(/mailto:info@onderwijsgroepnwh\.nl/g)?.length, 1);
  assert.match(text(main), /Kievitstraat 31/);
});

test('the portal is called Klantportal; only the Home button keeps Klantenportal', async () => {
  const home = await srv.get('/');
  assert.match(home.text, /href="\/inloggen">Klantenportal<\/a>/);
  assert.match(text(home.text), /in de Klantportal\./);
  for (const p of ['/', '/nieuws', '/contact', ...footerPages.map(([path]) => path)]) {
    const t = text(mainOf((await srv.get(p)).text));
    const words = t.match(/\b[Kk]lant(en)?porta(a)?l\w*/g) ?? [];
    const odd = words.filter((w) => w !== 'Klantportal' && !(p === '/' && w === 'Klantenportal'));
    assert.deepEqual(odd, [], p);
  }
});

test('an error page says what happened and what to do, without an error code', async () => {
  const r = await srv.get('/bestaat-niet');
  assert.equal(r.status, 404);
  const t = text(mainOf(r.text));
  assert.doesNotMatch(t, /Foutcode|404/);
  assert.match(t, /Pagina niet gevonden/);
  assert.match(t, /bestaat niet/);
  assert.match(mainOf(r.text), /<a class="button" href="\/">Naar de startpagina<\/a>/);
});

test('a date that is not on the calendar gets "Deze datum bestaat niet"', async () => {
  const c = await actingAs(srv, 'martin.sommer@example.nl');
  const form = await c.get('/mijn/gegevens/aanpassen');
  const r = await c.post('/mijn/gegevens/aanpassen', { ...inputsOf(form.text), geboortedatum: '31-02-1980' });
  assert.equal(r.status, 200);
  assert.match(text(mainOf(r.text)), /Deze datum bestaat niet\./);
  const r2 = await c.post('/mijn/gegevens/aanpassen', { ...inputsOf(form.text), geboortedatum: '31-2-1980x' });
  assert.match(text(mainOf(r2.text)), /Vul een geldige datum in/);
});
