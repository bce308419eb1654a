// Invoicing in the back office: Te factureren (one registration, a whole event: one invoice per
// invoice party with a line per registration), the reference typed at enrolment on the invoice
// and editable by staff only until then, numbers without gap or duplicate when 50 runs hit two
// server processes at once, the "Nieuwe factuur" mail with its PDF, a credit invoice after a
// cancelled registration, Markeer als betaald, the payment reminder (once), a maatwerk event
// on one line, the list with its search, filters and CSV, the demo's invoices, and an audit
// line for every change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, isoDay, nlDay } from './lib/db.mjs';
import { actingAs, csrfOf, text, staffClient, personId, orgId } from './lib/portal.mjs';
import { noValidator, validateEinvoice } from './lib/einvoice.mjs';

// 50 runs at once arrive from one address
const env = { KLANTPORTAL_CONNECTIONS_PER_ADDRESS: '1000' };
const PENDING = '/beheer/facturen/te-factureren';

let srv, staff, csrf, ghhw;
const now = () => Math.floor(Date.now() / 1000);
const count = async (q) => Number(await sqlValue(srv.dbUrl, q));

before(async () => {
  srv = await startServer({ env });
  staff = await staffClient(srv);
  csrf = csrfOf((await staff.get(PENDING)).text);
  ghhw = await orgId(srv, 'Gemeente Heerhugowaard');
});
after(async () => { await srv?.stop(); });

