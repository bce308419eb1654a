// A bezoeker signs up without an account: the form on the enrolment page, the registration stored
// as aangemeld with the typed data and a seat held (no person, no login), the mail "Bevestig uw
// aanmelding" with its link, the landing page at an unguessable address, the confirmation, the
// hold lapsing after a day (seat freed, the waiting list promoted), one sign-up per address per
// event, the same answer for an address that has an account, and the brake.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startServer, makeClient, repoRoot } from './lib/harness.mjs';
import { sql, sqlValue, isoDay } from './lib/db.mjs';
import { csrfOf, text, actingAs } from './lib/portal.mjs';

const bin = path.resolve(process.env.KP_BIN || path.join(repoRoot, 'build', 'klantportal'));
let srv;
// Behind a trusted proxy each test is its own client address, so the brake of one test does not
// reach the others.
before(async () => { srv = await startServer({ env: { KLANTPORTAL_TRUSTED_PROXIES: '127.0.0.1' } }); });
after(async () => { await srv?.stop(); });

const LANDING = /^\/inschrijvingen\/aanmelding\?sleutel=([A-Za-z0-9_-]{43})$/;
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const count = async (q) => Number(await sqlValue(srv.dbUrl, q));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A client (cookies kept) seen by the server as client address ip. */
function visitor(ip) {
  const c = makeClient(srv.url);
  const headers = { 'x-forwarded-for': ip };
  return {
    get: (p) => c.get(p, { headers }),
    post: (p, form) => c.post(p, form, { headers }),
    cookies: c.cookies,
  };
}

