-- The audit trail: every change, who made it, and what each field was and
-- became. What a line concerns is kept in columns of its own, so the back
-- office can search by person, organisation and event:
--   person_id, organisation_id, event_id  what the change was about (NULL: not)
--   changes      one line per field: "field<TAB>old<TAB>new" (tabs and line
--                breaks inside a value written as spaces)
-- Nobody edits or deletes the trail: the database itself refuses UPDATE,
-- DELETE and TRUNCATE on it.
-- Keep migrations/sqlite/0018_audit_trail.sql in step.
ALTER TABLE audit_log ADD COLUMN person_id BIGINT;
ALTER TABLE audit_log ADD COLUMN organisation_id BIGINT;
ALTER TABLE audit_log ADD COLUMN event_id BIGINT;
ALTER TABLE audit_log ADD COLUMN changes TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_person ON audit_log (person_id, id) WHERE person_id IS NOT NULL;
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, id)
    WHERE organisation_id IS NOT NULL;
CREATE INDEX audit_log_event ON audit_log (event_id, id) WHERE event_id IS NOT NULL;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);

CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log: regels kunnen niet worden gewijzigd of verwijderd';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
