// Mijn gegevens (J6): the private data as person, the employee data as medewerker, Aanpassen with
// its checks, the address history, the login email change through the real email, and
// Wachtwoord wijzigen — against the real server and database (SQLite or PostgreSQL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeClient } from './lib/harness.mjs';
import { sql, sqlValue } from './lib/db.mjs';

const PW = 'Cursus!2026';
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)?.[1];
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'")
  .replace(/&quot;/g, '"').replace(/\s+/g, ' ');
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const nowSec = () => Math.floor(Date.now() / 1000);

async function login(email, pw = PW) {
  const c = makeClient(srv.url);
  const form = await c.get('/inloggen');
  const r = await c.post('/inloggen', { csrf: csrfOf(form.text), gebruikersnaam: email, wachtwoord: pw });
  return { c, r };
}

async function loggedIn(email, pw = PW) {
  const { c, r } = await login(email, pw);
  assert.equal(r.status, 303, `login ${email}`);
  return c;
}

/** Acting for an organisation: the chooser page is another feature, so set it on the session. */
async function actFor(c, orgName) {
  const token = c.cookie('kp_sessie');
  assert.ok(token);
  const crypto = await import('node:crypto');
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  await sql(srv.dbUrl, `UPDATE sessions SET organisation_id = (SELECT id FROM organisations WHERE name = ${q(orgName)}) WHERE token_hash = ${q(hash)}`);
}

let fresh = 0;
/** A new person with the demo password (a copy of Martin's hash), so tests do not share state. */
async function newPerson(first = 'Petra', last = 'Kuiper') {
  fresh += 1;
  const email = `${first.toLowerCase()}.${last.toLowerCase()}${fresh}@example.nl`;
  await sql(srv.dbUrl, `INSERT INTO persons (first_name, infix, last_name, email, street, house_number, postcode, city, phone, birth_date, password_hash, activated_at, created_at, updated_at)
    SELECT ${q(first)}, '', ${q(last)}, ${q(email)}, 'Kerkstraat', '1', '1781 AA', 'Den Helder', '0223-123456', '1990-01-01', password_hash, ${nowSec()}, ${nowSec()}, ${nowSec()}
    FROM persons WHERE email = 'martin.sommer@example.nl'`);
  const id = await sqlValue(srv.dbUrl, `SELECT id FROM persons WHERE email = ${q(email)}`);
  return { email, id, first, last };
}

const personRow = async (id) => {
  const [row] = await sql(srv.dbUrl, `SELECT first_name, infix, last_name, street, house_number, postcode, city, phone, birth_date, email, is_staff FROM persons WHERE id = ${id}`);
  return row;
};

/** The field as rendered: its input tag and the error paragraph that belongs to it. */
function field(html, name) {
  const input = html.match(new RegExp(`<input id="f-${name}" name="${name}"[^>]*>`))?.[0];
  assert.ok(input, `input ${name}`);
  const err = html.match(new RegExp(`<p class="field-error" id="f-${name}-fout"><span class="sr-only">Fout: </span>([^<]*)</p>`))?.[1];
  const value = input.match(/value="([^"]*)"/)?.[1];
  return { input, err, value };
}

async function editForm(c) {
  const page = await c.get('/mijn/gegevens/aanpassen');
  assert.equal(page.status, 200);
  const values = {};
  for (const m of page.text.matchAll(/<input id="f-([a-z_]+)" name="\1" type="[a-z]+" value="([^"]*)"/g)) values[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&#39;/g, "'");
  return { page, csrf: csrfOf(page.text), values, context: page.text.match(/name="context" value="([^"]+)"/)?.[1] };
}

const waitForMail = (to, count, timeoutMs) => srv.waitForMail(to, count, timeoutMs);

const confirmLink = (mail) => {
  const m = mail.text.match(/http:\/\/127\.0\.0\.1:\d+(\/mijn\/gegevens\/email\/bevestigen\?token=[A-Za-z0-9_-]+)/);
  assert.ok(m, 'the email has a link');
  return m[1];
};

// ------------------------------------------------------------------------------------- view

test('Mijn gegevens as person: the private data, date as DD-MM-YYYY, the three actions', async () => {
  const c = await loggedIn('martin.sommer@example.nl');
  const r = await c.get('/mijn/gegevens');
  assert.equal(r.status, 200);
  assert.match(r.text, /<title>Mijn gegevens — Persoonlijke gegevens - /);
  assert.match(r.text, /<li><a href="\/">Home<\/a><\/li>\s*<li><a href="\/mijn">Mijn Onderwijsgroep<\/a><\/li>\s*<li><span aria-current="page">Mijn gegevens<\/span><\/li>/);
  const t = text(r.text);
  for (const s of ['Voornaam Martin', 'Achternaam Sommer', 'Adres Bernhardstraat 8 1781 JK Den Helder',
    'Telefoon 0223-612345', 'Geboortedatum 17-05-1980', 'martin.sommer@example.nl']) {
    assert.ok(t.includes(s), s);
  }
  assert.match(r.text, /<a class="button" href="\/mijn\/gegevens\/aanpassen">Aanpassen<\/a>/);
  assert.match(r.text, /<a href="\/mijn\/wachtwoord">Wachtwoord wijzigen<\/a>/);
  assert.match(r.text, /<a href="\/mijn\/gegevens\/email">E-mailadres wijzigen<\/a>/);
  assert.doesNotMatch(t, /Functie|Afdeling/);
});

test('Mijn gegevens for an organisation: the employee data of that membership and the organisation', async () => {
  const c = await loggedIn('jan.devries@example.nl');
  await actFor(c, 'Gemeente Heerhugowaard');
  const [[title, dept, phone, mail]] = await sql(srv.dbUrl, `SELECT job_title, department, work_phone, work_email FROM memberships
    WHERE person_id = (SELECT id FROM persons WHERE email = 'jan.devries@example.nl')`);
  const r = await c.get('/mijn/gegevens');
  assert.equal(r.status, 200);
  const t = text(r.text);
  assert.ok(t.includes('Gemeente Heerhugowaard'));
  for (const [label, v] of [['Functie', title], ['Afdeling', dept], ['Telefoon werk', phone], ['E-mail werk', mail], ['Voornaam', 'Jan'], ['Tussenvoegsel', 'de'], ['Achternaam', 'Vries']]) {
    assert.ok(t.includes(`${label} ${v || 'niet ingevuld'}`), `${label} ${v}`);
  }
  // the private address is not what this context shows
  assert.doesNotMatch(t, /Zuidtangent|1701 AB|Geboortedatum/);
  const form = await editForm(c);
  assert.deepEqual(Object.keys(form.values).sort(), ['achternaam', 'afdeling', 'email_werk', 'functie', 'telefoon_werk', 'tussenvoegsel', 'voornaam']);
  assert.equal(form.values.functie, title);
});

