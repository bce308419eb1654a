/* admin_queue_actions.c - what staff do on one registration's page:
 * Verwerken (with the confirmed match and the organisation chosen),
 * Verplaatsen to another event and Annuleren. The registration is the one
 * in the path; each action is one transaction with its audit line and
 * mails, and answers with a notice on the registration's page (303), or
 * the page again with the reason (409). */
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/admin_queue.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"
#include "mail/mail.h"
#include "mail/render.h"
#include "web/flash.h"
#include "web/page.h"

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

static int has_text(const char *s)
{
    return s && *s;
}

/* The registration's id from the path, or NULL (then 404 was sent). */
static const char *path_id(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (field_valid(FK_ID, id, strlen(id))) return id;
    page_error(rq, rs, 404);
    return NULL;
}

static void done(http_req *rq, http_resp *rs, const char *id, const char *notice)
{
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, notice);
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, QUEUE_PATH "/%s", id));
}

/* ---------------------------------------------------------- Verwerken */

static void process_post(http_req *rq, http_resp *rs)
{
    const char *id = path_id(rq, rs);
    if (!id) return;
    queue_choice ch = {0};
    const char *link = req_in(rq, "koppelen"), *org = req_in(rq, "organisatie_keuze");
    if (link) ch.link_person = strtoll(link, NULL, 10);
    if (org && strcmp(org, "nieuw") == 0) {
        ch.org = QUEUE_ORG_NEW;
    } else if (org && strcmp(org, "geen") != 0) {
        ch.org = QUEUE_ORG_EXISTING;
        ch.org_id = field_valid(FK_ID, org, strlen(org)) ? strtoll(org, NULL, 10) : 0;
    }
    const char *ids[1] = {id};
    queue_run run = {.ap = rq->app,
                     .actor = auth_user(rq)->person_id,
                     .client_ip = rq->client_ip,
                     .ids = ids,
                     .n = 1,
                     .choice = &ch,
                     .out = arena_zalloc(rq->a, sizeof(queue_outcome))};
    int rc = db_tx(req_db(rq), rq->a, queue_process, &run);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc == QUEUE_GONE && !run.out[0].name) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc > 0) {
        /* a person with the address appeared, or another one than shown */
        const char *why = rc == QUEUE_MATCH && link
                              ? "Er is niets verwerkt: de persoon met dit e-mailadres is niet "
                                "(meer) de persoon die u heeft bevestigd. Controleer de gegevens "
                                "hieronder opnieuw."
                              : arena_printf(rq->a, "Er is niets verwerkt: de inschrijving %s.",
                                             queue_refusal_text(rc));
        queue_detail_page(rq, rs, id, &(queue_detail_opts){.error = why, .status = 409});
        return;
    }
    done(rq, rs, id, "inschrijving-verwerkt");
}

/* -------------------------------------------------------- Verplaatsen */

typedef struct move_tx {
    http_req *rq;
    const char *id, *to;
    int waitlist;
    enrol_move m;
} move_tx;

/* "Uw inschrijving is verplaatst" to the participant, or, without an
 * address, to whoever enrolled them (not staff). */
static int mail_moved(db_conn *c, arena *a, const app *ap, const db_res *r, const enrol_move *m)
{
    const char *name =
        names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"), db_val(r, 0, "last_name"));
    const char *email = db_val(r, 0, "email"), *first = db_val(r, 0, "first_name");
    int self = 1;
    if (!has_text(email) && !db_int(r, 0, "enrolled_by_staff")) {
        email = db_val(r, 0, "by_email");
        first = db_val(r, 0, "by_first_name");
        self = 0;
    }
    if (!has_text(email)) return 0;
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "subject", "Uw inschrijving is verplaatst - Onderwijsgroep");
    tv_set_str(ctx, "first_name", first);
    tv_set_bool(ctx, "about_self", self);
    tv_set_str(ctx, "participant", name);
    tv_set_str(ctx, "course", db_val(r, 0, "course_name"));
    tv_set_str(ctx, "event", db_val(r, 0, "event_name"));
    tv_set_str(ctx, "when",
               enrol_when(a, db_val(r, 0, "starts_on"), db_val(r, 0, "ends_on"),
                          db_val(r, 0, "start_time"), db_val(r, 0, "end_time")));
    tv_set_str(ctx, "location", db_val(r, 0, "location"));
    tv_set_bool(ctx, "waitlisted", m->position > 0);
    tv_set_int(ctx, "position", m->position);
    tv_set_str(ctx, "link", arena_printf(a, "%s/mijn/cursussen", ap->cfg.base_url));
    mail_msg msg;
    if (mail_render(ap->tmpl, a, "enrolment_moved", ctx, &msg) != 0) return -1;
    msg.to_address = email;
    msg.to_name = self ? name : first;
    return mail_enqueue(c, a, &msg) > 0 ? 0 : -1;
}

