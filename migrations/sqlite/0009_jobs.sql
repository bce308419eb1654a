-- Background jobs: one-off work queued in the transaction of the change that
-- causes it (run_at = when), and periodic work (unique_key = the kind, one
-- row that is moved forward after each run). claimed_until keeps two server
-- processes from running the same job at once; a claim that runs out (its
-- server died) lets another take the job over. Keep
-- migrations/postgresql/0009_jobs.sql in step.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '',
    unique_key TEXT,
    run_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until BIGINT,
    done_at BIGINT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX jobs_unique ON jobs (unique_key);
CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL;
CREATE INDEX jobs_done ON jobs (done_at) WHERE done_at IS NOT NULL;
