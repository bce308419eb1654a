/* admin_queue_new.c - /beheer/inschrijvingen/nieuw: the administratie
 * enrols anyone in any event, open or closed (not a cancelled one): first
 * the person is found by name or address (?q=, then Kiezen: ?persoon=),
 * then the event, who is invoiced (the person, one of the person's
 * organisations, or any organisation), a reference and whether a full
 * event's waiting list will do. It is stored with enrolment_enrol, the
 * store's own transaction rules, so the seat is taken atomically like any
 * other enrolment; the participant gets "Inschrijving ontvangen" and the
 * registration waits in the queue to be processed like the rest. */
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
#include "web/flash.h"
#include "web/page.h"

#define NEW_PATH QUEUE_PATH "/nieuw"
#define PEOPLE_MAX 20

typedef struct new_view {
    http_req *rq;
    const char *person_id; /* chosen, looked up */
    db_res *person;        /* enrolment_person, or NULL */
    const char *event_id, *invoice, *other_org, *reference;
    int waitlist;
    const char *error;       /* above the form */
    const char *event_error; /* under Evenement */
    const char *org_error;   /* under Factuur aan */
} new_view;

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

static const char *person_name(arena *a, const db_res *r, int i)
{
    return names_full(a, db_val(r, i, "first_name"), db_val(r, i, "infix"),
                      db_val(r, i, "last_name"));
}

/* The search and its results, each with Kiezen. */
static int put_search(new_view *w, tv *ctx)
{
    http_req *rq = w->rq;
    const char *q = req_in(rq, "q");
    tv_set_str(ctx, "q", q);
    if (!q) return 0;
    db_res *r = queue_people(req_db(rq), rq->a, q, PEOPLE_MAX);
    if (!r) return -1;
    tv *list = tv_set_list(ctx, "people");
    for (int i = 0; i < r->nrows; i++) {
        tv *o = tv_push_obj(list);
        tv_set_str(o, "name", person_name(rq->a, r, i));
        tv_set_str(o, "email", db_val(r, i, "email"));
        tv_set_str(o, "city", db_val(r, i, "city"));
        tv_set_str(o, "href",
                   arena_printf(rq->a, NEW_PATH "?persoon=%s%s%s", db_val(r, i, "id"),
                                w->event_id ? "&evenement=" : "", w->event_id ? w->event_id : ""));
    }
    tv_set_bool(ctx, "searched", 1);
    tv_set_bool(ctx, "has_people", r->nrows > 0);
    tv_set_bool(ctx, "many_people", r->nrows == PEOPLE_MAX);
    return 0;
}

/* The enrolment form for the chosen person. */
static int put_form(new_view *w, tv *ctx)
{
    http_req *rq = w->rq;
    db_conn *c = req_db(rq);
    tv *p = tv_set_obj(ctx, "chosen");
    tv_set_str(p, "id", w->person_id);
    tv_set_str(p, "name", person_name(rq->a, w->person, 0));
    tv_set_str(p, "email", db_val(w->person, 0, "email"));
    db_res *ev = queue_event_options(c, rq->a, date_today_plus(rq->a, 0), w->event_id);
    db_res *mine = ev ? queue_person_orgs(c, rq->a, w->person_id) : NULL;
    db_res *orgs = mine ? queue_org_options(c, rq->a, w->other_org) : NULL;
    if (!orgs) return -1;
    tv *list = tv_set_list(p, "events");
    for (int i = 0; i < ev->nrows; i++) {
        if (db_int(ev, i, "cancelled")) continue;
        const char *id = db_val(ev, i, "id");
        long long places = db_int(ev, i, "places"), waiting = db_int(ev, i, "waiting");
        tv *o = tv_push_obj(list);
        tv_set_str(o, "value", id);
        tv_set_str(o, "label",
                   arena_printf(rq->a, "%s, %s: %s (%s%s)",
                                date_short_nl(rq->a, db_val(ev, i, "starts_on")),
                                db_val(ev, i, "course_name"), db_val(ev, i, "name"),
                                places > 0 && !waiting
                                    ? arena_printf(rq->a, "%lld vrij", places)
                                    : arena_printf(rq->a, "vol, %lld op de wachtlijst", waiting),
                                db_int(ev, i, "open") ? "" : ", inschrijving gesloten"));
        tv_set_bool(o, "selected", w->event_id && strcmp(w->event_id, id) == 0);
    }
    const char *inv = w->invoice ? w->invoice : "persoon";
    tv_set_bool(p, "invoice_person", strcmp(inv, "persoon") == 0);
    tv_set_bool(p, "invoice_other", strcmp(inv, "andere") == 0);
    list = tv_set_list(p, "memberships");
    for (int i = 0; i < mine->nrows; i++) {
        tv *o = tv_push_obj(list);
        tv_set_str(o, "id", db_val(mine, i, "id"));
        tv_set_str(o, "name", db_val(mine, i, "name"));
        tv_set_str(o, "role", db_val(mine, i, "role"));
        tv_set_bool(o, "checked", strcmp(inv, db_val(mine, i, "id")) == 0);
    }
    list = tv_set_list(p, "orgs");
    for (int i = 0; i < orgs->nrows; i++) {
        tv *o = tv_push_obj(list);
        tv_set_str(o, "value", db_val(orgs, i, "id"));
        tv_set_str(o, "label", db_val(orgs, i, "name"));
        tv_set_bool(o, "selected",
                    w->other_org && strcmp(w->other_org, db_val(orgs, i, "id")) == 0);
    }
    tv_set_str(p, "reference", w->reference);
    tv_set_bool(p, "waitlist", w->waitlist);
    tv_set_str(p, "event_error", w->event_error);
    tv_set_str(p, "org_error", w->org_error);
    tv_set_str(p, "change_href",
               w->event_id ? arena_printf(rq->a, NEW_PATH "?evenement=%s", w->event_id) : NEW_PATH);
    return 0;
}

