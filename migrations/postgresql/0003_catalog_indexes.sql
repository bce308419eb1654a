-- Faster public catalog queries (measured with bench/): the planner read
-- "maatwerk_org_id IS NULL" through the old index as if few courses
-- matched; a partial index serves the per-organisation lookups only. The
-- agenda reads open events by course and date without visiting the table.
DROP INDEX courses_maatwerk;
CREATE INDEX courses_maatwerk ON courses (maatwerk_org_id) WHERE maatwerk_org_id IS NOT NULL;
CREATE INDEX events_open ON events (course_id, starts_on) WHERE cancelled = 0;
CREATE INDEX events_open_date ON events (starts_on, id) WHERE cancelled = 0;