static int move_unit(db_conn *c, arena *a, void *arg)
{
    move_tx *t = arg;
    db_res *old = queue_registration(c, a, t->id);
    if (!old) return -1;
    if (old->nrows != 1) return ENROL_NOT_ACTIVE;
    int rc = enrolment_move(c, a, t->id, t->to, t->waitlist, &t->m);
    if (rc != 0) return rc;
    db_res *r = queue_registration(c, a, num(a, t->m.id));
    if (!r || r->nrows != 1) return -1;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "inschrijving_verplaatst",
                num(a, t->m.id));
    e.event_id = strtoll(t->to, NULL, 10);
    e.person_id = db_int(r, 0, "person_id");
    e.org_id = db_int(r, 0, "organisation_id");
    e.detail =
        names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"), db_val(r, 0, "last_name"));
    audit_field(&e, "inschrijving", t->id, num(a, t->m.id));
    audit_field(&e, "evenement",
                arena_printf(a, "%s %s", t->m.from_event, db_val(old, 0, "event_name")),
                arena_printf(a, "%s %s", t->to, db_val(r, 0, "event_name")));
    audit_field(&e, "status", t->m.old_status, t->m.new_status);
    if (audit_write(c, a, &e) != 0 || mail_moved(c, a, t->rq->app, r, &t->m) != 0) return -1;
    return enrol_promoted(c, a, t->rq->app, auth_user(t->rq)->person_id, t->rq->client_ip,
                          t->m.promoted,
                          arena_printf(a, "plaats vrij na verplaatsen van inschrijving %s", t->id));
}

static const char *move_refusal(int rc)
{
    switch (rc) {
    case ENROL_FULL:
        return "Dit evenement is vol (of er staan al mensen op de wachtlijst). Kies een ander "
               "evenement of vink aan dat de deelnemer op de wachtlijst mag.";
    case ENROL_TWICE:
        return "De deelnemer staat al ingeschreven voor dit evenement.";
    case ENROL_GONE:
        return "Dit evenement bestaat niet of is geannuleerd.";
    default:
        return NULL;
    }
}

static void move_post(http_req *rq, http_resp *rs)
{
    const char *id = path_id(rq, rs);
    if (!id) return;
    move_tx t = {.rq = rq,
                 .id = id,
                 .to = req_in(rq, "evenement"),
                 .waitlist = req_in(rq, "wachtlijst") != NULL};
    queue_detail_opts o = {.moved_event = t.to, .moved_waitlist = t.waitlist, .status = 409};
    if (!t.to) {
        o.move_error = "Kies het evenement waarheen de inschrijving gaat.";
        o.status = 422;
        queue_detail_page(rq, rs, id, &o);
        return;
    }
    int rc = db_tx(req_db(rq), rq->a, move_unit, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        if (!(o.move_error = move_refusal(rc)))
            o.error = "Er is niets verplaatst: deze inschrijving is geannuleerd of al verplaatst.";
        queue_detail_page(rq, rs, id, &o);
        return;
    }
    done(rq, rs, num(rq->a, t.m.id),
         t.m.position ? "inschrijving-verplaatst-wachtlijst" : "inschrijving-verplaatst");
}

/* ----------------------------------------------------------- Annuleren */

typedef struct cancel_tx {
    http_req *rq;
    const char *id;
} cancel_tx;

static int cancel_unit(db_conn *c, arena *a, void *arg)
{
    cancel_tx *t = arg;
    db_res *r = queue_lock(c, a, t->id);
    if (!r) return -1;
    if (r->nrows != 1) return ENROL_NOT_ACTIVE;
    long long promoted;
    int rc = enrolment_cancel(c, a, t->id, date_today_plus(a, 0), 0, &promoted);
    if (rc != 0) return rc;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "inschrijving_geannuleerd",
                t->id);
    e.event_id = db_int(r, 0, "event_id");
    e.person_id = db_int(r, 0, "person_id");
    e.org_id = db_int(r, 0, "organisation_id");
    e.detail =
        names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"), db_val(r, 0, "last_name"));
    audit_field(&e, "status", db_val(r, 0, "status"), "geannuleerd");
    /* whoever enrolled the participant (a beheerder) hears of it too,
     * staff do not */
    long long by =
        db_int(r, 0, "enrolled_by_staff") ? db_int(r, 0, "person_id") : db_int(r, 0, "enrolled_by");
    if (!by) by = db_int(r, 0, "person_id");
    if (audit_write(c, a, &e) != 0 || enrol_mail_cancelled(c, a, t->rq->app, t->id, by) != 0)
        return -1;
    return enrol_promoted(c, a, t->rq->app, auth_user(t->rq)->person_id, t->rq->client_ip, promoted,
                          arena_printf(a, "plaats vrij na annuleren van inschrijving %s", t->id));
}

static void cancel_post(http_req *rq, http_resp *rs)
{
    const char *id = path_id(rq, rs);
    if (!id) return;
    if (!req_in(rq, "bevestigd")) {
        queue_detail_page(rq, rs, id, &(queue_detail_opts){.ask_cancel = 1});
        return;
    }
    cancel_tx t = {rq, id};
    int rc = db_tx(req_db(rq), rq->a, cancel_unit, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        queue_detail_page(rq, rs, id,
                          &(queue_detail_opts){.error = "Deze inschrijving was al geannuleerd. "
                                                        "Er is niets gewijzigd.",
                                               .status = 409});
        return;
    }
    done(rq, rs, id, "inschrijving-geannuleerd");
}

static const field_spec process_fields[] = {
    {"koppelen", IN_FORM, FK_ID, 20},
    {"organisatie_keuze", IN_FORM, FK_SLUG, 20},
    {NULL, 0, 0, 0},
};

static const field_spec move_fields[] = {
    {"evenement", IN_FORM, FK_ID, 20},
    {"wachtlijst", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

static const field_spec cancel_fields[] = {
    {"bevestigd", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"POST", QUEUE_PATH "/:id/verwerken", process_post, process_fields, RF_STAFF},
    {"POST", QUEUE_PATH "/:id/verplaatsen", move_post, move_fields, RF_STAFF},
    {"POST", QUEUE_PATH "/:id/annuleren", cancel_post, cancel_fields, RF_STAFF},
};

void enrolment_queue_action_routes(router *r)
{
    router_add_all(r, routes);
}
