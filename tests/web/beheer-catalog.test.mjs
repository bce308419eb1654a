// The back office's catalog: categories (the tree's paths kept right for a whole subtree, old
// addresses redirecting), courses (euros typed the Dutch way, VAT, the preview of the
// description), events (the course's price by default, meeting days, the capacity never below the
// seats taken and, when raised, given to the waiting list), deleting refused with the reason,
// cancelling an event (every registration cancelled, the seats freed, everyone mailed) and the
// audit line of every change with its fields.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/harness.mjs';
import { sql, sqlValue, isoDay, nlDay } from './lib/db.mjs';
import { csrfOf, text, staffClient } from './lib/portal.mjs';

let srv;
let staff;
before(async () => {
  srv = await startServer();
  staff = await staffClient(srv);
});
after(async () => { await srv?.stop(); });

const one = (q) => sqlValue(srv.dbUrl, q);
/** A form page's token, then the POST. */
async function submit(page, action, form) {
  const p = await staff.get(page);
  assert.equal(p.status, 200, `GET ${page}`);
  return staff.post(action ?? page, { csrf: csrfOf(p.text), ...form });
}
/** The value attribute of the input called name. */
const valueOf = (html, name) => html.match(new RegExp(`name="${name}" [^>]*value="([^"]*)"`))?.[1];
/** The message under the field called name. */
const errorOf = (html, name) => html.match(new RegExp(`id="f-${name}-fout"[^>]*><span class="sr-only">Fout: </span>([^<]*)<`))?.[1];
/** The newest audit line of an action: subject, detail, what it concerns, and its changes as
 * { field: [old, new] } (split in SQL, so the tabs and line breaks inside survive the tools). */
async function lastAudit(action) {
  const id = await one(`SELECT max(id) FROM audit_log WHERE action = '${action}'`);
  assert.ok(id, `an audit line ${action}`);
  const [[subject, detail, eventId, orgId, actor]] = await sql(srv.dbUrl, `SELECT subject, detail, COALESCE(event_id, 0), COALESCE(organisation_id, 0), actor_id FROM audit_log WHERE id = ${id}`);
  const chr = srv.backend === 'sqlite' ? 'char' : 'chr';
  const flat = await one(`SELECT replace(replace(changes, ${chr}(9), '»'), ${chr}(10), '¶') FROM audit_log WHERE id = ${id}`);
  const changes = {};
  for (const line of (flat ?? '').split('¶').filter(Boolean)) {
    const [field, old, now] = line.split('»');
    changes[field] = [old, now];
  }
  return { subject, detail, eventId: Number(eventId), orgId: Number(orgId), changes, actor };
}
const staffId = () => one("SELECT id FROM persons WHERE email = 'administratie@example.nl'");

