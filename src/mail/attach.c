/* attach.c - files sent with a mail (see mail.h): checked, stored next to
 * the outbox row in the caller's transaction, read back by the sender. */
#include <string.h>

#include "core/log.h"
#include "core/utf8.h"
#include "mail/internal.h"

#define FILENAME_MAX_BYTES 200
#define CONTENT_TYPE_MAX 100

/* Well-formed UTF-8 without control characters, path separators or a
 * leading dot: a name a mail reader may save the file under as it is. */
static int valid_filename(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > FILENAME_MAX_BYTES || s[0] == '.' || !utf8_valid(s, n)) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\') return 0;
    return 1;
}

/* "type/subtype" then optional "; name=value" parameters, all printable
 * ASCII without quotes or backslashes: it goes into a header as it is. */
static int valid_content_type(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CONTENT_TYPE_MAX) return 0;
    size_t type = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-");
    if (type == 0 || s[type] != '/') return 0;
    size_t sub =
        strspn(s + type + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-");
    const char *rest = s + type + 1 + sub;
    if (sub == 0 || (*rest && *rest != ';')) return 0;
    for (const unsigned char *p = (const unsigned char *)rest; *p; p++)
        if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\') return 0;
    return 1;
}

const char *mail_attachment_check(const mail_attachment *f)
{
    if (!f || !f->filename || !valid_filename(f->filename)) return "ongeldige bestandsnaam";
    if (!f->content_type || !valid_content_type(f->content_type)) return "ongeldig bestandstype";
    if (!f->data || f->len == 0) return "leeg bestand";
    if (f->len > MAIL_ATTACHMENT_MAX) return "bestand te groot";
    return NULL;
}

int mail_attach(db_conn *c, arena *a, long long outbox_id, const mail_attachment *f)
{
    const char *why = outbox_id > 0 ? mail_attachment_check(f) : "geen bericht";
    const char *id = arena_printf(a, "%lld", outbox_id);
    db_res *r = NULL;
    if (!why && db_q(c, a, &r, "SELECT count(*) AS n FROM outbox_attachments WHERE outbox_id = $1",
                     id) != 1)
        return -1;
    if (!why && db_int(r, 0, "n") >= MAIL_ATTACHMENTS_MAX) why = "te veel bijlagen";
    if (why) {
        log_error("bijlage niet toegevoegd: %s", why);
        return -1;
    }
    const char *params[] = {id, f->filename, f->content_type, f->data};
    const size_t lens[] = {DB_TEXT, DB_TEXT, DB_TEXT, f->len};
    if (db_query_bin(c, a, NULL,
                     "INSERT INTO outbox_attachments (outbox_id, filename, content_type, data)"
                     " VALUES ($1, $2, $3, $4)",
                     4, params, lens) != 1) {
        log_error("bijlage niet toegevoegd: %s", db_errmsg(c));
        return -1;
    }
    return 0;
}

int mail_attachments_load(db_conn *c, arena *a, long long id, mail_msg *m)
{
    db_res *r = NULL;
    if (db_q(c, a, &r,
             "SELECT filename, content_type, data FROM outbox_attachments WHERE outbox_id = $1"
             " ORDER BY id",
             arena_printf(a, "%lld", id)) < 0)
        return -1;
    if (r->nrows == 0) return 0;
    mail_attachment *files = arena_zalloc(a, sizeof *files * (size_t)r->nrows);
    for (int i = 0; i < r->nrows; i++) {
        files[i].filename = db_val(r, i, "filename");
        files[i].content_type = db_val(r, i, "content_type");
        files[i].data = db_blob(r, a, i, "data", &files[i].len);
    }
    m->attachments = files;
    m->nattachments = r->nrows;
    return 0;
}
