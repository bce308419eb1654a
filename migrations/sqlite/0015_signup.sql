-- A bezoeker's sign-up.
--   confirm_hash  SHA-256 (hex) of the token in the link of the mail "Bevestig
--                 uw aanmelding". Kept after use, so a second click can say the
--                 sign-up is already confirmed (or has lapsed).
-- The brake counts sign-ups too (kind 'aanmelding'). SQLite cannot change a
-- CHECK constraint, so auth_attempts is made anew with its rows copied (the
-- counts of the last minutes stay).
-- Keep migrations/postgresql/0015_signup.sql in step.
ALTER TABLE registrations ADD COLUMN confirm_hash TEXT;
CREATE UNIQUE INDEX registrations_confirm ON registrations (confirm_hash)
    WHERE confirm_hash IS NOT NULL;

CREATE TABLE auth_attempts_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('login', 'reset', 'aanmelding')),
    account TEXT NOT NULL DEFAULT '',
    client_ip TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL,
    settled INTEGER NOT NULL DEFAULT 1,
    device_id BIGINT
);
INSERT INTO auth_attempts_new (id, kind, account, client_ip, at, settled, device_id)
SELECT id, kind, account, client_ip, at, settled, device_id FROM auth_attempts;
DROP TABLE auth_attempts;
ALTER TABLE auth_attempts_new RENAME TO auth_attempts;
CREATE INDEX auth_attempts_account ON auth_attempts (kind, account, at);
CREATE INDEX auth_attempts_ip ON auth_attempts (kind, client_ip, at);
CREATE INDEX auth_attempts_device ON auth_attempts (kind, device_id, at);
