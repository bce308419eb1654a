/* handlers.c - the catalog's pages: /aanbod, /aanbod/<slug>/… (the
 * Cursusagenda is in agenda.c). */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "catalog/admin.h"
#include "catalog/catalog.h"
#include "catalog/slug.h"
#include "catalog/store.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "web/markdown.h"
#include "web/page.h"

void catalog_enrol_of(arena *a, const db_res *r, int i, catalog_enrol *out)
{
    out->full = db_int(r, i, "places") <= 0 || db_int(r, i, "waiting") > 0;
    out->href = out->label = out->hidden = NULL;
    if (!db_int(r, i, "open")) return;
    out->href = arena_printf(a, "/evenementen/%s/inschrijven", db_val(r, i, "id"));
    out->label = out->full ? "Plaats op wachtlijst" : "Inschrijven";
    out->hidden = arena_printf(a, " voor %s op %s", db_val(r, i, "name"),
                               date_long_nl(a, db_val(r, i, "starts_on")));
}

/* Turns one event row into the values every event listing shows. */
void catalog_event_values(http_req *rq, tv *o, const db_res *r, int i)
{
    tv_set_str(o, "id", db_val(r, i, "id"));
    tv_set_str(o, "name", db_val(r, i, "name"));
    tv_set_str(o, "date", date_short_nl(rq->a, db_val(r, i, "starts_on")));
    tv_set_str(o, "date_iso", db_val(r, i, "starts_on"));
    tv_set_str(o, "location", db_val(r, i, "location"));
    long long places = db_int(r, i, "places");
    catalog_enrol e;
    catalog_enrol_of(rq->a, r, i, &e);
    tv_set_int(o, "places", places > 0 ? places : 0);
    tv_set_bool(o, "full", e.full);
    tv_set_str(o, "places_text",
               places == 1 ? "1 beschikbare plaats"
                           : arena_printf(rq->a, "%lld beschikbare plaatsen", places));
    tv_set_str(o, "enrol_href", e.href);
    tv_set_str(o, "enrol_label", e.label);
    tv_set_str(o, "enrol_hidden", e.hidden);
    tv_set_bool(o, "closed", !e.href);
}

static tv *category_card(http_req *rq, tv *list, const db_res *r, int i)
{
    tv *o = tv_push_obj(list);
    tv_set_str(o, "name", db_val(r, i, "name"));
    tv_set_str(o, "href", arena_printf(rq->a, "/aanbod/%s", db_val(r, i, "slug_path")));
    tv_set_str(o, "description", db_val(r, i, "description"));
    return o;
}

static void category_list(http_req *rq, tv *ctx, const char *key, const db_res *r)
{
    tv *list = tv_set_list(ctx, key);
    for (int i = 0; i < r->nrows; i++)
        category_card(rq, list, r, i);
}

/* The top categories' cards, each with its subcategories, so a visitor sees
 * the choice at once. */
static void top_category_cards(http_req *rq, tv *ctx, const db_res *tops, const db_res *subs)
{
    tv *cards = tv_set_list(ctx, "categories");
    for (int i = 0; i < tops->nrows; i++) {
        tv *card = category_card(rq, cards, tops, i);
        tv *list = NULL;
        for (int j = 0; j < subs->nrows; j++) {
            if (strcmp(db_val(subs, j, "parent_id"), db_val(tops, i, "id")) != 0) continue;
            if (!list) list = tv_set_list(tv_set_obj(card, "sub"), "items");
            tv *o = tv_push_obj(list);
            tv_set_str(o, "name", db_val(subs, j, "name"));
            tv_set_str(o, "href", arena_printf(rq->a, "/aanbod/%s", db_val(subs, j, "slug_path")));
        }
    }
}

static void aanbod_index(http_req *rq, http_resp *rs)
{
    db_res *cats = catalog_top_categories(req_db(rq), rq->a);
    db_res *subs = cats ? catalog_second_level(req_db(rq), rq->a) : NULL;
    if (!subs) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Ons aanbod", NULL);
    tv_set_str(ctx, "heading", "Ons aanbod");
    top_category_cards(rq, ctx, cats, subs);
    page_render(rq, rs, "catalog/category", ctx, "Ons aanbod", NAV_AANBOD);
}

/* Breadcrumbs Home » Ons aanbod » … down to the category; the last one is a
 * link too when a course page follows. */
static int category_crumbs(http_req *rq, tv *ctx, const char *id_path, int last_is_link)
{
    db_res *chain = catalog_category_chain(req_db(rq), rq->a, id_path);
    if (!chain) return -1;
    page_crumb(rq, ctx, "Ons aanbod", "/aanbod");
    for (int i = 0; i < chain->nrows; i++) {
        int link = last_is_link || i + 1 < chain->nrows;
        page_crumb(rq, ctx, db_val(chain, i, "name"),
                   link ? arena_printf(rq->a, "/aanbod/%s", db_val(chain, i, "slug_path")) : NULL);
    }
    return 0;
}

