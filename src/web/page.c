/* page.c - see page.h */
#include "web/page.h"

#include <stddef.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "http/static.h"
#include "web/flash.h"

_Static_assert(offsetof(web_site, http) == 0, "a web_site begins with its http_site");

const web_site *web_site_of(const http_req *rq)
{
    return (const web_site *)rq->site;
}

const char *page_context_phrase(arena *a, const req_viewer *v)
{
    if (!v->in_org || !v->org_name) return "als persoon";
    return arena_printf(a, "namens %s (%s)", v->org_name,
                        v->beheerder ? "beheerder" : "medewerker");
}

/* This page as a "terug" value: path and query, percent-encoded. A query
 * that holds a secret (a link's token) is left out, as in the log. */
static const char *here(const http_req *rq)
{
    buf b;
    buf_init(&b, rq->a, 128);
    int secret = rq->rt && (rq->rt->flags & RF_NO_LOG_QUERY);
    if (*rq->query_string && !secret)
        buf_url(&b, arena_printf(rq->a, "%s?%s", rq->path, rq->query_string));
    else
        buf_url(&b, rq->path);
    return b.data;
}

/* Organisatie kiezen from this page; on Selecteer organisatie itself the
 * way back it already has. */
static const char *choose_href(const http_req *rq)
{
    if (strcmp(rq->path, "/organisatie-kiezen") == 0)
        return *rq->query_string ? arena_printf(rq->a, "%s?%s", rq->path, rq->query_string)
                                 : rq->path;
    return arena_printf(rq->a, "/organisatie-kiezen?terug=%s", here(rq));
}

