-- The back office's catalog.
--   courses.vat_rate  the VAT in the course's prices, in percent: 0 (vrijgesteld:
--                     vocational training often is), 9 or 21
--   courses.duration  how long the course takes, as the administratie writes it
--                     ("5 dagen", "3 dagdelen", "8 uur e-learning"); shown as text
--   slug_redirects    an address under /aanbod/ that no longer exists because
--                     staff changed a slug or moved a category or course: the
--                     public pages answer it with a 301 to where that category or
--                     course is now. old_path is the path after "/aanbod/"; a
--                     category's row also covers every path below it. A row
--                     names the category or the course by id, so the new
--                     address follows any later change too.
-- Keep migrations/postgresql/0019_catalog_admin.sql in step.
ALTER TABLE courses ADD COLUMN vat_rate INTEGER NOT NULL DEFAULT 21;
ALTER TABLE courses ADD COLUMN duration TEXT NOT NULL DEFAULT '';

CREATE TABLE slug_redirects (
    id INTEGER PRIMARY KEY,
    old_path TEXT NOT NULL,
    category_id INTEGER REFERENCES categories (id),
    course_id INTEGER REFERENCES courses (id),
    created_at BIGINT NOT NULL,
    CHECK ((category_id IS NULL) <> (course_id IS NULL))
);
CREATE UNIQUE INDEX slug_redirects_old_path ON slug_redirects (old_path);
CREATE INDEX slug_redirects_category ON slug_redirects (category_id) WHERE category_id IS NOT NULL;
CREATE INDEX slug_redirects_course ON slug_redirects (course_id) WHERE course_id IS NOT NULL;

-- The back office's list of events by date, cancelled ones included.
CREATE INDEX events_date ON events (starts_on, id);
