/* admin_queue_store.c - the queries of the registrations queue and of one
 * registration's page (see admin_queue.h). */
#include <string.h>

#include "catalog/store.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "enrolment/admin_queue.h"

#define QUEUE_WORDS 6

/* A bezoeker's registration carries the typed name until it is processed;
 * a person's registration the person's own. */
#define NAME_COLUMNS                                                                               \
    "COALESCE(p.first_name, r.applicant_first_name) AS first_name, "                               \
    "COALESCE(p.infix, r.applicant_infix) AS infix, "                                              \
    "COALESCE(p.last_name, r.applicant_last_name) AS last_name, "                                  \
    "COALESCE(p.email, r.applicant_email) AS email"

/* Appends " AND <text> LIKE $n" for every word of q (at most QUEUE_WORDS),
 * case-insensitive on both databases. */
static void where_words(db_conn *c, arena *a, const char *q, const char *text, buf *sql,
                        const char **p, int *n)
{
    const char *s = q ? q : "";
    for (int words = 0; words < QUEUE_WORDS;) {
        s += strspn(s, " \t");
        size_t len = strcspn(s, " \t");
        if (!len) break;
        p[(*n)++] = db_like_contains(a, s, len);
        buf_printf(sql, " AND %s %s $%d ESCAPE '\\'", text, db_ilike(c), *n);
        s += len;
        words++;
    }
}

/* FROM and WHERE of both queue queries. */
static void queue_where(db_conn *c, arena *a, const queue_filter *f, buf *sql, const char **p,
                        int *n)
{
    buf_puts(sql, " FROM registrations r JOIN events e ON e.id = r.event_id"
                  " JOIN courses c ON c.id = e.course_id"
                  " LEFT JOIN persons p ON p.id = r.person_id"
                  " LEFT JOIN organisations o ON o.id = r.organisation_id WHERE 1 = 1");
    if (f->status) {
        p[(*n)++] = f->status;
        buf_printf(sql, " AND r.status = $%d", *n);
    }
    if (f->event_id) {
        p[(*n)++] = f->event_id;
        buf_printf(sql, " AND r.event_id = $%d", *n);
    }
    if (f->org_id) {
        p[(*n)++] = f->org_id;
        buf_printf(sql, " AND r.organisation_id = $%d", *n);
    }
    where_words(c, a, f->q,
                "(COALESCE(p.first_name, r.applicant_first_name, '') || ' ' || "
                "COALESCE(p.infix, r.applicant_infix, '') || ' ' || "
                "COALESCE(p.last_name, r.applicant_last_name, '') || ' ' || "
                "COALESCE(p.email, r.applicant_email, ''))",
                sql, p, n);
}

