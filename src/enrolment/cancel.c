/* cancel.c - Afmelden: POST /mijn/cursussen/afmelden with the ticked rows
 * of Cursussen (field inschrijving, once per row).
 *
 * Two steps without JavaScript: the first POST shows the page "Afmelden"
 * with the chosen registrations and "Ja, afmelden"; that button posts the
 * same ids again with bevestigd. A registration may be cancelled by its
 * participant, or by a beheerder acting for the organisation it is
 * invoiced to; any other id is not found (404) and nothing changes. Until
 * the registration deadline only: after it the page sends the person to
 * the administratie. All chosen registrations are cancelled in one
 * transaction, or none: each frees its seat, the first on the waiting list
 * gets it and is mailed, an audit line and the mail "Afmelding ontvangen"
 * are written with it. */
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/internal.h"
#include "enrolment/mine.h"
#include "enrolment/store.h"
#include "mail/mail.h"
#include "mail/render.h"
#include "web/flash.h"
#include "web/page.h"

#define CLOSED_TEXT                                                                                \
    "Afmelden via de Klantportal kan tot de sluitingsdatum van de inschrijving. Voor %s is die "   \
    "voorbij: neem contact op met de administratie, 0223-611310. Er is niets afgemeld."

typedef struct cancel_view {
    http_req *rq;
    const char *ids[MINE_MAX_SELECTED];
    int n;
    db_res *rows;      /* mine_selected */
    const char *error; /* shown above; no "Ja, afmelden" then */
} cancel_view;

static const char *row_label(arena *a, const db_res *r, int i)
{
    return mine_course_label(a, db_val(r, i, "event_name"), db_val(r, i, "course_name"));
}

static void cancel_page(cancel_view *w, http_resp *rs, int status)
{
    http_req *rq = w->rq;
    const auth_ctx *u = auth_user(rq);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Cursussen", "/mijn/cursussen");
    page_crumb(rq, ctx, "Afmelden", NULL);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "context", auth_form_context(rq));
    tv_set_str(ctx, "error", w->error);
    tv *list = tv_set_list(ctx, "rows");
    for (int i = 0; w->rows && i < w->rows->nrows; i++) {
        const db_res *r = w->rows;
        tv *row = tv_push_obj(list);
        tv_set_str(row, "id", db_val(r, i, "id"));
        tv_set_str(row, "course", row_label(rq->a, r, i));
        tv_set_str(row, "date_iso", db_val(r, i, "starts_on"));
        tv_set_str(row, "date", date_short_nl(rq->a, db_val(r, i, "starts_on")));
        tv_set_str(row, "location", db_val(r, i, "location"));
        if (db_int(r, i, "person_id") != u->person_id)
            tv_set_str(row, "participant",
                       names_full(rq->a, db_val(r, i, "first_name"), db_val(r, i, "infix"),
                                  db_val(r, i, "last_name")));
        if (strcmp(db_val(r, i, "status"), "wachtlijst") == 0)
            tv_set_str(row, "status", "op de wachtlijst");
    }
    int n = w->rows ? w->rows->nrows : 0;
    tv_set_bool(ctx, "has_rows", n > 0);
    tv_set_bool(ctx, "many", n > 1);
    tv_set_bool(ctx, "ask", !w->error && n > 0);
    page_render(rq, rs, "enrolment/cancel", ctx, w->error ? "Fout: Afmelden" : "Afmelden",
                NAV_MIJN);
    rs->status = status;
}

/* Is every chosen registration's event still open for cancelling? The same
 * rule the store applies again inside the transaction (enrolment_event's
 * "open"); this reading only lets the first step say so at once. Sets
 * w->error naming the closed ones; -1 on a database error. */
static int check_open(cancel_view *w)
{
    http_req *rq = w->rq;
    const char *today = date_today_plus(rq->a, 0), *closed = NULL, *last = NULL;
    int open = 1;
    for (int i = 0; i < w->rows->nrows; i++) {
        const char *ev = db_val(w->rows, i, "event_id");
        if (!last || strcmp(last, ev) != 0) {
            db_res *e = enrolment_event(req_db(rq), rq->a, ev, today);
            if (!e) return -1;
            open = e->nrows == 1 && db_int(e, 0, "open");
            last = ev;
        }
        if (open) continue;
        const char *what = row_label(rq->a, w->rows, i);
        closed = closed ? arena_printf(rq->a, "%s en %s", closed, what) : what;
    }
    if (closed) w->error = arena_printf(rq->a, CLOSED_TEXT, closed);
    return 0;
}

typedef struct cancel_tx {
    cancel_view *w;
    const char *today;
} cancel_tx;

