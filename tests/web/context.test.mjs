// For whom one acts, always in sight: the context under the name on every page, Organisatie
// kiezen that brings the person back to the page they were on (or the start page), the Mijn
// Onderwijsgroep menu, the notices after each action (shown once, never through the page
// cache) and an error page that says why. The page cache is on, as in production.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { csrfOf, text, loginAs, orgId, actingAs } from './lib/portal.mjs';

let srv;
before(async () => { srv = await startServer({ env: { KLANTPORTAL_PAGE_CACHE_MS: '5000' } }); });
after(async () => { await srv?.stop(); });

const who = (html) => {
  const m = html.match(/<span class="who-name">([^<]*)<\/span> <span class="who-context">([^<]*)<\/span>/);
  return m && { name: m[1], context: m[2].replace(/&amp;/g, '&') };
};
const menuTop = (html) => text(html.match(/<p class="usermenu-who">([\s\S]*?)<\/p>/)?.[1] || '').trim();
const notices = (html) => [...html.matchAll(/<p class="notice flash (\w+)" role="status">([^<]*)<\/p>/g)].map((m) => `${m[1]}: ${m[2]}`);
const chooseHref = (html) => html.match(/<li><a href="(\/organisatie-kiezen[^"]*)">Organisatie kiezen<\/a><\/li>/)?.[1]?.replace(/&amp;/g, '&');
const hiddenTerug = (html) => html.match(/name="terug" value="([^"]*)"/)?.[1];

test('the context stands under the name on every page, public ones too, and at the top of the name menu', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  for (const p of ['/', '/cursusagenda', '/contact', '/mijn/gegevens']) {
    const r = await deby.get(p);
    assert.equal(r.status, 200, p);
    assert.deepEqual(who(r.text), { name: 'Deby Rummens - Heijnen', context: 'namens Herenbos Schagen (beheerder)' }, p);
    assert.equal(menuTop(r.text), 'Deby Rummens - Heijnen namens Herenbos Schagen (beheerder)', p);
  }
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  assert.deepEqual(who((await jan.get('/')).text), { name: 'Jan de Vries', context: 'namens Gemeente Heerhugowaard (medewerker)' });
  const persoon = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  assert.deepEqual(who((await persoon.get('/aanbod')).text), { name: 'Deby Rummens - Heijnen', context: 'als persoon' });
  // the public page as the cache holds it is nobody's: another visitor never sees a header of these
  const anon = await srv.get('/');
  assert.equal(who(anon.text), null);
  assert.match(anon.text, /<a class="login" href="\/inloggen\?terug=\/">Inloggen<\/a>/);
  // and a logged-in person is never served the cached anonymous copy
  assert.equal(who((await deby.get('/')).text).context, 'namens Herenbos Schagen (beheerder)');
});

test('Selecteer organisatie shows the role per organisation', async () => {
  const { c } = await loginAs(srv, 'deby.rummens@example.nl');
  const page = await c.get('/organisatie-kiezen');
  const rows = [...page.text.matchAll(/<span class="choice-name">([^<]+)<\/span> <span class="choice-role">([^<]+)<\/span>/g)].map((m) => `${m[1]}: ${m[2]}`);
  assert.deepEqual(rows, ['Deby Rummens - Heijnen: als persoon', 'Gemeente Heerhugowaard: beheerder', 'Herenbos Schagen: beheerder', 'ROC Kop van Noord-Holland: medewerker']);
});

test('Organisatie kiezen from Mijn organisatie comes back to it, with the notice once', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  const org = await deby.get('/mijn/organisatie');
  assert.match(org.text, /<p class="lead">Herenbos Schagen<\/p>/);
  const href = chooseHref(org.text);
  assert.equal(href, '/organisatie-kiezen?terug=%2Fmijn%2Forganisatie');
  const form = await deby.get(href);
  assert.equal(hiddenTerug(form.text), '/mijn/organisatie');
  const r = await deby.post('/organisatie-kiezen', { csrf: csrfOf(form.text), organisatie: await orgId(srv, 'Gemeente Heerhugowaard'), terug: hiddenTerug(form.text) });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mijn/organisatie');
  const back = await deby.get('/mijn/organisatie');
  assert.match(back.text, /<p class="lead">Gemeente Heerhugowaard<\/p>/);
  assert.deepEqual(notices(back.text), ['info: U werkt nu namens Gemeente Heerhugowaard (beheerder).']);
  assert.equal(who(back.text).context, 'namens Gemeente Heerhugowaard (beheerder)');
  assert.deepEqual(notices((await deby.get('/mijn/organisatie')).text), [], 'once');
  // the query of the page comes back too
  const agenda = await deby.get('/cursusagenda?q=medical');
  assert.equal(chooseHref(agenda.text), '/organisatie-kiezen?terug=%2Fcursusagenda%3Fq%3Dmedical');
});

