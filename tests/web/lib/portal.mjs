// Logged-in clients for the portal tests: log in as a demo person and pick a context, like a
// person would through Inloggen and Selecteer organisatie.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { makeClient } from './harness.mjs';
import { sqlValue } from './db.mjs';

export const PW = 'Cursus!2026';
export const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)?.[1];
export const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');

/** Logs in; returns the client and the response of the login POST. */
export async function loginAs(srv, email, pw = PW, extra = {}) {
  const c = makeClient(srv.url);
  const form = await c.get('/inloggen');
  const r = await c.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: email, wachtwoord: pw, ...extra });
  assert.equal(r.status, 303, `login ${email}`);
  return { c, r };
}

export const orgId = (srv, name) => sqlValue(srv.dbUrl, `SELECT id FROM organisations WHERE name = '${name}'`);
export const personId = (srv, email) => sqlValue(srv.dbUrl, `SELECT id FROM persons WHERE email = '${email}'`);

/** Chooses "persoon" or an organisation by name through the Selecteer organisatie form. */
export async function choose(srv, c, org) {
  const page = await c.get('/organisatie-kiezen');
  assert.equal(page.status, 200);
  const value = org === 'persoon' ? 'persoon' : await orgId(srv, org);
  const r = await c.post('/organisatie-kiezen', { csrf: csrfOf(page.text), organisatie: value });
  assert.equal(r.status, 303, `choose ${org}`);
  return r;
}

/** A client logged in as email, acting as person or for the named organisation. */
export async function actingAs(srv, email, org = null) {
  const { c } = await loginAs(srv, email);
  if (org) await choose(srv, c, org);
  return c;
}

// ---------------------------------------------------------------- the second factor

/** RFC 4648 base32 (spaces ignored) to bytes. */
export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (SHA-1, 6 digits) of a base32 key for a 30-second step. */
export function totpAt(key, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32Decode(key)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1000000).padStart(6, '0');
}
export const totpStep = (t = Date.now()) => Math.floor(t / 1000 / 30);

/** The key a page shows in text beside the QR code. */
export const totpKeyOf = (html) => html.match(/class="totp-key"[^>]*>([A-Z2-7 ]+)</)?.[1];
/** The recovery codes a page shows once. */
export const recoveryCodesOf = (html) => [...html.matchAll(/class="recovery-code"[^>]*>([a-z0-9-]+)</g)].map((m) => m[1]);

/** A code the server has not seen yet for this key: each code is accepted once, and the server
 * takes the step before and after the current one too. Never the step before: the server reads
 * its clock a moment later, and across a step's boundary that one is two steps old. Past the
 * step after, wait for the next step. */
export async function freshCode(srv, email, key) {
  srv.totpSteps ??= {};
  for (;;) {
    const now = totpStep();
    const last = srv.totpSteps[email] ?? -1;
    const step = Math.max(now, last + 1);
    if (step <= now + 1) {
      srv.totpSteps[email] = step;
      return totpAt(key, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A staff member logged in with password and code, through the back office's own pages. The
 * first login of an account enrols its second factor (keys are kept per server in srv.totpKeys,
 * the recovery codes in srv.recoveryCodes). Returns the client. */
export async function staffClient(srv, email = 'administratie@example.nl', pw = PW) {
  srv.totpKeys ??= {};
  srv.recoveryCodes ??= {};
  const { c, r } = await loginAs(srv, email, pw, { terug: '/beheer' });
  const where = new URL(r.headers.get('location'), srv.url).pathname;
  if (where === '/inloggen/tweestapsverificatie') {
    const page = await c.get(where);
    assert.equal(page.status, 200, 'enrolment page');
    const key = totpKeyOf(page.text);
    assert.ok(key, 'the key is shown in text');
    srv.totpKeys[email] = key;
    const done = await c.post(where, { csrf: csrfOf(page.text), code: await freshCode(srv, email, key) });
    assert.equal(done.status, 200, 'enrolment confirmed');
    srv.recoveryCodes[email] = recoveryCodesOf(done.text);
    assert.equal(srv.recoveryCodes[email].length, 10, 'ten recovery codes');
  } else {
    assert.equal(where, '/inloggen/code', `a code is asked of ${email}`);
    const key = srv.totpKeys[email];
    assert.ok(key, `the test enrolled ${email} before`);
    const page = await c.get(where);
    const done = await c.post(where, { csrf: csrfOf(page.text), code: await freshCode(srv, email, key) });
    assert.equal(done.status, 303, 'code accepted');
  }
  return c;
}
