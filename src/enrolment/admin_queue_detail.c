/* admin_queue_detail.c - /beheer/inschrijvingen/<id>: one registration for
 * the administratie: the participant, the event, its status, who is
 * invoiced, the reference, and its history from the audit trail; with
 * Verwerken (for a bezoeker first the match with an existing person and
 * the choice of organisation), Verplaatsen and Annuleren, whose POSTs are
 * in admin_queue_actions.c. */
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/admin_queue.h"
#include "enrolment/internal.h"
#include "web/page.h"

#define HISTORY_FIELDS 16

static int has_text(const char *s)
{
    return s && *s;
}

/* One row of the page's <dl class="data-grid">; returns it (for a link). */
static tv *fact(tv *list, const char *label, const char *value, int group_start)
{
    tv *o = tv_push_obj(list);
    tv_set_str(o, "label", label);
    tv_set_str(o, "value", has_text(value) ? value : "");
    tv_set_str(o, "href", "");
    tv_set_bool(o, "group_start", group_start);
    return o;
}

static const char *name_of(arena *a, const db_res *r, const char *prefix)
{
    return names_full(a, db_val(r, 0, arena_printf(a, "%sfirst_name", prefix)),
                      db_val(r, 0, arena_printf(a, "%sinfix", prefix)),
                      db_val(r, 0, arena_printf(a, "%slast_name", prefix)));
}

static const char *moment_or_null(arena *a, const db_res *r, const char *col)
{
    return db_val(r, 0, col) ? moment_nl(a, db_int(r, 0, col)) : NULL;
}

static void participant_facts(http_req *rq, tv *list, const db_res *r)
{
    arena *a = rq->a;
    int bezoeker = !db_int(r, 0, "person_id");
    fact(list, "Deelnemer", name_of(a, r, ""), 1);
    fact(list, "E-mailadres", db_val(r, 0, "email"), 0);
    fact(list, "Telefoon", db_val(r, 0, "phone"), 0);
    const char *street = db_val(r, 0, "street");
    if (has_text(street))
        fact(list, "Adres",
             arena_printf(a, "%s %s, %s  %s", street, db_val(r, 0, "house_number"),
                          db_val(r, 0, "postcode"), db_val(r, 0, "city")),
             0);
    const char *birth = db_val(r, 0, "birth_date");
    if (has_text(birth)) fact(list, "Geboortedatum", date_nl(a, birth), 0);
    fact(list, "Account",
         bezoeker ? "Nog geen: aanmelding zonder account, de persoon wordt bij verwerken "
                    "aangemaakt of gekoppeld"
                  : "Persoon in het portaal",
         0);
    if (bezoeker)
        fact(list, "E-mailadres bevestigd",
             db_val(r, 0, "confirmed_at") ? moment_or_null(a, r, "confirmed_at")
                                          : "Nog niet: de aanmelding kan nog vervallen",
             0);
}

static void event_facts(http_req *rq, tv *list, const db_res *r)
{
    arena *a = rq->a;
    fact(list, "Cursus", db_val(r, 0, "course_name"), 1);
    fact(list, "Evenement", db_val(r, 0, "event_name"), 0);
    fact(list, "Datum",
         enrol_when(a, db_val(r, 0, "starts_on"), db_val(r, 0, "ends_on"),
                    db_val(r, 0, "start_time"), db_val(r, 0, "end_time")),
         0);
    fact(list, "Locatie", db_val(r, 0, "location"), 0);
    fact(list, "Plaatsen",
         db_int(r, 0, "event_cancelled") ? "Het evenement is geannuleerd"
                                         : enrol_places_text(a, db_int(r, 0, "places")),
         0);
}

