// The server process: SIGHUP does not stop it, SIGTERM lets requests in flight finish (also those
// parked while a password is hashed), and `serve --no-migrate` refuses a database whose schema is
// behind the program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, makeClient } from './lib/harness.mjs';
import { text } from './lib/portal.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('SIGHUP reloads nothing and the server keeps answering', async () => {
  const srv = await startServer({ demo: false });
  try {
    process.kill(srv.pid, 'SIGHUP');
    await sleep(200);
    const r = await srv.get('/healthz');
    assert.equal(r.status, 200);
    assert.match(srv.stderr(), /SIGHUP ontvangen/);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

// One whole POST /inloggen over its own socket; resolves with the socket's answer once it has
// been handed to the kernel (so the server has it), and with the text when the answer is in.
function rawLogin(url, cookie, body) {
  const u = new URL(url);
  const req = `POST /inloggen HTTP/1.1\r\nHost: ${u.host}\r\nCookie: ${cookie}\r\n` +
    'Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  let written;
  const wrote = new Promise((r) => { written = r; });
  const answer = new Promise((resolve) => {
    const chunks = [];
    const sock = net.connect({ host: u.hostname, port: Number(u.port) }, () => sock.write(req, () => written()));
    sock.on('data', (d) => chunks.push(d));
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    sock.on('error', () => {});
  });
  return { wrote, answer };
}

test('SIGTERM during logins: every request already sent gets its whole answer', async () => {
  const srv = await startServer({ demo: false });
  // Unknown accounts: each check still runs Argon2id on the worker pool (a dummy hash), so the
  // requests are parked when the signal comes.
  const clients = Array.from({ length: 8 }, () => makeClient(srv.url));
  const forms = await Promise.all(clients.map((c) => c.get('/inloggen')));
  const sent = clients.map((c, i) => rawLogin(srv.url, `kp_csrf=${c.cookie('kp_csrf')}`,
    new URLSearchParams({
      csrf: forms[i].text.match(/name="csrf" value="([^"]+)"/)[1],
      gebruikersnaam: `onbekend${i}@example.nl`,
      wachtwoord: 'Fout!wachtwoord1',
    }).toString()));
  await Promise.all(sent.map((s) => s.wrote));
  await sleep(300);
  const code = srv.stop();
  for (const s of sent) {
    const answer = await s.answer;
    assert.match(answer, /^HTTP\/1\.1 200/, `a request was cut off: ${answer.slice(0, 80)}`);
    assert.match(text(answer), /Gebruikersnaam of wachtwoord onjuist/);
  }
  assert.equal(await code, 0);
});

test('serve --no-migrate refuses a database that is behind, and serves one that is current', async () => {
  await assert.rejects(
    startServer({ migrate: false, serveArgs: ['--no-migrate'], timeoutMs: 5000 }),
    /migratie\(s\) nog niet uitgevoerd; voer eerst 'klantportal migrate' uit/,
  );
  const srv = await startServer({ demo: false, serveArgs: ['--no-migrate'] });
  try {
    assert.equal((await srv.get('/healthz')).status, 200);
    assert.equal((await srv.get('/cursusagenda')).status, 200);
  } finally {
    await srv.stop();
  }
});
