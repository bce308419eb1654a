/* import.c - the pages of Import: the upload form with the columns, the
 * preview of an upload (/beheer/import/<key>), Importeren, the outcome, and
 * an example file.
 *
 * How the data gets from the preview to Importeren: the upload itself is
 * kept in the database (`imports`, import_store.c) under a random key that
 * only the staff member who sent it can use, for an hour. The preview and
 * Importeren both plan from those stored bytes; the form carries nothing
 * but the digest of the plan it showed. Importeren plans again inside its
 * transaction and writes only when the digest is the same, so it writes
 * exactly the rows the preview listed, and a changed or forged digest can
 * only make it refuse (and show the new preview). */
#include <string.h>

#include "app.h"
#include "auth/session.h"
#include "core/csv.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "http/download.h"
#include "mail/mail.h"
#include "people/people.h"
#include "relations/import.h"
#include "relations/import_internal.h"
#include "web/page.h"

#define MSG_NO_FILE "Kies het CSV-bestand dat u wilt importeren."
#define MSG_TOO_BIG                                                                                \
    "Het bestand is %s; een import mag hoogstens 2 MB zijn. Splits het in kleinere bestanden."
#define MSG_NO_ROWS                                                                                \
    "Het bestand heeft alleen een kopregel; er staan geen regels met gegevens onder."
#define MSG_CHANGED                                                                                \
    "Sinds u het voorbeeld opende, is er in het portaal iets veranderd dat deze import raakt. "    \
    "Hieronder staat het nieuwe voorbeeld; er is nog niets opgeslagen. Controleer het en kies "    \
    "opnieuw Importeren."
#define MSG_NOTHING "Er is geen regel die geïmporteerd kan worden; er is niets opgeslagen."
#define MSG_EXPIRED                                                                                \
    "Dit voorbeeld is ouder dan een uur en kan niet meer worden geïmporteerd. Er is niets "       \
    "opgeslagen. Kies het bestand opnieuw op de pagina Import."

static void crumbs(http_req *rq, tv *ctx, const char *last)
{
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Import", last ? "/beheer/import" : NULL);
    if (last) page_crumb(rq, ctx, last, NULL);
}

static void put_columns(http_req *rq, tv *ctx)
{
    tv *list = tv_set_list(ctx, "columns");
    for (int c = 0; c < N_COLS; c++) {
        const imp_column *col = &imp_columns[c];
        tv *row = tv_push_obj(list);
        tv_set_str(row, "name", col->name);
        if (*col->aliases) {
            buf also;
            buf_init(&also, rq->a, 64);
            for (const char *p = col->aliases; *p; p++)
                if (*p == '|')
                    buf_puts(&also, ", ");
                else
                    buf_putc(&also, *p);
            tv_set_str(row, "aliases", also.data);
        }
        tv_set_str(row, "required", col->required ? "ja" : "nee");
        tv_set_str(row, "format", col->format);
        tv_set_str(row, "example", col->example);
    }
}

static void upload_page(http_req *rq, http_resp *rs, const char *error, int status)
{
    tv *ctx = page_ctx(rq);
    crumbs(rq, ctx, NULL);
    put_columns(rq, ctx);
    tv_set_str(ctx, "max_rows", arena_printf(rq->a, "%d", IMP_MAX_ROWS));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_bool(ctx, "send_mails", req_in(rq, "activatiemails") != NULL);
    if (error) {
        tv_set_bool(ctx, "wf_failed", 1);
        tv *e = tv_push_obj(tv_set_list(ctx, "wf_errors"));
        tv_set_str(e, "name", "bestand");
        tv_set_str(e, "label", "CSV-bestand");
        tv_set_str(e, "error", error);
        tv_set_str(ctx, "file_error", error);
    }
    page_render(rq, rs, "beheer/import", ctx, "Import", NAV_BEHEER);
    rs->status = status;
}

static void upload_get(http_req *rq, http_resp *rs)
{
    upload_page(rq, rs, NULL, 200);
}

static const upload *file_of(const http_req *rq)
{
    for (size_t i = 0; i < rq->files.n; i++)
        if (strcmp(rq->files.v[i].field, "bestand") == 0) return &rq->files.v[i];
    return NULL;
}

