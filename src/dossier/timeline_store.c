/* timeline_store.c - the timeline's one query (see timeline_store.h).
 *
 * Each kind of item is a branch of a UNION ALL with the same columns
 * (typed NULLs, so PostgreSQL matches the branches); the page is read by
 * key over the whole union. Only the branches of the chosen kinds are in
 * the query, and the scope's conditions are written per branch, so every
 * branch can use the person's or the organisation's index. */
#include "dossier/timeline_store.h"

#include "core/buf.h"

/* Whether this reader has not opened the message yet: each reader has
 * their own read state (message_reads, written when the message page
 * opens), so one beheerder reading an organisation's message leaves it
 * unread for the others. */
#define UNREAD_SQL                                                                                 \
    "CASE WHEN EXISTS (SELECT 1 FROM message_reads mr WHERE mr.message_id = m.id "                 \
    "AND mr.person_id = %s) THEN 0 ELSE 1 END"

/* seq = id * SEQ_STEPS + step: one number per item and step. */
#define SEQ_STEPS 8

/* The participant as the paying organisation knows them (the name its
 * beheerder typed), else as known themself, else as a bezoeker typed it. */
#define KNOWN_AS(col)                                                                              \
    "CASE WHEN m.contact_last_name <> '' THEN m.contact_" col " ELSE COALESCE(p." col              \
    ", r.applicant_" col ") END AS " col

#define REG_COLUMNS                                                                                \
    "r.id AS item_id, e.name AS title, c.name AS course_name, " KNOWN_AS(                          \
        "first_name") ", " KNOWN_AS("infix") ", " KNOWN_AS("last_name") ", o.name AS org_name, "   \
                                                                        "CAST(NULL AS TEXT) AS "   \
                                                                        "doc_kind, CAST(NULL AS "  \
                                                                        "BIGINT) AS "              \
                                                                        "amount_cents, r.status "  \
                                                                        "AS status, "              \
                                                                        "CAST(NULL AS TEXT) AS "   \
                                                                        "due_date, 0 AS unread "   \
                                                                        "FROM registrations r "    \
                                                                        "JOIN events e ON e.id = " \
                                                                        "r.event_id "              \
                                                                        "JOIN courses c ON c.id "  \
                                                                        "= e.course_id "           \
                                                                        "LEFT JOIN persons p ON "  \
                                                                        "p.id = r.person_id "      \
                                                                        "LEFT JOIN memberships m " \
                                                                        "ON m.person_id = "        \
                                                                        "r.person_id "             \
                                                                        "AND m.organisation_id = " \
                                                                        "r.organisation_id "       \
                                                                        "LEFT JOIN organisations " \
                                                                        "o ON o.id = "             \
                                                                        "r.organisation_id "

#define NO_REG_COLUMNS                                                                             \
    "CAST(NULL AS TEXT) AS course_name, CAST(NULL AS TEXT) AS first_name, "                        \
    "CAST(NULL AS TEXT) AS infix, CAST(NULL AS TEXT) AS last_name, "                               \
    "CAST(NULL AS TEXT) AS org_name, "

/* The query being built: its text and parameters. The scope's ids get a
 * parameter number when first used, so no parameter goes unused (which
 * PostgreSQL refuses). */
typedef struct q {
    arena *a;
    buf sql;
    const char *p[6];
    int n;
    const dossier_tl_scope *s;
    const char *person, *org;
} q;

static const char *param(q *x, long long v)
{
    x->p[x->n++] = arena_printf(x->a, "%lld", v);
    return arena_printf(x->a, "$%d", x->n);
}

static const char *q_person(q *x)
{
    if (!x->person) x->person = param(x, x->s->person_id);
    return x->person;
}

static const char *q_org(q *x)
{
    if (!x->org) x->org = param(x, x->s->org_id);
    return x->org;
}

static void union_next(q *x, int *first)
{
    if (!*first) buf_puts(&x->sql, " UNION ALL ");
    *first = 0;
}

/* Which registrations are in the file: see timeline_store.h. */
static const char *reg_scope(q *x)
{
    if (!x->s->org_id) return arena_printf(x->a, "r.person_id = %s", q_person(x));
    if (x->s->beheerder) return arena_printf(x->a, "r.organisation_id = %s", q_org(x));
    return arena_printf(x->a, "r.person_id = %s AND r.organisation_id = %s", q_person(x), q_org(x));
}