test('a category is made, renamed with its slug kept, given a new slug and moved: the subtree follows and old addresses redirect', async () => {
  const top = await one("SELECT id FROM categories WHERE slug_path = 'cursussen-trainingen'");
  // a new category under Cursussen & Trainingen, its slug made from the name
  let r = await submit(`/beheer/categorieen/nieuw?bovenliggend=${top}`, '/beheer/categorieen/nieuw', { naam: 'Bouw & Infra', bovenliggend: top, volgorde: '4', omschrijving: 'Veilig werken op de bouwplaats.' });
  assert.equal(r.status, 303);
  const bouw = r.headers.get('location').split('/').pop();
  assert.deepEqual((await sql(srv.dbUrl, `SELECT slug, slug_path, id_path, sort_order FROM categories WHERE id = ${bouw}`))[0],
    ['bouw-infra', 'cursussen-trainingen/bouw-infra', `/${top}/${bouw}/`, '4']);
  let a = await lastAudit('categorie_aangemaakt');
  assert.deepEqual(a.changes.naam, ['', 'Bouw & Infra']);
  assert.deepEqual(a.changes['bovenliggende categorie'], ['', 'Cursussen & Trainingen']);
  assert.equal(a.actor, await staffId());

  // a subcategory with a course in it, so the subtree has something to carry
  r = await submit('/beheer/categorieen/nieuw', null, { naam: 'VCA', bovenliggend: bouw });
  const vca = r.headers.get('location').split('/').pop();
  r = await submit('/beheer/cursussen/nieuw', null, { naam: 'VCA Basis', categorie: vca, prijs: '195', btw: '0', actief: '1' });
  assert.equal(r.status, 303);
  assert.equal((await srv.get('/aanbod/cursussen-trainingen/bouw-infra/vca/vca-basis')).status, 200);

  // a new name keeps the slug (and the address)
  r = await submit(`/beheer/categorieen/${bouw}`, null, { naam: 'Bouw en infrastructuur', slug: 'bouw-infra', bovenliggend: top, volgorde: '4' });
  assert.equal(r.status, 303);
  assert.equal(await one(`SELECT slug_path FROM categories WHERE id = ${bouw}`), 'cursussen-trainingen/bouw-infra');
  a = await lastAudit('categorie_gewijzigd');
  assert.deepEqual(a.changes.naam, ['Bouw & Infra', 'Bouw en infrastructuur']);
  assert.equal(a.changes.slug, undefined, 'the slug did not change');

  // a new slug: the subtree's paths follow, the old addresses (below it too) answer 301
  r = await submit(`/beheer/categorieen/${bouw}`, null, { naam: 'Bouw en infrastructuur', slug: 'bouw', bovenliggend: top, volgorde: '4' });
  assert.equal(r.status, 303);
  assert.deepEqual((await sql(srv.dbUrl, `SELECT slug_path, id_path FROM categories WHERE id IN (${bouw}, ${vca}) ORDER BY id`)),
    [['cursussen-trainingen/bouw', `/${top}/${bouw}/`], ['cursussen-trainingen/bouw/vca', `/${top}/${bouw}/${vca}/`]]);
  assert.deepEqual((await lastAudit('categorie_gewijzigd')).changes.slug, ['bouw-infra', 'bouw']);
  for (const [old, now] of [['bouw-infra', 'bouw'], ['bouw-infra/vca', 'bouw/vca'], ['bouw-infra/vca/vca-basis', 'bouw/vca/vca-basis']]) {
    const moved = await srv.get(`/aanbod/cursussen-trainingen/${old}`);
    assert.equal(moved.status, 301, old);
    assert.equal(moved.headers.get('location'), `/aanbod/cursussen-trainingen/${now}`);
  }
  assert.equal((await srv.get('/aanbod/cursussen-trainingen/bouw/vca/vca-basis')).status, 200);
  assert.equal((await srv.get('/aanbod/cursussen-trainingen/bouw-infra/bestaat-niet/x')).status, 301, 'below the old path');
  assert.equal((await srv.get('/aanbod/cursussen-trainingen/nooit-geweest')).status, 404);

  // moved to the top: ids and slugs of the whole subtree follow; the previous old address
  // leads to where it is now, not to where it was in between
  r = await submit(`/beheer/categorieen/${bouw}`, null, { naam: 'Bouw en infrastructuur', slug: 'bouw', bovenliggend: '', volgorde: '4' });
  assert.equal(r.status, 303);
  assert.deepEqual((await sql(srv.dbUrl, `SELECT slug_path, id_path FROM categories WHERE id IN (${bouw}, ${vca}) ORDER BY id`)),
    [['bouw', `/${bouw}/`], ['bouw/vca', `/${bouw}/${vca}/`]]);
  assert.equal((await srv.get('/aanbod/cursussen-trainingen/bouw-infra/vca')).headers.get('location'), '/aanbod/bouw/vca');
  assert.equal((await srv.get('/aanbod/cursussen-trainingen/bouw/vca/vca-basis')).headers.get('location'), '/aanbod/bouw/vca/vca-basis');
  assert.deepEqual((await lastAudit('categorie_gewijzigd')).changes['bovenliggende categorie'], ['Cursussen & Trainingen', '']);

  // under its own subcategory: refused next to the field, the typed values kept, nothing moved
  r = await submit(`/beheer/categorieen/${bouw}`, null, { naam: 'Bouw (verplaatst)', slug: 'bouw', bovenliggend: vca, volgorde: '4' });
  assert.equal(r.status, 409);
  assert.match(errorOf(r.text, 'bovenliggend'), /niet onder zichzelf/);
  assert.equal(valueOf(r.text, 'naam'), 'Bouw (verplaatst)');
  assert.equal(await one(`SELECT count(*) FROM categories WHERE id = ${bouw} AND parent_id IS NULL`), '1', 'not moved');

  // a slug already in use at that place, or not a slug at all
  r = await submit(`/beheer/categorieen/${vca}`, null, { naam: 'VCA', slug: 'maritiem', bovenliggend: top });
  assert.equal(r.status, 409);
  assert.match(errorOf(r.text, 'slug'), /al in gebruik/);
  r = await submit(`/beheer/categorieen/${vca}`, null, { naam: 'VCA', slug: 'Met Spaties', bovenliggend: bouw });
  assert.equal(r.status, 422);
  assert.match(errorOf(r.text, 'slug'), /kleine letters/);
  assert.equal(valueOf(r.text, 'slug'), 'Met Spaties');
  assert.match(r.text, /<title>Fout: /);
});

