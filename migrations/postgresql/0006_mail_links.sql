-- Stored mail holds no usable link. An outbox row that carries a link
-- keeps only the request for it (which kind of token, for whom, what it
-- carries, how long it lives, where it points); the sender mints the token
-- when it delivers and stores only its hash. Sent rows are purged after a
-- retention period, so outbox_sent finds them.
ALTER TABLE outbox
    ADD COLUMN link_kind TEXT,
    ADD COLUMN link_person_id BIGINT,
    ADD COLUMN link_data TEXT,
    ADD COLUMN link_ttl BIGINT,
    ADD COLUMN link_path TEXT;
CREATE INDEX outbox_sent ON outbox (sent_at);

-- Links already sent are in the mailbox they went to; their copies here go.
UPDATE outbox SET body_text = '', body_html = ''
 WHERE sent_at IS NOT NULL AND (body_text LIKE '%token=%' OR body_html LIKE '%token=%');

-- account_tokens: new kinds of links come without a schema change (no
-- CHECK on kind), and what a token carries (a new e-mail address, an
-- organisation) is in data.
ALTER TABLE account_tokens DROP CONSTRAINT IF EXISTS account_tokens_kind_check;
ALTER TABLE account_tokens RENAME COLUMN new_email TO data;