test('Mijn gegevens shows its values as one grid, the address as a Dutch address block, Aanpassen right under it', async () => {
  const c = await loggedIn('martin.sommer@example.nl');
  const html = (await c.get('/mijn/gegevens')).text;
  // one description list for all values, then the button that changes them
  const grids = [...html.matchAll(/<dl class="data-grid">([\s\S]*?)<\/dl>\s*([\s\S]{0,120})/g)];
  assert.equal(grids.length, 2, 'the data and the login data');
  const [data, login] = grids;
  assert.match(data[2], /^<p class="under-data">\s*<a class="button" href="\/mijn\/gegevens\/aanpassen">Aanpassen/);
  assert.match(login[2], /^<ul class="under-data">\s*<li><a href="\/mijn\/gegevens\/email">E-mailadres wijzigen/);
  const labels = [...data[1].matchAll(/<dt[^>]*>([^<]*)<\/dt>/g)].map((m) => m[1]);
  assert.deepEqual(labels, ['Voornaam', 'Tussenvoegsel', 'Achternaam', 'Adres', 'Telefoon', 'Geboortedatum']);
  // street and number over postcode and place, two no-break spaces between those
  assert.match(data[1], /<dt class="group-start">Adres<\/dt>\s*<dd class="group-start">Bernhardstraat 8<br>1781 JK\u00a0\u00a0Den Helder<\/dd>/);
  assert.match(login[1], /<dt>Gebruikersnaam \(e-mailadres\)<\/dt>\s*<dd>martin.sommer@example.nl<\/dd>/);
  assert.equal((html.match(/<dl/g) || []).length, 2, 'no other lists of values');

  // no address: said once, not as an empty block
  const p = await newPerson('Ilse', 'Zonderadres');
  await sql(srv.dbUrl, `UPDATE persons SET street = '', house_number = '', postcode = '', city = '' WHERE id = ${p.id}`);
  const bare = (await (await loggedIn(p.email)).get('/mijn/gegevens')).text;
  assert.match(bare, /<dt class="group-start">Adres<\/dt>\s*<dd class="group-start"><span class="muted">niet ingevuld<\/span><\/dd>/);

  // acting for an organisation: the organisation, then the name and employee data, in one grid
  const jan = await loggedIn('jan.devries@example.nl');
  await actFor(jan, 'Gemeente Heerhugowaard');
  const org = (await jan.get('/mijn/gegevens')).text;
  const [orgData] = [...org.matchAll(/<dl class="data-grid">([\s\S]*?)<\/dl>\s*<p class="under-data">\s*<a class="button" href="\/mijn\/gegevens\/aanpassen">/g)];
  assert.ok(orgData, 'Aanpassen under the grid');
  assert.deepEqual([...orgData[1].matchAll(/<dt[^>]*>([^<]*)<\/dt>/g)].map((m) => m[1]),
    ['Naam organisatie', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'Functie', 'Afdeling', 'Telefoon werk', 'E-mail werk']);
  assert.match(orgData[1], /<dt>Naam organisatie<\/dt>\s*<dd>Gemeente Heerhugowaard<\/dd>/);
});

test('acting for an organisation, Aanpassen says the name is changed for that organisation only, and it is', async () => {
  const p = await newPerson('Ruud', 'Twee');
  for (const org of ['Gemeente Heerhugowaard', 'Herenbos Schagen']) {
    await sql(srv.dbUrl, `INSERT INTO memberships (person_id, organisation_id, role, job_title, department, work_phone, work_email, started_at, contact_first_name, contact_infix, contact_last_name, contact_email)
      SELECT ${p.id}, id, 'medewerker', '', '', '', '', ${nowSec()}, 'Ruud', '', 'Twee', ${q(p.email)} FROM organisations WHERE name = ${q(org)}`);
  }
  const c = await loggedIn(p.email);
  await actFor(c, 'Gemeente Heerhugowaard');
  const f = await editForm(c);
  const t = text(f.page.text);
  assert.match(t, /U past uw gegevens aan als medewerker van Gemeente Heerhugowaard ?\. Wat u hier invult, ook uw naam, geldt alleen voor Gemeente Heerhugowaard\. Uw privégegevens en uw gegevens bij andere organisaties blijven zoals ze zijn\./);
  assert.doesNotMatch(t, /geldt ook voor uw andere organisaties/);
  const r = await c.post('/mijn/gegevens/aanpassen', { ...f.values, csrf: f.csrf, context: f.context, achternaam: 'Drie' });
  assert.equal(r.status, 303);
  const names = await sql(srv.dbUrl, `SELECT o.name, m.contact_last_name FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.person_id = ${p.id} ORDER BY o.name`);
  assert.deepEqual(names, [['Gemeente Heerhugowaard', 'Drie'], ['Herenbos Schagen', 'Twee']]);
  assert.equal((await personRow(p.id))[2], 'Twee', 'the own name stays');
});

// -------------------------------------------------------------------------------------- edit

