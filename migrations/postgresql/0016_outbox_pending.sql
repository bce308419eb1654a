-- The sender takes the oldest unsent mail first (ORDER BY id). Without an
-- index of only the unsent rows, the database walks the primary key past
-- every mail already sent (tens of milliseconds per claim once the outbox
-- holds thousands), and does so once per mail sent.
CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL;
