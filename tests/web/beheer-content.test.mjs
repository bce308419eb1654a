// The back office's news and content pages: a concept stays off the site until it is published,
// the preview renders the typed Markdown as the public page would (never the author's HTML), a
// page's new text is on the site, a form with errors keeps what was typed, every change writes an
// audit line with old → new per field, and the general terms stay read-only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, nlDay, isoDay } from './lib/db.mjs';
import { csrfOf, staffClient, text } from './lib/portal.mjs';

let srv;
let staff;
before(async () => {
  srv = await startServer();
  staff = await staffClient(srv);
});
after(async () => { await srv?.stop(); });

/** The audit lines of an action, newest first, their changes as "field: old → new ; …". */
async function auditLines(action) {
  const rows = await sql(srv.dbUrl, `SELECT subject, replace(replace(changes, '\t', '¦'), '\n', '¶'), actor_id
    FROM audit_log WHERE action = '${action}' ORDER BY id DESC`);
  return rows.map(([subject, changes, actor]) => ({
    subject,
    actor,
    changes: changes.split('¶').filter(Boolean).map((l) => {
      const [field, old, now] = l.split('¦');
      return [`${field}:`, old, '→', now].filter((x) => x !== '').join(' ');
    }).join(' ; '),
  }));
}

const staffId = () => sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'administratie@example.nl'");

async function postForm(path, form) {
  const page = await staff.get(path);
  assert.equal(page.status, 200, `GET ${path}`);
  return staff.post(path, { csrf: csrfOf(page.text), ...form });
}

const BODY = '## Programma\n\nKom **langs** in de [cursusagenda](/cursusagenda).\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>';

