/* admin_event_participants_store.c - the queries of the participant list
 * (see admin_event_participants.h). */
#include <string.h>

#include "core/buf.h"
#include "enrolment/admin_event_participants.h"

const char *const participants_results[] = {
    "", "Geslaagd", "Niet geslaagd", "Afgerond", "Niet verschenen", NULL,
};

int participants_result_valid(const char *v)
{
    for (int i = 0; v && participants_results[i]; i++)
        if (strcmp(participants_results[i], v) == 0) return 1;
    return 0;
}

db_res *participants_event(db_conn *c, arena *a, const char *event_id)
{
    return db_select(c, a,
                     "SELECT e.id, e.name, c.name AS course_name, e.starts_on, e.ends_on, "
                     "e.start_time, e.end_time, e.location, e.capacity, e.seats_taken, "
                     "e.cancelled, (SELECT count(*) FROM registrations w WHERE w.event_id = e.id "
                     "AND w.status = 'wachtlijst') AS waiting "
                     "FROM events e JOIN courses c ON c.id = e.course_id WHERE e.id = $1",
                     1, (const char *[]){event_id});
}

/* The participant as the provider knows them: the person, or what a
 * bezoeker typed before the administratie processed the sign-up. */
#define PERSON_COLUMNS                                                                             \
    "COALESCE(p.first_name, r.applicant_first_name) AS first_name, "                               \
    "COALESCE(p.infix, r.applicant_infix) AS infix, "                                              \
    "COALESCE(p.last_name, r.applicant_last_name) AS last_name, "                                  \
    "COALESCE(NULLIF(p.email, ''), r.applicant_email, '') AS email"

#define WAITING "r.status = 'wachtlijst'"

db_res *participants_rows(db_conn *c, arena *a, const char *event_id)
{
    return db_select(
        c, a,
        "SELECT r.id, r.status, r.person_id, " PERSON_COLUMNS ", "
        "COALESCE(o.name, r.applicant_org_name) AS org_name, "
        "CASE WHEN r.person_id IS NULL AND r.confirmed_at IS NULL THEN 0 ELSE 1 END AS confirmed, "
        "r.confirmation_sent, r.invitation_sent, r.result, r.attended, "
        "CASE WHEN " WAITING " THEN (SELECT count(*) FROM registrations w WHERE w.event_id = "
        "r.event_id AND w.status = 'wachtlijst' AND w.id <= r.id) ELSE 0 END AS position "
        "FROM registrations r LEFT JOIN persons p ON p.id = r.person_id "
        "LEFT JOIN organisations o ON o.id = r.organisation_id "
        "WHERE r.event_id = $1 AND r.status <> 'geannuleerd' "
        /* the seats by name, then the waiting list in its order */
        "ORDER BY CASE WHEN " WAITING " THEN 1 ELSE 0 END, CASE WHEN " WAITING
        " THEN r.id ELSE 0 END, lower(COALESCE(p.last_name, r.applicant_last_name)), "
        "lower(COALESCE(p.first_name, r.applicant_first_name)), r.id",
        1, (const char *[]){event_id});
}

/* " AND r.id IN ($2, …)" for ids, which follow event_id in p. */
static void ids_clause(buf *sql, const char **p, const char *const *ids, int n)
{
    buf_puts(sql, " AND r.id IN (");
    for (int i = 0; i < n; i++) {
        buf_printf(sql, "%s$%d", i ? ", " : "", i + 2);
        p[i + 1] = ids[i];
    }
    buf_puts(sql, ")");
}

db_res *participants_invitees(db_conn *c, arena *a, const char *event_id, const char *const *ids,
                              int n)
{
    if (n < 0 || n > PARTICIPANTS_FORM_MAX) return NULL;
    const char **p = arena_alloc(a, sizeof *p * (size_t)(n + 1));
    p[0] = event_id;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql,
             "SELECT r.id, r.person_id, " PERSON_COLUMNS ", r.invitation_sent, r.enrolled_by, "
             "b.first_name AS by_first_name, b.infix AS by_infix, "
             "b.last_name AS by_last_name, "
             /* staff who enrolled someone are not the way to reach them */
             "CASE WHEN b.is_staff = 1 THEN '' ELSE b.email END AS by_email "
             "FROM registrations r LEFT JOIN persons p ON p.id = r.person_id "
             "LEFT JOIN persons b ON b.id = r.enrolled_by "
             "WHERE r.event_id = $1 AND r.status = 'verwerkt'");
    if (n > 0)
        ids_clause(&sql, p, ids, n);
    else
        buf_puts(&sql, " AND r.invitation_sent = 0");
    buf_puts(&sql, " ORDER BY r.id");
    return db_select(c, a, sql.data, n + 1, p);
}

db_res *participants_for_results(db_conn *c, arena *a, const char *event_id, const char *const *ids,
                                 int n)
{
    if (n <= 0 || n > PARTICIPANTS_FORM_MAX) return NULL;
    const char **p = arena_alloc(a, sizeof *p * (size_t)(n + 1));
    p[0] = event_id;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT r.id, r.person_id, " PERSON_COLUMNS ", r.result, r.attended "
                   "FROM registrations r LEFT JOIN persons p ON p.id = r.person_id "
                   "WHERE r.event_id = $1 AND r.status IN ('aangemeld', 'verwerkt')");
    ids_clause(&sql, p, ids, n);
    buf_printf(&sql, " ORDER BY r.id%s", db_for_update(c, a, "r"));
    return db_select(c, a, sql.data, n + 1, p);
}

int participants_mark_invited(db_conn *c, arena *a, const char *reg_id)
{
    return db_q(c, a, NULL, "UPDATE registrations SET invitation_sent = 1 WHERE id = $1", reg_id) ==
                   1
               ? 0
               : -1;
}

int participants_set_result(db_conn *c, arena *a, const char *reg_id, const char *result,
                            int attended)
{
    return db_q(c, a, NULL, "UPDATE registrations SET result = $2, attended = $3 WHERE id = $1",
                reg_id, result, attended ? "1" : "0") == 1
               ? 0
               : -1;
}
