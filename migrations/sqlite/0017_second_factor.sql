-- The second factor: a TOTP key (RFC 6238) per person, and ten recovery codes.
--   second_factors.secret_sealed  the key, encrypted with the server's secret
--                 key (core/secretbox.h): a copy of the database holds no key
--   confirmed_at  NULL while the person is still enrolling (key shown, no code
--                 typed yet); only a confirmed key is asked for at login
--   enrol_ref     while enrolling: the login challenge or session that made the
--                 key ("challenge:<id>", "sessie:<id>"); only that one is shown
--                 the key and may confirm it, so a key being scanned is never
--                 shown to anyone else who reaches the page
--   last_step     the 30-second step of the last code accepted: a code is
--                 accepted once, never again (RFC 6238 section 5.2)
--   recovery_codes.code_hash  SHA-256 (hex) of a code; used_at once spent
--   login_challenges  a password that was right, waiting for its code: the
--                 cookie holds the token, the row its SHA-256; no session exists
--                 until the code is right
--   sessions.second_factor  1 when the session began with a code; the back
--                 office opens only for such a session
-- Keep migrations/postgresql/0017_second_factor.sql in step.
CREATE TABLE second_factors (
    person_id INTEGER PRIMARY KEY REFERENCES persons (id),
    secret_sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    enrol_ref TEXT NOT NULL DEFAULT '',
    last_step BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_codes_person ON recovery_codes (person_id, code_hash);
CREATE TABLE login_challenges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    remember INTEGER NOT NULL DEFAULT 0,
    return_to TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX login_challenges_token ON login_challenges (token_hash);
CREATE INDEX login_challenges_expires ON login_challenges (expires_at);
ALTER TABLE sessions ADD COLUMN second_factor INTEGER NOT NULL DEFAULT 0;
