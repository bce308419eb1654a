-- Stored mail holds no usable link. An outbox row that carries a link
-- keeps only the request for it (which kind of token, for whom, what it
-- carries, how long it lives, where it points); the sender mints the token
-- when it delivers and stores only its hash. Sent rows are purged after a
-- retention period, so outbox_sent finds them.
ALTER TABLE outbox ADD COLUMN link_kind TEXT;
ALTER TABLE outbox ADD COLUMN link_person_id INTEGER;
ALTER TABLE outbox ADD COLUMN link_data TEXT;
ALTER TABLE outbox ADD COLUMN link_ttl BIGINT;
ALTER TABLE outbox ADD COLUMN link_path TEXT;
CREATE INDEX outbox_sent ON outbox (sent_at);

-- Links already sent are in the mailbox they went to; their copies here go.
UPDATE outbox SET body_text = '', body_html = ''
 WHERE sent_at IS NOT NULL AND (body_text LIKE '%token=%' OR body_html LIKE '%token=%');

-- account_tokens: new kinds of links come without a schema change (no
-- CHECK on kind), and what a token carries (a new e-mail address, an
-- organisation) is in data. Rows are short-lived and deleted by the
-- periodic clean-up, so the id is AUTOINCREMENT: never handed out twice.
CREATE TABLE account_tokens_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    data TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
INSERT INTO account_tokens_new (id, token_hash, person_id, kind, data, created_at, expires_at,
                                used_at)
SELECT id, token_hash, person_id, kind, new_email, created_at, expires_at, used_at
  FROM account_tokens;
DROP TABLE account_tokens;
ALTER TABLE account_tokens_new RENAME TO account_tokens;
CREATE UNIQUE INDEX account_tokens_hash ON account_tokens (token_hash);
CREATE INDEX account_tokens_person ON account_tokens (person_id, kind);
