/* set_password.c - Wachtwoord instellen (/wachtwoord-instellen?token=…):
 * a new password from a reset link, or the first one from an activation
 * link; then the person is logged in.
 *
 * Hashing the new password (Argon2id) is handed to the server's worker
 * pool with req_defer(): the handler returns, and is called again with
 * rq->resumed set once the hash is done. */
#include <string.h>

#include "account/account.h"
#include "account/internal.h"
#include "auth/audit.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "auth/ratelimit.h"
#include "auth/secondfactor.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/timeutil.h"
#include "web/flash.h"
#include "web/page.h"
#include "web/webform.h"

typedef struct set_job {
    const char *password;
    char hash[PASSWORD_HASH_MAX];
    int rc;
} set_job;

static void hash_job(void *arg)
{
    set_job *j = arg;
    j->rc = password_hash(j->password, j->hash);
}

/* The live token behind ?token=…: columns id, person_id, kind, email,
 * first_name, infix, last_name. NULL and an answer sent when it is not. */
static db_res *live_token(http_req *rq, http_resp *rs)
{
    const char *token = req_in(rq, "token");
    db_res *r = NULL;
    if (token &&
        db_q(req_db(rq), rq->a, &r,
             "SELECT t.id, t.person_id, t.kind, t.expires_at, p.email, p.first_name, p.infix,"
             " p.last_name FROM account_tokens t JOIN persons p ON p.id = t.person_id"
             " WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.kind IN ('reset', 'activatie')"
             " AND p.blocked = 0",
             token_hash(rq->a, token)) < 0) {
        page_db_error(rq, rs);
        return NULL;
    }
    if (!r || r->nrows != 1 || !token_valid_at(db_int(r, 0, "expires_at"), clock_now())) {
        tv *ctx = page_ctx(rq);
        page_crumb(rq, ctx, "Wachtwoord instellen", NULL);
        page_render(rq, rs, "account/token_invalid", ctx, "Link ongeldig", NULL);
        rs->status = 410;
        return NULL;
    }
    return r;
}

/* The form, once: the new password (the rules stand with it) and its
 * repeat; the link's token comes in the query. */
static const wf_field set_fields[] = {
    {"wachtwoord", "Nieuw wachtwoord", WF_NEW_PASSWORD, 256, "Vul een nieuw wachtwoord in.", NULL,
     "new-password", 0, NULL},
    {"wachtwoord_bevestiging", "Bevestig wachtwoord", WF_PASSWORD, 256,
     "Vul het wachtwoord nogmaals in.", NULL, "new-password", 0, NULL},
};
static const webform set_def = WEBFORM(set_fields);
static const field_spec set_extra[] = {
    {"token", IN_QUERY, FK_TOKEN, 100},
    {NULL, 0, 0, 0},
};
/* Filled from the form description (and the extras, and the end) when
 * the routes are registered. */
static field_spec set_inputs[sizeof set_fields / sizeof set_fields[0] + 2];

static void set_form(http_req *rq, http_resp *rs, const db_res *t, const wf_values *v)
{
    tv *ctx = page_ctx(rq);
    int activation = strcmp(db_val(t, 0, "kind"), "activatie") == 0;
    const char *title = activation ? "Toegang activeren" : "Nieuw wachtwoord instellen";
    page_crumb(rq, ctx, title, NULL);
    tv_set_str(ctx, "heading", title);
    tv_set_bool(ctx, "activation", activation);
    tv_set_str(ctx, "email", db_val(t, 0, "email"));
    tv_set_str(ctx, "first_name", db_val(t, 0, "first_name"));
    tv_set_str(ctx, "token", req_in(rq, "token"));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    webform_put(rq, ctx, &set_def, v);
    page_render(rq, rs, "account/set_password", ctx, title, NULL);
}

static void set_get(http_req *rq, http_resp *rs)
{
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
    db_res *t = live_token(rq, rs);
    if (t) set_form(rq, rs, t, NULL);
}

