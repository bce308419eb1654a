/* handlers.c - the Mijn Onderwijsgroep start page (/mijn), and the routes
 * of the account pages: Inloggen and Uitloggen (login.c), Wachtwoord
 * opvragen (reset.c), Wachtwoord instellen (set_password.c). */
#include "account/account.h"
#include "account/internal.h"
#include "auth/session.h"
#include "web/page.h"

static void mijn(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", NULL);
    tv_set_str(ctx, "first_name", u->first_name);
    tv_set_str(ctx, "email", u->email);
    tv_set_str(ctx, "org_name", u->org_name);
    tv_set_bool(ctx, "beheerder", u->beheerder);
    page_render(rq, rs, "account/mijn", ctx, "Mijn Onderwijsgroep", NAV_MIJN);
}

static const route routes[] = {
    {"GET", "/mijn", mijn, NULL, RF_LOGIN},
};

void account_routes(router *r)
{
    account_login_routes(r);
    account_twofactor_routes(r);
    account_reset_routes(r);
    account_set_password_routes(r);
    router_add_all(r, routes);
}
