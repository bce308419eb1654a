/* audit.c - see audit.h */
#include "auth/audit.h"

#include <string.h>

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
        if (t2) {
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