let seq = 0;
/** A course (VAT rate vat) with one event at price (cents, VAT included); the event's id. */
async function newEvent(price, vat = 21, maatwerkOrg = null) {
  const name = `Factuurtest ${++seq} ${crypto.randomBytes(3).toString('hex')}`;
  await sql(srv.dbUrl, `INSERT INTO courses (slug, name, vat_rate, maatwerk_org_id, created_at) VALUES ('${name.toLowerCase().replace(/ /g, '-')}', 'Cursus ${name}', ${vat}, ${maatwerkOrg ?? 'NULL'}, ${now()})`);
  await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, location, capacity, price_cents, created_at)
    SELECT id, '${name}', '${isoDay(20)}', '${isoDay(20)}', 'Alkmaar', 60, ${price}, ${now()} FROM courses WHERE name = 'Cursus ${name}'`);
  return sqlValue(srv.dbUrl, `SELECT id FROM events WHERE name = '${name}'`);
}

/** A processed registration of person (an id) in event, invoiced to org (or the person). */
async function processed(eid, person, org = null, reference = '') {
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, person_id, organisation_id, enrolled_by, status, price_cents, reference, created_at, processed_at)
    SELECT id, ${person}, ${org ?? 'NULL'}, ${person}, 'verwerkt', price_cents, '${reference}', ${now()}, ${now()} FROM events WHERE id = ${eid}`);
  await sql(srv.dbUrl, `UPDATE events SET seats_taken = seats_taken + 1 WHERE id = ${eid}`);
  return sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE event_id = ${eid} AND person_id = ${person}`);
}

/** The invoices holding a line of registration reg: [id, number, person_id, organisation_id]. */
const invoicesOf = (reg) => sql(srv.dbUrl, `SELECT i.id, i.number, COALESCE(i.person_id, 0), COALESCE(i.organisation_id, 0), i.reference
  FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id WHERE l.registration_id = ${reg} ORDER BY i.id`);

const issue = (form) => staff.post(PENDING, { csrf, ...form });

test('one registration, then a whole event: one invoice per party, a line per registration, VAT in cents', async () => {
  const eid = await newEvent(12100);
  const lars = await personId(srv, 'lars.jansen@example.nl');
  const emma = await personId(srv, 'emma.deboer@example.nl');
  const sanne = await personId(srv, 'sanne.bakker@example.nl');
  const pieter = await personId(srv, 'pieter.vandijk@example.nl');
  const rLars = await processed(eid, lars);
  const rEmma = await processed(eid, emma);
  const rSanne = await processed(eid, sanne, ghhw);
  const rPieter = await processed(eid, pieter, ghhw);

  const page = await staff.get(`${PENDING}?evenement=${eid}`);
  assert.equal(page.status, 200);
  const t = text(page.text);
  assert.match(t, /4 inschrijving\(en\), samen € 484,00 inclusief btw/);
  assert.match(t, /Alle 4 inschrijvingen hieronder factureren/);

  // one registration
  let r = await issue({ inschrijving: rLars });
  assert.equal(r.status, 303);
  const [[id1, n1, p1, o1]] = await invoicesOf(rLars);
  assert.equal(p1, lars);
  assert.equal(o1, '0');
  assert.equal(r.headers.get('location'), `${PENDING}?gemaakt=${n1}&tot=${n1}`);
  assert.match(n1, /^\d{4}-\d{6}$/);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT kind, status, amount_cents, net_cents, vat_cents, invoice_date, due_date, party_name FROM invoices WHERE id = ${id1}`),
    [['factuur', 'open', '12100', '10000', '2100', isoDay(0), isoDay(30), 'Lars Jansen']]);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT amount_cents, vat_rate FROM invoice_lines WHERE invoice_id = ${id1}`), [['10000', '21']]);
  const shown = text((await staff.get(r.headers.get('location'))).text);
  assert.match(shown, new RegExp(`Factuur ${n1} is gemaakt`));

  // the rest of the event at once: Emma's own, and one for the municipality with two lines
  r = await issue({ evenement: eid });
  assert.equal(r.status, 303);
  const [[, nEmma, pEmma]] = await invoicesOf(rEmma);
  const [[gId, nG, , oG]] = await invoicesOf(rSanne);
  const [[gId2]] = await invoicesOf(rPieter);
  assert.equal(pEmma, emma);
  assert.equal(oG, ghhw);
  assert.equal(gId2, gId, 'one invoice for the party, a line per registration');
  const numbers = [nEmma, nG].sort();
  assert.match(r.headers.get('location'), new RegExp(`^${PENDING}\\?evenement=${eid}&gemaakt=${numbers[0]}&tot=${numbers[1]}$`));
  assert.deepEqual(await sql(srv.dbUrl, `SELECT count(*), sum(amount_cents), min(vat_rate) FROM invoice_lines WHERE invoice_id = ${gId}`), [['2', '20000', '21']]);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT amount_cents, net_cents, vat_cents, party_name, party_kvk FROM invoices WHERE id = ${gId}`),
    [['24200', '20000', '4200', 'Gemeente Heerhugowaard', '50123456']]);
  assert.equal((await invoicesOf(rLars)).length, 1, 'an invoiced registration is not invoiced again');
  assert.match(text((await staff.get(r.headers.get('location'))).text), /2 facturen gemaakt/);

  // nothing left for this event
  r = await issue({ evenement: eid });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `${PENDING}?evenement=${eid}`);
  assert.match(text((await staff.get(r.headers.get('location'))).text), /Er is niets gefactureerd/);

  // an audit line per invoice made
  for (const n of [n1, nEmma, nG]) assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action LIKE 'factu%' AND (subject = '${n}' OR detail LIKE '%${n}%')`) >= 1, true, `audit for ${n}`);

  // the invoice's page in the back office
  const detail = text((await staff.get(`/beheer/facturen/${nG}`)).text);
  assert.match(detail, new RegExp(`Factuur ${nG}`));
  assert.match(detail, /Gemeente Heerhugowaard/);
  assert.match(detail, /Totaal excl. btw € 200,00 Btw 21% over € 200,00 € 42,00 Totaal btw € 42,00 Totaal te betalen € 242,00/);
  assert.match(detail, /Markeer als betaald/);
});

test('the "Nieuwe factuur" mail goes to the party with the PDF attached', async () => {
  const eid = await newEvent(9500, 0);
  const noah = await personId(srv, 'noah.mulder@example.nl');
  const reg = await processed(eid, noah);
  assert.equal((await issue({ inschrijving: reg })).status, 303);
  const [[id, number]] = await invoicesOf(reg);
  // exempt: no VAT, the total is the price
  assert.deepEqual(await sql(srv.dbUrl, `SELECT amount_cents, vat_cents FROM invoices WHERE id = ${id}`), [['9500', '0']]);
  const [mail] = await srv.waitForMail('noah.mulder@example.nl', 1, 45000);
  assert.equal(mail.subject, `Nieuwe factuur ${number} - Onderwijsgroep`);
  assert.match(mail.text, new RegExp(number));
  assert.match(mail.text, /€ 95,00/);
  assert.match(mail.text, new RegExp(nlDay(30)));
  assert.match(mail.text, /NL91ABNA0417164300/);
  assert.match(mail.text, new RegExp(`${srv.url}/mijn/facturen/${number}`));
  assert.equal(mail.attachments.length, 1);
  assert.equal(mail.attachments[0].contentType, 'application/pdf');
  assert.equal(mail.attachments[0].filename, `factuur-${number}.pdf`);
  assert.equal(mail.attachments[0].content.subarray(0, 5).toString(), '%PDF-');
  const stored = await sql(srv.dbUrl, `SELECT f.content_type, f.filename FROM outbox_attachments f JOIN outbox o ON o.id = f.outbox_id WHERE o.to_address = 'noah.mulder@example.nl'`);
  assert.deepEqual(stored, [['application/pdf', `factuur-${number}.pdf`]]);
});

test('the reference typed at enrolment is on the invoice; staff may change it until then, not after', async () => {
  const eid = await newEvent(5000);
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  const form = await jan.get(`/evenementen/${eid}/inschrijven`);
  const context = form.text.match(/name="context" value="([^"]+)"/)[1];
  const done = await jan.post(`/evenementen/${eid}/inschrijven`, { csrf: csrfOf(form.text), context, referentie: 'PO-4711', voorwaarden: '1' });
  assert.equal(done.status, 303, text(done.text).slice(0, 300));
  const reg = await sqlValue(srv.dbUrl, `SELECT id FROM registrations WHERE event_id = ${eid}`);
  assert.equal((await staff.post('/beheer/inschrijvingen/verwerken', { csrf, rij: reg })).status, 303);

  // before the invoice: staff correct it, with an audit line old → new
  let page = await staff.get(`/beheer/inschrijvingen/${reg}`);
  assert.match(page.text, /name="referentie" type="text" maxlength="100" value="PO-4711"/);
  let r = await staff.post(`/beheer/inschrijvingen/${reg}/referentie`, { csrf, referentie: 'PO-4712' });
  assert.equal(r.status, 303);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT reference FROM registrations WHERE id = ${reg}`), 'PO-4712');
  // one line, "field TAB old TAB new" (the helper splits rows on tabs)
  assert.deepEqual(await sql(srv.dbUrl, `SELECT changes FROM audit_log WHERE action = 'inschrijving_referentie' AND subject = '${reg}'`), [['referentie', 'PO-4711', 'PO-4712']]);
  assert.match(text((await staff.get(`/beheer/inschrijvingen/${reg}`)).text), /Referentie aangepast/);

  // the invoice carries it
  assert.equal((await issue({ inschrijving: reg })).status, 303);
  const [[, number, , org, reference]] = await invoicesOf(reg);
  assert.equal(org, ghhw);
  assert.equal(reference, 'PO-4712');
  assert.match(text((await staff.get(`/beheer/facturen/${number}`)).text), /Referentie \/ inkoopnummer PO-4712/);

  // after: refused, nothing changes, no audit line
  r = await staff.post(`/beheer/inschrijvingen/${reg}/referentie`, { csrf, referentie: 'PO-9999' });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /De referentie is niet aangepast: er is al een factuur/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT reference FROM registrations WHERE id = ${reg}`), 'PO-4712');
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'inschrijving_referentie' AND subject = '${reg}'`), 1);
  page = await staff.get(`/beheer/inschrijvingen/${reg}`);
  assert.doesNotMatch(page.text, /name="referentie"/);
  assert.match(text(page.text), /Er is al een factuur voor deze inschrijving/);
});