test('deleting a category is refused while courses or subcategories are in it, with the reason', async () => {
  const maritiem = await one("SELECT id FROM categories WHERE slug = 'maritiem'");
  const ask = await submit(`/beheer/categorieen/${maritiem}`, `/beheer/categorieen/${maritiem}/verwijderen`, {});
  assert.equal(ask.status, 409);
  assert.match(text(ask.text), /kan niet worden verwijderd: er staan nog 2 cursussen in/);
  const forced = await submit(`/beheer/categorieen/${maritiem}`, `/beheer/categorieen/${maritiem}/verwijderen`, { bevestigd: '1' });
  assert.equal(forced.status, 409);
  assert.equal(await one(`SELECT count(*) FROM categories WHERE id = ${maritiem}`), '1');

  const r = await submit('/beheer/categorieen/nieuw', null, { naam: 'Tijdelijk' });
  const id = r.headers.get('location').split('/').pop();
  const q = await submit(`/beheer/categorieen/${id}`, `/beheer/categorieen/${id}/verwijderen`, {});
  assert.equal(q.status, 200);
  assert.match(text(q.text), /Weet u zeker dat u de categorie Tijdelijk wilt verwijderen\?/);
  const done = await staff.post(`/beheer/categorieen/${id}/verwijderen`, { csrf: csrfOf(q.text), bevestigd: '1' });
  assert.equal(done.status, 303);
  assert.equal(await one(`SELECT count(*) FROM categories WHERE id = ${id}`), '0');
  const a = await lastAudit('categorie_verwijderd');
  assert.deepEqual(a.changes.naam, ['Tijdelijk', '']);
});

