-- The administratie's registrations queue.
--   moved_from  a registration moved to another event is a new row in that
--               event (so on a waiting list it joins at the back of the
--               line); this points to the one it replaced, which ended as
--               geannuleerd
-- Keep migrations/postgresql/0022_registration_queue.sql in step.
ALTER TABLE registrations ADD COLUMN moved_from BIGINT REFERENCES registrations (id);
CREATE INDEX registrations_moved_from ON registrations (moved_from) WHERE moved_from IS NOT NULL;
-- The queue, newest first: all of it, or one status.
CREATE INDEX registrations_queue ON registrations (created_at, id);
CREATE INDEX registrations_queue_status ON registrations (status, created_at, id);
-- A registration's history: the audit lines written about it (subject is its id).
CREATE INDEX audit_log_subject ON audit_log (subject, id);