let eventNo = 0;
/** A fresh public event of a course (capacity, price in cents); its id. */
async function newEvent({ capacity = 10, price = 9500, course = 'Licentieverlenging Gewasbescherming' } = {}) {
  eventNo += 1;
  const name = `Aanmeldtest ${eventNo} ${crypto.randomBytes(3).toString('hex')}`;
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
    VALUES ((SELECT id FROM courses WHERE name = '${course}'), '${name}', '${isoDay(40)}', '${isoDay(40)}', 'Schagen - Herenweg 12', ${capacity}, ${price}, 0)`);
  return sqlValue(srv.dbUrl, `SELECT id FROM events WHERE name = '${name}'`);
}

const klaas = (over = {}) => ({
  voornaam: 'Klaas', tussenvoegsel: 'de', achternaam: 'Boer', email: 'klaas.deboer@voorbeeld.nl',
  telefoon: '06 12345678', straat: 'Dorpsstraat', huisnummer: '12a', postcode: '1741bc', woonplaats: 'Schagen',
  voorwaarden: '1', ...over,
});

/** Opens the enrolment page as c and sends the sign-up form; { page, r }. */
async function signUp(c, eid, form) {
  const page = await c.get(`/evenementen/${eid}/inschrijven`);
  assert.equal(page.status, 200);
  const body = { csrf: csrfOf(page.text) };
  if (/name="wachtlijst"/.test(page.text)) body.wachtlijst = '1';
  for (const [k, v] of Object.entries(form)) if (v !== '' && v !== undefined) body[k] = v;
  const r = await c.post(`/evenementen/${eid}/inschrijven`, body);
  return { page, r };
}

const mailsTo = async (to, subject) => (await srv.mailsTo(to)).filter((m) => !subject || m.subject.startsWith(subject));

function confirmLink(mail) {
  const m = mail.text.match(/https?:\/\/[^/\s]+(\/inschrijvingen\/bevestigen\?token=([A-Za-z0-9_-]{43}))/);
  assert.ok(m, 'the mail has the confirmation link');
  return { path: m[1], token: m[2] };
}

function runJobs() {
  return new Promise((resolve) => {
    execFile(bin, ['jobs', 'run'], {
      cwd: repoRoot,
      env: { ...process.env, KLANTPORTAL_DB: srv.dbUrl, KLANTPORTAL_MAIL_DIR: srv.mailDir, KLANTPORTAL_BASE_URL: srv.url,
        KLANTPORTAL_SECRET_KEY_FILE: path.join(srv.tmpDir, 'klantportal.key') },
    }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

test('a bezoeker is offered Inloggen and the sign-up form, with the terms when there is a price', async () => {
  const eid = await newEvent();
  const page = await visitor('198.51.100.1').get(`/evenementen/${eid}/inschrijven`);
  assert.equal(page.status, 200);
  assert.match(page.text, /href="\/inloggen\?terug=\/evenementen\/\d+\/inschrijven"/);
  for (const name of ['voornaam', 'tussenvoegsel', 'achternaam', 'email', 'straat', 'huisnummer', 'postcode',
    'woonplaats', 'telefoon', 'geboortedatum', 'organisatie', 'factuuradres']) {
    assert.match(page.text, new RegExp(`name="${name}"`), name);
  }
  const t = text(page.text);
  assert.match(t, /Geen account\? Meld u aan/);
  assert.match(t, /Ik ga akkoord met de algemene voorwaarden en annuleringsvoorwaarden/);
  assert.match(t, /14 dagen bedenktijd/);
  assert.match(t, /betalingsverplichting aan van € 95,00/);
  assert.match(page.text, /<button type="submit" class="button">Inschrijven<\/button>/);
  // no price, no terms
  const free = await newEvent({ price: 0 });
  const ft = text((await visitor('198.51.100.1').get(`/evenementen/${free}/inschrijven`)).text);
  assert.match(ft, /Geen account\? Meld u aan/);
  assert.doesNotMatch(ft, /bedenktijd|betalingsverplichting/);
});

test('a sign-up is stored as aangemeld with the typed data and holds a seat; no person or login; the mailed link confirms it', async () => {
  const eid = await newEvent({ capacity: 5 });
  const persons = await count('SELECT count(*) FROM persons');
  const sessions = await count('SELECT count(*) FROM sessions');
  const c = visitor('198.51.100.2');
  const { r } = await signUp(c, eid, klaas({ geboortedatum: '17-05-1980' }));
  assert.equal(r.status, 303, text(r.text).slice(0, 400));
  const key = r.headers.get('location').match(LANDING)?.[1];
  assert.ok(key, `landing page at an unguessable address: ${r.headers.get('location')}`);
  assert.equal(c.cookies.has('kp_sessie'), false, 'no session is made');
  assert.equal(await count('SELECT count(*) FROM sessions'), sessions);
  assert.equal(await count('SELECT count(*) FROM persons'), persons, 'no person is made');

  const [row] = await sql(srv.dbUrl, `SELECT status, COALESCE(person_id, 0), COALESCE(organisation_id, 0), source, applicant_first_name,
    applicant_infix, applicant_last_name, applicant_email, applicant_street, applicant_house_number, applicant_postcode, applicant_city,
    applicant_phone, applicant_birth_date, terms_version, price_cents, hold_until - created_at, COALESCE(confirmed_at, 0), access_hash
    FROM registrations WHERE event_id = ${eid}`);
  assert.deepEqual(row, ['aangemeld', '0', '0', 'formulier', 'Klaas', 'de', 'Boer', 'klaas.deboer@voorbeeld.nl', 'Dorpsstraat', '12a',
    '1741 BC', 'Schagen', '06 12345678', '1980-05-17', '2026-1', '9500', String(24 * 3600), '0', sha256(key)]);
  assert.equal(await count(`SELECT seats_taken FROM events WHERE id = ${eid}`), 1, 'the seat is taken');

  const landing = await c.get(`/inschrijvingen/aanmelding?sleutel=${key}`);
  assert.equal(landing.status, 200);
  const lt = text(landing.text);
  assert.match(lt, /Aanmelding ontvangen/);
  assert.match(lt, /Licentieverlenging Gewasbescherming/);
  assert.match(lt, /Evenement Aanmeldtest/);
  assert.match(lt, /Datum /);
  assert.match(lt, /Deelnemer Klaas de Boer/);
  assert.match(lt, /We hebben een e-mail gestuurd naar klaas\.deboer@voorbeeld\.nl: klik op de link om uw aanmelding te bevestigen, anders vervalt uw plaats na 24 uur\./);

  const [mail] = await srv.waitForMail('klaas.deboer@voorbeeld.nl');
  assert.match(mail.subject, /^Bevestig uw aanmelding/);
  assert.match(mail.text, /Deelnemer: +Klaas de Boer/);
  const link = confirmLink(mail);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT confirm_hash FROM registrations WHERE event_id = ${eid}`), sha256(link.token));
  // neither the key nor the token is written to the access log
  assert.match(srv.stderr(), /GET \/inschrijvingen\/aanmelding 200/);
  assert.equal(srv.stderr().includes(key), false);

  // the link shows a button; opening it (as a mail scanner does) confirms nothing
  const mailer = visitor('198.51.100.3');
  const ask = await mailer.get(link.path);
  assert.equal(ask.status, 200);
  assert.match(text(ask.text), /Aanmelding bevestigen/);
  assert.equal(ask.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(await count(`SELECT COALESCE(confirmed_at, 0) FROM registrations WHERE event_id = ${eid}`), 0);
  const done = await mailer.post(link.path, { csrf: csrfOf(ask.text) });
  assert.equal(done.status, 200);
  assert.match(text(done.text), /Uw aanmelding is bevestigd/);
  const [[confirmed, hold]] = await sql(srv.dbUrl, `SELECT COALESCE(confirmed_at, 0), COALESCE(hold_until, 0) FROM registrations WHERE event_id = ${eid}`);
  assert.ok(Number(confirmed) > 0, 'confirmed_at is set');
  assert.equal(hold, '0', 'the hold is cleared');
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'aanmelding_bevestigd'`) >= 1, true);
  // a second click says so
  const again = await visitor('198.51.100.3').get(link.path);
  assert.equal(again.status, 200);
  assert.match(text(again.text), /Uw aanmelding is al bevestigd/);
  assert.doesNotMatch(again.text, /<button/);
  assert.match(text((await c.get(`/inschrijvingen/aanmelding?sleutel=${key}`)).text), /Uw aanmelding is bevestigd/);
  assert.equal(await count('SELECT count(*) FROM persons'), persons);
  assert.equal(srv.stderr().includes(link.token), false, 'the token is not in the access log');
});

test('validation: Dutch messages under the fields, typed values kept, nothing stored', async () => {
  const eid = await newEvent();
  const c = visitor('198.51.100.4');
  const { r } = await signUp(c, eid, klaas({ voornaam: '', email: 'geen-adres', postcode: '0123', huisnummer: 'nul',
    telefoon: '12', geboortedatum: '01-01-2999', organisatie: 'Bakkerij Boer', voorwaarden: '', achternaam: 'Bóer' }));
  assert.equal(r.status, 422);
  const t = text(r.text);
  assert.match(r.text, /<title>Fout: /);
  assert.match(t, /Er is een probleem/);
  assert.match(t, /Vul uw voornaam in\./);
  assert.match(t, /Vul een geldig e-mailadres in\./);
  assert.match(t, /De geboortedatum kan niet in de toekomst liggen\./);
  assert.match(t, /Vul het factuuradres van de organisatie in\./);
  assert.match(r.text, /id="f-postcode-fout"/);
  assert.match(r.text, /id="f-huisnummer-fout"/);
  assert.match(r.text, /id="f-telefoon-fout"/);
  assert.match(r.text, /name="achternaam" type="text" value="Bóer"/);
  assert.match(r.text, /name="organisatie" type="text" value="Bakkerij Boer"/);
  assert.match(r.text, /name="straat" type="text" value="Dorpsstraat"/);
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid}`), 0);

  // the terms, when the person pays themself
  const { r: terms } = await signUp(c, eid, klaas({ voorwaarden: '' }));
  assert.equal(terms.status, 422);
  assert.match(text(terms.text), /Ga akkoord met de algemene voorwaarden/);
  assert.match(terms.text, /name="email" type="email" value="klaas.deboer@voorbeeld.nl"/);
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid}`), 0);

  // a course that needs the date of birth asks for it
  const course = await sqlValue(srv.dbUrl, "SELECT id FROM courses WHERE name = 'Basic Safety (STCW)'");
  await sql(srv.dbUrl, `UPDATE courses SET requires_birth_date = 1 WHERE id = ${course}`);
  try {
    const bs = await newEvent({ course: 'Basic Safety (STCW)' });
    const { r: birth } = await signUp(c, bs, klaas());
    assert.equal(birth.status, 422);
    assert.match(text(birth.text), /Vul uw geboortedatum in: deze cursus vraagt die\./);
    assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${bs}`), 0);
  } finally {
    await sql(srv.dbUrl, `UPDATE courses SET requires_birth_date = 0 WHERE id = ${course}`);
  }

  // paid by an organisation: no terms needed, its name and invoice address are stored
  const { r: org } = await signUp(c, eid, klaas({ voorwaarden: '', organisatie: 'Bakkerij Boer',
    factuuradres: 'Postbus 12\n1740 AA Schagen' }));
  assert.equal(org.status, 303);
  const newline = srv.backend === 'sqlite' ? 'char(10)' : 'chr(10)';
  const [[name, address, terms2]] = await sql(srv.dbUrl, `SELECT applicant_org_name, replace(applicant_invoice_address, ${newline}, '|'),
    COALESCE(terms_version, '-') FROM registrations WHERE event_id = ${eid}`);
  assert.deepEqual([name, address, terms2], ['Bakkerij Boer', 'Postbus 12|1740 AA Schagen', '-']);
});