test('Aanpassen shows the stored values, a second Aanpassen stores them', async () => {
  const p = await newPerson();
  const c = await loggedIn(p.email);
  const f = await editForm(c);
  assert.match(f.page.text, /<button type="submit" class="button">Aanpassen<\/button>/);
  assert.match(f.page.text, /<a href="\/mijn\/gegevens">Terug<\/a>/);
  assert.match(f.page.text, /<li><a href="\/mijn\/gegevens">Mijn gegevens<\/a><\/li>/);
  assert.deepEqual(f.values, {
    voornaam: 'Petra', tussenvoegsel: '', achternaam: 'Kuiper', straat: 'Kerkstraat', huisnummer: '1', postcode: '1781 AA',
    woonplaats: 'Den Helder', telefoon: '0223-123456', geboortedatum: '01-01-1990',
  });
  const r = await c.post('/mijn/gegevens/aanpassen', { ...f.values, csrf: f.csrf, context: f.context, tussenvoegsel: 'van', telefoon: '06 12345678', geboortedatum: '2-3-1991' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mijn/gegevens');
  const row = await personRow(p.id);
  assert.deepEqual(row.slice(0, 9), ['Petra', 'van', 'Kuiper', 'Kerkstraat', '1', '1781 AA', 'Den Helder', '06 12345678', '1991-03-02']);
  const view = await c.get(r.headers.get('location'));
  // the notice comes once, on the page after the redirect
  assert.match(text(view.text), /Uw gegevens zijn opgeslagen\./);
  assert.doesNotMatch(text((await c.get('/mijn/gegevens')).text), /Uw gegevens zijn opgeslagen/);
  assert.match(text(view.text), /Geboortedatum 02-03-1991/);
  assert.match(view.text, /<span class="who-name">Petra van Kuiper<\/span>/, 'the name top right follows');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = 'gegevens_gewijzigd' AND actor_id = ${p.id}`), '1');
  // the audit trail has each field as it was and became
  const chr = srv.dbUrl.startsWith('sqlite') ? 'char' : 'chr';
  assert.equal(await sqlValue(srv.dbUrl, `SELECT replace(replace(changes, ${chr}(9), '|'), ${chr}(10), ';') FROM audit_log WHERE action = 'gegevens_gewijzigd' AND person_id = ${p.id}`),
    'tussenvoegsel||van;telefoon|0223-123456|06 12345678;geboortedatum|1990-01-01|1991-03-02;');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM person_history WHERE person_id = ${p.id}`), '0', 'no address change');
});

