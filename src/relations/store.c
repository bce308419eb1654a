/* store.c - the back office's persons and organisations (see store.h). */
#include "relations/store.h"

#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "db/queue.h"

/* At most this many words of a search field count. */
#define SEARCH_WORDS 6

static const char *now_text(arena *a)
{
    return arena_printf(a, "%lld", (long long)clock_now());
}

/* What a person's login is; $1 is now. An invitation counts while its
 * mail waits in the outbox (the link is made when it is sent) or its link
 * still works, as Mijn organisatie counts it. */
#define LOGIN_SQL                                                                                  \
    " CASE WHEN p.blocked = 1 THEN '" REL_LOGIN_BLOCKED "'"                                        \
    " WHEN p.password_hash IS NOT NULL THEN '" REL_LOGIN_ACTIVE "'"                                \
    " WHEN p.email = '' THEN '" REL_LOGIN_NO_ADDRESS "'"                                           \
    " WHEN EXISTS (SELECT 1 FROM account_tokens t WHERE t.person_id = p.id"                        \
    " AND t.kind = 'activatie' AND t.used_at IS NULL AND t.expires_at > $1)"                       \
    " OR EXISTS (SELECT 1 FROM outbox o WHERE o.sent_at IS NULL"                                   \
    " AND o.link_kind = 'activatie' AND o.link_person_id = p.id"                                   \
    " AND o.next_attempt_at < " DB_QUEUE_NEVER_SQL ") THEN '" REL_LOGIN_INVITED "'"                \
    " ELSE '" REL_LOGIN_NONE "' END AS login"

/* " AND <expr> LIKE $n": expr holds the part, ignoring case. */
static void cond(db_conn *c, buf *sql, const char *expr, int n)
{
    buf_printf(sql, " AND %s %s $%d ESCAPE '\\'", expr, db_ilike(c), n);
}

/* One condition per word of s: each must occur in expr. */
static void each_word(db_conn *c, arena *a, buf *sql, const char **p, int *n, const char *s,
                      const char *expr)
{
    s = s ? s : "";
    for (int words = 0; words < SEARCH_WORDS;) {
        s += strspn(s, " \t");
        size_t len = strcspn(s, " \t");
        if (!len) break;
        p[(*n)++] = db_like_contains(a, s, len);
        cond(c, sql, expr, *n);
        s += len;
        words++;
    }
}

/* The whole of s (trimmed) must occur in expr; nothing when empty. */
static void one_part(db_conn *c, arena *a, buf *sql, const char **p, int *n, const char *s,
                     const char *expr)
{
    s = s ? s : "";
    s += strspn(s, " \t");
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (!len) return;
    p[(*n)++] = db_like_contains(a, s, len);
    cond(c, sql, expr, *n);
}

/* ------------------------------------------------------------ persons */

/* Room for every parameter of the person search: now, the words, the
 * keyset's two. */
#define PERSON_PARAMS (1 + 2 * SEARCH_WORDS + 2 + 2)

static void persons_where(db_conn *c, arena *a, const rel_person_filter *f, buf *sql,
                          const char **p, int *n)
{
    buf_puts(sql, " FROM persons p WHERE 1 = 1");
    each_word(c, a, sql, p, n, f->name, "(p.first_name || ' ' || p.infix || ' ' || p.last_name)");
    one_part(c, a, sql, p, n, f->email, "p.email");
    one_part(c, a, sql, p, n, f->city, "p.city");
    if (f->org && f->org[strspn(f->org, " \t")]) {
        buf_puts(sql, " AND EXISTS (SELECT 1 FROM memberships m JOIN organisations o"
                      " ON o.id = m.organisation_id WHERE m.person_id = p.id AND m.active = 1");
        each_word(c, a, sql, p, n, f->org, "o.name");
        buf_puts(sql, ")");
    }
}

