// The brake on guessing (Inloggen, Mijn gegevens, Wachtwoord opvragen): it holds against guessers
// but never locks the real owner out — against the real server and database (SQLite or
// PostgreSQL). Requests come from several loopback addresses (127.0.0.x) to play different
// clients, so the per-address limits are seen from the outside.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';

const PW = 'Cursus!2026';
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });
beforeEach(async () => { await sql(srv.dbUrl, 'DELETE FROM auth_attempts'); });

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)?.[1];
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const nowSec = () => Math.floor(Date.now() / 1000);
const LOCKED = /Te veel mislukte pogingen\. Probeer het over (\d+) seconden? opnieuw\./;

/** A cookie-keeping client whose requests leave from `from` (a 127.0.0.x address). */
function client(from = '127.0.0.1') {
  const jar = new Map();
  const u = new URL(srv.url);
  const request = (method, p, body) => new Promise((resolve, reject) => {
    const headers = {};
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const req = http.request({ host: u.hostname, port: u.port, path: p, method, headers, localAddress: from, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => {
        const setCookies = res.headers['set-cookie'] || [];
        for (const sc of setCookies) {
          const [pair, ...attrs] = sc.split(';');
          const eq = pair.indexOf('=');
          const name = pair.slice(0, eq).trim();
          const value = pair.slice(eq + 1).trim();
          if (value === '' || attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))) jar.delete(name);
          else jar.set(name, value);
        }
        resolve({ status: res.statusCode, headers: res.headers, setCookies, text: data });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(new URLSearchParams(body).toString());
    req.end();
  });
  return {
    from,
    jar,
    cookie: (name) => jar.get(name),
    get: (p) => request('GET', p),
    post: (p, form) => request('POST', p, form),
  };
}

async function login(c, user, pw = PW) {
  const page = await c.get('/inloggen');
  return c.post('/inloggen', { csrf: csrfOf(page.text), gebruikersnaam: user, wachtwoord: pw });
}

/** Wachtwoord opvragen as a browser does it: the answer to the POST, and the page shown after
 * its redirect (a known name is sent back to the form with a notice). */
async function reset(c, user) {
  const page = await c.get('/wachtwoord-opvragen');
  const r = await c.post('/wachtwoord-opvragen', { csrf: csrfOf(page.text), gebruikersnaam: user });
  if (r.status !== 303) return r;
  const shown = await c.get(r.headers.location);
  return { ...r, location: r.headers.location, text: shown.text };
}

let fresh = 0;
/** A new person with the demo password (a copy of Martin's hash), so tests do not share state. */
async function newPerson(name = 'petra') {
  fresh += 1;
  const email = `${name}.kuiper${fresh}@example.nl`;
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, last_name, email, password_hash, activated_at, created_at, updated_at)
    SELECT 'Petra', 'Kuiper', ${q(email)}, password_hash, ${nowSec()}, ${nowSec()}, ${nowSec()}
    FROM persons WHERE email = 'martin.sommer@example.nl'`);
  return email;
}

/** Wrong passwords from new browsers (no cookies) at this address; each is checked and refused. */
async function guess(user, n, from = '127.0.0.1') {
  for (let i = 0; i < n; i++) {
    const r = await login(client(from), user, `Gok!${i}wachtwoord`);
    assert.equal(r.status, 200, `guess ${i + 1} from ${from} is checked`);
    assert.match(text(r.text), /Gebruikersnaam of wachtwoord onjuist\./);
  }
}

/** A browser that logged in before (and logged out again): it carries a device cookie. */
async function knownBrowser(user, from = '127.0.0.1') {
  const c = client(from);
  assert.equal((await login(c, user)).status, 303);
  const page = await c.get('/mijn');
  assert.equal((await c.post('/uitloggen', { csrf: csrfOf(page.text) })).status, 303);
  assert.equal(c.cookie('kp_sessie'), undefined);
  assert.ok(c.cookie('kp_apparaat'), 'the device cookie is kept at logout');
  return c;
}

test('the device cookie: set at login, long-lived, stored only hashed, kept at logout', async () => {
  const user = await newPerson();
  const c = client();
  const r = await login(c, user);
  assert.equal(r.status, 303);
  const set = r.setCookies.find((x) => x.startsWith('kp_apparaat='));
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Lax/);
  assert.match(set, /Max-Age=31536000/);
  const token = c.cookie('kp_apparaat');
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM devices WHERE token_hash = ${q(token)}`), '0');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT p.email FROM devices d JOIN persons p ON p.id = d.person_id WHERE d.token_hash = ${q(hash)}`), user);

  const page = await c.get('/mijn');
  const out = await c.post('/uitloggen', { csrf: csrfOf(page.text) });
  assert.ok(!out.setCookies.some((x) => x.startsWith('kp_apparaat=')), 'logout leaves the device cookie alone');
  assert.equal(c.cookie('kp_apparaat'), token);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM devices WHERE token_hash = ${q(hash)}`), '1');

  // the next login from this browser keeps its token; one browser, two people: both are known
  assert.equal((await login(c, user)).status, 303);
  assert.equal(c.cookie('kp_apparaat'), token);
  const other = await newPerson('anna');
  await c.post('/uitloggen', { csrf: csrfOf((await c.get('/mijn')).text) });
  assert.equal((await login(c, other)).status, 303);
  const both = c.cookie('kp_apparaat').split('.');
  assert.equal(both.length, 2);
  assert.equal(both[1], token);
});