test('each validation error stands next to its field, with the typed values kept and nothing stored', async () => {
  const p = await newPerson();
  const c = await loggedIn(p.email);
  const f = await editForm(c);
  const before = await personRow(p.id);
  const cases = [
    [{ voornaam: '' }, 'voornaam', 'Vul uw voornaam in.'],
    [{ achternaam: '   ' }, 'achternaam', 'Vul uw achternaam in.'],
    [{ voornaam: 'Petra3' }, 'voornaam', 'Gebruik alleen letters, spaties, apostroffen, punten en streepjes.'],
    [{ postcode: '1782 G' }, 'postcode', 'Vul een geldige postcode in, bijvoorbeeld 1234 AB.'],
    [{ postcode: '0782 GA' }, 'postcode', 'Vul een geldige postcode in, bijvoorbeeld 1234 AB.'],
    [{ telefoon: '12345' }, 'telefoon', 'Vul een geldig telefoonnummer in (10 tot 15 cijfers), bijvoorbeeld 0223-611310 of +31 6 12345678.'],
    [{ huisnummer: '0' }, 'huisnummer', 'Vul een geldig huisnummer in, bijvoorbeeld 12, 12a of 12-2.'],
    [{ huisnummer: '12//a' }, 'huisnummer', 'Vul een geldig huisnummer in, bijvoorbeeld 12, 12a of 12-2.'],
    [{ geboortedatum: '31-02-1980' }, 'geboortedatum', 'Deze datum bestaat niet.'],
    [{ geboortedatum: 'gisteren' }, 'geboortedatum', 'Vul een geldige datum in (dd-mm-jjjj).'],
    [{ geboortedatum: '01-01-2999' }, 'geboortedatum', 'De geboortedatum kan niet in de toekomst liggen.'],
    [{ geboortedatum: '31-12-1899' }, 'geboortedatum', 'Vul een geboortedatum vanaf 01-01-1900 in.'],
    [{ woonplaats: 'x'.repeat(81) }, 'woonplaats', 'Maximaal 80 tekens.'],
    [{ straat: 'Kerk\u0007straat' }, 'straat', 'Gebruik geen regeleinden of stuurtekens.'],
    [{ woonplaats: '' }, 'woonplaats', 'Vul ook de woonplaats in.'],
  ];
  for (const [change, name, msg] of cases) {
    const sent = { ...f.values, ...change, csrf: f.csrf, context: f.context };
    const r = await c.post('/mijn/gegevens/aanpassen', sent);
    assert.equal(r.status, 200, name);
    const got = field(r.text, name);
    assert.equal(got.err, msg.replace(/'/g, '&#39;'), `${name}: ${JSON.stringify(change)}`);
    assert.match(got.input, /aria-invalid="true"/);
    assert.match(got.input, new RegExp(`aria-describedby="(f-${name}-hint )?f-${name}-fout"`));
    assert.match(r.text, /<div class="field invalid">/);
    assert.match(r.text, new RegExp(`<a href="#f-${name}">[^<]*: ${msg.replace(/[.()+]/g, '\\$&').replace(/'/g, '&#39;')}</a>`), 'listed at the top with a link to the field');
    // every field keeps what was typed
    for (const [k, v] of Object.entries(sent)) {
      if (k === 'csrf' || k === 'context' || /[\u0000-\u001f]/.test(v)) continue;
      assert.equal(field(r.text, k).value, v.replace(/&/g, '&amp;').replace(/"/g, '&quot;'), `${k} kept after ${name}`);
    }
    // the other fields carry no error
    const errs = [...r.text.matchAll(/class="field-error" id="f-([a-z_]+)-fout"/g)].map((m) => m[1]);
    assert.deepEqual(errs, [name]);
  }
  // several at once
  const r = await c.post('/mijn/gegevens/aanpassen', { ...f.values, csrf: f.csrf, context: f.context, voornaam: '', postcode: 'abc', telefoon: '1' });
  assert.deepEqual([...r.text.matchAll(/class="field-error" id="f-([a-z_]+)-fout"/g)].map((m) => m[1]), ['voornaam', 'postcode', 'telefoon']);
  assert.match(r.text, /<h2 id="fouten-titel">Er is een probleem<\/h2>/);
  assert.match(r.text, /<title>Fout: Mijn gegevens aanpassen - /);
  assert.deepEqual(await personRow(p.id), before, 'nothing stored');
});

test('the form follows the one error pattern: widths, a summary with links, "Fout:" in the title; half an address is refused', async () => {
  const p = await newPerson();
  const c = await loggedIn(p.email);
  const f = await editForm(c);
  // inputs as wide as what they expect, in fieldsets per group
  assert.match(field(f.page.text, 'postcode').input, /class="w-s"/);
  assert.match(field(f.page.text, 'huisnummer').input, /class="w-s"/);
  assert.match(field(f.page.text, 'geboortedatum').input, /class="w-m"/);
  assert.doesNotMatch(field(f.page.text, 'straat').input, /class=/);
  assert.deepEqual([...f.page.text.matchAll(/<legend>([^<]+)<\/legend>/g)].map((m) => m[1]), ['Naam', 'Adres', 'Contact']);
  assert.doesNotMatch(f.page.text, /<title>Fout:/);
  const before = await personRow(p.id);
  // only a postcode: the rest of the address is asked for, each part under its label and in the summary
  const r = await c.post('/mijn/gegevens/aanpassen', { ...f.values, csrf: f.csrf, context: f.context, straat: '', huisnummer: '', woonplaats: '' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<title>Fout: Mijn gegevens aanpassen - /);
  assert.match(r.text, /<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="fouten-titel">/);
  const summary = [...r.text.matchAll(/<li><a href="#f-([a-z_]+)">([^<]*)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(summary, [['straat', 'Straat: Vul ook de straat in.'], ['huisnummer', 'Huisnummer: Vul ook het huisnummer in.'], ['woonplaats', 'Woonplaats: Vul ook de woonplaats in.']]);
  assert.equal(field(r.text, 'huisnummer').err, 'Vul ook het huisnummer in.');
  assert.equal(field(r.text, 'postcode').err, undefined);
  assert.equal(field(r.text, 'postcode').value, '1781 AA');
  assert.deepEqual(await personRow(p.id), before, 'nothing stored');
});

test('a form that does not say for which context it was made is refused: 409, nothing stored', async () => {
  const p = await newPerson();
  const c = await loggedIn(p.email);
  const f = await editForm(c);
  assert.equal(f.context, 'persoon');
  const before = await personRow(p.id);
  for (const context of [undefined, '', 'Persoon!']) {
    const form = { ...f.values, csrf: f.csrf, voornaam: 'Zonder' };
    if (context !== undefined) form.context = context;
    const r = await c.post('/mijn/gegevens/aanpassen', form);
    assert.equal(r.status, 409, `context ${JSON.stringify(context)}`);
    assert.match(text(r.text), /Dit formulier is niet compleet verstuurd\. Er is niets opgeslagen\./);
    assert.equal(field(r.text, 'voornaam').value, 'Petra', 'the form shows what is stored');
  }
  assert.deepEqual(await personRow(p.id), before);
  // acting for an organisation, the membership is not changed either
  const d = await loggedIn('deby.rummens@example.nl');
  await actFor(d, 'Gemeente Heerhugowaard');
  const g = await editForm(d);
  const job = () => sqlValue(srv.dbUrl, `SELECT job_title FROM memberships WHERE organisation_id = (SELECT id FROM organisations WHERE name = 'Gemeente Heerhugowaard')
    AND person_id = (SELECT id FROM persons WHERE email = 'deby.rummens@example.nl')`);
  const jobBefore = await job();
  const r = await d.post('/mijn/gegevens/aanpassen', { ...g.values, csrf: g.csrf, functie: 'Zonder context' });
  assert.equal(r.status, 409);
  assert.equal(await job(), jobBefore);
});

test('the postcode is stored normalised and an address change goes to the history, with the date', async () => {
  const p = await newPerson();
  const c = await loggedIn(p.email);
  const f = await editForm(c);
  const t0 = nowSec();
  const r = await c.post('/mijn/gegevens/aanpassen', { ...f.values, csrf: f.csrf, context: f.context, straat: 'Keizersgracht', huisnummer: ' 12a ', postcode: '1782ga' });
  assert.equal(r.status, 303);
  const row = await personRow(p.id);
  assert.deepEqual(row.slice(3, 7), ['Keizersgracht', '12a', '1782 GA', 'Den Helder']);
  const hist = await sql(srv.dbUrl, `SELECT field, old_value, new_value, changed_by, changed_at FROM person_history WHERE person_id = ${p.id} ORDER BY field`);
  assert.deepEqual(hist.map((h) => h.slice(0, 4)), [
    ['house_number', '1', '12a', p.id],
    ['postcode', '1781 AA', '1782 GA', p.id],
    ['street', 'Kerkstraat', 'Keizersgracht', p.id],
  ]);
  for (const h of hist) assert.ok(Number(h[4]) >= t0 - 1 && Number(h[4]) <= nowSec() + 1, 'changed_at is now');
  const view = await c.get('/mijn/gegevens');
  assert.match(text(view.text), /Adres Keizersgracht 12a 1782 GA Den Helder/);
  // the same data again changes nothing and writes no history
  const again = await editForm(c);
  assert.equal(again.values.postcode, '1782 GA');
  await c.post('/mijn/gegevens/aanpassen', { ...again.values, csrf: again.csrf, context: again.context });
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM person_history WHERE person_id = ${p.id}`), '3');
  // clearing the whole address is allowed, and recorded
  await c.post('/mijn/gegevens/aanpassen', { ...again.values, csrf: again.csrf, context: again.context, straat: '', huisnummer: '', postcode: '', woonplaats: '' });
  assert.deepEqual((await personRow(p.id)).slice(3, 7), ['', '', '', '']);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM person_history WHERE person_id = ${p.id} AND new_value = ''`), '4');
});

test('forged extra fields change nothing', async () => {
  const p = await newPerson();
  const c = await loggedIn(p.email);
  const f = await editForm(c);
  const martin = await personRow(await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'martin.sommer@example.nl'"));
  const r = await c.post('/mijn/gegevens/aanpassen', {
    ...f.values, csrf: f.csrf, context: f.context, voornaam: 'Pien',
    organisatie_id: await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Gemeente Heerhugowaard'"),
    rol: 'beheerder', id: '1', person_id: '1', persoon_id: '1', email: 'martin.sommer@example.nl', is_staff: '1',
    password_hash: 'x', functie: 'Directeur', email_werk: 'baas@example.nl',
  });
  assert.equal(r.status, 303);
  const row = await personRow(p.id);
  assert.equal(row[0], 'Pien');
  assert.equal(row[9], p.email);
  assert.equal(row[10], '0');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM memberships WHERE person_id = ${p.id}`), '0');
  assert.deepEqual(await personRow(await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'martin.sommer@example.nl'")), martin);
  assert.equal(await sqlValue(srv.dbUrl, "SELECT count(*) FROM memberships WHERE job_title = 'Directeur'"), '0');
});

test('employee data: acting for one organisation changes that membership only, never the private address', async () => {
  const c = await loggedIn('deby.rummens@example.nl');
  await actFor(c, 'Gemeente Heerhugowaard');
  const memberships = () => sql(srv.dbUrl, `SELECT o.name, m.job_title, m.department, m.work_phone, m.work_email, m.role FROM memberships m
    JOIN organisations o ON o.id = m.organisation_id WHERE m.person_id = (SELECT id FROM persons WHERE email = 'deby.rummens@example.nl') ORDER BY o.name`);
  const before = await memberships();
  const deby = await sqlValue(srv.dbUrl, "SELECT id FROM persons WHERE email = 'deby.rummens@example.nl'");
  const privateBefore = await personRow(deby);
  const f = await editForm(c);
  assert.match(text(f.page.text), /als medewerker van Gemeente Heerhugowaard/);
  const r = await c.post('/mijn/gegevens/aanpassen', {
    ...f.values, csrf: f.csrf, context: f.context, functie: 'Teamleider opleidingen', afdeling: 'HRM', telefoon_werk: '072 575 6800', email_werk: 'D.Rummens@Heerhugowaard.example.nl',
    straat: 'Nepstraat', postcode: '9999 ZZ', rol: 'beheerder', organisatie_id: await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Herenbos Schagen'"),
  });
  assert.equal(r.status, 303);
  const after = await memberships();
  for (let i = 0; i < before.length; i++) {
    if (before[i][0] === 'Gemeente Heerhugowaard') {
      assert.deepEqual(after[i], ['Gemeente Heerhugowaard', 'Teamleider opleidingen', 'HRM', '072 575 6800', 'd.rummens@heerhugowaard.example.nl', before[i][5]]);
    } else {
      assert.deepEqual(after[i], before[i], `${before[i][0]} untouched`);
    }
  }
  assert.deepEqual(await personRow(deby), privateBefore, 'private data untouched');
  const view = text((await c.get('/mijn/gegevens')).text);
  assert.ok(view.includes('Functie Teamleider opleidingen'));
  // invalid employee data: next to the field
  const bad = await c.post('/mijn/gegevens/aanpassen', { ...f.values, csrf: f.csrf, context: f.context, email_werk: 'geen-adres', telefoon_werk: '12' });
  assert.equal(field(bad.text, 'email_werk').err, 'Vul een geldig e-mailadres in.');
  assert.equal(field(bad.text, 'email_werk').value, 'geen-adres');
  assert.match(field(bad.text, 'telefoon_werk').err, /geldig telefoonnummer/);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM person_history WHERE person_id = ${deby}`), '0');
});

test('a form made for one context is not stored in another', async () => {
  const c = await loggedIn('deby.rummens@example.nl');
  await actFor(c, 'Herenbos Schagen');
  const f = await editForm(c);
  const herenbos = await sqlValue(srv.dbUrl, "SELECT id FROM organisations WHERE name = 'Herenbos Schagen'");
  assert.equal(f.context, herenbos);
  await actFor(c, 'ROC Kop van Noord-Holland'); // chosen meanwhile in another tab
  const roc = () => sql(srv.dbUrl, `SELECT job_title, department FROM memberships WHERE organisation_id = (SELECT id FROM organisations WHERE name = 'ROC Kop van Noord-Holland')
    AND person_id = (SELECT id FROM persons WHERE email = 'deby.rummens@example.nl')`);
  const before = await roc();
  const r = await c.post('/mijn/gegevens/aanpassen', { ...f.values, csrf: f.csrf, context: f.context, functie: 'Verkeerde organisatie' });
  assert.equal(r.status, 200);
  assert.match(text(r.text), /U heeft intussen een andere organisatie gekozen/);
  assert.deepEqual(await roc(), before);
});

// -------------------------------------------------------------------------------- email change

test('email change: checks, the link to the new address, once; then only the new address logs in', async () => {
  const p = await newPerson('Sanne', 'Bakker');
  const c = await loggedIn(p.email);
  const page = await c.get('/mijn/gegevens/email');
  assert.equal(page.status, 200);
  assert.match(text(page.text), new RegExp(`Nu is dat ${p.email.replace('.', '\\.')}`));
  const csrf = csrfOf(page.text);
  const post = (form) => c.post('/mijn/gegevens/email', { csrf, ...form });

  let r = await post({ email: 'nieuw.adres@example.nl', wachtwoord: 'Fout!wachtwoord1' });
  assert.equal(field(r.text, 'wachtwoord').err, 'Het wachtwoord is niet juist.');
  assert.equal(field(r.text, 'email').value, 'nieuw.adres@example.nl', 'typed value kept');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM auth_attempts WHERE account = ${q(p.email)}`), '1', 'counted as a failed login');
  r = await post({ email: p.email.toUpperCase(), wachtwoord: PW });
  assert.equal(field(r.text, 'email').err, 'Dit is al uw e-mailadres. Vul een ander e-mailadres in.');
  r = await post({ email: 'Jan.DeVries@example.nl', wachtwoord: PW });
  assert.match(field(r.text, 'email').err, /^Dit e-mailadres is al in gebruik bij een ander account\./);
  r = await post({ email: 'geen adres', wachtwoord: PW });
  assert.equal(field(r.text, 'email').err, 'Vul een geldig e-mailadres in.');
  assert.match(field(r.text, 'email').input, /aria-describedby="f-email-hint f-email-fout"/);
  r = await post({ email: 'nieuw.adres@example.nl' });
  assert.equal(field(r.text, 'wachtwoord').err, 'Vul uw huidige wachtwoord in.');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM account_tokens WHERE person_id = ${p.id}`), '0');

  const newAddr = `sanne.nieuw${fresh}@example.nl`;
  r = await post({ email: ` ${newAddr.toUpperCase()} `, wachtwoord: PW });
  assert.equal(r.status, 200);
  assert.match(text(r.text), new RegExp(`We hebben een bevestigingslink gestuurd naar ${newAddr.replace(/\./g, '\\.')}`));
  const [mail] = await waitForMail(newAddr);
  assert.match(mail.subject, /Bevestig uw nieuwe e-mailadres/);
  assert.match(mail.html, /E-mailadres bevestigen/);
  assert.equal((await srv.mails()).filter((m) => m.to.value[0].address === p.email && /Bevestig/.test(m.subject)).length, 0);
  const link = confirmLink(mail);
  const token = link.split('token=')[1];
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM account_tokens WHERE token_hash = ${q(token)}`), '0', 'stored hashed');
  const [[kind, stored, ttl]] = await sql(srv.dbUrl, `SELECT kind, data, expires_at - created_at FROM account_tokens WHERE person_id = ${p.id} AND used_at IS NULL`);
  assert.deepEqual([kind, stored, ttl], ['email', newAddr, '86400']);
  assert.equal((await login(p.email)).r.status, 303, 'the old address works until the link is opened');

  // a link checker's HEAD does not use the link up
  const other = makeClient(srv.url);
  assert.equal((await other.get(link, { method: 'HEAD' })).status, 200);
  // opened in another browser, without a login
  const done = await other.get(link);
  assert.equal(done.status, 200);
  assert.equal(done.headers.get('referrer-policy'), 'no-referrer');
  assert.match(text(done.text), new RegExp(`Uw e-mailadres is gewijzigd; log voortaan in met ${newAddr.replace(/\./g, '\\.')}`));
  assert.equal((await personRow(p.id))[9], newAddr);
  const [hist] = await sql(srv.dbUrl, `SELECT field, old_value, new_value, changed_by FROM person_history WHERE person_id = ${p.id}`);
  assert.deepEqual(hist, ['email', p.email, newAddr, p.id]);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = 'email_gewijzigd' AND actor_id = ${p.id}`), '1');

  const again = await other.get(link);
  assert.equal(again.status, 410, 'the link works once');
  assert.match(text(again.text), /Deze link werkt niet meer/);
  assert.equal((await login(p.email)).r.status, 200, 'the old address no longer logs in');
  assert.equal((await login(newAddr)).r.status, 303, 'the new one does');
  // confirmed in another browser: the sessions elsewhere end, so this one is logged out
  const view = await c.get('/mijn/gegevens');
  assert.equal(view.status, 303, 'the other session ended');
  assert.match(view.headers.get('location'), /^\/inloggen/);
  // the old address hears of it, without a link, the new address masked
  const [notice] = await waitForMail(p.email);
  assert.match(notice.subject, /Uw e-mailadres is gewijzigd/);
  assert.match(notice.text, new RegExp(`gewijzigd in ${newAddr[0]}\\*\\*\\*@example\\.nl`));
  assert.ok(!notice.text.includes(newAddr), 'the new address is masked');
  assert.doesNotMatch(notice.text + notice.html, /token=/);
  // the server never logs the token
  assert.doesNotMatch(srv.stderr(), new RegExp(token));
});

