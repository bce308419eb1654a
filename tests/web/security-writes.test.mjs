// Writes that security rests on (ending a session, the audit log, the brake's counts, ending
// the other sessions) can fail: then the person gets a Dutch error page and nothing reports
// success. The test makes a table refuse a write with a trigger, on SQLite or PostgreSQL.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { PW, csrfOf, text, loginAs } from './lib/portal.mjs';

let srv;
before(async () => {
  srv = await startServer();
  if (srv.backend === 'postgres') {
    await sql(srv.dbUrl, `CREATE FUNCTION kp_test_refuse() RETURNS trigger LANGUAGE plpgsql
      AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
  }
});
after(async () => { await srv?.stop(); });
beforeEach(async () => { await sql(srv.dbUrl, 'DELETE FROM auth_attempts'); });

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const nowSec = () => Math.floor(Date.now() / 1000);
const ERROR = /Er ging iets mis aan onze kant/;

/** Runs fn while `op` (INSERT, UPDATE, DELETE) on `table` fails. */
async function refusing(table, op, fn) {
  const name = `kp_test_refuse_${table}_${op.toLowerCase()}`;
  if (srv.backend === 'sqlite') {
    await sql(srv.dbUrl, `CREATE TRIGGER ${name} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  } else {
    await sql(srv.dbUrl, `CREATE TRIGGER ${name} BEFORE ${op} ON ${table} FOR EACH ROW EXECUTE FUNCTION kp_test_refuse()`);
  }
  try {
    return await fn();
  } finally {
    await sql(srv.dbUrl, srv.backend === 'sqlite' ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON ${table}`);
  }
}

let fresh = 0;
/** A new person with the demo password, so tests do not share sessions or counts. */
async function newPerson() {
  fresh += 1;
  const email = `wim.visser${fresh}@example.nl`;
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, last_name, email, password_hash, activated_at, created_at, updated_at)
    SELECT 'Wim', 'Visser', ${q(email)}, password_hash, ${nowSec()}, ${nowSec()}, ${nowSec()}
    FROM persons WHERE email = 'martin.sommer@example.nl'`);
  return email;
}

const audits = (action, subject) =>
  sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = ${q(action)} AND subject = ${q(subject)}`);
const sessionsOf = (email) =>
  sqlValue(srv.dbUrl, `SELECT count(*) FROM sessions WHERE person_id = (SELECT id FROM persons WHERE email = ${q(email)})`);

async function logout(c) {
  const page = await c.get('/mijn');
  return c.post('/uitloggen', { csrf: csrfOf(page.text) });
}

async function wrongLogin(user, c = makeClient(srv.url)) {
  const page = await c.get('/inloggen');
  return c.post('/inloggen', { csrf: csrfOf(page.text), gebruikersnaam: user, wachtwoord: 'Fout!wachtwoord9' });
}

test('Uitloggen that cannot end the session says so, and the person is still logged in', async () => {
  const user = await newPerson();
  const { c } = await loginAs(srv, user, PW, { onthoud: '1' });
  const r = await refusing('sessions', 'DELETE', () => logout(c));
  assert.equal(r.status, 500);
  assert.match(text(r.text), /Uitloggen is niet gelukt/);
  assert.match(text(r.text), /U bent nog ingelogd/);
  assert.ok(!r.headers.getSetCookie().some((x) => /^kp_(sessie|onthoud)=;/.test(x)), 'no cookie is cleared');
  assert.equal(await sessionsOf(user), '1');
  assert.equal(await audits('logout', user), '0', 'no logout in the audit log');
  assert.equal((await c.get('/mijn')).status, 200, 'still logged in, so Uitloggen can be tried again');

  const again = await logout(c);
  assert.equal(again.status, 303);
  assert.equal(await sessionsOf(user), '0');
  assert.equal(await audits('logout', user), '1');
});

test('Uitloggen whose audit line cannot be written ends nothing', async () => {
  const user = await newPerson();
  const { c } = await loginAs(srv, user, PW, { onthoud: '1' });
  const selector = c.cookie('kp_onthoud').split('.')[0];
  const r = await refusing('audit_log', 'INSERT', () => logout(c));
  assert.equal(r.status, 500);
  assert.match(text(r.text), /Uitloggen is niet gelukt/);
  assert.equal(await sessionsOf(user), '1', 'the session delete was rolled back with the audit line');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM remember_tokens WHERE selector = ${q(selector)}`), '1');
});

