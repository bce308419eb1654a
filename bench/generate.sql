-- bench/generate.sql - a large, deterministic catalog for the benchmark.
--
-- Run with the sqlite3 CLI on a database that `klantportal migrate` has just
-- created (empty tables). Everything is INSERT … SELECT over a number series;
-- "random" choices come from a multiplicative hash of the row number, so two
-- runs on the same day give the same data. Dates are relative to today
-- (local time, like the server's date_today_plus).
--
--   categories      5 × 4 × 4 × 4 × 3 = 1,385 (960 leaves at depth 5)
--   courses         2,000 public (on the leaves) + 50 maatwerk
--   events          20,000 over the next 365 days, 36 locations, capacity 8-30
--   registrations   one per taken seat (so seats_taken stays truthful)
--   persons         100,000 (lower-case unique emails, no password)
--   organisations   300, memberships 3,000

PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;

BEGIN;

CREATE TEMP TABLE seq (i INTEGER PRIMARY KEY);
INSERT INTO seq (i)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
SELECT i FROM n;

-- hash(x) = (x * 2654435761) mod 2^32: spreads consecutive numbers.
CREATE TEMP TABLE bench_today (d TEXT, now BIGINT);
INSERT INTO bench_today VALUES (date('now', 'localtime'), CAST(strftime('%s', 'now') AS INTEGER));

-- Topic words for category and course names (i = 0..39).
CREATE TEMP TABLE word (i INTEGER PRIMARY KEY, name TEXT, slug TEXT);
INSERT INTO word (i, name, slug) VALUES
 (0, 'Veiligheid', 'veiligheid'), (1, 'Heftruck', 'heftruck'), (2, 'Hoogwerker', 'hoogwerker'),
 (3, 'EHBO', 'ehbo'), (4, 'BHV', 'bhv'), (5, 'VCA', 'vca'), (6, 'Leidinggeven', 'leidinggeven'),
 (7, 'Communicatie', 'communicatie'), (8, 'Excel', 'excel'),
 (9, 'Projectmanagement', 'projectmanagement'), (10, 'Hygiëne', 'hygiene'),
 (11, 'Voedselveiligheid', 'voedselveiligheid'), (12, 'Zorg', 'zorg'), (13, 'Techniek', 'techniek'),
 (14, 'Elektrotechniek', 'elektrotechniek'), (15, 'NEN 3140', 'nen-3140'), (16, 'Lassen', 'lassen'),
 (17, 'Installatietechniek', 'installatietechniek'), (18, 'Logistiek', 'logistiek'),
 (19, 'Transport', 'transport'), (20, 'Code 95', 'code-95'),
 (21, 'Groenvoorziening', 'groenvoorziening'), (22, 'Boomverzorging', 'boomverzorging'),
 (23, 'Gewasbescherming', 'gewasbescherming'), (24, 'Tractor', 'tractor'), (25, 'Kraan', 'kraan'),
 (26, 'Bouw', 'bouw'), (27, 'Asbest', 'asbest'), (28, 'Arbo', 'arbo'), (29, 'Kwaliteit', 'kwaliteit'),
 (30, 'Financiën', 'financien'), (31, 'Marketing', 'marketing'), (32, 'Taal', 'taal'),
 (33, 'Rekenen', 'rekenen'), (34, 'ICT', 'ict'), (35, 'Privacy', 'privacy'),
 (36, 'Coaching', 'coaching'), (37, 'Timemanagement', 'timemanagement'),
 (38, 'Klantcontact', 'klantcontact'), (39, 'Verkoop', 'verkoop');

CREATE TEMP TABLE level (i INTEGER PRIMARY KEY, name TEXT, slug TEXT);
INSERT INTO level VALUES
 (0, 'Basis', 'basis'), (1, 'Gevorderd', 'gevorderd'), (2, 'Herhaling', 'herhaling'),
 (3, 'Praktijk', 'praktijk'), (4, 'Introductie', 'introductie'), (5, 'Expert', 'expert'),
 (6, 'Opfris', 'opfris'), (7, 'Examen', 'examen');

CREATE TEMP TABLE place (i INTEGER PRIMARY KEY, name TEXT);
INSERT INTO place VALUES
 (0, 'Alkmaar'), (1, 'Hoorn'), (2, 'Den Helder'), (3, 'Schagen'), (4, 'Heerhugowaard'),
 (5, 'Purmerend'), (6, 'Enkhuizen'), (7, 'Medemblik'), (8, 'Zaandam'), (9, 'Haarlem'),
 (10, 'Amsterdam'), (11, 'Hilversum'), (12, 'Utrecht'), (13, 'Amersfoort'), (14, 'Lelystad'),
 (15, 'Almere'), (16, 'Zwolle'), (17, 'Leeuwarden'), (18, 'Groningen'), (19, 'Assen'),
 (20, 'Emmen'), (21, 'Apeldoorn'), (22, 'Arnhem'), (23, 'Nijmegen'), (24, 'Ede'),
 (25, 'Den Bosch'), (26, 'Eindhoven'), (27, 'Tilburg'), (28, 'Breda'), (29, 'Rotterdam'),
 (30, 'Den Haag'), (31, 'Leiden'), (32, 'Delft'), (33, 'Gouda'), (34, 'Middelburg'),
 (35, 'Online');

-- ---- categories ----------------------------------------------------------
-- Each level is inserted with id_path '' and then completed from the
-- parent's id_path, which needs the new row's id.

INSERT INTO categories (parent_id, slug, name, description, sort_order, slug_path, id_path)
WITH t(k, name, slug) AS (VALUES (1, 'Cursussen & Trainingen', 'cursussen-trainingen'),
             (2, 'Opleidingen', 'opleidingen'),
             (3, 'Agro & Groen', 'agro-groen'),
             (4, 'Techniek & Bouw', 'techniek-bouw'),
             (5, 'Zorg & Welzijn', 'zorg-welzijn'))
SELECT NULL, t.slug, t.name, 'Alles over ' || t.name || '.', t.k, t.slug, '' FROM t;
UPDATE categories SET id_path = '/' || id || '/' WHERE id_path = '';

-- depth d+1 under every category at depth d (depth = number of ids in id_path)
CREATE TEMP TABLE fanout (depth INTEGER PRIMARY KEY, n INTEGER);
INSERT INTO fanout VALUES (1, 4), (2, 4), (3, 4), (4, 3);

-- Sibling k (1..4) gets word (parent.id + 11k) mod 40: distinct for k = 1..4.
INSERT INTO categories (parent_id, slug, name, description, sort_order, slug_path, id_path)
SELECT p.id, w.slug, w.name, 'Trainingen ' || w.name || '.', s.i, p.slug_path || '/' || w.slug, ''
FROM categories p JOIN seq s ON s.i <= 4
JOIN word w ON w.i = (p.id + 11 * s.i) % 40
WHERE p.parent_id IS NULL ORDER BY p.id, s.i;
UPDATE categories SET id_path = (SELECT p.id_path FROM categories p WHERE p.id = categories.parent_id) || id || '/'
WHERE id_path = '';

INSERT INTO categories (parent_id, slug, name, description, sort_order, slug_path, id_path)
SELECT p.id, w.slug, w.name, 'Trainingen ' || w.name || '.', s.i, p.slug_path || '/' || w.slug, ''
FROM categories p JOIN seq s ON s.i <= 4
JOIN word w ON w.i = (p.id + 11 * s.i) % 40
WHERE length(p.id_path) - length(replace(p.id_path, '/', '')) = 3 ORDER BY p.id, s.i;
UPDATE categories SET id_path = (SELECT p.id_path FROM categories p WHERE p.id = categories.parent_id) || id || '/'
WHERE id_path = '';

INSERT INTO categories (parent_id, slug, name, description, sort_order, slug_path, id_path)
SELECT p.id, w.slug, w.name, 'Trainingen ' || w.name || '.', s.i, p.slug_path || '/' || w.slug, ''
FROM categories p JOIN seq s ON s.i <= 4
JOIN word w ON w.i = (p.id + 11 * s.i) % 40
WHERE length(p.id_path) - length(replace(p.id_path, '/', '')) = 4 ORDER BY p.id, s.i;
UPDATE categories SET id_path = (SELECT p.id_path FROM categories p WHERE p.id = categories.parent_id) || id || '/'
WHERE id_path = '';

-- leaves: 3 per parent, named by level word so they differ from the parent
INSERT INTO categories (parent_id, slug, name, description, sort_order, slug_path, id_path)
SELECT p.id, p.slug || '-' || l.slug, p.name || ' ' || l.name, 'Trainingen ' || p.name || ' ' || l.name || '.',
       s.i, p.slug_path || '/' || p.slug || '-' || l.slug, ''
FROM categories p JOIN seq s ON s.i <= 3
JOIN level l ON l.i = s.i - 1
WHERE length(p.id_path) - length(replace(p.id_path, '/', '')) = 5 ORDER BY p.id, s.i;
UPDATE categories SET id_path = (SELECT p.id_path FROM categories p WHERE p.id = categories.parent_id) || id || '/'
WHERE id_path = '';

CREATE TEMP TABLE leaf (rn INTEGER PRIMARY KEY, id INTEGER);
INSERT INTO leaf (rn, id)
SELECT row_number() OVER (ORDER BY id) - 1, id FROM categories
WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.parent_id = categories.id);

