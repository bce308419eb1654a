-- A CSV import between its preview and its execution: the file as uploaded
-- stays here, so that Importeren writes exactly what the preview was made
-- from (never rows carried in the form). key_hash is the SHA-256 of the
-- random key in the preview's address; staff_id the staff member who
-- uploaded it, the only one who may see or run it. After execution the file
-- is emptied and the counts kept; rows older than a day are deleted at the
-- next upload. Keep migrations/postgresql/0021_imports.sql in step.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES persons (id),
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    send_mails INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    done_at BIGINT,
    persons_created INTEGER NOT NULL DEFAULT 0,
    orgs_created INTEGER NOT NULL DEFAULT 0,
    memberships_created INTEGER NOT NULL DEFAULT 0,
    mails_queued INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX imports_key ON imports (key_hash);
CREATE INDEX imports_created ON imports (created_at);
