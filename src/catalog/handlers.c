/* handlers.c - the catalog's pages: /aanbod, /aanbod/<slug>/…, /cursusagenda. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "catalog/catalog.h"
#include "catalog/slug.h"
#include "catalog/store.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "web/markdown.h"
#include "web/page.h"

#define AGENDA_PER_PAGE 20

/* Turns one event row into the values every event listing shows. */
void catalog_event_values(http_req *rq, tv *o, const db_res *r, int i)
{
    tv_set_str(o, "id", db_val(r, i, "id"));
    tv_set_str(o, "name", db_val(r, i, "name"));
    tv_set_str(o, "date", date_nl(rq->a, db_val(r, i, "starts_on")));
    tv_set_str(o, "date_iso", db_val(r, i, "starts_on"));
    tv_set_str(o, "location", db_val(r, i, "location"));
    long long places = db_int(r, i, "places");
    tv_set_int(o, "places", places > 0 ? places : 0);
    tv_set_bool(o, "full", places <= 0);
    tv_set_str(o, "places_text",
               places == 1 ? "1 beschikbare plaats"
                           : arena_printf(rq->a, "%lld beschikbare plaatsen", places));
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
        if (ends && strcmp(ends, db_val(events, i, "starts_on")) != 0)
            tv_set_str(o, "end_date", date_nl(rq->a, ends));
        tv_set_str(o, "time", db_val(events, i, "start_time"));
        long long price = db_int(events, i, "price_cents");
        if (price > 0) tv_set_str(o, "price", money_nl(rq->a, price));
    }
    tv_set_bool(ctx, "has_events", events->nrows > 0);
    page_render(rq, rs, "catalog/course", ctx, name, NAV_AANBOD);
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
    if (!*parent) {
        page_error(rq, rs, 404);
        return;
    }
    cat = catalog_category_by_path(c, rq->a, parent);
    if (!cat) {
        page_db_error(rq, rs);
        return;
    }
    if (cat->nrows != 1) {
        page_error(rq, rs, 404);
        return;
    }
    db_res *course = catalog_course(c, rq->a, db_val(cat, 0, "id"), last);
    if (!course) {
        page_db_error(rq, rs);
        return;
    }
    if (course->nrows != 1) {
        page_error(rq, rs, 404);
        return;
    }
    course_page(rq, rs, cat, course);
}

/* The agenda's filter choices change only when staff edit the catalog; a
 * copy per process that lives a minute saves two scans per request, and
 * stays correct enough when several servers share the database. */
typedef struct choice_cache {
    pthread_mutex_t mu;
    time_t at;
    char *day;
    arena *a;
    db_res *locations, *categories;
} choice_cache;

static choice_cache choices = {.mu = PTHREAD_MUTEX_INITIALIZER};

static db_res *copy_res(arena *a, const db_res *r)
{
    db_res *c = arena_zalloc(a, sizeof *c);
    c->nrows = r->nrows;
    c->ncols = r->ncols;
    c->cols = arena_alloc(a, sizeof(char *) * (size_t)(r->ncols ? r->ncols : 1));
    c->vals = arena_alloc(a, sizeof(char *) * (size_t)(r->nrows * r->ncols + 1));
    for (int i = 0; i < r->ncols; i++)
        c->cols[i] = arena_strdup(a, r->cols[i]);
    for (int i = 0; i < r->nrows * r->ncols; i++)
        c->vals[i] = arena_strdup(a, r->vals[i]);
    return c;
}

/* Fills the filter choices into ctx (under the cache lock, since the cached
 * rows may be replaced by another thread right after). */
static int agenda_choices(http_req *rq, tv *ctx, const char *today, const char *sel_loc,
                          const char *sel_cat)
{
    pthread_mutex_lock(&choices.mu);
    time_t now = clock_now();
    if (!choices.a || now - choices.at >= 60 || strcmp(choices.day, today) != 0) {
        db_res *l = catalog_locations(req_db(rq), rq->a, today);
        db_res *k = l ? catalog_category_options(req_db(rq), rq->a) : NULL;
        if (!k) {
            pthread_mutex_unlock(&choices.mu);
            return -1;
        }
        arena_free(choices.a);
        choices.a = arena_new(8192);
        choices.locations = copy_res(choices.a, l);
        choices.categories = copy_res(choices.a, k);
        choices.day = arena_strdup(choices.a, today);
        choices.at = now;
    }
    tv *locs = tv_set_list(ctx, "locations");
    for (int i = 0; i < choices.locations->nrows; i++) {
        const char *v = arena_strdup(rq->a, db_get(choices.locations, i, 0));
        tv *o = tv_push_obj(locs);
        tv_set_str(o, "value", v);
        tv_set_bool(o, "selected", sel_loc && strcmp(sel_loc, v) == 0);
    }
    tv *cats = tv_set_list(ctx, "category_options");
    for (int i = 0; i < choices.categories->nrows; i++) {
        const char *id = arena_strdup(rq->a, db_val(choices.categories, i, "id"));
        tv *o = tv_push_obj(cats);
        tv_set_str(o, "id", id);
        tv_set_str(o, "name", arena_strdup(rq->a, db_val(choices.categories, i, "name")));
        tv_set_bool(o, "sub", db_int(choices.categories, i, "depth") == 2);
        tv_set_bool(o, "selected", sel_cat && strcmp(sel_cat, id) == 0);
    }
    pthread_mutex_unlock(&choices.mu);
    return 0;
}

