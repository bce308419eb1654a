/* message.c - the customer's side of a message: /mijn/dossier/berichten/<id>
 * shows it (its Markdown through the safe renderer) and marks it read for
 * this reader; /mijn/dossier/bijlagen/<id> downloads an attachment; and the
 * Mijn menu's unread count.
 *
 * Rights: in person context the messages to the person; in organisation
 * context the organisation's, for its beheerders only (a medewerker sees
 * none). Every query is scoped by the session, so anyone else's id is not
 * found and answers the same 404 as an unknown one. Opening marks read on
 * GET on purpose: reading is what the mark records, and the insert is
 * idempotent, so a reload or a prefetch changes nothing more. */
#include <sodium.h>
#include <string.h>

#include "auth/session.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "dossier/internal.h"
#include "http/download.h"
#include "web/markdown.h"
#include "web/page.h"

static dossier_scope scope_of(const http_req *rq)
{
    const auth_ctx *u = auth_user(rq);
    return (dossier_scope){
        .person_id = u->person_id, .org_id = u->org_id, .sees_nothing = u->org_id && !u->beheerder};
}

/* The id in the path, or NULL (the caller answers 404). */
static const char *path_id(const http_req *rq)
{
    const char *id = req_param(rq, "id");
    return id && field_valid(FK_ID, id, strlen(id)) ? id : NULL;
}

/* "12 kB", "1,3 MB" */
static const char *size_text(arena *a, long long bytes)
{
    if (bytes < 1024 * 1024) return arena_printf(a, "%lld kB", (bytes + 1023) / 1024);
    long long tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    return arena_printf(a, "%lld,%lld MB", tenths / 10, tenths % 10);
}

/* What the stored type is called for a reader. */
static const char *type_text(const char *ct)
{
    static const struct {
        const char *prefix, *text;
    } names[] = {
        {"application/pdf", "PDF"},
        {"image/png", "PNG-afbeelding"},
        {"image/jpeg", "JPEG-afbeelding"},
        {"text/csv", "CSV-bestand"},
        {"text/plain", "Tekstbestand"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml", "Word-document"},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml", "Excel-werkmap"},
        {"application/vnd.openxmlformats-officedocument.presentationml", "PowerPoint"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strncmp(ct, names[i].prefix, strlen(names[i].prefix)) == 0) return names[i].text;
    return ct;
}

static void message_get(http_req *rq, http_resp *rs)
{
    const char *id = path_id(rq);
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    dossier_scope s = scope_of(rq);
    db_conn *c = req_db(rq);
    db_res *m = dossier_message(c, rq->a, &s, id);
    if (page_one_row(rq, rs, m) != 0) return;
    db_res *att = dossier_attachments(c, rq->a, id);
    if (!att || dossier_mark_read(c, rq->a, id, s.person_id) != 0) {
        page_db_error(rq, rs);
        return;
    }
    const char *subject = db_val(m, 0, "subject");
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Digitaal Dossier", "/mijn/dossier");
    page_crumb(rq, ctx, subject, NULL);
    tv_set_str(ctx, "subject", subject);
    tv_set_str(ctx, "sent", moment_nl(rq->a, db_int(m, 0, "created_at")));
    tv_set_str(ctx, "html", markdown_html(rq->a, db_val(m, 0, "body")));
    tv *list = tv_set_list(ctx, "attachments");
    for (int i = 0; i < att->nrows; i++) {
        tv *row = tv_push_obj(list);
        tv_set_str(row, "href",
                   arena_printf(rq->a, "/mijn/dossier/bijlagen/%s", db_val(att, i, "id")));
        tv_set_str(row, "name", db_val(att, i, "filename"));
        tv_set_str(row, "type", type_text(db_val(att, i, "content_type")));
        tv_set_str(row, "size", size_text(rq->a, db_int(att, i, "size_bytes")));
    }
    tv_set_bool(ctx, "has_attachments", att->nrows > 0);
    page_render(rq, rs, "dossier/message", ctx, subject, NAV_MIJN);
    resp_header(rs, rq->a, "Cache-Control", "private, no-store");
}

static void attachment_get(http_req *rq, http_resp *rs)
{
    const char *id = path_id(rq);
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    dossier_scope s = scope_of(rq);
    db_res *r = dossier_attachment(req_db(rq), rq->a, &s, id);
    if (page_one_row(rq, rs, r) != 0) return;
    const char *b64 = db_val(r, 0, "data_base64");
    size_t cap = strlen(b64) / 4 * 3 + 3, len = 0;
    unsigned char *bin = arena_alloc(rq->a, cap);
    if (sodium_base642bin(bin, cap, b64, strlen(b64), " \r\n", &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        log_error("bijlage %s: de opgeslagen inhoud is geen base64", id);
        page_error(rq, rs, 500);
        return;
    }
    resp_download(rs, rq->a, db_val(r, 0, "content_type"), db_val(r, 0, "filename"));
    resp_header(rs, rq->a, "Cache-Control", "private, no-store");
    buf_add(&rs->body, bin, len);
}

/* The Mijn menu's number: unread messages of the current context. */
static long long unread(http_req *rq)
{
    if (!auth_user(rq)->person_id) return 0;
    dossier_scope s = scope_of(rq);
    db_conn *c = req_db(rq);
    if (!c) return -1;
    long long n = dossier_unread(c, rq->a, &s);
    if (n < 0) log_error("ongelezen berichten: %s", db_errmsg(c));
    return n;
}

static const route routes[] = {
    {"GET", "/mijn/dossier/berichten/:id", message_get, NULL, RF_LOGIN},
    {"GET", "/mijn/dossier/bijlagen/:id", attachment_get, NULL, RF_LOGIN},
};

void dossier_message_routes(router *r)
{
    router_add_all(r, routes);
    if (page_set_badge("/mijn/dossier", unread, "ongelezen bericht", "ongelezen berichten") != 0)
        router_refuse(r, "het aantal ongelezen berichten kan niet in het menu");
}
