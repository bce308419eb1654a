// Accounts (the manual's login chapter): log in, remember me, log out, password forgotten,
// activation, CSRF, the brake on abuse (more in brake.test.mjs) and the audit log — against the real server and database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startServer, makeClient, repoRoot } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { totpAt, totpStep, totpKeyOf } from './lib/portal.mjs';

const PW = 'Cursus!2026';
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)?.[1];
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/\s+/g, ' ');

async function login(client, user, pw = PW, extra = {}) {
  const page = await client.get('/inloggen');
  return client.post('/inloggen', { csrf: csrfOf(page.text), gebruikersnaam: user, wachtwoord: pw, ...extra });
}

const mailsTo = (to) => srv.mailsTo(to);

const waitForMail = (to, count, timeoutMs) => srv.waitForMail(to, count, timeoutMs);

const linkIn = (mail) => {
  const m = mail.text.match(/http:\/\/127\.0\.0\.1:\d+\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+/);
  assert.ok(m, 'the email has a link');
  return m[0].slice(srv.url.length);
};

test('J3: login with the email address, case and spaces do not matter; the name stands top right', async () => {
  const c = makeClient(srv.url);
  const r = await login(c, '  Martin.Sommer@EXAMPLE.nl ');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mijn');
  const cookie = r.headers.getSetCookie().find((x) => x.startsWith('kp_sessie='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const mijn = await c.get('/mijn');
  assert.equal(mijn.status, 200);
  assert.match(mijn.text, /<summary><span class="sr-only">Ingelogd als <\/span><span class="who"><span class="who-name">Martin Sommer<\/span> <span class="who-context">als persoon<\/span><\/span><\/summary>/);
  for (const item of ['Mijn gegevens', 'Uitloggen']) assert.ok(mijn.text.includes(item), item);
  assert.ok(!mijn.text.includes('Organisatie kiezen'), 'Martin has no organisation to choose');
  assert.doesNotMatch(mijn.text, />Inloggen</);
  // the session is stored hashed only
  const token = c.cookie('kp_sessie');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM sessions WHERE token_hash = '${token}'`), '0');
  assert.equal(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM sessions'), '1');
});

/** The message right under a field's label, and the summary's line that links to it. */
const fieldError = (html, name) => html.match(new RegExp(`<p class="field-error" id="f-${name}-fout"><span class="sr-only">Fout: </span>([^<]*)</p>`))?.[1];
const summaryLine = (html, name) => html.match(new RegExp(`<div class="error-summary"[\\s\\S]*?<a href="#f-${name}">([^<]*)</a>`))?.[1];

test('J3: a wrong password or unknown name gives one generic error and keeps the username', async () => {
  const pages = [];
  for (const user of ['jan.devries@example.nl', 'niemand@example.nl', 'geen-adres']) {
    const c = makeClient(srv.url);
    const r = await login(c, user, 'Fout!wachtwoord1');
    assert.equal(r.status, 200);
    // the error pattern: "Fout:" in the title, the summary, the message under the field
    assert.match(r.text, /<title>Fout: Inloggen - /);
    assert.equal(summaryLine(r.text, 'wachtwoord'), 'Wachtwoord: Gebruikersnaam of wachtwoord onjuist.');
    assert.equal(fieldError(r.text, 'wachtwoord'), 'Gebruikersnaam of wachtwoord onjuist.');
    assert.equal(fieldError(r.text, 'gebruikersnaam'), undefined);
    assert.match(r.text, new RegExp(`name="gebruikersnaam" type="email" value="${user}"[^>]*autocomplete="username"`));
    // the password is never sent back
    assert.doesNotMatch(r.text, /Fout!wachtwoord1/);
    assert.match(r.text, /name="wachtwoord" type="password" value=""[^>]*autocomplete="current-password"/);
    assert.equal(c.cookie('kp_sessie'), undefined);
    pages.push(text(r.text).replace(user, ''));
  }
  assert.equal(pages[1], pages[0], 'an unknown name gets the very page a wrong password gets');
  assert.equal(pages[2], pages[0], 'so does a name that is not an address');

  // nothing filled in: a message under each field; the labels are as before, unmarked
  const c = makeClient(srv.url);
  const form = await c.get('/inloggen');
  assert.match(form.text, /<title>Inloggen - /);
  assert.doesNotMatch(form.text, /error-summary|verplicht/);
  assert.match(form.text, /<label for="f-gebruikersnaam">Gebruikersnaam<\/label>/);
  assert.match(form.text, /<label for="f-wachtwoord">Wachtwoord<\/label>/);
  const r = await c.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: ' ', wachtwoord: '' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<title>Fout: Inloggen - /);
  assert.equal(fieldError(r.text, 'gebruikersnaam'), 'Vul uw gebruikersnaam in.');
  assert.equal(fieldError(r.text, 'wachtwoord'), 'Vul uw wachtwoord in.');
  assert.equal(summaryLine(r.text, 'gebruikersnaam'), 'Gebruikersnaam: Vul uw gebruikersnaam in.');
});

test('a new session id at every login', async () => {
  const c = makeClient(srv.url);
  await login(c, 'jan.devries@example.nl');
  const first = c.cookie('kp_sessie');
  // logged in, Inloggen itself sends on; a login posted from the start page's token
  assert.equal((await c.get('/inloggen')).status, 303);
  const csrf = csrfOf((await c.get('/mijn')).text);
  const r = await c.post('/inloggen', { csrf, gebruikersnaam: 'jan.devries@example.nl', wachtwoord: PW });
  assert.equal(r.status, 303);
  assert.ok(c.cookie('kp_sessie'));
  assert.notEqual(c.cookie('kp_sessie'), first);
});

test('/mijn needs a login and comes back there afterwards; terug takes local paths only', async () => {
  const c = makeClient(srv.url);
  const r = await c.get('/mijn');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/inloggen?terug=%2Fmijn');
  // with organisations, the choice comes first and carries terug along
  const deby = await login(makeClient(srv.url), 'deby.rummens@example.nl', PW, { terug: '/cursusagenda' });
  assert.equal(deby.headers.get('location'), '/organisatie-kiezen?terug=%2Fcursusagenda');
  const form = await c.get('/inloggen?terug=%2Fmijn');
  assert.match(form.text, /name="terug" value="\/mijn"/);
  const ok = await c.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: 'martin.sommer@example.nl', wachtwoord: PW, terug: '/cursusagenda?q=lv' });
  assert.equal(ok.headers.get('location'), '/cursusagenda?q=lv');
  for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
    const e = makeClient(srv.url);
    const res = await login(e, 'martin.sommer@example.nl', PW, { terug: evil });
    assert.equal(res.headers.get('location'), '/mijn', evil);
  }
});

test('a POST without a valid CSRF token gets 403 and changes nothing', async () => {
  const c = makeClient(srv.url);
  await c.get('/inloggen');
  let r = await c.post('/inloggen', { gebruikersnaam: 'martin.sommer@example.nl', wachtwoord: PW });
  assert.equal(r.status, 403);
  assert.equal(c.cookie('kp_sessie'), undefined);
  r = await c.post('/inloggen', { csrf: 'x'.repeat(43), gebruikersnaam: 'martin.sommer@example.nl', wachtwoord: PW });
  assert.equal(r.status, 403);
  const before = await sqlValue(srv.dbUrl, 'SELECT count(*) FROM outbox');
  r = await makeClient(srv.url).post('/wachtwoord-opvragen', { gebruikersnaam: 'martin.sommer@example.nl' });
  assert.equal(r.status, 403);
  assert.equal(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM outbox'), before);
  // a logged-in person's token is the session's, not someone else's
  const a = makeClient(srv.url);
  await login(a, 'martin.sommer@example.nl');
  const other = makeClient(srv.url);
  const otherCsrf = csrfOf((await other.get('/inloggen')).text);
  r = await a.post('/uitloggen', { csrf: otherCsrf });
  assert.equal(r.status, 403);
  assert.equal((await a.get('/mijn')).status, 200, 'still logged in');
});

test('remember me: back in after a browser restart, the token rotates, the username is prefilled', async () => {
  const c = makeClient(srv.url);
  await login(c, 'jan.devries@example.nl', PW, { onthoud: '1' });
  const remembered = c.cookie('kp_onthoud');
  assert.ok(remembered);
  const setCookie = (await login(makeClient(srv.url), 'jan.devries@example.nl', PW, { onthoud: '1' })).headers.getSetCookie();
  assert.match(setCookie.find((x) => x.startsWith('kp_onthoud=')), /Max-Age=2592000/);

  // "restart": the browser drops its session cookie, keeps the persistent ones
  const restarted = makeClient(srv.url);
  restarted.cookies.set('kp_onthoud', remembered);
  restarted.cookies.set('kp_gebruiker', c.cookie('kp_gebruiker'));
  const r = await restarted.get('/mijn');
  assert.equal(r.status, 200);
  assert.match(r.text, /Jan de Vries/);
  assert.notEqual(restarted.cookie('kp_onthoud'), remembered, 'rotated at use');
  const selector = remembered.split('.')[0];
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM remember_tokens WHERE selector = '${selector}'`), '0');

  // the old cookie is worthless now
  const thief = makeClient(srv.url);
  thief.cookies.set('kp_onthoud', remembered);
  assert.equal((await thief.get('/mijn')).status, 303);

  // the username is prefilled on Inloggen
  const fresh = makeClient(srv.url);
  fresh.cookies.set('kp_gebruiker', c.cookie('kp_gebruiker'));
  const form = await fresh.get('/inloggen');
  assert.match(form.text, /value="jan\.devries@example\.nl"/);
  assert.match(form.text, /id="onthoud" name="onthoud" type="checkbox" value="1" checked/);
});