/* The name as the browser sent it, fit to show and to log: control
 * characters out, at most 200 bytes (cut on a character boundary). */
static const char *file_name(arena *a, const char *name)
{
    size_t n = utf8_cut(name, strlen(name), 200);
    char *out = arena_strndup(a, name, n);
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F) *p = ' ';
    return *out ? out : "bestand.csv";
}

/* "3,2 MB", as a Dutch reader writes it. */
static const char *megabytes(arena *a, size_t bytes)
{
    size_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    return arena_printf(a, "%zu,%zu MB", tenths / 10, tenths % 10);
}

static void upload_post(http_req *rq, http_resp *rs)
{
    const upload *f = file_of(rq);
    if (!f) {
        upload_page(rq, rs, MSG_NO_FILE, 422);
        return;
    }
    const char *err = NULL;
    csvr_table t;
    imp_header h;
    if (f->len > IMP_MAX_BYTES) err = arena_printf(rq->a, MSG_TOO_BIG, megabytes(rq->a, f->len));
    if (!err) err = csvr_read(rq->a, f->data, f->len, &imp_limits, &t);
    if (!err) err = imp_header_read(rq->a, &t.header, &h);
    if (!err && t.nrows == 0) err = MSG_NO_ROWS;
    if (err) {
        upload_page(rq, rs, err, 422);
        return;
    }
    const char *key =
        imp_store(req_db(rq), rq->a, auth_user(rq)->person_id, file_name(rq->a, f->filename),
                  f->data, f->len, req_in(rq, "activatiemails") != NULL);
    if (!key) {
        page_db_error(rq, rs);
        return;
    }
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, "/beheer/import/%s", key));
}

/* ------------------------------------------------------------ preview */

static const char *count(arena *a, size_t n)
{
    return arena_printf(a, "%zu", n);
}

/* What an accepted row does, as the preview says it. */
static void put_accepted(http_req *rq, tv *row, const imp_plan *p, const imp_row *r)
{
    arena *a = rq->a;
    tv_set_str(row, "name", people_full_name(a, r->v[C_FIRST], r->v[C_INFIX], r->v[C_LAST]));
    tv_set_str(row, "email", r->v[C_EMAIL]);
    const char *person = "nieuw persoon";
    if (r->person_id)
        person = "bestaand persoon (op e-mailadres)";
    else if (r->person_row != (size_t)(r - p->rows))
        person =
            arena_printf(a, "nieuw persoon (zelfde als regel %d)", p->rows[r->person_row].line);
    tv_set_str(row, "person", person);
    if (r->person_note) tv_set_str(row, "person_note", r->person_note);
    if (r->org) {
        tv_set_str(row, "org", r->v[C_ORG]);
        if (*r->v[C_KVK]) tv_set_str(row, "kvk", r->v[C_KVK]);
        const char *org = r->org_by_kvk ? "bestaande organisatie (op KvK-nummer)"
                                        : "bestaande organisatie (op naam)";
        if (r->org == IMP_ORG_NEW)
            org = r->org_row == (size_t)(r - p->rows)
                      ? "nieuwe organisatie"
                      : arena_printf(a, "nieuwe organisatie (zelfde als regel %d)",
                                     p->rows[r->org_row].line);
        tv_set_str(row, "org_action", org);
        if (r->org_note) tv_set_str(row, "org_note", r->org_note);
    }
    const char *m = NULL;
    switch (r->member) {
    case IMP_MEMBER_NEW:
        m = arena_printf(a, "lid als %s", r->v[C_ROLE]);
        break;
    case IMP_MEMBER_ENDED:
        m = arena_printf(a, "weer lid als %s (was beëindigd)", r->v[C_ROLE]);
        break;
    case IMP_MEMBER_ACTIVE:
        m = strcmp(r->member_role, r->v[C_ROLE]) == 0
                ? arena_printf(a, "al lid als %s; niets te doen", r->member_role)
                : arena_printf(a, "al lid als %s; de rol blijft zo", r->member_role);
        break;
    default:
        m = "geen organisatie";
    }
    tv_set_str(row, "member", m);
    if (*r->v[C_TITLE]) tv_set_str(row, "title", r->v[C_TITLE]);
    tv_set_bool(row, "mail", r->mail);
}