-- ---- organisations, persons, memberships ---------------------------------

INSERT INTO organisations (name, visit_street, visit_house_number, visit_postcode, visit_city,
                           postal_street, postal_house_number, postal_postcode, postal_city,
                           phone, email, invoice_email, kvk_number, created_at, updated_at)
SELECT w.name || ' ' || pl.name || ' B.V. ' || s.i, 'Industrieweg', CAST(s.i AS TEXT),
       printf('%04d AB', 1000 + s.i), pl.name, 'Postbus', CAST(s.i AS TEXT),
       printf('%04d ZZ', 1000 + s.i), pl.name, printf('072-%07d', s.i),
       'info@org' || s.i || '.example.nl', 'facturen@org' || s.i || '.example.nl',
       printf('%08d', 10000000 + s.i), t.now, t.now
FROM seq s JOIN word w ON w.i = s.i % 40 JOIN place pl ON pl.i = (s.i * 7) % 36, bench_today t
WHERE s.i <= 300;

CREATE TEMP TABLE first (i INTEGER PRIMARY KEY, name TEXT);
INSERT INTO first VALUES (0, 'Jan'), (1, 'Sanne'), (2, 'Pieter'), (3, 'Fatima'), (4, 'Lars'),
 (5, 'Emma'), (6, 'Noah'), (7, 'Sophie'), (8, 'Daan'), (9, 'Julia'), (10, 'Sem'), (11, 'Tess'),
 (12, 'Finn'), (13, 'Mila'), (14, 'Lucas'), (15, 'Zoë'), (16, 'Mohammed'), (17, 'Eva'),
 (18, 'Kees'), (19, 'Anouk');
