/* page.h - renders a feature's template inside the site layout.
 *
 * A handler builds its context with page_ctx(), adds breadcrumbs with
 * page_crumb() and calls page_render(). The layout gets: title, nav (the
 * active menu item), crumbs, css_version, and "content" (the page's own
 * rendering, inserted raw because it was escaped when it was rendered).
 */
#ifndef KP_PAGE_H
#define KP_PAGE_H

#include "db/db.h"
#include "http/http.h"
#include "web/tmpl.h"

/* What web/ needs besides http/'s facts: the templates. It begins with its
 * http_site, and the program starts the server with that member, so every
 * request's rq->site is the start of a web_site (web_site_of). */
typedef struct web_site {
    http_site http; /* must stay first */
    const tmpl_set *tmpl;
} web_site;

/* The web_site whose http member rq->site is. */
const web_site *web_site_of(const http_req *rq);

/* Navigation keys for the active menu item. */
#define NAV_HOME "home"
#define NAV_AANBOD "aanbod"
#define NAV_AGENDA "agenda"
#define NAV_NIEUWS "nieuws"
#define NAV_WIE "wie"
#define NAV_CONTACT "contact"
#define NAV_MIJN "mijn"
#define NAV_BEHEER "beheer"

/* The layout's context for this request. For a logged-in person it holds
 * "user": name, context (page_context_phrase), csrf, org (acting for an
 * organisation), has_orgs, and choose_href (Organisatie kiezen, carrying
 * the current page as ?terug= so the choice brings the person back). */
tv *page_ctx(http_req *rq);
/* For whom the viewer acts, as the header says it under the name:
 * "namens Herenbos Schagen (beheerder)", "namens … (medewerker)" or "als
 * persoon". In arena a. */
const char *page_context_phrase(arena *a, const req_viewer *v);
/* href NULL: the current page (not a link). "Home" is always first. */
void page_crumb(http_req *rq, tv *ctx, const char *label, const char *href);
/* With nav NAV_MIJN the page also gets the Mijn Onderwijsgroep menu (the
 * manual's items whose pages exist and let the viewer in), and the page of
 * an item is titled with the item's name too: "Mijn gegevens — Persoonlijke
 * gegevens". NAV_BEHEER does the same with the back office's menu. */
void page_render(http_req *rq, http_resp *rs, const char *tmpl, tv *ctx, const char *title,
                 const char *nav);
/* A number beside a Mijn menu item (the unread messages of Digitaal
 * Dossier): fn answers it for the viewer of rq (0: none shown, -1: a
 * database error, logged by fn, also none). web/ cannot ask a feature, so
 * the feature registers its function for the item's path at start-up
 * (route registration, before the server runs; not thread-safe). fn runs
 * once per page with the Mijn menu, only for a logged-in viewer and only
 * when the item is shown. one / many: the number's meaning for screen
 * readers, "ongelezen bericht" / "ongelezen berichten". Returns -1 when the
 * path is no Mijn menu item or has a function already. */
typedef long long (*page_badge_fn)(http_req *rq);
int page_set_badge(const char *path, page_badge_fn fn, const char *one, const char *many);

/* A Dutch error page for status (400, 403, 404, 405, 413, 415, 429, 500).
 * When an organisation page refused a person who can act for another
 * context (403, or 404 acting as person), it offers Organisatie kiezen with
 * the way back to this page. */
void page_error(http_req *rq, http_resp *rs, int status);
/* For a page about one row (a course, a news item, a contact): returns 0
 * when r holds exactly one row; otherwise renders the error page — 500
 * when the query failed (r NULL, see page_db_error), 404 when there is no
 * such row — and returns -1. */
int page_one_row(http_req *rq, http_resp *rs, const db_res *r);

/* Logs why the last query on the request's connection failed and renders
 * the 500 page; never shows the reason to the user. */
void page_db_error(http_req *rq, http_resp *rs);

#endif
