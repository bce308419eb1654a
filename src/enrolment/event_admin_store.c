/* event_admin_store.c - the back office's queries on events (see
 * event_admin.h). */
#include <string.h>

#include "catalog/store.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "enrolment/event_admin.h"

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

#define LIST_PARAMS 20

/* Every word of q (at most five) in one of the columns. */
static void words_where(db_conn *c, arena *a, const char *q, const char *col1, const char *col2,
                        buf *sql, const char **p, int *n)
{
    const char *like = db_ilike(c);
    for (int words = 0; q && *q && words < 5; words++) {
        while (*q == ' ')
            q++;
        size_t len = strcspn(q, " ");
        if (len == 0) break;
        p[(*n)++] = db_like_contains(a, q, len);
        if (col2)
            buf_printf(sql, " AND (%s %s $%d ESCAPE '\\' OR %s %s $%d ESCAPE '\\')", col1, like, *n,
                       col2, like, *n);
        else
            buf_printf(sql, " AND %s %s $%d ESCAPE '\\'", col1, like, *n);
        q += len;
    }
}

/* The WHERE clause of the list's count and page queries. */
static void list_where(db_conn *c, arena *a, const event_filter *f, buf *sql, const char **p,
                       int *n)
{
    buf_puts(sql, " WHERE c.id = e.course_id");
    words_where(c, a, f->q, "e.name", "c.name", sql, p, n);
    words_where(c, a, f->location, "e.location", NULL, sql, p, n);
    if (f->course_id) {
        p[(*n)++] = f->course_id;
        buf_printf(sql, " AND e.course_id = $%d", *n);
    }
    const char *from = f->from ? f->from : f->past ? NULL : f->today;
    if (from) {
        p[(*n)++] = from;
        buf_printf(sql, " AND e.starts_on >= $%d", *n);
    }
    if (f->to) {
        p[(*n)++] = f->to;
        buf_printf(sql, " AND e.starts_on <= $%d", *n);
    }
    if (f->cancelled) buf_printf(sql, " AND e.cancelled = %d", strcmp(f->cancelled, "ja") == 0);
    if (f->org && strcmp(f->org, "openbaar") == 0) {
        buf_puts(sql, " AND c.maatwerk_org_id IS NULL");
    } else if (f->org) {
        p[(*n)++] = f->org;
        buf_printf(sql, " AND c.maatwerk_org_id = $%d", *n);
    }
}

