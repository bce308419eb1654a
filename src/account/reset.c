/* reset.c - Wachtwoord opvragen (/wachtwoord-opvragen): a reset link for
 * a person with a password, a new activation link for one who was invited
 * but never activated. */
#include <string.h>

#include "account/account.h"
#include "account/internal.h"
#include "auth/audit.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "web/flash.h"
#include "web/page.h"
#include "web/webform.h"

#define MSG_NOT_KNOWN                                                                              \
    "Deze gebruikersnaam is niet bekend. Controleer de schrijfwijze of neem contact op met de "    \
    "administratie."

static const wf_field reset_fields[] = {
    {"gebruikersnaam", "Gebruikersnaam", WF_USERNAME, 254,
     "Vul uw gebruikersnaam (uw e-mailadres) in.", "Uw e-mailadres", "username", 0, NULL},
};
static const webform reset_def = WEBFORM(reset_fields);
/* Filled from the form description (and the extras, and the end) when
 * the routes are registered. */
static field_spec reset_inputs[sizeof reset_fields / sizeof reset_fields[0] + 1];

static void reset_form(http_req *rq, http_resp *rs, const wf_values *v)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Inloggen", "/inloggen");
    page_crumb(rq, ctx, "Wachtwoord opvragen", NULL);
    webform_put(rq, ctx, &reset_def, v);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "account/reset_request", ctx, "Wachtwoord opvragen", NULL);
    rs->status = 200;
}

static void reset_get(http_req *rq, http_resp *rs)
{
    reset_form(rq, rs, NULL);
}

/* The answer a name gets: an unknown one is told so under the field (the
 * manual wants that); a known one is sent on to the form again, where the
 * notice of its link is shown once, so a reload sends nothing twice. */
static void reset_answer(http_req *rq, http_resp *rs, wf_values *v, const char *kind)
{
    if (!kind) {
        webform_fail(v, &reset_def, "gebruikersnaam", MSG_NOT_KNOWN);
        reset_form(rq, rs, v);
        return;
    }
    flash_set(rq, rs,
              strcmp(kind, "activatie") == 0 ? "activatielink-verstuurd" : "link-verstuurd");
    resp_redirect(rs, rq->a, 303, "/wachtwoord-opvragen");
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
             " FROM persons WHERE email = $1 AND email <> '' AND blocked = 0",
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
    wf_values *v = webform_read(rq, &reset_def);
    if (v->nerrors) {
        reset_form(rq, rs, v);
        return;
    }
    const char *user = v->value[0];
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
        if (rl_audit_refusal(c, rq->a, "reset_genegeerd", user) &&
            audit_log(c, rq->a, id, rq->client_ip, "reset_genegeerd", user, "") != 0)
            page_db_error(rq, rs);
        else
            reset_answer(rq, rs, v, kind);
        return;
    }
    if (!kind) {
        if (audit_log(c, rq->a, 0, rq->client_ip, "reset_onbekend", user, "") != 0)
            page_db_error(rq, rs);
        else
            reset_answer(rq, rs, v, NULL);
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
    reset_answer(rq, rs, v, kind);
}

static const route routes[] = {
    {"GET", "/wachtwoord-opvragen", reset_get, reset_inputs, 0},
    {"POST", "/wachtwoord-opvragen", reset_post, reset_inputs, 0},
};

void account_reset_routes(router *r)
{
    size_t cap = sizeof reset_inputs / sizeof reset_inputs[0];
    if (webform_spec_for(r, &reset_def, NULL, reset_inputs, cap) != 0) return;
    router_add_all(r, routes);
}