test('switching to persoon from a beheerder page lands on the start page, saying so', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  const edit = await deby.get('/mijn/organisatie/aanpassen');
  assert.equal(edit.status, 200);
  const form = await deby.get(chooseHref(edit.text));
  const r = await deby.post('/organisatie-kiezen', { csrf: csrfOf(form.text), organisatie: 'persoon', terug: hiddenTerug(form.text) });
  assert.equal(r.headers.get('location'), '/mijn');
  const mijn = await deby.get('/mijn');
  assert.deepEqual(notices(mijn.text), ['info: U werkt nu als persoon.']);
  assert.equal(who(mijn.text).context, 'als persoon');
  // to a medewerker context from a beheerder page: the start page as well
  const again = await deby.get('/organisatie-kiezen?terug=%2Fmijn%2Forganisatie%2Faanpassen');
  const roc = await deby.post('/organisatie-kiezen', { csrf: csrfOf(again.text), organisatie: await orgId(srv, 'ROC Kop van Noord-Holland'), terug: '/mijn/organisatie/aanpassen' });
  assert.equal(roc.headers.get('location'), '/mijn');
  assert.deepEqual(notices((await deby.get('/mijn')).text), ['info: U werkt nu namens ROC Kop van Noord-Holland (medewerker).']);
  // back to Selecteer organisatie itself is never where OK leads
  const self = await deby.post('/organisatie-kiezen', { csrf: csrfOf(again.text), organisatie: 'persoon', terug: '/organisatie-kiezen?terug=%2Fmijn' });
  assert.equal(self.headers.get('location'), '/mijn');
});

test('no Organisatie kiezen for a person without organisations (Martin)', async () => {
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  for (const p of ['/mijn', '/mijn/gegevens', '/']) {
    const r = await martin.get(p);
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /Organisatie kiezen|organisatie-kiezen/, p);
    assert.equal(who(r.text).context, 'als persoon');
  }
  // Deby has it, in the name menu and as a card on the start page
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  const mijn = await deby.get('/mijn');
  assert.equal(chooseHref(mijn.text), '/organisatie-kiezen?terug=%2Fmijn');
  assert.match(mijn.text, /<h2><a href="\/organisatie-kiezen\?terug=%2Fmijn">Organisatie kiezen<\/a><\/h2>/);
});

test('Mijn Onderwijsgroep: the manual\'s menu and page titles', async () => {
  const nav = (html) => [...(html.match(/<nav class="mijnnav" aria-label="Mijn Onderwijsgroep">([\s\S]*?)<\/nav>/)?.[1] || '')
    .matchAll(/<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)(?: <span class="badge"[\s\S]*?)?<\/a>/g)].map((m) => [m[1], m[3], m[2] || '']);
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  let r = await deby.get('/mijn/gegevens');
  assert.match(r.text, /<title>Mijn gegevens — Persoonlijke gegevens - /);
  assert.deepEqual(nav(r.text), [['/mijn/gegevens', 'Persoonlijke gegevens', 'page'], ['/mijn/organisatie', 'Organisatiegegevens', ''], ['/mijn/dossier', 'Digitaal Dossier', ''], ['/mijn/facturen', 'Facturen', ''], ['/mijn/cursussen', 'Cursussen', '']]);
  r = await deby.get('/mijn/organisatie');
  assert.match(r.text, /<title>Mijn organisatie — Organisatiegegevens - /);
  assert.deepEqual(nav(r.text), [['/mijn/gegevens', 'Persoonlijke gegevens', ''], ['/mijn/organisatie', 'Organisatiegegevens', 'page'], ['/mijn/dossier', 'Digitaal Dossier', ''], ['/mijn/facturen', 'Facturen', ''], ['/mijn/cursussen', 'Cursussen', '']]);
  // a page within an item marks the item; its own title stays
  r = await deby.get('/mijn/wachtwoord');
  assert.match(r.text, /<title>Wachtwoord wijzigen - /);
  assert.deepEqual(nav(r.text)[0], ['/mijn/gegevens', 'Persoonlijke gegevens', 'true']);
  // as person no Organisatiegegevens
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  assert.deepEqual(nav((await martin.get('/mijn')).text), [['/mijn/gegevens', 'Persoonlijke gegevens', ''], ['/mijn/dossier', 'Digitaal Dossier', ''], ['/mijn/facturen', 'Facturen', ''], ['/mijn/cursussen', 'Cursussen', '']]);
  // public pages have no such menu
  assert.deepEqual(nav((await martin.get('/cursusagenda')).text), []);
});