static void category_page(http_req *rq, http_resp *rs, const db_res *cat)
{
    db_conn *c = req_db(rq);
    const char *id = db_val(cat, 0, "id");
    db_res *children = catalog_children(c, rq->a, id);
    db_res *courses = children ? catalog_courses_in(c, rq->a, id) : NULL;
    tv *ctx = page_ctx(rq);
    if (!courses || category_crumbs(rq, ctx, db_val(cat, 0, "id_path"), 0) != 0) {
        page_db_error(rq, rs);
        return;
    }
    const char *name = db_val(cat, 0, "name");
    tv_set_str(ctx, "heading", name);
    tv_set_str(ctx, "description", db_val(cat, 0, "description"));
    category_list(rq, ctx, "categories", children);
    tv *list = tv_set_list(ctx, "courses");
    for (int i = 0; i < courses->nrows; i++) {
        tv *o = tv_push_obj(list);
        tv_set_str(o, "name", db_val(courses, i, "name"));
        tv_set_str(o, "summary", db_val(courses, i, "summary"));
        tv_set_str(o, "href",
                   arena_printf(rq->a, "/aanbod/%s/%s", db_val(cat, 0, "slug_path"),
                                db_val(courses, i, "slug")));
    }
    tv_set_bool(ctx, "empty", children->nrows == 0 && courses->nrows == 0);
    page_render(rq, rs, "catalog/category", ctx, name, NAV_AANBOD);
}

static void course_page(http_req *rq, http_resp *rs, const db_res *cat, const db_res *course)
{
    db_res *events = catalog_course_events(req_db(rq), rq->a, db_val(course, 0, "id"),
                                           date_today_plus(rq->a, 0));
    tv *ctx = page_ctx(rq);
    if (!events || category_crumbs(rq, ctx, db_val(cat, 0, "id_path"), 1) != 0) {
        page_db_error(rq, rs);
        return;
    }
    const char *name = db_val(course, 0, "name");
    page_crumb(rq, ctx, name, NULL);
    tv_set_str(ctx, "name", name);
    tv_set_str(ctx, "summary", db_val(course, 0, "summary"));
    tv_set_str(ctx, "description_html", markdown_html(rq->a, db_val(course, 0, "description")));
    tv *list = tv_set_list(ctx, "events");
    for (int i = 0; i < events->nrows; i++) {
        tv *o = tv_push_obj(list);
        catalog_event_values(rq, o, events, i);
        const char *ends = db_val(events, i, "ends_on");
        if (ends && strcmp(ends, db_val(events, i, "starts_on")) != 0) {
            tv_set_str(o, "end_date", date_short_nl(rq->a, ends));
            tv_set_str(o, "end_iso", ends);
        }
        tv_set_str(o, "time", db_val(events, i, "start_time"));
        long long price = db_int(events, i, "price_cents");
        if (price > 0) tv_set_str(o, "price", money_nl(rq->a, price));
    }
    tv_set_bool(ctx, "has_events", events->nrows > 0);
    page_render(rq, rs, "catalog/course", ctx, name, NAV_AANBOD);
}

/* An address that is not there may be an old one: staff changed a slug or
 * moved a category or course, and the old address answers with a 301 to
 * the new one, so links and bookmarks keep working. Otherwise 404. */
static void moved_or_404(http_req *rq, http_resp *rs, const char *path)
{
    const char *to;
    if (catalog_redirect(req_db(rq), rq->a, path, &to) != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (!to) {
        page_error(rq, rs, 404);
        return;
    }
    resp_redirect(rs, rq->a, 301, arena_printf(rq->a, "/aanbod/%s", to));
}

/* /aanbod/<slug>/…: a category by its whole path, else a course whose
 * category is the path minus its last segment. */
static void aanbod_path(http_req *rq, http_resp *rs)
{
    const char *path = req_param(rq, "path");
    if (!slug_path_valid(path)) {
        page_error(rq, rs, 404);
        return;
    }
    db_conn *c = req_db(rq);
    db_res *cat = catalog_category_by_path(c, rq->a, path);
    if (!cat) {
        page_db_error(rq, rs);
        return;
    }
    if (cat->nrows == 1) {
        category_page(rq, rs, cat);
        return;
    }

    char *parent, *last;
    slug_path_split(rq->a, path, &parent, &last);
    cat = *parent ? catalog_category_by_path(c, rq->a, parent) : NULL;
    if (*parent && !cat) {
        page_db_error(rq, rs);
        return;
    }
    db_res *course =
        cat && cat->nrows == 1 ? catalog_course(c, rq->a, db_val(cat, 0, "id"), last) : NULL;
    if (cat && cat->nrows == 1 && !course) {
        page_db_error(rq, rs);
        return;
    }
    if (!course || course->nrows != 1) {
        moved_or_404(rq, rs, path);
        return;
    }
    course_page(rq, rs, cat, course);
}

static const route routes[] = {
    {"GET", "/aanbod", aanbod_index, NULL, RF_PAGE_CACHE},
    {"GET", "/aanbod/*path", aanbod_path, NULL, RF_PAGE_CACHE},
};

void catalog_routes(router *r)
{
    router_add_all(r, routes);
    catalog_agenda_routes(r);
    catalog_admin_routes(r);
}