/* A refused row: what it says, in the order of the columns. */
static const char *row_text(arena *a, const imp_row *r)
{
    buf b;
    buf_init(&b, a, 128);
    for (int c = 0; c < N_COLS; c++)
        if (*r->v[c] && c != C_ROLE) buf_printf(&b, "%s%s", b.len ? ", " : "", r->v[c]);
    return b.len ? b.data : "(leeg)";
}

/* "1 regel wordt", "2 regels worden" */
static const char *rows_verb(arena *a, size_t n)
{
    return n == 1 ? "1 regel wordt" : arena_printf(a, "%zu regels worden", n);
}

static void put_plan(http_req *rq, tv *ctx, const imp_plan *p)
{
    tv_set_str(ctx, "total", p->n == 1 ? "1 regel" : arena_printf(rq->a, "%zu regels", p->n));
    tv_set_str(ctx, "accepted", count(rq->a, p->accepted));
    tv_set_str(ctx, "refused", count(rq->a, p->refused));
    tv_set_str(ctx, "accepted_text", rows_verb(rq->a, p->accepted));
    tv_set_str(ctx, "refused_text", rows_verb(rq->a, p->refused));
    tv_set_str(ctx, "persons_new", count(rq->a, p->persons_new));
    tv_set_str(ctx, "persons_existing", count(rq->a, p->persons_existing));
    tv_set_str(ctx, "orgs_new", count(rq->a, p->orgs_new));
    tv_set_str(ctx, "members_new", count(rq->a, p->members_new));
    tv_set_str(ctx, "mails", count(rq->a, p->mails));
    tv_set_bool(ctx, "has_refused", p->refused > 0);
    tv_set_bool(ctx, "has_accepted", p->accepted > 0);
    tv *refused = tv_set_list(ctx, "refused_rows"), *accepted = tv_set_list(ctx, "accepted_rows");
    for (size_t i = 0; i < p->n; i++) {
        const imp_row *r = &p->rows[i];
        tv *row = tv_push_obj(r->refused ? refused : accepted);
        tv_set_str(row, "line", arena_printf(rq->a, "%d", r->line));
        if (r->refused) {
            tv_set_str(row, "data", row_text(rq->a, r));
            tv_set_str(row, "reason", r->refused);
        } else {
            put_accepted(rq, row, p, r);
        }
    }
}

static void expired_page(http_req *rq, http_resp *rs)
{
    rq->error_title = "Voorbeeld verlopen";
    rq->error_text = MSG_EXPIRED;
    page_error(rq, rs, 410);
}

static void done_page(http_req *rq, http_resp *rs, const imp_stored *st)
{
    tv *ctx = page_ctx(rq);
    crumbs(rq, ctx, "Uitgevoerd");
    tv_set_str(ctx, "file_name", st->file_name);
    tv_set_str(ctx, "persons", arena_printf(rq->a, "%lld", st->persons));
    tv_set_str(ctx, "orgs", arena_printf(rq->a, "%lld", st->orgs));
    tv_set_str(ctx, "members", arena_printf(rq->a, "%lld", st->members));
    tv_set_str(ctx, "mails", arena_printf(rq->a, "%lld", st->mails));
    page_render(rq, rs, "beheer/import_done", ctx, "Import uitgevoerd", NAV_BEHEER);
}

static int key_ok(const char *key)
{
    return key && strlen(key) == 43 && field_valid(FK_TOKEN, key, 43);
}

/* The preview of the upload with this key (or its outcome, once done),
 * with an alert above it when Importeren was refused. */
