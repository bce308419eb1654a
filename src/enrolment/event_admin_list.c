/* event_admin_list.c - Evenementen in the back office (/beheer/evenementen):
 * every event, cancelled ones too, searchable and filtered by course, date
 * range (from today unless asked otherwise), location, cancelled and
 * maatwerk organisation; a web/list.h list. */
#include <string.h>

#include "catalog/admin_store.h"
#include "core/timeutil.h"
#include "enrolment/event_admin.h"
#include "web/list.h"
#include "web/page.h"

static int is_id(const char *s)
{
    return s && field_valid(FK_ID, s, strlen(s));
}

static const char *const event_filters[] = {
    "q", "cursus", "van", "tot", "voorbij", "locatie", "geannuleerd", "organisatie", NULL};

static const list_col event_cols[] = {
    {"datum", "Datum", "e.starts_on", 0, 0, 0},
    {"evenement", "Evenement", "lower(e.name)", 0, 0, 0},
    {"locatie", "Locatie", "lower(e.location)", 0, 0, 0},
    {NULL, "Bezet", NULL, 0, 1, 0},
    {NULL, "Wachtlijst", NULL, 0, 1, 0},
    {NULL, "Inschrijving", NULL, 0, 0, 0},
};

static const list_spec event_list = {
    .path = "/beheer/evenementen",
    .caption = "Evenementen",
    .one = "evenement",
    .many = "evenementen",
    .empty = "Er zijn geen evenementen die aan deze zoekopdracht voldoen.",
    .cols = event_cols,
    .ncols = 6,
    .sort_col = 0,
    .id_expr = "e.id",
    .per_page = 25,
    .per_page_min = 10,
    .per_page_max = 100,
    .filters = event_filters,
};

static long long list_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return event_admin_count(c, a, arg, cap);
}

static db_res *list_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return event_admin_list(c, a, arg, k);
}

static const char *one_of(const char *v, const char *a, const char *b)
{
    return v && (strcmp(v, a) == 0 || strcmp(v, b) == 0) ? v : NULL;
}

static event_filter *read_filter(http_req *rq)
{
    event_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->today = date_today_plus(rq->a, 0);
    f->q = req_in(rq, "q");
    f->course_id = req_in(rq, "cursus");
    f->from = req_in(rq, "van");
    f->to = req_in(rq, "tot");
    f->past = req_in(rq, "voorbij") != NULL;
    f->location = req_in(rq, "locatie");
    f->cancelled = one_of(req_in(rq, "geannuleerd"), "ja", "nee");
    const char *org = req_in(rq, "organisatie");
    if (org && (strcmp(org, "openbaar") == 0 || is_id(org))) f->org = org;
    return f;
}

/* What the Inschrijving column says of row i. */
static const char *standing(const db_res *r, int i, const char **badge)
{
    *badge = NULL;
    if (db_int(r, i, "cancelled")) {
        *badge = "Geannuleerd";
        return "geannuleerd";
    }
    if (!db_int(r, i, "open")) return "gesloten";
    return db_int(r, i, "seats_taken") >= db_int(r, i, "capacity") ? "vol" : "open";
}

static void list_rows(http_req *rq, const list_page *l, tv *rows)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        const char *name = db_val(r, i, "name"), *course = db_val(r, i, "course_name");
        const char *org = db_val(r, i, "org_name"), *badge;
        const char *word = standing(r, i, &badge);
        list_cell cells[6] = {
            {.text = date_short_nl(rq->a, db_val(r, i, "starts_on")),
             .datetime = db_val(r, i, "starts_on"),
             .sub = db_val(r, i, "start_time")},
            {.text = name,
             .href = arena_printf(rq->a, "/beheer/evenementen/%s", db_val(r, i, "id")),
             .sub = org ? arena_printf(rq->a, "%s · maatwerk %s", course, org) : course},
            {.text = db_val(r, i, "location")},
            {.text = arena_printf(rq->a, "%s van %s", db_val(r, i, "seats_taken"),
                                  db_val(r, i, "capacity"))},
            {.text = db_val(r, i, "waiting")},
            {.text = word, .badge = badge},
        };
        list_row(rq, l, rows, cells);
    }
}

/* A date field of the filter form, as dd-mm-jjjj (the hint says so). */
static void date_field(http_req *rq, tv *box, const char *id, const char *name, const char *label,
                       const char *iso)
{
    tv *d =
        list_filter_input(box, "text", id, name, label, iso ? date_nl(rq->a, iso) : NULL, 10, NULL);
    list_filter_numeric(d, "w-m");
    list_filter_described(d, "f-datum-hint", NULL);
}