test('50 invoice runs at once on two server processes: numbers without gap or duplicate', async () => {
  const RUNS = 50;
  const eid = await newEvent(2500);
  const rows = [];
  for (let i = 1; i <= RUNS; i++) rows.push(`('Nummer', '', 'Test${i}', 'nummer${i}@example.nl', 'Stationsweg', '${i}', '1811 AA', 'Alkmaar', ${now()}, ${now()})`);
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, infix, last_name, email, street, house_number, postcode, city, created_at, updated_at) VALUES ${rows.join(', ')}`);
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, person_id, enrolled_by, status, price_cents, created_at, processed_at)
    SELECT ${eid}, id, id, 'verwerkt', 2500, ${now()}, ${now()} FROM persons WHERE email LIKE 'nummer%@example.nl'`);
  const regs = (await sql(srv.dbUrl, `SELECT id FROM registrations WHERE event_id = ${eid} ORDER BY id`)).map((r) => r[0]);
  assert.equal(regs.length, RUNS);

  const srv2 = await startServer({ dbUrl: srv.dbUrl, env: { ...env, KLANTPORTAL_SECRET_KEY_FILE: path.join(srv.tmpDir, 'klantportal.key') } });
  try {
    assert.notEqual(srv2.pid, srv.pid);
    const cookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const answers = await Promise.all(regs.map((reg, i) => fetch(`${[srv, srv2][i % 2].url}${PENDING}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, inschrijving: reg }),
    }).then(async (res) => ({ status: res.status, body: await res.text() }))));
    assert.deepEqual(answers.filter((a) => a.status !== 303).map((a) => `${a.status} ${text(a.body).slice(0, 200)}`), []);
  } finally {
    await srv2.stop();
  }
  const made = await sql(srv.dbUrl, `SELECT i.number FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id WHERE l.registration_id IN (${regs.join(',')})`);
  assert.equal(made.length, RUNS, 'one invoice per registration');
  // every number of the year, the demo's and earlier tests' included: 1..N, each once
  const year = isoDay(0).slice(0, 4);
  const all = (await sql(srv.dbUrl, `SELECT number FROM invoices WHERE number LIKE '${year}-%'`)).map((r) => Number(r[0].slice(5))).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: all.length }, (_, i) => i + 1));
  assert.equal(await count(`SELECT last_seq FROM invoice_counters WHERE year = ${year}`), all.length);
});

test('a cancelled invoiced registration: Creditfactuur maken in one click, negative, referring to the invoice', async () => {
  const eid = await newEvent(24200);
  const daan = await personId(srv, 'daan.meijer@example.nl');
  const reg = await processed(eid, daan);
  assert.equal((await issue({ inschrijving: reg })).status, 303);
  const [[origId, origNo]] = await invoicesOf(reg);
  let r = await staff.post(`/beheer/inschrijvingen/${reg}/annuleren`, { csrf, bevestigd: '1' });
  assert.equal(r.status, 303);
  const page = text((await staff.get(PENDING)).text);
  assert.match(page, new RegExp(`Te crediteren .*${origNo} Daan Meijer`));
  r = await staff.post('/beheer/facturen/crediteren', { csrf, inschrijving: reg });
  assert.equal(r.status, 303);
  const creditNo = r.headers.get('location').split('/').pop();
  assert.match(creditNo, /^\d{4}-\d{6}$/);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT kind, credit_of, amount_cents, net_cents, vat_cents, person_id FROM invoices WHERE number = '${creditNo}'`),
    [['creditnota', origId, '-24200', '-20000', '-4200', daan]]);
  // its line corrects the original's line of this registration
  assert.deepEqual(await sql(srv.dbUrl, `SELECT l.amount_cents, o.registration_id, o.invoice_id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
    JOIN invoice_lines o ON o.id = l.credits_line WHERE i.number = '${creditNo}'`), [['-20000', reg, origId]]);
  const detail = text((await staff.get(r.headers.get('location'))).text);
  assert.match(detail, new RegExp(`Creditfactuur ${creditNo}`));
  assert.match(detail, new RegExp(`Corrigeert factuur ${origNo}`));
  assert.doesNotMatch(detail, /Markeer als betaald/);
  // once only
  r = await staff.post('/beheer/facturen/crediteren', { csrf, inschrijving: reg });
  assert.equal(r.status, 409);
  assert.equal(await count(`SELECT count(*) FROM invoices WHERE credit_of = ${origId}`), 1);
  assert.ok(await count(`SELECT count(*) FROM audit_log WHERE action LIKE '%credit%' AND (subject = '${creditNo}' OR detail LIKE '%${creditNo}%')`) >= 1, 'audited');
  // the invoice, "Afmelding ontvangen", then the credit invoice
  const [mail] = (await srv.waitForMail('daan.meijer@example.nl', 3, 45000)).filter((m) => /creditfactuur/.test(m.subject));
  assert.equal(mail.subject, `Nieuwe creditfactuur ${creditNo} - Onderwijsgroep`);
  assert.equal(mail.attachments[0].filename, `creditnota-${creditNo}.pdf`);
});

