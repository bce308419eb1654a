-- A bezoeker's sign-up.
--   confirm_hash  SHA-256 (hex) of the token in the link of the mail "Bevestig
--                 uw aanmelding". Kept after use, so a second click can say the
--                 sign-up is already confirmed (or has lapsed).
-- The brake counts sign-ups too (kind 'aanmelding').
-- Keep migrations/sqlite/0015_signup.sql in step.
ALTER TABLE registrations ADD COLUMN confirm_hash TEXT;
CREATE UNIQUE INDEX registrations_confirm ON registrations (confirm_hash)
    WHERE confirm_hash IS NOT NULL;

ALTER TABLE auth_attempts DROP CONSTRAINT auth_attempts_kind_check;
ALTER TABLE auth_attempts ADD CONSTRAINT auth_attempts_kind_check
    CHECK (kind IN ('login', 'reset', 'aanmelding'));