static void filter_choices(http_req *rq, tv *ctx, const event_filter *f, const db_res *courses,
                           const db_res *orgs)
{
    tv *box = list_filters(ctx, "/beheer/evenementen", "Evenementen zoeken", "Zoeken en filters",
                           "Zoeken");
    list_filter_search(box, "f-q", "q", "Zoeken", f->q, 100, "Evenement of cursus");
    tv *cs = list_filter_select(box, "f-cursus", "cursus", "Cursus", "Alle cursussen");
    for (int i = 0; i < courses->nrows; i++) {
        const char *id = db_val(courses, i, "id"), *org = db_val(courses, i, "org_name");
        list_filter_option(
            cs, id,
            org ? arena_printf(rq->a, "%s (maatwerk %s)", db_val(courses, i, "name"), org)
                : db_val(courses, i, "name"),
            f->course_id && strcmp(f->course_id, id) == 0);
    }
    date_field(rq, box, "f-van", "van", "Vanaf", f->from);
    date_field(rq, box, "f-tot", "tot", "Tot en met", f->to);
    list_filter_note(box, "f-datum-hint",
                     "Begindatum als dd-mm-jjjj. Zonder Vanaf: de evenementen vanaf vandaag.");
    list_filter_check(box, "f-voorbij", "voorbij", "Ook voorbije evenementen", f->past);
    list_filter_input(box, "text", "f-locatie", "locatie", "Locatie", f->location, 100, NULL);
    tv *can = list_filter_select(box, "f-geannuleerd", "geannuleerd", "Geannuleerd",
                                 "Geannuleerd en niet geannuleerd");
    list_filter_option(can, "nee", "Niet geannuleerd",
                       f->cancelled && strcmp(f->cancelled, "nee") == 0);
    list_filter_option(can, "ja", "Alleen geannuleerd",
                       f->cancelled && strcmp(f->cancelled, "ja") == 0);
    tv *os =
        list_filter_select(box, "f-organisatie", "organisatie", "Voor", "Openbaar en maatwerk");
    list_filter_option(os, "openbaar", "Alleen openbare cursussen",
                       f->org && strcmp(f->org, "openbaar") == 0);
    for (int i = 0; i < orgs->nrows; i++) {
        const char *id = db_val(orgs, i, "id");
        list_filter_option(os, id, arena_printf(rq->a, "Maatwerk %s", db_val(orgs, i, "name")),
                           f->org && strcmp(f->org, id) == 0);
    }
    if (f->q || f->course_id || f->from || f->to || f->past || f->location || f->cancelled ||
        f->org)
        list_filter_clear(box, "Filters wissen");
}

static void list_get(http_req *rq, http_resp *rs)
{
    event_filter *f = read_filter(rq);
    list_page l;
    list_read(rq, &event_list, &l);
    list_source src = {list_count, list_fetch, f};
    db_res *courses = catalog_admin_course_options(req_db(rq), rq->a);
    db_res *orgs = courses ? catalog_admin_organisations(req_db(rq), rq->a) : NULL;
    if (!orgs || list_load(rq, &l, &src) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Evenementen", NULL);
    filter_choices(rq, ctx, f, courses, orgs);
    tv *errs = tv_set_list(ctx, "errors");
    for (size_t i = 0; i < rq->errors.n; i++)
        if (!list_owns_input(rq->errors.v[i].name))
            tv_push(errs, tv_str(rq->a, rq->errors.v[i].value));
    tv_set_str(ctx, "new_href",
               f->course_id
                   ? arena_printf(rq->a, "/beheer/evenementen/nieuw?cursus=%s", f->course_id)
                   : "/beheer/evenementen/nieuw");
    list_rows(rq, &l, list_view(rq, ctx, &l));
    page_render(rq, rs, "beheer/events", ctx, "Evenementen", NAV_BEHEER);
}

static const field_spec list_fields[] = {
    {"q", IN_QUERY, FK_LINE, 100},
    {"cursus", IN_QUERY, FK_ID, 20},
    {"van", IN_QUERY, FK_DATE, 10},
    {"tot", IN_QUERY, FK_DATE, 10},
    {"voorbij", IN_QUERY, FK_CHECKBOX, 10},
    {"locatie", IN_QUERY, FK_LINE, 100},
    {"geannuleerd", IN_QUERY, FK_SLUG, 3},
    {"organisatie", IN_QUERY, FK_SLUG, 20},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/beheer/evenementen", list_get, list_fields, RF_STAFF},
};

void enrolment_event_list_routes(router *r)
{
    router_add_all(r, routes);
}
