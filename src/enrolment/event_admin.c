/* event_admin.c - an event in the back office: a new event of a course
 * (/beheer/evenementen/nieuw?cursus=<id>: the course's name and price
 * filled in) and an event's page with its form (/beheer/evenementen/<id>). Raising the capacity
 * gives the new places to the waiting list in the same transaction, each promoted person mailed as
 * Afmelden mails them; the capacity never drops below the seats taken.
 * The list is event_admin_list.c; cancelling and deleting are
 * event_admin_cancel.c. */
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "catalog/admin_store.h"
#include "core/buf.h"
#include "core/nlparse.h"
#include "core/timeutil.h"
#include "enrolment/event_admin.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"
#include "mail/mail.h"
#include "web/flash.h"
#include "web/formpart.h"
#include "web/page.h"
#include "web/webform.h"

static int is_id(const char *s)
{
    return s && field_valid(FK_ID, s, strlen(s));
}

/* ---- the form ---- */

#define WHEN "Wanneer"

static const wf_field event_fields[] = {
    {"cursus", "Cursus", WF_LINE, 20, "Kies de cursus van het evenement.", NULL, NULL, 0, NULL},
    {"naam", "Naam", WF_LINE, 200, NULL, "Leeg: de naam van de cursus.", NULL, 0, NULL},
    {"begindatum", "Begindatum", WF_LINE, 10, "Vul de begindatum in.",
     "dd-mm-jjjj, bijvoorbeeld 12-03-2027", NULL, 10, WHEN},
    {"einddatum", "Einddatum", WF_LINE, 10, NULL, "dd-mm-jjjj. Leeg: de dag van de begindatum.",
     NULL, 10, WHEN},
    {"begintijd", "Begintijd", WF_LINE, 5, NULL, "uu:mm, bijvoorbeeld 09:00", NULL, 5, WHEN},
    {"eindtijd", "Eindtijd", WF_LINE, 5, NULL, "uu:mm, bijvoorbeeld 16:30", NULL, 5, WHEN},
    {"lesdagen", "Lesdagen", WF_TEXT, 2000, NULL,
     "Alleen als het evenement niet elke dag van de begin- tot de einddatum samenkomt: elke "
     "lesdag op een eigen regel, eventueel met tijden, bijvoorbeeld 12-03-2027 09:00-12:30.",
     NULL, 0, WHEN},
    {"locatie", "Locatie", WF_LINE, 200, NULL, NULL, NULL, 0, NULL},
    {"capaciteit", "Capaciteit", WF_LINE, 6, "Vul het aantal plaatsen in.",
     "Het aantal plaatsen. Komen er plaatsen bij, dan krijgen mensen op de wachtlijst ze.", NULL, 6,
     NULL},
    {"prijs", "Prijs", WF_LINE, 20, NULL,
     "In euro's inclusief btw, bijvoorbeeld 125,00. Leeg: de standaardprijs van de cursus.", NULL,
     12, NULL},
    {"inschrijven_tot", "Inschrijven kan tot en met", WF_LINE, 10, NULL,
     "dd-mm-jjjj. Leeg: tot de dag voor de begindatum.", NULL, 10, NULL},
};
#define N_EVENT_FIELDS (sizeof event_fields / sizeof event_fields[0])
/* A new event chooses its course; an event keeps it. */
static const webform new_form = {event_fields, N_EVENT_FIELDS};
static const webform edit_form = {event_fields + 1, N_EVENT_FIELDS - 1};

typedef struct event_page {
    http_req *rq;
    const webform *f;
    const db_res *row; /* the event; NULL: a new one */
    wf_values *v;
    const char *error; /* above the form */
} event_page;

static const char *value(const event_page *p, const char *name)
{
    int i = webform_index(p->f, name);
    return i < 0 ? NULL : p->v->value[i];
}

static void show(event_page *p, const char *name, const char *text)
{
    int i = webform_index(p->f, name);
    if (i >= 0) p->v->shown[i] = text;
}