test('Uitloggen says so once on the start page, past the page cache both ways', async () => {
  const anon = makeClient(srv.url);
  const cached = await anon.get('/'); // the start page is now in the cache
  assert.deepEqual(notices(cached.text), []);
  const { c } = await loginAs(srv, 'martin.sommer@example.nl');
  const mijn = await c.get('/mijn');
  const out = await c.post('/uitloggen', { csrf: csrfOf(mijn.text) });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/');
  const home = await c.get('/');
  assert.deepEqual(notices(home.text), ['info: U bent uitgelogd.']);
  assert.equal(who(home.text), null);
  assert.deepEqual(notices((await c.get('/')).text), [], 'once');
  // the page that showed it never went into the cache
  assert.deepEqual(notices((await anon.get('/')).text), []);
  assert.deepEqual(notices((await srv.get('/')).text), []);
});

test('a protected page sends to Inloggen with "Log in om verder te gaan", once', async () => {
  const c = makeClient(srv.url);
  const r = await c.get('/mijn/gegevens');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/inloggen?terug=%2Fmijn%2Fgegevens');
  const login = await c.get(r.headers.get('location'));
  assert.deepEqual(notices(login.text), ['info: Log in om verder te gaan.']);
  assert.deepEqual(notices((await c.get('/inloggen?terug=%2Fmijn%2Fgegevens')).text), [], 'once');
  // a visitor who simply opens Inloggen gets no such notice
  assert.deepEqual(notices((await makeClient(srv.url).get('/inloggen')).text), []);
});

test('a password set through the link says "Uw wachtwoord is ingesteld" (success)', async () => {
  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'jan.devries@example.nl' });
  const [mail] = await srv.waitForMail('jan.devries@example.nl');
  const link = mail.text.match(/\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+/)[0];
  const page = await c.get(link);
  const r = await c.post(link, { csrf: csrfOf(page.text), wachtwoord: 'Kievit!Zwaluw27', wachtwoord_bevestiging: 'Kievit!Zwaluw27' });
  assert.equal(r.headers.get('location'), '/mijn');
  const mijn = await c.get('/mijn');
  assert.deepEqual(notices(mijn.text), ['success: Uw wachtwoord is ingesteld.']);
  assert.deepEqual(notices((await c.get('/mijn')).text), [], 'once');
  assert.equal((await loginAs(srv, 'jan.devries@example.nl', 'Kievit!Zwaluw27')).r.status, 303);
});

test('the 403 page says why and offers Organisatie kiezen with the way back', async () => {
  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'ROC Kop van Noord-Holland');
  const r = await deby.get('/mijn/organisatie/aanpassen');
  assert.equal(r.status, 403);
  assert.match(text(r.text), /Deze pagina is alleen voor beheerders van ROC Kop van Noord-Holland\./);
  assert.match(r.text, /<a class="button" href="\/organisatie-kiezen\?terug=%2Fmijn%2Forganisatie%2Faanpassen">Organisatie kiezen<\/a>/);
  // acting as person: the organisation's page is not there, and the page says why
  const persoon = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  const p = await persoon.get('/mijn/organisatie');
  assert.equal(p.status, 404);
  assert.match(text(p.text), /Deze pagina is er alleen als u namens een organisatie werkt\./);
  assert.match(p.text, /href="\/organisatie-kiezen\?terug=%2Fmijn%2Forganisatie">Organisatie kiezen<\/a>/);
  // following it and choosing a beheerder context brings her to the page
  const form = await persoon.get('/organisatie-kiezen?terug=%2Fmijn%2Forganisatie');
  const back = await persoon.post('/organisatie-kiezen', { csrf: csrfOf(form.text), organisatie: await orgId(srv, 'Herenbos Schagen'), terug: hiddenTerug(form.text) });
  assert.equal(back.headers.get('location'), '/mijn/organisatie');
  // Martin has no organisation: for him the page simply does not exist
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const m = await martin.get('/mijn/organisatie');
  assert.equal(m.status, 404);
  assert.match(text(m.text), /Pagina niet gevonden/);
  assert.doesNotMatch(m.text, /organisatie-kiezen|namens een organisatie/);
});
