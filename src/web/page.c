/* page.c - see page.h */
#include "web/page.h"

#include <stddef.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "http/static.h"
#include "web/flash.h"

_Static_assert(offsetof(web_site, http) == 0, "a web_site begins with its http_site");

const web_site *web_site_of(const http_req *rq)
{
    return (const web_site *)rq->site;
}

tv *page_ctx(http_req *rq)
{
    tv *ctx = tv_obj(rq->a);
    const req_viewer *v = rq->viewer;
    if (v) {
        tv *user = tv_set_obj(ctx, "user");
        tv_set_str(user, "name", v->name);
        tv_set_str(user, "csrf", v->csrf);
        tv_set_bool(user, "org", v->in_org);
    }
    return ctx;
}

void page_crumb(http_req *rq, tv *ctx, const char *label, const char *href)
{
    tv *list = tv_get(ctx, "crumbs");
    if (!list) {
        list = tv_set_list(ctx, "crumbs");
        tv_set_bool(ctx, "has_crumbs", 1);
        tv *home = tv_push_obj(list);
        tv_set_str(home, "label", "Home");
        tv_set_str(home, "href", "/");
    }
    (void)rq;
    tv *c = tv_push_obj(list);
    tv_set_str(c, "label", label);
    tv_set_str(c, "href", href);
}

static void render_layout(http_req *rq, http_resp *rs, tv *ctx, const char *title, const char *nav,
                          const char *content)
{
    const web_site *ws = web_site_of(rq);
    tv_set_str(ctx, "title", title);
    tv_set_str(ctx, "content", content);
    tv_set_str(ctx, "css_version", static_etag(ws->http.statics, "style.css"));
    tv_set_str(ctx, "js_version", static_etag(ws->http.statics, "site.js"));
    tv_set_str(ctx, "logo_version", static_etag(ws->http.statics, "logo.svg"));
    /* the current page, for "Inloggen" to come back to */
    tv_set_str(ctx, "here", rq->path);
    if (nav) tv_set_bool(tv_set_obj(ctx, "nav"), nav, 1);
    rs->body.len = 0;
    rs->body.data[0] = '\0';
    if (tmpl_render(ws->tmpl, "layout", ctx, &rs->body) != 0) {
        log_error("template 'layout' ontbreekt");
        resp_text(rs, 500, "Er ging iets mis aan onze kant.");
        return;
    }
    rs->content_type = "text/html; charset=utf-8";
}

void page_render(http_req *rq, http_resp *rs, const char *tmpl, tv *ctx, const char *title,
                 const char *nav)
{
    int success = 0;
    const char *notice = flash_take(rq, rs, &success);
    if (notice) {
        tv *f = tv_set_obj(ctx, "flash");
        tv_set_str(f, "text", notice);
        tv_set_str(f, "kind", success ? "success" : "info");
    }
    /* a form sent back with errors says so first, also to screen readers */
    const tv *failed = tv_get(ctx, "wf_failed");
    if (failed && tv_truthy(failed)) title = arena_printf(rq->a, "Fout: %s", title);
    buf content;
    buf_init(&content, rq->a, 8192);
    if (tmpl_render(web_site_of(rq)->tmpl, tmpl, ctx, &content) != 0) {
        log_error("template '%s' ontbreekt", tmpl);
        page_error(rq, rs, 500);
        return;
    }
    render_layout(rq, rs, ctx, title, nav, content.data);
}

static const struct {
    int status;
    const char *title, *text;
} errors[] = {
    {400, "Ongeldig verzoek",
     "Dit verzoek kunnen we niet verwerken. Controleer het adres of het formulier en probeer het "
     "opnieuw."},
    {403, "Geen toegang", "U heeft geen toegang tot deze pagina."},
    {404, "Pagina niet gevonden",
     "De pagina die u zoekt bestaat niet (meer). Controleer het adres of ga terug naar de "
     "startpagina."},
    {405, "Niet toegestaan", "Deze actie is op deze pagina niet mogelijk."},
    {413, "Te veel gegevens",
     "U heeft te veel of te lange gegevens verstuurd. Maak de invoer korter en probeer het "
     "opnieuw."},
    {415, "Ongeldig formaat", "Dit formaat kunnen we niet verwerken."},
    {429, "Te veel pogingen",
     "Te veel pogingen achter elkaar. Wacht even en probeer het dan opnieuw."},
    {500, "Er ging iets mis",
     "Er ging iets mis aan onze kant. Probeer het later opnieuw of neem contact op met de "
     "administratie."},
    {503, "Tijdelijk niet beschikbaar",
     "De Klantportal is tijdelijk niet beschikbaar. Probeer het over enkele minuten opnieuw."},
};

void page_error(http_req *rq, http_resp *rs, int status)
{
    const char *title = "Er ging iets mis", *text = errors[7].text;
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        if (errors[i].status == status) {
            title = errors[i].title;
            text = errors[i].text;
        }
    if (rq->error_title) title = rq->error_title;
    if (rq->error_text) text = rq->error_text;
    tv *ctx = page_ctx(rq);
    tv_set_str(ctx, "error_title", title);
    tv_set_str(ctx, "error_text", text);
    tv_set_int(ctx, "status", status);
    rs->status = status;
    buf content;
    buf_init(&content, rq->a, 1024);
    if (tmpl_render(web_site_of(rq)->tmpl, "error", ctx, &content) != 0) {
        resp_text(rs, status, text);
        return;
    }
    render_layout(rq, rs, ctx, title, NULL, content.data);
    rs->status = status;
}

void page_db_error(http_req *rq, http_resp *rs)
{
    log_error("database: %s %s: %s", rq->method, rq->path,
              rq->db_conn ? db_errmsg(rq->db_conn) : "geen verbinding");
    /* a statement over the time limit is load, not a bug: try again later */
    int busy = rq->db_conn && db_errkind_of(rq->db_conn) == DB_ERR_TIMEOUT;
    page_error(rq, rs, busy ? 503 : 500);
}
