/* admin_news.c - the back office's news: /beheer/nieuws (every item,
 * newest first, searchable, Gepubliceerd or Concept), a new item, an item's
 * form with a preview, and deleting one after a confirmation. Staff only
 * (RF_STAFF). A concept never reaches the public pages (store.c asks for
 * published items only).
 *
 * The preview is the typed text through the same safe Markdown rendering
 * as the public page (web/markdown.h), shown under the form; nothing is
 * stored until Opslaan. */
#include <string.h>

#include "auth/session.h"
#include "content/internal.h"
#include "core/timeutil.h"
#include "web/flash.h"
#include "web/list.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/webform.h"

#define NEWS_PATH "/beheer/nieuws"

/* ---- the list ---- */

static const list_col news_cols[] = {
    {"titel", "Titel", "lower(n.title)", 0, 0, 0},
    {"datum", "Datum", "n.published_on", 0, 0, 1},
    {"status", "Status", "n.published", 1, 0, 0},
};

static const char *const news_filters[] = {"q", "status", NULL};

static const list_spec news_spec = {
    .path = NEWS_PATH,
    .caption = "Nieuwsberichten",
    .one = "nieuwsbericht",
    .many = "nieuwsberichten",
    .empty = "Er zijn geen nieuwsberichten gevonden.",
    .cols = news_cols,
    .ncols = 3,
    .sort_col = 1,
    .id_expr = "n.id",
    .per_page = 25,
    .per_page_min = 10,
    .per_page_max = 100,
    .filters = news_filters,
};

static long long news_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return content_news_count(c, a, arg, cap);
}

static db_res *news_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return content_news_page(c, a, arg, k);
}

static news_status status_of(const char *s)
{
    if (s && strcmp(s, "gepubliceerd") == 0) return NEWS_PUBLISHED;
    if (s && strcmp(s, "concept") == 0) return NEWS_CONCEPT;
    return NEWS_ALL;
}

static void news_rows(http_req *rq, const list_page *l, tv *rows)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        int published = db_int(r, i, "published") != 0;
        const char *iso = db_val(r, i, "published_on");
        list_cell cells[3] = {
            {.text = db_val(r, i, "title"),
             .href = arena_printf(rq->a, NEWS_PATH "/%s", db_val(r, i, "id"))},
            {.text = date_short_nl(rq->a, iso), .datetime = iso},
            {.text = published ? "Gepubliceerd" : NULL, .badge = published ? NULL : "Concept"},
        };
        list_row(rq, l, rows, cells);
    }
}