static void registration_facts(http_req *rq, tv *list, const db_res *r)
{
    arena *a = rq->a;
    const char *status = db_val(r, 0, "status");
    int confirmed = db_int(r, 0, "person_id") || db_val(r, 0, "confirmed_at");
    const char *label = queue_status_label(status, confirmed, db_val(r, 0, "moved_to") != NULL);
    if (strcmp(status, "wachtlijst") == 0)
        label = arena_printf(a, "%s (plaats %lld)", label, db_int(r, 0, "position"));
    fact(list, "Status", label, 1);
    const char *org = db_val(r, 0, "org_name"), *typed = db_val(r, 0, "applicant_org_name");
    fact(list, "Factuur aan",
         org ? arena_printf(a, "%s (organisatie)", org)
             : arena_printf(a, "%s (persoon)", name_of(a, r, "")),
         0);
    if (has_text(typed)) {
        fact(list, "Opgegeven organisatie", typed, 0);
        fact(list, "Opgegeven factuuradres", db_val(r, 0, "applicant_invoice_address"), 0);
    }
    fact(list, "Referentie", db_val(r, 0, "reference"), 0);
    fact(list, "Prijs", enrol_price_text(a, db_int(r, 0, "price_cents")), 0);
    if (db_val(r, 0, "terms_version"))
        fact(list, "Voorwaarden geaccepteerd",
             arena_printf(a, "versie %s", db_val(r, 0, "terms_version")), 0);
    fact(list, "Ingeschreven op", moment_nl(a, db_int(r, 0, "created_at")), 0);
    const char *by = db_val(r, 0, "enrolled_by")
                         ? arena_printf(a, "%s%s", name_of(a, r, "by_"),
                                        db_int(r, 0, "enrolled_by_staff") ? " (administratie)" : "")
                         : "De deelnemer zelf, via het formulier op de website";
    fact(list, "Ingeschreven door", by, 0);
    fact(list, "Verwerkt op", moment_or_null(a, r, "processed_at"), 0);
    fact(list, "Bevestiging verzonden", db_int(r, 0, "confirmation_sent") ? "Ja" : "Nee", 0);
    if (db_val(r, 0, "cancelled_at"))
        fact(list, "Geannuleerd op", moment_or_null(a, r, "cancelled_at"), 0);
    if (db_val(r, 0, "moved_from"))
        tv_set_str(fact(list, "Verplaatst van",
                        arena_printf(a, "Inschrijving %s", db_val(r, 0, "moved_from")), 0),
                   "href", arena_printf(a, QUEUE_PATH "/%s", db_val(r, 0, "moved_from")));
    if (db_val(r, 0, "moved_to"))
        tv_set_str(fact(list, "Verplaatst naar",
                        arena_printf(a, "Inschrijving %s", db_val(r, 0, "moved_to")), 0),
                   "href", arena_printf(a, QUEUE_PATH "/%s", db_val(r, 0, "moved_to")));
}

static const struct {
    const char *action, *label;
} actions[] = {
    {"inschrijving", "Ingeschreven"},
    {"inschrijving_wachtlijst", "Op de wachtlijst geplaatst"},
    {"aanmelding", "Aangemeld met het formulier op de website"},
    {"aanmelding_wachtlijst", "Met het formulier op de wachtlijst geplaatst"},
    {"aanmelding_bevestigd", "E-mailadres bevestigd"},
    {"aanmelding_vervallen", "Vervallen: e-mailadres niet op tijd bevestigd"},
    {"afmelding", "Afgemeld in de Klantportal"},
    {"wachtlijst_ingeschreven", "Van de wachtlijst ingeschreven"},
    {"inschrijving_van_wachtlijst", "Van de wachtlijst ingeschreven"},
    {"inschrijving_verwerkt", "Verwerkt"},
    {"inschrijving_verplaatst", "Verplaatst"},
    {"inschrijving_geannuleerd", "Geannuleerd door de administratie"},
    {"inschrijving_administratie", "Ingeschreven door de administratie"},
    {"inschrijving_referentie", "Referentie aangepast"},
};

static const char *action_label(const char *action)
{
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (strcmp(actions[i].action, action) == 0) return actions[i].label;
    return action;
}

