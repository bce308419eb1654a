// Least privilege: the database and the mail are private files (0600, folders 0700); started as
// root, every command needs KLANTPORTAL_USER and leaves only files that user owns, including the
// mail the server sends after switching; `serve` refuses to run with a weaker password policy; and
// "today" is the Dutch business date whatever time zone the machine is in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, makeClient, readMails, repoRoot, isRoot, ownForServer } from './lib/harness.mjs';

const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));
const RUN_USER = 'klantportal';
const sqlite = (process.env.KP_TEST_DB || 'sqlite').toLowerCase() === 'sqlite';
const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)?.[1];
const mode = (p) => fs.statSync(p).mode & 0o777;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function klantportal(args, env) {
  return new Promise((resolve) => {
    execFile(bin, args, { env, cwd: repoRoot, timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/** A temp folder; with `forUser` (as root) it belongs to the run user. */
function tempDir(forUser) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-priv-'));
  if (forUser) ownForServer(dir, RUN_USER);
  return dir;
}

const uidOf = (user) => Number(execFileSync('id', ['-u', user]).toString().trim());

/** Asks for a new password for a demo user; resolves with the .eml file the server wrote. */
async function requestResetMail(srv, mailDir) {
  const c = makeClient(srv.url);
  const form = await c.get('/wachtwoord-opvragen');
  const r = await c.post('/wachtwoord-opvragen', { csrf: csrfOf(form.text), gebruikersnaam: 'deby.rummens@example.nl' });
  assert.equal(r.status, 303);
  assert.match((await c.get(r.headers.get('location'))).text, /Er is een bericht gestuurd naar uw e-mailadres/);
  for (let i = 0; i < 80; i++) {
    const mails = await readMails(mailDir);
    if (mails.length) {
      assert.match(mails[0].subject, /Wachtwoord opvragen/);
      return mails[0].file;
    }
    await sleep(100);
  }
  throw new Error(`no mail in ${mailDir}`);
}

function sqliteFiles(dbUrl) {
  const db = dbUrl.slice('sqlite:'.length);
  return [db, `${db}-wal`, `${db}-shm`];
}

test('the database files and the mail are private: files 0600, a new mail folder 0700', async () => {
  const dir = tempDir(true);
  const mailDir = path.join(dir, 'post'); // missing: made by the program
  const srv = await startServer({ env: { KLANTPORTAL_MAIL_DIR: mailDir } });
  try {
    const eml = await requestResetMail(srv, mailDir);
    assert.equal(mode(eml).toString(8), '600');
    assert.equal(mode(mailDir).toString(8), '700');
    if (srv.backend === 'sqlite') {
      for (const f of sqliteFiles(srv.dbUrl)) assert.equal(mode(f).toString(8), '600', f);
    }
  } finally {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('started as root, the server hands its folders to KLANTPORTAL_USER and sends mail as that user', async (t) => {
  if (!isRoot) { t.skip('needs root: the tests run as root in CI'); return; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-priv-'));
  fs.chmodSync(dir, 0o755);
  const dbDir = path.join(dir, 'db');
  const mailDir = path.join(dir, 'mail');
  fs.mkdirSync(dbDir); // root-owned, not writable for the user: the program takes them over
  fs.mkdirSync(mailDir);
  const env = { KLANTPORTAL_USER: RUN_USER, KLANTPORTAL_MAIL_DIR: mailDir };
  if (sqlite) env.KLANTPORTAL_DB = `sqlite:${dbDir}/kp.db`;
  const srv = await startServer({ env });
  try {
    const uid = uidOf(RUN_USER);
    const pid = execFileSync('ss', ['-ltnpH', `sport = :${new URL(srv.url).port}`]).toString().match(/pid=(\d+)/)[1];
    assert.match(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s+${uid}\\s+${uid}$`, 'm'));

    const eml = await requestResetMail(srv, mailDir);
    assert.equal(fs.statSync(eml).uid, uid, 'the mail belongs to the user');
    assert.equal(mode(eml).toString(8), '600');
    assert.equal(fs.statSync(mailDir).uid, uid);
    assert.equal(mode(mailDir).toString(8), '700');
    if (sqlite) {
      assert.equal(fs.statSync(dbDir).uid, uid);
      assert.equal(mode(dbDir).toString(8), '700');
      for (const f of sqliteFiles(env.KLANTPORTAL_DB)) {
        assert.equal(fs.statSync(f).uid, uid, `${f} belongs to the user`);
        assert.equal(mode(f).toString(8), '600', f);
      }
    }
  } finally {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A free port below 1024 on 127.0.0.1 (only root can bind one). */
async function freeLowPort() {
  for (let port = 600 + Math.floor(Math.random() * 300); port < 1024; port++) {
    const ok = await new Promise((resolve) => {
      const s = net.createServer().once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port below 1024');
}

test('as root on a port below 1024, serve binds as root, then runs and sends mail as the user', async (t) => {
  if (!isRoot) { t.skip('needs root: the tests run as root in CI'); return; }
  const dir = tempDir(false);
  fs.chmodSync(dir, 0o755);
  const mailDir = path.join(dir, 'mail');
  const env = { ...process.env, KLANTPORTAL_USER: RUN_USER, KLANTPORTAL_DB: `sqlite:${dir}/db/kp.db`, KLANTPORTAL_MAIL_DIR: mailDir, KLANTPORTAL_PAGE_CACHE_MS: '0' };
  assert.equal((await klantportal(['migrate'], env)).code, 0);
  assert.equal((await klantportal(['demo'], env)).code, 0);
  const port = await freeLowPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve'], { env: { ...env, KLANTPORTAL_LISTEN: `127.0.0.1:${port}`, KLANTPORTAL_BASE_URL: url }, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    for (let i = 0; i < 150 && !out.includes('listening'); i++) await sleep(100);
    assert.match(out, new RegExp(`listening ${url}`));
    const uid = uidOf(RUN_USER);
    assert.match(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'), new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s+${uid}\\s+${uid}$`, 'm'));
    const eml = await requestResetMail({ url }, mailDir);
    assert.equal(fs.statSync(eml).uid, uid);
    for (const f of sqliteFiles(env.KLANTPORTAL_DB)) assert.equal(fs.statSync(f).uid, uid, f);
  } finally {
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('as root without KLANTPORTAL_USER every command stops with status 2 and one line, loopback too', async (t) => {
  if (!isRoot) { t.skip('needs root: the tests run as root in CI'); return; }
  const dir = tempDir(false);
  try {
    const env = { ...process.env, KLANTPORTAL_DB: `sqlite:${dir}/kp.db`, KLANTPORTAL_MAIL_DIR: `${dir}/mail` };
    delete env.KLANTPORTAL_USER;
    for (const [args, listen] of [[['serve'], '127.0.0.1:0'], [['serve'], 'localhost:0'], [['migrate']], [['demo']]]) {
      const r = await klantportal(args, listen ? { ...env, KLANTPORTAL_LISTEN: listen } : env);
      assert.equal(r.code, 2, `${args} ${listen ?? ''}`);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /^klantportal: rechten: draait als root; zet KLANTPORTAL_USER op een gebruiker zonder rechten/);
    }
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing was written');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('as root, a folder with content the user cannot write in stops the command with the chown to run', async (t) => {
  if (!isRoot) { t.skip('needs root: the tests run as root in CI'); return; }
  const dir = tempDir(false);
  fs.writeFileSync(path.join(dir, 'iets-anders.txt'), 'niet van ons\n');
  try {
    const r = await klantportal(['migrate'], { ...process.env, KLANTPORTAL_USER: RUN_USER, KLANTPORTAL_DB: `sqlite:${dir}/kp.db` });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`gebruiker '${RUN_USER}' kan niet schrijven in map ${dir}; .*\\(chown ${RUN_USER} ${dir}\\)`));
    assert.equal(fs.statSync(dir).uid, 0, 'a folder with content keeps its owner');
    assert.ok(!fs.existsSync(path.join(dir, 'kp.db')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('serve refuses to start without the list of common passwords', async () => {
  const dir = tempDir(true);
  try {
    const r = await klantportal(['serve'], {
      ...process.env,
      KLANTPORTAL_DB: `sqlite:${dir}/kp.db`,
      KLANTPORTAL_MAIL_DIR: `${dir}/mail`,
      KLANTPORTAL_LISTEN: '127.0.0.1:0',
      KLANTPORTAL_COMMON_PASSWORDS: '/bestaat/niet/password.lst',
    });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /lijst met veelgebruikte wachtwoorden ontbreekt: \/bestaat\/niet\/password\.lst/);
    assert.doesNotMatch(r.stdout, /listening/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The date in Amsterdam `days` from now, as YYYY-MM-DD. */
function amsterdamDate(days) {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date()).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// The demo news item is published three days before "today"; a server that took the machine's
// zone would date it after the Kiritimati calendar (UTC+14) or the UTC one.
test('today is the Amsterdam date, whatever TZ the machine gives', async () => {
  for (const tz of ['UTC', 'Pacific/Kiritimati']) {
    const before = amsterdamDate(-3);
    const srv = await startServer({ env: { TZ: tz } });
    try {
      const r = await srv.get('/nieuws/nieuwe-data-licentieverlenging');
      assert.equal(r.status, 200);
      const shown = r.text.match(/<time datetime="(\d{4}-\d\d-\d\d)"/)?.[1];
      assert.ok([before, amsterdamDate(-3)].includes(shown), `TZ=${tz}: shows ${shown}, Amsterdam says ${before}`);
    } finally {
      await srv.stop();
    }
  }
});
