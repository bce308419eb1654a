// Logged-in clients for the portal tests: log in as a demo person and pick a context, like a
// person would through Inloggen and Selecteer organisatie.
import assert from 'node:assert/strict';
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
