/* page.c - Inschrijven: /evenementen/<id>/inschrijven.
 *
 * Logged in, nothing needs typing: the Deelnemer is the person, and the
 * context chosen now decides who is invoiced (as person: the person; for
 * an organisation: the organisation). A beheerder may put a colleague in
 * their place (the red cross, then the magnifier's list of the
 * organisation's persons, which comes back with ?deelnemer=<id>). The
 * form carries the context it was shown in; a POST from a tab whose
 * context was switched meanwhile is refused and shown again as it now
 * stands. A person who pays themself accepts the terms (the version is
 * stored) and is told of the obligation to pay and the 14 days' right of
 * withdrawal before the button. */
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/admin_event_participants.h"
#include "enrolment/enrolment.h"
#include "enrolment/event_admin.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"
#include "enrolment/tx.h"
#include "mail/mail.h"
#include "web/flash.h"
#include "web/webform.h"

static const wf_field enrol_fields[] = {
    {"referentie", "Referentie / inkoopnummer", WF_LINE, 100, NULL,
     "Staat op de factuur, zodat uw administratie hem kan boeken. Niet verplicht.", NULL, 20, NULL},
};
static const webform enrol_form = WEBFORM(enrol_fields);

typedef struct enrol_view {
    http_req *rq;
    const char *event_id;
    db_res *ev;
    db_res *self; /* the logged-in person (enrolment_person) */
    db_res *part; /* the participant, NULL: none chosen */
    const char *error;
    const char *terms_error;
    wf_values *v;
    const enrol_signup *signup; /* a bezoeker's form sent back */
    int status;
} enrol_view;

static int is_self(const enrol_view *w)
{
    return w->part && db_int(w->part, 0, "id") == auth_user(w->rq)->person_id;
}

/* The event, when this viewer may see it; otherwise the 404 (or 500)
 * page has been rendered and NULL comes back. */
static db_res *visible_event(http_req *rq, http_resp *rs, const char *id)
{
    if (!id || !field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return NULL;
    }
    db_res *ev = enrolment_event(req_db(rq), rq->a, id, date_today_plus(rq->a, 0));
    if (page_one_row(rq, rs, ev) != 0) return NULL;
    const auth_ctx *u = auth_user(rq);
    if (db_int(ev, 0, "cancelled") ||
        !enrolment_may_see(ev, u ? u->org_id : 0, u ? u->beheerder : 0, u ? u->is_staff : 0)) {
        page_error(rq, rs, 404);
        return NULL;
    }
    return ev;
}

/* The participant named by ?deelnemer= (or the form's field): the person
 * themself when absent, nobody for "geen" (a beheerder about to choose),
 * otherwise only a person of the chosen organisation, chosen by one of
 * its beheerders. Returns 0, or the status of the page to show (404). */
static int choose_participant(enrol_view *w)
{
    http_req *rq = w->rq;
    const auth_ctx *u = auth_user(rq);
    const char *d = req_in(rq, "deelnemer");
    long long self = u->person_id;
    w->self = enrolment_person(req_db(rq), rq->a, self, u->org_id);
    if (!w->self) return 500;
    if (w->self->nrows != 1) w->self = enrolment_person(req_db(rq), rq->a, self, 0);
    if (!w->self || w->self->nrows != 1) return 500;
    if (!d || !*d) {
        w->part = w->self;
        return 0;
    }
    if (!u->beheerder) return 404;
    if (strcmp(d, "geen") == 0) return 0;
    if (!field_valid(FK_ID, d, strlen(d))) return 404;
    db_res *p = enrolment_person(req_db(rq), rq->a, strtoll(d, NULL, 10), u->org_id);
    if (!p) return 500;
    if (p->nrows != 1) return 404;
    w->part = p;
    return 0;
}

/* What is missing before this enrolment can be stored: the address when
 * the person is invoiced, the date of birth when the course needs it.
 * NULL when nothing is. */
