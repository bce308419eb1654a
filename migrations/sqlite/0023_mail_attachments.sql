-- Files sent with a mail (an invitation's calendar file, an invoice PDF),
-- stored in the transaction that queues the mail, so the sender never
-- finds the mail without them. They go when their mail goes: the
-- housekeeping deletes sent mail, and the rows follow (ON DELETE CASCADE).
--   filename      as the recipient sees it, UTF-8, no path
--   content_type  "text/calendar; charset=utf-8", "application/pdf"
-- Keep migrations/postgresql/0023_mail_attachments.sql in step.
CREATE TABLE outbox_attachments (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX outbox_attachments_outbox ON outbox_attachments (outbox_id, id);