test('J13: Uitloggen ends the session on the server, revokes remember-me and clears the browser', async () => {
  const c = makeClient(srv.url);
  await login(c, 'martin.sommer@example.nl', PW, { onthoud: '1' });
  const session = c.cookie('kp_sessie');
  const selector = c.cookie('kp_onthoud').split('.')[0];
  const page = await c.get('/mijn');
  const r = await c.post('/uitloggen', { csrf: csrfOf(page.text) });
  assert.equal(r.status, 303);
  const cleared = r.headers.getSetCookie();
  for (const name of ['kp_sessie', 'kp_onthoud', 'kp_gebruiker']) {
    assert.ok(cleared.some((x) => x.startsWith(`${name}=;`) && /Max-Age=0/.test(x)), name);
  }
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM remember_tokens WHERE selector = '${selector}'`), '0');
  const replay = makeClient(srv.url);
  replay.cookies.set('kp_sessie', session);
  assert.equal((await replay.get('/mijn')).status, 303, 'the old session id no longer works');
  const home = await c.get('/');
  assert.match(home.text, />Inloggen</);
});

test('J4: Wachtwoord opvragen → email → link → new password → logged in; the link works once', async () => {
  const other = makeClient(srv.url);
  await login(other, 'deby.rummens@example.nl');
  assert.equal((await other.get('/mijn')).status, 200);

  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  assert.match(form.text, />Aanvragen</);
  const r = await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'Deby.Rummens@example.nl' });
  assert.equal(r.status, 303);
  assert.match(text((await c.get(r.headers.get('location'))).text), /Er is een bericht gestuurd naar uw e-mailadres/);
  const [mail] = await waitForMail('deby.rummens@example.nl');
  assert.match(mail.subject, /Wachtwoord opvragen/);
  assert.match(mail.html, /Wachtwoord wijzigen/);
  const link = linkIn(mail);
  const token = link.split('token=')[1];
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM account_tokens WHERE token_hash = '${token}'`), '0', 'stored hashed');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT max(expires_at - created_at) FROM account_tokens WHERE kind = 'reset'"), '3600');

  const page = await c.get(link);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  const csrf = csrfOf(page.text);

  // the form: the rules with the new password, which points to them; labels unmarked
  assert.match(page.text, /<label for="f-wachtwoord">Nieuw wachtwoord<\/label>\s*<div class="rules" id="wachtwoord-eisen">/);
  assert.match(page.text, /id="f-wachtwoord" name="wachtwoord" type="password" value=""[^>]*autocomplete="new-password"[^>]*aria-describedby="wachtwoord-eisen"/);
  assert.match(page.text, /<label for="f-wachtwoord_bevestiging">Bevestig wachtwoord<\/label>/);
  assert.doesNotMatch(page.text, /error-summary/);

  let bad = await c.post(link, { csrf, wachtwoord: 'kort', wachtwoord_bevestiging: 'kort' });
  let t = text(bad.text);
  assert.match(t, /Gebruik minimaal 8 tekens\./);
  assert.match(t, /drie van de vier groepen/);
  // the error pattern: "Fout:" in the title, the summary, every broken rule under the field
  assert.equal(bad.status, 200);
  assert.match(bad.text, /<title>Fout: Nieuw wachtwoord instellen - /);
  assert.match(fieldError(bad.text, 'wachtwoord'), /^Gebruik minimaal 8 tekens\. Gebruik tekens uit minimaal drie van de vier groepen/);
  assert.match(summaryLine(bad.text, 'wachtwoord'), /^Nieuw wachtwoord: Gebruik minimaal 8 tekens\./);
  assert.match(bad.text, /aria-describedby="wachtwoord-eisen f-wachtwoord-fout" aria-invalid="true"/);
  assert.doesNotMatch(bad.text, /value="kort"/, 'never sent back');
  bad = await c.post(link, { csrf, wachtwoord: 'Rummens!2026', wachtwoord_bevestiging: 'Rummens!2026' });
  assert.match(text(bad.text), /Gebruik geen \(deel van\) uw naam of e-mailadres\./);
  bad = await c.post(link, { csrf, wachtwoord: 'password1', wachtwoord_bevestiging: 'password1' });
  assert.match(text(bad.text), /komt te vaak voor/);
  bad = await c.post(link, { csrf, wachtwoord: 'Kievit!Zwaluw27', wachtwoord_bevestiging: 'Kievit!Zwaluw28' });
  assert.match(text(bad.text), /De wachtwoorden zijn niet gelijk\./);
  assert.equal(fieldError(bad.text, 'wachtwoord_bevestiging'), 'De wachtwoorden zijn niet gelijk.');
  assert.equal(fieldError(bad.text, 'wachtwoord'), undefined);
  assert.doesNotMatch(bad.text, /Kievit!Zwaluw2/, 'neither password is sent back');
  bad = await c.post(link, { csrf });
  assert.equal(fieldError(bad.text, 'wachtwoord'), 'Vul een nieuw wachtwoord in.');
  assert.equal(fieldError(bad.text, 'wachtwoord_bevestiging'), 'Vul het wachtwoord nogmaals in.');
  assert.equal(c.cookie('kp_sessie'), undefined, 'nothing changed yet');

  const ok = await c.post(link, { csrf, wachtwoord: 'Kievit!Zwaluw27', wachtwoord_bevestiging: 'Kievit!Zwaluw27' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/mijn');
  const mijn = await c.get('/mijn');
  assert.match(mijn.text, /<span class="who-name">Deby Rummens - Heijnen<\/span>/);
  assert.equal((await other.get('/mijn')).status, 303, 'other sessions ended');
  assert.equal((await login(makeClient(srv.url), 'deby.rummens@example.nl', PW)).status, 200, 'old password gone');
  assert.equal((await login(makeClient(srv.url), 'deby.rummens@example.nl', 'Kievit!Zwaluw27')).status, 303);

  const again = await makeClient(srv.url).get(link);
  assert.equal(again.status, 410);
  assert.match(text(again.text), /Deze link werkt niet meer/);
});

