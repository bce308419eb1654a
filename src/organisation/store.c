/* store.c - the organisation feature's queries (see organisation.h). */
#include "organisation/organisation.h"

#include <string.h>

#include "auth/token.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/queue.h"

static const char *id_text(arena *a, long long id)
{
    return arena_printf(a, "%lld", id);
}

db_res *org_get(db_conn *c, arena *a, long long org_id)
{
    db_res *r = NULL;
    return db_q(c, a, &r, "SELECT * FROM organisations WHERE id = $1", id_text(a, org_id)) < 0
               ? NULL
               : r;
}

/* The names and address the organisation typed, kept on the membership:
 * never the persons row's own name or data, which belong to the person.
 * Of the person only whether they can log in (login, see organisation.h):
 * an invitation counts while its email waits in the outbox (the link is
 * made when it is sent) or its link still works; $1 is now. */
#define CONTACT_COLUMNS                                                                            \
    "SELECT m.person_id, m.contact_first_name AS first_name, m.contact_infix AS infix,"            \
    " m.contact_last_name AS last_name, m.contact_email AS email, m.role, m.job_title,"            \
    " m.department, m.work_phone, m.work_email,"                                                   \
    " CASE WHEN p.email = '' THEN 0 ELSE 1 END AS has_address,"                                    \
    " CASE WHEN p.blocked = 1 THEN '" ORG_LOGIN_BLOCKED "'"                                        \
    " WHEN p.password_hash IS NOT NULL OR p.activated_at IS NOT NULL THEN '" ORG_LOGIN_ACTIVE "'"  \
    " WHEN EXISTS (SELECT 1 FROM account_tokens t WHERE t.person_id = p.id"                        \
    " AND t.kind = 'activatie' AND t.used_at IS NULL AND t.expires_at > $1)"                       \
    " OR EXISTS (SELECT 1 FROM outbox o WHERE o.sent_at IS NULL"                                   \
    " AND o.link_kind = 'activatie' AND o.link_person_id = p.id"                                   \
    " AND o.next_attempt_at < " DB_QUEUE_NEVER_SQL ") THEN '" ORG_LOGIN_INVITED "'"                \
    " ELSE '" ORG_LOGIN_NONE "' END AS login"                                                      \
    " FROM memberships m JOIN persons p ON p.id = m.person_id"

db_res *org_contacts(db_conn *c, arena *a, long long org_id)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                CONTACT_COLUMNS " WHERE m.organisation_id = $2 AND m.active = 1"
                                " ORDER BY m.contact_last_name, m.contact_first_name",
                id_text(a, (long long)clock_now()), id_text(a, org_id)) < 0
               ? NULL
               : r;
}

db_res *org_contact(db_conn *c, arena *a, long long org_id, const char *person_id)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                CONTACT_COLUMNS
                " WHERE m.organisation_id = $2 AND m.person_id = $3 AND m.active = 1",
                id_text(a, (long long)clock_now()), id_text(a, org_id), person_id) < 0
               ? NULL
               : r;
}

long long org_other_beheerders(db_conn *c, arena *a, long long org_id, const char *person_id)
{
    db_res *r = NULL;
    if (db_q(c, a, &r,
             "SELECT count(*) AS n FROM memberships WHERE organisation_id = $1 AND active = 1"
             " AND role = 'beheerder' AND person_id <> $2",
             id_text(a, org_id), person_id) < 0)
        return -1;
    return db_int(r, 0, "n");
}

/* ------------------------------------------------------------ the lookup */

/* At most this many words of a search term count; more say nothing new. */
#define PEOPLE_WORDS 6

/* FROM and WHERE of both lookup queries: the organisation's active
 * contacts; each word of q must occur somewhere in the name or address
 * the organisation typed ("jan vries" finds Jan de Vries), case-insensitive
 * on both databases (db_ilike). */
static void people_where(db_conn *c, arena *a, const org_people_filter *f, buf *sql, const char **p,
                         int *n)
{
    p[(*n)++] = id_text(a, f->org_id);
    buf_puts(sql, " FROM memberships m WHERE m.organisation_id = $1 AND m.active = 1");
    const char *s = f->q ? f->q : "";
    for (int words = 0; words < PEOPLE_WORDS;) {
        s += strspn(s, " \t");
        size_t len = strcspn(s, " \t");
        if (!len) break;
        p[(*n)++] = db_like_contains(a, s, len);
        buf_printf(sql,
                   " AND (m.contact_first_name || ' ' || m.contact_infix || ' ' ||"
                   " m.contact_last_name || ' ' || m.contact_email) %s $%d ESCAPE '\\'",
                   db_ilike(c), *n);
        s += len;
        words++;
    }
}

long long org_people_count(db_conn *c, arena *a, const org_people_filter *f, long long cap)
{
    const char *p[PEOPLE_WORDS + 1];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one");
    people_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *org_people(db_conn *c, arena *a, const org_people_filter *f, const db_keyset *k)
{
    const char *p[PEOPLE_WORDS + 3];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT m.person_id, m.contact_first_name AS first_name,"
                   " m.contact_infix AS infix, m.contact_last_name AS last_name,"
                   " m.contact_email AS email, m.job_title");
    db_keyset_columns(k, &sql);
    people_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}