long long queue_count(db_conn *c, arena *a, const queue_filter *f, long long cap)
{
    const char *p[QUEUE_WORDS + 3];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one");
    queue_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *queue_page(db_conn *c, arena *a, const queue_filter *f, const db_keyset *k)
{
    const char *p[QUEUE_WORDS + 5];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 2048);
    buf_puts(&sql, "SELECT r.id, r.status, r.created_at, r.person_id, "
                   "CASE WHEN r.person_id IS NULL AND r.confirmed_at IS NULL THEN 0 ELSE 1 END "
                   "AS confirmed, " NAME_COLUMNS ", o.name AS org_name, r.applicant_org_name, "
                   "e.id AS event_id, e.name AS event_name, e.starts_on, c.name AS course_name, "
                   "(SELECT m.id FROM registrations m WHERE m.moved_from = r.id) AS moved_to, "
                   "CASE WHEN r.person_id IS NULL AND EXISTS (SELECT 1 FROM persons x WHERE "
                   "x.email = r.applicant_email AND x.email <> '') THEN 1 ELSE 0 END AS has_match");
    db_keyset_columns(k, &sql);
    queue_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

db_res *queue_registration(db_conn *c, arena *a, const char *reg_id)
{
    return db_select(
        c, a,
        "SELECT r.id, r.event_id, r.person_id, r.organisation_id, r.enrolled_by, r.status, "
        "r.source, r.price_cents, r.reference, r.created_at, r.confirmed_at, r.hold_until, "
        "r.processed_at, r.cancelled_at, r.confirmation_sent, r.terms_version, "
        "CASE WHEN r.status = 'wachtlijst' THEN (SELECT count(*) FROM registrations w "
        "WHERE w.event_id = r.event_id AND w.status = 'wachtlijst' AND w.id <= r.id) "
        "ELSE 0 END AS position, " NAME_COLUMNS ", "
        "COALESCE(p.street, r.applicant_street) AS street, "
        "COALESCE(p.house_number, r.applicant_house_number) AS house_number, "
        "COALESCE(p.postcode, r.applicant_postcode) AS postcode, "
        "COALESCE(p.city, r.applicant_city) AS city, "
        "COALESCE(p.phone, r.applicant_phone) AS phone, "
        "CASE WHEN p.id IS NULL THEN r.applicant_birth_date ELSE p.birth_date END AS birth_date, "
        "r.applicant_email, r.applicant_street, r.applicant_house_number, "
        "r.applicant_postcode, r.applicant_city, r.applicant_phone, r.applicant_birth_date, "
        "r.applicant_org_name, r.applicant_invoice_address, o.name AS org_name, "
        "b.first_name AS by_first_name, b.infix AS by_infix, b.last_name AS by_last_name, "
        "b.email AS by_email, "
        "COALESCE(b.is_staff, 0) AS enrolled_by_staff, "
        "e.name AS event_name, e.starts_on, e.ends_on, e.start_time, e.end_time, e.location, "
        "e.capacity - e.seats_taken AS places, e.registration_deadline, "
        "e.cancelled AS event_cancelled, c.id AS course_id, c.name AS course_name, "
        "c.maatwerk_org_id, r.moved_from, "
        "(SELECT m.id FROM registrations m WHERE m.moved_from = r.id) AS moved_to "
        "FROM registrations r JOIN events e ON e.id = r.event_id "
        "JOIN courses c ON c.id = e.course_id "
        "LEFT JOIN persons p ON p.id = r.person_id "
        "LEFT JOIN persons b ON b.id = r.enrolled_by "
        "LEFT JOIN organisations o ON o.id = r.organisation_id WHERE r.id = $1",
        1, (const char *[]){reg_id});
}

db_res *queue_history(db_conn *c, arena *a, const char *reg_id)
{
    /* the enrolment's own lines name the registration's id as subject */
    return db_select(
        c, a,
        "SELECT l.at, l.action, l.detail, l.changes, p.first_name AS actor_first_name, "
        "p.infix AS actor_infix, p.last_name AS actor_last_name "
        "FROM audit_log l LEFT JOIN persons p ON p.id = l.actor_id "
        "WHERE l.subject = $1 AND (l.action LIKE 'inschrijving%' OR "
        "l.action LIKE 'aanmelding%' OR l.action IN ('afmelding', "
        "'wachtlijst_ingeschreven')) ORDER BY l.id LIMIT 200",
        1, (const char *[]){reg_id});
}

db_res *queue_match(db_conn *c, arena *a, const char *email)
{
    return db_select(c, a,
                     "SELECT id, first_name, infix, last_name, email, street, house_number, "
                     "postcode, city, birth_date, blocked, CASE WHEN password_hash IS NULL "
                     "THEN 0 ELSE 1 END AS has_login FROM persons "
                     "WHERE email = $1 AND email <> ''",
                     1, (const char *[]){email ? email : ""});
}

db_res *queue_orgs_named(db_conn *c, arena *a, const char *name)
{
    return db_select(c, a,
                     "SELECT id, name, CASE WHEN visit_city <> '' THEN visit_city "
                     "ELSE postal_city END AS city FROM organisations "
                     "WHERE lower(name) = lower($1) ORDER BY id LIMIT 10",
                     1, (const char *[]){name ? name : ""});
}

db_res *queue_event_options(db_conn *c, arena *a, const char *today, const char *keep_id)
{
    const char *p[] = {today, date_today_plus(a, -60), keep_id ? keep_id : "0"};
    return db_select(
        c, a,
        "SELECT e.id, e.name, c.name AS course_name, e.starts_on, e.start_time, "
        "e.capacity - e.seats_taken AS places, e.cancelled, (SELECT count(*) FROM registrations "
        "w WHERE w.event_id = e.id AND w.status = 'wachtlijst') AS waiting, "
        "CASE WHEN " CATALOG_EVENT_OPEN_SQL(
            "$1") " THEN 1 ELSE 0 END AS open "
                  "FROM events e JOIN courses c ON c.id = e.course_id "
                  "WHERE e.id IN (SELECT x.id FROM events x WHERE x.cancelled = 0 AND x.starts_on "
                  ">= $2 "
                  "ORDER BY x.starts_on, x.id LIMIT 300) OR e.id = CAST($3 AS BIGINT) "
                  "ORDER BY e.starts_on, e.start_time, e.id",
        3, p);
}

db_res *queue_org_options(db_conn *c, arena *a, const char *keep_id)
{
    return db_select(c, a,
                     "SELECT id, name FROM organisations WHERE id = CAST($1 AS BIGINT) OR id IN "
                     "(SELECT x.id FROM organisations x ORDER BY lower(x.name), x.id LIMIT 500) "
                     "ORDER BY lower(name), id",
                     1, (const char *[]){keep_id ? keep_id : "0"});
}

db_res *queue_people(db_conn *c, arena *a, const char *q, int max)
{
    const char *p[QUEUE_WORDS];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT id, first_name, infix, last_name, email, city, is_staff "
                   "FROM persons p WHERE 1 = 1");
    where_words(c, a, q, "(p.first_name || ' ' || p.infix || ' ' || p.last_name || ' ' || p.email)",
                &sql, p, &n);
    buf_printf(&sql, " ORDER BY lower(p.last_name), lower(p.first_name), p.id LIMIT %d", max);
    return db_select(c, a, sql.data, n, p);
}

db_res *queue_person_orgs(db_conn *c, arena *a, const char *person_id)
{
    return db_select(c, a,
                     "SELECT o.id, o.name, m.role FROM memberships m "
                     "JOIN organisations o ON o.id = m.organisation_id "
                     "WHERE m.person_id = $1 AND m.active = 1 ORDER BY lower(o.name), o.id",
                     1, (const char *[]){person_id});
}