test('Markeer als betaald: today by default, a date of staff\'s choice, never twice, audited', async () => {
  const eid = await newEvent(6050);
  const reg = await processed(eid, await personId(srv, 'sophie.smit@example.nl'));
  assert.equal((await issue({ inschrijving: reg })).status, 303);
  const [[, number]] = await invoicesOf(reg);
  const page = await staff.get(`/beheer/facturen/${number}`);
  assert.match(page.text, new RegExp(`name="datum"[^>]*value="${nlDay(0)}"`));
  let r = await staff.post(`/beheer/facturen/${number}/betaald`, { csrf, datum: nlDay(2) });
  assert.equal(r.status, 422, 'not in the future');
  assert.match(text(r.text), /niet in de toekomst/);
  r = await staff.post(`/beheer/facturen/${number}/betaald`, { csrf, datum: nlDay(-1) });
  assert.equal(r.status, 303);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT status, paid_on FROM invoices WHERE number = '${number}'`), [['betaald', isoDay(-1)]]);
  assert.match(text((await staff.get(`/beheer/facturen/${number}`)).text), new RegExp(`betaald op ${nlDay(-1)}`));
  r = await staff.post(`/beheer/facturen/${number}/betaald`, { csrf, datum: nlDay(0) });
  assert.equal(r.status, 409);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT paid_on FROM invoices WHERE number = '${number}'`), isoDay(-1));
  assert.ok(await count(`SELECT count(*) FROM audit_log WHERE action LIKE '%betaald%' AND (subject = '${number}' OR detail LIKE '%${number}%')`) >= 1, 'audited');
  assert.equal((await staff.get('/beheer/facturen/2999-999999')).status, 404);
});