long long rel_persons_count(db_conn *c, arena *a, const rel_person_filter *f, long long cap)
{
    const char *p[PERSON_PARAMS];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one");
    persons_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *rel_persons(db_conn *c, arena *a, const rel_person_filter *f, const db_keyset *k)
{
    const char *p[PERSON_PARAMS];
    int n = 0;
    p[n++] = now_text(a);
    buf sql;
    buf_init(&sql, a, 2048);
    buf_puts(
        &sql,
        "SELECT p.id, p.first_name, p.infix, p.last_name, p.email, p.city, p.is_staff," LOGIN_SQL);
    db_keyset_columns(k, &sql);
    persons_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

db_res *rel_persons_orgs(db_conn *c, arena *a, const db_res *rows)
{
    if (!rows->nrows) return arena_zalloc(a, sizeof(db_res));
    const char **p = arena_alloc(a, (size_t)rows->nrows * sizeof *p);
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT m.person_id, o.name AS org_name, m.role FROM memberships m"
                   " JOIN organisations o ON o.id = m.organisation_id"
                   " WHERE m.active = 1 AND m.person_id IN (");
    for (int i = 0; i < rows->nrows; i++) {
        p[i] = db_val(rows, i, "id");
        buf_printf(&sql, "%s$%d", i ? ", " : "", i + 1);
    }
    buf_puts(&sql, ") ORDER BY m.person_id, o.name");
    return db_select(c, a, sql.data, rows->nrows, p);
}

db_res *rel_person(db_conn *c, arena *a, const char *id, int lock)
{
    db_res *r = NULL;
    const char *sql = arena_printf(
        a,
        "SELECT p.id, p.first_name, p.infix, p.last_name, p.email, p.street, p.house_number,"
        " p.postcode, p.city, p.phone, p.private_email, p.birth_date, p.activated_at, p.blocked,"
        " p.is_staff, p.created_at, p.updated_at,"
        " CASE WHEN p.password_hash IS NULL THEN 0 ELSE 1 END AS has_password," LOGIN_SQL
        " FROM persons p WHERE p.id = $2%s",
        lock ? db_for_update(c, a, "p") : "");
    return db_q(c, a, &r, sql, now_text(a), id) < 0 ? NULL : r;
}

db_res *rel_person_memberships(db_conn *c, arena *a, const char *id)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                "SELECT m.organisation_id, o.name AS org_name, m.role, m.active, m.started_at,"
                " m.ended_at FROM memberships m JOIN organisations o ON o.id = m.organisation_id"
                " WHERE m.person_id = $1 ORDER BY m.active DESC, o.name, o.id",
                id) < 0
               ? NULL
               : r;
}

db_res *rel_person_registrations(db_conn *c, arena *a, const char *id)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                "SELECT r.id, r.status, r.event_id, e.name AS event_name, e.starts_on,"
                " co.name AS course_name, o.name AS org_name, r.created_at"
                " FROM registrations r JOIN events e ON e.id = r.event_id"
                " JOIN courses co ON co.id = e.course_id"
                " LEFT JOIN organisations o ON o.id = r.organisation_id"
                " WHERE r.person_id = $1 ORDER BY e.starts_on DESC, r.id DESC LIMIT 100",
                id) < 0
               ? NULL
               : r;
}

db_res *rel_person_history(db_conn *c, arena *a, const char *id)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                "SELECT h.changed_at, h.field, h.old_value, h.new_value,"
                " b.first_name AS by_first_name, b.infix AS by_infix, b.last_name AS by_last_name"
                " FROM person_history h LEFT JOIN persons b ON b.id = h.changed_by"
                " WHERE h.person_id = $1 ORDER BY h.changed_at DESC, h.id DESC LIMIT 100",
                id) < 0
               ? NULL
               : r;
}

db_res *rel_person_audit(db_conn *c, arena *a, const char *id, int limit)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                "SELECT l.at, l.action, l.subject, l.detail, l.changes,"
                " x.first_name AS actor_first_name, x.infix AS actor_infix,"
                " x.last_name AS actor_last_name FROM audit_log l"
                " LEFT JOIN persons x ON x.id = l.actor_id"
                " WHERE l.person_id = $1 ORDER BY l.id DESC LIMIT $2",
                id, arena_printf(a, "%d", limit + 1)) < 0
               ? NULL
               : r;
}