test('the manual\'s example: Martin Sommer may not use $omm1234Q', async () => {
  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  const before = (await mailsTo('martin.sommer@example.nl')).length;
  await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'martin.sommer@example.nl' });
  const mails = await waitForMail('martin.sommer@example.nl', before + 1);
  const link = linkIn(mails[mails.length - 1]);
  const page = await c.get(link);
  const r = await c.post(link, { csrf: csrfOf(page.text), wachtwoord: '$omm1234Q', wachtwoord_bevestiging: '$omm1234Q' });
  assert.equal(r.status, 200);
  assert.match(text(r.text), /Gebruik geen \(deel van\) uw naam of e-mailadres\./);
});

test('a newer link voids the older one; a link expires', async () => {
  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  const before = (await srv.mails()).filter((m) => m.to.value[0].address === 'jan.devries@example.nl').length;
  await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'jan.devries@example.nl' });
  await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'jan.devries@example.nl' });
  const mails = await waitForMail('jan.devries@example.nl', before + 2);
  const older = linkIn(mails[mails.length - 2]);
  const newer = linkIn(mails[mails.length - 1]);
  assert.notEqual(older, newer);
  assert.equal((await c.get(older)).status, 410);
  assert.equal((await c.get(newer)).status, 200);
  await sql(srv.dbUrl, "UPDATE account_tokens SET expires_at = created_at - 1 WHERE kind = 'reset' AND used_at IS NULL");
  assert.equal((await c.get(newer)).status, 410);
});