CREATE TEMP TABLE last (i INTEGER PRIMARY KEY, infix TEXT, name TEXT);
INSERT INTO last VALUES (0, '', 'Bakker'), (1, 'van', 'Dijk'), (2, '', 'Visser'), (3, 'de', 'Boer'),
 (4, '', 'Jansen'), (5, 'de', 'Vries'), (6, '', 'Mulder'), (7, '', 'Smit'), (8, 'van den', 'Berg'),
 (9, '', 'Meijer'), (10, 'de', 'Jong'), (11, '', 'Hendriks'), (12, 'van', 'Leeuwen'),
 (13, '', 'Dekker'), (14, '', 'Brouwer'), (15, 'de', 'Wit'), (16, '', 'Dijkstra'), (17, '', 'Smits'),
 (18, 'El', 'Amrani'), (19, '', 'Yilmaz'), (20, '', 'Peters'), (21, 'van der', 'Meer'),
 (22, '', 'Kok'), (23, '', 'Vos'), (24, '', 'Postma');

INSERT INTO persons (first_name, infix, last_name, email, street, house_number, postcode, city,
                     phone, birth_date, password_hash, activated_at, blocked, is_staff,
                     created_at, updated_at)
SELECT f.name, l.infix, l.name,
       lower(replace(f.name, 'ë', 'e') || '.' || replace(l.infix, ' ', '') || l.name) || '.' || s.i || '@example.nl',
       'Dorpsstraat', CAST(s.i % 200 + 1 AS TEXT), printf('%04d %s', 1000 + s.i % 9000, 'AB'),
       pl.name, printf('06-%08d', s.i),
       date('1960-01-01', '+' || ((s.i * 2654435761) % 4294967296) % 15000 || ' days'),
       NULL, NULL, 0, 0, t.now, t.now
FROM seq s JOIN first f ON f.i = ((s.i * 2654435761) % 4294967296) % 20
JOIN last l ON l.i = ((s.i * 40503) % 65536) % 25
JOIN place pl ON pl.i = s.i % 36, bench_today t;

-- persons 1..3000: 10 per organisation, the first of each a beheerder
INSERT INTO memberships (person_id, organisation_id, role, job_title, department, work_phone,
                         work_email, active, started_at)
SELECT s.i, (s.i - 1) % 300 + 1, CASE WHEN s.i <= 300 THEN 'beheerder' ELSE 'medewerker' END,
       'Medewerker', 'Algemeen', '', '', 1, t.now
FROM seq s, bench_today t WHERE s.i <= 3000;

-- ---- courses ---------------------------------------------------------------

INSERT INTO courses (id, category_id, maatwerk_org_id, slug, name, summary, description,
                     requires_birth_date, active, created_at)
