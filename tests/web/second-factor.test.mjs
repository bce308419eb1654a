// The second factor: staff enrol a TOTP key at their first login and give a code at every new
// session; recovery codes work once; remember-me never skips the code; wrong codes pass the
// brake of passwords; cursisten turn it on and off under Mijn gegevens. Codes are computed here
// from the key the page shows, as an authenticator app would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import {
  PW, csrfOf, text, loginAs, staffClient, freshCode, totpAt, totpStep, totpKeyOf, recoveryCodesOf,
  personId,
} from './lib/portal.mjs';

let srv;
const ADMIN = 'administratie@example.nl';
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const audits = (action, email) =>
  sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = ${q(action)} AND subject = ${q(email)}`);

/** Password step only: the client and where it was sent. */
async function passwordStep(email, extra = {}) {
  const { c, r } = await loginAs(srv, email, PW, extra);
  return { c, where: new URL(r.headers.get('location'), srv.url).pathname };
}
async function postCode(c, path, code) {
  const page = await c.get(path);
  return c.post(path, { csrf: csrfOf(page.text), code });
}

test('a staff login without a second factor enrols one first: QR code, key in text, ten recovery codes', async () => {
  const { c, where } = await passwordStep(ADMIN, { terug: '/beheer' });
  assert.equal(where, '/inloggen/tweestapsverificatie');
  // between password and code there is no session: the back office is not open
  const early = await c.get('/beheer');
  assert.equal(early.status, 303);
  assert.match(early.headers.get('location'), /^\/inloggen\?terug=/);

  const page = await c.get(where);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.match(page.text, /<svg[^>]*role="img"[^>]*aria-label="QR-code/);
  assert.match(page.text, /<path fill="#000" d="M\d+ \d+h1v1h-1z/);
  const key = totpKeyOf(page.text);
  assert.match(key, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  // reloading shows the same key (the app may have scanned it already)
  assert.equal(totpKeyOf((await c.get(where)).text), key);
  // the key is stored sealed: the database never holds it in the clear
  const sealed = await sqlValue(srv.dbUrl, `SELECT secret_sealed FROM second_factors WHERE person_id = ${await personId(srv, ADMIN)}`);
  assert.ok(sealed && !sealed.includes(key.replace(/ /g, '')), 'sealed, not plain');

  const wrong = await postCode(c, where, '000000' === totpAt(key, totpStep()) ? '111111' : '000000');
  assert.equal(wrong.status, 200);
  assert.match(text(wrong.text), /Deze code klopt niet/);
  assert.equal(await audits('code_mislukt', ADMIN), '1');

  srv.totpKeys = { [ADMIN]: key };
  const done = await postCode(c, where, await freshCode(srv, ADMIN, key));
  assert.equal(done.status, 200);
  assert.match(text(done.text), /Tweestapsverificatie staat aan/);
  const codes = recoveryCodesOf(done.text);
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
  srv.recoveryCodes = { [ADMIN]: codes };
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM recovery_codes WHERE person_id = ${await personId(srv, ADMIN)} AND used_at IS NULL`), '10');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM recovery_codes WHERE code_hash = ${q(codes[0])}`), '0', 'stored hashed');

  const beheer = await c.get('/beheer');
  assert.equal(beheer.status, 200);
  assert.match(text(beheer.text), /Te doen/);
  assert.equal(await audits('tweestapsverificatie_aan', ADMIN), '1');
});

test('every new staff session asks for a code, and a code is accepted once', async () => {
  const key = srv.totpKeys[ADMIN];
  const first = await passwordStep(ADMIN);
  assert.equal(first.where, '/inloggen/code');
  const code = await freshCode(srv, ADMIN, key);
  const ok = await postCode(first.c, '/inloggen/code', code);
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/beheer');
  assert.equal((await first.c.get('/beheer')).status, 200);

  // the same code in another browser: refused (RFC 6238 replay)
  const second = await passwordStep(ADMIN);
  const replay = await postCode(second.c, '/inloggen/code', code);
  assert.equal(replay.status, 200);
  assert.match(text(replay.text), /Deze code klopt niet/);
  assert.equal((await second.c.get('/beheer')).status, 303, 'not logged in');
});

test('remember-me never skips the code', async () => {
  const { c, where } = await passwordStep(ADMIN, { onthoud: '1' });
  assert.equal(where, '/inloggen/code');
  const ok = await postCode(c, '/inloggen/code', await freshCode(srv, ADMIN, srv.totpKeys[ADMIN]));
  assert.equal(ok.status, 303);
  assert.equal(c.cookie('kp_onthoud'), undefined, 'no remember-me token for a login with a code');
  assert.ok(c.cookie('kp_gebruiker'), 'the username is remembered');
  // a remember-me token made for staff some other way logs nobody in
  const staff = await personId(srv, ADMIN);
  const fresh = makeClient(srv.url);
  await sql(srv.dbUrl, `INSERT INTO remember_tokens (selector, validator_hash, person_id, created_at, expires_at)
    VALUES ('sel-staff', ${q(crypto.createHash('sha256').update('validator').digest('hex'))}, ${staff}, 0, 9999999999)`);
  fresh.cookies.set('kp_onthoud', 'sel-staff.validator');
  assert.equal((await fresh.get('/beheer')).status, 303);
  // without its session cookie the browser that ticked Onthoud is asked again too
  c.cookies.delete('kp_sessie');
  const again = await c.get('/beheer');
  assert.equal(again.status, 303);
  assert.match(again.headers.get('location'), /^\/inloggen\?terug=/);
});

test('a recovery code logs in once', async () => {
  const [code] = srv.recoveryCodes[ADMIN];
  const first = await passwordStep(ADMIN);
  const ok = await postCode(first.c, '/inloggen/code', code.toUpperCase().replace('-', ' '));
  assert.equal(ok.status, 303);
  const landing = await first.c.get('/beheer');
  assert.equal(landing.status, 200);
  assert.match(text(landing.text), /ingelogd met een herstelcode/);
  const second = await passwordStep(ADMIN);
  const again = await postCode(second.c, '/inloggen/code', code);
  assert.equal(again.status, 200);
  assert.match(text(again.text), /Deze code klopt niet/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM recovery_codes WHERE person_id = ${await personId(srv, ADMIN)} AND used_at IS NULL`), '9');
});