test('a course: euros typed the Dutch way, VAT, duration, maatwerk; typed values kept on an error; a preview; its slug changes with a redirect', async () => {
  const maritiem = await one("SELECT id FROM categories WHERE slug = 'maritiem'");
  const herenbos = await one("SELECT id FROM organisations WHERE name = 'Herenbos Schagen'");
  // wrong: an amount with three decimals, a maatwerk organisation that is not a choice
  let r = await submit('/beheer/cursussen/nieuw', null, {
    naam: 'Proficiency in Survival Craft', samenvatting: 'Overleven in reddingsmiddelen.', beschrijving: 'Tweedaagse **STCW**-training.',
    categorie: maritiem, prijs: '1.250,005', btw: '0', duur: '2 dagen', geboortedatum: '1', actief: '1',
  });
  assert.equal(r.status, 422);
  assert.match(errorOf(r.text, 'prijs'), /bedrag in euro/);
  assert.equal(valueOf(r.text, 'naam'), 'Proficiency in Survival Craft');
  assert.equal(valueOf(r.text, 'prijs'), '1.250,005');
  assert.equal(valueOf(r.text, 'duur'), '2 dagen');
  assert.match(r.text, /<textarea[^>]*name="beschrijving"[^>]*>Tweedaagse \*\*STCW\*\*-training.<\/textarea>/);
  assert.match(r.text, new RegExp(`<option value="${maritiem}" selected>`));
  assert.match(r.text, /<option value="0" selected>0% \(vrijgesteld\)/);
  assert.match(r.text, /name="geboortedatum" value="1" checked/);
  assert.match(r.text, /class="error-summary"/);

  // the preview shows the description as the website will, and stores nothing
  const before = await one('SELECT count(*) FROM courses');
  r = await submit('/beheer/cursussen/nieuw', null, { naam: 'Proficiency in Survival Craft', beschrijving: 'Tweedaagse **STCW**-training.\n\n- dag 1\n- dag 2\n\n<script>alert(1)</script>', voorbeeld: '1' });
  assert.equal(r.status, 200);
  assert.match(r.text, /id="voorbeeld"[\s\S]*<strong>STCW<\/strong>-training[\s\S]*<li>dag 1<\/li>/);
  assert.doesNotMatch(r.text, /<script>alert/);
  assert.equal(await one('SELECT count(*) FROM courses'), before);

  r = await submit('/beheer/cursussen/nieuw', null, {
    naam: 'Proficiency in Survival Craft', samenvatting: 'Overleven in reddingsmiddelen.', beschrijving: 'Tweedaagse **STCW**-training.',
    categorie: maritiem, prijs: '€ 1.250,50', btw: '0', duur: '2 dagen', geboortedatum: '1', actief: '1',
  });
  assert.equal(r.status, 303);
  const id = r.headers.get('location').split('/').pop();
  assert.deepEqual((await sql(srv.dbUrl, `SELECT slug, price_cents, vat_rate, duration, requires_birth_date, active, maatwerk_org_id IS NULL FROM courses WHERE id = ${id}`))[0].slice(0, 6),
    ['proficiency-in-survival-craft', '125050', '0', '2 dagen', '1', '1']);
  let a = await lastAudit('cursus_aangemaakt');
  assert.deepEqual(a.changes.prijs, ['', '€ 1.250,50']);
  assert.deepEqual(a.changes.btw, ['', '0%']);
  const page = await staff.get(`/beheer/cursussen/${id}`);
  assert.equal(valueOf(page.text, 'prijs'), '1250,50');
  assert.match(page.text, /href="\/aanbod\/cursussen-trainingen\/maritiem\/proficiency-in-survival-craft"/);

  // a new slug and price; the old address redirects, the audit line has both fields
  r = await submit(`/beheer/cursussen/${id}`, null, {
    naam: 'Proficiency in Survival Craft', slug: 'psc', samenvatting: 'Overleven in reddingsmiddelen.', beschrijving: 'Tweedaagse **STCW**-training.',
    categorie: maritiem, prijs: '1395', btw: '21', duur: '2 dagen', actief: '1',
  });
  assert.equal(r.status, 303);
  a = await lastAudit('cursus_gewijzigd');
  assert.deepEqual(a.changes.slug, ['proficiency-in-survival-craft', 'psc']);
  assert.deepEqual(a.changes.prijs, ['€ 1.250,50', '€ 1.395,00']);
  assert.deepEqual(a.changes.btw, ['0%', '21%']);
  assert.deepEqual(a.changes['geboortedatum verplicht'], ['ja', 'nee']);
  const moved = await srv.get('/aanbod/cursussen-trainingen/maritiem/proficiency-in-survival-craft');
  assert.equal(moved.status, 301);
  assert.equal(moved.headers.get('location'), '/aanbod/cursussen-trainingen/maritiem/psc');
  assert.match((await srv.get('/aanbod/cursussen-trainingen/maritiem/psc')).text, /<strong>STCW<\/strong>/);

  // maatwerk for Herenbos: off the public pages, the audit line names the organisation
  r = await submit(`/beheer/cursussen/${id}`, null, { naam: 'Proficiency in Survival Craft', slug: 'psc', categorie: maritiem, organisatie: herenbos, prijs: '1395', btw: '21', actief: '1' });
  assert.equal(r.status, 303);
  a = await lastAudit('cursus_gewijzigd');
  assert.deepEqual(a.changes['maatwerk voor'], ['openbaar', 'Herenbos Schagen']);
  assert.equal(a.orgId, Number(herenbos));
  assert.equal((await srv.get('/aanbod/cursussen-trainingen/maritiem/psc')).status, 404);

  // a public course needs a category
  r = await submit(`/beheer/cursussen/${id}`, null, { naam: 'Proficiency in Survival Craft', slug: 'psc', prijs: '1395', btw: '21' });
  assert.equal(r.status, 422);
  assert.match(errorOf(r.text, 'categorie'), /openbare cursus/);
});