test('the right password from a known browser passes after many wrong ones from elsewhere', async () => {
  const user = await newPerson();
  const known = await knownBrowser(user);
  await guess(user, 5, '127.0.0.1');
  await guess(user, 5, '127.0.0.2');
  // the account is now closed to unknown browsers, even with the right password
  const stranger = await login(client('127.0.0.1'), user);
  assert.equal(stranger.status, 429);
  assert.match(text(stranger.text), LOCKED);
  for (let i = 0; i < 3; i++) {
    assert.equal((await login(client('127.0.0.3'), user, `Nog!${i}eengok`)).status, 429);
  }
  // the owner's browser, at the guessers' own address
  const r = await login(known, user);
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/mijn');
  assert.equal((await known.get('/mijn')).status, 200);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM auth_attempts WHERE account = ${q(user)}`), '10',
    'refused attempts are not recorded, the right one is forgotten');
  assert.ok(Number(await sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = 'login_geblokkeerd' AND subject = ${q(user)}`)) >= 1);
});

test('an unknown browser is told how long to wait: until the oldest counted failure leaves the window', async () => {
  const user = await newPerson();
  const at = nowSec() - 600;
  for (let i = 0; i < 5; i++) {
    await sql(srv.dbUrl, `INSERT INTO auth_attempts (kind, account, client_ip, at, settled) VALUES ('login', ${q(user)}, '127.0.0.1', ${at + i}, 1)`);
  }
  // the wait is 900 s after the oldest failure, counted from when the server answered
  const before = nowSec();
  const r = await login(client('127.0.0.1'), user);
  const after = nowSec();
  assert.equal(r.status, 429);
  const n = Number(text(r.text).match(LOCKED)?.[1]);
  assert.ok(n >= 900 - (after - at) - 1 && n <= 900 - (before - at) + 1,
    `wait ${n} s: 900 s after the oldest of the five (asked ${before - at}..${after - at} s after it)`);
  assert.equal(Number(r.headers['retry-after']), n);
  assert.match(r.text, /name="gebruikersnaam"[^>]*value="petra\.kuiper\d+@example\.nl"/, 'the login form again, name kept');

  // once the oldest has left the window, the next try is checked
  await sql(srv.dbUrl, `UPDATE auth_attempts SET at = at - 600 WHERE account = ${q(user)} AND at = ${at}`);
  assert.equal((await login(client('127.0.0.1'), user)).status, 303);
});

test('per (account, address) and per account: another address may still try, until the account limit', async () => {
  const user = await newPerson();
  await guess(user, 5, '127.0.0.1');
  assert.equal((await login(client('127.0.0.1'), user)).status, 429, 'this address has had its five');
  await guess(user, 4, '127.0.0.2');
  assert.equal((await login(client('127.0.0.2'), user)).status, 303, 'another address: the right password passes');
  await guess(user, 1, '127.0.0.2');
  const r = await login(client('127.0.0.5'), user);
  assert.equal(r.status, 429, 'ten failures from unknown browsers close the account to all of them');
  assert.match(text(r.text), LOCKED);
  // other accounts at these addresses are not touched
  assert.equal((await login(client('127.0.0.1'), await newPerson('kim'))).status, 303);
});

test('a known browser has a limit of its own, and its failures do not count against others', async () => {
  const user = await newPerson();
  const known = await knownBrowser(user);
  for (let i = 0; i < 10; i++) {
    const r = await login(known, user, `Fout!${i}wachtwoord`);
    assert.equal(r.status, 200, `try ${i + 1} of the known browser is checked`);
  }
  const r = await login(known, user);
  assert.equal(r.status, 429, 'a stolen device cookie cannot guess for ever');
  assert.match(text(r.text), LOCKED);
  assert.equal((await login(client('127.0.0.1'), user)).status, 303, 'an unknown browser is not refused for them');
});

