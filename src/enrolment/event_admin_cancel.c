/* event_admin_cancel.c - cancelling and deleting an event in the back
 * office: POST /beheer/evenementen/<id>/annuleren and …/verwijderen. Both
 * ask first, as Afmelden does: the first POST shows the question, its
 * button posts again with bevestigd.
 *
 * Cancelling is one transaction: the event cancelled, every active
 * registration geannuleerd, the seats freed, the mail "Evenement
 * geannuleerd" to every participant, waiting-list person and bezoeker
 * (and to whoever enrolled them), and one audit line. Deleting is for an
 * event nobody ever registered for; one with registrations is cancelled
 * instead, so the participants hear of it. */
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/event_admin.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"
#include "mail/mail.h"
#include "mail/render.h"
#include "web/flash.h"
#include "web/page.h"

typedef struct confirm {
    const db_res *row;
    const char *heading, *question, *button, *action, *refused;
    const char *facts[3];
} confirm;

static void confirm_page(http_req *rq, http_resp *rs, const confirm *q, int status)
{
    const char *name = db_val(q->row, 0, "name");
    const char *back = arena_printf(rq->a, "/beheer/evenementen/%s", db_val(q->row, 0, "id"));
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Evenementen", "/beheer/evenementen");
    page_crumb(rq, ctx, name, back);
    page_crumb(rq, ctx, q->heading, NULL);
    tv_set_str(ctx, "heading", q->heading);
    tv_set_str(ctx, "question", q->question);
    tv *facts = tv_set_list(ctx, "facts");
    for (int i = 0; i < 3 && q->facts[i]; i++)
        tv_push(facts, tv_str(rq->a, q->facts[i]));
    tv_set_str(ctx, "button", q->button);
    tv_set_str(ctx, "action", q->action);
    tv_set_str(ctx, "back", back);
    tv_set_str(ctx, "back_label", arena_printf(rq->a, "Terug naar %s", name));
    tv_set_str(ctx, "refused", q->refused);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/confirm", ctx,
                q->refused ? arena_printf(rq->a, "Fout: %s", q->heading) : q->heading, NAV_BEHEER);
    rs->status = status;
}

static db_res *event_of(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return NULL;
    }
    db_res *r = event_admin_get(req_db(rq), rq->a, id, 0);
    return page_one_row(rq, rs, r) == 0 ? r : NULL;
}

static const char *when_of(arena *a, const db_res *ev)
{
    return enrol_when(a, db_val(ev, 0, "starts_on"), db_val(ev, 0, "ends_on"),
                      db_val(ev, 0, "start_time"), db_val(ev, 0, "end_time"));
}

/* ---- cancel ---- */

typedef struct cancel_tx {
    http_req *rq;
    const char *id;
    int cancelled, mailed;
} cancel_tx;

static int send_mail(db_conn *c, arena *a, const app *ap, tv *ctx, const char *to,
                     const char *to_name)
{
    mail_msg m;
    if (mail_render(ap->tmpl, a, "event_cancelled", ctx, &m) != 0) return -1;
    m.to_address = to;
    m.to_name = to_name;
    return mail_enqueue(c, a, &m) > 0 ? 0 : -1;
}

/* "Evenement geannuleerd" about registration i of rows: to its participant
 * (or the bezoeker) when there is an address, and to whoever enrolled
 * them for someone else. */
