/* audit.c - see audit.h */
#include "auth/audit.h"

#include <string.h>
#include <time.h>

#include <stdio.h>

#include "core/timeutil.h"

static const char *id_or_null(arena *a, long long id)
{
    return id > 0 ? arena_printf(a, "%lld", id) : NULL;
}

int audit_log(db_conn *c, arena *a, long long actor_id, const char *client_ip, const char *action,
              const char *subject, const char *detail)
{
    audit_entry e;
    audit_begin(&e, a, actor_id, client_ip, action, subject);
    e.detail = detail;
    return audit_write(c, a, &e);
}

void audit_begin(audit_entry *e, arena *a, long long actor_id, const char *client_ip,
                 const char *action, const char *subject)
{
    memset(e, 0, sizeof *e);
    e->actor_id = actor_id;
    e->client_ip = client_ip;
    e->action = action;
    e->subject = subject;
    buf_init(&e->changes, a, 128);
}

/* A value on one line of its own: the separators become spaces. */
static void put_flat(buf *b, const char *s)
{
    for (; s && *s; s++)
        buf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

void audit_field(audit_entry *e, const char *field, const char *old, const char *new_value)
{
    if (strcmp(old ? old : "", new_value ? new_value : "") == 0) return;
    put_flat(&e->changes, field);
    buf_putc(&e->changes, '\t');
    put_flat(&e->changes, old);
    buf_putc(&e->changes, '\t');
    put_flat(&e->changes, new_value);
    buf_putc(&e->changes, '\n');
    e->nchanges++;
}

int audit_write(db_conn *c, arena *a, const audit_entry *e)
{
    const char *changes = e->changes.data && e->changes.len ? e->changes.data : "";
    return db_q(c, a, NULL,
                "INSERT INTO audit_log (at, actor_id, client_ip, action, subject, detail,"
                " person_id, organisation_id, event_id, changes)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                arena_printf(a, "%lld", (long long)clock_now()), id_or_null(a, e->actor_id),
                e->client_ip ? e->client_ip : "", e->action, e->subject ? e->subject : "",
                e->detail ? e->detail : "", id_or_null(a, e->person_id), id_or_null(a, e->org_id),
                id_or_null(a, e->event_id), changes) < 0
               ? -1
               : 0;
}

int audit_changes_split(arena *a, const char *text, audit_change *out, int max)
{
    int n = 0;
    const char *p = text ? text : "";
    while (*p && n < max) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *line = arena_strndup(a, p, len);
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (t2 && !strchr(t2 + 1, '\t')) {
            *t1 = *t2 = '\0';
            out[n].field = line;
            out[n].old = t1 + 1;
            out[n].new_value = t2 + 1;
            n++;
        }
        p += len + (end ? 1 : 0);
    }
    return n;
}

/* The first second of a day (business time), plus `days`. */
static const char *day_start(arena *a, const char *iso, int days)
{
    struct tm tm = {0};
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) return "0";
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d + days;
    tm.tm_isdst = -1;
    return arena_printf(a, "%lld", (long long)mktime(&tm));
}

#define AUDIT_FROM " FROM audit_log a LEFT JOIN persons p ON p.id = a.actor_id WHERE 1 = 1"

/* The WHERE conditions of f, parameters from params[*n] on. */
static void audit_where(db_conn *c, arena *a, const audit_filter *f, buf *sql, const char **params,
                        int *n)
{
    if (f->person_id) {
        params[*n] = arena_printf(a, "%lld", f->person_id);
        buf_printf(sql, " AND (a.person_id = $%d OR a.actor_id = $%d)", *n + 1, *n + 1);
        (*n)++;
    }
    if (f->org_id) {
        params[*n] = arena_printf(a, "%lld", f->org_id);
        buf_printf(sql, " AND a.organisation_id = $%d", ++*n);
    }
    if (f->event_id) {
        params[*n] = arena_printf(a, "%lld", f->event_id);
        buf_printf(sql, " AND a.event_id = $%d", ++*n);
    }
    if (f->from) {
        params[*n] = day_start(a, f->from, 0);
        buf_printf(sql, " AND a.at >= $%d", ++*n);
    }
    if (f->to) {
        params[*n] = day_start(a, f->to, 1);
        buf_printf(sql, " AND a.at < $%d", ++*n);
    }
    if (f->text && *f->text) {
        params[*n] = db_like_contains(a, f->text, strlen(f->text));
        const char *like = db_ilike(c);
        buf_printf(sql,
                   " AND (a.action %s $%d ESCAPE '\\' OR a.subject %s $%d ESCAPE '\\'"
                   " OR coalesce(p.email, '') %s $%d ESCAPE '\\'"
                   " OR coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')"
                   " %s $%d ESCAPE '\\')",
                   like, *n + 1, like, *n + 1, like, *n + 1, like, *n + 1);
        (*n)++;
    }
}

long long audit_count(db_conn *c, arena *a, const audit_filter *f, long long cap)
{
    const char *params[8];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one" AUDIT_FROM);
    audit_where(c, a, f, &sql, params, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, params);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *audit_page(db_conn *c, arena *a, const audit_filter *f, const db_keyset *k)
{
    const char *params[10];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT a.id, a.at, a.action, a.subject, a.detail, a.changes, a.person_id,"
                   " a.organisation_id, a.event_id, a.client_ip, p.email AS actor_email,"
                   " p.first_name AS actor_first, p.infix AS actor_infix,"
                   " p.last_name AS actor_last");
    db_keyset_columns(k, &sql);
    buf_puts(&sql, AUDIT_FROM);
    audit_where(c, a, f, &sql, params, &n);
    db_keyset_where(k, &sql, params, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, params);
}