test('wrong codes fill the brake as wrong passwords do', async () => {
  await sql(srv.dbUrl, 'DELETE FROM auth_attempts');
  const { c } = await passwordStep(ADMIN);
  const page = await c.get('/inloggen/code');
  const csrf = csrfOf(page.text);
  const key = srv.totpKeys[ADMIN];
  const valid = new Set([-1, 0, 1].map((d) => totpAt(key, totpStep() + d)));
  const wrong = ['123456', '234567', '345678', '456789', '567890', '678901', '789012'].filter((x) => !valid.has(x));
  for (let i = 0; i < 5; i++) {
    const r = await c.post('/inloggen/code', { csrf, code: wrong[i] });
    assert.equal(r.status, 200, `wrong code ${i + 1}`);
  }
  const held = await c.post('/inloggen/code', { csrf, code: await freshCode(srv, ADMIN, key) });
  assert.equal(held.status, 429, 'even the right code waits once the brake is full');
  assert.match(text(held.text), /Probeer het over \d+ seconden? opnieuw/);
  assert.ok(Number(held.headers.get('retry-after')) > 0);
  // the password counts against the same allowance
  const pw = await loginAs(srv, ADMIN, 'Fout!wachtwoord1').catch((e) => e);
  assert.ok(pw instanceof Error, 'a password is refused too');
  await sql(srv.dbUrl, 'DELETE FROM auth_attempts');
});

test('a staff session that did not begin with a code does not open the back office', async () => {
  const c = await staffClient(srv);
  assert.equal((await c.get('/beheer')).status, 200);
  await sql(srv.dbUrl, `UPDATE sessions SET second_factor = 0 WHERE person_id = ${await personId(srv, ADMIN)}`);
  const r = await c.get('/beheer');
  assert.equal(r.status, 403);
  assert.match(text(r.text), /code uit uw app/);
});

test('without a live challenge the code pages send back to Inloggen', async () => {
  const c = makeClient(srv.url);
  for (const path of ['/inloggen/code', '/inloggen/tweestapsverificatie']) {
    const r = await c.get(path);
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.get('location'), '/inloggen');
  }
});

test('a cursist turns the second factor on and off under Mijn gegevens', async () => {
  const email = 'martin.sommer@example.nl';
  const { c } = await loginAs(srv, email, PW, { onthoud: '1' });
  assert.ok(c.cookie('kp_onthoud'));
  const other = (await loginAs(srv, email)).c;
  const page = await c.get('/mijn/gegevens/tweestapsverificatie');
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg[^>]*role="img"/);
  const key = totpKeyOf(page.text);
  srv.totpKeys[email] = key;
  // the password is asked too: a session alone does not tie the account to a phone
  const noPw = await c.post('/mijn/gegevens/tweestapsverificatie', { csrf: csrfOf(page.text), actie: 'aanzetten', code: '123456' });
  assert.equal(noPw.status, 200);
  assert.match(text(noPw.text), /Vul uw wachtwoord in/);
  const wrongPw = await c.post('/mijn/gegevens/tweestapsverificatie', { csrf: csrfOf(page.text), actie: 'aanzetten', wachtwoord: 'Fout!wachtwoord1', code: '123456' });
  assert.equal(wrongPw.status, 200);
  assert.match(text(wrongPw.text), /Het wachtwoord klopt niet/);
  assert.equal(totpKeyOf(wrongPw.text), key, 'the key shown stays the same');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM second_factors WHERE person_id = ${await personId(srv, email)} AND confirmed_at IS NOT NULL`), '0');
  const on = await c.post('/mijn/gegevens/tweestapsverificatie', { csrf: csrfOf(page.text), actie: 'aanzetten', wachtwoord: PW, code: await freshCode(srv, email, key) });
  assert.equal(on.status, 200);
  assert.equal(recoveryCodesOf(on.text).length, 10);
  // other sessions and every remember-me token were made without a code: ended
  assert.equal((await other.get('/mijn')).status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM remember_tokens WHERE person_id = ${await personId(srv, email)}`), '0');
  assert.equal((await c.get('/mijn')).status, 200, 'this session goes on');

  const next = await passwordStep(email);
  assert.equal(next.where, '/inloggen/code');
  const ok = await postCode(next.c, '/inloggen/code', await freshCode(srv, email, key));
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/mijn');

  const status = await next.c.get('/mijn/gegevens/tweestapsverificatie');
  assert.match(text(status.text), /Tweestapsverificatie staat aan/);
  assert.match(text(status.text), /nog 10 ongebruikte herstelcodes/);
  const off = await next.c.post('/mijn/gegevens/tweestapsverificatie', { csrf: csrfOf(status.text), actie: 'uitzetten', code: await freshCode(srv, email, key) });
  assert.equal(off.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM second_factors WHERE person_id = ${await personId(srv, email)}`), '0');
  assert.equal((await passwordStep(email)).where, '/mijn', 'a password alone again');
});

test('staff cannot turn the second factor off', async () => {
  const c = await staffClient(srv);
  const page = await c.get('/mijn/gegevens/tweestapsverificatie');
  assert.equal(page.status, 200);
  assert.match(text(page.text), /verplicht/);
  assert.doesNotMatch(page.text, /value="uitzetten"/);
  const r = await c.post('/mijn/gegevens/tweestapsverificatie', { csrf: csrfOf(page.text), actie: 'uitzetten', code: await freshCode(srv, ADMIN, srv.totpKeys[ADMIN]) });
  assert.equal(r.status, 403);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM second_factors WHERE person_id = ${await personId(srv, ADMIN)} AND confirmed_at IS NOT NULL`), '1');
});