static void new_page(new_view *w, http_resp *rs, int status)
{
    http_req *rq = w->rq;
    tv *ctx = queue_ctx(rq, "Iemand inschrijven");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "error", w->error);
    tv_set_str(ctx, "evenement", w->event_id);
    if ((w->person ? put_form(w, ctx) : put_search(w, ctx)) != 0) {
        page_db_error(rq, rs);
        return;
    }
    int failed = w->error || w->event_error || w->org_error;
    page_render(rq, rs, "beheer/inschrijving_nieuw", ctx,
                failed ? "Fout: Iemand inschrijven" : "Iemand inschrijven", NAV_BEHEER);
    rs->status = status;
}

/* Looks the chosen person up; 0, 1 when not found (404 sent), -1. */
static int find_person(new_view *w, http_resp *rs)
{
    if (!w->person_id) return 0;
    w->person = enrolment_person(req_db(w->rq), w->rq->a, strtoll(w->person_id, NULL, 10), 0);
    if (!w->person) return -1;
    if (w->person->nrows == 1) return 0;
    page_error(w->rq, rs, 404);
    return 1;
}

static void new_get(http_req *rq, http_resp *rs)
{
    new_view w = {
        .rq = rq, .person_id = req_in(rq, "persoon"), .event_id = req_in(rq, "evenement")};
    int rc = find_person(&w, rs);
    if (rc < 0) page_db_error(rq, rs);
    if (rc == 0) new_page(&w, rs, 200);
}

typedef struct new_tx {
    new_view *w;
    const db_res *ev;
    long long org_id;
    const char *org_name;
    enrol_result res;
} new_tx;

static int store_new(db_conn *c, arena *a, void *arg)
{
    new_tx *t = arg;
    http_req *rq = t->w->rq;
    const auth_ctx *u = auth_user(rq);
    long long person = db_int(t->w->person, 0, "id");
    enrol_req q = {
        .event_id = db_val(t->ev, 0, "id"),
        .person_id = person,
        .org_id = t->org_id,
        .enrolled_by = u->person_id,
        .reference = t->w->reference,
        .waitlist = t->w->waitlist,
        .any_day = 1,
        .today = date_today_plus(a, 0),
    };
    int rc = enrolment_enrol(c, a, &q, &t->res);
    if (rc != 0) return rc;
    audit_entry e;
    audit_begin(&e, a, u->person_id, rq->client_ip, "inschrijving_administratie",
                num(a, t->res.id));
    e.person_id = person;
    e.org_id = t->org_id;
    e.event_id = strtoll(q.event_id, NULL, 10);
    e.detail = person_name(a, t->w->person, 0);
    audit_field(&e, "evenement", "",
                arena_printf(a, "%s %s", q.event_id, db_val(t->ev, 0, "name")));
    audit_field(&e, "status", "", t->res.waitlisted ? "wachtlijst" : "aangemeld");
    audit_field(&e, "factuur_aan", "",
                t->org_id ? arena_printf(a, "organisatie %lld %s", t->org_id, t->org_name)
                          : "persoon");
    audit_field(&e, "referentie", "", q.reference);
    if (audit_write(c, a, &e) != 0) return -1;
    /* the participant hears of it; staff need no mail about their own work */
    enrol_notice n = {.reg_id = t->res.id,
                      .ev = t->ev,
                      .part = t->w->person,
                      .org_id = t->org_id,
                      .org_name = t->org_name,
                      .by_id = u->person_id,
                      .waitlisted = t->res.waitlisted,
                      .position = t->res.position,
                      .price_cents = t->res.price_cents};
    return enrol_mail_received(c, a, rq->app, &n);
}