test('email change: the one error pattern, and the password is never sent back', async () => {
  const p = await newPerson('Iris', 'Bos');
  const c = await loggedIn(p.email);
  const page = await c.get('/mijn/gegevens/email');
  assert.doesNotMatch(page.text, /<title>Fout:/);
  assert.match(field(page.text, 'wachtwoord').input, /type="password"[^>]*autocomplete="current-password"/);
  const r = await c.post('/mijn/gegevens/email', { csrf: csrfOf(page.text), email: 'geen adres', wachtwoord: 'Geheim!wachtwoord1' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<title>Fout: E-mailadres wijzigen - /);
  assert.match(r.text, /<a href="#f-email">Nieuw e-mailadres: Vul een geldig e-mailadres in\.<\/a>/);
  assert.equal(field(r.text, 'wachtwoord').value, '', 'the password is not in the page');
  assert.doesNotMatch(r.text, /Geheim!wachtwoord1/);
  const empty = await c.post('/mijn/gegevens/email', { csrf: csrfOf(page.text) });
  const summary = [...empty.text.matchAll(/<li><a href="#f-([a-z_]+)">/g)].map((m) => m[1]);
  assert.deepEqual(summary, ['email', 'wachtwoord']);
});

test('email change confirmed while logged in keeps this session and ends the others and remember-me', async () => {
  const p = await newPerson('Ruud', 'Bakker');
  const c = await loggedIn(p.email);
  const other = await loggedIn(p.email);
  await sql(srv.dbUrl, `INSERT INTO remember_tokens (selector, validator_hash, person_id, created_at, expires_at) VALUES ('selr${p.id}', 'x', ${p.id}, ${nowSec()}, ${nowSec() + 3600})`);
  const csrf = csrfOf((await c.get('/mijn/gegevens/email')).text);
  const newAddr = `ruud.nieuw${fresh}@example.nl`;
  await c.post('/mijn/gegevens/email', { csrf, email: newAddr, wachtwoord: PW });
  const link = confirmLink((await waitForMail(newAddr))[0]);
  const done = await c.get(link);
  assert.equal(done.status, 200);
  assert.ok(text((await c.get('/mijn/gegevens')).text).includes(newAddr), 'this session goes on with the new address');
  assert.equal((await other.get('/mijn/gegevens')).status, 303, 'the other session ended');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM sessions WHERE person_id = ${p.id}`), '1');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM remember_tokens WHERE person_id = ${p.id}`), '0');
  const [notice] = await waitForMail(p.email);
  assert.match(notice.subject, /Uw e-mailadres is gewijzigd/);
});

