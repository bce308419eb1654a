-- Browsers that logged in before. The brake counts an attempt that carries
-- one of these tokens against that browser only, so guessing elsewhere
-- never locks the real owner out. Tokens are stored only as SHA-256 hashes
-- (hex); AUTOINCREMENT so a device id counted in auth_attempts is never
-- given to another browser.
CREATE TABLE devices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    created_at BIGINT NOT NULL,
    last_login_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX devices_token ON devices (token_hash);
CREATE INDEX devices_person ON devices (person_id, expires_at);

-- The known device an attempt came from; NULL for an unknown device.
ALTER TABLE auth_attempts ADD COLUMN device_id BIGINT;
CREATE INDEX auth_attempts_device ON auth_attempts (kind, device_id, at);
