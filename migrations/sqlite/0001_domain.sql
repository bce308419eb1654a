-- The whole domain of the portal. Conventions (see src/db/db.h): booleans
-- are INTEGER 0/1, money integer cents, dates TEXT 'YYYY-MM-DD', moments
-- BIGINT Unix seconds. Keep migrations/postgresql/0001_domain.sql in step.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    visit_street TEXT NOT NULL DEFAULT '',
    visit_house_number TEXT NOT NULL DEFAULT '',
    visit_postcode TEXT NOT NULL DEFAULT '',
    visit_city TEXT NOT NULL DEFAULT '',
    postal_street TEXT NOT NULL DEFAULT '',
    postal_house_number TEXT NOT NULL DEFAULT '',
    postal_postcode TEXT NOT NULL DEFAULT '',
    postal_city TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    invoice_email TEXT NOT NULL DEFAULT '',
    kvk_number TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A person may exist without a login (a contact person never invited):
-- password_hash stays NULL until activation.
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    infix TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    street TEXT NOT NULL DEFAULT '',
    house_number TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    private_email TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    password_hash TEXT,
    activated_at BIGINT,
    blocked INTEGER NOT NULL DEFAULT 0,
    is_staff INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Login names are stored lower-cased; one person per address.
CREATE UNIQUE INDEX persons_email ON persons (email);
CREATE INDEX persons_last_name ON persons (last_name);

-- What changed in a person's data, and when (address changes, J6).
CREATE TABLE person_history (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    changed_at BIGINT NOT NULL,
    changed_by INTEGER REFERENCES persons (id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX person_history_person ON person_history (person_id, changed_at);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL CHECK (role IN ('medewerker', 'beheerder')),
    job_title TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    work_phone TEXT NOT NULL DEFAULT '',
    work_email TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    started_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE UNIQUE INDEX memberships_person_org ON memberships (person_id, organisation_id);
CREATE INDEX memberships_org ON memberships (organisation_id, active);

-- A tree of any depth. slug_path ("cursussen-trainingen/agro-groen") and
-- id_path ("/1/4/") are kept by the store so that a page is found by one
-- lookup and a subtree by one prefix match.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories (id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    slug_path TEXT NOT NULL,
    id_path TEXT NOT NULL
);
CREATE UNIQUE INDEX categories_slug_path ON categories (slug_path);
CREATE INDEX categories_parent ON categories (parent_id, sort_order);

-- A course with maatwerk_org_id set is bought by that one organisation: it
-- and its events exist only for that organisation's beheerders and staff.
CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    category_id INTEGER REFERENCES categories (id),
    maatwerk_org_id INTEGER REFERENCES organisations (id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    requires_birth_date INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX courses_category_slug ON courses (category_id, slug);
CREATE INDEX courses_maatwerk ON courses (maatwerk_org_id);

-- seats_taken is the number of active registrations; taking a seat is the
-- single statement UPDATE ... SET seats_taken = seats_taken + 1 WHERE
-- seats_taken < capacity, atomic on both databases.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id),
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL CHECK (capacity >= 0),
    seats_taken INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
    price_cents INTEGER NOT NULL DEFAULT 0,
    registration_deadline TEXT,
    cancelled INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_starts_on ON events (starts_on);
CREATE INDEX events_course ON events (course_id, starts_on);
CREATE INDEX events_location ON events (location, starts_on);

-- Further meeting days of an event that spans several dates.
CREATE TABLE event_dates (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    day TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_dates_event ON event_dates (event_id, day);

-- One enrolment. organisation_id set means "invoice to the organisation"
-- (enrolled as medewerker or by a beheerder); NULL means to the person.
-- A public sign-up (J1) has no person yet: the applicant_* columns hold what
-- was typed until the administratie processes it.
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    person_id INTEGER REFERENCES persons (id),
    organisation_id INTEGER REFERENCES organisations (id),
    enrolled_by INTEGER REFERENCES persons (id),
    status TEXT NOT NULL CHECK (status IN ('aangemeld', 'verwerkt', 'geannuleerd', 'wachtlijst')),
    source TEXT NOT NULL DEFAULT 'portaal',
    applicant_first_name TEXT,
    applicant_infix TEXT,
    applicant_last_name TEXT,
    applicant_email TEXT,
    applicant_street TEXT,
    applicant_house_number TEXT,
    applicant_postcode TEXT,
    applicant_city TEXT,
    applicant_phone TEXT,
    applicant_birth_date TEXT,
    confirmation_sent INTEGER NOT NULL DEFAULT 0,
    invitation_sent INTEGER NOT NULL DEFAULT 0,
    result TEXT NOT NULL DEFAULT '',
    attended INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    processed_at BIGINT,
    cancelled_at BIGINT
);
CREATE INDEX registrations_event ON registrations (event_id, status);
CREATE INDEX registrations_person ON registrations (person_id);
CREATE INDEX registrations_org ON registrations (organisation_id);
-- One active registration per person per event.
CREATE UNIQUE INDEX registrations_once ON registrations (event_id, person_id)
    WHERE status <> 'geannuleerd' AND person_id IS NOT NULL;

-- To a person or to an organisation, never both.
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    person_id INTEGER REFERENCES persons (id),
    organisation_id INTEGER REFERENCES organisations (id),
    invoice_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'betaald')),
    paid_on TEXT,
    created_at BIGINT NOT NULL,
    CHECK ((person_id IS NULL) <> (organisation_id IS NULL))
);
CREATE UNIQUE INDEX invoices_number ON invoices (number);
CREATE INDEX invoices_person ON invoices (person_id);
CREATE INDEX invoices_org ON invoices (organisation_id);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    registration_id INTEGER REFERENCES registrations (id),
    description TEXT NOT NULL,
    amount_cents INTEGER NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id);

-- Digitaal Dossier messages, to a person or an organisation.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    person_id INTEGER REFERENCES persons (id),
    organisation_id INTEGER REFERENCES organisations (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES persons (id),
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    CHECK ((person_id IS NULL) <> (organisation_id IS NULL))
);
CREATE INDEX messages_person ON messages (person_id, created_at);
CREATE INDEX messages_org ON messages (organisation_id, created_at);

-- Attachments are stored base64-encoded in the database so that every
-- server process behind a load balancer sees them without shared disks.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    data_base64 TEXT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);

CREATE TABLE news (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX news_slug ON news (slug);
CREATE INDEX news_published ON news (published_on);

-- Content pages (Wie zijn wij, Contact), body in Markdown.
CREATE TABLE pages (
    slug TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- Who changed what in the back office, and account events.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id INTEGER REFERENCES persons (id),
    client_ip TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
