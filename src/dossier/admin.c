/* admin.c - a dossier in the back office: /beheer/personen/<id>/dossier
 * and /beheer/organisaties/<id>/dossier list the messages written there
 * with who has read them, and hold the form Nieuw bericht (subject, text in
 * Markdown with a preview, attachments). Staff only (RF_STAFF); the id in
 * the path is looked up, so an unknown one is 404.
 *
 * An attachment is judged by its bytes (core/filetype.h), never by the
 * type the browser declared: its kind must be one we accept and the one
 * its name's extension promises. One refused file refuses the message:
 * the form comes back with the text kept and nothing is stored. */
#include <string.h>

#include "auth/session.h"
#include "core/filetype.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "dossier/internal.h"
#include "mail/mail.h"
#include "web/flash.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/webform.h"

#define MSG_TOO_MANY "Voeg hoogstens 5 bijlagen toe."
#define MSG_EMPTY_FILE "Het bestand %s is leeg."
#define MSG_TOO_BIG "Het bestand %s is %s; een bijlage mag hoogstens 4 MB zijn."
#define MSG_MISMATCH                                                                               \
    "Het bestand %s is geen %s: de inhoud past niet bij de naam. Er is niets verstuurd."
#define MSG_UNKNOWN                                                                                \
    "Het bestand %s kan niet als bijlage mee. Toegestaan zijn PDF, Word (.docx), Excel (.xlsx), "  \
    "PowerPoint (.pptx), PNG, JPEG en tekst (.txt, .csv)."

static const wf_field msg_field_defs[] = {
    {"onderwerp", "Onderwerp", WF_LINE, 200, "Vul een onderwerp in.", NULL, NULL, 0, NULL},
    {"tekst", "Tekst", WF_TEXT, DOSSIER_BODY_MAX, "Vul de tekst in.",
     "In Markdown: **vet**, *cursief*, een lege regel tussen alinea's, [tekst](https://…) voor "
     "een link. De e-mail aan de ontvanger noemt alleen dat er een bericht is, nooit de inhoud.",
     NULL, 0, NULL},
};
static const webform msg_form = WEBFORM(msg_field_defs);
enum { F_SUBJECT, F_BODY, N_FIELDS };

static const field_spec msg_extra[] = {
    {"actie", IN_FORM, FK_SLUG, 20},
    {NULL, 0, 0, 0},
};
static field_spec msg_inputs[N_FIELDS + 2];

/* The dossier the path names, looked up; NULL after answering 404/500. */
static const dossier_owner *owner_of(http_req *rq, http_resp *rs, int person)
{
    const char *id = req_param(rq, "id");
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return NULL;
    }
    db_conn *c = req_db(rq);
    db_res *r = person ? dossier_person(c, rq->a, id) : dossier_org(c, rq->a, id);
    if (page_one_row(rq, rs, r) != 0) return NULL;
    dossier_owner *o = arena_alloc(rq->a, sizeof *o);
    memset(o, 0, sizeof *o);
    if (person) {
        o->person_id = db_val(r, 0, "id");
        o->name = names_full(rq->a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"),
                             db_val(r, 0, "last_name"));
        o->email = db_val(r, 0, "email");
    } else {
        o->org_id = db_val(r, 0, "id");
        o->name = db_val(r, 0, "name");
    }
    return o;
}

static const char *owner_path(arena *a, const dossier_owner *o)
{
    return o->person_id ? arena_printf(a, "/beheer/personen/%s", o->person_id)
                        : arena_printf(a, "/beheer/organisaties/%s", o->org_id);
}

/* "Gelezen door Deby Rummens (3 mei 2026 10:12)" per message, from the
 * reads (ordered by message). */
static const char *read_text(arena *a, const db_res *reads, const char *mid)
{
    buf b;
    buf_init(&b, a, 64);
    for (int i = 0; i < reads->nrows; i++) {
        if (strcmp(db_val(reads, i, "message_id"), mid) != 0) continue;
        buf_printf(&b, "%s%s (%s)", b.len ? ", " : "",
                   names_full(a, db_val(reads, i, "first_name"), db_val(reads, i, "infix"),
                              db_val(reads, i, "last_name")),
                   moment_nl(a, db_int(reads, i, "read_at")));
    }
    return b.len ? b.data : NULL;
}

