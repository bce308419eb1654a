/* summary.c - see summary.h */
#include "enrolment/summary.h"

/* A sign-up counts as work once its address is confirmed: before that it
 * may still lapse. */
#define PROCESSABLE "(r.person_id IS NOT NULL OR r.confirmed_at IS NOT NULL)"

int enrolment_todo_counts(db_conn *c, arena *a, const char *today, enrolment_todo *out)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT"
             " (SELECT count(*) FROM registrations r WHERE r.status = 'aangemeld' AND " PROCESSABLE
             ") AS to_process,"
             " (SELECT count(*) FROM registrations r WHERE r.status IN ('aangemeld', 'wachtlijst')"
             " AND NOT " PROCESSABLE ") AS unconfirmed,"
             " (SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id"
             " WHERE r.status = 'wachtlijst' AND e.cancelled = 0 AND e.starts_on >= $1) AS waiting",
             today) < 0)
        return -1;
    out->to_process = db_int(r, 0, "to_process");
    out->unconfirmed = db_int(r, 0, "unconfirmed");
    out->waiting = db_int(r, 0, "waiting");
    return 0;
}

#define EVENT_COLUMNS                                                                              \
    "e.id, e.name, c.name AS course_name, e.starts_on, e.start_time, e.location, e.capacity,"      \
    " e.seats_taken, (SELECT count(*) FROM registrations w WHERE w.event_id = e.id"                \
    " AND w.status = 'wachtlijst') AS waiting"

db_res *enrolment_events_between(db_conn *c, arena *a, const char *from, const char *to)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT " EVENT_COLUMNS " FROM events e JOIN courses c ON c.id = e.course_id"
             " WHERE e.cancelled = 0 AND e.starts_on >= $1 AND e.starts_on <= $2"
             " ORDER BY e.starts_on, e.start_time, e.id LIMIT 100",
             from, to) < 0)
        return NULL;
    return r;
}

db_res *enrolment_waiting_lists(db_conn *c, arena *a, const char *today)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT * FROM (SELECT " EVENT_COLUMNS " FROM events e JOIN courses c ON c.id ="
             " e.course_id WHERE e.cancelled = 0 AND e.starts_on >= $1) x WHERE waiting > 0"
             " ORDER BY waiting DESC, starts_on, id LIMIT 50",
             today) < 0)
        return NULL;
    return r;
}