test('an unknown username gets the manual\'s error and no email', async () => {
  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  const before = await sqlValue(srv.dbUrl, 'SELECT count(*) FROM outbox');
  const r = await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'onbekend@example.nl' });
  assert.equal(r.status, 200);
  assert.match(text(r.text), /Deze gebruikersnaam is niet bekend/);
  assert.equal(await sqlValue(srv.dbUrl, 'SELECT count(*) FROM outbox'), before);
  // the error pattern, and the name kept
  const msg = 'Deze gebruikersnaam is niet bekend. Controleer de schrijfwijze of neem contact op met de administratie.';
  assert.match(r.text, /<title>Fout: Wachtwoord opvragen - /);
  assert.equal(fieldError(r.text, 'gebruikersnaam'), msg);
  assert.equal(summaryLine(r.text, 'gebruikersnaam'), `Gebruikersnaam: ${msg}`);
  assert.match(r.text, /name="gebruikersnaam" type="email" value="onbekend@example.nl"/);
  const empty = await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: '' });
  assert.equal(fieldError(empty.text, 'gebruikersnaam'), 'Vul uw gebruikersnaam (uw e-mailadres) in.');
  assert.match(empty.text, /<title>Fout: Wachtwoord opvragen - /);
});

test('Wachtwoord opvragen: the notice comes after a redirect, once; a reload neither repeats it nor sends again', async () => {
  const user = 'jan.devries@example.nl';
  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  const before = await sqlValue(srv.dbUrl, `SELECT count(*) FROM outbox WHERE to_address = '${user}'`);
  const r = await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: user });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/wachtwoord-opvragen');
  assert.doesNotMatch(r.headers.get('location'), /melding|verstuurd/, 'no notice in the address');
  const notice = /<p class="notice flash success" role="status">Er is een bericht gestuurd naar uw e-mailadres\. Open het bericht en klik op de link om uw wachtwoord te wijzigen\. De link werkt één keer en is 60 minuten geldig\.<\/p>/;
  const shown = await c.get('/wachtwoord-opvragen');
  assert.equal(shown.status, 200);
  assert.match(shown.text, notice);
  assert.match(shown.text, /<title>Wachtwoord opvragen - /);
  const reload = await c.get('/wachtwoord-opvragen');
  assert.doesNotMatch(reload.text, /Er is een bericht gestuurd/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM outbox WHERE to_address = '${user}'`), String(Number(before) + 1));
  // the notice is the portal's own text: a planted cookie shows nothing
  const planted = makeClient(srv.url);
  planted.cookies.set('kp_melding', 'Uw%20account%20is%20geblokkeerd');
  assert.doesNotMatch((await planted.get('/wachtwoord-opvragen')).text, /geblokkeerd|notice flash/);
});

test('the brake: after 5 failures a new browser at that address is asked to wait N seconds; a reset still works', async () => {
  const user = 'jan.devries@example.nl';
  await sql(srv.dbUrl, "DELETE FROM auth_attempts");
  for (let i = 0; i < 5; i++) {
    const r = await login(makeClient(srv.url), user, `Fout!${i}wachtwoord`);
    assert.equal(r.status, 200);
  }
  const blocked = await login(makeClient(srv.url), user, PW);
  assert.equal(blocked.status, 429);
  assert.match(text(blocked.text), /Te veel mislukte pogingen\. Probeer het over \d+ seconden opnieuw\./);
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM audit_log WHERE action = 'login_geblokkeerd'"), '1');

  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  const before = (await mailsTo(user)).length;
  await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: user });
  const mails = await waitForMail(user, before + 1);
  const link = linkIn(mails[mails.length - 1]);
  const page = await c.get(link);
  const ok = await c.post(link, { csrf: csrfOf(page.text), wachtwoord: 'Kievit!Zwaluw27', wachtwoord_bevestiging: 'Kievit!Zwaluw27' });
  assert.equal(ok.status, 303);
  assert.equal((await login(makeClient(srv.url), user, 'Kievit!Zwaluw27')).status, 303);
});

test('the audit log records account events, never a password or token', async () => {
  const rows = await sql(srv.dbUrl, 'SELECT action, subject, detail, client_ip FROM audit_log');
  const actions = new Set(rows.map((r) => r[0]));
  for (const a of ['login', 'login_mislukt', 'logout', 'reset_aangevraagd', 'wachtwoord_gewijzigd', 'reset_onbekend']) {
    assert.ok(actions.has(a), `audit has ${a}`);
  }
  const all = rows.flat().join(' ');
  assert.doesNotMatch(all, /Cursus!2026|Kievit!Zwaluw27|Fout!|token=/);
  // every line a request wrote names where it came from (the demo's invoices were made by no request)
  const fromRequests = rows.filter((r) => !/^(factuur|creditfactuur)_/.test(r[0]));
  assert.ok(fromRequests.length > 0 && fromRequests.every((r) => r[3] === '127.0.0.1'));
});

function staffAdd(...args) {
  const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));
  return new Promise((resolve) => {
    execFile(bin, ['staff', 'add', ...args],
      { env: { ...process.env, KLANTPORTAL_DB: srv.dbUrl, KLANTPORTAL_MAIL_DIR: srv.mailDir, KLANTPORTAL_BASE_URL: srv.url,
        KLANTPORTAL_SECRET_KEY_FILE: path.join(srv.tmpDir, 'klantportal.key') } },
      (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

async function activate(link, name) {
  const c = makeClient(srv.url);
  const page = await c.get(link);
  assert.match(text(page.text), /Toegang activeren/);
  const r = await c.post(link, { csrf: csrfOf(page.text), wachtwoord: 'Kievit!Zwaluw27', wachtwoord_bevestiging: 'Kievit!Zwaluw27' });
  assert.equal(r.status, 303);
  // a staff account sets up its second factor before its first session
  assert.equal(r.headers.get('location'), '/inloggen/tweestapsverificatie');
  assert.equal((await c.get('/mijn')).status, 303, 'no session before the code');
  const enrol = await c.get('/inloggen/tweestapsverificatie');
  const key = totpKeyOf(enrol.text);
  const done = await c.post('/inloggen/tweestapsverificatie', { csrf: csrfOf(enrol.text), code: totpAt(key, totpStep()) });
  assert.equal(done.status, 200);
  assert.match((await c.get('/mijn')).text, new RegExp(`<span class="who-name">${name}</span>`));
  assert.equal((await makeClient(srv.url).get(link)).status, 410);
}

test('staff add emails the activation link and shows no link; the link activates a staff account', async () => {
  const out = await staffAdd('--email', 'Nieuw.Medewerker@example.nl', '--name', 'Nieuw Medewerker');
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /Activatiemail voor nieuw\.medewerker@example\.nl staat klaar/);
  assert.doesNotMatch(out.stdout + out.stderr, /token=/);
  const [mail] = await waitForMail('nieuw.medewerker@example.nl');
  assert.match(mail.subject, /Activeer uw toegang/);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT is_staff FROM persons WHERE email = 'nieuw.medewerker@example.nl'"), '1');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT max(expires_at - created_at) FROM account_tokens WHERE kind = 'activatie'"), String(7 * 24 * 3600));
  await activate(linkIn(mail), 'Nieuw Medewerker');
});

test('staff add --print-link shows the link on the console and sends no mail; the link works once', async () => {
  const out = await staffAdd('--email', 'console.medewerker@example.nl', '--name', 'Console Medewerker', '--print-link');
  assert.equal(out.code, 0, out.stderr);
  const printed = out.stdout.match(/\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+/)[0];
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await mailsTo('console.medewerker@example.nl')).length, 0);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM outbox WHERE to_address = 'console.medewerker@example.nl'"), '0');
  await activate(printed, 'Console Medewerker');
});

test('the brake holds against guesses sent all at once', async () => {
  await sql(srv.dbUrl, 'DELETE FROM auth_attempts');
  const user = 'martin.sommer@example.nl';
  const clients = await Promise.all(Array.from({ length: 20 }, async () => {
    const c = makeClient(srv.url);
    const page = await c.get('/inloggen');
    return { c, csrf: csrfOf(page.text) };
  }));
  const answers = await Promise.all(clients.map(({ c, csrf }, i) =>
    c.post('/inloggen', { csrf, gebruikersnaam: user, wachtwoord: `Gok!${i}wachtwoord` })));
  const checked = answers.filter((r) => r.status === 200).length;
  const refused = answers.filter((r) => r.status === 429).length;
  assert.equal(checked, 5, 'only five guesses were checked');
  assert.equal(refused, 15);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM auth_attempts WHERE account = '${user}'`), '5');
  await sql(srv.dbUrl, 'DELETE FROM auth_attempts');
});

