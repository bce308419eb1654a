// Connections that cannot starve the server: a per-address connection limit (trusted proxies
// exempt), a deadline for receiving a whole request, body limits per route, the client address
// behind trusted proxies, and what a request may put in the access log and in Location.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startServer, rawRequest, repoRoot } from './lib/harness.mjs';
import { sql, isoDay } from './lib/db.mjs';

const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const portOf = (srv) => Number(new URL(srv.url).port);

const servers = [];
async function server(env) {
  const s = await startServer({ env });
  servers.push(s);
  return s;
}
after(async () => { for (const s of servers) await s.stop(); });

function klantportal(args, env) {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, ...env }, timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/** A socket from a chosen loopback address, with what it received and when it closed. */
function open(port, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port, localAddress });
    const s = { sock, data: '', closedAt: null };
    s.closed = new Promise((r) => sock.on('close', () => { s.closedAt = Date.now(); r(); }));
    sock.on('data', (d) => { s.data += d.toString('latin1'); });
    sock.on('error', () => {});
    sock.on('connect', () => resolve(s));
    sock.once('error', reject);
  });
}

const waitFor = async (cond, ms) => {
  const end = Date.now() + ms;
  while (Date.now() < end && !cond()) await sleep(50);
  return cond();
};

/** A GET over plain HTTP from a chosen local address. */
async function getFrom(srv, localAddress, target, headers = '') {
  const s = await open(portOf(srv), localAddress);
  s.sock.write(`GET ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n${headers}\r\n`);
  await Promise.race([s.closed, sleep(5000)]);
  s.sock.destroy();
  return s.data;
}

function rssKiB(srv) {
  const pid = execFileSync('ss', ['-ltnpH', `sport = :${portOf(srv)}`]).toString().match(/pid=(\d+)/)[1];
  return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)[1]);
}

test('bad connection settings end with status 2 and one line', async () => {
  for (const [name, value] of [
    ['KLANTPORTAL_TRUSTED_PROXIES', '10.0.0.1, proxy.intern'],
    ['KLANTPORTAL_TRUSTED_PROXIES', '10.0.0.0/40'],
    ['KLANTPORTAL_CONNECTIONS_PER_ADDRESS', '0'],
    ['KLANTPORTAL_RECEIVE_SECONDS', 'vijf'],
  ]) {
    const r = await klantportal(['serve'], { [name]: value, KLANTPORTAL_LISTEN: '127.0.0.1:0' });
    assert.equal(r.code, 2, `${name}=${value}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^klantportal: instellingen: ${name}`));
  }
  const r = await klantportal(['serve'], { KLANTPORTAL_TRUSTED_PROXIES: '10.0.0.1, proxy.intern' });
  assert.match(r.stderr, /'proxy\.intern' is geen IP-adres/);
});

test('1,010 idle sockets from one address do not stop the server answering others', async () => {
  const srv = await server({ KLANTPORTAL_CONNECTIONS_PER_ADDRESS: '50', KLANTPORTAL_TRUSTED_PROXIES: '127.0.0.3' });
  const port = portOf(srv);
  const idle = [];
  for (let i = 0; i < 1010; i++) idle.push(await open(port, '127.0.0.2'));
  // Everything past the first 50 is closed by the server at once.
  const closed = () => idle.filter((s) => s.closedAt).length;
  assert.ok(await waitFor(() => closed() >= 960, 5000), `closed ${closed()} of 1010`);
  await sleep(300);
  assert.ok(closed() <= 962, `only the excess is closed (${closed()})`);
  // Others are served, quickly, while those 50 are held open.
  const t0 = Date.now();
  const health = await srv.get('/healthz');
  assert.equal(health.status, 200);
  assert.ok(Date.now() - t0 < 2000);
  const page = await srv.get('/cursusagenda');
  assert.equal(page.status, 200);
  assert.match(page.text, /Cursusagenda/);
  // A trusted proxy is exempt: all its connections stay open.
  const proxy = [];
  for (let i = 0; i < 120; i++) proxy.push(await open(port, '127.0.0.3'));
  await sleep(800);
  assert.equal(proxy.filter((s) => s.closedAt).length, 0);
  // Places are given back when connections close.
  for (const s of idle) s.sock.destroy();
  await sleep(300);
  const again = await getFrom(srv, '127.0.0.2', '/healthz');
  assert.match(again, /^HTTP\/1\.1 200/);
  for (const s of proxy) s.sock.destroy();
});