static int mail_one(db_conn *c, arena *a, cancel_tx *t, const db_res *ev, const db_res *rows, int i)
{
    const app *ap = t->rq->app;
    const char *name = names_full(a, db_val(rows, i, "first_name"), db_val(rows, i, "infix"),
                                  db_val(rows, i, "last_name"));
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "subject", "Evenement geannuleerd - Onderwijsgroep");
    tv_set_str(ctx, "course", db_val(ev, 0, "course_name"));
    tv_set_str(ctx, "event", db_val(ev, 0, "name"));
    tv_set_str(ctx, "when", when_of(a, ev));
    tv_set_str(ctx, "location", db_val(ev, 0, "location"));
    tv_set_str(ctx, "participant", name);
    tv_set_bool(ctx, "waiting", strcmp(db_val(rows, i, "status"), "wachtlijst") == 0);
    tv_set_str(ctx, "agenda", arena_printf(a, "%s/cursusagenda", ap->cfg.base_url));
    const char *email = db_val(rows, i, "email");
    if (email && *email) {
        tv_set_str(ctx, "first_name", db_val(rows, i, "first_name"));
        tv_set_bool(ctx, "about_self", 1);
        if (send_mail(c, a, ap, ctx, email, name) != 0) return -1;
        t->mailed++;
    }
    long long by = db_int(rows, i, "enrolled_by");
    if (!by || by == db_int(rows, i, "person_id")) return 0;
    db_res *b = enrolment_person(c, a, by, 0);
    if (!b) return -1;
    /* staff who enrolled someone are not the way to reach them */
    const char *to = b->nrows == 1 && db_int(b, 0, "is_staff") != 1 ? db_val(b, 0, "email") : NULL;
    if (!to || !*to) return 0;
    tv_set_str(ctx, "first_name", db_val(b, 0, "first_name"));
    tv_set_bool(ctx, "about_self", 0);
    if (send_mail(c, a, ap, ctx, to,
                  names_full(a, db_val(b, 0, "first_name"), db_val(b, 0, "infix"),
                             db_val(b, 0, "last_name"))) != 0)
        return -1;
    t->mailed++;
    return 0;
}

static int cancel_tx_fn(db_conn *c, arena *a, void *arg)
{
    cancel_tx *t = arg;
    t->cancelled = t->mailed = 0;
    db_res *ev = event_admin_get(c, a, t->id, 1);
    if (!ev) return -1;
    if (ev->nrows != 1) return EVENT_GONE;
    db_res *rows = event_admin_active(c, a, t->id);
    if (!rows) return -1;
    int rc = event_admin_cancel(c, a, t->id);
    if (rc != 0) return rc;
    for (int i = 0; i < rows->nrows; i++)
        if (mail_one(c, a, t, ev, rows, i) != 0) return -1;
    t->cancelled = rows->nrows;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "evenement_geannuleerd",
                db_val(ev, 0, "name"));
    e.event_id = db_int(ev, 0, "id");
    e.org_id = db_int(ev, 0, "maatwerk_org_id");
    audit_field(&e, "geannuleerd", "nee", "ja");
    audit_field(&e, "bezette plaatsen", db_val(ev, 0, "seats_taken"), "0");
    e.detail =
        arena_printf(a, "%d inschrijvingen geannuleerd, %d e-mails", t->cancelled, t->mailed);
    return audit_write(c, a, &e);
}

/* The question's facts: whom the cancellation reaches. */
static void cancel_facts(http_req *rq, confirm *q, const db_res *row)
{
    long long waiting = db_int(row, 0, "waiting"), taken = db_int(row, 0, "seats_taken");
    long long active = waiting + taken;
    q->facts[0] =
        active == 0
            ? "Er is niemand ingeschreven."
            : arena_printf(rq->a,
                           "%lld %s geannuleerd (%lld %s, %lld op de wachtlijst); iedereen "
                           "krijgt het bericht \"Evenement geannuleerd\" per e-mail.",
                           active, active == 1 ? "inschrijving wordt" : "inschrijvingen worden",
                           taken, taken == 1 ? "bezette plaats" : "bezette plaatsen", waiting);
    q->facts[1] = "Annuleren kan niet ongedaan worden gemaakt.";
}