/* The meeting days as the field shows them, one per line. */
static const char *days_text(arena *a, const db_res *days)
{
    buf b;
    buf_init(&b, a, 128);
    for (int i = 0; days && i < days->nrows; i++) {
        buf_printf(&b, "%s%s", i ? "\n" : "", date_nl(a, db_val(days, i, "day")));
        const char *s = db_val(days, i, "start_time"), *e = db_val(days, i, "end_time");
        if (s && *s) buf_printf(&b, " %s-%s", s, e);
    }
    return b.data;
}

/* The event's facts above its form and the ways on: participants, the
 * public page, cancelling, deleting. */
static void put_facts(http_req *rq, tv *ctx, const db_res *row)
{
    const char *id = db_val(row, 0, "id");
    tv_set_str(ctx, "course", db_val(row, 0, "course_name"));
    tv_set_str(ctx, "course_href",
               arena_printf(rq->a, "/beheer/cursussen/%s", db_val(row, 0, "course_id")));
    tv_set_str(ctx, "org", db_val(row, 0, "org_name"));
    tv_set_str(ctx, "seats",
               arena_printf(rq->a, "%s van %s", db_val(row, 0, "seats_taken"),
                            db_val(row, 0, "capacity")));
    tv_set_str(ctx, "waiting", db_val(row, 0, "waiting"));
    tv_set_bool(ctx, "cancelled", db_int(row, 0, "cancelled"));
    tv_set_str(ctx, "action", arena_printf(rq->a, "/beheer/evenementen/%s", id));
    tv_set_str(ctx, "participants_href",
               arena_printf(rq->a, "/beheer/evenementen/%s/deelnemers", id));
    tv_set_str(ctx, "public_href", arena_printf(rq->a, "/evenementen/%s/inschrijven", id));
    tv_set_str(ctx, "cancel_action", arena_printf(rq->a, "/beheer/evenementen/%s/annuleren", id));
    tv_set_str(ctx, "delete_action", arena_printf(rq->a, "/beheer/evenementen/%s/verwijderen", id));
}

static void form_page(event_page *p, http_resp *rs, int status)
{
    http_req *rq = p->rq;
    db_res *courses = p->row ? NULL : catalog_admin_course_options(req_db(rq), rq->a);
    if (!p->row && !courses) {
        page_db_error(rq, rs);
        return;
    }
    const char *name = p->row ? db_val(p->row, 0, "name") : "Nieuw evenement";
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Evenementen", "/beheer/evenementen");
    page_crumb(rq, ctx, name, NULL);
    tv_set_str(ctx, "heading", name);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "error", p->error);
    webform_put(rq, ctx, p->f, p->v);
    formpart_put(rq, ctx, "part1", p->f, p->v, "naam", "lesdagen");
    formpart_put(rq, ctx, "part2", p->f, p->v, "locatie", "inschrijven_tot");
    if (p->row) {
        put_facts(rq, ctx, p->row);
    } else {
        tv_set_str(ctx, "action", "/beheer/evenementen/nieuw");
        tv *ch = formpart_choice(rq, ctx, "course_choice", p->f, p->v, "cursus");
        formpart_option(ch, "", "Kies een cursus");
        for (int i = 0; i < courses->nrows; i++) {
            const char *org = db_val(courses, i, "org_name");
            formpart_option(
                ch, db_val(courses, i, "id"),
                org ? arena_printf(rq->a, "%s (maatwerk %s)", db_val(courses, i, "name"), org)
                    : db_val(courses, i, "name"));
        }
    }
    page_render(rq, rs, "beheer/event", ctx, name, NAV_BEHEER);
    rs->status = status;
}

/* The event's row (and its days) as the form shows it. */
static void show_row(event_page *p, const db_res *row, const db_res *days)
{
    arena *a = p->rq->a;
    show(p, "naam", db_val(row, 0, "name"));
    show(p, "begindatum", date_nl(a, db_val(row, 0, "starts_on")));
    show(p, "einddatum", date_nl(a, db_val(row, 0, "ends_on")));
    show(p, "begintijd", db_val(row, 0, "start_time"));
    show(p, "eindtijd", db_val(row, 0, "end_time"));
    show(p, "lesdagen", days_text(a, days));
    show(p, "locatie", db_val(row, 0, "location"));
    show(p, "capaciteit", db_val(row, 0, "capacity"));
    show(p, "prijs", nl_euros_field(a, db_int(row, 0, "price_cents")));
    const char *deadline = db_val(row, 0, "registration_deadline");
    show(p, "inschrijven_tot", deadline ? date_nl(a, deadline) : NULL);
}