const nowSec = () => Math.floor(Date.now() / 1000);
let fresh = 0;
/** A new person with Martin's password; staff when asked. */
async function newPerson(staff = false) {
  fresh += 1;
  const email = `wim.visser${fresh}@example.nl`;
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, last_name, email, password_hash, activated_at, is_staff, created_at, updated_at)
    SELECT 'Wim', 'Visser', ${q(email)}, password_hash, ${nowSec()}, ${staff ? 1 : 0}, ${nowSec()}, ${nowSec()}
    FROM persons WHERE email = 'martin.sommer@example.nl'`);
  return email;
}

test('a key being enrolled is shown only to the login that made it', async () => {
  const email = await newPerson(true);
  const a = await passwordStep(email);
  assert.equal(a.where, '/inloggen/tweestapsverificatie');
  const keyA = totpKeyOf((await a.c.get(a.where)).text);
  // someone else with the password, in another browser, gets another key, never this one
  const b = await passwordStep(email);
  const keyB = totpKeyOf((await b.c.get(b.where)).text);
  assert.ok(keyA && keyB && keyA !== keyB);
  // one challenge per person: the first browser's is void, and so is its key
  const gone = await a.c.get(a.where);
  assert.equal(gone.status, 303);
  assert.equal(gone.headers.get('location'), '/inloggen');
  const r = await b.c.post(b.where, { csrf: csrfOf((await b.c.get(b.where)).text), code: totpAt(keyA, totpStep()) });
  assert.equal(r.status, 200);
  assert.match(text(r.text), /Deze code klopt niet/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM second_factors WHERE person_id = ${await personId(srv, email)} AND confirmed_at IS NOT NULL`), '0');
  // a customer has no enrolment at login: a challenge without a confirmed key is not one
  const martin = await passwordStep('jan.devries@example.nl');
  assert.notEqual(martin.where, '/inloggen/tweestapsverificatie');
});

test('a password link does not skip the code', async () => {
  const email = 'deby.rummens@example.nl';
  const { c } = await loginAs(srv, email);
  const page = await c.get('/mijn/gegevens/tweestapsverificatie');
  const key = totpKeyOf(page.text);
  srv.totpKeys[email] = key;
  const on = await c.post('/mijn/gegevens/tweestapsverificatie', { csrf: csrfOf(page.text), actie: 'aanzetten', wachtwoord: PW, code: await freshCode(srv, email, key) });
  assert.equal(on.status, 200);
  // Wachtwoord opvragen, and the link from the mail
  const anon = makeClient(srv.url);
  const form = await anon.get('/wachtwoord-opvragen');
  await anon.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: email });
  const [mail] = (await srv.waitForMail(email, 1)).slice(-1);
  const link = mail.text.match(/\/wachtwoord-instellen\?token=[\w-]+/)?.[0];
  assert.ok(link, 'the reset mail has its link');
  const set = await anon.get(link);
  const done = await anon.post(link, { csrf: csrfOf(set.text), wachtwoord: 'Nieuw!wachtwoord2026', wachtwoord_bevestiging: 'Nieuw!wachtwoord2026' });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/inloggen/code');
  assert.equal((await anon.get('/mijn')).status, 303, 'no session without the code');
  const ok = await postCode(anon, '/inloggen/code', await freshCode(srv, email, key));
  assert.equal(ok.status, 303);
  assert.equal((await anon.get('/mijn')).status, 200);
});