test('a concept is not on the site; its preview renders the Markdown and leaves the HTML out', async () => {
  const form = { titel: 'Open dag in de werkplaats', datum: nlDay(0), samenvatting: 'Kijk mee in de werkplaats.', tekst: BODY };
  const preview = await postForm('/beheer/nieuws/nieuw', { ...form, actie: 'voorbeeld' });
  assert.equal(preview.status, 200);
  assert.match(preview.text, /<h2 id="voorbeeld-kop">Voorbeeld/);
  const shown = preview.text.slice(preview.text.indexOf('id="voorbeeld"'));
  assert.match(shown, /<h3 class="preview-title">Open dag in de werkplaats<\/h3>/);
  assert.match(shown, /<h2>Programma<\/h2>/);
  assert.match(shown, /<strong>langs<\/strong>/);
  assert.match(shown, /<a href="\/cursusagenda">cursusagenda<\/a>/);
  assert.doesNotMatch(preview.text, /<script>alert|<img src=x/);
  assert.doesNotMatch(shown, /alert/);
  // the typed text is back in the form, escaped
  assert.match(preview.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM news WHERE title = 'Open dag in de werkplaats'"), '0', 'a preview stores nothing');

  const saved = await postForm('/beheer/nieuws/nieuw', { ...form, actie: 'opslaan' });
  assert.equal(saved.status, 303);
  const [[id, slug, published, on]] = await sql(srv.dbUrl, "SELECT id, slug, published, published_on FROM news WHERE title = 'Open dag in de werkplaats'");
  assert.equal(saved.headers.get('location'), `/beheer/nieuws/${id}`);
  assert.deepEqual([slug, published, on], ['open-dag-in-de-werkplaats', '0', isoDay(0)]);
  const edit = await staff.get(`/beheer/nieuws/${id}`);
  assert.match(text(edit.text), /Het nieuwsbericht is opgeslagen\./);
  assert.match(text(edit.text), /Concept: nog niet op de site/);

  assert.equal((await srv.get('/nieuws/open-dag-in-de-werkplaats')).status, 404);
  assert.doesNotMatch((await srv.get('/nieuws')).text, /Open dag in de werkplaats/);
  assert.doesNotMatch((await srv.get('/')).text, /Open dag in de werkplaats/);

  const list = text((await staff.get('/beheer/nieuws')).text);
  assert.match(list, /Open dag in de werkplaats .*Concept/);
  assert.ok(list.indexOf('Open dag in de werkplaats') < list.indexOf('Nieuwe data licentieverlenging'), 'newest first');
  assert.match(text((await staff.get('/beheer/nieuws?status=concept')).text), /1 nieuwsbericht gevonden.*Open dag/);
  assert.doesNotMatch((await staff.get('/beheer/nieuws?status=gepubliceerd')).text, /Open dag/);
  assert.match((await staff.get('/beheer/nieuws?q=WERKPLAATS')).text, /Open dag in de werkplaats/);
  assert.doesNotMatch((await staff.get('/beheer/nieuws?q=licentie')).text, /Open dag/);

  const [line] = await auditLines('nieuws_toegevoegd');
  assert.equal(line.subject, 'Open dag in de werkplaats');
  assert.equal(line.actor, await staffId());
  assert.match(line.changes, new RegExp(`^slug: → open-dag-in-de-werkplaats ; titel: → Open dag in de werkplaats ; datum: → ${nlDay(0)} ; samenvatting: → Kijk mee in de werkplaats\\. ; tekst: → \\d+ tekens: ## Programma  Kom \\*\\*langs\\*\\*`));
  assert.match(line.changes, / ; gepubliceerd: → nee$/);
});

test('publishing puts the item on Home and Nieuws; its address stays when the title changes', async () => {
  const id = await sqlValue(srv.dbUrl, "SELECT id FROM news WHERE slug = 'open-dag-in-de-werkplaats'");
  const r = await postForm(`/beheer/nieuws/${id}`, {
    titel: 'Open dag in de werkplaats op zaterdag', datum: nlDay(0), samenvatting: 'Kijk mee in de werkplaats.',
    tekst: BODY, gepubliceerd: '1', actie: 'opslaan',
  });
  assert.equal(r.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT slug || ' ' || published FROM news WHERE id = ${id}`), 'open-dag-in-de-werkplaats 1');
  const item = await srv.get('/nieuws/open-dag-in-de-werkplaats');
  assert.equal(item.status, 200);
  assert.match(item.text, /<h1>Open dag in de werkplaats op zaterdag<\/h1>/);
  assert.match(item.text, /<h2>Programma<\/h2>/);
  assert.doesNotMatch(item.text, /<script>alert|<img src=x|onerror=/);
  assert.match(text((await srv.get('/nieuws')).text), /Open dag in de werkplaats op zaterdag/);
  assert.match(text((await srv.get('/')).text), /Open dag in de werkplaats op zaterdag/);
  assert.match(text((await staff.get('/beheer/nieuws?status=gepubliceerd')).text), /Open dag in de werkplaats op zaterdag .*Gepubliceerd/);

  const [line] = await auditLines('nieuws_gewijzigd');
  assert.equal(line.changes, 'titel: Open dag in de werkplaats → Open dag in de werkplaats op zaterdag ; gepubliceerd: nee → ja');

  // the same title again gets an address of its own
  const again = await postForm('/beheer/nieuws/nieuw', { titel: 'Open dag in de werkplaats', datum: nlDay(1), tekst: 'Nog een keer.', actie: 'opslaan' });
  assert.equal(again.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT slug FROM news WHERE body = 'Nog een keer.'"), 'open-dag-in-de-werkplaats-2');
});

test('a news form with errors keeps what was typed and stores nothing', async () => {
  const before = await sqlValue(srv.dbUrl, 'SELECT count(*) FROM news');
  const r = await postForm('/beheer/nieuws/nieuw', { titel: '  ', datum: '31-02-2027', samenvatting: 'Mijn samenvatting', tekst: 'Mijn *tekst* & meer', gepubliceerd: '1', actie: 'opslaan' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<title>Fout: /);
  assert.match(r.text, /Er is een probleem/);
  assert.match(r.text, /Vul een titel in\./);
  assert.match(r.text, /Deze datum bestaat niet\./);
  assert.match(r.text, /value="31-02-2027"/);
  assert.match(r.text, />Mijn samenvatting<\/textarea>/);
  assert.match(r.text, />Mijn \*tekst\* &amp; meer<\/textarea>/);
  assert.match(r.text, /name="gepubliceerd" type="checkbox" value="1"[^>]* checked>/);
  assert.equal(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM news'), before);
});

test('deleting asks first, then the item is gone from the site, with its audit line', async () => {
  const id = await sqlValue(srv.dbUrl, "SELECT id FROM news WHERE slug = 'open-dag-in-de-werkplaats-2'");
  const ask = await staff.get(`/beheer/nieuws/${id}/verwijderen`);
  assert.equal(ask.status, 200);
  assert.match(text(ask.text), /Weet u zeker dat u het nieuwsbericht Open dag in de werkplaats wilt verwijderen\?/);
  const r = await staff.post(`/beheer/nieuws/${id}/verwijderen`, { csrf: csrfOf(ask.text) });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/beheer/nieuws');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM news WHERE id = ${id}`), '0');
  assert.match(text((await staff.get('/beheer/nieuws')).text), /Het nieuwsbericht is verwijderd\./);
  const [line] = await auditLines('nieuws_verwijderd');
  assert.equal(line.subject, 'Open dag in de werkplaats');
  assert.match(line.changes, /^slug: open-dag-in-de-werkplaats-2 → ; titel: Open dag in de werkplaats → ; /);
  assert.equal((await staff.post(`/beheer/nieuws/${id}/verwijderen`, { csrf: csrfOf(ask.text) })).status, 404);
  for (const p of [`/beheer/nieuws/${id}`, '/beheer/nieuws/abc', `/beheer/nieuws/${id}/verwijderen`, '/beheer/paginas/bestaat-niet', '/beheer/paginas/Contact']) {
    assert.equal((await staff.get(p)).status, 404, p);
  }
});