test('email change: a newer link voids the older; expired and unknown links get 410', async () => {
  const p = await newPerson('Lotte', 'Visser');
  const c = await loggedIn(p.email);
  const csrf = csrfOf((await c.get('/mijn/gegevens/email')).text);
  const a = `lotte.a${fresh}@example.nl`;
  const b = `lotte.b${fresh}@example.nl`;
  await c.post('/mijn/gegevens/email', { csrf, email: a, wachtwoord: PW });
  await c.post('/mijn/gegevens/email', { csrf, email: b, wachtwoord: PW });
  const older = confirmLink((await waitForMail(a))[0]);
  const newer = confirmLink((await waitForMail(b))[0]);
  const anon = makeClient(srv.url);
  assert.equal((await anon.get(older)).status, 410);
  await sql(srv.dbUrl, `UPDATE account_tokens SET expires_at = created_at - 1 WHERE person_id = ${p.id} AND used_at IS NULL`);
  assert.equal((await anon.get(newer)).status, 410);
  assert.equal((await personRow(p.id))[9], p.email);
  for (const bad of ['?token=' + 'A'.repeat(43), '?token=bad%20token', '']) {
    const r = await anon.get('/mijn/gegevens/email/bevestigen' + bad);
    assert.equal(r.status, 410, bad);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  }
});

