// Test harness for the HTTP and browser tests (`node --test tests/web/`).
//
// Each test file starts its own server on its own fresh database:
//
//   import { test, before, after } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { startServer } from './lib/harness.mjs';
//
//   let srv;
//   before(async () => { srv = await startServer(); });
//   after(async () => { await srv?.stop(); });
//
//   test('home page shows the catalogue', async () => {
//     const res = await srv.get('/');
//     assert.match(res.text, /Cursussen/);
//   });
//
// Environment:
//   KP_TEST_DB         sqlite (default) or postgres
//   KP_TEST_PG_ADMIN   postgresql:// URL of a database where we may CREATE DATABASE (postgres only;
//                      scripts/pg.sh start prints one)
//   KP_BIN             server binary (default <repo>/build/klantportal)
//   KP_CHROMIUM        browser binary (default /usr/bin/chromium)
//   KP_TEST_STRICT_EXIT=1   stop() throws when the server exits non-zero or printed a sanitizer
//                      report (scripts/test.sh sets it for the ASan run)
//   KP_TEST_VERBOSE=1  copy the server's stderr to ours as it arrives
//
// Run as root (CI does), every command gets KLANTPORTAL_USER=klantportal unless the test names
// its own user, and each server's temp folder belongs to that user.
//
// The server contract: `klantportal migrate|demo|serve`, configured by KLANTPORTAL_DB,
// KLANTPORTAL_LISTEN, KLANTPORTAL_BASE_URL and KLANTPORTAL_MAIL_DIR; GET /healthz answers 200.

import { spawn, execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// The program refuses to run as root without a user to switch to; this default reaches every
// command a test file starts, through the harness or on its own.
export const isRoot = process.getuid?.() === 0;
if (isRoot && process.env.KLANTPORTAL_USER === undefined) process.env.KLANTPORTAL_USER = 'klantportal';

/** As root, hands a test's own temp folder to the user the program switches to. */
export function ownForServer(dir, user = process.env.KLANTPORTAL_USER) {
  if (isRoot && user) execFileSync('chown', ['-R', `${user}:`, dir]);
}

// Commands a test file starts itself fall back to the defaults var/mail and var/klantportal.key,
// relative to the checkout. As root they run as KLANTPORTAL_USER, who may not reach a checkout
// in root's home: give them a folder of their own for those defaults instead.
if (isRoot) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-defaults-'));
  ownForServer(scratch);
  process.env.KLANTPORTAL_MAIL_DIR ??= path.join(scratch, 'mail');
  process.env.KLANTPORTAL_SECRET_KEY_FILE ??= path.join(scratch, 'klantportal.key');
  process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
}

