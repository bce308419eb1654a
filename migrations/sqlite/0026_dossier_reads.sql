-- Digitaal Dossier: who has read a message. An organisation's message has
-- several readers (its beheerders), each with their own read state, so the
-- state is a row per (message, reader) instead of messages.read_at (kept,
-- no longer written). Opening a message inserts its row once.
-- The primary key serves both questions asked: "has this reader read this
-- message" (the unread count's anti-join, per message of the dossier) and
-- "who read this message" (the back office's list).
-- Attachments stay base64 in attachments.data_base64: SQLite has no base64
-- decoder in SQL, so existing rows could not move to a BLOB column in a
-- migration, and one way of storing them on both databases keeps the
-- readers (demo, timeline, download) simple; the cost, a third more bytes,
-- is small at the sizes allowed.
-- Keep migrations/postgresql/0026_dossier_reads.sql in step.
CREATE TABLE message_reads (
    message_id INTEGER NOT NULL REFERENCES messages (id),
    person_id INTEGER NOT NULL REFERENCES persons (id),
    read_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, person_id)
);

-- A message to a person that was marked read was read by that person.
INSERT INTO message_reads (message_id, person_id, read_at)
SELECT id, person_id, read_at FROM messages
WHERE person_id IS NOT NULL AND read_at IS NOT NULL;