test('the brake per address, against password spraying; known browsers still pass', async () => {
  const user = await newPerson();
  const known = await knownBrowser(user, '127.0.0.6');
  for (let i = 0; i < 30; i++) {
    const r = await login(client('127.0.0.6'), `iemand${i}@example.nl`, 'Fout!wachtwoord1');
    assert.equal(r.status, 200);
  }
  const r = await login(client('127.0.0.6'), user);
  assert.equal(r.status, 429);
  assert.match(text(r.text), LOCKED);
  assert.equal((await login(known, user)).status, 303, 'the owner behind that address still gets in');
  assert.equal((await login(client('127.0.0.7'), user)).status, 303, 'other addresses are not touched');
});

test('Mijn gegevens: re-authentication has the same brake and lets the known browser through', async () => {
  const user = await newPerson();
  const NEW = 'Kievit!Zwaluw27';
  const c = client();
  assert.equal((await login(c, user)).status, 303);
  const csrf = csrfOf((await c.get('/mijn/wachtwoord')).text);
  const change = (current) => c.post('/mijn/wachtwoord', { csrf, huidig_wachtwoord: current, wachtwoord: NEW, wachtwoord_bevestiging: NEW });
  // a second session, in a browser that has lost its device cookie since: an unknown device
  const bare = client('127.0.0.3');
  assert.equal((await login(bare, user)).status, 303);
  bare.jar.delete('kp_apparaat');

  // many wrong passwords from unknown browsers: this logged-in, known browser is not refused
  await guess(user, 5, '127.0.0.1');
  await guess(user, 5, '127.0.0.2');
  let r = await change('Fout!wachtwoord1');
  assert.equal(r.status, 200);
  assert.match(text(r.text), /Het wachtwoord is niet juist\./);

  // the unknown device is refused with the wait
  const bcsrf = csrfOf((await bare.get('/mijn/wachtwoord')).text);
  r = await bare.post('/mijn/wachtwoord', { csrf: bcsrf, huidig_wachtwoord: PW, wachtwoord: NEW, wachtwoord_bevestiging: NEW });
  assert.equal(r.status, 429);
  assert.match(text(r.text), /Te veel mislukte pogingen met een verkeerd wachtwoord\. Probeer het over \d+ seconden? opnieuw\./);
  const e = await bare.post('/mijn/gegevens/email', { csrf: bcsrf, email: `nieuw${fresh}@example.nl`, wachtwoord: PW });
  assert.equal(e.status, 429, 'the email change shares the brake');
  assert.match(text(e.text), /Probeer het over \d+ seconden? opnieuw\./);

  // the known browser: its own limit of ten, the right password then waits too
  for (let i = 1; i < 10; i++) assert.equal((await change(`Fout!${i}wachtwoord`)).status, 200);
  r = await change(PW);
  assert.equal(r.status, 429);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM account_tokens WHERE person_id = (SELECT id FROM persons WHERE email = ${q(user)})`), '0');
  await sql(srv.dbUrl, `DELETE FROM auth_attempts WHERE account = ${q(user)}`);
  r = await change(PW);
  assert.equal(r.status, 303, 'the password was never changed, and now it is');
});

test('a wrong password at the e-mail change counts as a failed login: Inloggen waits after five', async () => {
  const user = await newPerson();
  // logged in, but from a browser that has lost its device cookie since: an unknown device
  const c = client('127.0.0.5');
  assert.equal((await login(c, user)).status, 303);
  c.jar.delete('kp_apparaat');
  const csrf = csrfOf((await c.get('/mijn/gegevens/email')).text);
  for (let i = 1; i <= 5; i++) {
    const r = await c.post('/mijn/gegevens/email', { csrf, email: `nieuw${fresh}@example.nl`, wachtwoord: `Fout!${i}wachtwoord` });
    assert.equal(r.status, 200);
    assert.match(text(r.text), /Het wachtwoord is niet juist\./);
  }
  const id = await sqlValue(srv.dbUrl, `SELECT id FROM persons WHERE email = ${q(user)}`);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = 'email_wijzigen_mislukt' AND actor_id = ${id}`), '5');
  // the right password at Inloggen, from a new browser at that address, now waits
  const r = await login(client('127.0.0.5'), user);
  assert.equal(r.status, 429);
  assert.match(text(r.text), LOCKED);
  assert.ok(Number(r.headers['retry-after']) > 0);
  // and so does the e-mail change itself
  const e = await c.post('/mijn/gegevens/email', { csrf, email: `nieuw${fresh}@example.nl`, wachtwoord: PW });
  assert.equal(e.status, 429);
  // another address is not held back by these failures
  assert.equal((await login(client('127.0.0.6'), user)).status, 303);
});