static void registrations(q *x, int *first)
{
    static const struct {
        const char *step, *at;
        int n;
    } steps[] = {
        /* made: on the waiting list if it still is (a later place on the
         * list keeps no moment of its own) */
        {"CASE WHEN r.status = 'wachtlijst' THEN 'wachtlijst' ELSE 'aangemeld' END", "r.created_at",
         0},
        {"'verwerkt'", "r.processed_at", 1},
        {"'geannuleerd'", "r.cancelled_at", 2},
    };
    const char *where = reg_scope(x);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        union_next(x, first);
        buf_printf(&x->sql,
                   "SELECT 'inschrijving' AS kind, %s AS step, %s AS at, r.id * %d + %d AS seq, "
                   "" REG_COLUMNS "WHERE %s AND %s IS NOT NULL",
                   steps[i].step, steps[i].at, SEQ_STEPS, steps[i].n, where, steps[i].at);
    }
}

static void messages(q *x, int *first)
{
    /* to the organisation: its beheerders (a medewerker never gets here) */
    const char *where = x->s->org_id ? arena_printf(x->a, "m.organisation_id = %s", q_org(x))
                                     : arena_printf(x->a, "m.person_id = %s", q_person(x));
    union_next(x, first);
    buf_printf(&x->sql,
               "SELECT 'bericht' AS kind, 'bericht' AS step, m.created_at AS at, "
               "m.id * %d + 5 AS seq, m.id AS item_id, m.subject AS title, " NO_REG_COLUMNS
               "CAST(NULL AS TEXT) AS doc_kind, CAST(NULL AS BIGINT) AS amount_cents, "
               "CAST(NULL AS TEXT) AS status, CAST(NULL AS TEXT) AS due_date, "
               "" UNREAD_SQL " AS unread FROM messages m WHERE %s",
               SEQ_STEPS, q_person(x), where);
}

static void invoices(q *x, db_conn *c, int *first)
{
    const char *where = x->s->org_id ? arena_printf(x->a, "i.organisation_id = %s", q_org(x))
                                     : arena_printf(x->a, "i.person_id = %s", q_person(x));
    /* An invoice is issued on its date, so its row's moment places it
     * among the steps of that day; a row written on another day (moved in
     * from elsewhere) counts at noon of its date instead. */
    const char *day = db_date_seconds(c, x->a, "i.invoice_date");
    union_next(x, first);
    buf_printf(&x->sql,
               "SELECT 'factuur' AS kind, 'factuur' AS step, CASE WHEN i.created_at >= %s - 7200 "
               "AND i.created_at < %s + 86400 THEN i.created_at ELSE %s + 43200 END AS at, "
               "i.id * %d + 6 AS seq, i.id AS item_id, i.number AS title, " NO_REG_COLUMNS
               "i.kind AS doc_kind, i.amount_cents AS amount_cents, i.status AS status, "
               "i.due_date AS due_date, 0 AS unread FROM invoices i WHERE %s",
               day, day, day, SEQ_STEPS, where);
}

int dossier_kinds_allowed(const dossier_tl_scope *s)
{
    return s->org_id && !s->beheerder ? DOSSIER_REGISTRATIONS : DOSSIER_ALL;
}

db_res *dossier_timeline(db_conn *c, arena *a, const dossier_tl_scope *s, int kinds, db_keyset *k,
                         int *more)
{
    *more = 0;
    kinds &= dossier_kinds_allowed(s);
    if (!kinds) return arena_zalloc(a, sizeof(db_res)); /* nothing this reader may see */
    q x = {.a = a, .s = s};
    buf_init(&x.sql, a, 4096);
    k->expr = "t.at";
    k->is_int = 1;
    k->id_expr = "t.seq";
    k->desc = 1;
    k->before = 0;
    buf_puts(&x.sql, "SELECT t.*");
    db_keyset_columns(k, &x.sql);
    buf_puts(&x.sql, " FROM (");
    int first = 1;
    if (kinds & DOSSIER_REGISTRATIONS) registrations(&x, &first);
    if (kinds & DOSSIER_MESSAGES) messages(&x, &first);
    if (kinds & DOSSIER_INVOICES) invoices(&x, c, &first);
    buf_puts(&x.sql, ") t WHERE 1 = 1");
    db_keyset_where(k, &x.sql, x.p, &x.n);
    db_keyset_tail(k, &x.sql);
    db_res *r = db_select(c, a, x.sql.data, x.n, x.p);
    if (r) *more = db_keyset_finish(k, r);
    return r;
}