/* Links to the other pages keep the filters. */
static char *agenda_link(http_req *rq, const agenda_filter *f, int page)
{
    buf b;
    buf_init(&b, rq->a, 128);
    buf_puts(&b, "/cursusagenda?");
    const char *keys[] = {"q", "categorie", "maand", "locatie"};
    const char *vals[] = {f->q, f->category_id, f->month, f->location};
    for (int i = 0; i < 4; i++) {
        if (!vals[i]) continue;
        buf_printf(&b, "%s=", keys[i]);
        buf_url(&b, vals[i]);
        buf_putc(&b, '&');
    }
    buf_printf(&b, "pagina=%d", page);
    return b.data;
}

/* A deep page makes the database walk past every earlier row, so only the
 * first pages are offered; a link beyond them shows the last one offered,
 * so old links still land somewhere useful. */
#define AGENDA_MAX_PAGE 200

static void agenda_pager(http_req *rq, tv *ctx, const agenda_filter *f, long long total)
{
    long long pages = (total + f->per_page - 1) / f->per_page;
    if (pages > AGENDA_MAX_PAGE) pages = AGENDA_MAX_PAGE;
    if (pages <= 1) return;
    tv *p = tv_set_obj(ctx, "pager");
    tv_set_int(p, "page", f->page);
    tv_set_int(p, "pages", pages);
    if (f->page > 1) tv_set_str(p, "prev", agenda_link(rq, f, f->page - 1));
    if (f->page < pages) tv_set_str(p, "next", agenda_link(rq, f, f->page + 1));
}

static void agenda(http_req *rq, http_resp *rs)
{
    agenda_filter f = {.per_page = AGENDA_PER_PAGE, .page = 1};
    f.today = date_today_plus(rq->a, 0);
    f.q = req_in(rq, "q");
    f.category_id = req_in(rq, "categorie");
    f.month = req_in(rq, "maand");
    f.location = req_in(rq, "locatie");
    const char *page = req_in(rq, "pagina");
    if (page) {
        long long p = atoll(page);
        f.page = p < 1 ? 1 : p > AGENDA_MAX_PAGE ? AGENDA_MAX_PAGE : (int)p;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Cursusagenda", NULL);
    if (agenda_choices(rq, ctx, f.today, f.location, f.category_id) != 0) {
        page_db_error(rq, rs);
        return;
    }
    long long total = 0;
    db_res *r = catalog_agenda(req_db(rq), rq->a, &f, &total);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }

    tv_set_str(ctx, "q", f.q);
    tv_set_str(ctx, "maand", f.month);
    tv_set_int(ctx, "total", total);
    tv_set_bool(ctx, "one", total == 1);
    tv_set_bool(ctx, "filtered", f.q || f.category_id || f.month || f.location);
    if (rq->errors.n > 0) {
        tv *errs = tv_set_list(ctx, "errors");
        for (size_t i = 0; i < rq->errors.n; i++)
            tv_push(errs, tv_str(rq->a, rq->errors.v[i].value));
    }
    tv *list = tv_set_list(ctx, "events");
    for (int i = 0; i < r->nrows; i++) {
        tv *o = tv_push_obj(list);
        catalog_event_values(rq, o, r, i);
        const char *course = db_val(r, i, "course_name");
        tv_set_str(o, "course_name", course);
        tv_set_bool(o, "other_course", strcmp(course, db_val(r, i, "name")) != 0);
        tv_set_str(o, "course_url", db_val(r, i, "course_url"));
    }
    tv_set_bool(ctx, "has_events", r->nrows > 0);
    agenda_pager(rq, ctx, &f, total);
    page_render(rq, rs, "catalog/agenda", ctx, "Cursusagenda", NAV_AGENDA);
}

static const field_spec agenda_fields[] = {
    {"q", IN_QUERY, FK_LINE, 100},    {"categorie", IN_QUERY, FK_ID, 20},
    {"maand", IN_QUERY, FK_MONTH, 7}, {"locatie", IN_QUERY, FK_LINE, 200},
    {"pagina", IN_QUERY, FK_ID, 6},   {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/aanbod", aanbod_index, NULL, RF_PAGE_CACHE},
    {"GET", "/aanbod/*path", aanbod_path, NULL, RF_PAGE_CACHE},
    {"GET", "/cursusagenda", agenda, agenda_fields, RF_PAGE_CACHE},
};

void catalog_routes(router *r)
{
    router_add_all(r, routes);
}
