/* store.c - the dossier's queries and its one write: a message with its
 * attachments, the audit line and the notification mails in one
 * transaction, so a recipient is never told of a message that is not
 * there, and a refused write leaves nothing behind. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "dossier/internal.h"
#include "mail/mail.h"
#include "mail/render.h"

db_res *dossier_person(db_conn *c, arena *a, const char *id)
{
    return db_select(c, a,
                     "SELECT id, first_name, infix, last_name, email FROM persons WHERE id = $1", 1,
                     (const char *[]){id});
}

db_res *dossier_org(db_conn *c, arena *a, const char *id)
{
    return db_select(c, a, "SELECT id, name FROM organisations WHERE id = $1", 1,
                     (const char *[]){id});
}

/* The WHERE clause of a dossier and its parameter. */
static const char *owner_where(const dossier_owner *o, const char **param)
{
    *param = o->person_id ? o->person_id : o->org_id;
    return o->person_id ? "m.person_id = $1" : "m.organisation_id = $1";
}

db_res *dossier_list(db_conn *c, arena *a, const dossier_owner *o)
{
    const char *p;
    const char *w = owner_where(o, &p);
    return db_select(c, a,
                     arena_printf(a,
                                  "SELECT m.id, m.subject, m.created_at, p.first_name AS "
                                  "author_first, p.infix AS author_infix, p.last_name AS "
                                  "author_last, (SELECT count(*) FROM attachments t WHERE "
                                  "t.message_id = m.id) AS attachments FROM messages m LEFT JOIN "
                                  "persons p ON p.id = m.created_by WHERE %s ORDER BY "
                                  "m.created_at DESC, m.id DESC LIMIT %d",
                                  w, DOSSIER_LIST_MAX),
                     1, (const char *[]){p});
}

db_res *dossier_list_reads(db_conn *c, arena *a, const dossier_owner *o)
{
    const char *p;
    const char *w = owner_where(o, &p);
    return db_select(c, a,
                     arena_printf(a,
                                  "SELECT r.message_id, r.read_at, p.first_name, p.infix, "
                                  "p.last_name FROM message_reads r JOIN messages m ON m.id = "
                                  "r.message_id JOIN persons p ON p.id = r.person_id WHERE %s "
                                  "ORDER BY r.message_id, r.read_at, p.id",
                                  w),
                     1, (const char *[]){p});
}

/* ---- the write ---- */

