/* handlers.c - Home, /nieuws, /nieuws/<slug>, /wie-zijn-wij, /contact and
 * the pages the footer links to (privacy, cookies, accessibility). */
#include <string.h>

#include "app.h"
#include "catalog/catalog.h"
#include "catalog/slug.h"
#include "catalog/store.h"
#include "content/content.h"
#include "content/internal.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "web/markdown.h"
#include "web/page.h"

static void news_list(http_req *rq, tv *ctx, const db_res *r)
{
    tv *list = tv_set_list(ctx, "news");
    for (int i = 0; i < r->nrows; i++) {
        tv *o = tv_push_obj(list);
        tv_set_str(o, "title", db_val(r, i, "title"));
        tv_set_str(o, "summary", db_val(r, i, "summary"));
        tv_set_str(o, "date", date_long_nl(rq->a, db_val(r, i, "published_on")));
        tv_set_str(o, "date_iso", db_val(r, i, "published_on"));
        tv_set_str(o, "href", arena_printf(rq->a, "/nieuws/%s", db_val(r, i, "slug")));
    }
}

static void home(http_req *rq, http_resp *rs)
{
    db_conn *c = req_db(rq);
    db_res *events = catalog_upcoming(c, rq->a, date_today_plus(rq->a, 0), 6);
    db_res *news = events ? content_news_latest(c, rq->a, 3) : NULL;
    if (!news) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    tv *list = tv_set_list(ctx, "events");
    for (int i = 0; i < events->nrows; i++) {
        tv *o = tv_push_obj(list);
        catalog_event_values(rq, o, events, i);
        tv_set_str(o, "course_url", db_val(events, i, "course_url"));
    }
    news_list(rq, ctx, news);
    page_render(rq, rs, "content/home", ctx, "Home", NAV_HOME);
}

static void news_index(http_req *rq, http_resp *rs)
{
    db_res *news = content_news_latest(req_db(rq), rq->a, 100);
    if (!news) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Nieuws & Evenementen", NULL);
    news_list(rq, ctx, news);
    page_render(rq, rs, "content/news", ctx, "Nieuws & Evenementen", NAV_NIEUWS);
}

static void news_item(http_req *rq, http_resp *rs)
{
    const char *slug = req_param(rq, "slug");
    if (!slug_path_valid(slug) || strchr(slug, '/')) {
        page_error(rq, rs, 404);
        return;
    }
    db_res *r = content_news_item(req_db(rq), rq->a, slug);
    if (page_one_row(rq, rs, r) != 0) return;
    tv *ctx = page_ctx(rq);
    const char *title = db_val(r, 0, "title");
    page_crumb(rq, ctx, "Nieuws & Evenementen", "/nieuws");
    page_crumb(rq, ctx, title, NULL);
    tv_set_str(ctx, "heading", title);
    tv_set_str(ctx, "date", date_long_nl(rq->a, db_val(r, 0, "published_on")));
    tv_set_str(ctx, "date_iso", db_val(r, 0, "published_on"));
    tv_set_str(ctx, "body_html", markdown_html(rq->a, db_val(r, 0, "body")));
    page_render(rq, rs, "content/news_item", ctx, title, NAV_NIEUWS);
}

static void content_page_for(http_req *rq, http_resp *rs, const char *slug, const char *nav)
{
    db_res *r = content_page(req_db(rq), rq->a, slug);
    if (page_one_row(rq, rs, r) != 0) return;
    tv *ctx = page_ctx(rq);
    const char *title = db_val(r, 0, "title");
    page_crumb(rq, ctx, title, NULL);
    tv_set_str(ctx, "heading", title);
    tv_set_str(ctx, "body_html", markdown_html(rq->a, db_val(r, 0, "body")));
    tv_set_bool(ctx, "contact", strcmp(slug, "contact") == 0);
    page_render(rq, rs, "content/page", ctx, title, nav);
}

static void wie_zijn_wij(http_req *rq, http_resp *rs)
{
    content_page_for(rq, rs, "wie-zijn-wij", NAV_WIE);
}

static void contact(http_req *rq, http_resp *rs)
{
    content_page_for(rq, rs, "contact", NAV_CONTACT);
}

/* The footer's pages: in no menu, so no item is marked current. */
static void privacy(http_req *rq, http_resp *rs)
{
    content_page_for(rq, rs, "privacyverklaring", NULL);
}

static void cookies(http_req *rq, http_resp *rs)
{
    content_page_for(rq, rs, "cookies", NULL);
}

static void accessibility(http_req *rq, http_resp *rs)
{
    content_page_for(rq, rs, "toegankelijkheidsverklaring", NULL);
}

/* The terms a paying person accepts when enrolling (linked from there). */
static void terms(http_req *rq, http_resp *rs)
{
    content_page_for(rq, rs, "algemene-voorwaarden", NULL);
}

static const route routes[] = {
    {"GET", "/", home, NULL, RF_PAGE_CACHE},
    {"GET", "/nieuws", news_index, NULL, RF_PAGE_CACHE},
    {"GET", "/nieuws/:slug", news_item, NULL, RF_PAGE_CACHE},
    {"GET", "/wie-zijn-wij", wie_zijn_wij, NULL, RF_PAGE_CACHE},
    {"GET", "/contact", contact, NULL, RF_PAGE_CACHE},
    {"GET", "/privacyverklaring", privacy, NULL, RF_PAGE_CACHE},
    {"GET", "/cookies", cookies, NULL, RF_PAGE_CACHE},
    {"GET", "/toegankelijkheidsverklaring", accessibility, NULL, RF_PAGE_CACHE},
    {"GET", "/algemene-voorwaarden", terms, NULL, RF_PAGE_CACHE},
};

void content_routes(router *r)
{
    router_add_all(r, routes);
    content_admin_news_routes(r);
    content_admin_pages_routes(r);
}