/** Makes the reminder job due and waits until it has run once more. */
async function runReminders() {
  await sql(srv.dbUrl, `UPDATE jobs SET run_at = 0 WHERE kind = 'factuur-herinneringen'`);
  const deadline = Date.now() + 15000;
  while (Number(await sqlValue(srv.dbUrl, `SELECT run_at FROM jobs WHERE kind = 'factuur-herinneringen'`)) === 0) {
    assert.ok(Date.now() < deadline, 'the reminder job ran');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a reminder 14 days past the due date, once, however often the job runs', async () => {
  const eid = await newEvent(3000);
  const reg = await processed(eid, await personId(srv, 'thijs.degraaf@example.nl'));
  assert.equal((await issue({ inschrijving: reg })).status, 303);
  const [[id, number]] = await invoicesOf(reg);
  await srv.waitForMail('thijs.degraaf@example.nl', 1, 45000);
  const reminders = `SELECT count(*) FROM outbox WHERE to_address = 'thijs.degraaf@example.nl' AND subject LIKE 'Herinnering%'`;
  await sql(srv.dbUrl, `UPDATE invoices SET due_date = '${isoDay(-13)}' WHERE id = ${id}`);
  await runReminders();
  assert.equal(await count(reminders), 0, 'not yet 14 days past due');
  await sql(srv.dbUrl, `UPDATE invoices SET due_date = '${isoDay(-15)}' WHERE id = ${id}`);
  await runReminders();
  assert.equal(await count(reminders), 1);
  assert.ok(Number(await sqlValue(srv.dbUrl, `SELECT reminder_sent_at FROM invoices WHERE id = ${id}`)) > 0);
  await runReminders();
  assert.equal(await count(reminders), 1, 'never a second reminder');
  const mails = await srv.waitForMail('thijs.degraaf@example.nl', 2, 45000);
  const mail = mails.find((m) => m.subject.startsWith('Herinnering'));
  assert.equal(mail.subject, `Herinnering: factuur ${number} - Onderwijsgroep`);
  assert.match(mail.text, /nog niet betaald/);
  assert.equal(mail.attachments[0].contentType, 'application/pdf');
  assert.match(text((await staff.get(`/beheer/facturen?status=vervallen&q=${number}`)).text), new RegExp(`${number}.*vervallen`));
});