/* UPDATE table SET cols = vals, updated_at = now WHERE id. */
static int update_row(db_conn *c, arena *a, const char *table, const char *id,
                      const char *const *cols, const char *const *vals, int n)
{
    const char **p = arena_alloc(a, (size_t)(n + 2) * sizeof *p);
    buf sql;
    buf_init(&sql, a, 512);
    buf_printf(&sql, "UPDATE %s SET ", table);
    for (int i = 0; i < n; i++) {
        buf_printf(&sql, "%s = $%d, ", cols[i], i + 1);
        p[i] = vals[i];
    }
    buf_printf(&sql, "updated_at = $%d WHERE id = $%d", n + 1, n + 2);
    p[n] = now_text(a);
    p[n + 1] = id;
    return db_query(c, a, NULL, sql.data, n + 2, p) == 1 ? 0 : -1;
}

int rel_person_update(db_conn *c, arena *a, const char *id, const char *const *cols,
                      const char *const *vals, int n)
{
    return update_row(c, a, "persons", id, cols, vals, n);
}

int rel_history_add(db_conn *c, arena *a, const char *person, long long by, const char *field,
                    const char *old_value, const char *new_value)
{
    return db_q(c, a, NULL,
                "INSERT INTO person_history (person_id, changed_at, changed_by, field, old_value,"
                " new_value) VALUES ($1, $2, $3, $4, $5, $6)",
                person, now_text(a), arena_printf(a, "%lld", by), field, old_value ? old_value : "",
                new_value ? new_value : "") == 1
               ? 0
               : -1;
}

int rel_person_set_blocked(db_conn *c, arena *a, const char *id, int blocked)
{
    return db_q(c, a, NULL, "UPDATE persons SET blocked = $1, updated_at = $2 WHERE id = $3",
                blocked ? "1" : "0", now_text(a), id) == 1
               ? 0
               : -1;
}

/* -------------------------------------------------------- memberships */

db_res *rel_membership(db_conn *c, arena *a, const char *person, const char *org, int lock)
{
    db_res *r = NULL;
    const char *sql =
        arena_printf(a,
                     "SELECT m.role, m.active, o.name AS org_name, p.first_name, p.infix,"
                     " p.last_name, p.email FROM memberships m"
                     " JOIN organisations o ON o.id = m.organisation_id"
                     " JOIN persons p ON p.id = m.person_id"
                     " WHERE m.person_id = $1 AND m.organisation_id = $2%s",
                     lock ? db_for_update(c, a, "m") : "");
    return db_q(c, a, &r, sql, person, org) < 0 ? NULL : r;
}

int rel_membership_add(db_conn *c, arena *a, const rel_member_new *m)
{
    db_res *r = rel_membership(c, a, m->person, m->org, 1);
    if (!r) return -1;
    const char *sql =
        r->nrows == 1
            ? "UPDATE memberships SET role = $3, active = 1, started_at = $4, ended_at = NULL,"
              " contact_first_name = $5, contact_infix = $6, contact_last_name = $7,"
              " contact_email = $8 WHERE person_id = $1 AND organisation_id = $2"
            : "INSERT INTO memberships (person_id, organisation_id, role, started_at,"
              " contact_first_name, contact_infix, contact_last_name, contact_email)"
              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    return db_q(c, a, NULL, sql, m->person, m->org, m->role, now_text(a), m->first_name,
                m->infix ? m->infix : "", m->last_name, m->email ? m->email : "") == 1
               ? 0
               : -1;
}

int rel_membership_set_role(db_conn *c, arena *a, const char *person, const char *org,
                            const char *role)
{
    return db_q(c, a, NULL,
                "UPDATE memberships SET role = $1 WHERE person_id = $2 AND organisation_id = $3"
                " AND active = 1",
                role, person, org) == 1
               ? 0
               : -1;
}