static void news_list(http_req *rq, http_resp *rs)
{
    news_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->q = req_in(rq, "q");
    f->status = status_of(req_in(rq, "status"));
    list_page l;
    list_read(rq, &news_spec, &l);
    list_source src = {news_count, news_fetch, f};
    if (list_load(rq, &l, &src) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Nieuws", NULL);
    tv *box = list_filters(ctx, "/beheer/nieuws", "Nieuws zoeken", NULL, "Zoeken");
    list_filter_search(box, "n-q", "q", "Zoek in titel en samenvatting", f->q, 100, NULL);
    tv *st = list_filter_select(box, "n-status", "status", "Status", "Alle");
    list_filter_option(st, "gepubliceerd", "Gepubliceerd", f->status == NEWS_PUBLISHED);
    list_filter_option(st, "concept", "Concept", f->status == NEWS_CONCEPT);
    news_rows(rq, &l, list_view(rq, ctx, &l));
    page_render(rq, rs, "beheer/nieuws", ctx, "Nieuws", NAV_BEHEER);
}

/* ---- the form ---- */

static const wf_field news_field_defs[] = {
    {"titel", "Titel", WF_LINE, 200, "Vul een titel in.", NULL, NULL, 0, NULL},
    {"datum", "Datum", WF_DATE, 10, "Vul een datum in.",
     "Als dd-mm-jjjj. Het nieuws staat op volgorde van deze datum, het nieuwste eerst.", NULL, 10,
     NULL},
    {"samenvatting", "Samenvatting", WF_TEXT, 600, NULL,
     "Een of twee zinnen, getoond op Home en bij Nieuws & Evenementen.", NULL, 0, NULL},
    {"tekst", "Tekst", WF_TEXT, CONTENT_BODY_MAX, "Vul de tekst in.", CONTENT_MARKDOWN_HINT, NULL,
     0, NULL},
};
static const webform news_form = WEBFORM(news_field_defs);
enum { F_TITLE, F_DATE, F_SUMMARY, F_BODY, N_NEWS_FIELDS };

/* The extra inputs of the form's POST: the checkbox and which button. */
static const field_spec news_extra[] = {
    {"gepubliceerd", IN_FORM, FK_CHECKBOX, 0},
    {"actie", IN_FORM, FK_SLUG, 20},
    {NULL, 0, 0, 0},
};

/* What the form shows: the item's id (NULL: a new one), its slug and
 * whether it is published as stored, and the values. */
typedef struct news_view {
    const char *id, *slug;
    int stored_published;
    int published; /* the checkbox */
    wf_values *v;
    int preview;
} news_view;

static const char *shown(const news_view *nv, int i)
{
    return nv->v->shown[i] ? nv->v->shown[i] : "";
}

/* The preview: the page as the public would see it, from what is typed. */
static void put_preview(http_req *rq, tv *ctx, const news_view *nv)
{
    tv *p = tv_set_obj(ctx, "preview");
    tv_set_str(p, "title", shown(nv, F_TITLE));
    const char *iso = nv->v->value[F_DATE];
    tv_set_str(p, "date", iso ? date_long_nl(rq->a, iso) : shown(nv, F_DATE));
    tv_set_str(p, "date_iso", iso ? iso : "");
    tv_set_str(p, "html", markdown_html(rq->a, content_unix_lines(rq->a, shown(nv, F_BODY))));
}

static void news_form_page(http_req *rq, http_resp *rs, const news_view *nv)
{
    tv *ctx = page_ctx(rq);
    const char *heading = nv->id ? "Nieuwsbericht bewerken" : "Nieuw nieuwsbericht";
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Nieuws", NEWS_PATH);
    page_crumb(rq, ctx, heading, NULL);
    tv_set_str(ctx, "heading", heading);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "action",
               nv->id ? arena_printf(rq->a, NEWS_PATH "/%s", nv->id) : NEWS_PATH "/nieuw");
    tv_set_str(ctx, "id", nv->id);
    if (nv->slug) {
        tv_set_str(ctx, "public_path", arena_printf(rq->a, "/nieuws/%s", nv->slug));
        tv_set_bool(ctx, "stored_published", nv->stored_published);
    }
    tv_set_bool(ctx, "published", nv->published);
    webform_put(rq, ctx, &news_form, nv->v);
    if (nv->preview) put_preview(rq, ctx, nv);
    page_render(rq, rs, "beheer/nieuws_form", ctx, heading, NAV_BEHEER);
}

/* The item behind :id; answers 404 (or 500) itself when there is none. */
static db_res *this_item(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return NULL;
    }
    db_res *r = content_news_by_id(req_db(rq), rq->a, id);
    return page_one_row(rq, rs, r) == 0 ? r : NULL;
}

/* The view of a stored item, before its values are filled in. */
static news_view stored_view(const db_res *r)
{
    int published = db_int(r, 0, "published") != 0;
    return (news_view){.id = db_val(r, 0, "id"),
                       .slug = db_val(r, 0, "slug"),
                       .stored_published = published,
                       .published = published};
}

static void new_get(http_req *rq, http_resp *rs)
{
    news_view nv = {.v = webform_values(rq->a, &news_form)};
    nv.v->shown[F_DATE] = date_nl(rq->a, date_today_plus(rq->a, 0));
    news_form_page(rq, rs, &nv);
}

static void edit_get(http_req *rq, http_resp *rs)
{
    db_res *r = this_item(rq, rs);
    if (!r) return;
    news_view nv = stored_view(r);
    nv.v = webform_values(rq->a, &news_form);
    nv.v->shown[F_TITLE] = db_val(r, 0, "title");
    nv.v->shown[F_DATE] = date_nl(rq->a, db_val(r, 0, "published_on"));
    nv.v->shown[F_SUMMARY] = db_val(r, 0, "summary");
    nv.v->shown[F_BODY] = db_val(r, 0, "body");
    news_form_page(rq, rs, &nv);
}

/* Reads the posted form into nv and ch. Returns 1 when the page is to be
 * shown again (a preview, or errors), 0 when ch is ready to store. */
