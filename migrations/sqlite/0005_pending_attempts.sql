-- A login attempt is recorded before its password check runs (so guesses
-- sent at once count each other) but is settled only afterwards: pending
-- attempts have their own, higher limit, so people logging in correctly at
-- the same moment are not taken for guessers.
ALTER TABLE auth_attempts ADD COLUMN settled INTEGER NOT NULL DEFAULT 1;
CREATE INDEX audit_log_action ON audit_log (action, subject, at);