static void put_history(http_req *rq, tv *ctx, const db_res *h)
{
    tv *list = tv_set_list(ctx, "history");
    for (int i = 0; i < h->nrows; i++) {
        tv *o = tv_push_obj(list);
        tv_set_str(o, "when", moment_nl(rq->a, db_int(h, i, "at")));
        const char *who = names_full(rq->a, db_val(h, i, "actor_first_name"),
                                     db_val(h, i, "actor_infix"), db_val(h, i, "actor_last_name"));
        tv_set_str(o, "who", has_text(who) ? who : "Bezoeker of systeem");
        tv_set_str(o, "what", action_label(db_val(h, i, "action")));
        tv_set_str(o, "detail", db_val(h, i, "detail"));
        audit_change ch[HISTORY_FIELDS];
        int n = audit_changes_split(rq->a, db_val(h, i, "changes"), ch, HISTORY_FIELDS);
        tv *fields = tv_set_list(o, "changes");
        for (int k = 0; k < n; k++) {
            tv *f = tv_push_obj(fields);
            tv_set_str(f, "field", ch[k].field);
            tv_set_str(f, "old", has_text(ch[k].old) ? ch[k].old : "(leeg)");
            tv_set_str(f, "new", has_text(ch[k].new_value) ? ch[k].new_value : "(leeg)");
        }
    }
    tv_set_bool(ctx, "has_history", h->nrows > 0);
}

/* A bezoeker's registration to process: the person who has the address
 * already (to confirm) and the organisations to invoice. */
static int put_process(http_req *rq, tv *ctx, const db_res *r)
{
    db_conn *c = req_db(rq);
    db_res *m = queue_match(c, rq->a, db_val(r, 0, "applicant_email"));
    if (!m) return -1;
    if (m->nrows == 1) {
        tv *o = tv_set_obj(ctx, "match");
        tv_set_str(o, "id", db_val(m, 0, "id"));
        tv_set_str(o, "name", name_of(rq->a, m, ""));
        tv_set_str(o, "email", db_val(m, 0, "email"));
        const char *street = db_val(m, 0, "street");
        if (has_text(street))
            tv_set_str(o, "address",
                       arena_printf(rq->a, "%s %s, %s  %s", street, db_val(m, 0, "house_number"),
                                    db_val(m, 0, "postcode"), db_val(m, 0, "city")));
        tv_set_str(o, "login",
                   db_int(m, 0, "blocked")     ? "Toegang geblokkeerd"
                   : db_int(m, 0, "has_login") ? "Heeft een account"
                                               : "Nog geen account");
        db_res *orgs = queue_person_orgs(c, rq->a, db_val(m, 0, "id"));
        if (!orgs) return -1;
        tv *list = tv_set_list(o, "orgs");
        for (int i = 0; i < orgs->nrows; i++)
            tv_push(list, tv_str(rq->a, db_val(orgs, i, "name")));
        tv_set_bool(o, "has_orgs", orgs->nrows > 0);
    }
    const char *typed = db_val(r, 0, "applicant_org_name");
    if (!has_text(typed)) return 0;
    db_res *named = queue_orgs_named(c, rq->a, typed);
    if (!named) return -1;
    tv *o = tv_set_obj(ctx, "org_choice");
    tv_set_str(o, "typed", typed);
    tv *list = tv_set_list(o, "existing");
    for (int i = 0; i < named->nrows; i++) {
        tv *e = tv_push_obj(list);
        tv_set_str(e, "id", db_val(named, i, "id"));
        tv_set_str(e, "name", db_val(named, i, "name"));
        tv_set_str(e, "city", db_val(named, i, "city"));
    }
    return 0;
}