/* A typed field read by check; its message goes under the field. */
typedef const char *(*text_check)(arena *a, const char *in, const char **out);

static const char *checked(event_page *p, const char *name, text_check check)
{
    const char *in = value(p, name), *out = NULL;
    if (!in) return NULL;
    const char *msg = check(p->rq->a, in, &out);
    if (msg) webform_fail(p->v, p->f, name, msg);
    return msg ? NULL : out;
}

/* Every meeting day lies from the first day to the last. */
static void read_days(event_page *p, event_in *in, nl_day *days)
{
    const char *text = value(p, "lesdagen");
    if (!text) return;
    const char *msg = nl_days(p->rq->a, text, days, EVENT_MAX_DAYS, &in->ndays);
    for (int i = 0; !msg && in->starts_on && in->ends_on && i < in->ndays; i++)
        if (strcmp(days[i].day, in->starts_on) < 0 || strcmp(days[i].day, in->ends_on) > 0)
            msg = arena_printf(p->rq->a, "%s ligt niet tussen de begin- en de einddatum.",
                               date_nl(p->rq->a, days[i].day));
    if (msg) {
        webform_fail(p->v, p->f, "lesdagen", msg);
        in->ndays = 0;
    }
    in->days = days;
}

/* The checks beyond the form's own; fills in. price_cents -1: the
 * course's price. */
static void read_input(event_page *p, event_in *in, nl_day *days)
{
    arena *a = p->rq->a;
    memset(in, 0, sizeof *in);
    in->course_id = value(p, "cursus");
    if (in->course_id && !is_id(in->course_id))
        webform_fail(p->v, p->f, "cursus", "Kies een cursus uit de lijst.");
    in->name = value(p, "naam");
    in->starts_on = checked(p, "begindatum", nl_date);
    in->ends_on = checked(p, "einddatum", nl_date);
    if (!value(p, "einddatum")) in->ends_on = in->starts_on;
    if (in->starts_on && in->ends_on && strcmp(in->ends_on, in->starts_on) < 0)
        webform_fail(p->v, p->f, "einddatum", "De einddatum kan niet voor de begindatum liggen.");
    in->start_time = checked(p, "begintijd", nl_clock);
    in->end_time = checked(p, "eindtijd", nl_clock);
    if (in->start_time && in->end_time && strcmp(in->end_time, in->start_time) <= 0)
        webform_fail(p->v, p->f, "eindtijd", "De eindtijd moet na de begintijd liggen.");
    if (!in->start_time) in->start_time = "";
    if (!in->end_time) in->end_time = "";
    read_days(p, in, days);
    in->location = value(p, "locatie") ? value(p, "locatie") : "";
    const char *cap = value(p, "capaciteit");
    const char *msg = cap ? nl_count(a, cap, 0, 100000, &in->capacity) : NULL;
    if (msg) webform_fail(p->v, p->f, "capaciteit", msg);
    in->price_cents = -1;
    msg = value(p, "prijs") ? nl_euros(value(p, "prijs"), &in->price_cents) : NULL;
    if (msg) webform_fail(p->v, p->f, "prijs", msg);
    in->deadline = checked(p, "inschrijven_tot", nl_date);
    if (in->deadline && in->starts_on && strcmp(in->deadline, in->starts_on) > 0)
        webform_fail(p->v, p->f, "inschrijven_tot",
                     "Inschrijven kan niet langer dan tot en met de begindatum.");
}

typedef struct event_tx {
    http_req *rq;
    const char *id; /* NULL: add */
    event_in in;
    long long new_id;
    long long seats_taken; /* for the message when the capacity is too low */
    int promoted;
} event_tx;

/* The waiting list takes the places added, one by one, each promoted
 * person audited and mailed. */
