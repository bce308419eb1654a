/* admin_pages.c - the back office's content pages: /beheer/paginas (the
 * rows of `pages`: Wie zijn wij, Contact, Privacyverklaring, Cookies,
 * Toegankelijkheidsverklaring, Algemene voorwaarden) and a page's form
 * (title and Markdown text, with a preview). Staff only (RF_STAFF).
 *
 * The general terms stay read-only here: a paying registration records the
 * version of the terms it accepted, and that version is fixed in the
 * program, so a text edited here would silently change what earlier
 * registrations agreed to. A new text is a new version, released with the
 * program. */
#include <string.h>

#include "auth/session.h"
#include "content/content.h"
#include "content/internal.h"
#include "core/timeutil.h"
#include "web/flash.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/webform.h"

#define PAGES_PATH "/beheer/paginas"

/* ---- the list ---- */

static int is_terms(const char *slug)
{
    return strcmp(slug, CONTENT_TERMS_SLUG) == 0;
}

/* A handful of pages that migrations make, never the back office: one
 * table, without pages or search. */
static void pages_list(http_req *rq, http_resp *rs)
{
    db_res *r = content_pages_all(req_db(rq), rq->a);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Pagina's", NULL);
    tv *rows = tv_set_list(ctx, "pages");
    for (int i = 0; i < r->nrows; i++) {
        const char *slug = db_val(r, i, "slug");
        tv *row = tv_push_obj(rows);
        tv_set_str(row, "title", db_val(r, i, "title"));
        tv_set_str(row, "href", arena_printf(rq->a, PAGES_PATH "/%s", slug));
        tv_set_str(row, "public_path", arena_printf(rq->a, "/%s", slug));
        tv_set_str(row, "changed", moment_nl(rq->a, db_int(r, i, "updated_at")));
        tv_set_bool(row, "locked", is_terms(slug));
    }
    page_render(rq, rs, "beheer/paginas", ctx, "Pagina's", NAV_BEHEER);
}

/* ---- a page ---- */

static const wf_field page_field_defs[] = {
    {"titel", "Titel", WF_LINE, 200, "Vul een titel in.", NULL, NULL, 0, NULL},
    {"tekst", "Tekst", WF_TEXT, CONTENT_BODY_MAX, "Vul de tekst in.", CONTENT_MARKDOWN_HINT, NULL,
     0, NULL},
};
static const webform page_form = WEBFORM(page_field_defs);
enum { F_TITLE, F_BODY, N_PAGE_FIELDS };

static const field_spec page_extra[] = {
    {"actie", IN_FORM, FK_SLUG, 20},
    {NULL, 0, 0, 0},
};

/* The page behind :slug (title, body); answers 404 (or 500) itself. */
static db_res *this_page(http_req *rq, http_resp *rs, const char **slug)
{
    *slug = req_param(rq, "slug");
    if (!field_valid(FK_SLUG, *slug, strlen(*slug))) {
        page_error(rq, rs, 404);
        return NULL;
    }
    db_res *r = content_page(req_db(rq), rq->a, *slug);
    return page_one_row(rq, rs, r) == 0 ? r : NULL;
}

static tv *page_base(http_req *rq, const char *slug, const char *title)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Pagina's", PAGES_PATH);
    page_crumb(rq, ctx, title, NULL);
    tv_set_str(ctx, "heading", title);
    tv_set_str(ctx, "public_path", arena_printf(rq->a, "/%s", slug));
    return ctx;
}

/* The general terms as the site shows them, with why they stay as they
 * are. status: 200, or 403 for an attempt to change them. */
static void terms_page(http_req *rq, http_resp *rs, const db_res *r, int status)
{
    const char *title = db_val(r, 0, "title");
    tv *ctx = page_base(rq, CONTENT_TERMS_SLUG, title);
    tv_set_str(ctx, "html", markdown_html(rq->a, db_val(r, 0, "body")));
    rs->status = status;
    page_render(rq, rs, "beheer/pagina_voorwaarden", ctx, title, NAV_BEHEER);
}

static void form_page(http_req *rq, http_resp *rs, const char *slug, const char *stored_title,
                      const wf_values *v, int preview)
{
    tv *ctx = page_base(rq, slug, stored_title);
    tv_set_str(ctx, "action", arena_printf(rq->a, PAGES_PATH "/%s", slug));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    webform_put(rq, ctx, &page_form, v);
    if (preview) {
        tv *p = tv_set_obj(ctx, "preview");
        const char *body = v->shown[F_BODY] ? v->shown[F_BODY] : "";
        tv_set_str(p, "title", v->shown[F_TITLE] ? v->shown[F_TITLE] : "");
        tv_set_str(p, "html", markdown_html(rq->a, content_unix_lines(rq->a, body)));
    }
    page_render(rq, rs, "beheer/pagina_form", ctx, stored_title, NAV_BEHEER);
}

static void page_get(http_req *rq, http_resp *rs)
{
    const char *slug;
    db_res *r = this_page(rq, rs, &slug);
    if (!r) return;
    if (is_terms(slug)) {
        terms_page(rq, rs, r, 200);
        return;
    }
    wf_values *v = webform_values(rq->a, &page_form);
    v->shown[F_TITLE] = db_val(r, 0, "title");
    v->shown[F_BODY] = db_val(r, 0, "body");
    form_page(rq, rs, slug, db_val(r, 0, "title"), v, 0);
}

static void page_post(http_req *rq, http_resp *rs)
{
    const char *slug;
    db_res *r = this_page(rq, rs, &slug);
    if (!r) return;
    if (is_terms(slug)) {
        terms_page(rq, rs, r, 403);
        return;
    }
    wf_values *v = webform_read(rq, &page_form);
    const char *act = req_in(rq, "actie");
    if (act && strcmp(act, "voorbeeld") == 0) {
        v->nerrors = 0;
        memset(v->error, 0, N_PAGE_FIELDS * sizeof *v->error);
        form_page(rq, rs, slug, db_val(r, 0, "title"), v, 1);
        return;
    }
    if (v->nerrors) {
        form_page(rq, rs, slug, db_val(r, 0, "title"), v, 0);
        return;
    }
    page_change ch = {slug, auth_user(rq)->person_id, rq->client_ip, v->value[F_TITLE],
                      content_unix_lines(rq->a, v->value[F_BODY])};
    int rc = db_tx(req_db(rq), rq->a, content_page_save, &ch);
    if (rc == CONTENT_GONE || rc == CONTENT_LOCKED) {
        page_error(rq, rs, rc == CONTENT_GONE ? 404 : 403);
        return;
    }
    if (rc != 0) {
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "pagina-opgeslagen");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, PAGES_PATH "/%s", slug));
}

/* Filled from the form description when the routes are registered. */
static field_spec page_inputs[N_PAGE_FIELDS + sizeof page_extra / sizeof page_extra[0]];

static const route routes[] = {
    {"GET", PAGES_PATH, pages_list, NULL, RF_STAFF},
    {"GET", PAGES_PATH "/:slug", page_get, NULL, RF_STAFF},
    {"POST", PAGES_PATH "/:slug", page_post, page_inputs, RF_STAFF},
};

void content_admin_pages_routes(router *r)
{
    if (webform_spec_for(r, &page_form, page_extra, page_inputs,
                         sizeof page_inputs / sizeof page_inputs[0]) != 0)
        return;
    router_add_all(r, routes);
}
