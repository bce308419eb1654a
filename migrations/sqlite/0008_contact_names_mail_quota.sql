-- The name an organisation knows its contact person by belongs to the
-- membership: a beheerder who links an existing login by e-mail address
-- types a name, and the organisation sees only that, never the person's own
-- name or data. Existing rows start with the person's name and address.
ALTER TABLE memberships ADD COLUMN contact_first_name TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN contact_infix TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN contact_last_name TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
UPDATE memberships SET
    contact_first_name = (SELECT first_name FROM persons WHERE persons.id = memberships.person_id),
    contact_infix = (SELECT infix FROM persons WHERE persons.id = memberships.person_id),
    contact_last_name = (SELECT last_name FROM persons WHERE persons.id = memberships.person_id),
    contact_email = (SELECT email FROM persons WHERE persons.id = memberships.person_id);

-- One row per email caused by text a customer typed (contact added,
-- invitation), counted per organisation, per acting person and per kind
-- over a sliding window. Staff and system mail never comes here.
CREATE TABLE mail_quota (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX mail_quota_org ON mail_quota (organisation_id, at);
CREATE INDEX mail_quota_person ON mail_quota (person_id, at);