test('the course list searches and filters, and staff see maatwerk of every organisation', async () => {
  let r = await staff.get('/beheer/cursussen');
  assert.equal(r.status, 200);
  assert.match(text(r.text), /Maatwerk cursussen Gemeente Heerhugowaard/);
  assert.match(text(r.text), /Maatwerk cursussen Herenbos/);
  r = await staff.get('/beheer/cursussen?q=medical');
  assert.match(text(r.text), /1 cursus gevonden/);
  assert.match(text(r.text), /Medical Care \(STCW\)/);
  r = await staff.get('/beheer/cursussen?organisatie=openbaar');
  assert.doesNotMatch(text(r.text), /Maatwerk cursussen Gemeente/);
  const ghhw = await one("SELECT id FROM organisations WHERE name = 'Gemeente Heerhugowaard'");
  r = await staff.get(`/beheer/cursussen?organisatie=${ghhw}`);
  assert.match(text(r.text), /1 cursus gevonden/);
  r = await staff.get('/beheer/cursussen?aantal=10&organisatie=niets');
  assert.equal(r.status, 200, 'a value that is not a choice is left out');
});

test('deleting a course with events is refused with the reason', async () => {
  const id = await one("SELECT id FROM courses WHERE name = 'Basic Safety (STCW)'");
  const r = await submit(`/beheer/cursussen/${id}`, `/beheer/cursussen/${id}/verwijderen`, { bevestigd: '1' });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /kan niet worden verwijderd: er is 1 evenement van/);
  assert.equal(await one(`SELECT count(*) FROM courses WHERE id = ${id}`), '1');
});

test('a new event takes the course\'s name and price, Dutch dates and its meeting days; its page shows them', async () => {
  const course = await one("SELECT id FROM courses WHERE name = 'Basic Safety (STCW)'");
  await sql(srv.dbUrl, `UPDATE courses SET price_cents = 145000 WHERE id = ${course}`);
  const page = await staff.get(`/beheer/evenementen/nieuw?cursus=${course}`);
  assert.equal(page.status, 200);
  assert.equal(valueOf(page.text, 'naam'), 'Basic Safety (STCW)');
  assert.equal(valueOf(page.text, 'prijs'), '1450,00');
  assert.match(page.text, new RegExp(`<option value="${course}" selected>`));

  // mistakes: the end before the start, a meeting day outside, the deadline after the start
  let r = await staff.post('/beheer/evenementen/nieuw', {
    csrf: csrfOf(page.text), cursus: course, naam: 'Basic Safety (maart)', begindatum: nlDay(70), einddatum: nlDay(68),
    begintijd: '9:00', eindtijd: '8:00', lesdagen: `${nlDay(90)}`, capaciteit: 'twaalf', inschrijven_tot: nlDay(75), locatie: 'Den Helder',
  });
  assert.equal(r.status, 422);
  assert.match(errorOf(r.text, 'einddatum'), /voor de begindatum/);
  assert.match(errorOf(r.text, 'eindtijd'), /na de begintijd/);
  assert.match(errorOf(r.text, 'capaciteit'), /heel getal/);
  assert.match(errorOf(r.text, 'inschrijven_tot'), /tot en met de begindatum/);
  assert.equal(valueOf(r.text, 'locatie'), 'Den Helder');
  assert.equal(valueOf(r.text, 'capaciteit'), 'twaalf');

  r = await staff.post('/beheer/evenementen/nieuw', {
    csrf: csrfOf(page.text), cursus: course, naam: '', begindatum: nlDay(70), einddatum: nlDay(72), begintijd: '9:00', eindtijd: '16.30',
    lesdagen: `${nlDay(70)}\n${nlDay(72)} 09:00-12:00`, capaciteit: '14', prijs: '', inschrijven_tot: nlDay(63), locatie: 'Den Helder - Kievitstraat 31',
  });
  assert.equal(r.status, 303);
  const id = r.headers.get('location').split('/').pop();
  assert.deepEqual((await sql(srv.dbUrl, `SELECT name, starts_on, ends_on, start_time, end_time, capacity, price_cents, registration_deadline, seats_taken FROM events WHERE id = ${id}`))[0],
    ['Basic Safety (STCW)', isoDay(70), isoDay(72), '09:00', '16:30', '14', '145000', isoDay(63), '0']);
  assert.deepEqual(await sql(srv.dbUrl, `SELECT day, start_time, end_time FROM event_dates WHERE event_id = ${id} ORDER BY day`),
    [[isoDay(70), '', ''], [isoDay(72), '09:00', '12:00']]);
  const a = await lastAudit('evenement_aangemaakt');
  assert.equal(a.eventId, Number(id));
  assert.deepEqual(a.changes.cursus, ['', 'Basic Safety (STCW)']);
  assert.deepEqual(a.changes.prijs, ['', '€ 1.450,00']);
  const shown = await staff.get(`/beheer/evenementen/${id}`);
  assert.equal(valueOf(shown.text, 'begindatum'), nlDay(70));
  assert.match(shown.text, new RegExp(`>${nlDay(70)}\\n${nlDay(72)} 09:00-12:00</textarea>`));
  assert.match(shown.text, new RegExp(`href="/beheer/evenementen/${id}/deelnemers"`));
  // the public page offers it, the list finds it by course, date and place
  assert.match(text((await srv.get(`/evenementen/${id}/inschrijven`)).text), /Basic Safety/);
  const list = await staff.get(`/beheer/evenementen?cursus=${course}&van=${nlDay(69)}&tot=${nlDay(71)}&locatie=kievit`);
  assert.match(text(list.text), /1 evenement gevonden/);
  assert.match(list.text, new RegExp(`href="/beheer/evenementen/${id}"`));
});