test('a credited invoice gets no reminder, and a credit note is never overdue', async () => {
  const eid = await newEvent(12100);
  const who = await personId(srv, 'sophie.smit@example.nl');
  const reg = await processed(eid, who);
  assert.equal((await issue({ inschrijving: reg })).status, 303);
  const [[origId, origNo]] = await invoicesOf(reg);
  assert.equal((await staff.post(`/beheer/inschrijvingen/${reg}/annuleren`, { csrf, bevestigd: '1' })).status, 303);
  const r = await staff.post('/beheer/facturen/crediteren', { csrf, inschrijving: reg });
  assert.equal(r.status, 303);
  const creditNo = r.headers.get('location').split('/').pop();
  await sql(srv.dbUrl, `UPDATE invoices SET due_date = '${isoDay(-20)}' WHERE id = ${origId} OR credit_of = ${origId}`);
  await runReminders();
  assert.equal(await sqlValue(srv.dbUrl, `SELECT COALESCE(reminder_sent_at, 0) FROM invoices WHERE id = ${origId}`), '0');
  assert.equal(await count("SELECT count(*) FROM outbox WHERE to_address = 'sophie.smit@example.nl' AND subject LIKE 'Herinnering%'"), 0);
  // the credit note stays "open" (owed to the customer), never "vervallen"
  const overdue = text((await staff.get(`/beheer/facturen?status=vervallen&q=${creditNo}`)).text);
  assert.doesNotMatch(overdue, new RegExp(creditNo));
  assert.match(text((await staff.get(`/beheer/facturen?status=vervallen&q=${origNo}`)).text), new RegExp(`${origNo}.*vervallen`));
  assert.match(text((await staff.get(`/beheer/facturen?status=open&q=${creditNo}`)).text), new RegExp(`${creditNo}.*open`));
  // staff settle it: "verrekend" from then on, with its own words on the form and the notice
  assert.match(text((await staff.get(`/beheer/facturen/${creditNo}`)).text), /Markeer als verrekend of terugbetaald Verrekend of terugbetaald op/);
  const settled = await staff.post(`/beheer/facturen/${creditNo}/betaald`, { csrf, datum: nlDay(0) });
  assert.equal(settled.status, 303);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT status, paid_on FROM invoices WHERE number = '${creditNo}'`), [['betaald', isoDay(0)]]);
  const after = text((await staff.get(settled.headers.get('location'))).text);
  assert.match(after, /De creditfactuur is gemarkeerd als verrekend of terugbetaald\./);
  assert.match(text((await staff.get(`/beheer/facturen?q=${creditNo}`)).text), new RegExp(`${creditNo}.*verrekend`));
});

test('a partly credited invoice: the reminder asks for what is left', async () => {
  const eid = await newEvent(12100);
  const org = await orgId(srv, 'Herenbos Schagen');
  const a = await processed(eid, await personId(srv, 'kees.visser@example.nl'), org);
  const b = await processed(eid, await personId(srv, 'lars.jansen@example.nl'), org);
  assert.equal((await issue({ evenement: eid })).status, 303);
  const [[origId]] = await invoicesOf(a);
  assert.deepEqual((await invoicesOf(b)).map((r) => r[0]), [origId], 'one invoice, two lines');
  assert.equal((await staff.post(`/beheer/inschrijvingen/${b}/annuleren`, { csrf, bevestigd: '1' })).status, 303);
  assert.equal((await staff.post('/beheer/facturen/crediteren', { csrf, inschrijving: b })).status, 303);
  await sql(srv.dbUrl, `UPDATE invoices SET due_date = '${isoDay(-20)}' WHERE id = ${origId}`);
  const to = await sqlValue(srv.dbUrl, `SELECT party_email FROM invoices WHERE id = ${origId}`);
  await runReminders();
  assert.ok(Number(await sqlValue(srv.dbUrl, `SELECT COALESCE(reminder_sent_at, 0) FROM invoices WHERE id = ${origId}`)) > 0);
  const mail = (await srv.waitForMail(to, 3, 45000)).find((m) => m.subject.startsWith('Herinnering'));
  assert.match(mail.text, /Bedrag: +€ 242,00 \(inclusief btw\)/);
  assert.match(mail.text, /Na creditering nog te betalen: € 121,00/);
});

test('maatwerk: the event invoiced as a whole on one line, as staff type it', async () => {
  const eid = await newEvent(0, 21, ghhw);
  await processed(eid, await personId(srv, 'sanne.bakker@example.nl'), ghhw);
  await processed(eid, await personId(srv, 'jan.devries@example.nl'), ghhw);
  const page = text((await staff.get(PENDING)).text);
  assert.match(page, /Maatwerk .*Factuurtest/);
  let r = await staff.post('/beheer/facturen/maatwerk', { csrf, evenement: eid, omschrijving: 'Incompany training groenbeheer', bedrag: 'veel', btw: '0' });
  assert.equal(r.status, 422);
  assert.match(text(r.text), /bedrag/i);
  assert.match(r.text, /value="Incompany training groenbeheer"/, 'typed values kept');
  r = await staff.post('/beheer/facturen/maatwerk', { csrf, evenement: eid, omschrijving: 'Incompany training groenbeheer', bedrag: '1.250,00', btw: '0' });
  assert.equal(r.status, 303);
  const number = r.headers.get('location').split('/').pop();
  assert.deepEqual(await sql(srv.dbUrl, `SELECT organisation_id, amount_cents, net_cents, vat_cents FROM invoices WHERE number = '${number}'`), [[ghhw, '125000', '125000', '0']]);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT l.description, l.amount_cents, l.vat_rate, l.event_id, COALESCE(l.registration_id, 0) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.number = '${number}'`),
    [['Incompany training groenbeheer', '125000', '0', eid, '0']]);
  const detail = text((await staff.get(r.headers.get('location'))).text);
  assert.match(detail, /Vrijgesteld van btw, art. 11 lid 1 onder o Wet OB/);
  r = await staff.post('/beheer/facturen/maatwerk', { csrf, evenement: eid, omschrijving: 'Nog eens', bedrag: '10,00', btw: '21' });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Dit evenement is al gefactureerd/, 'the reason shows although the event left the list');
  assert.equal(await count(`SELECT count(*) FROM invoice_lines WHERE event_id = ${eid}`), 1);
  assert.ok(await count(`SELECT count(*) FROM audit_log WHERE action LIKE 'factu%' AND (subject = '${number}' OR detail LIKE '%${number}%')`) >= 1, 'audited');
});

