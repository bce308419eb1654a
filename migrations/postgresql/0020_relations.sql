-- The back office lists persons and organisations by name, a page at a
-- time by key: these indexes hold that order (the sort expressions of
-- src/relations/, with the id as tie-breaker), so a page is read from the
-- index instead of sorting every person first.
-- Keep migrations/sqlite/0020_relations.sql and
-- migrations/postgresql/0020_relations.sql in step.
CREATE INDEX persons_name_sort ON persons (lower(last_name || ', ' || first_name), id);
CREATE INDEX organisations_name_sort ON organisations (lower(name), id);