SELECT s.i, lf.id, NULL, w.slug || '-' || l.slug || '-' || s.i, w.name || ' ' || l.name,
       'Praktische training ' || w.name || ' (' || lower(l.name) || ').',
       '## ' || w.name || ' ' || l.name || char(10) || char(10) ||
       'In deze training leer je alles over **' || w.name || '**. ' ||
       'Na afloop ontvang je een certificaat.' || char(10) || char(10) ||
       '- Duur: ' || (1 + s.i % 3) || ' dagen' || char(10) || '- Niveau: ' || l.name || char(10),
       s.i % 5 = 0, 1, t.now
FROM seq s JOIN leaf lf ON lf.rn = (s.i - 1) % 960
JOIN word w ON w.i = ((s.i * 2654435761) % 4294967296) % 40
JOIN level l ON l.i = s.i % 8, bench_today t
WHERE s.i <= 2000;

-- 50 maatwerk courses, each for one organisation
INSERT INTO courses (id, category_id, maatwerk_org_id, slug, name, summary, description,
                     requires_birth_date, active, created_at)
SELECT 2000 + s.i, lf.id, (s.i * 6) % 300 + 1, 'maatwerk-' || w.slug || '-' || s.i,
       'Maatwerk ' || w.name || ' ' || s.i, 'Incompany training op maat.', 'Op maat.', 0, 1, t.now
FROM seq s JOIN leaf lf ON lf.rn = (s.i * 17) % 960
JOIN word w ON w.i = s.i % 40, bench_today t
WHERE s.i <= 50;

-- ---- events ----------------------------------------------------------------
-- 19,800 on public courses (hash-spread), 200 on maatwerk courses; start
-- day 0..364 from today, every 50th cancelled, a quarter full. Each
-- attribute takes the high bits of its own multiplier, so that (say) the
-- events of one course are not all full or all in one town.

CREATE TEMP TABLE ev AS
SELECT s.i AS id,
       CASE WHEN s.i % 100 = 0 THEN 2001 + (s.i / 100) % 50
            ELSE ((s.i * 2654435761) % 4294967296) % 2000 + 1 END AS course_id,
       ((s.i * 40503 + 12345) % 65536) % 365 AS day,
       ((s.i * 2246822519) % 4294967296) / 65536 % 3 AS len,
       8 + ((s.i * 3266489917) % 4294967296) / 65536 % 23 AS capacity,
       ((s.i * 668265263) % 4294967296) / 65536 % 4 = 0 AS full,
       ((s.i * 374761393) % 4294967296) / 65536 % 36 AS place,
       s.i AS h
FROM seq s WHERE s.i <= 20000;

INSERT INTO events (id, course_id, name, starts_on, ends_on, start_time, end_time, location,
                    capacity, seats_taken, price_cents, registration_deadline, cancelled, created_at)
SELECT ev.id, ev.course_id,
       CASE WHEN ev.h % 7 = 0 THEN c.name || ' (avondeditie)' ELSE c.name END,
       date(t.d, '+' || ev.day || ' days'), date(t.d, '+' || (ev.day + ev.len) || ' days'),
       CASE WHEN ev.h % 7 = 0 THEN '18:30' ELSE '09:00' END,
       CASE WHEN ev.h % 7 = 0 THEN '21:30' ELSE '16:30' END,
       pl.name, ev.capacity,
       -- a quarter full, the rest 0..capacity-1 taken
       CASE WHEN ev.full THEN ev.capacity ELSE (ev.h * 13) % ev.capacity END,
       (150 + (ev.h * 37) % 20 * 50) * 100,
       date(t.d, printf('%+d days', ev.day - 7)), ev.h % 50 = 0, t.now
FROM ev JOIN courses c ON c.id = ev.course_id
JOIN place pl ON pl.i = ev.place, bench_today t;

-- One registration per taken seat. For event e, seat k (1..30) goes to
-- person (37e + 1009k) mod 100000 + 1: distinct per event since 1009k
-- mod 100000 differs for k ≤ 30.
INSERT INTO registrations (event_id, person_id, organisation_id, enrolled_by, status, source,
                           confirmation_sent, created_at, processed_at)
SELECT e.id, (37 * e.id + 1009 * s.i) % 100000 + 1, NULL, (37 * e.id + 1009 * s.i) % 100000 + 1,
       CASE WHEN s.i % 3 = 0 THEN 'aangemeld' ELSE 'verwerkt' END, 'portaal', 1, t.now,
       CASE WHEN s.i % 3 = 0 THEN NULL ELSE t.now END
FROM events e JOIN seq s ON s.i <= e.seats_taken, bench_today t;

COMMIT;

ANALYZE;