static const char *missing_data(const enrol_view *w)
{
    const auth_ctx *u = auth_user(w->rq);
    const db_res *p = w->part;
    if (!p) return NULL;
    int address = u->org_id == 0 && is_self(w);
    if (address) {
        static const char *const cols[] = {"street", "house_number", "postcode", "city"};
        address = 0;
        for (size_t i = 0; i < 4; i++) {
            const char *s = db_val(w->self, 0, cols[i]);
            if (!s || !*s) address = 1;
        }
    }
    const char *birth = db_val(p, 0, "birth_date");
    int birthday = db_int(w->ev, 0, "requires_birth_date") && (!birth || !*birth);
    if (!address && !birthday) return NULL;
    if (!is_self(w))
        return "Van deze deelnemer ontbreekt de geboortedatum, die deze cursus vraagt. De "
               "deelnemer vult die in bij Mijn gegevens, of neemt contact op met de "
               "administratie: 0223-611310.";
    if (address && birthday) return "uw adres en uw geboortedatum (die deze cursus vraagt)";
    return address ? "uw adres (voor de factuur)" : "uw geboortedatum (die deze cursus vraagt)";
}

static int pays_self(const enrol_view *w)
{
    return auth_user(w->rq)->org_id == 0 && db_int(w->ev, 0, "price_cents") > 0;
}

static const char *full_name(arena *a, const db_res *r)
{
    return names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"),
                      db_val(r, 0, "last_name"));
}

static const char *back_href(http_req *rq, const db_res *ev)
{
    if (db_int(ev, 0, "maatwerk_org_id")) return "/mijn/cursussen/organisatie";
    const char *sp = db_val(ev, 0, "slug_path");
    if (!sp) return "/cursusagenda";
    return arena_printf(rq->a, "/aanbod/%s/%s", sp, db_val(ev, 0, "course_slug"));
}

static void put_participant(enrol_view *w, tv *ctx)
{
    http_req *rq = w->rq;
    const auth_ctx *u = auth_user(rq);
    const char *self_path = arena_printf(rq->a, "/evenementen/%s/inschrijven", w->event_id);
    if (w->part) {
        tv_set_str(ctx, "participant", full_name(rq->a, w->part));
        tv_set_str(ctx, "participant_id", db_val(w->part, 0, "id"));
        if (!is_self(w)) tv_set_str(ctx, "deelnemer", db_val(w->part, 0, "id"));
    }
    if (!u->beheerder) return;
    tv_set_bool(ctx, "beheerder", 1);
    tv_set_str(ctx, "remove_href", arena_printf(rq->a, "%s?deelnemer=geen", self_path));
    tv_set_str(ctx, "lookup_href",
               arena_printf(rq->a, "/mijn/organisatie/personen?terug=%s", self_path));
}

