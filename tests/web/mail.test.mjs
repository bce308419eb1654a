// Outgoing email through `klantportal mail test|send`: as .eml files, by SMTP (smtp-server), and
// a retry after the SMTP server was down at first.
//
// These tests use their own database without a running server: once `serve` runs a mail sender,
// it would take messages from the same outbox and deliver them its own way while a test is
// looking. KP_TEST_DB / KP_TEST_PG_ADMIN choose the database as in lib/harness.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { repoRoot, freePort, readMails, ownForServer } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';

const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));
const SUBJECT = 'Testbericht van de Klantportal';
const SANITIZER_RE = /ERROR: (Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer/;

let tmpDir;
let dbUrl;
let mailDir;
let pgDb = null;

function psqlAdmin(query) {
  execFileSync('psql', [process.env.KP_TEST_PG_ADMIN, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', query],
    { stdio: 'ignore', timeout: 30000 });
}

before(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-mail-'));
  ownForServer(tmpDir);
  mailDir = path.join(tmpDir, 'mail');
  const backend = (process.env.KP_TEST_DB || 'sqlite').toLowerCase();
  if (backend === 'sqlite') {
    dbUrl = `sqlite:${path.join(tmpDir, 'kp.db')}`;
  } else {
    const admin = process.env.KP_TEST_PG_ADMIN;
    if (!admin) throw new Error('KP_TEST_DB=postgres needs KP_TEST_PG_ADMIN');
    pgDb = `kp_${crypto.randomBytes(6).toString('hex')}`;
    psqlAdmin(`CREATE DATABASE ${pgDb}`);
    const u = new URL(admin);
    u.pathname = `/${pgDb}`;
    dbUrl = u.toString();
  }
});

after(() => {
  if (pgDb) psqlAdmin(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`);
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

/** Runs `klantportal mail ...` on the test database; resolves with { code, stdout, stderr }. */
async function mail(args, env = {}) {
  const full = { ...process.env, KLANTPORTAL_DB: dbUrl, KLANTPORTAL_MAIL_DIR: mailDir, ...env };
  if (!env.KLANTPORTAL_SMTP_URL) delete full.KLANTPORTAL_SMTP_URL;
  const r = await new Promise((resolve) => {
    execFile(bin, ['mail', ...args], { env: full, cwd: repoRoot, timeout: 90000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
  assert.doesNotMatch(r.stderr, SANITIZER_RE);
  return r;
}

/** An SMTP server on 127.0.0.1:port that keeps what it receives. */
async function startSmtp(port, { user, pass, host = '127.0.0.1' } = {}) {
  const received = [];
  const server = new SMTPServer({
    authOptional: !user,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, session, cb) {
      if (auth.username === user && auth.password === pass) cb(null, { user });
      else cb(new Error('Onjuiste gegevens'));
    },
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        received.push({
          raw,
          from: session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          parsed: await simpleParser(raw),
        });
        cb();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { received, close: () => new Promise((r) => server.close(r)) };
}

test('bad usage ends with status 2 and a usage line', async () => {
  for (const args of [[], ['test'], ['test', '--to'], ['verstuur'], ['send', 'extra']]) {
    const r = await mail(args);
    assert.equal(r.code, 2, `mail ${args.join(' ')}`);
    assert.match(r.stderr, /gebruik: klantportal mail/);
  }
  const r = await mail(['test', '--to', 'geen adres']);
  assert.equal(r.code, 2);
});

test('mail test writes a complete UTF-8 message to the mail folder', async () => {
  const r = await mail(['test', '--to', 'x@example.nl']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'verzonden naar x@example.nl');

  const mails = await readMails(mailDir);
  assert.equal(mails.length, 1);
  const m = mails[0];
  assert.equal(path.basename(m.file), `${await sqlValue(dbUrl, "SELECT max(id) FROM outbox")}.eml`);
  assert.equal(m.subject, SUBJECT);
  assert.equal(m.to.value[0].address, 'x@example.nl');
  assert.equal(m.from.value[0].address, 'info@onderwijsgroepnwh.nl');
  assert.match(m.messageId, /^<[0-9a-f]{32}\.\d+@klantportal>$/);
  assert.match(m.text, /Dit is een testbericht van de Klantportal/);
  assert.match(m.text, /één, café, € 12,50/);
  assert.match(m.html, /<strong>testbericht<\/strong>/);
  assert.match(m.html, /één, café, € 12,50/);
  assert.ok(Math.abs(m.date.getTime() - Date.now()) < 120000);

  const [[sent, attempts, error]] = await sql(dbUrl,
    "SELECT sent_at, attempts, last_error FROM outbox WHERE to_address = 'x@example.nl'");
  assert.ok(Number(sent) > 0);
  assert.equal(attempts, '1');
  assert.equal(error ?? '', '');
  // the raw file is 7-bit with CRLF line ends
  const raw = fs.readFileSync(m.file);
  assert.ok(raw.every((b) => b < 0x80));
  assert.doesNotMatch(raw.toString('latin1'), /[^\r]\n/);
});

test('with KLANTPORTAL_SMTP_URL the message goes to the SMTP server', async () => {
  const port = await freePort();
  const smtp = await startSmtp(port);
  try {
    const r = await mail(['test', '--to', 'smtp@example.nl'], { KLANTPORTAL_SMTP_URL: `smtp://127.0.0.1:${port}` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(smtp.received.length, 1);
    const got = smtp.received[0];
    assert.equal(got.from, 'info@onderwijsgroepnwh.nl');
    assert.deepEqual(got.to, ['smtp@example.nl']);
    assert.equal(got.parsed.subject, SUBJECT);
    assert.match(got.parsed.text, /één, café, € 12,50/);
    assert.match(got.parsed.html, /testbericht/);
    // nothing went to the folder this time
    assert.equal((await readMails(mailDir)).filter((m) => m.to.value[0].address === 'smtp@example.nl').length, 0);
  } finally {
    await smtp.close();
  }
});

test('SMTP login: the password is used but never shown', async () => {
  const port = await freePort();
  const smtp = await startSmtp(port, { user: 'portal', pass: 'geheim-Wachtw00rd' });
  try {
    const wrong = await mail(['test', '--to', 'auth@example.nl'],
      { KLANTPORTAL_SMTP_URL: `smtp://portal:fout-Wachtw00rd@127.0.0.1:${port}` });
    assert.equal(wrong.code, 1);
    assert.doesNotMatch(wrong.stderr + wrong.stdout, /fout-Wachtw00rd/);
    const stored = await sql(dbUrl, "SELECT last_error FROM outbox WHERE to_address = 'auth@example.nl'");
    assert.doesNotMatch(JSON.stringify(stored), /fout-Wachtw00rd/);
    assert.equal(smtp.received.length, 0);

    await sql(dbUrl, "UPDATE outbox SET next_attempt_at = 0 WHERE to_address = 'auth@example.nl'");
    const right = await mail(['send'], { KLANTPORTAL_SMTP_URL: `smtp://portal:geheim-Wachtw00rd@127.0.0.1:${port}` });
    assert.equal(right.code, 0, right.stderr);
    assert.doesNotMatch(right.stderr + right.stdout, /geheim-Wachtw00rd/);
    assert.equal(smtp.received.length, 1);
  } finally {
    await smtp.close();
  }
});

test('a mail with files goes to the SMTP server with them, byte for byte and with their names', async () => {
  // queued as a feature does: the outbox row and its files in one go
  await sql(dbUrl, `INSERT INTO outbox (message_id, to_address, to_name, subject, body_text, created_at, next_attempt_at)
    VALUES ('<bijlagen@klantportal>', 'files@example.nl', 'Łucja Coördinator', 'Uw factuur', 'Zie de bijlagen.', 1, 0)`);
  const id = await sqlValue(dbUrl, "SELECT id FROM outbox WHERE to_address = 'files@example.nl'");
  const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80, 0x0d, 0x0a, 0x00]);
  const blob = (b) => (dbUrl.startsWith('sqlite:') ? `X'${b.toString('hex')}'` : `decode('${b.toString('hex')}', 'hex')`);
  await sql(dbUrl, `INSERT INTO outbox_attachments (outbox_id, filename, content_type, data) VALUES
    (${id}, 'Factuur Łódź.pdf', 'application/pdf', ${blob(pdf)}),
    (${id}, 'uitnodiging.ics', 'text/calendar; charset=utf-8', ${blob(Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'))})`);
  const port = await freePort();
  const smtp = await startSmtp(port);
  try {
    const r = await mail(['send'], { KLANTPORTAL_SMTP_URL: `smtp://127.0.0.1:${port}` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(smtp.received.length, 1);
    const got = smtp.received[0].parsed;
    assert.match(got.text, /Zie de bijlagen\./);
    assert.deepEqual(got.attachments.map((a) => [a.filename, a.contentType]),
      [['Factuur Łódź.pdf', 'application/pdf'], ['uitnodiging.ics', 'text/calendar']]);
    assert.deepEqual([...got.attachments[0].content], [...pdf]);
    assert.equal(got.attachments[1].content.toString(), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    assert.ok(smtp.received[0].raw.every((b) => b < 0x80), 'the message is 7-bit');
  } finally {
    await smtp.close();
  }
});

test('a server that is down at first gets the message later, exactly once', async () => {
  const port = await freePort();
  const url = `smtp://127.0.0.1:${port}`;
  const down = await mail(['test', '--to', 'later@example.nl'], { KLANTPORTAL_SMTP_URL: url });
  assert.equal(down.code, 1);
  assert.match(down.stderr, /niet verzonden: SMTP/);

  const [[id, attempts, error, sent, next, messageId]] = await sql(dbUrl,
    "SELECT id, attempts, last_error, sent_at, next_attempt_at, message_id FROM outbox WHERE to_address = 'later@example.nl'");
  assert.equal(attempts, '1');
  assert.match(error, /SMTP/);
  assert.equal(sent ?? '', '');
  assert.ok(Number(next) > Date.now() / 1000 + 20, 'retry about 30 s later');

  const smtp = await startSmtp(port);
  try {
    // not due yet: nothing happens
    let r = await mail(['send'], { KLANTPORTAL_SMTP_URL: url });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(smtp.received.length, 0);

    // as if the 30 s had passed
    await sql(dbUrl, `UPDATE outbox SET next_attempt_at = 0 WHERE id = ${id}`);
    r = await mail(['send'], { KLANTPORTAL_SMTP_URL: url });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(smtp.received.length, 1);
    assert.equal(smtp.received[0].parsed.messageId, messageId);
    assert.deepEqual(smtp.received[0].to, ['later@example.nl']);

    r = await mail(['send'], { KLANTPORTAL_SMTP_URL: url });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(smtp.received.length, 1, 'sent once');
    const [[sentAt, tries, lastError]] = await sql(dbUrl,
      `SELECT sent_at, attempts, last_error FROM outbox WHERE id = ${id}`);
    assert.ok(Number(sentAt) > 0);
    assert.equal(tries, '2');
    assert.equal(lastError ?? '', '');
  } finally {
    await smtp.close();
  }
});

/** An IPv4 address of this machine that is not loopback, or undefined. */
function publicAddress() {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list || []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

test('smtp:// to a relay that is not on a loopback address must do STARTTLS, or nothing is sent', async (t) => {
  const host = publicAddress();
  if (!host) {
    t.skip('this machine has no address besides loopback');
    return;
  }
  const port = await freePort();
  const smtp = await startSmtp(port, { host }); // offers no STARTTLS, like a stripped connection
  try {
    const r = await mail(['test', '--to', 'tls@example.nl'], { KLANTPORTAL_SMTP_URL: `smtp://${host}:${port}` });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /niet verzonden: SMTP/);
    assert.equal(smtp.received.length, 0, 'nothing went over the plain connection');
  } finally {
    await smtp.close();
  }
});
