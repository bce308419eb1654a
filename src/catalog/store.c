/* store.c - see store.h */
#include "catalog/store.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"

db_res *catalog_top_categories(db_conn *c, arena *a)
{
    return db_select(c, a,
                     "SELECT id, name, slug_path, description FROM categories "
                     "WHERE parent_id IS NULL ORDER BY sort_order, name",
                     0, NULL);
}

db_res *catalog_children(db_conn *c, arena *a, const char *category_id)
{
    const char *p[] = {category_id};
    return db_select(c, a,
                     "SELECT id, name, slug_path, description FROM categories "
                     "WHERE parent_id = $1 ORDER BY sort_order, name",
                     1, p);
}

db_res *catalog_second_level(db_conn *c, arena *a)
{
    return db_select(c, a,
                     "SELECT c.parent_id, c.name, c.slug_path FROM categories c "
                     "JOIN categories p ON p.id = c.parent_id WHERE p.parent_id IS NULL "
                     "ORDER BY c.sort_order, c.name",
                     0, NULL);
}

db_res *catalog_category_by_path(db_conn *c, arena *a, const char *slug_path)
{
    const char *p[] = {slug_path};
    return db_select(c, a,
                     "SELECT id, name, slug_path, id_path, description FROM categories "
                     "WHERE slug_path = $1",
                     1, p);
}

db_res *catalog_category_chain(db_conn *c, arena *a, const char *id_path)
{
    const char *p[] = {id_path};
    return db_select(c, a,
                     "SELECT name, slug_path FROM categories "
                     "WHERE CAST($1 AS TEXT) LIKE id_path || '%' ORDER BY length(id_path)",
                     1, p);
}

db_res *catalog_courses_in(db_conn *c, arena *a, const char *category_id)
{
    const char *p[] = {category_id};
    return db_select(c, a,
                     "SELECT id, name, slug, summary FROM courses WHERE category_id = $1 "
                     "AND maatwerk_org_id IS NULL AND active = 1 ORDER BY name",
                     1, p);
}

db_res *catalog_course(db_conn *c, arena *a, const char *category_id, const char *slug)
{
    const char *p[] = {category_id, slug};
    return db_select(
        c, a,
        "SELECT id, name, slug, summary, description FROM courses "
        "WHERE category_id = $1 AND slug = $2 AND maatwerk_org_id IS NULL AND active = 1",
        2, p);
}

/* Whether an event is open today and whether anyone waits for a seat: what
 * a listing needs to offer Inschrijven, Plaats op wachtlijst or neither.
 * `today` is the parameter ("$N") holding the day; the queries below hold
 * it in $2 (a course's events) and $1 (the agenda). */
/* clang-format off */
#define ENROL_COLUMNS(today)                                                      \
    "CASE WHEN " CATALOG_EVENT_OPEN_SQL(today) " THEN 1 ELSE 0 END AS open, "     \
    "CASE WHEN EXISTS (SELECT 1 FROM registrations w WHERE w.event_id = e.id "    \
    "AND w.status = 'wachtlijst') THEN 1 ELSE 0 END AS waiting"
#define ENROL_COLUMNS_1 ENROL_COLUMNS("$1")
#define ENROL_COLUMNS_2 ENROL_COLUMNS("$2")
/* clang-format on */

db_res *catalog_course_events(db_conn *c, arena *a, const char *course_id, const char *today)
{
    const char *p[] = {course_id, today};
    return db_select(c, a,
                     "SELECT e.id, e.name, e.starts_on, e.ends_on, e.start_time, e.end_time, "
                     "e.location, e.capacity - e.seats_taken AS places, e.price_cents, "
                     "e.registration_deadline, " ENROL_COLUMNS_2 " FROM events e "
                     "WHERE e.course_id = $1 AND e.starts_on >= $2 AND e.cancelled = 0 "
                     "ORDER BY e.starts_on, e.id",
                     2, p);
}

/* The WHERE clause shared by the agenda's count and page queries; only the
 * filters in use are added, so each combination gets a plan of its own. */
static void agenda_where(db_conn *c, arena *a, const agenda_filter *f, buf *sql, const char **p,
                         int *n)
{
    p[(*n)++] = f->today; /* always $1: the page's select list uses it too */
    buf_puts(sql, " WHERE c.id = e.course_id AND cat.id = c.category_id AND e.starts_on >= $1"
                  " AND e.cancelled = 0 AND c.maatwerk_org_id IS NULL AND c.active = 1");
    if (f->q) {
        const char *like = db_ilike(c);
        p[(*n)++] = db_like_contains(a, f->q, strlen(f->q));
        buf_printf(sql, " AND (c.name %s $%d ESCAPE '\\' OR e.name %s $%d ESCAPE '\\')", like, *n,
                   like, *n);
    }
    if (f->category_id) {
        p[(*n)++] = f->category_id;
        buf_printf(sql,
                   " AND cat.id_path LIKE (SELECT id_path FROM categories WHERE id = $%d) || '%%'",
                   *n);
    }
    if (f->month) {
        p[(*n)++] = arena_printf(a, "%s-01", f->month);
        p[(*n)++] = arena_printf(a, "%s-99", f->month);
        buf_printf(sql, " AND e.starts_on >= $%d AND e.starts_on <= $%d", *n - 1, *n);
    }
    if (f->location) {
        p[(*n)++] = f->location;
        buf_printf(sql, " AND e.location = $%d", *n);
    }
}