test('Wachtwoord opvragen beyond the limit: the same page and status, but nothing is sent', async () => {
  const user = await newPerson();
  const c = client('127.0.0.8');
  const outbox = () => sqlValue(srv.dbUrl, `SELECT count(*) FROM outbox WHERE to_address = ${q(user)}`);
  let first;
  for (let i = 0; i < 5; i++) {
    const r = await reset(c, user);
    assert.equal(r.status, 303);
    first ??= text(r.text);
  }
  assert.match(first, /Er is een bericht gestuurd naar uw e-mailadres/);
  assert.equal(await outbox(), '5');
  const dropped = await reset(c, user);
  assert.equal(dropped.status, 303, 'no 429');
  assert.equal(dropped.location, '/wachtwoord-opvragen');
  assert.equal(text(dropped.text), first, 'the page looks the same');
  assert.equal(await outbox(), '5', 'but nothing was sent');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM account_tokens WHERE kind = 'reset' AND used_at IS NULL AND person_id = (SELECT id FROM persons WHERE email = ${q(user)})`), '1',
    'the last link sent still works');

  // per address: 20 requests, then an unknown name gets the unknown-name page, a known one the sent page
  const d = client('127.0.0.9');
  const unknown = text((await reset(d, 'onbekend@example.nl')).text);
  assert.match(unknown, /Deze gebruikersnaam is niet bekend/);
  for (let i = 1; i < 20; i++) await reset(d, `iemand${i}@example.nl`);
  const other = await newPerson('kim');
  const r = await reset(d, other);
  assert.equal(r.status, 303);
  assert.match(text(r.text), /Er is een bericht gestuurd naar uw e-mailadres/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM outbox WHERE to_address = ${q(other)}`), '0');
  const u2 = await reset(d, 'onbekend@example.nl');
  assert.equal(u2.status, 200);
  assert.equal(text(u2.text), unknown);
  assert.ok(Number(await sqlValue(srv.dbUrl, "SELECT count(*) FROM audit_log WHERE action = 'reset_genegeerd'")) >= 1);
});

test('Wachtwoord opvragen for a person whose activation link expired sends a new activation link', async () => {
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, last_name, email, created_at, updated_at) VALUES ('Eva', 'Nieuw', 'eva.nieuw@example.nl', ${nowSec()}, ${nowSec()})`);
  await sql(srv.dbUrl, `INSERT INTO account_tokens (token_hash, person_id, kind, created_at, expires_at)
    SELECT 'verlopen', id, 'activatie', ${nowSec() - 8 * 86400}, ${nowSec() - 86400} FROM persons WHERE email = 'eva.nieuw@example.nl'`);
  const c = client('127.0.0.10');
  const r = await reset(c, 'Eva.Nieuw@example.nl');
  assert.equal(r.status, 303);
  assert.doesNotMatch(text(r.text), /niet bekend/);
  assert.match(text(r.text), /Er is een bericht gestuurd naar uw e-mailadres\. Uw toegang is nog niet geactiveerd/);
  const [mail] = await srv.waitForMail('eva.nieuw@example.nl');
  assert.match(mail.subject, /Activeer uw toegang/);
  const link = mail.text.match(/\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+/)[0];
  const page = await c.get(link);
  assert.equal(page.status, 200);
  assert.match(text(page.text), /Toegang activeren/);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM account_tokens WHERE kind = 'activatie' AND used_at IS NULL AND person_id = (SELECT id FROM persons WHERE email = 'eva.nieuw@example.nl')"), '1');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM audit_log WHERE action = 'activatie_opnieuw_verstuurd' AND subject = 'eva.nieuw@example.nl'"), '1');

  // someone invited never, without a password: still not known
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, last_name, email, created_at, updated_at) VALUES ('Tim', 'Zonder', 'tim.zonder@example.nl', ${nowSec()}, ${nowSec()})`);
  assert.match(text((await reset(c, 'tim.zonder@example.nl')).text), /Deze gebruikersnaam is niet bekend/);
});
