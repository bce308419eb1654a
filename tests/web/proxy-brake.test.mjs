// Behind a trusted proxy the brake counts the real client (X-Forwarded-For), IPv6 clients by their
// /64, and a client cannot pick its own address when the peer is not a trusted proxy.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { csrfOf, text, PW } from './lib/portal.mjs';

const LOCKED = /Te veel mislukte pogingen\. Probeer het over (\d+) seconden? opnieuw\./;
let srv;
before(async () => { srv = await startServer({ env: { KLANTPORTAL_TRUSTED_PROXIES: '127.0.0.1' } }); });
after(async () => { await srv?.stop(); });
beforeEach(async () => { await sql(srv.dbUrl, 'DELETE FROM auth_attempts'); });

/** A fresh browser (no device cookie) behind the proxy, seen as client address `xff`. */
async function tryLogin(xff, password, user = 'jan.devries@example.nl') {
  const c = makeClient(srv.url);
  const headers = { 'x-forwarded-for': xff };
  const form = await c.get('/inloggen', { headers });
  return c.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: user, wachtwoord: password }, { headers });
}

test('behind a trusted proxy the brake counts X-Forwarded-For, IPv6 by its /64', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await tryLogin(`203.0.113.9, 2001:db8:1:2::${i + 1}`, 'Fout!wachtwoord1');
    assert.equal(r.status, 200);
    assert.match(text(r.text), /Gebruikersnaam of wachtwoord onjuist/);
  }
  // another address in the same /64 is the same client: refused, with the wait named
  const same = await tryLogin('2001:db8:1:2::ffff', PW);
  assert.equal(same.status, 429);
  assert.match(text(same.text), LOCKED);
  // a client in another /64 logs in with the right password
  const other = await tryLogin('2001:db8:1:3::1', PW);
  assert.equal(other.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM auth_attempts WHERE client_ip LIKE '2001:db8:1:2::%'"), '5');
  assert.equal(await sqlValue(srv.dbUrl, "SELECT client_ip FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1"), '2001:db8:1:3::1');
});

test('without a trusted proxy a client cannot choose its address with X-Forwarded-For', async () => {
  const direct = await startServer({ demo: true });
  try {
    const c = makeClient(direct.url);
    const headers = { 'x-forwarded-for': '198.51.100.7' };
    const form = await c.get('/inloggen', { headers });
    await c.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: 'jan.devries@example.nl', wachtwoord: 'Fout!wachtwoord1' }, { headers });
    assert.equal(await sqlValue(direct.dbUrl, "SELECT client_ip FROM auth_attempts ORDER BY id DESC LIMIT 1"), '127.0.0.1');
  } finally {
    await direct.stop();
  }
});
