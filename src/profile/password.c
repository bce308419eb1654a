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

/* ==================================================== password change */

typedef struct pw_view {
    const char *current_error;
    const char *const *policy; /* messages for the new password */
    int npolicy;
    const char *confirm_error;
} pw_view;

static void password_form(http_req *rq, http_resp *rs, int status, const pw_view *v)
{
    tv *ctx = profile_ctx(rq, "Wachtwoord wijzigen");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "current_error", v->current_error);
    tv_set_str(ctx, "confirm_error", v->confirm_error);
    if (v->npolicy > 0) {
        tv_set_bool(ctx, "has_errors", 1);
        tv *list = tv_set_list(ctx, "errors");
        for (int i = 0; i < v->npolicy; i++)
            tv_push(list, tv_str(rq->a, v->policy[i]));
    }
    tv_set_bool(ctx, "failed", v->current_error || v->npolicy > 0 || v->confirm_error);
    page_render(rq, rs, "profile/password", ctx, "Wachtwoord wijzigen", NAV_MIJN);
    rs->status = status;
}

static void password_get(http_req *rq, http_resp *rs)
{
    password_form(rq, rs, 200, &(pw_view){0});
}

/* The policy's view of the person: the infix counts with the last name. */
static policy_person policy_of(http_req *rq)
{
    const auth_ctx *u = auth_user(rq);
    const char *last = u->last_name;
    if (u->infix && *u->infix) last = arena_printf(rq->a, "%s %s", u->infix, u->last_name);
    return (policy_person){u->email, u->first_name, last};
}

static void password_start(http_req *rq, http_resp *rs)
{
    const char *current = req_in(rq, "huidig_wachtwoord");
    const char *pw = req_in(rq, "wachtwoord");
    const char *again = req_in(rq, "wachtwoord_bevestiging");
    const char **msgs = arena_zalloc(rq->a, POLICY_MAX_ERRORS * sizeof *msgs);
    pw_view v = {filter_error(rq, "huidig_wachtwoord"), msgs, 0,
                 filter_error(rq, "wachtwoord_bevestiging")};
    if (!v.current_error && !current) v.current_error = "Vul uw huidige wachtwoord in.";
    if (filter_error(rq, "wachtwoord")) {
        msgs[v.npolicy++] = filter_error(rq, "wachtwoord");
    } else if (!pw) {
        msgs[v.npolicy++] = "Vul een nieuw wachtwoord in.";
    } else {
        policy_person who = policy_of(rq);
        v.npolicy = policy_check(pw, &who, msgs);
        if (v.npolicy == 0 && current && strcmp(pw, current) == 0)
            msgs[v.npolicy++] = "Kies een ander wachtwoord dan uw huidige.";
    }
    if (!v.confirm_error && !again)
        v.confirm_error = "Vul het nieuwe wachtwoord nogmaals in.";
    else if (!v.confirm_error && pw && strcmp(pw, again) != 0)
        v.confirm_error = "De wachtwoorden zijn niet gelijk.";
    if (v.current_error || v.npolicy || v.confirm_error) {
        password_form(rq, rs, 200, &v);
        return;
    }
    passcheck *pc = passcheck_reauth(rq, current, pw, PROFILE_WHERE);
    int blocked = passcheck_brake(rq, rs, pc);
    if (blocked > 0)
        password_form(rq, rs, 429, &(pw_view){MSG_LOCKED, NULL, 0, NULL});
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
            password_form(rq, rs, 200, &(pw_view){MSG_WRONG_PASSWORD, NULL, 0, NULL});
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

static const field_spec password_fields[] = {
    {"huidig_wachtwoord", IN_FORM, FK_TEXT, 256},
    {"wachtwoord", IN_FORM, FK_TEXT, 256},
    {"wachtwoord_bevestiging", IN_FORM, FK_TEXT, 256},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/mijn/wachtwoord", password_get, NULL, RF_LOGIN},
    {"POST", "/mijn/wachtwoord", password_post, password_fields, RF_LOGIN},
};

void profile_password_routes(router *r)
{
    router_add_all(r, routes);
}