static void render(enrol_view *w, http_resp *rs)
{
    http_req *rq = w->rq;
    const auth_ctx *u = auth_user(rq);
    const db_res *ev = w->ev;
    tv *ctx = enrol_event_ctx(rq, ev, "Inschrijven");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "back_href", back_href(rq, ev));
    tv_set_str(ctx, "share_href",
               arena_printf(rq->a, "mailto:?subject=%s&body=%s/evenementen/%s/inschrijven",
                            "Inschrijven%20bij%20de%20Onderwijsgroep", rq->app->cfg.base_url,
                            w->event_id));
    long long places = db_int(ev, 0, "places"), waiting = db_int(ev, 0, "waiting");
    int open = (int)db_int(ev, 0, "open");
    tv_set_bool(ctx, "closed", !open);
    tv_set_bool(ctx, "full", open && (places <= 0 || waiting > 0));
    if (waiting > 0)
        tv_set_str(ctx, "waiting_text",
                   waiting == 1 ? "1 persoon op de wachtlijst"
                                : arena_printf(rq->a, "%lld personen op de wachtlijst", waiting));
    tv_set_str(ctx, "price", enrol_price_text(rq->a, db_int(ev, 0, "price_cents")));
    tv_set_str(ctx, "error", w->error);
    if (!u) {
        tv_set_str(ctx, "login_href",
                   arena_printf(rq->a, "/inloggen?terug=/evenementen/%s/inschrijven", w->event_id));
        int failed = enrol_signup_put(rq, ctx, ev, w->signup);
        page_render(rq, rs, "enrolment/enrol", ctx, failed ? "Fout: Inschrijven" : "Inschrijven",
                    NULL);
        rs->status = w->status ? w->status : 200;
        return;
    }
    tv_set_bool(ctx, "logged_in", 1);
    tv_set_str(ctx, "context", auth_form_context(rq));
    tv_set_str(ctx, "invoice_to", u->org_id ? u->org_name : full_name(rq->a, w->self));
    tv_set_bool(ctx, "as_org", u->org_id != 0);
    put_participant(w, ctx);
    const char *missing = missing_data(w);
    if (missing && is_self(w)) {
        tv_set_str(ctx, "missing", missing);
        if (u->org_id == 0)
            tv_set_str(ctx, "fix_href",
                       arena_printf(rq->a,
                                    "/mijn/gegevens/aanpassen?terug=/evenementen/%s/inschrijven",
                                    w->event_id));
    } else if (missing) {
        tv_set_str(ctx, "missing_other", missing);
    }
    tv_set_bool(ctx, "can_submit", open && w->part && !missing);
    if (u->org_id) webform_put(rq, ctx, &enrol_form, w->v);
    if (pays_self(w)) {
        tv_set_bool(ctx, "terms", 1);
        tv_set_str(ctx, "terms_version", ENROL_TERMS_VERSION);
        tv_set_str(ctx, "terms_error", w->terms_error);
        tv_set_str(ctx, "amount", money_nl(rq->a, db_int(ev, 0, "price_cents")));
    }
    /* page_render marks a form with field errors itself; a message above
     * the form is marked here */
    int failed = (w->error || w->terms_error) && !(w->v && w->v->nerrors);
    const char *title = arena_printf(rq->a, "%sInschrijven - %s", failed ? "Fout: " : "",
                                     db_val(ev, 0, "course_name"));
    page_render(rq, rs, "enrolment/enrol", ctx, title, NULL);
    rs->status = w->status ? w->status : 200;
}

static void enrol_get(http_req *rq, http_resp *rs)
{
    enrol_view w = {.rq = rq, .event_id = req_param(rq, "id")};
    if (!(w.ev = visible_event(rq, rs, w.event_id))) return;
    if (auth_user(rq)) {
        int st = choose_participant(&w);
        if (st) {
            if (st == 500)
                page_db_error(rq, rs);
            else
                page_error(rq, rs, st);
            return;
        }
        w.v = webform_values(rq->a, &enrol_form);
    }
    render(&w, rs);
}

static void refused(enrol_view *w, http_resp *rs, int rc)
{
    http_req *rq = w->rq;
    const char *who =
        is_self(w) ? "U bent" : arena_printf(rq->a, "%s is", full_name(rq->a, w->part));
    switch (rc) {
    case ENROL_FULL:
        w->error = "Dit evenement is intussen vol. U kunt een plaats op de wachtlijst nemen: "
                   "komt er een plaats vrij, dan wordt de eerste op de wachtlijst ingeschreven.";
        break;
    case ENROL_TWICE:
        w->error = arena_printf(rq->a,
                                "%s al ingeschreven voor dit evenement (of staat op de "
                                "wachtlijst). Dezelfde deelnemer kan niet twee keer worden "
                                "ingeschreven.",
                                who);
        break;
    case ENROL_CLOSED:
        w->error = "De inschrijving voor dit evenement is gesloten. Neem contact op met de "
                   "administratie: 0223-611310.";
        break;
    default:
        page_error(rq, rs, 404);
        return;
    }
    /* show the event as it is now */
    db_res *ev = enrolment_event(req_db(rq), rq->a, w->event_id, date_today_plus(rq->a, 0));
    if (ev && ev->nrows == 1) w->ev = ev;
    w->status = 409;
    render(w, rs);
}