test('the same address twice for one event is one sign-up and one mail', async () => {
  const eid = await newEvent();
  const c = visitor('198.51.100.5');
  const email = 'dubbel@voorbeeld.nl';
  const { r } = await signUp(c, eid, klaas({ email }));
  assert.equal(r.status, 303);
  await srv.waitForMail(email);
  const { r: twice } = await signUp(visitor('198.51.100.6'), eid, klaas({ email: 'Dubbel@Voorbeeld.nl', voornaam: 'Karel' }));
  assert.equal(twice.status, 409);
  assert.match(text(twice.text), /U heeft zich met dit e-mailadres al aangemeld voor dit evenement; kijk in uw e-mail\./);
  assert.match(twice.text, /name="voornaam" type="text" value="Karel"/);
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid}`), 1);
  assert.equal(await count(`SELECT seats_taken FROM events WHERE id = ${eid}`), 1);
  await sleep(1500); // the sender works in the background: give a second mail the time to appear
  assert.equal((await mailsTo(email, 'Bevestig uw aanmelding')).length, 1);
  assert.equal(await count(`SELECT count(*) FROM outbox WHERE to_address = '${email}'`), 1);
});

test('an address that has an account gets the same answer as any other, and no account is touched', async () => {
  const eid = await newEvent();
  const martin = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'martin.sommer@example.nl'");
  const before = await sql(srv.dbUrl, `SELECT email, first_name, street, updated_at FROM persons WHERE id = ${martin}`);
  const answers = [];
  for (const [ip, email] of [['198.51.100.7', 'martin.sommer@example.nl'], ['198.51.100.8', 'niemand.bekend@voorbeeld.nl']]) {
    const c = visitor(ip);
    const { r } = await signUp(c, eid, klaas({ email }));
    assert.equal(r.status, 303, email);
    assert.match(r.headers.get('location'), LANDING);
    const landing = await c.get(r.headers.get('location'));
    assert.equal(landing.status, 200);
    answers.push(text(landing.text).replaceAll(email, 'ADRES'));
    const [mail] = await srv.waitForMail(email);
    answers.push(mail.subject + mail.text.replace(/token=[A-Za-z0-9_-]+/, 'token=T'));
  }
  assert.equal(answers[0], answers[2], 'the landing pages read the same');
  assert.equal(answers[1], answers[3], 'the mails read the same');
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid} AND person_id IS NOT NULL`), 0);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT email, first_name, street, updated_at FROM persons WHERE id = ${martin}`), before);
  // the account holder enrolling as themself is still possible: a sign-up is not an account's registration
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE person_id = ${martin} AND event_id = ${eid}`), 0);
});