const SANITIZER_RE = /ERROR: (Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer/;

// Servers still running when the test process exits are killed and their files removed, so a
// test that forgets stop() (or throws before it) leaves nothing behind.
const live = new Set();
process.on('exit', () => {
  for (const s of live) {
    try { s.child.kill('SIGKILL'); } catch { /* already gone */ }
    try { fs.rmSync(s.tmpDir, { recursive: true, force: true }); } catch { /* ignore */ }
    if (s.pgDb) {
      try {
        execFileSync('psql', [s.pgAdmin, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c',
          `DROP DATABASE IF EXISTS ${s.pgDb} WITH (FORCE)`], { stdio: 'ignore', timeout: 10000 });
      } catch { /* ignore */ }
    }
  }
});

function binPath() {
  const bin = process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal');
  return path.resolve(bin);
}

function run(file, args, { env, cwd, timeout = 120000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, cwd, timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const what = [file, ...args].join(' ');
        err.message = `${what} failed (${err.code ?? err.signal}):\n${stderr}${stdout}`;
        reject(err);
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

function psql(adminUrl, sql) {
  return run('psql', [adminUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { timeout: 30000 });
}

/** A free TCP port on 127.0.0.1 (free when asked: the server binds it right after). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function exitCodeOf(code, signal) {
  if (code !== null && code !== undefined) return code;
  if (signal) return 128 + (os.constants.signals[signal] ?? 0);
  return null;
}

/** Body → { status, headers, text }; headers is the fetch Headers (get(), getSetCookie()). */
async function toResult(res) {
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function formBody(form) {
  if (form === undefined || form === null) return '';
  if (typeof form === 'string') return form;
  if (form instanceof URLSearchParams) return form.toString();
  // An object ({a: '1', b: ['x', 'y']}) or a list of pairs ([['a', '1'], ['a', '2']]).
  const p = new URLSearchParams();
  const entries = Array.isArray(form) ? form : Object.entries(form);
  for (const [k, v] of entries) {
    if (Array.isArray(v)) v.forEach((x) => p.append(k, String(x)));
    else p.append(k, String(v));
  }
  return p.toString();
}

function mergeHeaders(...sets) {
  const h = new Headers();
  for (const s of sets) {
    if (!s) continue;
    new Headers(s).forEach((v, k) => h.set(k, v));
  }
  return h;
}

/**
 * Start the real server on a fresh database.
 * opts.demo      false: skip `klantportal demo` (default: load the demo data)
 * opts.migrate   false: skip `klantportal migrate` (and the demo)
 * opts.serveArgs extra arguments for `klantportal serve` (e.g. ['--no-migrate'])
 * opts.env       extra environment for migrate, demo and serve
 * opts.dbUrl     serve this existing database (another server's srv.dbUrl) instead of a fresh
 *                one: nothing is created, migrated, loaded or dropped by this handle
 * opts.timeoutMs how long to wait for /healthz (default 15000)
 */
export async function startServer(opts = {}) {
  const backend = (process.env.KP_TEST_DB || 'sqlite').toLowerCase();
  const bin = binPath();
  if (!fs.existsSync(bin)) throw new Error(`server binary ${bin} not found: run \`make build\` (or set KP_BIN)`);

  const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kp-test-'));
  const mailDir = path.join(tmpDir, 'mail');
  await fsp.mkdir(mailDir);
  ownForServer(tmpDir, opts.env?.KLANTPORTAL_USER ?? process.env.KLANTPORTAL_USER);

  const state = { child: null, tmpDir, pgDb: null, pgAdmin: null };
  let dbUrl;
  try {
    if (opts.dbUrl) {
      dbUrl = opts.dbUrl;
    } else if (backend === 'sqlite') {
      dbUrl = `sqlite:${path.join(tmpDir, 'kp.db')}`;
    } else if (backend === 'postgres' || backend === 'postgresql') {
      const admin = process.env.KP_TEST_PG_ADMIN;
      if (!admin) throw new Error('KP_TEST_DB=postgres needs KP_TEST_PG_ADMIN (scripts/pg.sh start prints it)');
      const name = `kp_${crypto.randomBytes(6).toString('hex')}`;
      await psql(admin, `CREATE DATABASE ${name}`);
      state.pgDb = name;
      state.pgAdmin = admin;
      const u = new URL(admin);
      u.pathname = `/${name}`;
      dbUrl = u.toString();
    } else {
      throw new Error(`KP_TEST_DB must be sqlite or postgres, not ${backend}`);
    }

    const baseEnv = {
      ...process.env,
      KLANTPORTAL_DB: dbUrl,
      KLANTPORTAL_MAIL_DIR: mailDir,
      KLANTPORTAL_SECRET_KEY_FILE: path.join(tmpDir, 'klantportal.key'),
      // Tests change the database and look at pages right after: no page cache unless a test
      // asks for it (tests/web/pagecache.test.mjs).
      KLANTPORTAL_PAGE_CACHE_MS: '0',
      ...(opts.env || {}),
    };

    if (opts.migrate !== false && !opts.dbUrl) {
      await run(bin, ['migrate'], { env: baseEnv, cwd: repoRoot });
      if (opts.demo !== false) await run(bin, ['demo'], { env: baseEnv, cwd: repoRoot });
    }

    // The port is free when asked; should another process take it before the server binds,
    // the server dies at once and we try again with another.
    let lastErr;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = {
        ...baseEnv,
        KLANTPORTAL_LISTEN: `127.0.0.1:${port}`,
        KLANTPORTAL_BASE_URL: url,
        ...(opts.env || {}),
      };
      const started = await spawnServer(bin, env, state, opts.timeoutMs ?? 15000, url, opts.serveArgs || []);
      if (started.ok) return makeHandle(state, { url, mailDir, dbUrl, output: started.output });
      lastErr = started.error;
      if (!/in use|EADDRINUSE|bind/i.test(started.output.stderr)) break;
    }
    throw lastErr;
  } catch (err) {
    await cleanup(state);
    throw err;
  }
}

async function spawnServer(bin, env, state, timeoutMs, url, serveArgs) {
  const output = { stderr: '', stdout: '' };
  const child = spawn(bin, ['serve', ...serveArgs], { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  state.child = child;
  live.add(state);
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { output.stdout += d; });
  child.stderr.on('data', (d) => {
    output.stderr += d;
    if (process.env.KP_TEST_VERBOSE) process.stderr.write(d);
  });
  state.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
    child.on('error', (e) => { output.stderr += `\nspawn error: ${e.message}`; resolve(-1); });
  });
  state.exitCode = undefined;
  state.exited.then((c) => { state.exitCode = c; });

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (state.exitCode !== undefined) break;
    try {
      const res = await fetch(`${url}/healthz`, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return { ok: true, output };
    } catch { /* not listening yet */ }
    await sleep(50);
  }
  // Give a dying server a moment so its last words are in the message.
  await Promise.race([state.exited, sleep(200)]);
  const died = state.exitCode !== undefined;
  if (!died) {
    child.kill('SIGKILL');
    await state.exited;
  }
  live.delete(state);
  const why = died ? `exited with code ${state.exitCode} before /healthz answered`
    : `/healthz did not answer 200 within ${timeoutMs} ms`;
  return { ok: false, output, error: new Error(`klantportal serve ${why} (${url}).\n--- server stderr ---\n${output.stderr}\n--- server stdout ---\n${output.stdout}`) };
}

async function cleanup(state) {
  if (state.pgDb) {
    try { await psql(state.pgAdmin, `DROP DATABASE IF EXISTS ${state.pgDb} WITH (FORCE)`); } catch { /* best effort */ }
    state.pgDb = null;
  }
  await fsp.rm(state.tmpDir, { recursive: true, force: true });
  live.delete(state);
}

function makeHandle(state, { url, mailDir, dbUrl, output }) {
  const { tmpDir } = state;
  let stopping = null;

  const get = async (p, init = {}) =>
    toResult(await fetch(url + p, { redirect: 'manual', ...init }));

  const post = async (p, form, init = {}) =>
    toResult(await fetch(url + p, {
      redirect: 'manual',
      ...init,
      method: init.method || 'POST',
      headers: mergeHeaders({ 'content-type': 'application/x-www-form-urlencoded' }, init.headers),
      body: formBody(form),
    }));

  async function stop() {
    if (stopping) return stopping;
    stopping = (async () => {
      if (state.exitCode === undefined) {
        state.child.kill('SIGTERM');
        const t = setTimeout(() => state.child.kill('SIGKILL'), 10000);
        await state.exited;
        clearTimeout(t);
      }
      const code = state.exitCode;
      await cleanup(state);
      const sanitizer = SANITIZER_RE.test(output.stderr);
      if (code !== 0 || sanitizer) {
        process.stderr.write(`klantportal serve exited with ${code}${sanitizer ? ' and a sanitizer report' : ''}; its stderr:\n${output.stderr.slice(-20000)}\n`);
        if (process.env.KP_TEST_STRICT_EXIT === '1') {
          throw new Error(`klantportal serve exited with ${code}${sanitizer ? ' after a sanitizer report' : ''}:\n${output.stderr.slice(-8000)}`);
        }
      }
      return code;
    })();
    return stopping;
  }

  return {
    url,
    mailDir,
    dbUrl,
    tmpDir,
    backend: dbUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres',
    stop,
    get,
    post,
    /** The server's process id (for signals and /proc). */
    pid: state.child.pid,
    stderr: () => output.stderr,
    stdout: () => output.stdout,
    /** A client that keeps cookies between requests (like a browser, without following redirects). */
    client: () => makeClient(url),
    /** The emails the server wrote to its mail folder, parsed, oldest first. */
    mails: () => readMails(mailDir),
    /** The emails to one address, oldest first. */
    mailsTo: async (to) => (await readMails(mailDir)).filter((m) => m.to?.value?.[0]?.address === to),
    /** Waits until at least `count` emails to `to` are there (the sender works in the
     * background); resolves with them, oldest first. */
    waitForMail: async (to, count = 1, timeoutMs = 8000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mails = (await readMails(mailDir)).filter((m) => m.to?.value?.[0]?.address === to);
        if (mails.length >= count) return mails;
        if (Date.now() > deadline) throw new Error(`no mail for ${to} (have ${mails.length})`);
        await sleep(100);
      }
    },
  };
}

/** A cookie-keeping client: { get, post, cookies, cookie(name) }. */
export function makeClient(url) {
  const jar = new Map();
  const remember = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) ||
        attrs.some((a) => /^\s*expires\s*=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const withCookies = (init = {}) => {
    const h = mergeHeaders(init.headers);
    if (jar.size && !h.has('cookie')) h.set('cookie', cookieHeader());
    return { ...init, headers: h };
  };
  return {
    cookies: jar,
    cookie: (name) => jar.get(name),
    get: async (p, init = {}) =>
      toResult(remember(await fetch(url + p, { redirect: 'manual', ...withCookies(init) }))),
    post: async (p, form, init = {}) => {
      const i = withCookies(init);
      i.headers = mergeHeaders({ 'content-type': 'application/x-www-form-urlencoded' }, i.headers);
      return toResult(remember(await fetch(url + p, {
        redirect: 'manual', ...i, method: init.method || 'POST', body: formBody(form),
      })));
    },
  };
}

/** Parsed .eml files in dir (mailparser's simpleParser objects plus .file), oldest first. */
export async function readMails(dir) {
  const { simpleParser } = await import('mailparser');
  let names;
  try {
    names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.eml'));
  } catch (e) {
    if (e.code === 'ENOENT') return [];
    throw e;
  }
  const withTime = await Promise.all(names.map(async (n) => {
    const file = path.join(dir, n);
    return { file, mtime: (await fsp.stat(file)).mtimeMs };
  }));
  // Files are named after their outbox id, which is the order the server made them in; a
  // message retried later keeps its place.
  withTime.sort((a, b) => path.basename(a.file).localeCompare(path.basename(b.file), 'en', { numeric: true }) || a.mtime - b.mtime);
  const out = [];
  for (const { file } of withTime) {
    const mail = await simpleParser(await fsp.readFile(file));
    mail.file = file;
    out.push(mail);
  }
  return out;
}

/**
 * Send raw bytes over TCP and resolve with whatever comes back, as text ('' if the server just
 * closed). Resolves when the server closes, or `idleMs` after the last byte received (for
 * keep-alive answers), or after `timeoutMs` in all.
 */
export function rawRequest(url, bytes, { timeoutMs = 5000, idleMs = 500, endAfterWrite = false } = {}) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const chunks = [];
    let done = false;
    let idle = null;
    const sock = net.connect({ host: u.hostname, port: Number(u.port || 80) });
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(total);
      clearTimeout(idle);
      sock.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const total = setTimeout(finish, timeoutMs);
    sock.on('connect', () => {
      sock.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
      if (endAfterWrite) sock.end();
    });
    sock.on('data', (d) => {
      chunks.push(d);
      clearTimeout(idle);
      idle = setTimeout(finish, idleMs);
    });
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', finish);
  });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/**
 * Debian's chromium, headless, through playwright-core (which never downloads a browser).
 * Playwright starts every launch with a fresh, empty --user-data-dir of its own in the temp
 * folder (playwright_chromiumdev_profile-*) and removes it on browser.close(). Use
 * browser.newContext() per test for separate cookies.
 */
export async function launchBrowser(options = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.KP_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS,
    timeout: 60000,
    ...options,
  });
}

/**
 * Serious and critical accessibility violations on the page (axe-core, WCAG 2.x A/AA rules).
 * options.exclude: CSS selectors to leave out; options.tags: rule tags (default WCAG A+AA).
 */
export async function axeCheck(page, options = {}) {
  const { AxeBuilder } = await import('@axe-core/playwright');
  let b = new AxeBuilder({ page }).withTags(options.tags || ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  for (const sel of options.exclude || []) b = b.exclude(sel);
  const results = await b.analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One readable line per violation and node, for assertion messages. */
export function formatViolations(violations) {
  return violations.map((v) =>
    `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`,
  ).join('\n');
}