test('Facturen: every invoice, searched by number and party, filtered by status, as CSV', async () => {
  let r = await staff.get('/beheer/facturen');
  assert.equal(r.status, 200);
  assert.match(r.text, /<a href="\/beheer\/facturen" aria-current="page">Facturen<\/a>/, 'in the back office menu');
  const paid = await sqlValue(srv.dbUrl, "SELECT number FROM invoices WHERE status = 'betaald' AND party_name = 'Martin Sommer'");
  r = await staff.get('/beheer/facturen?q=martin&status=betaald');
  const t = text(r.text);
  assert.match(t, new RegExp(paid));
  assert.doesNotMatch(t, /Gemeente Heerhugowaard/);
  r = await staff.get(`/beheer/facturen?q=${paid}`);
  assert.match(text(r.text), /1 factuur/);
  r = await staff.get('/beheer/facturen/csv?status=betaald');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.match(r.text, /Nummer;Soort;Factuurdatum/);
  assert.match(r.text, new RegExp(`${paid};factuur;`));
  assert.doesNotMatch(r.text, /;open;/);
});

test('the demo invoices through the store: Martin, the municipality and Deby, both VAT rates', async () => {
  const of = (where) => sql(srv.dbUrl, `SELECT number, status FROM invoices WHERE ${where} AND number NOT IN (SELECT i.number FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id JOIN events e ON e.id = COALESCE(l.event_id, (SELECT event_id FROM registrations WHERE id = l.registration_id)) WHERE e.name LIKE 'Factuurtest%') ORDER BY number`);
  const martin = await of(`person_id = ${await personId(srv, 'martin.sommer@example.nl')}`);
  assert.deepEqual(martin.map((r) => r[1]).sort(), ['betaald', 'open']);
  const gemeente = await of(`organisation_id = ${ghhw} AND invoice_date < '${isoDay(0)}'`);
  assert.deepEqual(gemeente.map((r) => r[1]).sort(), ['betaald', 'open']);
  const deby = await of(`person_id = ${await personId(srv, 'deby.rummens@example.nl')}`);
  assert.deepEqual(deby.map((r) => r[1]), ['betaald']);
  for (const [n] of [...martin, ...gemeente, ...deby]) assert.match(n, /^\d{4}-\d{6}$/);
  assert.equal(await count("SELECT count(*) FROM invoices WHERE number LIKE 'F%'"), 0);
  assert.ok(await count("SELECT count(*) FROM invoice_lines WHERE vat_rate = 0 AND invoice_id IN (SELECT id FROM invoices WHERE invoice_date < '" + isoDay(-30) + "')") >= 1, 'an exempt line');
  assert.ok(await count("SELECT count(*) FROM invoice_lines WHERE vat_rate = 21") >= 1);
  assert.equal(await count("SELECT count(*) FROM jobs WHERE kind = 'factuur-mail' AND payload IN (SELECT CAST(id AS TEXT) FROM invoices WHERE invoice_date < '" + isoDay(-1) + "')"), 0, 'no mails for the demo\'s old invoices');
});

