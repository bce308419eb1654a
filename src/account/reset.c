/* reset.c - Wachtwoord opvragen (/wachtwoord-opvragen): a reset link for
 * a person with a password, a new activation link for one who was invited
 * but never activated. */
#include <string.h>

#include "account/account.h"
#include "account/internal.h"
#include "auth/audit.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "web/page.h"

#define MSG_NOT_KNOWN                                                                              \
    "Deze gebruikersnaam is niet bekend. Controleer de schrijfwijze of neem contact op met de "    \
    "administratie."

/* sent: 0 the form, "reset" or "activatie" the notice of that link. */
static void reset_form(http_req *rq, http_resp *rs, const char *error, const char *sent)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Inloggen", "/inloggen");
    page_crumb(rq, ctx, "Wachtwoord opvragen", NULL);
    tv_set_str(ctx, "gebruikersnaam", req_in(rq, "gebruikersnaam"));
    tv_set_str(ctx, "error", error);
    tv_set_bool(ctx, "sent", sent != NULL);
    tv_set_bool(ctx, "activation", sent && strcmp(sent, "activatie") == 0);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "account/reset_request", ctx, "Wachtwoord opvragen", NULL);
    rs->status = 200;
}

static void reset_get(http_req *rq, http_resp *rs)
{
    reset_form(rq, rs, NULL, NULL);
}

/* Which link a username may get: "reset" for a person who has (had) a
 * password, "activatie" for one who was invited but never activated (also
 * when that link expired), NULL when there is none; *id the person. */
static int link_kind(http_req *rq, const char *user, const char **kind, long long *id)
{
    db_res *r;
    *kind = NULL;
    if (db_q(req_db(rq), rq->a, &r,
             "SELECT id, CASE WHEN password_hash IS NOT NULL OR activated_at IS NOT NULL"
             " THEN 1 ELSE 0 END AS active,"
             " (SELECT count(*) FROM account_tokens t WHERE t.person_id = persons.id"
             " AND t.kind = 'activatie') AS invitations"
             " FROM persons WHERE email = $1 AND blocked = 0",
             user) < 0)
        return -1;
    if (r->nrows != 1) return 0;
    *id = db_int(r, 0, "id");
    if (db_int(r, 0, "active"))
        *kind = "reset";
    else if (db_int(r, 0, "invitations") > 0)
        *kind = "activatie";
    return 0;
}

static void reset_post(http_req *rq, http_resp *rs)
{
    char *user = username(rq);
    if (!user) {
        reset_form(rq, rs, "Vul uw gebruikersnaam (uw e-mailadres) in.", NULL);
        return;
    }
    db_conn *c = req_db(rq);
    long long attempt, id = 0;
    const char *kind;
    int wait = rl_take(c, rq->a, RL_RESET, &(rl_who){user, rq->client_ip, 0}, &attempt);
    if (wait < 0 || link_kind(rq, user, &kind, &id) != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (wait) {
        /* beyond the limit nothing is sent, but the page is the one this
         * name would get anyway: a person is not told off, a prober learns
         * nothing new */
        if (rl_audit_refusal(c, rq->a, "reset_genegeerd", user))
            audit_log(c, rq->a, id, rq->client_ip, "reset_genegeerd", user, "");
        reset_form(rq, rs, kind ? NULL : MSG_NOT_KNOWN, kind);
        return;
    }
    if (!kind) {
        audit_log(c, rq->a, 0, rq->client_ip, "reset_onbekend", user, "");
        reset_form(rq, rs, MSG_NOT_KNOWN, NULL);
        return;
    }
    int activation = strcmp(kind, "activatie") == 0;
    if (db_begin(c) != 0 || !account_send_link(c, rq->a, rq->app, id, kind) ||
        audit_log(c, rq->a, id, rq->client_ip,
                  activation ? "activatie_opnieuw_verstuurd" : "reset_aangevraagd", user,
                  "") != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    kick_mailer(rq);
    reset_form(rq, rs, NULL, kind);
}

static const field_spec reset_fields[] = {
    {"gebruikersnaam", IN_FORM, FK_LINE, 254},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/wachtwoord-opvragen", reset_get, reset_fields, 0},
    {"POST", "/wachtwoord-opvragen", reset_post, reset_fields, 0},
};

void account_reset_routes(router *r)
{
    router_add_all(r, routes);
}
