/* maatwerk.c - Cursussen, tab Inschrijven cursussen organisatie:
 * /mijn/cursussen/organisatie. The courses an organisation bought as a
 * whole (maatwerk) exist only for its beheerders: this page lists their
 * upcoming events, each leading to its enrolment page, where the beheerder
 * enrols colleagues. The route's flag (RF_BEHEERDER) is the access rule;
 * the query is scoped by the session's organisation. */
#include <string.h>

#include "auth/session.h"
#include "core/timeutil.h"
#include "enrolment/internal.h"
#include "enrolment/mine.h"
#include "web/list.h"
#include "web/page.h"

static const list_col maatwerk_cols[] = {
    {"datum", "Datum", "e.starts_on", 0, 0, 0},
    {"evenement", "Evenement", "lower(e.name)", 0, 0, 0},
    {"locatie", "Locatie", "e.location", 0, 0, 0},
    {NULL, "Beschikbare plaatsen", NULL, 0, 1, 0},
};

static const list_spec maatwerk_list = {
    .path = "/mijn/cursussen/organisatie",
    .caption = "Maatwerk evenementen van uw organisatie",
    .one = "evenement",
    .many = "evenementen",
    .empty = "Er zijn nu geen geplande evenementen van maatwerk cursussen voor uw organisatie. "
             "Wilt u een cursus op maat? Neem contact op met de administratie: 0223-611310.",
    .cols = maatwerk_cols,
    .ncols = 4,
    .sort_col = 0,
    .id_expr = "e.id",
    .per_page = 20,
    .per_page_min = 10,
    .per_page_max = 100,
};

typedef struct maatwerk_src {
    long long org_id;
    const char *today;
} maatwerk_src;

static long long maatwerk_count(db_conn *c, arena *a, long long cap, void *arg)
{
    const maatwerk_src *s = arg;
    return mine_maatwerk_count(c, a, s->org_id, s->today, cap);
}

static db_res *maatwerk_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    const maatwerk_src *s = arg;
    return mine_maatwerk(c, a, s->org_id, s->today, k);
}

static void maatwerk_rows(http_req *rq, const list_page *l, tv *rows, const char *heading)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        const char *course = db_val(r, i, "course_name");
        long long places = db_int(r, i, "places");
        list_cell cells[4] = {
            {.text = date_short_nl(rq->a, db_val(r, i, "starts_on")),
             .datetime = db_val(r, i, "starts_on")},
            {.text = db_val(r, i, "name"),
             .href = arena_printf(rq->a, "/evenementen/%s/inschrijven", db_val(r, i, "id")),
             /* an organisation with more than one course sees which */
             .sub = strcmp(course, heading) != 0 ? course : NULL},
            {.text = db_val(r, i, "location")},
            {.text = arena_printf(rq->a, "%lld", places), .badge = places <= 0 ? "Vol" : NULL},
        };
        list_row(rq, l, rows, cells);
    }
}

static void maatwerk_get(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    maatwerk_src src = {u->org_id, date_today_plus(rq->a, 0)};
    list_page l;
    list_read(rq, &maatwerk_list, &l);
    list_source source = {maatwerk_count, maatwerk_fetch, &src};
    if (list_load(rq, &l, &source) != 0) {
        page_db_error(rq, rs);
        return;
    }
    const char *heading = arena_printf(rq->a, "Maatwerk cursussen %s", u->org_name);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Cursussen", "/mijn/cursussen");
    page_crumb(rq, ctx, "Inschrijven cursussen organisatie", NULL);
    mine_tabs(rq, ctx, "/mijn/cursussen/organisatie");
    tv_set_str(ctx, "heading", heading);
    maatwerk_rows(rq, &l, list_view(rq, ctx, &l), heading);
    page_render(rq, rs, "enrolment/maatwerk", ctx, heading, NAV_MIJN);
}

static const field_spec maatwerk_fields[] = {
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/mijn/cursussen/organisatie", maatwerk_get, maatwerk_fields, RF_BEHEERDER},
};

void enrolment_maatwerk_routes(router *r)
{
    router_add_all(r, routes);
}