static void set_start(http_req *rq, http_resp *rs)
{
    db_res *t = live_token(rq, rs);
    if (!t) return;
    wf_values *v = webform_read(rq, &set_def);
    const char *pw = v->value[0], *again = v->value[1];
    if (pw) {
        const char *last = db_val(t, 0, "last_name");
        const char *infix = db_val(t, 0, "infix");
        policy_person who = {db_val(t, 0, "email"), db_val(t, 0, "first_name"),
                             (infix && *infix) ? arena_printf(rq->a, "%s %s", infix, last) : last};
        const char *broken[POLICY_MAX_ERRORS];
        int n = policy_check(pw, &who, broken);
        webform_fail_all(rq, v, &set_def, "wachtwoord", broken, n);
    }
    if (pw && again && strcmp(pw, again) != 0)
        webform_fail(v, &set_def, "wachtwoord_bevestiging", "De wachtwoorden zijn niet gelijk.");
    if (v->nerrors) {
        set_form(rq, rs, t, v);
        rs->status = 200;
        return;
    }
    set_job *j = arena_zalloc(rq->a, sizeof *j);
    j->password = pw;
    req_defer(rq, hash_job, j);
}

/* Stores the new password, uses up the token, ends all other sessions and
 * logs the person in on the start page. */
static void set_finish(http_req *rq, http_resp *rs, set_job *j)
{
    db_res *t = live_token(rq, rs);
    if (!t) return;
    if (j->rc != 0) {
        page_error(rq, rs, 500);
        return;
    }
    db_conn *c = req_db(rq);
    const char *now = num(rq, clock_now());
    long long person = db_int(t, 0, "person_id");
    const char *email = db_val(t, 0, "email");
    /* a person who gives a code at login gives it here too: the link
     * proves the mailbox, not the phone */
    int code = account_needs_code(rq, person);
    int state = code > 0 ? sf_state_of(c, rq->a, person) : SF_NONE;
    int used = -1;
    if (code >= 0 && state >= 0 && db_begin(c) == 0)
        used = db_q(c, rq->a, NULL,
                    "UPDATE account_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL", now,
                    db_val(t, 0, "id"));
    if (used != 1 ||
        db_q(c, rq->a, NULL,
             "UPDATE persons SET password_hash = $1, activated_at = COALESCE(activated_at, $2),"
             " updated_at = $2 WHERE id = $3",
             j->hash, now, num(rq, person)) != 1 ||
        auth_end_sessions(c, rq->a, person, 0) != 0 || rl_clear(c, rq->a, email) != 0 ||
        (code ? sf_challenge_start(rq, rs, person, 0, "")
              : auth_login(rq, rs, person, email, 0, 0)) != 0 ||
        audit_log(c, rq->a, person, rq->client_ip,
                  strcmp(db_val(t, 0, "kind"), "activatie") == 0 ? "account_geactiveerd"
                                                                 : "wachtwoord_gewijzigd",
                  email, "via link") != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        if (used == 0) {
            /* someone used the link a moment ago */
            tv *ctx = page_ctx(rq);
            page_render(rq, rs, "account/token_invalid", ctx, "Link ongeldig", NULL);
            rs->status = 410;
            return;
        }
        page_db_error(rq, rs);
        return;
    }
    resp_redirect(rs, rq->a, 303,
                  !code            ? "/mijn"
                  : state == SF_ON ? "/inloggen/code"
                                   : "/inloggen/tweestapsverificatie");
    flash_set(rq, rs, "wachtwoord-ingesteld");
}

static void set_post(http_req *rq, http_resp *rs)
{
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
    if (rq->resumed)
        set_finish(rq, rs, rq->defer_arg);
    else
        set_start(rq, rs);
}

static const route routes[] = {
    {"GET", "/wachtwoord-instellen", set_get, set_inputs, RF_NO_LOG_QUERY},
    {"POST", "/wachtwoord-instellen", set_post, set_inputs, RF_NO_LOG_QUERY},
};

void account_set_password_routes(router *r)
{
    size_t cap = sizeof set_inputs / sizeof set_inputs[0];
    if (webform_spec_for(r, &set_def, set_extra, set_inputs, cap) != 0) return;
    router_add_all(r, routes);
}