test('a request trickled one byte a second is cut at the receive deadline', async (t) => {
  const srv = await server({ KLANTPORTAL_RECEIVE_SECONDS: '3' });
  const s = await open(portOf(srv));
  const request = 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-Traag: ' + 'x'.repeat(100) + '\r\n\r\n';
  const t0 = Date.now();
  let i = 0;
  const timer = setInterval(() => { if (!s.closedAt) s.sock.write(request[i++]); }, 1000);
  s.sock.write(request[i++]);
  await Promise.race([s.closed, sleep(10000)]);
  clearInterval(timer);
  s.sock.destroy();
  assert.ok(s.closedAt, 'the server closed the socket');
  const took = s.closedAt - t0;
  assert.ok(took <= 5000, `closed after ${took} ms, deadline 3 s`);
  // Measured from when this side saw the connection open, which a busy test process may see late.
  assert.ok(took >= 1500, `not long before the deadline (${took} ms)`);
  assert.equal(s.data, '', 'no answer to an unfinished request');
  t.diagnostic(`trickle closed after ${took} ms`);
  // On a connection of its own: an idle kept-alive one is closed at the same deadline.
  assert.match(await getFrom(srv, '127.0.0.1', '/healthz'), /^HTTP\/1\.1 200/);
});

test('a slow but complete request and keep-alive requests are served under the deadline', async () => {
  const srv = await server({ KLANTPORTAL_RECEIVE_SECONDS: '3' });
  const slow = await open(portOf(srv));
  for (const part of ['GET /healthz HTTP/1.1\r\n', 'Host: a\r\n', 'Connection: close\r\n\r\n']) {
    slow.sock.write(part);
    await sleep(800);
  }
  await Promise.race([slow.closed, sleep(5000)]);
  assert.match(slow.data, /^HTTP\/1\.1 200/);
  // Each request has its own deadline: the third comes 3.4 s after the connection opened.
  const ka = await open(portOf(srv));
  for (let n = 1; n <= 3; n++) {
    ka.sock.write('GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.ok(await waitFor(() => (ka.data.match(/HTTP\/1\.1 200/g) || []).length === n, 3000), `answer ${n}`);
    if (n < 3) await sleep(1700);
  }
  assert.equal(ka.closedAt, null);
  ka.sock.destroy();
});

test('requests parked for password hashing are not cut by the deadline', async () => {
  // Each login from its own client (behind a trusted proxy) for its own account, so the brake
  // lets them all through to the password check, which queues them for the hashing workers.
  // Sixty of them keep the last ones waiting well past the 2 s deadline.
  const srv = await server({
    KLANTPORTAL_RECEIVE_SECONDS: '2', KLANTPORTAL_CONNECTIONS_PER_ADDRESS: '500', KLANTPORTAL_TRUSTED_PROXIES: '127.0.0.1',
  });
  const form = await srv.get('/inloggen');
  const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = form.headers.getSetCookie().find((c) => c.startsWith('kp_csrf=')).split(';')[0];
  const t0 = Date.now();
  const all = await Promise.all(Array.from({ length: 60 }, (_, i) => {
    const body = new URLSearchParams({ csrf, gebruikersnaam: `onbekend${i}@example.nl`, wachtwoord: 'Cursus!2026' }).toString();
    return rawRequest(srv.url, `POST /inloggen HTTP/1.1\r\nHost: a\r\nConnection: close\r\nCookie: ${cookie}\r\n` +
      `X-Forwarded-For: 198.51.100.${i + 1}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body}`, { timeoutMs: 90000, idleMs: 90000 });
  }));
  const took = Date.now() - t0;
  const seen = {};
  for (const r of all) { const k = r.slice(0, 12) || 'closed'; seen[k] = (seen[k] || 0) + 1; }
  const answered = all.filter((r) => /^HTTP\/1\.1 200/.test(r) && /Gebruikersnaam of wachtwoord onjuist/.test(r));
  assert.equal(answered.length, 60, `all answered (${took} ms for 60): ${JSON.stringify(seen)}`);
});

test('a form body over 64 KiB is refused with the Dutch 413 page', async () => {
  const srv = await server({});
  const form = await srv.get('/inloggen');
  const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = form.headers.getSetCookie().find((c) => c.startsWith('kp_csrf=')).split(';')[0];
  const base = { csrf, gebruikersnaam: 'martin.sommer@example.nl', wachtwoord: 'Cursus!2026' };
  const pad = (kib) => Object.fromEntries(Array.from({ length: Math.ceil(kib / 8) }, (_, i) =>
    [`p${i}`, 'x'.repeat(Math.min(8000, kib * 1024 - i * 8000 - 200))]));
  // Just under: accepted (the undeclared fields are dropped) and the login goes on.
  const under = await srv.post('/inloggen', { ...base, ...pad(63) }, { headers: { cookie } });
  assert.equal(under.status, 303);
  const big = new URLSearchParams({ ...base, pad: 'x'.repeat(65 * 1024) }).toString();
  const over = await srv.post('/inloggen', big, { headers: { cookie } });
  assert.equal(over.status, 413);
  assert.match(over.text, /Te veel gegevens/);
  // Without a length (chunked), the same limit.
  const chunk = 'x'.repeat(16 * 1024);
  let raw = 'POST /inloggen HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n';
  raw += `${(5).toString(16)}\r\npad=x\r\n`;
  for (let i = 0; i < 5; i++) raw += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
  raw += '0\r\n\r\n';
  const chunked = await rawRequest(srv.url, raw);
  assert.match(chunked, /^HTTP\/1\.1 413/);
  assert.match(chunked, /Te veel gegevens/);
  assert.equal((await srv.get('/healthz')).status, 200);
});

test('a 60 KiB form body is read whole, with or without a length; 70 KiB is refused', async () => {
  const srv = await server({});
  const form = await srv.get('/inloggen');
  const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = form.headers.getSetCookie().find((c) => c.startsWith('kp_csrf=')).split(';')[0];
  // Padding first (undeclared, dropped), the login's own fields last: the login only goes on
  // when every byte up to the end of the body was kept.
  const body = (kib) => {
    const fields = new URLSearchParams({ csrf, gebruikersnaam: 'martin.sommer@example.nl', wachtwoord: 'Cursus!2026' }).toString();
    const pad = [];
    for (let left = kib * 1024 - fields.length; left > 0;) {
      const name = `p${pad.length}=`;
      const n = Math.min(7 * 1024, left - name.length - 1);
      pad.push(name + 'x'.repeat(n));
      left -= name.length + n + 1;
    }
    return `${pad.join('&')}&${fields}`;
  };
  const b60 = body(60), b70 = body(70);
  assert.equal(b60.length, 60 * 1024);
  const head = `POST /inloggen HTTP/1.1\r\nHost: a\r\nConnection: close\r\nCookie: ${cookie}\r\n` +
    'Content-Type: application/x-www-form-urlencoded\r\n';
  // Chunks of 4 KiB: a body of unknown length grows well past its first buffer.
  const chunked = (b) => `${head}Transfer-Encoding: chunked\r\n\r\n` +
    b.match(/[^]{1,4096}/g).map((c) => `${c.length.toString(16)}\r\n${c}\r\n`).join('') + '0\r\n\r\n';
  const declared = (b) => `${head}Content-Length: ${b.length}\r\n\r\n${b}`;
  for (const raw of [declared(b60), chunked(b60)]) {
    const r = await rawRequest(srv.url, raw);
    assert.match(r, /^HTTP\/1\.1 303/);
    assert.match(r, /\r\nLocation: \/mijn\r\n/i);
  }
  for (const raw of [declared(b70), chunked(b70)]) {
    const r = await rawRequest(srv.url, raw);
    assert.match(r, /^HTTP\/1\.1 413/);
    assert.match(r, /Te veel gegevens/);
  }
});

test('40 concurrent 1 MiB bodies: each refused, memory stays flat, the server answers', async (t) => {
  const srv = await server({});
  await srv.get('/cursusagenda');
  const before = rssKiB(srv);
  const mib = 'x'.repeat(1024 * 1024 - 4); // with 'pad=' exactly 1 MiB
  const head = 'POST /inloggen HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n';
  const declared = await Promise.all(Array.from({ length: 40 }, () =>
    rawRequest(srv.url, `${head}Content-Length: ${mib.length + 4}\r\n\r\npad=${mib}`, { timeoutMs: 15000 })));
  const chunked = await Promise.all(Array.from({ length: 40 }, () =>
    rawRequest(srv.url, `${head}Transfer-Encoding: chunked\r\n\r\n${(mib.length + 4).toString(16)}\r\npad=${mib}\r\n0\r\n\r\n`,
      { timeoutMs: 15000 })));
  const afterRss = rssKiB(srv);
  t.diagnostic(`VmRSS before ${before} KiB, after 2 x 40 bodies of 1 MiB ${afterRss} KiB`);
  for (const r of [...declared, ...chunked]) assert.ok(r === '' || /^HTTP\/1\.1 413/.test(r), r.slice(0, 40));
  assert.ok(chunked.every((r) => /^HTTP\/1\.1 413/.test(r)), 'each chunked body gets 413');
  assert.ok(declared.filter((r) => /^HTTP\/1\.1 413/.test(r)).length > 0);
  assert.equal((await srv.get('/healthz')).status, 200);
});

test('behind a trusted proxy the client is the right-most address it did not add', async () => {
  const srv = await server({ KLANTPORTAL_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' });
  const form = await srv.get('/inloggen');
  const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = form.headers.getSetCookie().find((c) => c.startsWith('kp_csrf=')).split(';')[0];
  const wrong = { csrf, gebruikersnaam: 'martin.sommer@example.nl', wachtwoord: 'fout' };
  const xff = { cookie, 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.1.2.3' };
  assert.equal((await srv.post('/inloggen', wrong, { headers: xff })).status, 200);
  const rows = await sql(srv.dbUrl, "SELECT client_ip FROM audit_log WHERE action = 'login_mislukt'");
  assert.deepEqual(rows.map((r) => r[0]), ['203.0.113.9']);
  // Garbage where our proxy should have written: the proxy's own address.
  await srv.get('/cursusagenda?q=een', { headers: { 'x-forwarded-for': '203.0.113.9, onbekend' } });
  assert.match(srv.stderr(), /GET \/cursusagenda\?q=een 200 \d+ [\d.]+ms 127\.0\.0\.1\n/);
  await srv.get('/cursusagenda?q=twee', { headers: { 'x-forwarded-for': '203.0.113.7' } });
  assert.match(srv.stderr(), /GET \/cursusagenda\?q=twee 200 \d+ [\d.]+ms 203\.0\.113\.7\n/);
  // A peer that is not a trusted proxy cannot choose its address.
  const out = await getFrom(srv, '127.0.0.2', '/cursusagenda?q=drie', 'X-Forwarded-For: 203.0.113.8\r\n');
  assert.match(out, /^HTTP\/1\.1 200/);
  assert.match(srv.stderr(), /GET \/cursusagenda\?q=drie 200 \d+ [\d.]+ms 127\.0\.0\.2\n/);
});

test('the access log shows control characters from a request as \\xNN', async () => {
  const srv = await server({});
  await rawRequest(srv.url, 'GET /cursusagenda?q=\x1b[2J\x7fx HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  await rawRequest(srv.url, 'GET /nep\x1b]0;titel\x07 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  await sleep(200);
  const log = srv.stderr();
  assert.match(log, /GET \/cursusagenda\?q=\\x1b\[2J\\x7fx 200 /);
  assert.match(log, /GET \/nep\\x1b\]0;titel\\x07 404 /);
  assert.doesNotMatch(log, /[\x1b\x7f\x07]/);
});

test('a redirect to an address with non-ASCII characters is percent-encoded', async () => {
  const srv = await server({});
  const c = srv.client();
  const form = await c.get('/inloggen');
  const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
  const login = await c.post('/inloggen', { csrf, gebruikersnaam: 'martin.sommer@example.nl', wachtwoord: 'Cursus!2026' });
  assert.equal(login.status, 303);
  const r = await c.get(`/inloggen?terug=${encodeURIComponent('/cursusagenda?q=café bar')}`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/cursusagenda?q=caf%C3%A9%20bar');
});

test('an old page link reaches page 200 at most; from there the pages go on by key', async () => {
  const srv = await server({});
  await sql(srv.dbUrl, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4100)
    INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
    SELECT (SELECT id FROM courses WHERE slug = 'basic-safety-stcw'), 'Diepe training ' || i,
      '${isoDay(100)}', '${isoDay(100)}', 'Texel', 10, 0, 0 FROM n`);
  const first = await srv.get('/cursusagenda?q=diepe');
  assert.match(first.text, /meer dan 500 evenementen gevonden/, 'the count stops at 500');
  assert.match(first.text, /<span>Pagina 1<\/span>/);
  const deep = await srv.get('/cursusagenda?q=diepe&pagina=999999');
  assert.equal(deep.status, 200);
  assert.match(deep.text, /<span>Pagina 200<\/span>/);
  const rows = deep.text.match(/<td data-label="Evenement">.*?<\/a>/g).map((td) => td.replace(/<[^>]+>/g, ''));
  assert.deepEqual(rows, Array.from({ length: 20 }, (_, i) => `Diepe training ${3981 + i}`));
  // past page 200 the pages go on by key, which costs no more than page 2
  const next = deep.text.match(/href="([^"]+)" rel="next"/)[1].replace(/&amp;/g, '&');
  const after = await srv.get(next);
  assert.match(after.text, /<span>Pagina 201<\/span>/);
  assert.match(after.text, /Diepe training 4001</);
});
