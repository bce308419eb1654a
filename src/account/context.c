/* context.c - Selecteer organisatie (/organisatie-kiezen): one login acts
 * as the person ("persoon") or for one of their organisations. The choice
 * lives in the session; with "Onthoud mijn gegevens" it is also kept in the
 * remember-me token and preselected at the next login (auth/session.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "auth/audit.h"
#include "auth/session.h"
#include "core/config.h"
#include "http/http.h"
#include "web/flash.h"
#include "web/page.h"

/* The person's active memberships; columns: id (organisation), name, role. */
static db_res *memberships(http_req *rq, long long person_id)
{
    db_res *r = NULL;
    if (db_q(req_db(rq), rq->a, &r,
             "SELECT o.id, o.name, m.role FROM memberships m"
             " JOIN organisations o ON o.id = m.organisation_id"
             " WHERE m.person_id = $1 AND m.active = 1 ORDER BY o.name",
             arena_printf(rq->a, "%lld", person_id)) < 0)
        return NULL;
    return r;
}

int account_has_organisations(http_req *rq, long long person_id, int *has)
{
    db_res *r = memberships(rq, person_id);
    if (!r) return -1;
    *has = r->nrows > 0;
    return 0;
}

static int find_org(const db_res *r, long long id)
{
    for (int i = 0; i < r->nrows; i++)
        if (db_int(r, i, "id") == id) return i;
    return -1;
}

static void chooser(http_req *rq, http_resp *rs, const db_res *orgs, const char *error)
{
    const auth_ctx *u = auth_user(rq);
    long long selected = u->org_id;
    if (!selected) {
        long long kept = auth_kept_context(rq);
        if (kept && find_org(orgs, kept) >= 0) selected = kept;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Organisatie kiezen", NULL);
    tv_set_str(ctx, "person_name", u->name);
    tv_set_bool(ctx, "person_selected", selected == 0);
    tv *list = tv_set_list(ctx, "organisations");
    for (int i = 0; i < orgs->nrows; i++) {
        tv *o = tv_push_obj(list);
        tv_set_str(o, "id", db_val(orgs, i, "id"));
        tv_set_str(o, "name", db_val(orgs, i, "name"));
        /* the role decides what one may do there: say it before the choice */
        tv_set_str(o, "role", db_val(orgs, i, "role"));
        tv_set_bool(o, "selected", db_int(orgs, i, "id") == selected);
    }
    tv_set_str(ctx, "terug", auth_safe_return(req_in(rq, "terug"), NULL));
    tv_set_str(ctx, "error", error);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "account/choose", ctx, "Selecteer organisatie", NULL);
}

static void choose_get(http_req *rq, http_resp *rs)
{
    db_res *orgs = memberships(rq, auth_user(rq)->person_id);
    if (!orgs) {
        page_db_error(rq, rs);
        return;
    }
    chooser(rq, rs, orgs, NULL);
}

/* Where to go after OK: back to the page the person was on when its
 * route's rules let them in with the new rights, else the start page.
 * Decided by the route's flags (auth_allowed on the session as it is now),
 * without running the page. */
static const char *destination(http_req *rq, long long org_id, int beheerder)
{
    const char *terug = auth_safe_return(req_in(rq, "terug"), "/mijn");
    const char *q = strchr(terug, '?');
    char *path = q ? arena_strndup(rq->a, terug, (size_t)(q - terug)) : arena_strdup(rq->a, terug);
    route_match m;
    /* this page again would only ask the same question */
    if (strcmp(path, "/organisatie-kiezen") == 0 ||
        router_match(rq->app->router, rq->a, "GET", path, &m) != ROUTE_FOUND)
        return "/mijn";
    rq->auth->org_id = org_id;
    rq->auth->beheerder = beheerder;
    return auth_allowed(rq, m.rt->flags) ? terug : "/mijn";
}

static void choose_post(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    db_res *orgs = memberships(rq, u->person_id);
    if (!orgs) {
        page_db_error(rq, rs);
        return;
    }
    const char *choice = req_in(rq, "organisatie");
    long long org_id = 0;
    int i = -1;
    if (choice && strcmp(choice, "persoon") != 0) {
        long n;
        org_id = config_parse_long(choice, 1, LONG_MAX, &n) == 0 ? n : 0;
        i = org_id ? find_org(orgs, org_id) : -1;
        if (i < 0) {
            /* not one of the person's organisations: a forged value */
            chooser(rq, rs, orgs, "Kies uw eigen naam of een van uw organisaties.");
            rs->status = 400;
            return;
        }
    } else if (!choice) {
        chooser(rq, rs, orgs, "Kies uw eigen naam of een organisatie.");
        return;
    }
    /* a remembered login keeps the choice for the next time */
    if (auth_set_context(rq, org_id) != 0 ||
        audit_log(req_db(rq), rq->a, u->person_id, rq->client_ip, "context_gekozen",
                  org_id ? db_val(orgs, i, "name") : "persoon", "") != 0) {
        page_db_error(rq, rs);
        return;
    }
    auth_keep_context(rq, rs, org_id);
    int beheerder = i >= 0 && strcmp(db_val(orgs, i, "role"), "beheerder") == 0;
    resp_redirect(rs, rq->a, 303, destination(rq, org_id, beheerder));
    /* "U werkt nu namens …": the next page says it from its own session */
    flash_set(rq, rs, "context-gekozen");
}

static const field_spec choose_fields[] = {
    {"organisatie", IN_FORM, FK_LINE, 20},
    {"terug", IN_QUERY | IN_FORM, FK_LINE, 500},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/organisatie-kiezen", choose_get, choose_fields, RF_LOGIN},
    {"POST", "/organisatie-kiezen", choose_post, choose_fields, RF_LOGIN},
};

void account_context_routes(router *r)
{
    router_add_all(r, routes);
}
