-- SQLite gives a new row the highest id + 1, so after a delete the same id
-- can come back: a statement that deletes "the row I read a moment ago" by
-- id could then remove another row. AUTOINCREMENT never hands out an id
-- twice. These tables hold only short-lived rows, so they are made anew.
DROP TABLE sessions;
DROP TABLE remember_tokens;
DROP TABLE auth_attempts;

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    csrf TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    client_ip TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE remember_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    selector TEXT NOT NULL,
    validator_hash TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    organisation_id INTEGER REFERENCES organisations (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX remember_tokens_selector ON remember_tokens (selector);
CREATE INDEX remember_tokens_person ON remember_tokens (person_id);

CREATE TABLE auth_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('login', 'reset')),
    account TEXT NOT NULL DEFAULT '',
    client_ip TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX auth_attempts_account ON auth_attempts (kind, account, at);
CREATE INDEX auth_attempts_ip ON auth_attempts (kind, client_ip, at);
