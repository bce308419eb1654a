// The program and the HTTP core: bad settings end with status 2 and one clear line, malformed
// and oversized requests get 4xx and the server stays up, SIGTERM stops it cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, rawRequest, repoRoot, freePort } from './lib/harness.mjs';

const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));

function klantportal(args, env = {}) {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, ...env }, timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

test('an unknown subcommand ends with status 2 and a usage line', async () => {
  const r = await klantportal(['vliegen']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /onbekend commando 'vliegen'/);
  assert.doesNotMatch(r.stderr, /Segmentation|Aborted|Sanitizer/);
});

test('an unreadable database path ends with status 2 and one line', async () => {
  const r = await klantportal(['migrate'], { KLANTPORTAL_DB: 'sqlite:/bestaat/niet/kp.db' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^klantportal: .*\/bestaat\/niet\/kp\.db/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('a PostgreSQL that does not answer ends with status 2 without its password', async () => {
  const port = await freePort();
  const r = await klantportal(['serve'], {
    KLANTPORTAL_DB: `postgresql://kp:geheim123@127.0.0.1:${port}/kp`,
    KLANTPORTAL_LISTEN: '127.0.0.1:0',
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /PostgreSQL antwoordt niet/);
  assert.doesNotMatch(r.stderr, /geheim123/);
});

test('a database URL of another kind is refused', async () => {
  const r = await klantportal(['migrate'], { KLANTPORTAL_DB: 'mysql://x' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /KLANTPORTAL_DB/);
});

test('a listen address in use ends with status 2', async () => {
  const port = new URL(srv.url).port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-cli-'));
  try {
    const r = await klantportal(['serve'], {
      KLANTPORTAL_DB: `sqlite:${dir}/kp.db`,
      KLANTPORTAL_LISTEN: `127.0.0.1:${port}`,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /kan niet luisteren op 127\.0\.0\.1:\d+: Address already in use/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad listen setting ends with status 2', async () => {
  const r = await klantportal(['serve'], { KLANTPORTAL_LISTEN: 'geen-poort' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /KLANTPORTAL_LISTEN/);
});

test('demo refuses a database that already has data', async () => {
  const r = await klantportal(['demo'], { KLANTPORTAL_DB: srv.dbUrl });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /niet leeg/);
});

test('migrate twice is harmless', async () => {
  const r = await klantportal(['migrate'], { KLANTPORTAL_DB: srv.dbUrl });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /database bijgewerkt/);
});

test('a malformed request line gets 400 and the server stays up', async () => {
  const out = await rawRequest(srv.url, 'GET / HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n');
  assert.match(out, /^HTTP\/1\.[01] 400/);
  const cl = await rawRequest(srv.url, 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n');
  assert.match(cl, /^HTTP\/1\.[01] 400/);
  // A request line that is not HTTP at all: the connection is closed (or a 4xx).
  const garbage = await rawRequest(srv.url, 'GARBAGE\r\n\r\n');
  assert.ok(garbage === '' || /^HTTP\/1\.[01] 4\d\d/.test(garbage), garbage.slice(0, 40));
  const junk = await rawRequest(srv.url, Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]));
  assert.ok(junk === '' || /^HTTP\/1\.[01] 4\d\d/.test(junk), junk.slice(0, 40));
  assert.equal((await srv.get('/healthz')).status, 200);
});

test('oversized headers and bodies are refused', async () => {
  const big = 'x'.repeat(40000);
  const h = await rawRequest(srv.url, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${big}\r\n\r\n`);
  assert.match(h, /^HTTP\/1\.1 4(13|31)/);
  const b = await rawRequest(srv.url, 'POST /cursusagenda HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 50000000\r\n\r\nq=1');
  assert.match(b, /^HTTP\/1\.1 413/);
  assert.match(b, /Te veel gegevens/);
  assert.equal((await srv.get('/healthz')).status, 200);
});

test('broken encodings in the query are a 400 page, never a crash', async () => {
  for (const q of ['q=%', 'q=%zz', 'q=%00', 'q=%FF%FE', 'q=%C0%AF']) {
    const r = await srv.get(`/cursusagenda?${q}`);
    assert.equal(r.status, 400, q);
    assert.match(r.text, /Ongeldig verzoek/, q);
  }
  const long = await srv.get(`/cursusagenda?q=${'a'.repeat(500)}`);
  assert.equal(long.status, 200);
  assert.match(long.text, /Maximaal 100 tekens/);
  const many = await srv.get(`/cursusagenda?${Array.from({ length: 200 }, (_, i) => `f${i}=1`).join('&')}`);
  assert.equal(many.status, 400);
  assert.equal((await srv.get('/healthz')).status, 200);
});

test('a connection that sends nothing is closed, others are served meanwhile', async () => {
  const sock = net.connect({ host: '127.0.0.1', port: Number(new URL(srv.url).port) });
  await new Promise((r) => sock.on('connect', r));
  sock.write('GET / HTTP/1.1\r\nHost: a\r\n'); // never finished
  assert.equal((await srv.get('/healthz')).status, 200);
  sock.destroy();
});

test('the access log has one line per request, without the query of token pages', async () => {
  await srv.get('/cursusagenda?q=zoekterm');
  const log = srv.stderr();
  assert.match(log, /GET \/cursusagenda\?q=zoekterm 200 \d+ [\d.]+ms 127\.0\.0\.1/);
});

test('SIGTERM finishes and exits 0', async () => {
  const own = await startServer({ demo: false });
  assert.equal((await own.get('/healthz')).status, 200);
  const code = await own.stop();
  assert.equal(code, 0);
});

test('a database error shows the Dutch 500 page without internals, and the server goes on', async () => {
  const own = await startServer();
  try {
    const { sql } = await import('./lib/db.mjs');
    await sql(own.dbUrl, 'DROP TABLE news');
    const r = await own.get('/nieuws');
    assert.equal(r.status, 500);
    assert.match(r.text, /Er ging iets mis/);
    assert.doesNotMatch(r.text, /SELECT|news|sqlite|postgres|relation|no such table/i);
    assert.match(own.stderr(), /database: GET \/nieuws/, 'the reason is in the log');
    assert.equal((await own.get('/cursusagenda')).status, 200);
  } finally {
    await own.stop();
  }
});

test('under an https base URL: HSTS, and cookies are Secure with the __Host- prefix', async () => {
  const own = await startServer({ env: { KLANTPORTAL_BASE_URL: 'https://portal.example.nl' } });
  try {
    const home = await own.get('/');
    assert.match(home.headers.get('strict-transport-security'), /max-age=\d+/);
    const form = await own.get('/inloggen');
    const pre = form.headers.getSetCookie().find((c) => c.startsWith('__Host-kp_csrf='));
    assert.ok(pre, 'pre-session cookie with the __Host- prefix');
    assert.match(pre, /; Secure/);
    const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
    const r = await own.post('/inloggen', { csrf, gebruikersnaam: 'martin.sommer@example.nl', wachtwoord: 'Cursus!2026' },
      { headers: { cookie: `__Host-kp_csrf=${csrf}` } });
    assert.equal(r.status, 303);
    const session = r.headers.getSetCookie().find((c) => c.startsWith('__Host-kp_sessie='));
    assert.match(session, /; HttpOnly; SameSite=Lax; Secure/);
  } finally {
    await own.stop();
  }
});