test('an unconfirmed hold lapses: the registration is cancelled, the seat freed and the waiting list promoted', async () => {
  const eid = await newEvent({ capacity: 1 });
  const a = visitor('198.51.100.9');
  const { r } = await signUp(a, eid, klaas({ email: 'vergeet.te.bevestigen@voorbeeld.nl' }));
  assert.equal(r.status, 303);
  const key = r.headers.get('location').match(LANDING)[1];
  const [mail] = await srv.waitForMail('vergeet.te.bevestigen@voorbeeld.nl');
  const link = confirmLink(mail);
  assert.equal(await count(`SELECT capacity - seats_taken FROM events WHERE id = ${eid}`), 0);

  // full now: a second bezoeker gets a waiting-list place (held as well), and confirms it
  const b = visitor('198.51.100.10');
  const { page: full, r: wl } = await signUp(b, eid, klaas({ email: 'wachtende@voorbeeld.nl', voornaam: 'Wim' }));
  assert.match(full.text, />Plaats op wachtlijst</);
  assert.equal(wl.status, 303);
  assert.match(text((await b.get(wl.headers.get('location'))).text), /Wachtlijst \(plaats 1\)/);
  const [wmail] = await srv.waitForMail('wachtende@voorbeeld.nl');
  const wlink = confirmLink(wmail);
  const ask = await b.get(wlink.path);
  assert.equal((await b.post(wlink.path, { csrf: csrfOf(ask.text) })).status, 200);
  // and a logged-in person behind them on the list
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const mpage = await martin.get(`/evenementen/${eid}/inschrijven`);
  const mr = await martin.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(mpage.text), context: 'persoon', voorwaarden: '1', wachtlijst: '1' });
  assert.equal(mr.status, 303);
  // and a bezoeker who never confirms their waiting-list place
  const { r: cr } = await signUp(visitor('198.51.100.12'), eid, klaas({ email: 'ook.vergeten@voorbeeld.nl', voornaam: 'Cor' }));
  assert.equal(cr.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE applicant_email = 'ook.vergeten@voorbeeld.nl'`), 'wachtlijst');

  // the day passes without a click
  await sql(srv.dbUrl, `UPDATE registrations SET hold_until = hold_until - 25 * 3600 WHERE event_id = ${eid}`);
  await sql(srv.dbUrl, `UPDATE jobs SET run_at = 0 WHERE kind = 'aanmeldingen-vervallen'`);
  const run = await runJobs();
  assert.equal(run.code, 0, run.stderr);
  let status;
  for (let i = 0; i < 50; i++) { // the server's own runner may have taken the job first
    status = await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE applicant_email = 'vergeet.te.bevestigen@voorbeeld.nl'`);
    if (status === 'geannuleerd') break;
    await sleep(100);
  }
  assert.equal(status, 'geannuleerd');
  // the confirmed bezoeker first in line got the seat; the event is full again, not overbooked
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE applicant_email = 'wachtende@voorbeeld.nl'`), 'aangemeld');
  assert.equal(await count(`SELECT seats_taken FROM events WHERE id = ${eid}`), 1);
  // the unconfirmed waiting-list place lapsed too; Martin, confirmed by his login, waits on
  for (let i = 0; i < 50 && await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE applicant_email = 'ook.vergeten@voorbeeld.nl'`) !== 'geannuleerd'; i++) await sleep(100);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE applicant_email = 'ook.vergeten@voorbeeld.nl'`), 'geannuleerd');
  assert.deepEqual(await sql(srv.dbUrl, `SELECT p.email FROM registrations r JOIN persons p ON p.id = r.person_id WHERE r.event_id = ${eid} AND r.status = 'wachtlijst'`),
    [['martin.sommer@example.nl']]);
  const promoted = await srv.waitForMail('wachtende@voorbeeld.nl', 2);
  assert.match(promoted[1].subject, /Er is een plaats vrijgekomen/);
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'aanmelding_vervallen'`) >= 1, true);

  // the lapsed link and landing page say so
  const late = await visitor('198.51.100.9').get(link.path);
  assert.equal(late.status, 410);
  assert.match(text(late.text), /Deze link is verlopen/);
  assert.match(text((await a.get(`/inschrijvingen/aanmelding?sleutel=${key}`)).text), /Deze aanmelding is vervallen/);

  // now the confirmed one is not lapsed by another run, even long after
  await sql(srv.dbUrl, `UPDATE jobs SET run_at = 0 WHERE kind = 'aanmeldingen-vervallen'`);
  assert.equal((await runJobs()).code, 0);
  await sleep(1500);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE applicant_email = 'wachtende@voorbeeld.nl'`), 'aangemeld');
  // the address that lapsed may sign up again
  const { r: again } = await signUp(a, eid, klaas({ email: 'vergeet.te.bevestigen@voorbeeld.nl' }));
  assert.equal(again.status, 303);
});

test('the brake: too many sign-ups from one address get 429 and nothing is stored', async () => {
  const eid = await newEvent({ capacity: 40, price: 0 });
  const ip = '203.0.113.77';
  for (let i = 0; i < 10; i++) {
    const { r } = await signUp(visitor(ip), eid, klaas({ email: `rem${i}@voorbeeld.nl` }));
    assert.equal(r.status, 303, `sign-up ${i + 1}`);
  }
  const stored = await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid}`);
  const outbox = await count('SELECT count(*) FROM outbox');
  const { r } = await signUp(visitor(ip), eid, klaas({ email: 'rem-te-veel@voorbeeld.nl', voornaam: 'Teveel' }));
  assert.equal(r.status, 429);
  assert.match(text(r.text), /Er zijn vanaf uw adres te veel aanmeldingen verstuurd\. Probeer het over \d+ seconden? opnieuw\. Er is niets opgeslagen\./);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.match(r.text, /name="voornaam" type="text" value="Teveel"/);
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid}`), stored);
  assert.equal(await count('SELECT count(*) FROM outbox'), outbox);
  // another address is not held back
  const { r: other } = await signUp(visitor('203.0.113.78'), eid, klaas({ email: 'rem-ander@voorbeeld.nl' }));
  assert.equal(other.status, 303);
  // and one mailbox gets at most five sign-ups' mail, from wherever they come
  const victim = 'brievenbus@voorbeeld.nl';
  for (let i = 0; i < 5; i++) {
    const e = await newEvent({ price: 0 });
    assert.equal((await signUp(visitor(`192.0.2.${i + 1}`), e, klaas({ email: victim }))).r.status, 303);
  }
  const e6 = await newEvent({ price: 0 });
  assert.equal((await signUp(visitor('192.0.2.99'), e6, klaas({ email: victim }))).r.status, 429);
});

test('a wrong key or token is a clear 404; a sign-up without the form token is refused', async () => {
  const c = visitor('198.51.100.11');
  const wrong = crypto.randomBytes(32).toString('base64url');
  assert.equal((await c.get(`/inschrijvingen/aanmelding?sleutel=${wrong}`)).status, 404);
  assert.equal((await c.get('/inschrijvingen/aanmelding')).status, 404);
  const link = await c.get(`/inschrijvingen/bevestigen?token=${wrong}`);
  assert.equal(link.status, 404);
  assert.match(text(link.text), /Deze link kennen we niet/);
  const eid = await newEvent();
  const before = await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid}`);
  const r = await c.post(`/evenementen/${eid}/inschrijven`, klaas());
  assert.equal(r.status, 403);
  assert.equal(await count(`SELECT count(*) FROM registrations WHERE event_id = ${eid}`), before);
});