// Last, over what the tests above made: a credit note, a maatwerk invoice, an invoice with both
// rates, an organisation's and a person's, each as staff download it, through the EN 16931 rules.
test('the invoices and credit notes made here pass the EN 16931 rules', { skip: noValidator }, async () => {
  const pick = async (where) => (await sql(srv.dbUrl, `SELECT number FROM invoices i WHERE ${where} ORDER BY id LIMIT 1`))[0]?.[0];
  const numbers = [...new Set([
    await pick("kind = 'creditnota'"),
    await pick('EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id AND l.event_id IS NOT NULL)'),
    await pick('EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id AND l.vat_rate = 0) AND EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id AND l.vat_rate = 21)'),
    await pick("organisation_id IS NOT NULL AND kind = 'factuur'"),
    await pick("person_id IS NOT NULL AND kind = 'factuur'"),
  ].filter(Boolean))];
  assert.ok(numbers.length >= 4, `kinds found: ${numbers}`);
  for (const n of numbers) {
    const r = await staff.get(`/beheer/facturen/${n}.xml`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/xml/);
    assert.match(r.headers.get('content-disposition'), /attachment/);
    const v = await validateEinvoice(r.text);
    assert.ok(v.ok, `${n}: ${v.fatal.join('\n')}`);
  }
  const pdf = await staff.get(`/beheer/facturen/${numbers[0]}.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
});

test('maatwerk: a cancelled event is not invoiced, an unknown one is 404; the reference is locked once the event is invoiced', async () => {
  const cancelled = await newEvent(0, 0, ghhw);
  await sql(srv.dbUrl, `UPDATE events SET cancelled = 1 WHERE id = ${cancelled}`);
  let r = await staff.post('/beheer/facturen/maatwerk', { csrf, evenement: cancelled, omschrijving: 'Afgelast', bedrag: '100,00', btw: '0' });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Dit evenement is geannuleerd; er komt geen factuur voor/);
  assert.equal(await count(`SELECT count(*) FROM invoice_lines WHERE event_id = ${cancelled}`), 0);
  r = await staff.post('/beheer/facturen/maatwerk', { csrf, evenement: '987654321', omschrijving: 'x', bedrag: '1,00', btw: '0' });
  assert.equal(r.status, 404);

  const eid = await newEvent(0, 0, ghhw);
  const reg = await processed(eid, await personId(srv, 'jan.devries@example.nl'), ghhw, 'INK-77');
  assert.equal((await staff.post('/beheer/facturen/maatwerk', { csrf, evenement: eid, omschrijving: 'Incompany', bedrag: '900,00', btw: '0' })).status, 303);
  r = await staff.post(`/beheer/inschrijvingen/${reg}/referentie`, { csrf, referentie: 'INK-78' });
  assert.equal(r.status, 409);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT reference FROM registrations WHERE id = ${reg}`), 'INK-77');
});