/* Who is invoiced, checked: 0 and t->org_id set (0: the person), 1 with
 * w->org_error, -1. */
static int read_invoice(new_tx *t)
{
    new_view *w = t->w;
    const char *inv = w->invoice ? w->invoice : "persoon";
    if (strcmp(inv, "persoon") == 0) return 0;
    const char *id = strcmp(inv, "andere") == 0 ? w->other_org : inv;
    if (!id || !field_valid(FK_ID, id, strlen(id))) {
        w->org_error = "Kies de organisatie die de factuur krijgt.";
        return 1;
    }
    db_res *o;
    if (db_q(req_db(w->rq), w->rq->a, &o, "SELECT id, name FROM organisations WHERE id = $1", id) <
        0)
        return -1;
    if (o->nrows != 1) {
        w->org_error = "Deze organisatie bestaat niet (meer). Kies een andere.";
        return 1;
    }
    t->org_id = db_int(o, 0, "id");
    t->org_name = db_val(o, 0, "name");
    return 0;
}

static const char *refusal(int rc)
{
    switch (rc) {
    case ENROL_FULL:
        return "Dit evenement is vol (of er staan al mensen op de wachtlijst). Vink aan dat de "
               "deelnemer op de wachtlijst mag, of kies een ander evenement.";
    case ENROL_TWICE:
        return "Deze persoon staat al ingeschreven voor dit evenement.";
    default:
        return "Dit evenement is geannuleerd of bestaat niet meer.";
    }
}

static void new_post(http_req *rq, http_resp *rs)
{
    new_view w = {.rq = rq,
                  .person_id = req_in(rq, "persoon"),
                  .event_id = req_in(rq, "evenement"),
                  .invoice = req_in(rq, "factuur"),
                  .other_org = req_in(rq, "andere_organisatie"),
                  .reference = req_in(rq, "referentie"),
                  .waitlist = req_in(rq, "wachtlijst") != NULL};
    if (!w.person_id) {
        page_error(rq, rs, 400);
        return;
    }
    int rc = find_person(&w, rs);
    if (rc != 0) {
        if (rc < 0) page_db_error(rq, rs);
        return;
    }
    new_tx t = {.w = &w};
    db_res *ev = NULL;
    if (!w.event_id) {
        w.event_error = "Kies het evenement.";
    } else if (!(ev = enrolment_event(req_db(rq), rq->a, w.event_id, date_today_plus(rq->a, 0)))) {
        page_db_error(rq, rs);
        return;
    } else if (ev->nrows != 1 || db_int(ev, 0, "cancelled")) {
        w.event_error = "Dit evenement is geannuleerd of bestaat niet meer.";
    }
    if ((rc = read_invoice(&t)) < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (w.event_error || w.org_error) {
        new_page(&w, rs, 422);
        return;
    }
    t.ev = ev;
    rc = db_tx(req_db(rq), rq->a, store_new, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        w.event_error = refusal(rc);
        new_page(&w, rs, 409);
        return;
    }
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, t.res.waitlisted ? "inschrijving-wachtlijst" : "inschrijving-gemaakt");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, QUEUE_PATH "/%lld", t.res.id));
}

static const field_spec get_fields[] = {
    {"q", IN_QUERY, FK_LINE, 100},
    {"persoon", IN_QUERY, FK_ID, 20},
    {"evenement", IN_QUERY, FK_ID, 20},
    {NULL, 0, 0, 0},
};

static const field_spec post_fields[] = {
    {"persoon", IN_FORM, FK_ID, 20},
    {"evenement", IN_FORM, FK_ID, 20},
    {"factuur", IN_FORM, FK_SLUG, 20},
    {"andere_organisatie", IN_FORM, FK_ID, 20},
    {"referentie", IN_FORM, FK_LINE, 100},
    {"wachtlijst", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", NEW_PATH, new_get, get_fields, RF_STAFF},
    {"POST", NEW_PATH, new_post, post_fields, RF_STAFF},
};

void enrolment_queue_new_routes(router *r)
{
    router_add_all(r, routes);
}