int rel_membership_end(db_conn *c, arena *a, const char *person, const char *org)
{
    return db_q(c, a, NULL,
                "UPDATE memberships SET active = 0, ended_at = $1 WHERE person_id = $2"
                " AND organisation_id = $3 AND active = 1",
                now_text(a), person, org) == 1
               ? 0
               : -1;
}

/* ------------------------------------------------------ organisations */

#define ORG_PARAMS (2 * SEARCH_WORDS + 2 + 2)

static void orgs_where(db_conn *c, arena *a, const rel_org_filter *f, buf *sql, const char **p,
                       int *n)
{
    buf_puts(sql, " FROM organisations o WHERE 1 = 1");
    each_word(c, a, sql, p, n, f->name, "o.name");
    one_part(c, a, sql, p, n, f->city, "(o.visit_city || ' ' || o.postal_city)");
    /* KvK numbers are digits: a prefix, spaces typed in it left out */
    const char *k = f->kvk ? f->kvk : "";
    buf digits;
    buf_init(&digits, a, 16);
    for (; *k; k++)
        if (*k >= '0' && *k <= '9') buf_putc(&digits, *k);
    if (digits.len) {
        buf_putc(&digits, '%');
        p[(*n)++] = digits.data;
        buf_printf(sql, " AND o.kvk_number LIKE $%d", *n);
    }
}

long long rel_orgs_count(db_conn *c, arena *a, const rel_org_filter *f, long long cap)
{
    const char *p[ORG_PARAMS];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one");
    orgs_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *rel_orgs(db_conn *c, arena *a, const rel_org_filter *f, const db_keyset *k)
{
    const char *p[ORG_PARAMS];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT o.id, o.name, o.visit_city, o.kvk_number,"
                   " (SELECT count(*) FROM memberships m WHERE m.organisation_id = o.id"
                   " AND m.active = 1) AS members");
    db_keyset_columns(k, &sql);
    orgs_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

db_res *rel_orgs_find(db_conn *c, arena *a, const char *q, int limit)
{
    const char *p[SEARCH_WORDS];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT o.id, o.name, o.visit_city FROM organisations o WHERE 1 = 1");
    each_word(c, a, &sql, p, &n, q, "o.name");
    buf_printf(&sql, " ORDER BY lower(o.name), o.id LIMIT %d", limit);
    return db_select(c, a, sql.data, n, p);
}

db_res *rel_org(db_conn *c, arena *a, const char *id, int lock)
{
    db_res *r = NULL;
    const char *sql = arena_printf(a, "SELECT * FROM organisations WHERE id = $1%s",
                                   lock ? db_for_update(c, a, NULL) : "");
    return db_q(c, a, &r, sql, id) < 0 ? NULL : r;
}

int rel_org_insert(db_conn *c, arena *a, const char *const *cols, const char *const *vals, int n,
                   long long *id)
{
    const char **p = arena_alloc(a, (size_t)(n + 1) * sizeof *p);
    buf sql, values;
    buf_init(&sql, a, 512);
    buf_init(&values, a, 128);
    buf_puts(&sql, "INSERT INTO organisations (");
    for (int i = 0; i < n; i++) {
        buf_printf(&sql, "%s, ", cols[i]);
        buf_printf(&values, "$%d, ", i + 1);
        p[i] = vals[i];
    }
    p[n] = now_text(a);
    buf_printf(&sql, "created_at, updated_at) VALUES (%s$%d, $%d) RETURNING id", values.data, n + 1,
               n + 1);
    db_res *r = NULL;
    if (db_query(c, a, &r, sql.data, n + 1, p) != 1) return -1;
    *id = db_int(r, 0, "id");
    return 0;
}

int rel_org_update(db_conn *c, arena *a, const char *id, const char *const *cols,
                   const char *const *vals, int n)
{
    return update_row(c, a, "organisations", id, cols, vals, n);
}