test('a freed seat passes over an unconfirmed sign-up on the waiting list; confirming it then takes the seat', async () => {
  const eid = await newEvent({ capacity: 1, price: 0 });
  const martin = await actingAs(srv, 'martin.sommer@example.nl');
  const page = await martin.get(`/evenementen/${eid}/inschrijven`);
  const mine = await martin.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(page.text), context: 'persoon' });
  assert.equal(mine.status, 303);
  const martinReg = mine.headers.get('location').match(/\/inschrijvingen\/(\d+)\//)[1];
  const who = `wacht.${crypto.randomBytes(3).toString('hex')}@voorbeeld.nl`;
  const { r } = await signUp(visitor('198.51.100.77'), eid, klaas({ email: who }));
  assert.equal(r.status, 303);
  const waiting = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE event_id = ${eid} AND applicant_email = '${who}'`);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE id = ${waiting}`), 'wachtlijst');

  // Martin cancels: the seat is not given to a sign-up whose address nobody confirmed
  const list = await martin.get('/mijn/cursussen');
  const form = { csrf: csrfOf(list.text), context: 'persoon', inschrijving: [martinReg] };
  await martin.post('/mijn/cursussen/afmelden', form);
  const done = await martin.post('/mijn/cursussen/afmelden', { ...form, bevestigd: '1' });
  assert.equal(done.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE id = ${waiting}`), 'wachtlijst');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT seats_taken FROM events WHERE id = ${eid}`), '0');

  // the confirmation gives it the free seat, and says so by mail (without a link to a login page)
  let mails = [];
  for (let i = 0; i < 50 && !mails.length; i++) { mails = await mailsTo(who, 'Bevestig uw aanmelding'); if (!mails.length) await sleep(100); }
  const link = confirmLink(mails[0]);
  const v = visitor('198.51.100.77');
  const ask = await v.get(link.path);
  const ok = await v.post(link.path, { csrf: csrfOf(ask.text) });
  assert.equal(ok.status, 200);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT status FROM registrations WHERE id = ${waiting}`), 'aangemeld');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT seats_taken FROM events WHERE id = ${eid}`), '1');
  let promoted = [];
  for (let i = 0; i < 50 && !promoted.length; i++) { promoted = await mailsTo(who, 'Er is een plaats vrijgekomen'); if (!promoted.length) await sleep(100); }
  assert.equal(promoted.length, 1);
  assert.doesNotMatch(promoted[0].text, /\/inschrijvingen\/\d+\/bevestiging/);
});