static char *base64(arena *a, const char *data, size_t len)
{
    size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(a, n);
    sodium_bin2base64(out, n, (const unsigned char *)data, len, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

/* "rooster.pdf (120 kB), foto.jpg (2,1 MB)" for the audit line. */
static const char *files_text(arena *a, const dossier_new *n)
{
    buf b;
    buf_init(&b, a, 128);
    for (int i = 0; i < n->nfiles; i++) {
        size_t kb = (n->files[i].len + 1023) / 1024;
        buf_printf(&b, "%s%s (%zu kB)", i ? ", " : "", n->files[i].name, kb);
    }
    return b.data;
}

/* The notice to one reader: that there is a message, and where; never its
 * subject or text, which may be personal and mail is not the portal. */
static int notify(db_conn *c, arena *a, const dossier_new *n, const char *to, const char *first,
                  const char *full, const char *org)
{
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "subject", "Nieuw bericht in uw Digitaal Dossier");
    tv_set_str(ctx, "first_name", first);
    tv_set_str(ctx, "org", org);
    tv_set_str(ctx, "link", arena_printf(a, "%s/mijn/dossier/berichten/%lld", n->base_url, n->id));
    mail_msg m;
    if (mail_render(n->tmpl, a, "dossier_message", ctx, &m) != 0) return -1;
    m.to_address = to;
    m.to_name = full;
    return mail_enqueue(c, a, &m) > 0 ? 0 : -1;
}

static int notify_all(db_conn *c, arena *a, const dossier_new *n)
{
    const dossier_owner *o = n->to;
    if (o->person_id) {
        if (!o->email || !*o->email) return 0; /* no address: it waits in the dossier */
        db_res *p = dossier_person(c, a, o->person_id);
        if (!p || p->nrows != 1) return -1;
        return notify(c, a, n, o->email, db_val(p, 0, "first_name"), o->name, NULL);
    }
    db_res *b = db_select(c, a,
                          "SELECT p.first_name, p.infix, p.last_name, p.email FROM memberships m "
                          "JOIN persons p ON p.id = m.person_id WHERE m.organisation_id = $1 AND "
                          "m.active = 1 AND m.role = 'beheerder' AND p.email <> '' ORDER BY p.id",
                          1, (const char *[]){o->org_id});
    if (!b) return -1;
    for (int i = 0; i < b->nrows; i++) {
        const char *full = names_full(a, db_val(b, i, "first_name"), db_val(b, i, "infix"),
                                      db_val(b, i, "last_name"));
        if (notify(c, a, n, db_val(b, i, "email"), db_val(b, i, "first_name"), full, o->name) != 0)
            return -1;
    }
    return 0;
}

static int write_tx(db_conn *c, arena *a, void *arg)
{
    dossier_new *n = arg;
    const dossier_owner *o = n->to;
    db_res *r;
    if (db_q(c, a, &r,
             "INSERT INTO messages (person_id, organisation_id, subject, body, created_by, "
             "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             o->person_id, o->org_id, n->subject, n->body, dossier_num(a, n->actor),
             dossier_num(a, (long long)clock_now())) != 1)
        return -1;
    n->id = db_int(r, 0, "id");
    const char *mid = db_val(r, 0, "id");
    for (int i = 0; i < n->nfiles; i++) {
        const dossier_file *f = &n->files[i];
        if (db_q(c, a, NULL,
                 "INSERT INTO attachments (message_id, filename, content_type, size_bytes, "
                 "data_base64) VALUES ($1, $2, $3, $4, $5)",
                 mid, f->name, f->content_type, dossier_num(a, (long long)f->len),
                 base64(a, f->data, f->len)) != 1)
            return -1;
    }
    audit_entry e;
    audit_begin(&e, a, n->actor, n->client_ip, "bericht_verstuurd", n->subject);
    e.person_id = o->person_id ? atoll(o->person_id) : 0;
    e.org_id = o->org_id ? atoll(o->org_id) : 0;
    e.detail = arena_printf(a, "bericht %lld", n->id);
    audit_field(&e, "onderwerp", "", n->subject);
    audit_field(&e, "tekst", "", arena_printf(a, "%zu tekens", strlen(n->body)));
    audit_field(&e, "bijlagen", "", files_text(a, n));
    if (audit_write(c, a, &e) != 0) return -1;
    return notify_all(c, a, n);
}

int dossier_write(db_conn *c, arena *a, dossier_new *n)
{
    return db_tx(c, a, write_tx, n) == 0 ? 0 : -1;
}

/* ---- what a reader may see ---- */

/* The condition on messages m for the scope, with its parameter in *p.
 * NULL when the scope sees nothing. */
static const char *scope_where(arena *a, const dossier_scope *s, const char **p)
{
    if (s->sees_nothing) return NULL;
    if (s->org_id) {
        *p = dossier_num(a, s->org_id);
        return "m.organisation_id = $1";
    }
    *p = dossier_num(a, s->person_id);
    return "m.person_id = $1";
}

/* A result without rows, for a scope that sees nothing. */
static db_res *no_rows(arena *a)
{
    db_res *r = arena_alloc(a, sizeof *r);
    memset(r, 0, sizeof *r);
    return r;
}

db_res *dossier_message(db_conn *c, arena *a, const dossier_scope *s, const char *id)
{
    const char *p;
    const char *w = scope_where(a, s, &p);
    if (!w) return no_rows(a);
    return db_select(c, a,
                     arena_printf(a,
                                  "SELECT m.id, m.subject, m.body, m.created_at, "
                                  "m.organisation_id FROM messages m WHERE %s AND m.id = $2",
                                  w),
                     2, (const char *[]){p, id});
}

db_res *dossier_attachments(db_conn *c, arena *a, const char *message_id)
{
    return db_select(c, a,
                     "SELECT id, filename, content_type, size_bytes FROM attachments WHERE "
                     "message_id = $1 ORDER BY id",
                     1, (const char *[]){message_id});
}

db_res *dossier_attachment(db_conn *c, arena *a, const dossier_scope *s, const char *id)
{
    const char *p;
    const char *w = scope_where(a, s, &p);
    if (!w) return no_rows(a);
    return db_select(c, a,
                     arena_printf(a,
                                  "SELECT t.filename, t.content_type, t.data_base64 FROM "
                                  "attachments t JOIN messages m ON m.id = t.message_id WHERE %s "
                                  "AND t.id = $2",
                                  w),
                     2, (const char *[]){p, id});
}

int dossier_mark_read(db_conn *c, arena *a, const char *message_id, long long reader)
{
    return db_q(c, a, NULL,
                "INSERT INTO message_reads (message_id, person_id, read_at) VALUES ($1, $2, $3) "
                "ON CONFLICT (message_id, person_id) DO NOTHING",
                message_id, dossier_num(a, reader), dossier_num(a, (long long)clock_now())) < 0
               ? -1
               : 0;
}

long long dossier_unread(db_conn *c, arena *a, const dossier_scope *s)
{
    const char *p;
    const char *w = scope_where(a, s, &p);
    if (!w) return 0;
    db_res *r = db_select(c, a,
                          arena_printf(a,
                                       "SELECT count(*) AS n FROM messages m WHERE %s AND NOT "
                                       "EXISTS (SELECT 1 FROM message_reads r WHERE r.message_id "
                                       "= m.id AND r.person_id = $2)",
                                       w),
                          2, (const char *[]){p, dossier_num(a, s->person_id)});
    return r && r->nrows == 1 ? db_int(r, 0, "n") : -1;
}