/** A registration on the waiting list of a full event: the event with its seats, the person. */
async function fullEventWithWaiting() {
  const id = await one("SELECT e.id FROM events e WHERE e.seats_taken >= e.capacity AND EXISTS (SELECT 1 FROM registrations w WHERE w.event_id = e.id AND w.status = 'wachtlijst') ORDER BY e.id LIMIT 1");
  assert.ok(id, 'the demo has a full event with a waiting list');
  return id;
}

test('the capacity never drops below the seats taken; raising it gives the new places to the waiting list, mailed', async () => {
  const id = await fullEventWithWaiting();
  const [cap, taken] = (await sql(srv.dbUrl, `SELECT capacity, seats_taken FROM events WHERE id = ${id}`))[0].map(Number);
  const page = await staff.get(`/beheer/evenementen/${id}`);
  const form = { csrf: csrfOf(page.text), naam: valueOf(page.text, 'naam'), begindatum: valueOf(page.text, 'begindatum'), einddatum: valueOf(page.text, 'einddatum'), begintijd: valueOf(page.text, 'begintijd'), eindtijd: valueOf(page.text, 'eindtijd'), locatie: 'Den Helder - havengebouw', prijs: valueOf(page.text, 'prijs') };

  let r = await staff.post(`/beheer/evenementen/${id}`, { ...form, capaciteit: String(taken - 1) });
  assert.equal(r.status, 422);
  assert.equal(errorOf(r.text, 'capaciteit'), `De capaciteit kan niet lager zijn dan het aantal bezette plaatsen: ${taken}.`);
  assert.equal(valueOf(r.text, 'locatie'), 'Den Helder - havengebouw', 'typed values kept');
  assert.equal(valueOf(r.text, 'capaciteit'), String(taken - 1));
  assert.equal(await one(`SELECT capacity FROM events WHERE id = ${id}`), String(cap));

  const waiting = await sql(srv.dbUrl, `SELECT r.id, p.email FROM registrations r JOIN persons p ON p.id = r.person_id WHERE r.event_id = ${id} AND r.status = 'wachtlijst' ORDER BY r.id`);
  assert.ok(waiting.length >= 1);
  const [firstId, firstEmail] = waiting[0];
  r = await staff.post(`/beheer/evenementen/${id}`, { ...form, capaciteit: String(cap + 1) });
  assert.equal(r.status, 303);
  assert.equal(await one(`SELECT status FROM registrations WHERE id = ${firstId}`), 'aangemeld');
  if (waiting[1]) assert.equal(await one(`SELECT status FROM registrations WHERE id = ${waiting[1][0]}`), 'wachtlijst', 'one seat added: one promoted');
  assert.deepEqual((await sql(srv.dbUrl, `SELECT capacity, seats_taken, location FROM events WHERE id = ${id}`))[0], [String(cap + 1), String(taken + 1), 'Den Helder - havengebouw']);
  const mails = await srv.waitForMail(firstEmail);
  assert.ok(mails.some((m) => /Er is een plaats vrijgekomen/.test(m.subject)), 'the promoted person is mailed');
  const a = await lastAudit('evenement_gewijzigd');
  assert.equal(a.eventId, Number(id));
  assert.deepEqual(a.changes.capaciteit, [String(cap), String(cap + 1)]);
  assert.deepEqual(a.changes.locatie, ['Den Helder - Kievitstraat 31', 'Den Helder - havengebouw']);
  assert.match(a.detail, /1 van de wachtlijst ingeschreven/);
  const p = await lastAudit('wachtlijst_ingeschreven');
  assert.equal(p.subject, firstId);
  assert.equal(p.eventId, Number(id));
});