static int promote_added(db_conn *c, arena *a, event_tx *t, const db_res *old, const char *id)
{
    long long added = t->in.capacity - db_int(old, 0, "capacity");
    const auth_ctx *u = auth_user(t->rq);
    for (long long i = 0; i < added && !db_int(old, 0, "cancelled"); i++) {
        long long promoted = 0;
        if (enrolment_promote(c, a, id, &promoted) != 0) return -1;
        if (!promoted) break;
        t->promoted++;
        if (enrol_promoted(
                c, a, t->rq->app, u->person_id, t->rq->client_ip, promoted,
                arena_printf(a, "evenement %s, plaats vrij na een grotere capaciteit", id)) != 0)
            return -1;
    }
    return 0;
}

static const char *opt(const char *s)
{
    return s ? s : "";
}

/* One audit line with every field that differs between before (NULL for
 * a new event) and now. */
static int audit_event(db_conn *c, arena *a, event_tx *t, const db_res *old, const char *old_days,
                       const db_res *now, const char *now_days)
{
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip,
                old ? "evenement_gewijzigd" : "evenement_aangemaakt", db_val(now, 0, "name"));
    e.event_id = db_int(now, 0, "id");
    e.org_id = db_int(now, 0, "maatwerk_org_id");
    if (!old) audit_field(&e, "cursus", "", db_val(now, 0, "course_name"));
    static const struct {
        const char *field, *col;
    } cols[] = {{"naam", "name"},           {"begindatum", "starts_on"},
                {"einddatum", "ends_on"},   {"begintijd", "start_time"},
                {"eindtijd", "end_time"},   {"locatie", "location"},
                {"capaciteit", "capacity"}, {"inschrijven tot en met", "registration_deadline"}};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        audit_field(&e, cols[i].field, old ? opt(db_val(old, 0, cols[i].col)) : "",
                    opt(db_val(now, 0, cols[i].col)));
    audit_field(&e, "lesdagen", old_days, now_days);
    audit_field(&e, "prijs", old ? money_nl(a, db_int(old, 0, "price_cents")) : "",
                money_nl(a, db_int(now, 0, "price_cents")));
    if (t->promoted) e.detail = arena_printf(a, "%d van de wachtlijst ingeschreven", t->promoted);
    return audit_write(c, a, &e);
}

static int save_tx(db_conn *c, arena *a, void *arg)
{
    event_tx *t = arg;
    t->promoted = 0;
    db_res *old = NULL, *old_days = NULL;
    const char *id = t->id;
    int rc;
    if (id) {
        old = event_admin_get(c, a, id, 1);
        old_days = old ? event_admin_days(c, a, id) : NULL;
        if (!old_days) return -1;
        if (old->nrows != 1) return EVENT_GONE;
        t->seats_taken = db_int(old, 0, "seats_taken");
        event_in in = t->in;
        if (in.price_cents < 0) in.price_cents = db_int(old, 0, "course_price_cents");
        if (!in.name) in.name = db_val(old, 0, "course_name");
        rc = event_admin_update(c, a, id, &in, t->seats_taken);
        if (rc == 0) rc = promote_added(c, a, t, old, id);
    } else {
        db_res *course = catalog_admin_course(c, a, t->in.course_id);
        if (!course) return -1;
        if (course->nrows != 1) return EVENT_GONE;
        event_in in = t->in;
        if (in.price_cents < 0) in.price_cents = db_int(course, 0, "price_cents");
        if (!in.name) in.name = db_val(course, 0, "name");
        rc = event_admin_add(c, a, &in, &t->new_id);
        id = arena_printf(a, "%lld", t->new_id);
    }
    if (rc != 0) return rc;
    db_res *now = event_admin_get(c, a, id, 0), *days = now ? event_admin_days(c, a, id) : NULL;
    if (!days || now->nrows != 1) return -1;
    return audit_event(c, a, t, old, old ? days_text(a, old_days) : "", now, days_text(a, days));
}