test('a wrong password whose failure the brake cannot count gets an error page, not another try', async () => {
  const user = await newPerson();
  const r = await refusing('auth_attempts', 'UPDATE', () => wrongLogin(user));
  assert.equal(r.status, 500);
  assert.match(text(r.text), ERROR);
  assert.doesNotMatch(text(r.text), /Gebruikersnaam of wachtwoord onjuist/);
  // with the write possible again the failure counts as always
  const ok = await wrongLogin(user);
  assert.equal(ok.status, 200);
  assert.match(text(ok.text), /Gebruikersnaam of wachtwoord onjuist/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM auth_attempts WHERE account = ${q(user)} AND settled = 1`), '1');
});

test('a failed login, a refusal by the brake and an unknown name at Wachtwoord opvragen need their audit line', async () => {
  const user = await newPerson();
  let r = await refusing('audit_log', 'INSERT', () => wrongLogin(user));
  assert.equal(r.status, 500);
  assert.match(text(r.text), ERROR);

  // that failure still counts (the brake's write came first): four more fill the brake
  for (let i = 0; i < 4; i++) assert.equal((await wrongLogin(user)).status, 200);
  assert.equal((await wrongLogin(user)).status, 429, 'the brake is full');
  // the audit trail cannot be cleared: another account's first refusal must be audited
  const other = await newPerson();
  for (let i = 0; i < 5; i++) assert.equal((await wrongLogin(other)).status, 200);
  r = await refusing('audit_log', 'INSERT', () => wrongLogin(other));
  assert.equal(r.status, 500, 'a refusal that cannot be logged is an error');
  assert.match(text(r.text), ERROR);

  const c = makeClient(srv.url);
  const page = await c.get('/wachtwoord-opvragen');
  r = await refusing('audit_log', 'INSERT', () =>
    c.post('/wachtwoord-opvragen', { csrf: csrfOf(page.text), gebruikersnaam: 'niemand.hier@example.nl' }));
  assert.equal(r.status, 500);
  assert.match(text(r.text), ERROR);
});

test('Mijn gegevens: a wrong current password that cannot be counted, and a password change whose other sessions cannot end, report no success', async () => {
  const user = await newPerson();
  const NEW = 'Kievit!Zwaluw27';
  const { c } = await loginAs(srv, user);
  await loginAs(srv, user); // another browser
  const csrf = csrfOf((await c.get('/mijn/wachtwoord')).text);
  const change = (current) => c.post('/mijn/wachtwoord', { csrf, huidig_wachtwoord: current, wachtwoord: NEW, wachtwoord_bevestiging: NEW });

  let r = await refusing('audit_log', 'INSERT', () => change('Fout!wachtwoord1'));
  assert.equal(r.status, 500);
  assert.doesNotMatch(text(r.text), /Het wachtwoord is niet juist/);
  r = await refusing('auth_attempts', 'UPDATE', () =>
    c.post('/mijn/gegevens/email', { csrf, email: `nieuw.${user}`, wachtwoord: 'Fout!wachtwoord2' }));
  assert.equal(r.status, 500);
  assert.doesNotMatch(text(r.text), /Het wachtwoord is niet juist/);

  const hash = await sqlValue(srv.dbUrl, `SELECT password_hash FROM persons WHERE email = ${q(user)}`);
  r = await refusing('sessions', 'DELETE', () => change(PW));
  assert.equal(r.status, 500);
  assert.match(text(r.text), ERROR);
  assert.equal(r.headers.get('location'), null, 'no redirect to the notice');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT password_hash FROM persons WHERE email = ${q(user)}`), hash, 'the password is not changed');
  assert.equal(await sessionsOf(user), '2');

  r = await change(PW);
  assert.equal(r.status, 303);
  assert.equal(await sessionsOf(user), '1', 'the other session ended');
});