test('deleting an event with registrations is refused with the reason; one without is deleted', async () => {
  const id = await one("SELECT id FROM events WHERE name = 'LV Bodem en gewas (VT)'");
  let r = await submit(`/beheer/evenementen/${id}`, `/beheer/evenementen/${id}/verwijderen`, { bevestigd: '1' });
  assert.equal(r.status, 409);
  assert.match(text(r.text), /kan niet worden verwijderd: er zijn 2 inschrijvingen/);
  assert.equal(await one(`SELECT count(*) FROM events WHERE id = ${id}`), '1');

  const empty = await one("SELECT id FROM events WHERE name = 'LV Optimaal bespuiten (VT)'");
  r = await submit(`/beheer/evenementen/${empty}`, `/beheer/evenementen/${empty}/verwijderen`, {});
  assert.equal(r.status, 200);
  r = await staff.post(`/beheer/evenementen/${empty}/verwijderen`, { csrf: csrfOf(r.text), bevestigd: '1' });
  assert.equal(r.status, 303);
  assert.equal(await one(`SELECT count(*) FROM events WHERE id = ${empty}`), '0');
  const a = await lastAudit('evenement_verwijderd');
  assert.equal(a.eventId, Number(empty));
  assert.deepEqual(a.changes.naam, ['LV Optimaal bespuiten (VT)', '']);
});