test('email change: an address taken after the link was sent gets a friendly page, not a crash', async () => {
  const p = await newPerson('Joost', 'Smit');
  const q2 = await newPerson('Eva', 'Mulder');
  const c = await loggedIn(p.email);
  const csrf = csrfOf((await c.get('/mijn/gegevens/email')).text);
  const target = `gedeeld${fresh}@example.nl`;
  await c.post('/mijn/gegevens/email', { csrf, email: target, wachtwoord: PW });
  const link = confirmLink((await waitForMail(target))[0]);
  await sql(srv.dbUrl, `UPDATE persons SET email = ${q(target)} WHERE id = ${q2.id}`);
  const r = await makeClient(srv.url).get(link);
  assert.equal(r.status, 409);
  assert.match(text(r.text), /is inmiddels in gebruik bij een ander account/);
  assert.equal((await personRow(p.id))[9], p.email);
  assert.equal((await personRow(q2.id))[9], target);
});

// ---------------------------------------------------------------------------- password change

test('Wachtwoord wijzigen: wrong current password, policy messages, mismatch; success ends the other sessions only', async () => {
  const p = await newPerson('Martin', 'Sommer');
  const c = await loggedIn(p.email);
  const other = await loggedIn(p.email);
  await sql(srv.dbUrl, `INSERT INTO remember_tokens (selector, validator_hash, person_id, created_at, expires_at) VALUES ('sel${p.id}', 'x', ${p.id}, ${nowSec()}, ${nowSec() + 3600})`);
  const page = await c.get('/mijn/wachtwoord');
  assert.equal(page.status, 200);
  assert.match(page.text, /<li><a href="\/mijn\/gegevens">Mijn gegevens<\/a><\/li>\s*<li><span aria-current="page">Wachtwoord wijzigen<\/span>/);
  const csrf = csrfOf(page.text);
  const post = (form) => c.post('/mijn/wachtwoord', { csrf, ...form });
  const NEW = 'Kievit!Zwaluw27';

  // the form: the rules with the new password; every field required, so none is marked
  assert.match(page.text, /<label for="f-wachtwoord">Nieuw wachtwoord<\/label>\s*<div class="rules" id="wachtwoord-eisen">/);
  assert.doesNotMatch(page.text, /verplicht|error-summary/);
  const fieldError = (html, name) => html.match(new RegExp(`<p class="field-error" id="f-${name}-fout"><span class="sr-only">Fout: </span>([^<]*)</p>`))?.[1];

  let r = await post({ huidig_wachtwoord: 'Fout!wachtwoord1', wachtwoord: NEW, wachtwoord_bevestiging: NEW });
  assert.equal(r.status, 200);
  assert.equal(fieldError(r.text, 'huidig_wachtwoord'), 'Het wachtwoord is niet juist.');
  assert.match(r.text, /id="f-huidig_wachtwoord"[^>]*aria-describedby="f-huidig_wachtwoord-fout" aria-invalid="true"/);
  // the error pattern: "Fout:" in the title, a summary that links to the field
  assert.match(r.text, /<title>Fout: Wachtwoord wijzigen - /);
  assert.match(r.text, /<a href="#f-huidig_wachtwoord">Huidig wachtwoord: Het wachtwoord is niet juist\.<\/a>/);
  // no password is ever sent back
  assert.doesNotMatch(r.text, /Fout!wachtwoord1|Kievit!Zwaluw27/);
  assert.equal([...r.text.matchAll(/type="password" value=""/g)].length, 3);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM auth_attempts WHERE kind = 'login' AND account = ${q(p.email)}`), '1');

  r = await post({ huidig_wachtwoord: PW, wachtwoord: '$omm1234Q', wachtwoord_bevestiging: '$omm1234Q' });
  assert.equal(fieldError(r.text, 'wachtwoord'), 'Gebruik geen (deel van) uw naam of e-mailadres.');
  assert.match(r.text, /id="f-wachtwoord"[^>]*aria-describedby="wachtwoord-eisen f-wachtwoord-fout" aria-invalid="true"/);
  r = await post({ huidig_wachtwoord: PW, wachtwoord: 'kort', wachtwoord_bevestiging: 'kort' });
  const errors = fieldError(r.text, 'wachtwoord');
  assert.match(errors, /Gebruik minimaal 8 tekens\./);
  assert.match(errors, /drie van de vier groepen/);
  r = await post({ huidig_wachtwoord: PW, wachtwoord: NEW, wachtwoord_bevestiging: NEW + 'x' });
  assert.equal(fieldError(r.text, 'wachtwoord_bevestiging'), 'De wachtwoorden zijn niet gelijk.');
  r = await post({ huidig_wachtwoord: PW, wachtwoord: PW, wachtwoord_bevestiging: PW });
  assert.match(text(r.text), /Kies een ander wachtwoord dan uw huidige\./);
  r = await post({});
  assert.equal(fieldError(r.text, 'huidig_wachtwoord'), 'Vul uw huidige wachtwoord in.');
  assert.equal(fieldError(r.text, 'wachtwoord'), 'Vul een nieuw wachtwoord in.');
  assert.equal(fieldError(r.text, 'wachtwoord_bevestiging'), 'Vul het nieuwe wachtwoord nogmaals in.');
  assert.equal((await other.get('/mijn')).status, 200, 'nothing changed yet');

  r = await post({ huidig_wachtwoord: PW, wachtwoord: NEW, wachtwoord_bevestiging: NEW });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/mijn/gegevens');
  const view = await c.get(r.headers.get('location'));
  assert.equal(view.status, 200, 'this session goes on');
  assert.match(text(view.text), /Uw wachtwoord is gewijzigd/);
  assert.match(text(view.text), /Uw wachtwoord is gewijzigd\./);
  assert.equal((await other.get('/mijn')).status, 303, 'the other session has ended');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM remember_tokens WHERE person_id = ${p.id}`), '0');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM sessions WHERE person_id = ${p.id}`), '1');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM audit_log WHERE action = 'wachtwoord_gewijzigd' AND actor_id = ${p.id}`), '1');
  assert.equal((await login(p.email, PW)).r.status, 200, 'old password gone');
  assert.equal((await login(p.email, NEW)).r.status, 303, 'new password works');
  const audit = (await sql(srv.dbUrl, `SELECT action, subject, detail FROM audit_log WHERE actor_id = ${p.id}`)).flat().join(' ');
  assert.doesNotMatch(audit, /Kievit|Cursus!2026|Fout!/);
});