static int put_messages(http_req *rq, tv *ctx, const dossier_owner *o)
{
    db_conn *c = req_db(rq);
    db_res *m = dossier_list(c, rq->a, o);
    db_res *reads = m ? dossier_list_reads(c, rq->a, o) : NULL;
    if (!reads) return -1;
    tv *list = tv_set_list(ctx, "messages");
    for (int i = 0; i < m->nrows; i++) {
        tv *row = tv_push_obj(list);
        tv_set_str(row, "subject", db_val(m, i, "subject"));
        tv_set_str(row, "sent", moment_nl(rq->a, db_int(m, i, "created_at")));
        tv_set_str(row, "author",
                   names_full(rq->a, db_val(m, i, "author_first"), db_val(m, i, "author_infix"),
                              db_val(m, i, "author_last")));
        tv_set_int(row, "attachments", db_int(m, i, "attachments"));
        tv_set_str(row, "read", read_text(rq->a, reads, db_val(m, i, "id")));
    }
    tv_set_bool(ctx, "has_messages", m->nrows > 0);
    return 0;
}

/* The page: the messages, then the form (values, errors, preview). */
static void dossier_page(http_req *rq, http_resp *rs, const dossier_owner *o, const wf_values *v,
                         const char *file_error, int preview)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    if (o->person_id)
        page_crumb(rq, ctx, "Personen", "/beheer/personen");
    else
        page_crumb(rq, ctx, "Organisaties", "/beheer/organisaties");
    page_crumb(rq, ctx, o->name, owner_path(rq->a, o));
    page_crumb(rq, ctx, "Digitaal Dossier", NULL);
    if (put_messages(rq, ctx, o) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv_set_str(ctx, "name", o->name);
    tv_set_bool(ctx, "org", o->org_id != NULL);
    tv_set_bool(ctx, "no_address", o->person_id && (!o->email || !*o->email));
    tv_set_str(ctx, "action", arena_printf(rq->a, "%s/dossier", owner_path(rq->a, o)));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    webform_put(rq, ctx, &msg_form, v);
    if (file_error) {
        tv_set_bool(ctx, "wf_failed", 1);
        tv *errs = tv_get(ctx, "wf_errors");
        if (!errs) errs = tv_set_list(ctx, "wf_errors");
        tv *e = tv_push_obj(errs);
        tv_set_str(e, "name", "bijlagen");
        tv_set_str(e, "label", "Bijlagen");
        tv_set_str(e, "error", file_error);
        tv_set_str(ctx, "file_error", file_error);
    }
    if (preview) {
        tv *p = tv_set_obj(ctx, "preview");
        tv_set_str(p, "title", v->shown[F_SUBJECT] ? v->shown[F_SUBJECT] : "");
        tv_set_str(p, "html", markdown_html(rq->a, v->shown[F_BODY] ? v->shown[F_BODY] : ""));
    }
    page_render(rq, rs, "beheer/dossier", ctx, arena_printf(rq->a, "Digitaal Dossier %s", o->name),
                NAV_BEHEER);
}

static void get_any(http_req *rq, http_resp *rs, int person)
{
    const dossier_owner *o = owner_of(rq, rs, person);
    if (o) dossier_page(rq, rs, o, webform_values(rq->a, &msg_form), NULL, 0);
}

static void person_get(http_req *rq, http_resp *rs)
{
    get_any(rq, rs, 1);
}

static void org_get(http_req *rq, http_resp *rs)
{
    get_any(rq, rs, 0);
}

/* "4,5 MB", as a Dutch reader writes it. */
static const char *megabytes(arena *a, size_t bytes)
{
    size_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    return arena_printf(a, "%zu,%zu MB", tenths / 10, tenths % 10);
}