test('cancelling an event asks first, then cancels every registration, frees the seats and mails everyone', async () => {
  const id = await one("SELECT id FROM events WHERE name = 'Medical Care (STCW)' AND starts_on > '" + isoDay(0) + "' ORDER BY starts_on LIMIT 1");
  // a bezoeker's sign-up that is not yet confirmed holds a seat too, and is told as well
  await sql(srv.dbUrl, `INSERT INTO registrations (event_id, status, source, applicant_first_name, applicant_infix, applicant_last_name, applicant_email, created_at, hold_until) VALUES (${id}, 'aangemeld', 'formulier', 'Bea', '', 'Zoeker', 'bea.zoeker@example.nl', 1, 4102444800)`);
  await sql(srv.dbUrl, `UPDATE events SET seats_taken = seats_taken + 1 WHERE id = ${id}`);
  const active = await sql(srv.dbUrl, `SELECT r.id, COALESCE(p.email, r.applicant_email) FROM registrations r LEFT JOIN persons p ON p.id = r.person_id WHERE r.event_id = ${id} AND r.status <> 'geannuleerd'`);
  assert.ok(active.length >= 2);
  const taken = await one(`SELECT seats_taken FROM events WHERE id = ${id}`);

  const ask = await submit(`/beheer/evenementen/${id}`, `/beheer/evenementen/${id}/annuleren`, {});
  assert.equal(ask.status, 200);
  assert.match(text(ask.text), /Weet u zeker dat u Medical Care \(STCW\) op .* wilt annuleren\?/);
  assert.match(text(ask.text), new RegExp(`${active.length} inschrijvingen worden geannuleerd`));
  assert.equal(await one(`SELECT cancelled FROM events WHERE id = ${id}`), '0', 'asking changes nothing');

  const r = await staff.post(`/beheer/evenementen/${id}/annuleren`, { csrf: csrfOf(ask.text), bevestigd: '1' });
  assert.equal(r.status, 303);
  assert.deepEqual((await sql(srv.dbUrl, `SELECT cancelled, seats_taken FROM events WHERE id = ${id}`))[0], ['1', '0']);
  assert.equal(await one(`SELECT count(*) FROM registrations WHERE event_id = ${id} AND (status <> 'geannuleerd' OR cancelled_at IS NULL)`), '0');
  for (const [, email] of active.filter(([, e]) => e)) {
    const mails = await srv.waitForMail(email);
    const m = mails.find((x) => x.subject.startsWith('Evenement geannuleerd'));
    assert.ok(m, `${email} is told`);
    assert.match(m.text, /Medical Care \(STCW\)/);
  }
  const a = await lastAudit('evenement_geannuleerd');
  assert.equal(a.eventId, Number(id));
  assert.deepEqual(a.changes.geannuleerd, ['nee', 'ja']);
  assert.deepEqual(a.changes['bezette plaatsen'], [taken, '0']);
  assert.match(a.detail, new RegExp(`^${active.length} inschrijvingen geannuleerd`));
  // the public page no longer takes enrolments, a second cancel is refused
  assert.doesNotMatch(text((await srv.get('/cursusagenda?q=medical')).text), new RegExp(`/evenementen/${id}/inschrijven`));
  const again = await submit(`/beheer/evenementen/${id}`, `/beheer/evenementen/${id}/annuleren`, { bevestigd: '1' });
  assert.equal(again.status, 409);
  assert.match(text(again.text), /al geannuleerd/);
  const listed = await staff.get('/beheer/evenementen?geannuleerd=ja');
  assert.match(listed.text, new RegExp(`href="/beheer/evenementen/${id}"`));
});

test('unknown or malformed ids are not found', async () => {
  for (const p of ['/beheer/categorieen/999999', '/beheer/categorieen/abc', '/beheer/cursussen/999999', '/beheer/cursussen/1x', '/beheer/evenementen/999999', '/beheer/evenementen/-1']) {
    assert.equal((await staff.get(p)).status, 404, p);
  }
});

test('the course and event lists go on past their first page', async () => {
  const cat = await sqlValue(srv.dbUrl, 'SELECT min(id) FROM categories');
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 30; i++) {
    await sql(srv.dbUrl, `INSERT INTO courses (category_id, slug, name, created_at) VALUES (${cat}, 'paging-${i}', 'Zzz paging ${String(i).padStart(2, '0')}', ${now})`);
  }
  const course = await sqlValue(srv.dbUrl, "SELECT id FROM courses WHERE slug = 'paging-0'");
  for (let i = 0; i < 30; i++) {
    await sql(srv.dbUrl, `INSERT INTO events (course_id, name, starts_on, ends_on, capacity, created_at) VALUES (${course}, 'Zzz paging event ${i}', '${isoDay(400 + i)}', '${isoDay(400 + i)}', 5, ${now})`);
  }
  for (const path of ['/beheer/cursussen', '/beheer/evenementen']) {
    const first = await staff.get(path);
    assert.equal(first.status, 200);
    const next = first.text.match(/href="([^"]+)"[^>]*>\s*Volgende/)?.[1];
    assert.ok(next, `${path}: a link to the next page`);
    const second = await staff.get(next.replace(/&amp;/g, '&'));
    assert.equal(second.status, 200);
    assert.match(text(second.text), /Zzz paging/, `${path}: the second page has the later rows`);
  }
});