test('Wachtwoord wijzigen cannot be used to guess: this browser gets ten tries, then waits N seconds', async () => {
  const p = await newPerson('Bram', 'Jansen');
  const c = await loggedIn(p.email);
  const csrf = csrfOf((await c.get('/mijn/wachtwoord')).text);
  const NEW = 'Kievit!Zwaluw27';
  for (let i = 0; i < 10; i++) {
    const r = await c.post('/mijn/wachtwoord', { csrf, huidig_wachtwoord: `Fout!${i}wachtwoord`, wachtwoord: NEW, wachtwoord_bevestiging: NEW });
    assert.equal(r.status, 200);
  }
  const r = await c.post('/mijn/wachtwoord', { csrf, huidig_wachtwoord: PW, wachtwoord: NEW, wachtwoord_bevestiging: NEW });
  assert.equal(r.status, 429);
  assert.match(text(r.text), /Te veel mislukte pogingen met een verkeerd wachtwoord\. Probeer het over \d+ seconden opnieuw\./);
  const e = await c.post('/mijn/gegevens/email', { csrf, email: `bram${fresh}@example.nl`, wachtwoord: PW });
  assert.equal(e.status, 429, 'the email change shares the brake');
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM account_tokens WHERE person_id = ${p.id}`), '0');
  // the guesses were made in this browser: another one is not locked out by them
  assert.equal((await login(p.email, PW)).r.status, 303, 'the password was never changed');
});

// ----------------------------------------------------------------------------------- access

test('anonymous visitors go to Inloggen and come back; POSTs need the csrf token', async () => {
  const anon = makeClient(srv.url);
  for (const p of ['/mijn/gegevens', '/mijn/gegevens/aanpassen', '/mijn/gegevens/email', '/mijn/wachtwoord']) {
    const r = await anon.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(r.headers.get('location'), `/inloggen?terug=${encodeURIComponent(p)}`);
  }
  const p = await newPerson();
  const c = await loggedIn(p.email);
  const before = await personRow(p.id);
  for (const [path, form] of [
    ['/mijn/gegevens/aanpassen', { voornaam: 'Hacker', achternaam: 'X' }],
    ['/mijn/gegevens/email', { email: 'evil@example.nl', wachtwoord: PW }],
    ['/mijn/wachtwoord', { huidig_wachtwoord: PW, wachtwoord: 'Kievit!Zwaluw27', wachtwoord_bevestiging: 'Kievit!Zwaluw27' }],
  ]) {
    assert.equal((await c.post(path, form)).status, 403, path);
    assert.equal((await c.post(path, { ...form, csrf: 'x'.repeat(43) })).status, 403, path);
    assert.equal((await anon.post(path, form)).status, 403, `${path} anonymous`);
  }
  assert.deepEqual(await personRow(p.id), before);
  assert.equal(await sqlValue(srv.dbUrl, `SELECT count(*) FROM account_tokens WHERE person_id = ${p.id}`), '0');
  assert.equal((await login(p.email, PW)).r.status, 303);
});

test('every page of the feature is HTML escaped', async () => {
  const p = await newPerson();
  await sql(srv.dbUrl, `UPDATE persons SET street = '<script>x</script>' WHERE id = ${p.id}`);
  const c = await loggedIn(p.email);
  for (const path of ['/mijn/gegevens', '/mijn/gegevens/aanpassen']) {
    const r = await c.get(path);
    assert.doesNotMatch(r.text, /<script>x/);
    assert.match(r.text, /&lt;script&gt;x/);
  }
  const f = await editForm(c);
  const r = await c.post('/mijn/gegevens/aanpassen', { ...f.values, straat: '"><b>', postcode: '"><i>', csrf: f.csrf, context: f.context });
  assert.doesNotMatch(r.text, /"><[bi]>/);
});

test('the email change tells whether an address is taken only after the right password', async () => {
  await sql(srv.dbUrl, 'DELETE FROM auth_attempts');
  const c = await loggedIn('jan.devries@example.nl');
  const page = await c.get('/mijn/gegevens/email');
  const csrf = csrfOf(page.text);
  const wrong = await c.post('/mijn/gegevens/email', { csrf, email: 'martin.sommer@example.nl', wachtwoord: 'Fout!wachtwoord1' });
  assert.doesNotMatch(text(wrong.text), /al in gebruik/);
  const right = await c.post('/mijn/gegevens/email', { csrf, email: 'martin.sommer@example.nl', wachtwoord: 'Cursus!2026' });
  assert.match(text(right.text), /al in gebruik/);
});