static void save(http_req *rq, http_resp *rs, const db_res *row)
{
    event_page p = {.rq = rq, .f = row ? &edit_form : &new_form, .row = row};
    p.v = webform_read(rq, p.f);
    event_tx t = {.rq = rq, .id = row ? db_val(row, 0, "id") : NULL};
    nl_day days[EVENT_MAX_DAYS];
    read_input(&p, &t.in, days);
    if (row && t.in.capacity < db_int(row, 0, "seats_taken") &&
        !p.v->error[webform_index(p.f, "capaciteit")])
        webform_fail(p.v, p.f, "capaciteit",
                     arena_printf(rq->a,
                                  "De capaciteit kan niet lager zijn dan het aantal bezette "
                                  "plaatsen: %s.",
                                  db_val(row, 0, "seats_taken")));
    if (p.v->nerrors) {
        form_page(&p, rs, 422);
        return;
    }
    int rc = db_tx(req_db(rq), rq->a, save_tx, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc == EVENT_BELOW_TAKEN) {
        /* seats were taken meanwhile */
        webform_fail(p.v, p.f, "capaciteit",
                     arena_printf(rq->a,
                                  "De capaciteit kan niet lager zijn dan het aantal bezette "
                                  "plaatsen: %lld.",
                                  t.seats_taken));
        form_page(&p, rs, 409);
        return;
    }
    if (rc > 0) {
        p.error = "Het evenement of de cursus bestaat niet meer.";
        form_page(&p, rs, 409);
        return;
    }
    if (t.promoted && rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, row ? "opgeslagen" : "evenement-aangemaakt");
    resp_redirect(rs, rq->a, 303,
                  arena_printf(rq->a, "/beheer/evenementen/%s",
                               row ? t.id : arena_printf(rq->a, "%lld", t.new_id)));
}

static db_res *event_of(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (!is_id(id)) {
        page_error(rq, rs, 404);
        return NULL;
    }
    db_res *r = event_admin_get(req_db(rq), rq->a, id, 0);
    return page_one_row(rq, rs, r) == 0 ? r : NULL;
}

/* A new event of the course in ?cursus=: its name and price filled in. */
static void new_get(http_req *rq, http_resp *rs)
{
    event_page p = {.rq = rq, .f = &new_form, .v = webform_values(rq->a, &new_form)};
    const char *course_id = req_in(rq, "cursus");
    if (course_id) {
        db_res *c = catalog_admin_course(req_db(rq), rq->a, course_id);
        if (!c) {
            page_db_error(rq, rs);
            return;
        }
        if (c->nrows == 1) {
            show(&p, "cursus", course_id);
            show(&p, "naam", db_val(c, 0, "name"));
            show(&p, "prijs", nl_euros_field(rq->a, db_int(c, 0, "price_cents")));
        }
    }
    form_page(&p, rs, 200);
}

static void new_post(http_req *rq, http_resp *rs)
{
    save(rq, rs, NULL);
}

static void edit_get(http_req *rq, http_resp *rs)
{
    db_res *row = event_of(rq, rs);
    if (!row) return;
    db_res *days = event_admin_days(req_db(rq), rq->a, db_val(row, 0, "id"));
    if (!days) {
        page_db_error(rq, rs);
        return;
    }
    event_page p = {.rq = rq, .f = &edit_form, .row = row, .v = webform_values(rq->a, &edit_form)};
    show_row(&p, row, days);
    form_page(&p, rs, 200);
}

static void edit_post(http_req *rq, http_resp *rs)
{
    db_res *row = event_of(rq, rs);
    if (row) save(rq, rs, row);
}

static const field_spec new_get_fields[] = {
    {"cursus", IN_QUERY, FK_ID, 20},
    {NULL, 0, 0, 0},
};

/* Filled from the form descriptions when the routes are registered. */
static field_spec new_post_fields[N_EVENT_FIELDS + 1];
static field_spec edit_post_fields[N_EVENT_FIELDS];

static const route routes[] = {
    {"GET", "/beheer/evenementen/nieuw", new_get, new_get_fields, RF_STAFF},
    {"POST", "/beheer/evenementen/nieuw", new_post, new_post_fields, RF_STAFF},
    {"GET", "/beheer/evenementen/:id", edit_get, NULL, RF_STAFF},
    {"POST", "/beheer/evenementen/:id", edit_post, edit_post_fields, RF_STAFF},
};

void enrolment_event_admin_routes(router *r)
{
    if (webform_spec_for(r, &new_form, NULL, new_post_fields, N_EVENT_FIELDS + 1) != 0 ||
        webform_spec_for(r, &edit_form, NULL, edit_post_fields, N_EVENT_FIELDS) != 0)
        return;
    router_add_all(r, routes);
    enrolment_event_list_routes(r);
    enrolment_event_cancel_routes(r);
}