test('a remember-me cookie used twice at the same moment logs in once', async () => {
  const c = makeClient(srv.url);
  await login(c, 'martin.sommer@example.nl', PW, { onthoud: '1' });
  const cookie = c.cookie('kp_onthoud');
  const person = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'martin.sommer@example.nl'");
  await sql(srv.dbUrl, `DELETE FROM sessions WHERE person_id = ${person}`);
  const answers = await Promise.all(Array.from({ length: 10 }, () => {
    const t = makeClient(srv.url);
    t.cookies.set('kp_onthoud', cookie);
    return t.get('/mijn');
  }));
  assert.equal(answers.filter((r) => r.status === 200).length, 1);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM sessions WHERE person_id = ${person}`), '1');
});

test('sessions end after 2 hours idle or 12 hours in all', async () => {
  const idle = makeClient(srv.url);
  await login(idle, 'martin.sommer@example.nl');
  assert.equal((await idle.get('/mijn')).status, 200);
  const person = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'martin.sommer@example.nl'");
  await sql(srv.dbUrl, `UPDATE sessions SET last_seen_at = last_seen_at - 7201 WHERE person_id = ${person}`);
  assert.equal((await idle.get('/mijn')).status, 303, 'idle too long');
  const old = makeClient(srv.url);
  await login(old, 'martin.sommer@example.nl');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT expires_at - created_at FROM sessions WHERE person_id = ${person}`), String(12 * 3600));
  await sql(srv.dbUrl, `UPDATE sessions SET expires_at = created_at - 1 WHERE person_id = ${person}`);
  assert.equal((await old.get('/mijn')).status, 303, 'too old');
});

test('email links come from KLANTPORTAL_BASE_URL, never from the Host header; token pages stay out of the log', async () => {
  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  const before = (await mailsTo('deby.rummens@example.nl')).length;
  await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'deby.rummens@example.nl' },
    { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
  const mails = await waitForMail('deby.rummens@example.nl', before + 1);
  const mail = mails[mails.length - 1];
  assert.doesNotMatch(mail.text + mail.html, /evil\.example/);
  const link = linkIn(mail);
  await c.get(link);
  assert.doesNotMatch(srv.stderr(), /token=/);
  assert.match(srv.stderr(), /GET \/wachtwoord-instellen 200/);
});
