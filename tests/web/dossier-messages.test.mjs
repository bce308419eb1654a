// Digitaal Dossier messages: staff write a message with attachments into a person's or an
// organisation's dossier (/beheer/…/dossier); the recipient (an organisation's beheerders) gets a
// mail that says only that there is a message; opening it marks it read for that reader alone;
// attachments download with the stored bytes and type; a file is judged by its content; anyone
// else's message or attachment is 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { csrfOf, text, staffClient, actingAs, personId, orgId } from './lib/portal.mjs';

let srv, staff, martin, martinId, ghhw;
before(async () => {
  srv = await startServer();
  staff = await staffClient(srv);
  martin = await actingAs(srv, 'martin.sommer@example.nl');
  martinId = await personId(srv, 'martin.sommer@example.nl');
  ghhw = await orgId(srv, 'Gemeente Heerhugowaard');
});
after(async () => { await srv?.stop(); });

const count = async (q) => Number(await sqlValue(srv.dbUrl, q));
const SECRET = 'Uw uitslag is 8,5 en het verslag staat klaar';

// A small but real PDF: its magic bytes and some binary after them.
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0, 1, 2, 255]), Buffer.from('\n1 0 obj << >> endobj\n%%EOF\n')]);

/** Posts the form Nieuw bericht as a browser does (multipart), with the client's cookies. */
async function send(c, where, { subject = 'Uw certificaat', body = SECRET, files = [], action = 'versturen' } = {}) {
  const page = await c.get(where);
  assert.equal(page.status, 200);
  const fd = new FormData();
  fd.append('csrf', csrfOf(page.text));
  fd.append('onderwerp', subject);
  fd.append('tekst', body);
  fd.append('actie', action);
  for (const f of files) fd.append('bijlagen', new Blob([f.bytes], { type: f.type ?? 'application/octet-stream' }), f.name);
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(srv.url + where, { method: 'POST', body: fd, headers: { cookie }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function rawGet(c, p) {
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(srv.url + p, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const stored = async () => ({
  messages: await count('SELECT count(*) FROM messages'),
  attachments: await count('SELECT count(*) FROM attachments'),
  audit: await count('SELECT count(*) FROM audit_log'),
  outbox: await count('SELECT count(*) FROM outbox'),
});

/** The Mijn menu's Digitaal Dossier item as text ("Digitaal Dossier (2 ongelezen berichten)"),
 * or undefined when the menu has no such item (its page, the timeline, is not served). */
async function menuItem(c) {
  const page = await c.get('/mijn/gegevens');
  const nav = page.text.split('class="mijnnav"')[1]?.split('</nav>')[0] ?? '';
  const li = [...nav.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]).find((l) => l.includes('/mijn/dossier'));
  return li && text(li).trim();
}

let martinMsg, martinAtt;

test('staff write a message with a PDF to Martin: stored with its file, one audit line, a mail without the content', async () => {
  const beforeMenu = await menuItem(martin);
  const r = await send(staff, `/beheer/personen/${martinId}/dossier`, { files: [{ name: 'certificaat ‘2026’.pdf', bytes: PDF, type: 'application/pdf' }] });
  assert.equal(r.status, 303, text(r.text).slice(0, 500));
  assert.equal(r.headers.get('location'), `/beheer/personen/${martinId}/dossier`);
  martinMsg = await sqlValue(srv.dbUrl, `SELECT id FROM messages WHERE person_id = ${martinId} AND subject = 'Uw certificaat'`);
  assert.ok(martinMsg);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT body, organisation_id IS NULL FROM messages WHERE id = ${martinMsg}`), [[SECRET, srv.dbUrl.startsWith('sqlite:') ? '1' : 't']]);
  const [att] = await sql(srv.dbUrl, `SELECT id, filename, content_type, size_bytes FROM attachments WHERE message_id = ${martinMsg}`);
  martinAtt = att[0];
  assert.deepEqual(att.slice(1), ['certificaat ‘2026’.pdf', 'application/pdf', String(PDF.length)]);
  assert.equal(await count(`SELECT count(*) FROM audit_log WHERE action = 'bericht_verstuurd' AND person_id = ${martinId} AND detail = 'bericht ${martinMsg}'`), 1);

  const mails = await sql(srv.dbUrl, `SELECT id, to_address FROM outbox WHERE subject = 'Nieuw bericht in uw Digitaal Dossier' ORDER BY id`);
  assert.equal(mails.length, 1);
  const [id, to] = mails[0];
  const body = (await sql(srv.dbUrl, `SELECT body_text FROM outbox WHERE id = ${id}`)).join('\n');
  const html = (await sql(srv.dbUrl, `SELECT body_html FROM outbox WHERE id = ${id}`)).join('\n');
  assert.equal(to, 'martin.sommer@example.nl');
  assert.match(body, new RegExp(`/mijn/dossier/berichten/${martinMsg}\\b`));
  for (const part of [body, html]) {
    assert.doesNotMatch(part, /uitslag|Uw certificaat|certificaat ‘2026’/, 'never the subject, text or file');
  }

  // the back office lists it, unread
  const page = await staff.get(`/beheer/personen/${martinId}/dossier`);
  const row = text(page.text.split('<tbody>')[1].split('</tr>')[0]);
  assert.match(row, /Uw certificaat .* 1 Ongelezen/);

  // the menu counts it (once the timeline serves /mijn/dossier, the item shows)
  const after = await menuItem(martin);
  if (after !== undefined) {
    const n = (s) => Number(s?.match(/\((\d+) ongelezen/)?.[1] ?? 0);
    assert.equal(n(after), n(beforeMenu) + 1, after);
  }
});

test('Martin opens it: the text rendered, the attachment listed, read for him, the menu counts one less', async (t) => {
  const before = await menuItem(martin);
  const page = await martin.get(`/mijn/dossier/berichten/${martinMsg}`);
  assert.equal(page.status, 200);
  assert.match(text(page.text), new RegExp(SECRET));
  assert.match(page.text, new RegExp(`href="/mijn/dossier/bijlagen/${martinAtt}"`));
  assert.match(text(page.text), /certificaat ‘2026’\.pdf \(PDF, 1 kB\)/);
  assert.equal(await count(`SELECT count(*) FROM message_reads WHERE message_id = ${martinMsg} AND person_id = ${martinId}`), 1);
  // opening again changes nothing
  const again = await martin.get(`/mijn/dossier/berichten/${martinMsg}`);
  assert.equal(again.status, 200);
  assert.equal(await count(`SELECT count(*) FROM message_reads WHERE message_id = ${martinMsg}`), 1);
  const staffPage = await staff.get(`/beheer/personen/${martinId}/dossier`);
  assert.match(text(staffPage.text.split('<tbody>')[1].split('</tr>')[0]), /Gelezen|Martin Sommer \(/);
  const after = await menuItem(martin);
  if (after === undefined) return t.skip('the Mijn menu shows Digitaal Dossier once its timeline page is served');
  const n = (s) => Number(s?.match(/\((\d+) ongelezen/)?.[1] ?? 0);
  assert.equal(n(after), n(before) - 1, `${before} → ${after}`);
});

test('the attachment downloads as the stored bytes with its type, as an attachment, never sniffed', async () => {
  const r = await rawGet(martin, `/mijn/dossier/bijlagen/${martinAtt}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="[^"]*"; filename\*=UTF-8''certificaat%20%E2%80%982026%E2%80%99\.pdf$/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('cache-control'), 'private, no-store');
  assert.ok(r.bytes.equals(PDF), 'the bytes as uploaded');
});

test('a file whose content is not what its name says, or unknown, or too large, is refused and nothing is written', async () => {
  const where = `/beheer/personen/${martinId}/dossier`;
  const cases = [
    [{ name: 'x.pdf', bytes: Buffer.from('<!doctype html><script>alert(1)</script>'), type: 'application/pdf' }, /Het bestand ‘x\.pdf’ is geen PDF-bestand: de inhoud past niet bij de naam/],
    [{ name: 'foto.png', bytes: PDF, type: 'image/png' }, /Het bestand ‘foto\.png’ is geen PNG-afbeelding/],
    [{ name: 'setup.exe', bytes: Buffer.from([0x4d, 0x5a, 0x90, 0, 3]), type: 'application/pdf' }, /Het bestand ‘setup\.exe’ kan niet als bijlage mee/],
    [{ name: 'groot.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(Math.round(4.5 * 1024 * 1024))]), type: 'application/pdf' }, /Het bestand ‘groot\.pdf’ is 4,5 MB; een bijlage mag hoogstens 4 MB zijn/],
  ];
  for (const [file, message] of cases) {
    const was = await stored();
    // a good file next to the bad one: one refusal refuses the message
    const r = await send(staff, where, { subject: 'Mag niet', files: [{ name: 'goed.pdf', bytes: PDF }, file] });
    assert.equal(r.status, 422, file.name);
    assert.match(text(r.text), message);
    assert.match(r.text, /<title>Fout: /);
    assert.match(r.text, /value="Mag niet"/, 'the subject kept');
    assert.deepEqual(await stored(), was, `${file.name}: nothing written`);
  }
  const was = await stored();
  const six = Array.from({ length: 6 }, (_, i) => ({ name: `d${i}.pdf`, bytes: PDF }));
  const r = await send(staff, where, { subject: 'Mag niet', files: six });
  assert.equal(r.status, 422);
  assert.match(text(r.text), /Voeg hoogstens 5 bijlagen toe/);
  assert.deepEqual(await stored(), was);
});

test('the preview renders the Markdown safely and stores nothing', async () => {
  const was = await stored();
  const r = await send(staff, `/beheer/organisaties/${ghhw}/dossier`, { subject: 'Voorbeeld', body: '**Vet** <script>alert(1)</script> [x](javascript:alert(1))', action: 'voorbeeld' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<strong>Vet<\/strong>/);
  assert.doesNotMatch(r.text, /<script>alert|href="javascript:/);
  assert.deepEqual(await stored(), was);
});

test('an organisation message: a mail to each active beheerder only, read state per reader, and nobody else sees it', async () => {
  // a second beheerder, to see that each reader has their own read state
  await sql(srv.dbUrl, `UPDATE memberships SET role = 'beheerder' WHERE organisation_id = ${ghhw} AND person_id = (SELECT id FROM persons WHERE email = 'sanne.bakker@example.nl')`);
  const r = await send(staff, `/beheer/organisaties/${ghhw}/dossier`, { subject: 'Offerte 2028', body: 'De offerte voor **2028**.', files: [{ name: 'offerte.txt', bytes: Buffer.from('Offerte 2028\nBedrag: 1.250,00\n'), type: 'text/html' }] });
  assert.equal(r.status, 303, text(r.text).slice(0, 400));
  const msg = await sqlValue(srv.dbUrl, `SELECT id FROM messages WHERE organisation_id = ${ghhw} AND subject = 'Offerte 2028'`);
  const att = await sqlValue(srv.dbUrl, `SELECT id FROM attachments WHERE message_id = ${msg}`);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT content_type FROM attachments WHERE id = ${att}`), 'text/plain; charset=utf-8', 'the type by content, not as declared');
  const beheerders = (await sql(srv.dbUrl, `SELECT p.email FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.organisation_id = ${ghhw} AND m.role = 'beheerder' AND m.active = 1 AND p.email <> '' ORDER BY p.email`)).map((x) => x[0]);
  assert.ok(beheerders.includes('deby.rummens@example.nl') && beheerders.length >= 2, beheerders.join());
  const mails = (await sql(srv.dbUrl, `SELECT to_address FROM outbox WHERE subject = 'Nieuw bericht in uw Digitaal Dossier' AND body_text LIKE '%/berichten/${msg}%' ORDER BY to_address`));
  assert.deepEqual(mails.map((m) => m[0]), beheerders, 'each beheerder, nobody else (not Jan)');
  assert.equal(await count(`SELECT count(*) FROM outbox WHERE body_text LIKE '%/berichten/${msg}%' AND (lower(body_text) LIKE '%offerte%' OR body_html LIKE '%2028%')`), 0, 'never the content');

  const deby = await actingAs(srv, 'deby.rummens@example.nl', 'Gemeente Heerhugowaard');
  const page = await deby.get(`/mijn/dossier/berichten/${msg}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /De offerte voor <strong>2028<\/strong>/);
  const debyId = await personId(srv, 'deby.rummens@example.nl');
  assert.deepEqual(await sql(srv.dbUrl, `SELECT person_id FROM message_reads WHERE message_id = ${msg}`), [[String(debyId)]], 'read for Deby alone');
  const other = beheerders.find((e) => e !== 'deby.rummens@example.nl');
  const otherId = await personId(srv, other);
  assert.equal(await count(`SELECT count(*) FROM messages m WHERE m.organisation_id = ${ghhw} AND NOT EXISTS (SELECT 1 FROM message_reads r WHERE r.message_id = m.id AND r.person_id = ${otherId})`) >= 1, true, 'still unread for the other beheerder');
  const dl = await rawGet(deby, `/mijn/dossier/bijlagen/${att}`);
  assert.equal(dl.status, 200);
  assert.equal(dl.bytes.toString(), 'Offerte 2028\nBedrag: 1.250,00\n');

  // Jan, medewerker of Gemeente Heerhugowaard: 404 for the message and its attachment
  const jan = await actingAs(srv, 'jan.devries@example.nl', 'Gemeente Heerhugowaard');
  assert.equal((await jan.get(`/mijn/dossier/berichten/${msg}`)).status, 404);
  assert.equal((await rawGet(jan, `/mijn/dossier/bijlagen/${att}`)).status, 404);
  // Deby as person: 404; Deby for Herenbos Schagen: 404; Martin: 404
  const debyPerson = await actingAs(srv, 'deby.rummens@example.nl', 'persoon');
  assert.equal((await debyPerson.get(`/mijn/dossier/berichten/${msg}`)).status, 404);
  assert.equal((await rawGet(debyPerson, `/mijn/dossier/bijlagen/${att}`)).status, 404);
  const debyB = await actingAs(srv, 'deby.rummens@example.nl', 'Herenbos Schagen');
  assert.equal((await debyB.get(`/mijn/dossier/berichten/${msg}`)).status, 404);
  assert.equal((await martin.get(`/mijn/dossier/berichten/${msg}`)).status, 404);
  assert.equal(await count(`SELECT count(*) FROM message_reads WHERE message_id = ${msg}`), 1, 'a refused look marks nothing');

  // the back office names who read it
  const list = await staff.get(`/beheer/organisaties/${ghhw}/dossier`);
  assert.match(text(list.text.split('<tbody>')[1].split('</tr>')[0]), /Offerte 2028 .* Deby Rummens.*\(\d\d-\d\d-\d{4} /);
});

test("another person's message and attachment are 404, as an unknown id", async () => {
  for (const who of [['jan.devries@example.nl', null], ['deby.rummens@example.nl', 'persoon']]) {
    const c = await actingAs(srv, ...who);
    assert.equal((await c.get(`/mijn/dossier/berichten/${martinMsg}`)).status, 404);
    assert.equal((await rawGet(c, `/mijn/dossier/bijlagen/${martinAtt}`)).status, 404);
  }
  assert.equal((await martin.get('/mijn/dossier/berichten/999999')).status, 404);
  assert.equal((await martin.get('/mijn/dossier/bijlagen/999999')).status, 404);
  assert.equal((await martin.get('/mijn/dossier/berichten/abc')).status, 404);
  assert.equal((await staff.get('/beheer/personen/999999/dossier')).status, 404);
  assert.equal((await staff.get('/beheer/organisaties/999999/dossier')).status, 404);
});

test("the person's and the organisation's back-office pages link to their dossier", async () => {
  assert.match((await staff.get(`/beheer/personen/${martinId}`)).text, new RegExp(`href="/beheer/personen/${martinId}/dossier"`));
  assert.match((await staff.get(`/beheer/organisaties/${ghhw}`)).text, new RegExp(`href="/beheer/organisaties/${ghhw}/dossier"`));
});