test('the news every site had before stays published', async () => {
  assert.equal(await sqlValue(srv.dbUrl, "SELECT published FROM news WHERE slug = 'nieuwe-data-licentieverlenging'"), '1');
  assert.equal((await srv.get('/nieuws/nieuwe-data-licentieverlenging')).status, 200);
});

test('a page\'s new title and text are on the site, with old → new in the audit line', async () => {
  const list = await staff.get('/beheer/paginas');
  assert.equal(list.status, 200);
  const t = text(list.text);
  for (const title of ['Wie zijn wij', 'Contact', 'Privacyverklaring', 'Cookies', 'Toegankelijkheidsverklaring', 'Algemene voorwaarden']) {
    assert.match(t, new RegExp(title), title);
  }
  const oldChars = await sqlValue(srv.dbUrl, "SELECT length(body) FROM pages WHERE slug = 'wie-zijn-wij'");
  const body = '## Onze geschiedenis\r\n\r\nSinds **1990** leiden wij vakmensen op.\r\n\r\n<script>alert(3)</script>';
  const preview = await postForm('/beheer/paginas/wie-zijn-wij', { titel: 'Over ons', tekst: body, actie: 'voorbeeld' });
  assert.equal(preview.status, 200);
  assert.match(preview.text, /<h3 class="preview-title">Over ons<\/h3>/);
  assert.match(preview.text, /<h2>Onze geschiedenis<\/h2>/);
  assert.doesNotMatch(preview.text, /<script>alert/);
  assert.equal((await srv.get('/wie-zijn-wij')).text.includes('Onze geschiedenis'), false, 'a preview stores nothing');

  const r = await postForm('/beheer/paginas/wie-zijn-wij', { titel: 'Over ons', tekst: body, actie: 'opslaan' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/beheer/paginas/wie-zijn-wij');
  assert.match(text((await staff.get('/beheer/paginas/wie-zijn-wij')).text), /De pagina is opgeslagen\./);
  const pub = await srv.get('/wie-zijn-wij');
  assert.match(pub.text, /<h1>Over ons<\/h1>/);
  assert.match(pub.text, /<strong>1990<\/strong>/);
  assert.doesNotMatch(pub.text, /<script>alert/);
  // stored with its line ends as \n (the browser sent \r\n)
  assert.equal(await sqlValue(srv.dbUrl, "SELECT replace(body, '\n', '¶') FROM pages WHERE slug = 'wie-zijn-wij'"), body.replace(/\r\n/g, '¶'));

  const [line] = await auditLines('pagina_gewijzigd');
  assert.equal(line.subject, 'Over ons');
  const [titel, tekst] = line.changes.split(' ; ');
  assert.equal(titel, 'titel: Wie zijn wij → Over ons');
  assert.match(tekst, new RegExp(`^tekst: ${oldChars} tekens: De Onderwijsgroep .+… → ${[...body.replace(/\r\n/g, '\n')].length} tekens: ## Onze geschiedenis`));
});

test('a page form with errors keeps the text; a long text is taken whole', async () => {
  const r = await postForm('/beheer/paginas/cookies', { titel: '', tekst: 'Alleen *functionele* cookies.', actie: 'opslaan' });
  assert.equal(r.status, 200);
  assert.match(r.text, /Vul een titel in\./);
  assert.match(r.text, />Alleen \*functionele\* cookies\.<\/textarea>/);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT title FROM pages WHERE slug = 'cookies'"), 'Cookies');

  // longer than a form value may usually be (8 KiB)
  const long = Array.from({ length: 400 }, (_, i) => `Alinea ${i}: wij verwerken uw gegevens zorgvuldig.`).join('\n\n');
  assert.ok(long.length > 16000);
  const ok = await postForm('/beheer/paginas/privacyverklaring', { titel: 'Privacyverklaring', tekst: long, actie: 'opslaan' });
  assert.equal(ok.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT length(body) FROM pages WHERE slug = 'privacyverklaring'"), String(long.length));
  assert.match(text((await srv.get('/privacyverklaring')).text), /Alinea 399: wij verwerken/);
  // too long: said next to the field, and the text is still there to shorten
  const tooLong = `${long}\n\n${'x'.repeat(32000 - long.length)}`;
  const refused = await postForm('/beheer/paginas/privacyverklaring', { titel: 'Privacyverklaring', tekst: tooLong, actie: 'opslaan' });
  assert.equal(refused.status, 200);
  assert.match(refused.text, /Maximaal 32000 tekens\./);
  assert.ok(refused.text.includes(`${'x'.repeat(32000 - long.length)}</textarea>`), 'the typed text is kept');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT length(body) FROM pages WHERE slug = 'privacyverklaring'"), String(long.length));
});

test('the general terms are shown read-only with the reason, and a POST changes nothing', async () => {
  const page = await staff.get('/beheer/paginas/algemene-voorwaarden');
  assert.equal(page.status, 200);
  assert.match(text(page.text), /Deze pagina is hier niet te wijzigen\. Wie zich inschrijft en de factuur zelf betaalt, gaat akkoord met een bepaalde versie/);
  assert.match(page.text, /Versie 2026-1/);
  assert.doesNotMatch(page.text, /<textarea/);
  const before = await sqlValue(srv.dbUrl, "SELECT body FROM pages WHERE slug = 'algemene-voorwaarden'");
  const lines = await sqlValue(srv.dbUrl, "SELECT count(*) FROM audit_log WHERE action = 'pagina_gewijzigd'");
  const r = await staff.post('/beheer/paginas/algemene-voorwaarden', { csrf: csrfOf((await staff.get('/beheer/paginas/wie-zijn-wij')).text), titel: 'Voorwaarden', tekst: 'Alles mag.', actie: 'opslaan' });
  assert.equal(r.status, 403);
  assert.match(text(r.text), /Deze pagina is hier niet te wijzigen/);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT body FROM pages WHERE slug = 'algemene-voorwaarden'"), before);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM audit_log WHERE action = 'pagina_gewijzigd'"), lines);
});
