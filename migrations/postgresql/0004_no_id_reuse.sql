-- Kept in step with migrations/sqlite/0004_no_id_reuse.sql. PostgreSQL's
-- identity columns never hand out an id twice, so nothing changes here.
SELECT 1;