static int read_post(http_req *rq, news_view *nv, news_change *ch)
{
    nv->v = webform_read(rq, &news_form);
    nv->published = req_in(rq, "gepubliceerd") != NULL;
    const char *act = req_in(rq, "actie");
    if (act && strcmp(act, "voorbeeld") == 0) {
        /* a preview of a half-written item is fine: no errors yet */
        nv->preview = 1;
        nv->v->nerrors = 0;
        memset(nv->v->error, 0, N_NEWS_FIELDS * sizeof *nv->v->error);
        return 1;
    }
    if (nv->v->nerrors) return 1;
    const char **val = nv->v->value;
    ch->actor = auth_user(rq)->person_id;
    ch->client_ip = rq->client_ip;
    ch->f = (news_fields){val[F_TITLE], val[F_DATE], content_unix_lines(rq->a, val[F_SUMMARY]),
                          content_unix_lines(rq->a, val[F_BODY]), nv->published};
    return 0;
}

/* Stores the change; a new item whose slug another request took meanwhile
 * (the unique index) is tried once more with the next free one. */
static int store(http_req *rq, news_change *ch)
{
    int rc = db_tx(req_db(rq), rq->a, content_news_save, ch);
    if (rc == -1 && !ch->id && db_errkind_of(req_db(rq)) == DB_ERR_UNIQUE)
        rc = db_tx(req_db(rq), rq->a, content_news_save, ch);
    return rc;
}

static void saved(http_req *rq, http_resp *rs, int rc, const news_change *ch)
{
    if (rc == CONTENT_GONE) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc != 0) {
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "nieuws-opgeslagen");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, NEWS_PATH "/%s", ch->out_id));
}

static void new_post(http_req *rq, http_resp *rs)
{
    news_view nv = {0};
    news_change ch = {0};
    if (read_post(rq, &nv, &ch)) {
        news_form_page(rq, rs, &nv);
        return;
    }
    saved(rq, rs, store(rq, &ch), &ch);
}

static void edit_post(http_req *rq, http_resp *rs)
{
    db_res *r = this_item(rq, rs);
    if (!r) return;
    news_view nv = stored_view(r);
    news_change ch = {.id = nv.id};
    if (read_post(rq, &nv, &ch)) {
        news_form_page(rq, rs, &nv);
        return;
    }
    saved(rq, rs, store(rq, &ch), &ch);
}

/* ---- deleting ---- */

static void delete_get(http_req *rq, http_resp *rs)
{
    db_res *r = this_item(rq, rs);
    if (!r) return;
    tv *ctx = page_ctx(rq);
    const char *title = db_val(r, 0, "title");
    const char *edit = arena_printf(rq->a, NEWS_PATH "/%s", db_val(r, 0, "id"));
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Nieuws", NEWS_PATH);
    page_crumb(rq, ctx, title, edit);
    page_crumb(rq, ctx, "Verwijderen", NULL);
    tv_set_str(ctx, "title", title);
    tv_set_str(ctx, "edit", edit);
    tv_set_bool(ctx, "published", db_int(r, 0, "published") != 0);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/nieuws_verwijderen", ctx, "Nieuwsbericht verwijderen", NAV_BEHEER);
}

static void delete_post(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return;
    }
    news_change ch = {.id = id, .actor = auth_user(rq)->person_id, .client_ip = rq->client_ip};
    int rc = db_tx(req_db(rq), rq->a, content_news_delete, &ch);
    if (rc == CONTENT_GONE) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc != 0) {
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "nieuws-verwijderd");
    resp_redirect(rs, rq->a, 303, NEWS_PATH);
}

static const field_spec list_inputs[] = {
    {"q", IN_QUERY, FK_LINE, 100},
    {"status", IN_QUERY, FK_SLUG, 20},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

/* Filled from the form description when the routes are registered. */
static field_spec news_inputs[N_NEWS_FIELDS + sizeof news_extra / sizeof news_extra[0]];

static const route routes[] = {
    {"GET", NEWS_PATH, news_list, list_inputs, RF_STAFF},
    {"GET", NEWS_PATH "/nieuw", new_get, NULL, RF_STAFF},
    {"POST", NEWS_PATH "/nieuw", new_post, news_inputs, RF_STAFF},
    {"GET", NEWS_PATH "/:id", edit_get, NULL, RF_STAFF},
    {"POST", NEWS_PATH "/:id", edit_post, news_inputs, RF_STAFF},
    {"GET", NEWS_PATH "/:id/verwijderen", delete_get, NULL, RF_STAFF},
    {"POST", NEWS_PATH "/:id/verwijderen", delete_post, NULL, RF_STAFF},
};

void content_admin_news_routes(router *r)
{
    if (webform_spec_for(r, &news_form, news_extra, news_inputs,
                         sizeof news_inputs / sizeof news_inputs[0]) != 0)
        return;
    router_add_all(r, routes);
}