tv *page_ctx(http_req *rq)
{
    tv *ctx = tv_obj(rq->a);
    const req_viewer *v = rq->viewer;
    if (v) {
        tv *user = tv_set_obj(ctx, "user");
        tv_set_str(user, "name", v->name);
        tv_set_str(user, "context", page_context_phrase(rq->a, v));
        tv_set_str(user, "csrf", v->csrf);
        tv_set_bool(user, "org", v->in_org);
        tv_set_bool(user, "has_orgs", v->has_orgs);
        tv_set_bool(user, "staff", v->staff);
        if (v->has_orgs) tv_set_str(user, "choose_href", choose_href(rq));
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

/* A section's own menu under the header. An item shows once a GET route
 * serves its first path and the viewer passes that route's flags, so a new
 * page only needs its line here. The other path is the item's own pages
 * that are not below the first (Wachtwoord wijzigen). exact: the item is
 * current on its own path only (the back office's start page, which every
 * other page is below). */
typedef struct menu_item {
    const char *label;
    const char *paths[2];
    int exact;
} menu_item;

/* Mijn Onderwijsgroep, in the manual's order. */
static const menu_item mijn_menu[] = {
    {"Persoonlijke gegevens", {"/mijn/gegevens", "/mijn/wachtwoord"}, 0},
    {"Organisatiegegevens", {"/mijn/organisatie", NULL}, 0},
    {"Digitaal Dossier", {"/mijn/dossier", NULL}, 0},
    {"Facturen", {"/mijn/facturen", NULL}, 0},
    {"Cursussen", {"/mijn/cursussen", NULL}, 0},
};

/* The numbers beside Mijn menu items, by the item's index. */
static struct {
    page_badge_fn fn;
    const char *one, *many;
} mijn_badges[sizeof mijn_menu / sizeof mijn_menu[0]];

int page_set_badge(const char *path, page_badge_fn fn, const char *one, const char *many)
{
    for (size_t i = 0; i < sizeof mijn_menu / sizeof mijn_menu[0]; i++)
        if (strcmp(mijn_menu[i].paths[0], path) == 0 && !mijn_badges[i].fn) {
            mijn_badges[i].fn = fn;
            mijn_badges[i].one = one;
            mijn_badges[i].many = many;
            return 0;
        }
    return -1;
}

/* The item's number, when it has one above 0 for this viewer. */
static void put_badge(http_req *rq, tv *item, const menu_item *menu, size_t i)
{
    if (menu != mijn_menu || !mijn_badges[i].fn || !rq->viewer) return;
    long long n = mijn_badges[i].fn(rq);
    if (n <= 0) return;
    tv *b = tv_set_obj(item, "badge");
    tv_set_int(b, "count", n);
    tv_set_str(b, "label", n == 1 ? mijn_badges[i].one : mijn_badges[i].many);
}

/* The back office: what needs doing first, then the catalog, the
 * customers, the content, the trail. */
static const menu_item beheer_menu[] = {
    {"Start", {"/beheer", NULL}, 1},
    {"Inschrijvingen", {"/beheer/inschrijvingen", NULL}, 0},
    {"Facturen", {"/beheer/facturen", NULL}, 0},
    {"Evenementen", {"/beheer/evenementen", NULL}, 0},
    {"Cursussen", {"/beheer/cursussen", NULL}, 0},
    {"Categorieën", {"/beheer/categorieen", NULL}, 0},
    {"Personen", {"/beheer/personen", NULL}, 0},
    {"Organisaties", {"/beheer/organisaties", NULL}, 0},
    {"Import", {"/beheer/import", NULL}, 0},
    {"Nieuws", {"/beheer/nieuws", NULL}, 0},
    {"Pagina's", {"/beheer/paginas", NULL}, 0},
    {"Audit", {"/beheer/audit", NULL}, 0},
};

/* Would a route with these flags let the viewer in? Only to decide which
 * links to show: auth_before still guards every request. */
static int viewer_may(const req_viewer *v, unsigned flags)
{
    if ((flags & (RF_LOGIN | RF_ORG | RF_BEHEERDER | RF_STAFF)) && !v) return 0;
    if ((flags & RF_STAFF) && !v->staff) return 0;
    if ((flags & (RF_ORG | RF_BEHEERDER)) && !v->in_org) return 0;
    return !(flags & RF_BEHEERDER) || v->beheerder;
}

static int page_exists_for(http_req *rq, const char *path)
{
    route_match m;
    return rq->site->router &&
           router_match(rq->site->router, rq->a, "GET", path, &m) == ROUTE_FOUND &&
           viewer_may(rq->viewer, m.rt->flags);
}

/* path is p itself or a page below it */
static int under(const char *path, const char *p)
{
    size_t n = strlen(p);
    return strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Fills "section_nav" (label, items) and returns the title with the
 * item's name when this page is an item's own. */
static const char *section_menu(http_req *rq, tv *ctx, const char *title, const char *label,
                                const menu_item *menu, size_t n)
{
    tv *list = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *href = menu[i].paths[0];
        if (!page_exists_for(rq, href)) continue;
        if (!list) {
            tv *nav = tv_set_obj(ctx, "section_nav");
            tv_set_str(nav, "label", label);
            list = tv_set_list(nav, "items");
        }
        tv *item = tv_push_obj(list);
        tv_set_str(item, "label", menu[i].label);
        tv_set_str(item, "href", href);
        put_badge(rq, item, menu, i);
        int exact = strcmp(rq->path, href) == 0, in = 0;
        for (size_t j = 0; j < 2 && menu[i].paths[j]; j++)
            in |= menu[i].exact ? strcmp(rq->path, menu[i].paths[j]) == 0
                                : under(rq->path, menu[i].paths[j]);
        /* the item's own page, or a page within it */
        if (in) tv_set_str(item, "current", exact ? "page" : "true");
        if (exact && strcmp(title, menu[i].label) != 0)
            title = arena_printf(rq->a, "%s — %s", title, menu[i].label);
    }
    return title;
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
    if (nav && strcmp(nav, NAV_MIJN) == 0)
        title = section_menu(rq, ctx, title, "Mijn Onderwijsgroep", mijn_menu,
                             sizeof mijn_menu / sizeof mijn_menu[0]);
    else if (nav && strcmp(nav, NAV_BEHEER) == 0)
        title = section_menu(rq, ctx, title, "Beheer", beheer_menu,
                             sizeof beheer_menu / sizeof beheer_menu[0]);
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

/* An organisation page refused this person for the context they act in
 * (a medewerker on a beheerder page, or acting as person), while another
 * context might let them in. */
static int offers_choice(const http_req *rq, int status)
{
    const req_viewer *v = rq->viewer;
    if (!v || !v->has_orgs || !rq->rt || !(rq->rt->flags & (RF_ORG | RF_BEHEERDER))) return 0;
    return status == 403 || (status == 404 && !v->in_org);
}

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
    if (offers_choice(rq, status)) tv_set_str(ctx, "offer_choice", choose_href(rq));
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

int page_one_row(http_req *rq, http_resp *rs, const db_res *r)
{
    if (!r)
        page_db_error(rq, rs);
    else if (r->nrows != 1)
        page_error(rq, rs, 404);
    else
        return 0;
    return -1;
}