static void show(http_req *rq, http_resp *rs, const char *key, const char *alert, int status)
{
    db_conn *c = req_db(rq);
    imp_stored st;
    int found = key_ok(key) ? imp_find(c, rq->a, key, auth_user(rq)->person_id, &st) : 0;
    if (found <= 0) {
        if (found < 0)
            page_db_error(rq, rs);
        else
            page_error(rq, rs, 404);
        return;
    }
    if (st.done) {
        done_page(rq, rs, &st);
        return;
    }
    if ((long long)clock_now() - st.created_at > IMP_LIFETIME) {
        expired_page(rq, rs);
        return;
    }
    csvr_table t;
    imp_header h;
    imp_plan p;
    int dberr;
    const char *err =
        imp_load_plan(c, rq->a, st.content, st.len, st.send_mails, &t, &h, &p, &dberr);
    if (err || dberr) {
        if (err)
            upload_page(rq, rs, err, 422);
        else
            page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    crumbs(rq, ctx, "Voorbeeld");
    tv_set_str(ctx, "file_name", st.file_name);
    tv_set_str(ctx, "encoding", csvr_encoding_name(t.encoding));
    tv_set_str(ctx, "sep", t.sep == ';' ? "puntkomma (;)" : "komma (,)");
    if (h.ignored) tv_set_str(ctx, "ignored", h.ignored);
    tv_set_bool(ctx, "send_mails", st.send_mails);
    if (alert) tv_set_str(ctx, "alert", alert);
    put_plan(rq, ctx, &p);
    tv_set_str(ctx, "action", arena_printf(rq->a, "/beheer/import/%s", key));
    tv_set_str(ctx, "plan", p.digest);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/import_preview", ctx, "Voorbeeld van de import", NAV_BEHEER);
    rs->status = status;
}

static void preview_get(http_req *rq, http_resp *rs)
{
    show(rq, rs, req_param(rq, "sleutel"), NULL, 200);
}

static void execute_post(http_req *rq, http_resp *rs)
{
    const char *key = req_param(rq, "sleutel");
    if (!key_ok(key)) {
        page_error(rq, rs, 404);
        return;
    }
    imp_run run = {.staff_id = auth_user(rq)->person_id,
                   .client_ip = rq->client_ip,
                   .app = rq->app,
                   .key = key,
                   .digest = req_in(rq, "plan")};
    switch (db_tx(req_db(rq), rq->a, imp_execute, &run)) {
    case 0:
        if (run.plan.mails && rq->app->mailer) mail_sender_kick(rq->app->mailer);
        /* fall through */
    case IMP_DONE:
        resp_redirect(rs, rq->a, 303, arena_printf(rq->a, "/beheer/import/%s", key));
        return;
    case IMP_GONE:
        page_error(rq, rs, 404);
        return;
    case IMP_EXPIRED:
        expired_page(rq, rs);
        return;
    case IMP_CHANGED:
        show(rq, rs, key, MSG_CHANGED, 409);
        return;
    case IMP_NOTHING:
    case IMP_UNREADABLE:
        show(rq, rs, key, MSG_NOTHING, 422);
        return;
    default:
        page_db_error(rq, rs);
    }
}

/* An example file in the format Dutch Excel opens (core/csv.h). */
static void example_get(http_req *rq, http_resp *rs)
{
    static const char *const rows[][N_COLS] = {
        {"Jan", "de", "Vries", "jan.devries@example.nl", "Hoveniersbedrijf De Linde", "12345678",
         "beheerder", "Teamleider groen"},
        {"Zoë", "", "Öztürk", "zoe.ozturk@example.nl", "Hoveniersbedrijf De Linde", "12345678",
         "medewerker", ""},
        {"Pieter", "van", "Dijk", "pieter.vandijk@example.nl", "", "", "", ""},
    };
    const char *header[N_COLS];
    for (int c = 0; c < N_COLS; c++)
        header[c] = imp_columns[c].name;
    resp_download(rs, rq->a, "text/csv; charset=utf-8", "import-voorbeeld.csv");
    buf_puts(&rs->body, CSV_BOM);
    csv_row(&rs->body, header, N_COLS);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        csv_row(&rs->body, rows[i], N_COLS);
}

static const field_spec upload_inputs[] = {
    {"activatiemails", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

static const field_spec execute_inputs[] = {
    {"plan", IN_FORM, FK_TOKEN, 64},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/beheer/import", upload_get, NULL, RF_STAFF},
    {"POST", "/beheer/import", upload_post, upload_inputs, RF_STAFF | RF_UPLOAD},
    {"GET", "/beheer/import/voorbeeld.csv", example_get, NULL, RF_STAFF},
    {"GET", "/beheer/import/:sleutel", preview_get, NULL, RF_STAFF},
    {"POST", "/beheer/import/:sleutel", execute_post, execute_inputs, RF_STAFF},
};

void relations_import_routes(router *r)
{
    router_add_all(r, routes);
}
