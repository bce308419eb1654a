// Import (/beheer/import): staff uploads a CSV file of persons, organisations and memberships,
// sees a preview that lists every row it would refuse and why (nothing written), then
// Importeren writes exactly the accepted rows in one go, with audit lines and, when chosen, the
// accounts' own activation mails. Files from Excel: ';' with BOM, Windows-1252; a file too
// large or not CSV at all gets a Dutch answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';
import { csrfOf, text, staffClient, loginAs } from './lib/portal.mjs';

let srv;
let staff;
before(async () => {
  srv = await startServer();
  staff = await staffClient(srv);
});
after(async () => { await srv?.stop(); });

const HEADER = 'voornaam;tussenvoegsel;achternaam;e-mailadres;organisatie;kvk-nummer;rol;functie';
const count = async (q) => Number(await sqlValue(srv.dbUrl, q));
const linkIn = (mail) => mail.text.match(/\/wachtwoord-instellen\?token=[A-Za-z0-9_-]+/)?.[0];

/** Posts a file to the upload form as a browser does (multipart), with the client's cookies. */
async function upload(c, bytes, { name = 'import.csv', mails = false, type = 'text/csv' } = {}) {
  const page = await c.get('/beheer/import');
  const fd = new FormData();
  fd.append('csrf', csrfOf(page.text));
  if (mails) fd.append('activatiemails', '1');
  fd.append('bestand', new Blob([bytes], { type }), name);
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(srv.url + '/beheer/import', { method: 'POST', body: fd, headers: { cookie }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Uploads and follows to the preview; returns its address and page. */
async function preview(c, bytes, opts) {
  const r = await upload(c, bytes, opts);
  assert.equal(r.status, 303, text(r.text).slice(0, 600));
  const where = r.headers.get('location');
  assert.match(where, /^\/beheer\/import\/[A-Za-z0-9_-]{43}$/);
  const page = await c.get(where);
  assert.equal(page.status, 200);
  return { where, page };
}

/** Importeren as the preview's form sends it. */
const importNow = (c, { where, page }) =>
  c.post(where, { csrf: csrfOf(page.text), plan: page.text.match(/name="plan" value="([0-9a-f]{64})"/)[1] });

/** The rows of a preview table: the cells by their labels. */
function rowsOf(html, section) {
  const part = html.split(`id="${section}"`)[1]?.split('</table>')[0] ?? '';
  return [...part.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = {};
    for (const c of m[1].matchAll(/<td data-label="([^"]+)">([\s\S]*?)<\/td>/g)) cells[c[1]] = text(c[2]).trim();
    return cells;
  }).filter((r) => r.Regel);
}

/** The field lines of one audit line on one line: "field > old > new | …". */
const changesOf = (where) => sqlValue(srv.dbUrl,
  `SELECT replace(replace(changes, '\t', ' > '), '\n', ' | ') FROM audit_log WHERE ${where}`);

/** A GET with the client's cookies, as bytes (text() would drop a byte order mark). */
async function rawGet(c, p) {
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(srv.url + p, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const domainCounts = async () => ({
  persons: await count('SELECT count(*) FROM persons'),
  organisations: await count('SELECT count(*) FROM organisations'),
  memberships: await count('SELECT count(*) FROM memberships'),
  audit: await count('SELECT count(*) FROM audit_log'),
  outbox: await count('SELECT count(*) FROM outbox'),
});

test('the page documents the columns and offers the upload with the choice of activation mails', async () => {
  const page = await staff.get('/beheer/import');
  assert.equal(page.status, 200);
  assert.match(page.text, /<title>Import - /);
  assert.match(page.text, /<form class="form" method="post" action="\/beheer\/import" enctype="multipart\/form-data"/);
  assert.match(page.text, /<input id="f-bestand" name="bestand" type="file"/);
  assert.match(page.text, /<label for="f-activatiemails">Activatiemails versturen<\/label>/);
  assert.doesNotMatch(page.text.match(/<input id="f-activatiemails"[^>]*>/)[0], /checked/);
  const t = text(page.text);
  for (const col of ['voornaam', 'tussenvoegsel', 'achternaam', 'e-mailadres', 'organisatie', 'kvk-nummer', 'rol', 'functie']) {
    assert.match(page.text, new RegExp(`<td data-label="Kolom"><strong>${col}</strong>`), col);
  }
  assert.match(t, /Kolom Verplicht Formaat Voorbeeld/);
  assert.match(t, /medewerker of beheerder\. Leeg: medewerker\./);
  // the example file opens in Dutch Excel: BOM, ';', and it is itself a valid import
  const ex = await rawGet(staff, '/beheer/import/voorbeeld.csv');
  assert.equal(ex.status, 200);
  assert.match(ex.headers.get('content-type'), /^text\/csv/);
  assert.ok(ex.bytes.toString('utf8').startsWith('\uFEFF' + HEADER + '\r\n'));
  const pv = await preview(staff, ex.bytes, { name: 'import-voorbeeld.csv' });
  assert.match(text(pv.page.text), /3 regels worden geïmporteerd/);
  assert.doesNotMatch(pv.page.text, /id="geweigerd"/);
});

test('the dry run lists each bad row with its reason and writes nothing; Importeren writes exactly the good rows', async () => {
  const file = [
    HEADER,
    'Anna;;Bakker;anna.bakker@import.example;Tuinbouw Noord;87654321;beheerder;Directeur',
    'Bas;van;Dam;bas.vandam@import.example;Tuinbouw Noord;87654321;;Hovenier',
    'Jantje;de;Vries;Jan.DeVries@Example.NL;Tuinbouw Noord;87654321;medewerker;',
    ';;Leeg;leeg@import.example;;;;',
    'Carla;;Claes;carla@@import;;;;',
    'Dirk;;Dekker;dirk.dekker@import.example;Tuinbouw Noord;87654321;directeur;',
    'Anna;;Bakker;anna.bakker@import.example;Tuinbouw Noord;87654321;beheerder;Directeur',
    'Eva;;Evers;eva.evers@import.example;Gemeente Heerhugowaard;;;',
    'Frits;;Fok;frits.fok@import.example;;1234;;',
    'Gijs;;Goud;gijs.goud@import.example;Herenbos;37012345;;',
    'Hans;;Haan;hans.haan@import.example;Tuinbouw Noord;11112222;;',
    'Pieter;van;Dijk;pieter.vandijk@example.nl;Gemeente Heerhugowaard;;beheerder;',
    'Gijs;;Goud;gijs.goud@import.example;Herenbos Schagen;;;',
  ].join('\r\n') + '\r\n';
  const before = await domainCounts();
  const pv = await preview(staff, file);
  const t = text(pv.page.text);
  assert.match(pv.page.text, /<title>Voorbeeld van de import - /);
  assert.match(t, /import\.csv: 13 regels \(UTF-8, scheidingsteken puntkomma \(;\)\)\. Er is nog niets opgeslagen\./);
  assert.match(t, /6 regels worden geïmporteerd, 7 regels worden geweigerd/);
  assert.deepEqual(rowsOf(pv.page.text, 'geweigerd').map((r) => [r.Regel, r.Reden]), [
    ['5', 'verplicht veld leeg: voornaam'],
    ['6', 'e-mailadres ongeldig (carla@@import)'],
    ['7', 'onbekende rol "directeur" (medewerker of beheerder)'],
    ['8', 'dubbel in het bestand: zelfde persoon en organisatie als regel 2'],
    ['10', 'KvK-nummer ongeldig (8 cijfers); KvK-nummer zonder organisatie'],
    ['12', 'organisatie "Tuinbouw Noord" staat op regel 2 met KvK-nummer 87654321'],
    // the same organisation as on line 11, there found by its KvK number, here by its name
    ['14', 'dubbel in het bestand: zelfde persoon en organisatie als regel 11'],
  ]);
  const ok = Object.fromEntries(rowsOf(pv.page.text, 'geimporteerd').map((r) => [r.Regel, r]));
  assert.deepEqual(Object.keys(ok), ['2', '3', '4', '9', '11', '13']);
  assert.match(ok['2'].Persoon, /^Anna Bakker anna\.bakker@import\.example nieuw persoon$/);
  assert.match(ok['2'].Organisatie, /^Tuinbouw Noord \(KvK 87654321\) nieuwe organisatie$/);
  assert.match(ok['2'].Lidmaatschap, /^lid als beheerder functie: Directeur$/);
  assert.match(ok['3'].Organisatie, /nieuwe organisatie \(zelfde als regel 2\)$/);
  assert.match(ok['3'].Lidmaatschap, /^lid als medewerker functie: Hovenier$/);
  // matched by address whatever its case; the name in the file changes nothing
  assert.match(ok['4'].Persoon, /jan\.devries@example\.nl bestaand persoon \(op e-mailadres\) de naam in het portaal is anders en blijft zoals hij is$/);
  assert.match(ok['9'].Organisatie, /^Gemeente Heerhugowaard bestaande organisatie \(op naam\)$/);
  assert.match(ok['11'].Organisatie, /bestaande organisatie \(op KvK-nummer\) in het portaal heet deze organisatie "Herenbos Schagen"$/);
  assert.match(ok['13'].Lidmaatschap, /^al lid als medewerker; de rol blijft zo$/);
  assert.match(t, /Er worden geen activatiemails verstuurd\./);
  // nothing written: persons, organisations, memberships, audit, mail
  assert.deepEqual(await domainCounts(), before);

  const r = await importNow(staff, pv);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), pv.where);
  const done = await staff.get(pv.where);
  assert.match(text(done.text), /Import uitgevoerd Het bestand import\.csv is geïmporteerd\. Nieuwe personen: 4 Nieuwe organisaties: 1 Nieuwe lidmaatschappen: 5 Activatiemails: 0/);
  assert.deepEqual(await sql(srv.dbUrl, "SELECT email, first_name, infix, last_name FROM persons WHERE email LIKE '%@import.example' ORDER BY email"), [
    ['anna.bakker@import.example', 'Anna', '', 'Bakker'],
    ['bas.vandam@import.example', 'Bas', 'van', 'Dam'],
    ['eva.evers@import.example', 'Eva', '', 'Evers'],
    ['gijs.goud@import.example', 'Gijs', '', 'Goud'],
  ]);
  assert.deepEqual(await sql(srv.dbUrl, "SELECT first_name, count(*) FROM persons WHERE email = 'jan.devries@example.nl' GROUP BY first_name"), [['Jan', '1']], 'no second Jan');
  assert.deepEqual(await sql(srv.dbUrl, "SELECT name, kvk_number FROM organisations WHERE name LIKE 'Tuinbouw%' OR kvk_number = '87654321'"), [['Tuinbouw Noord', '87654321']]);
  assert.deepEqual(await sql(srv.dbUrl,
    `SELECT p.email, o.name, m.role, m.job_title, m.contact_first_name, m.active FROM memberships m
       JOIN persons p ON p.id = m.person_id JOIN organisations o ON o.id = m.organisation_id
      WHERE p.email LIKE '%@import.example' OR o.name = 'Tuinbouw Noord' ORDER BY p.email`), [
    ['anna.bakker@import.example', 'Tuinbouw Noord', 'beheerder', 'Directeur', 'Anna', '1'],
    ['bas.vandam@import.example', 'Tuinbouw Noord', 'medewerker', 'Hovenier', 'Bas', '1'],
    ['eva.evers@import.example', 'Gemeente Heerhugowaard', 'medewerker', '', 'Eva', '1'],
    ['gijs.goud@import.example', 'Herenbos Schagen', 'medewerker', '', 'Gijs', '1'],
    ['jan.devries@example.nl', 'Tuinbouw Noord', 'medewerker', '', 'Jantje', '1'],
  ]);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT role FROM memberships WHERE person_id = (SELECT id FROM persons WHERE email = 'pieter.vandijk@example.nl')"), 'medewerker');
  assert.equal(await count("SELECT count(*) FROM persons WHERE email IN ('leeg@import.example', 'dirk.dekker@import.example', 'frits.fok@import.example', 'hans.haan@import.example')"), 0, 'refused rows wrote nothing');
  // the trail: a line per row with the person and organisation it concerns and what it made
  // of them, a line per organisation made, and the summary
  const anna = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'anna.bakker@import.example'");
  const tuin = await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Tuinbouw Noord'");
  const staffId = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'administratie@example.nl'");
  assert.deepEqual(await sql(srv.dbUrl, `SELECT action, subject, detail, actor_id, organisation_id FROM audit_log WHERE person_id = ${anna} ORDER BY id`), [
    ['import_regel', 'Anna Bakker - Tuinbouw Noord', 'import import.csv, regel 2', staffId, tuin],
  ]);
  assert.equal(await changesOf(`person_id = ${anna}`),
    'voornaam >  > Anna | achternaam >  > Bakker | e-mailadres >  > anna.bakker@import.example | lidmaatschap >  > actief | rol >  > beheerder | functie >  > Directeur | ');
  assert.deepEqual(await sql(srv.dbUrl, `SELECT action, subject FROM audit_log WHERE organisation_id = ${tuin} ORDER BY id`), [
    ['organisatie_aangemaakt', 'Tuinbouw Noord'],
    ['import_regel', 'Anna Bakker - Tuinbouw Noord'],
    ['import_regel', 'Bas van Dam - Tuinbouw Noord'],
    ['import_regel', 'Jantje de Vries - Tuinbouw Noord'],
  ]);
  assert.equal(await changesOf(`organisation_id = ${tuin} AND action = 'organisatie_aangemaakt'`), 'naam >  > Tuinbouw Noord | kvk-nummer >  > 87654321 | ');
  // Jan was found, not made: his line names only the membership
  assert.equal(await changesOf(`organisation_id = ${tuin} AND subject = 'Jantje de Vries - Tuinbouw Noord'`), 'lidmaatschap >  > actief | rol >  > medewerker | ');
  // Pieter was already a member: nothing changed, no line
  assert.equal(await count("SELECT count(*) FROM audit_log WHERE action = 'import_regel' AND subject LIKE 'Pieter%'"), 0);
  assert.deepEqual(await sql(srv.dbUrl, "SELECT subject, detail FROM audit_log WHERE action = 'import_uitgevoerd'"), [
    ['import.csv', '6 regels geïmporteerd, 7 geweigerd: 4 nieuwe personen, 1 nieuwe organisaties, 5 lidmaatschappen, 0 activatiemails'],
  ]);
  assert.equal(await count('SELECT count(*) FROM outbox'), before.outbox, 'no mail without the choice');
  // a second click changes nothing: the same outcome page, nothing twice
  const again = await importNow(staff, { where: pv.where, page: pv.page });
  assert.equal(again.status, 303);
  assert.equal(await count("SELECT count(*) FROM persons WHERE email LIKE '%@import.example'"), 4);
  assert.equal(await count("SELECT count(*) FROM audit_log WHERE action = 'import_uitgevoerd'"), 1);
  // the stored file is emptied once done
  assert.equal(await count("SELECT count(*) FROM imports WHERE done_at IS NOT NULL AND length(content) > 0"), 0);
});

test('Importeren writes only what the preview showed: a changed database or a forged digest is refused', async () => {
  const file = `${HEADER}\nGerrit;;Gans;gerrit.gans@import.example;;;;\n`;
  const pv = await preview(staff, file);
  assert.match(rowsOf(pv.page.text, 'geimporteerd')[0].Persoon, /nieuw persoon$/);
  // a forged digest: refused, the preview shown again, nothing written
  let r = await staff.post(pv.where, { csrf: csrfOf(pv.page.text), plan: 'f'.repeat(64) });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /Sinds u het voorbeeld opende, is er in het portaal iets veranderd/);
  assert.equal(await count("SELECT count(*) FROM persons WHERE email = 'gerrit.gans@import.example'"), 0);
  // someone makes Gerrit meanwhile: the old digest no longer fits, the new preview says so
  await sql(srv.dbUrl, "INSERT INTO persons (first_name, infix, last_name, email, created_at, updated_at) VALUES ('Gerrit', '', 'Gans', 'gerrit.gans@import.example', 0, 0)");
  r = await importNow(staff, pv);
  assert.equal(r.status, 409);
  assert.match(rowsOf(r.text, 'geimporteerd')[0].Persoon, /bestaand persoon \(op e-mailadres\)$/);
  assert.equal(await count("SELECT count(*) FROM audit_log WHERE action = 'import_regel' AND subject = 'Gerrit Gans'"), 0);
  r = await importNow(staff, { where: pv.where, page: r });
  assert.equal(r.status, 303);
  assert.equal(await count("SELECT count(*) FROM persons WHERE email = 'gerrit.gans@import.example'"), 1);
  // an unknown key is not found; a preview older than an hour cannot be imported
  assert.equal((await staff.get('/beheer/import/' + 'A'.repeat(43))).status, 404);
  assert.equal((await staff.get('/beheer/import/kort')).status, 404);
  const old = await preview(staff, `${HEADER}\nOud;;Oost;oud.oost@import.example;;;;\n`);
  await sql(srv.dbUrl, `UPDATE imports SET created_at = created_at - 3700 WHERE done_at IS NULL`);
  const gone = await staff.get(old.where);
  assert.equal(gone.status, 410);
  assert.match(text(gone.text), /Dit voorbeeld is ouder dan een uur/);
  assert.equal((await importNow(staff, old)).status, 410);
  assert.equal(await count("SELECT count(*) FROM persons WHERE email = 'oud.oost@import.example'"), 0);
});

test('an upload is for the staff member who sent it alone', async () => {
  const pv = await preview(staff, `${HEADER}\nIda;;Iep;ida.iep@import.example;;;;\n`);
  await sql(srv.dbUrl, "UPDATE persons SET is_staff = 1 WHERE email = 'martin.sommer@example.nl'");
  const other = await staffClient(srv, 'martin.sommer@example.nl');
  assert.equal((await other.get(pv.where)).status, 404);
  const page = await other.get('/beheer/import');
  assert.equal((await other.post(pv.where, { csrf: csrfOf(page.text), plan: pv.page.text.match(/name="plan" value="([0-9a-f]{64})"/)[1] })).status, 404);
  assert.equal(await count("SELECT count(*) FROM persons WHERE email = 'ida.iep@import.example'"), 0);
});

test('with activation mails chosen, new logins get the activation mail and its link works', async () => {
  const file = [
    HEADER,
    'Hanna;;Hoek;hanna.hoek@import.example;Tuinbouw Zuid;;medewerker;',
    'Hanna;;Hoek;hanna.hoek@import.example;Gemeente Heerhugowaard;;;',
    'Pieter;van;Dijk;pieter.vandijk@example.nl;Tuinbouw Zuid;;;',
    'Jan;de;Vries;jan.devries@example.nl;Tuinbouw Zuid;;;',
  ].join('\n');
  const pv = await preview(staff, file, { mails: true });
  assert.match(text(pv.page.text), /Activatiemails: 2/);
  const ok = rowsOf(pv.page.text, 'geimporteerd');
  assert.deepEqual(ok.map((r) => /\+ activatiemail/.test(r.Persoon)), [true, false, true, false], 'once per person without a login');
  assert.equal(await count("SELECT count(*) FROM outbox WHERE to_address = 'hanna.hoek@import.example'"), 0);
  assert.equal((await importNow(staff, pv)).status, 303);
  const hanna = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'hanna.hoek@import.example'");
  assert.deepEqual(await sql(srv.dbUrl, `SELECT to_address, link_kind, subject FROM outbox WHERE link_person_id IN (${hanna}, (SELECT id FROM persons WHERE email = 'pieter.vandijk@example.nl')) ORDER BY to_address`), [
    ['hanna.hoek@import.example', 'activatie', 'Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep'],
    ['pieter.vandijk@example.nl', 'activatie', 'Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep'],
  ]);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT subject FROM audit_log WHERE action = 'import_regel' AND person_id = ${hanna} ORDER BY id`), [['Hanna Hoek - Tuinbouw Zuid'], ['Hanna Hoek - Gemeente Heerhugowaard']]);
  assert.match(await changesOf(`person_id = ${hanna} AND subject = 'Hanna Hoek - Tuinbouw Zuid'`), /activatiemail >  > verstuurd/);
  assert.doesNotMatch(await changesOf(`person_id = ${hanna} AND subject = 'Hanna Hoek - Gemeente Heerhugowaard'`), /activatiemail/);
  const [mail] = await srv.waitForMail('hanna.hoek@import.example');
  const link = linkIn(mail);
  assert.ok(link, 'the mail holds the activation link');
  const anon = makeClient(srv.url);
  const set = await anon.get(link);
  assert.equal(set.status, 200);
  const done = await anon.post(link, { csrf: csrfOf(set.text), wachtwoord: 'Tulpen!Veld2026', wachtwoord_bevestiging: 'Tulpen!Veld2026' });
  assert.equal(done.status, 303);
  await loginAs(srv, 'hanna.hoek@import.example', 'Tulpen!Veld2026');
  assert.equal((await srv.mailsTo('jan.devries@example.nl')).length, 0, 'Jan has a login: no mail');
});

test('a semicolon file with BOM and Dutch characters, and a Windows-1252 file from Excel, keep every name as written', async () => {
  const utf8 = '\uFEFF' + 'Voornaam;Tussenvoegsel;Achternaam;E-mailadres;Organisatie\r\n' +
    'René;van ’t;Hoëvenaar;rene.hoevenaar@import.example;Coöperatie De Eendracht\r\n' +
    'IJsbrand;;Bĳlsma-Öztürk;ijsbrand@import.example;"Coöperatie De Eendracht"\r\n';
  const pv = await preview(staff, Buffer.from(utf8, 'utf8'), { name: 'leden.csv' });
  assert.match(text(pv.page.text), /leden\.csv: 2 regels \(UTF-8 met BOM, scheidingsteken puntkomma \(;\)\)/);
  assert.equal((await importNow(staff, pv)).status, 303);
  assert.deepEqual(await sql(srv.dbUrl, "SELECT first_name, infix, last_name FROM persons WHERE email IN ('rene.hoevenaar@import.example', 'ijsbrand@import.example') ORDER BY email"), [
    ['IJsbrand', '', 'Bĳlsma-Öztürk'],
    ['René', 'van ’t', 'Hoëvenaar'],
  ]);
  assert.equal(await count("SELECT count(*) FROM organisations WHERE name = 'Coöperatie De Eendracht'"), 1);
  // Excel's plain "CSV": Windows-1252 bytes, converted
  const cp1252 = Buffer.from('voornaam,tussenvoegsel,achternaam,e-mailadres\r\nZo\xEB,van \x92t,M\xFCller-D\xE9j\xE0,zoe.muller@import.example\r\n', 'latin1');
  const pw = await preview(staff, cp1252);
  assert.match(text(pw.page.text), /1 regel \(Windows-1252, scheidingsteken komma \(,\)\)/);
  assert.equal((await importNow(staff, pw)).status, 303);
  assert.deepEqual(await sql(srv.dbUrl, "SELECT first_name, infix, last_name FROM persons WHERE email = 'zoe.muller@import.example'"), [['Zoë', 'van ’t', 'Müller-Déjà']]);
});

test('an oversized, empty or non-CSV upload gets a Dutch error and stores nothing', async () => {
  const stored = await count('SELECT count(*) FROM imports');
  const cases = [
    [Buffer.alloc(3 * 1024 * 1024 + 200 * 1024, 'a'), /Het bestand is 3,2 MB; een import mag hoogstens 2 MB zijn\. Splits het in kleinere bestanden\./],
    [Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0', 'latin1'), /Dit is geen CSV-bestand: het bevat tekens die niet in tekst horen\./],
    [Buffer.from('PK\x03\x04\x14\0\x06\0', 'latin1'), /Dit is geen CSV-bestand maar een Excel-werkmap/],
    [Buffer.from('naam;email\nJan;jan@x.nl\n'), /De kopregel \(de eerste regel van het bestand\) mist de kolommen voornaam, achternaam\./],
    [Buffer.from(HEADER + '\r\n'), /Het bestand heeft alleen een kopregel; er staan geen regels met gegevens onder\./],
    [Buffer.from(`${HEADER}\n"Jan;de;Vries\n`), /Regel 2: een aanhalingsteken \(\"\) wordt niet gesloten\./],
    [Buffer.from(`${HEADER}\n${'x;y;z;x@y.nl\n'.repeat(2001)}`), /Het bestand heeft meer dan 2000 regels met gegevens\. Splits het in kleinere bestanden\./],
    [Buffer.from(`${HEADER}\nJan;;${'V'.repeat(1001)};jan@x.nl\n`), /Regel 2: een veld is langer dan 1000 tekens\./],
  ];
  for (const [bytes, msg] of cases) {
    const r = await upload(staff, bytes);
    assert.equal(r.status, 422, String(msg));
    assert.match(r.text, /<title>Fout: Import - /);
    assert.match(r.text, /<a href="#f-bestand">CSV-bestand: /);
    assert.match(text(r.text), msg);
    assert.match(r.text, /aria-invalid="true"/);
  }
  // no file chosen
  const page = await staff.get('/beheer/import');
  const none = await staff.post('/beheer/import', { csrf: csrfOf(page.text) });
  assert.equal(none.status, 422);
  assert.match(text(none.text), /Kies het CSV-bestand dat u wilt importeren\./);
  // past what the server takes in at all: its own Dutch page
  const huge = await upload(staff, Buffer.alloc(6 * 1024 * 1024, 'a'));
  assert.equal(huge.status, 413);
  assert.match(text(huge.text), /Te veel gegevens/);
  assert.equal(await count('SELECT count(*) FROM imports'), stored);
});