static int put_move(http_req *rq, tv *ctx, const db_res *r, const queue_detail_opts *o)
{
    const char *current = db_val(r, 0, "event_id");
    db_res *ev = queue_event_options(req_db(rq), rq->a, date_today_plus(rq->a, 0), NULL);
    if (!ev) return -1;
    tv *list = tv_set_list(ctx, "move_events");
    for (int i = 0; i < ev->nrows; i++) {
        const char *id = db_val(ev, i, "id");
        if (strcmp(id, current) == 0 || db_int(ev, i, "cancelled")) continue;
        long long places = db_int(ev, i, "places"), waiting = db_int(ev, i, "waiting");
        const char *state = places > 0 && !waiting
                                ? arena_printf(rq->a, "%lld vrij", places)
                                : arena_printf(rq->a, "vol, %lld op de wachtlijst", waiting);
        tv *e = tv_push_obj(list);
        tv_set_str(e, "value", id);
        tv_set_str(e, "label",
                   arena_printf(rq->a, "%s, %s: %s (%s%s)",
                                date_short_nl(rq->a, db_val(ev, i, "starts_on")),
                                db_val(ev, i, "course_name"), db_val(ev, i, "name"), state,
                                db_int(ev, i, "open") ? "" : ", inschrijving gesloten"));
        tv_set_bool(e, "selected", o->moved_event && strcmp(o->moved_event, id) == 0);
    }
    tv_set_bool(ctx, "moved_waitlist", o->moved_waitlist);
    tv_set_str(ctx, "move_error", o->move_error);
    return 0;
}

void queue_detail_page(http_req *rq, http_resp *rs, const char *id, const queue_detail_opts *o)
{
    static const queue_detail_opts none = {0};
    if (!o) o = &none;
    db_conn *c = req_db(rq);
    db_res *r = queue_registration(c, rq->a, id);
    db_res *h = r && r->nrows == 1 ? queue_history(c, rq->a, id) : NULL;
    if (!r || (r->nrows == 1 && !h)) {
        page_db_error(rq, rs);
        return;
    }
    if (r->nrows != 1) {
        page_error(rq, rs, 404);
        return;
    }
    const char *name = name_of(rq->a, r, "");
    tv *ctx = queue_ctx(rq, name);
    tv_set_str(ctx, "heading", arena_printf(rq->a, "Inschrijving van %s", name));
    tv_set_str(ctx, "id", id);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "error", o->error);
    participant_facts(rq, tv_set_list(ctx, "participant"), r);
    event_facts(rq, tv_set_list(ctx, "event"), r);
    registration_facts(rq, tv_set_list(ctx, "registration"), r);
    put_history(rq, ctx, h);
    const char *status = db_val(r, 0, "status");
    int active = strcmp(status, "geannuleerd") != 0;
    int bezoeker = !db_int(r, 0, "person_id");
    int confirmed = !bezoeker || db_val(r, 0, "confirmed_at");
    int todo = strcmp(status, "aangemeld") == 0;
    tv_set_bool(ctx, "active", active);
    tv_set_bool(ctx, "can_process", todo && confirmed);
    tv_set_bool(ctx, "unconfirmed", todo && !confirmed);
    tv_set_bool(ctx, "waiting", strcmp(status, "wachtlijst") == 0);
    tv_set_bool(ctx, "ask_cancel", active && o->ask_cancel);
    int editable = queue_reference_editable(c, rq->a, id);
    tv_set_bool(ctx, "reference_editable", editable == 1);
    tv_set_str(ctx, "reference", db_val(r, 0, "reference"));
    if (editable < 0 || (todo && confirmed && bezoeker && put_process(rq, ctx, r) != 0) ||
        (active && put_move(rq, ctx, r, o) != 0)) {
        page_db_error(rq, rs);
        return;
    }
    const char *title = arena_printf(rq->a, "%sInschrijving van %s",
                                     o->error || o->move_error ? "Fout: " : "", name);
    page_render(rq, rs, "beheer/inschrijving", ctx, title, NAV_BEHEER);
    if (o->status) rs->status = o->status;
}

static void detail_get(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return;
    }
    queue_detail_page(rq, rs, id, NULL);
}

static const route routes[] = {
    {"GET", QUEUE_PATH "/:id", detail_get, NULL, RF_STAFF},
};

void enrolment_queue_detail_routes(router *r)
{
    router_add_all(r, routes);
    enrolment_queue_reference_routes(r);
}
