-- Accounts: sessions, remember-me tokens, one-time tokens (activation,
-- reset, email change), the abuse brake's counters and the email outbox.
-- All secrets are stored only as SHA-256 hashes (hex).

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    csrf TEXT NOT NULL,
    -- the chosen context: NULL = as person, else the organisation
    organisation_id INTEGER REFERENCES organisations (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    client_ip TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_person ON sessions (person_id);

-- "Onthoud mijn gegevens": selector finds the row, the validator's hash is
-- compared in constant time; both change at every use.
CREATE TABLE remember_tokens (
    id INTEGER PRIMARY KEY,
    selector TEXT NOT NULL,
    validator_hash TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    organisation_id INTEGER REFERENCES organisations (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX remember_tokens_selector ON remember_tokens (selector);
CREATE INDEX remember_tokens_person ON remember_tokens (person_id);

CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL CHECK (kind IN ('activatie', 'reset', 'email')),
    new_email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE UNIQUE INDEX account_tokens_hash ON account_tokens (token_hash);
CREATE INDEX account_tokens_person ON account_tokens (person_id, kind);

-- Failed logins and reset requests, per account and per client address.
CREATE TABLE auth_attempts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('login', 'reset')),
    account TEXT NOT NULL DEFAULT '',
    client_ip TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX auth_attempts_account ON auth_attempts (kind, account, at);
CREATE INDEX auth_attempts_ip ON auth_attempts (kind, client_ip, at);

-- Written in the same transaction as the change that causes the email;
-- the sender delivers it and sets sent_at. claimed_until keeps two senders
-- (several servers) from taking the same message at once.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    to_address TEXT NOT NULL,
    to_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