/* Checks one upload and fills f; NULL or the Dutch reason. */
static const char *check_file(arena *a, const upload *u, dossier_file *f)
{
    const char *name = filetype_clean_name(a, u->filename);
    const char *quoted = arena_printf(a, "‘%s’", name);
    if (u->len == 0) return arena_printf(a, MSG_EMPTY_FILE, quoted);
    if (u->len > DOSSIER_MAX_FILE)
        return arena_printf(a, MSG_TOO_BIG, quoted, megabytes(a, u->len));
    filetype_kind promised = filetype_of_name(name);
    filetype_kind is = filetype_sniff(u->data, u->len);
    if (promised == FT_UNKNOWN || is == FT_UNKNOWN) {
        if (promised != FT_UNKNOWN)
            return arena_printf(a, MSG_MISMATCH, quoted, filetype_label(promised));
        return arena_printf(a, MSG_UNKNOWN, quoted);
    }
    if (promised != is) return arena_printf(a, MSG_MISMATCH, quoted, filetype_label(promised));
    *f = (dossier_file){name, filetype_content_type(is, name), u->data, u->len};
    return NULL;
}

/* The files of the field "bijlagen" (a file input left empty sends one
 * part without name and bytes: not a file). Returns their number, or -1
 * with *err set. */
static int read_files(http_req *rq, dossier_file *out, const char **err)
{
    int n = 0;
    for (size_t i = 0; i < rq->files.n; i++) {
        const upload *u = &rq->files.v[i];
        if (strcmp(u->field, "bijlagen") != 0) continue;
        if (u->len == 0 && (!u->filename || !*u->filename)) continue;
        if (n == DOSSIER_MAX_FILES) {
            *err = MSG_TOO_MANY;
            return -1;
        }
        if ((*err = check_file(rq->a, u, &out[n])) != NULL) return -1;
        n++;
    }
    return n;
}

/* Browsers send "\r\n"; the text is stored with "\n". */
static const char *unix_lines(arena *a, const char *s)
{
    char *out = arena_strdup(a, s ? s : "");
    char *w = out;
    for (const char *p = out; *p; p++)
        if (!(*p == '\r' && p[1] == '\n')) *w++ = *p;
    *w = '\0';
    return out;
}

static void post_any(http_req *rq, http_resp *rs, int person)
{
    const dossier_owner *o = owner_of(rq, rs, person);
    if (!o) return;
    wf_values *v = webform_read(rq, &msg_form);
    const char *act = req_in(rq, "actie");
    if (act && strcmp(act, "voorbeeld") == 0) {
        /* a preview of a half-written message is fine: no errors yet */
        v->nerrors = 0;
        memset(v->error, 0, N_FIELDS * sizeof *v->error);
        dossier_page(rq, rs, o, v, NULL, 1);
        return;
    }
    dossier_file files[DOSSIER_MAX_FILES];
    const char *file_error = NULL;
    int nfiles = read_files(rq, files, &file_error);
    if (v->nerrors || nfiles < 0) {
        dossier_page(rq, rs, o, v, file_error, 0);
        rs->status = 422;
        return;
    }
    dossier_new n = {.to = o,
                     .subject = v->value[F_SUBJECT],
                     .body = unix_lines(rq->a, v->value[F_BODY]),
                     .files = files,
                     .nfiles = nfiles,
                     .actor = auth_user(rq)->person_id,
                     .client_ip = rq->client_ip,
                     .base_url = rq->app->cfg.base_url,
                     .tmpl = rq->app->tmpl};
    if (dossier_write(req_db(rq), rq->a, &n) != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, "bericht-verstuurd");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, "%s/dossier", owner_path(rq->a, o)));
}

static void person_post(http_req *rq, http_resp *rs)
{
    post_any(rq, rs, 1);
}

static void org_post(http_req *rq, http_resp *rs)
{
    post_any(rq, rs, 0);
}

static const route routes[] = {
    {"GET", "/beheer/personen/:id/dossier", person_get, NULL, RF_STAFF},
    {"POST", "/beheer/personen/:id/dossier", person_post, msg_inputs, RF_STAFF | RF_UPLOAD},
    {"GET", "/beheer/organisaties/:id/dossier", org_get, NULL, RF_STAFF},
    {"POST", "/beheer/organisaties/:id/dossier", org_post, msg_inputs, RF_STAFF | RF_UPLOAD},
};

void dossier_admin_routes(router *r)
{
    if (webform_spec_for(r, &msg_form, msg_extra, msg_inputs,
                         sizeof msg_inputs / sizeof msg_inputs[0]) != 0)
        return;
    router_add_all(r, routes);
}
