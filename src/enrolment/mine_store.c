/* mine_store.c - the queries of Cursussen and Afmelden (see mine.h). */
#include <string.h>

#include "core/buf.h"
#include "enrolment/mine.h"

/* A waiting-list registration's place in line (1 = next). */
#define POSITION_SQL                                                                               \
    "CASE WHEN r.status = 'wachtlijst' THEN (SELECT count(*) FROM registrations w "                \
    "WHERE w.event_id = r.event_id AND w.status = 'wachtlijst' AND w.id <= r.id) ELSE 0 END "      \
    "AS position"

/* The participant as the organisation that pays knows them (the name its
 * beheerder typed), else as they are known themselves, else as a bezoeker
 * typed it. Needs "LEFT JOIN persons p" and "LEFT JOIN memberships m" on
 * the registration's person and organisation. */
#define KNOWN_AS(col)                                                                              \
    "CASE WHEN m.contact_last_name <> '' THEN m.contact_" col " ELSE COALESCE(p." col              \
    ", r.applicant_" col ") END AS " col
#define KNOWN_NAMES KNOWN_AS("first_name") ", " KNOWN_AS("infix") ", " KNOWN_AS("last_name")

#define PARTICIPANT_JOINS                                                                          \
    " LEFT JOIN persons p ON p.id = r.person_id"                                                   \
    " LEFT JOIN memberships m ON m.person_id = r.person_id"                                        \
    " AND m.organisation_id = r.organisation_id "

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

db_res *mine_own(db_conn *c, arena *a, long long person_id, const char *today)
{
    const char *p[] = {num(a, person_id), today};
    /* upcoming by date ascending, then the past by date descending: the
     * second key is empty for every past row, so the third decides */
    return db_select(c, a,
                     "SELECT r.id, r.status, " POSITION_SQL ", r.confirmation_sent, "
                     "r.invitation_sent, r.result, r.attended, e.name AS event_name, "
                     "e.cancelled AS event_cancelled, e.starts_on, e.location, "
                     "c.name AS course_name "
                     "FROM registrations r JOIN events e ON e.id = r.event_id "
                     "JOIN courses c ON c.id = e.course_id "
                     "WHERE r.person_id = $1 AND r.status <> 'geannuleerd' "
                     "ORDER BY CASE WHEN e.ends_on >= $2 THEN 0 ELSE 1 END, "
                     "CASE WHEN e.ends_on >= $2 THEN e.starts_on ELSE '' END, "
                     "e.starts_on DESC, r.id",
                     2, p);
}

db_res *mine_org(db_conn *c, arena *a, long long org_id, const char *today, int limit)
{
    const char *p[] = {num(a, org_id), today, num(a, limit + 1)};
    return db_select(c, a,
                     "SELECT r.id, r.status, " POSITION_SQL ", " KNOWN_NAMES ", "
                     "e.name AS event_name, e.starts_on, e.location, c.name AS course_name "
                     "FROM registrations r JOIN events e ON e.id = r.event_id "
                     "JOIN courses c ON c.id = e.course_id" PARTICIPANT_JOINS
                     "WHERE r.organisation_id = $1 AND r.status <> 'geannuleerd' "
                     "AND e.ends_on >= $2 "
                     "ORDER BY e.starts_on, e.id, last_name, first_name, r.id LIMIT $3",
                     3, p);
}

db_res *mine_selected(db_conn *c, arena *a, const char *const *ids, int n, long long person_id,
                      long long org_id)
{
    if (n <= 0 || n > MINE_MAX_SELECTED) return NULL;
    const char *p[MINE_MAX_SELECTED + 2];
    p[0] = num(a, person_id);
    /* 0 matches no organisation: someone who is not a beheerder acting for
     * one reaches only their own */
    p[1] = num(a, org_id);
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql,
             "SELECT r.id, r.event_id, r.person_id, r.organisation_id, r.status, " POSITION_SQL
             ", " KNOWN_NAMES ", e.name AS event_name, e.starts_on, "
             "e.ends_on, e.start_time, e.end_time, e.location, c.name AS course_name, "
             "o.name AS org_name "
             "FROM registrations r JOIN events e ON e.id = r.event_id "
             "JOIN courses c ON c.id = e.course_id" PARTICIPANT_JOINS
             "LEFT JOIN organisations o ON o.id = r.organisation_id WHERE r.id IN (");
    for (int i = 0; i < n; i++) {
        buf_printf(&sql, "%s$%d", i ? ", " : "", i + 3);
        p[i + 2] = ids[i];
    }
    buf_puts(&sql, ") AND r.status <> 'geannuleerd' AND (r.person_id = $1 "
                   "OR r.organisation_id = $2) ORDER BY e.starts_on, r.event_id, r.id");
    return db_select(c, a, sql.data, n + 2, p);
}

#define MAATWERK_FROM                                                                              \
    " FROM events e JOIN courses c ON c.id = e.course_id "                                         \
    "WHERE c.maatwerk_org_id = $1 AND c.active = 1 AND e.cancelled = 0 AND e.starts_on >= $2"

db_res *mine_maatwerk(db_conn *c, arena *a, long long org_id, const char *today, const db_keyset *k)
{
    const char *p[4] = {num(a, org_id), today};
    int n = 2;
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT e.id, e.name, e.starts_on, e.location, "
                   "e.capacity - e.seats_taken AS places, c.name AS course_name");
    db_keyset_columns(k, &sql);
    buf_puts(&sql, MAATWERK_FROM);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

long long mine_maatwerk_count(db_conn *c, arena *a, long long org_id, const char *today,
                              long long cap)
{
    const char *p[] = {num(a, org_id), today};
    const char *sql = arena_printf(
        a, "SELECT count(*) AS n FROM (SELECT 1 AS one" MAATWERK_FROM " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql, 2, p);
    return r ? db_int(r, 0, "n") : -1;
}

const char *mine_course_label(arena *a, const char *event_name, const char *course_name)
{
    if (!course_name || !*course_name || strstr(event_name, course_name)) return event_name;
    if (strstr(course_name, event_name)) return course_name;
    return arena_printf(a, "%s - %s", event_name, course_name);
}

const char *mine_status_text(arena *a, const char *status, long long position)
{
    if (strcmp(status, "wachtlijst") == 0)
        return arena_printf(a, "Wachtlijst (plaats %lld)", position);
    if (strcmp(status, "verwerkt") == 0) return "Bevestigd";
    if (strcmp(status, "geannuleerd") == 0) return "Afgemeld";
    return "Aangemeld";
}
