// No usable link at rest: after a reset request, an activation and an e-mail change, the token
// that arrived in the mail is nowhere in the database (on SQLite: not in the bytes of the database
// file or its WAL; on PostgreSQL: not in the outbox or the token table) — and the link still
// works, once. Then `klantportal housekeeping` removes what is old and keeps what is fresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, makeClient, repoRoot } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';

const PW = 'Cursus!2026';
const NEW_PW = 'Kievit!Zwaluw27';
const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)?.[1];
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const nowSec = () => Math.floor(Date.now() / 1000);

function cli(args) {
  return new Promise((resolve) => {
    execFile(bin, args, {
      cwd: repoRoot,
      env: { ...process.env, KLANTPORTAL_DB: srv.dbUrl, KLANTPORTAL_MAIL_DIR: srv.mailDir, KLANTPORTAL_BASE_URL: srv.url,
        KLANTPORTAL_SECRET_KEY_FILE: path.join(srv.tmpDir, 'klantportal.key') },
    }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

function linkIn(mail, route) {
  const m = mail.text.match(new RegExp(`https?://[^/\\s]+(${route.replace(/\//g, '\\/')}\\?token=([A-Za-z0-9_-]{43}))`));
  assert.ok(m, `the email has a ${route} link`);
  return { path: m[1], token: m[2] };
}

/** Fails when the token is anywhere in the database. */
async function assertNotStored(token, what) {
  if (srv.backend === 'sqlite') {
    const file = srv.dbUrl.slice('sqlite:'.length);
    for (const f of [file, `${file}-wal`, `${file}-journal`]) {
      if (!fs.existsSync(f)) continue;
      assert.equal(fs.readFileSync(f).indexOf(Buffer.from(token)), -1, `${what}: token in ${path.basename(f)}`);
    }
  } else {
    for (const [table, cols] of [['outbox', 'body_text || body_html || coalesce(link_data, \'\')'],
      ['account_tokens', 'token_hash || coalesce(data, \'\')'], ['sessions', 'token_hash'], ['audit_log', 'subject || detail']]) {
      assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM ${table} WHERE ${cols} LIKE ${q(`%${token}%`)}`), '0',
        `${what}: token in ${table}`);
    }
  }
}

async function login(email, pw = PW) {
  const c = makeClient(srv.url);
  const form = await c.get('/inloggen');
  const r = await c.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: email, wachtwoord: pw });
  return { c, r };
}

/** Sets a password through a reset or activation link; the second use gets 410. */
async function usePasswordLink(link) {
  const c = makeClient(srv.url);
  const page = await c.get(link);
  assert.equal(page.status, 200);
  const r = await c.post(link, { csrf: csrfOf(page.text), wachtwoord: NEW_PW, wachtwoord_bevestiging: NEW_PW });
  assert.equal(r.status, 303);
  assert.equal((await makeClient(srv.url).get(link)).status, 410, 'the link works once');
}

test('reset: the mailed token is not in the database, and the link works once', async () => {
  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'martin.sommer@example.nl' });
  const [mail] = await srv.waitForMail('martin.sommer@example.nl');
  const { path: link, token } = linkIn(mail, '/wachtwoord-instellen');
  await assertNotStored(token, 'reset');
  await usePasswordLink(link);
  assert.equal((await login('martin.sommer@example.nl', NEW_PW)).r.status, 303);
});

test('activation: the mailed token is not in the database, and the link works once', async () => {
  const out = await cli(['staff', 'add', '--email', 'rust.medewerker@example.nl', '--name', 'Rust Medewerker']);
  assert.equal(out.code, 0, out.stderr);
  const [mail] = await srv.waitForMail('rust.medewerker@example.nl');
  const { path: link, token } = linkIn(mail, '/wachtwoord-instellen');
  await assertNotStored(token, 'activation');
  await usePasswordLink(link);
});

test('e-mail change: the mailed token is not in the database, and the link works once', async () => {
  const { c, r } = await login('jan.devries@example.nl');
  assert.equal(r.status, 303);
  const csrf = csrfOf((await c.get('/mijn/gegevens/email')).text);
  await c.post('/mijn/gegevens/email', { csrf, email: 'jan.nieuw@example.nl', wachtwoord: PW });
  const [mail] = await srv.waitForMail('jan.nieuw@example.nl');
  const { path: link, token } = linkIn(mail, '/mijn/gegevens/email/bevestigen');
  await assertNotStored(token, 'e-mail change');
  const anon = makeClient(srv.url);
  assert.equal((await anon.get(link)).status, 200);
  assert.equal((await anon.get(link)).status, 410, 'the link works once');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM persons WHERE email = 'jan.nieuw@example.nl'"), '1');
});

test('housekeeping removes expired sessions, old attempts, spent links and old sent mail; fresh rows stay', async () => {
  const now = nowSec();
  const day = 24 * 3600;
  const pid = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'martin.sommer@example.nl'");
  const mark = `hk${now}`;
  await sql(srv.dbUrl, `
    INSERT INTO sessions (token_hash, person_id, csrf, created_at, last_seen_at, expires_at)
      VALUES ('${mark}-old', ${pid}, 'x', ${now - 2 * day}, ${now - 2 * day}, ${now - 60}),
             ('${mark}-new', ${pid}, 'x', ${now}, ${now}, ${now + 3600});
    INSERT INTO remember_tokens (selector, validator_hash, person_id, created_at, expires_at)
      VALUES ('${mark}-old', 'x', ${pid}, ${now - 40 * day}, ${now - 60}),
             ('${mark}-new', 'x', ${pid}, ${now}, ${now + 3600});
    INSERT INTO auth_attempts (kind, account, at) VALUES ('login', '${mark}-old', ${now - day - 60}),
                                                          ('login', '${mark}-new', ${now - 600});
    INSERT INTO account_tokens (token_hash, person_id, kind, created_at, expires_at, used_at)
      VALUES ('${mark}-used', ${pid}, 'reset', ${now - 3 * day}, ${now + day}, ${now - day - 60}),
             ('${mark}-expired', ${pid}, 'reset', ${now - 3 * day}, ${now - day - 60}, NULL),
             ('${mark}-usedtoday', ${pid}, 'reset', ${now - 600}, ${now + 3600}, ${now - 60}),
             ('${mark}-live', ${pid}, 'reset', ${now - 600}, ${now + 3600}, NULL);
    INSERT INTO outbox (message_id, to_address, subject, body_text, created_at, next_attempt_at, sent_at)
      VALUES ('<${mark}-old>', 'a@example.nl', 'oud', 'x', ${now - 31 * day}, ${now - 31 * day}, ${now - 31 * day}),
             ('<${mark}-new>', 'a@example.nl', 'nieuw', 'x', ${now - 29 * day}, ${now - 29 * day}, ${now - 29 * day}),
             ('<${mark}-givenup>', 'a@example.nl', 'opgegeven', 'x', ${now - 31 * day}, 253402300799, NULL),
             ('<${mark}-waiting>', 'a@example.nl', 'wacht', 'x', ${now - 31 * day}, ${now + 3600}, NULL);
  `);
  const out = await cli(['housekeeping']);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^opgeruimd: /);
  const left = async (table, col) => (await sql(srv.dbUrl, `SELECT ${col} FROM ${table} WHERE ${col} LIKE '%${mark}%' ORDER BY ${col}`)).map((r) => r[0]);
  assert.deepEqual(await left('sessions', 'token_hash'), [`${mark}-new`]);
  assert.deepEqual(await left('remember_tokens', 'selector'), [`${mark}-new`]);
  assert.deepEqual(await left('auth_attempts', 'account'), [`${mark}-new`]);
  assert.deepEqual(await left('account_tokens', 'token_hash'), [`${mark}-live`, `${mark}-usedtoday`]);
  assert.deepEqual(await left('outbox', 'message_id'), [`<${mark}-new>`, `<${mark}-waiting>`]);

  // the retention is a setting
  const short = await new Promise((resolve) => {
    execFile(bin, ['housekeeping'], {
      cwd: repoRoot,
      env: { ...process.env, KLANTPORTAL_DB: srv.dbUrl, KLANTPORTAL_MAIL_RETENTION_DAYS: '7' },
    }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
  assert.equal(short.code, 0, short.stderr);
  assert.deepEqual(await left('outbox', 'message_id'), [`<${mark}-waiting>`]);
});