long long event_admin_count(db_conn *c, arena *a, const event_filter *f, long long cap)
{
    const char *p[LIST_PARAMS];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one FROM events e, courses c");
    list_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *event_admin_list(db_conn *c, arena *a, const event_filter *f, const db_keyset *k)
{
    const char *p[LIST_PARAMS];
    int n = 0;
    p[n++] = f->today; /* $1: whether each takes enrolments today */
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT e.id, e.name, e.starts_on, e.ends_on, e.start_time, e.location, "
                   "e.capacity, e.seats_taken, e.cancelled, c.id AS course_id, "
                   "c.name AS course_name, o.name AS org_name, "
                   "(SELECT count(*) FROM registrations w WHERE w.event_id = e.id "
                   "AND w.status = 'wachtlijst') AS waiting, "
                   "CASE WHEN " CATALOG_EVENT_OPEN_SQL("$1") " THEN 1 ELSE 0 END AS open");
    db_keyset_columns(k, &sql);
    buf_puts(&sql, " FROM events e JOIN courses c ON c.id = e.course_id "
                   "LEFT JOIN organisations o ON o.id = c.maatwerk_org_id");
    /* the joins are in FROM already: the shared WHERE repeats one */
    list_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

db_res *event_admin_get(db_conn *c, arena *a, const char *id, int lock)
{
    const char *sql = arena_printf(
        a,
        "SELECT e.id, e.course_id, c.name AS course_name, c.price_cents AS course_price_cents, "
        "c.maatwerk_org_id, o.name AS org_name, e.name, e.starts_on, e.ends_on, e.start_time, "
        "e.end_time, e.location, e.capacity, e.seats_taken, e.price_cents, "
        "e.registration_deadline, e.cancelled, "
        "(SELECT count(*) FROM registrations w WHERE w.event_id = e.id "
        "AND w.status = 'wachtlijst') AS waiting, "
        "(SELECT count(*) FROM registrations r WHERE r.event_id = e.id) AS registrations "
        "FROM events e JOIN courses c ON c.id = e.course_id "
        "LEFT JOIN organisations o ON o.id = c.maatwerk_org_id WHERE e.id = $1%s",
        lock ? db_for_update(c, a, "e") : "");
    return db_select(c, a, sql, 1, (const char *[]){id});
}

db_res *event_admin_days(db_conn *c, arena *a, const char *id)
{
    return db_select(c, a,
                     "SELECT day, start_time, end_time FROM event_dates WHERE event_id = $1 "
                     "ORDER BY day, id",
                     1, (const char *[]){id});
}

static int put_days(db_conn *c, arena *a, const char *id, const event_in *in)
{
    if (db_q(c, a, NULL, "DELETE FROM event_dates WHERE event_id = $1", id) < 0) return -1;
    for (int i = 0; i < in->ndays; i++)
        if (db_q(c, a, NULL,
                 "INSERT INTO event_dates (event_id, day, start_time, end_time) "
                 "VALUES ($1, $2, $3, $4)",
                 id, in->days[i].day, in->days[i].start, in->days[i].end) != 1)
            return -1;
    return 0;
}

int event_admin_add(db_conn *c, arena *a, const event_in *in, long long *id)
{
    db_res *k = db_select(c, a, "SELECT 1 AS x FROM courses WHERE id = $1", 1,
                          (const char *[]){in->course_id});
    if (!k) return -1;
    if (k->nrows != 1) return EVENT_GONE;
    const char *p[] = {in->course_id,
                       in->name,
                       in->starts_on,
                       in->ends_on,
                       in->start_time,
                       in->end_time,
                       in->location,
                       num(a, in->capacity),
                       num(a, in->price_cents),
                       in->deadline,
                       num(a, (long long)clock_now())};
    db_res *r = db_select(c, a,
                          "INSERT INTO events (course_id, name, starts_on, ends_on, start_time, "
                          "end_time, location, capacity, price_cents, registration_deadline, "
                          "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                          "RETURNING id",
                          11, p);
    if (!r || r->nrows != 1) return -1;
    *id = db_int(r, 0, "id");
    return put_days(c, a, num(a, *id), in);
}

int event_admin_update(db_conn *c, arena *a, const char *id, const event_in *in,
                       long long seats_taken)
{
    if (in->capacity < seats_taken) return EVENT_BELOW_TAKEN;
    const char *p[] = {id,
                       in->name,
                       in->starts_on,
                       in->ends_on,
                       in->start_time,
                       in->end_time,
                       in->location,
                       num(a, in->capacity),
                       num(a, in->price_cents),
                       in->deadline};
    if (db_query(c, a, NULL,
                 "UPDATE events SET name = $2, starts_on = $3, ends_on = $4, start_time = $5, "
                 "end_time = $6, location = $7, capacity = $8, price_cents = $9, "
                 "registration_deadline = $10 WHERE id = $1",
                 10, p) != 1)
        return -1;
    return put_days(c, a, id, in);
}

int event_admin_delete(db_conn *c, arena *a, const char *id)
{
    db_res *r = db_select(c, a, "SELECT count(*) AS n FROM registrations WHERE event_id = $1", 1,
                          (const char *[]){id});
    if (!r) return -1;
    if (db_int(r, 0, "n") > 0) return EVENT_IN_USE;
    if (db_q(c, a, NULL, "DELETE FROM event_dates WHERE event_id = $1", id) < 0) return -1;
    int n = db_q(c, a, NULL, "DELETE FROM events WHERE id = $1", id);
    if (n < 0) return db_errkind_of(c) == DB_ERR_FOREIGN ? EVENT_IN_USE : -1;
    return n == 1 ? 0 : EVENT_GONE;
}

db_res *event_admin_active(db_conn *c, arena *a, const char *id)
{
    return db_select(c, a,
                     "SELECT r.id, r.status, r.person_id, r.enrolled_by, "
                     "COALESCE(p.first_name, r.applicant_first_name) AS first_name, "
                     "COALESCE(p.infix, r.applicant_infix) AS infix, "
                     "COALESCE(p.last_name, r.applicant_last_name) AS last_name, "
                     "COALESCE(p.email, r.applicant_email, '') AS email "
                     "FROM registrations r LEFT JOIN persons p ON p.id = r.person_id "
                     "WHERE r.event_id = $1 AND r.status <> 'geannuleerd' ORDER BY r.id",
                     1, (const char *[]){id});
}

int event_admin_cancel(db_conn *c, arena *a, const char *id)
{
    db_res *e =
        db_select(c, a, "SELECT cancelled FROM events WHERE id = $1", 1, (const char *[]){id});
    if (!e) return -1;
    if (e->nrows != 1) return EVENT_GONE;
    if (db_int(e, 0, "cancelled")) return EVENT_CANCELLED;
    if (db_q(c, a, NULL,
             "UPDATE registrations SET status = 'geannuleerd', cancelled_at = $2, "
             "hold_until = NULL WHERE event_id = $1 AND status <> 'geannuleerd'",
             id, num(a, (long long)clock_now())) < 0)
        return -1;
    /* every seat freed at once: nobody is promoted into a cancelled event */
    return db_q(c, a, NULL, "UPDATE events SET cancelled = 1, seats_taken = 0 WHERE id = $1", id) ==
                   1
               ? 0
               : -1;
}