static void enrol_post(http_req *rq, http_resp *rs)
{
    enrol_view w = {.rq = rq, .event_id = req_param(rq, "id")};
    if (!(w.ev = visible_event(rq, rs, w.event_id))) return;
    const auth_ctx *u = auth_user(rq);
    if (!u) {
        /* a bezoeker signs up with the form on the same page */
        if ((w.signup = enrol_signup_post(rq, rs, &w.ev))) {
            w.status = w.signup->status;
            render(&w, rs);
        }
        return;
    }
    int st = choose_participant(&w);
    if (st) {
        if (st == 500)
            page_db_error(rq, rs);
        else
            page_error(rq, rs, st);
        return;
    }
    w.v = u->org_id ? webform_read(rq, &enrol_form) : webform_values(rq->a, &enrol_form);
    /* made for another context (switched in another tab): nothing is
     * stored; the page shows who pays now */
    const char *made_for = req_in(rq, "context");
    if (!made_for || strcmp(made_for, auth_form_context(rq)) != 0) {
        w.error = arena_printf(
            rq->a,
            "U werkt intussen %s (gekozen in een ander venster of tabblad). Er is niets "
            "opgeslagen. Controleer hieronder voor wie de factuur nu is en klik opnieuw op "
            "Inschrijven.",
            u->org_id ? arena_printf(rq->a, "namens %s", u->org_name) : "als persoon");
        w.v = webform_values(rq->a, &enrol_form);
        w.status = 409;
        render(&w, rs);
        return;
    }
    if (!w.part) {
        w.error = "Kies eerst een deelnemer met het vergrootglas.";
        w.status = 422;
        render(&w, rs);
        return;
    }
    if (missing_data(&w) || (w.v && w.v->nerrors)) {
        w.status = 422;
        render(&w, rs);
        return;
    }
    if (pays_self(&w) && !req_in(rq, "voorwaarden")) {
        w.terms_error = "Ga akkoord met de algemene voorwaarden en annuleringsvoorwaarden om "
                        "u in te schrijven.";
        w.status = 422;
        render(&w, rs);
        return;
    }
    enrol_unit t = {
        .q =
            {
                .event_id = w.event_id,
                .person_id = db_int(w.part, 0, "id"),
                .org_id = u->org_id,
                .enrolled_by = u->person_id,
                .reference = u->org_id && w.v->value[0] ? w.v->value[0] : NULL,
                .terms = pays_self(&w) ? ENROL_TERMS_VERSION : NULL,
                .waitlist = req_in(rq, "wachtlijst") != NULL,
                .today = date_today_plus(rq->a, 0),
            },
        .ev = w.ev,
        .part = w.part,
        .by = w.self,
        .org_name = u->org_name,
        .by_beheerder = u->beheerder,
        .client_ip = rq->client_ip,
        .ap = rq->app,
    };
    int rc = db_tx(req_db(rq), rq->a, enrolment_store, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        refused(&w, rs, rc);
        return;
    }
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    resp_redirect(rs, rq->a, 303,
                  arena_printf(rq->a, "/inschrijvingen/%lld/bevestiging", t.res.id));
}

static field_spec enrol_post_fields[8 + ENROL_SIGNUP_INPUTS];

static const field_spec enrol_get_fields[] = {
    {"deelnemer", IN_QUERY, FK_LINE, 20},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/evenementen/:id/inschrijven", enrol_get, enrol_get_fields, 0},
    {"POST", "/evenementen/:id/inschrijven", enrol_post, enrol_post_fields, 0},
};

void enrolment_routes(router *r)
{
    static const field_spec extra[] = {
        {"context", IN_FORM, FK_SLUG, 20},
        {"deelnemer", IN_FORM, FK_LINE, 20},
        {"voorwaarden", IN_FORM, FK_CHECKBOX, 10},
        {"wachtlijst", IN_FORM, FK_CHECKBOX, 10},
        {NULL, 0, 0, 0},
    };
    static field_spec with_signup[5 + ENROL_SIGNUP_INPUTS];
    if (enrol_signup_spec(r, extra, with_signup, sizeof with_signup / sizeof with_signup[0]) != 0 ||
        webform_spec_for(r, &enrol_form, with_signup, enrol_post_fields,
                         sizeof enrol_post_fields / sizeof enrol_post_fields[0]) != 0)
        return;
    router_add_all(r, routes);
    enrolment_confirm_routes(r);
    enrolment_calendar_routes(r);
    enrolment_signup_routes(r);
    enrolment_mine_routes(r);
    enrolment_participants_routes(r);
    enrolment_event_admin_routes(r);
}