int enrol_mail_cancelled(db_conn *c, arena *a, const app *ap, const char *reg_id, long long by)
{
    db_res *r = enrolment_registration(c, a, reg_id);
    if (!r || r->nrows != 1) return -1;
    const char *name =
        names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"), db_val(r, 0, "last_name"));
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "subject", "Afmelding ontvangen - Onderwijsgroep");
    tv_set_str(ctx, "course",
               mine_course_label(a, db_val(r, 0, "event_name"), db_val(r, 0, "course_name")));
    tv_set_str(ctx, "when",
               enrol_when(a, db_val(r, 0, "starts_on"), db_val(r, 0, "ends_on"),
                          db_val(r, 0, "start_time"), db_val(r, 0, "end_time")));
    tv_set_str(ctx, "location", db_val(r, 0, "location"));
    tv_set_str(ctx, "participant", name);
    tv_set_str(ctx, "link", arena_printf(a, "%s/mijn/cursussen", ap->cfg.base_url));
    long long participant = db_int(r, 0, "person_id");
    const char *email = db_val(r, 0, "email");
    mail_msg m;
    if (email && *email) {
        tv_set_str(ctx, "first_name", db_val(r, 0, "first_name"));
        tv_set_bool(ctx, "about_self", 1);
        if (mail_render(ap->tmpl, a, "enrolment_cancelled", ctx, &m) != 0) return -1;
        m.to_address = email;
        m.to_name = name;
        if (mail_enqueue(c, a, &m) <= 0) return -1;
    }
    if (by == participant) return 0;
    db_res *b = enrolment_person(c, a, by, 0);
    if (!b) return -1;
    const char *to = b->nrows == 1 ? db_val(b, 0, "email") : NULL;
    if (!to || !*to) return 0;
    tv_set_str(ctx, "first_name", db_val(b, 0, "first_name"));
    tv_set_bool(ctx, "about_self", 0);
    if (mail_render(ap->tmpl, a, "enrolment_cancelled", ctx, &m) != 0) return -1;
    m.to_address = to;
    m.to_name =
        names_full(a, db_val(b, 0, "first_name"), db_val(b, 0, "infix"), db_val(b, 0, "last_name"));
    return mail_enqueue(c, a, &m) > 0 ? 0 : -1;
}

static int cancel_all(db_conn *c, arena *a, void *arg)
{
    cancel_tx *t = arg;
    http_req *rq = t->w->rq;
    const auth_ctx *u = auth_user(rq);
    const db_res *rows = t->w->rows;
    for (int i = 0; i < rows->nrows; i++) {
        const char *id = db_val(rows, i, "id"), *ev = db_val(rows, i, "event_id");
        long long promoted = 0;
        int rc = enrolment_cancel(c, a, id, t->today, 1, &promoted);
        if (rc != 0) return rc;
        const char *detail =
            arena_printf(a, "evenement %s, deelnemer %s%s", ev, db_val(rows, i, "person_id"),
                         db_int(rows, i, "person_id") == u->person_id
                             ? ""
                             : arena_printf(a, ", als beheerder van %lld", u->org_id));
        if (audit_log(c, a, u->person_id, rq->client_ip, "afmelding", id, detail) != 0 ||
            enrol_mail_cancelled(c, a, rq->app, id, u->person_id) != 0)
            return -1;
        if (enrol_promoted(c, a, rq->app, u->person_id, rq->client_ip, promoted,
                           arena_printf(a, "evenement %s, plaats vrij na afmelding %s", ev, id)) !=
            0)
            return -1;
    }
    return 0;
}

static void cancel_post(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    cancel_view w = {.rq = rq};
    w.n = mine_read_ids(rq, w.ids);
    if (w.n < 0) {
        page_error(rq, rs, 404);
        return;
    }
    if (w.n == 0) {
        flash_set(rq, rs, "niets-gekozen");
        resp_redirect(rs, rq->a, 303, "/mijn/cursussen");
        return;
    }
    /* a form shown for another context (switched in another tab) would
     * cancel for whom the person no longer acts */
    const char *made_for = req_in(rq, "context");
    if (!made_for || strcmp(made_for, auth_form_context(rq)) != 0) {
        w.error = "U werkt intussen voor een andere organisatie of als persoon (gekozen in een "
                  "ander venster of tabblad). Er is niets afgemeld. Kies opnieuw op Cursussen.";
        cancel_page(&w, rs, 409);
        return;
    }
    w.rows = mine_selected(req_db(rq), rq->a, w.ids, w.n, u->person_id,
                           u->org_id && u->beheerder ? u->org_id : 0);
    if (!w.rows) {
        page_db_error(rq, rs);
        return;
    }
    if (w.rows->nrows != w.n) {
        page_error(rq, rs, 404);
        return;
    }
    if (check_open(&w) != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (w.error || !req_in(rq, "bevestigd")) {
        cancel_page(&w, rs, w.error ? 409 : 200);
        return;
    }
    cancel_tx t = {.w = &w, .today = date_today_plus(rq->a, 0)};
    int rc = db_tx(req_db(rq), rq->a, cancel_all, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        /* the deadline passed or another tab cancelled in between */
        w.error = rc == ENROL_CLOSED
                      ? arena_printf(rq->a, CLOSED_TEXT, "een van deze cursussen")
                      : "Een van deze inschrijvingen is intussen al afgemeld. Er is niets "
                        "gewijzigd.";
        cancel_page(&w, rs, 409);
        return;
    }
    int others = 0;
    for (int i = 0; i < w.rows->nrows; i++)
        others |= db_int(w.rows, i, "person_id") != u->person_id;
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, others ? "afmelding-verwerkt" : "afgemeld");
    resp_redirect(rs, rq->a, 303, "/mijn/cursussen");
}

static const field_spec cancel_fields[] = {
    {"inschrijving", IN_FORM | IN_REPEATED, FK_ID, 20},
    {"context", IN_FORM, FK_SLUG, 20},
    {"bevestigd", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"POST", "/mijn/cursussen/afmelden", cancel_post, cancel_fields, RF_LOGIN},
};

void enrolment_cancel_routes(router *r)
{
    router_add_all(r, routes);
}
