/* password.c - Wachtwoord wijzigen (/mijn/wachtwoord): the current
 * password, the new one twice against the policy; the other sessions end. */
#include "profile/internal.h"

#include <sodium.h>

#include "auth/audit.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/log.h"
#include "core/nlvalid.h"
#include "web/flash.h"
#include "web/webform.h"

/* ==================================================== password change */

/* The form, once: every field is required, so none is marked. */
static const wf_field password_fields[] = {
    {"huidig_wachtwoord", "Huidig wachtwoord", WF_PASSWORD, 256, "Vul uw huidige wachtwoord in.",
     NULL, "current-password", 0, NULL},
    {"wachtwoord", "Nieuw wachtwoord", WF_NEW_PASSWORD, 256, "Vul een nieuw wachtwoord in.", NULL,
     "new-password", 0, NULL},
    {"wachtwoord_bevestiging", "Bevestig nieuw wachtwoord", WF_PASSWORD, 256,
     "Vul het nieuwe wachtwoord nogmaals in.", NULL, "new-password", 0, NULL},
};
static const webform password_def = WEBFORM(password_fields);
/* Filled from the form description when the routes are registered. */
static field_spec password_inputs[sizeof password_fields / sizeof password_fields[0] + 1];

static void password_form(http_req *rq, http_resp *rs, int status, const wf_values *v)
{
    tv *ctx = profile_ctx(rq, "Wachtwoord wijzigen");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    webform_put(rq, ctx, &password_def, v);
    page_render(rq, rs, "profile/password", ctx, "Wachtwoord wijzigen", NAV_MIJN);
    rs->status = status;
}

/* The form again with one message at the current password: it is wrong,
 * or the brake asks to wait. */
static void password_refused(http_req *rq, http_resp *rs, int status, const char *msg)
{
    wf_values *v = webform_read(rq, &password_def);
    webform_fail(v, &password_def, "huidig_wachtwoord", msg);
    password_form(rq, rs, status, v);
}

static void password_get(http_req *rq, http_resp *rs)
{
    password_form(rq, rs, 200, NULL);
}

/* The policy's view of the person: the infix counts with the last name. */
static policy_person policy_of(http_req *rq)
{
    const auth_ctx *u = auth_user(rq);
    const char *last = u->last_name;
    if (u->infix && *u->infix) last = arena_printf(rq->a, "%s %s", u->infix, u->last_name);
    return (policy_person){u->email, u->first_name, last};
}

/* The form's checks: each field filled in, the policy, a new password
 * unlike the current one, typed the same twice. */
static wf_values *password_read(http_req *rq)
{
    wf_values *v = webform_read(rq, &password_def);
    const char *current = v->value[0], *pw = v->value[1], *again = v->value[2];
    if (pw) {
        policy_person who = policy_of(rq);
        const char *broken[POLICY_MAX_ERRORS];
        int n = policy_check(pw, &who, broken);
        webform_fail_all(rq, v, &password_def, "wachtwoord", broken, n);
        if (n == 0 && current && strcmp(pw, current) == 0)
            webform_fail(v, &password_def, "wachtwoord",
                         "Kies een ander wachtwoord dan uw huidige.");
    }
    if (pw && again && strcmp(pw, again) != 0)
        webform_fail(v, &password_def, "wachtwoord_bevestiging",
                     "De wachtwoorden zijn niet gelijk.");
    return v;
}

static void password_start(http_req *rq, http_resp *rs)
{
    wf_values *v = password_read(rq);
    if (v->nerrors) {
        password_form(rq, rs, 200, v);
        return;
    }
    const char *current = v->value[0], *pw = v->value[1];
    passcheck *pc = passcheck_reauth(rq, current, pw, PROFILE_WHERE);
    int blocked = passcheck_brake(rq, rs, pc);
    if (blocked > 0)
        password_refused(rq, rs, 429, MSG_LOCKED);
    else if (blocked < 0 || passcheck_start(rq, pc) != 0)
        page_db_error(rq, rs);
}

/* Stores the new hash and ends every other session and every remember-me
 * token of the person, keeping this session. */
static int store_password(http_req *rq, const char *hash)
{
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    const char *id = num(rq, u->person_id), *now = now_str(rq);
    if (db_begin(c) != 0) return -1;
    if (db_q(c, rq->a, NULL, "UPDATE persons SET password_hash = $1, updated_at = $2 WHERE id = $3",
             hash, now, id) != 1 ||
        auth_end_sessions(c, rq->a, u->person_id, u->session_id) != 0 ||
        /* a reset link asked for earlier would set yet another password */
        db_q(c, rq->a, NULL,
             "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND kind = 'reset'"
             " AND used_at IS NULL",
             now, id) < 0 ||
        audit_log(c, rq->a, u->person_id, rq->client_ip, "wachtwoord_gewijzigd", u->email,
                  "via Mijn gegevens") != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        return -1;
    }
    return 0;
}

static void password_finish(http_req *rq, http_resp *rs, passcheck *j)
{
    if (!j->ok) {
        if (passcheck_failed(rq, j, "wachtwoord_wijzigen_mislukt") != 0)
            page_db_error(rq, rs);
        else
            password_refused(rq, rs, 200, MSG_WRONG_PASSWORD);
        return;
    }
    if (j->rc != 0) {
        page_error(rq, rs, 500);
        return;
    }
    if (passcheck_passed(rq, j) != 0 || store_password(rq, j->new_hash) != 0) {
        page_db_error(rq, rs);
        return;
    }
    sodium_memzero(j->new_hash, sizeof j->new_hash);
    /* this browser's remember-me token is gone with the others */
    if (auth_cookie_get(rq, "kp_onthoud")) auth_cookie(rq, rs, "kp_onthoud", "", 0);
    flash_set(rq, rs, "wachtwoord-gewijzigd");
    resp_redirect(rs, rq->a, 303, "/mijn/gegevens");
}

static void password_post(http_req *rq, http_resp *rs)
{
    if (rq->resumed)
        password_finish(rq, rs, rq->defer_arg);
    else
        password_start(rq, rs);
}

static const route routes[] = {
    {"GET", "/mijn/wachtwoord", password_get, NULL, RF_LOGIN},
    {"POST", "/mijn/wachtwoord", password_post, password_inputs, RF_LOGIN},
};

void profile_password_routes(router *r)
{
    size_t cap = sizeof password_inputs / sizeof password_inputs[0];
    if (webform_spec_for(r, &password_def, NULL, password_inputs, cap) != 0) return;
    router_add_all(r, routes);
}