static void cancel_post(http_req *rq, http_resp *rs)
{
    db_res *row = event_of(rq, rs);
    if (!row) return;
    const char *id = db_val(row, 0, "id");
    confirm q = {
        .row = row,
        .heading = "Evenement annuleren",
        .question = arena_printf(rq->a, "Weet u zeker dat u %s op %s wilt annuleren?",
                                 db_val(row, 0, "name"), when_of(rq->a, row)),
        .button = "Ja, evenement annuleren",
        .action = arena_printf(rq->a, "/beheer/evenementen/%s/annuleren", id),
    };
    if (db_int(row, 0, "cancelled")) q.refused = "Dit evenement is al geannuleerd.";
    if (q.refused || !req_in(rq, "bevestigd")) {
        cancel_facts(rq, &q, row);
        confirm_page(rq, rs, &q, q.refused ? 409 : 200);
        return;
    }
    cancel_tx t = {.rq = rq, .id = id};
    int rc = db_tx(req_db(rq), rq->a, cancel_tx_fn, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        q.refused = rc == EVENT_CANCELLED ? "Dit evenement is al geannuleerd."
                                          : "Dit evenement bestaat niet meer.";
        confirm_page(rq, rs, &q, 409);
        return;
    }
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, "evenement-geannuleerd");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, "/beheer/evenementen/%s", id));
}

/* ---- delete ---- */

typedef struct delete_tx {
    http_req *rq;
    const db_res *row;
} delete_tx;

static int delete_tx_fn(db_conn *c, arena *a, void *arg)
{
    delete_tx *t = arg;
    const db_res *row = t->row;
    int rc = event_admin_delete(c, a, db_val(row, 0, "id"));
    if (rc != 0) return rc;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "evenement_verwijderd",
                db_val(row, 0, "name"));
    e.event_id = db_int(row, 0, "id");
    e.org_id = db_int(row, 0, "maatwerk_org_id");
    audit_field(&e, "naam", db_val(row, 0, "name"), "");
    audit_field(&e, "begindatum", db_val(row, 0, "starts_on"), "");
    audit_field(&e, "cursus", db_val(row, 0, "course_name"), "");
    return audit_write(c, a, &e);
}

static const char *in_use(arena *a, long long n)
{
    return arena_printf(a,
                        "Dit evenement kan niet worden verwijderd: er %s %lld %s (geannuleerde "
                        "tellen mee). Annuleer het evenement in plaats daarvan; dan krijgen de "
                        "deelnemers bericht.",
                        n == 1 ? "is" : "zijn", n, n == 1 ? "inschrijving" : "inschrijvingen");
}

static void delete_post(http_req *rq, http_resp *rs)
{
    db_res *row = event_of(rq, rs);
    if (!row) return;
    long long regs = db_int(row, 0, "registrations");
    confirm q = {
        .row = row,
        .heading = "Evenement verwijderen",
        .question = arena_printf(rq->a, "Weet u zeker dat u %s op %s wilt verwijderen?",
                                 db_val(row, 0, "name"), when_of(rq->a, row)),
        .button = "Ja, verwijderen",
        .action = arena_printf(rq->a, "/beheer/evenementen/%s/verwijderen", db_val(row, 0, "id")),
        .refused = regs ? in_use(rq->a, regs) : NULL,
    };
    if (q.refused || !req_in(rq, "bevestigd")) {
        confirm_page(rq, rs, &q, q.refused ? 409 : 200);
        return;
    }
    delete_tx t = {rq, row};
    int rc = db_tx(req_db(rq), rq->a, delete_tx_fn, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        q.refused = "Dit evenement kan niet worden verwijderd: er is intussen iemand "
                    "ingeschreven. Annuleer het evenement in plaats daarvan.";
        confirm_page(rq, rs, &q, 409);
        return;
    }
    flash_set(rq, rs, "evenement-verwijderd");
    resp_redirect(rs, rq->a, 303, "/beheer/evenementen");
}

static const field_spec confirm_fields[] = {
    {"bevestigd", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"POST", "/beheer/evenementen/:id/annuleren", cancel_post, confirm_fields, RF_STAFF},
    {"POST", "/beheer/evenementen/:id/verwijderen", delete_post, confirm_fields, RF_STAFF},
};

void enrolment_event_cancel_routes(router *r)
{
    router_add_all(r, routes);
}