/* For the page without a search term or category, the date order of the
 * events drives the query: SQLite keeps the join order of a CROSS JOIN, so it walks the
 * open events by date and stops after one page. With a narrow category it
 * is better to start from the category's courses, which the planner
 * chooses itself. PostgreSQL plans both forms alike. */
static const char *agenda_from(const agenda_filter *f, int page)
{
    if (page && !f->q && !f->category_id)
        return " FROM events e CROSS JOIN courses c CROSS JOIN categories cat";
    return " FROM events e, courses c, categories cat";
}

db_res *catalog_agenda(db_conn *c, arena *a, const agenda_filter *f, const db_keyset *k)
{
    const char *p[10];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT e.id, e.name, e.starts_on, e.location, e.capacity - e.seats_taken AS "
                   "places, " ENROL_COLUMNS_1 ", c.name AS course_name, "
                   "'/aanbod/' || cat.slug_path || '/' || c.slug AS course_url");
    db_keyset_columns(k, &sql);
    buf_puts(&sql, agenda_from(f, 1));
    agenda_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

long long catalog_agenda_count(db_conn *c, arena *a, const agenda_filter *f, long long cap)
{
    const char *p[8];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    /* counting stops at cap: "meer dan 500" never costs a scan of all */
    buf_printf(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one%s", agenda_from(f, 0));
    agenda_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *catalog_upcoming(db_conn *c, arena *a, const char *today, int limit)
{
    agenda_filter f = {.today = today};
    db_keyset k = {.expr = "e.starts_on", .id_expr = "e.id", .limit = limit};
    db_res *r = catalog_agenda(c, a, &f, &k);
    if (r) db_keyset_finish(&k, r);
    return r;
}

db_res *catalog_locations(db_conn *c, arena *a, const char *today)
{
    const char *p[] = {today};
    return db_select(
        c, a,
        "SELECT DISTINCT e.location FROM events e JOIN courses c ON c.id = e.course_id "
        "WHERE e.starts_on >= $1 AND e.cancelled = 0 AND c.maatwerk_org_id IS NULL "
        "AND e.location <> '' ORDER BY e.location",
        1, p);
}

/* Each category's place among its siblings (sort order, then name) as a
 * fixed-width number; a category's path is its ancestors' places and its
 * own, so ordering by the path lists the tree depth first. */
db_res *catalog_category_options(db_conn *c, arena *a)
{
    return db_select(c, a,
                     "WITH RECURSIVE ranked AS (SELECT id, parent_id, name, row_number() OVER "
                     "(PARTITION BY parent_id ORDER BY sort_order, name, id) + 100000 AS place "
                     "FROM categories), "
                     "tree (id, name, depth, path) AS ("
                     "SELECT id, name, 1, CAST(place AS TEXT) FROM ranked WHERE parent_id IS NULL "
                     "UNION ALL "
                     "SELECT r.id, r.name, t.depth + 1, t.path || CAST(r.place AS TEXT) "
                     "FROM ranked r JOIN tree t ON r.parent_id = t.id) "
                     "SELECT id, name, depth FROM tree ORDER BY path",
                     0, NULL);
}

/* The old paths a request may be under: the path itself and each of its
 * parents ("a/b/c", "a/b", "a"); a path has at most 12 segments. */
#define REDIRECT_MAX 12

int catalog_redirect(db_conn *c, arena *a, const char *slug_path, const char **to)
{
    *to = NULL;
    const char *p[REDIRECT_MAX];
    int n = 0;
    buf in;
    buf_init(&in, a, 128);
    for (size_t len = strlen(slug_path); len > 0 && n < REDIRECT_MAX; n++) {
        p[n] = arena_strndup(a, slug_path, len);
        buf_printf(&in, "%s$%d", n ? ", " : "", n + 1);
        const char *slash = memrchr(slug_path, '/', len);
        len = slash ? (size_t)(slash - slug_path) : 0;
    }
    if (n == 0) return 0;
    /* a course's old path is only ever the whole path; a category's the
     * longest prefix wins */
    const char *sql = arena_printf(
        a,
        "SELECT r.old_path, k.slug_path AS category_path, ck.slug_path || '/' || x.slug AS "
        "course_path, r.course_id FROM slug_redirects r "
        "LEFT JOIN categories k ON k.id = r.category_id "
        "LEFT JOIN courses x ON x.id = r.course_id "
        "LEFT JOIN categories ck ON ck.id = x.category_id "
        "WHERE r.old_path IN (%s) AND (r.category_id IS NOT NULL OR r.old_path = $1) "
        "ORDER BY length(r.old_path) DESC LIMIT 1",
        in.data);
    db_res *r = db_select(c, a, sql, n, p);
    if (!r) return -1;
    if (r->nrows == 0) return 0;
    const char *dest;
    if (db_int(r, 0, "course_id")) {
        dest = db_val(r, 0, "course_path");
    } else {
        const char *base = db_val(r, 0, "category_path");
        dest = base ? arena_printf(a, "%s%s", base, slug_path + strlen(db_val(r, 0, "old_path")))
                    : NULL;
    }
    if (dest && strcmp(dest, slug_path) != 0) *to = dest;
    return 0;
}
