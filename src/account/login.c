/* login.c - Inloggen (/inloggen) and Uitloggen (/uitloggen).
 *
 * The Argon2id check of the password is handed to the server's worker pool
 * with req_defer(): the handler returns, and is called again with
 * rq->resumed set once the hash is checked. */
#include <string.h>

#include "account/account.h"
#include "account/internal.h"
#include "auth/audit.h"
#include "auth/device.h"
#include "auth/passcheck.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/buf.h"
#include "web/flash.h"
#include "web/page.h"
#include "web/webform.h"

#define MSG_BAD_LOGIN "Gebruikersnaam of wachtwoord onjuist."

/* The refusal names the wait, so the person knows when to come back. */
static const char *locked_message(http_req *rq, int wait)
{
    return arena_printf(rq->a,
                        "Te veel mislukte pogingen. Probeer het over %s opnieuw. Wachtwoord "
                        "vergeten? Vraag via Wachtwoord opvragen een nieuw wachtwoord aan.",
                        rl_wait_text(rq->a, wait));
}

/* The form, once. Every field is required, so neither is marked; the
 * checkbox and the way back are declared beside it. */
static const wf_field login_fields[] = {
    {"gebruikersnaam", "Gebruikersnaam", WF_USERNAME, 254, "Vul uw gebruikersnaam in.",
     "Uw e-mailadres", "username", 0, NULL},
    {"wachtwoord", "Wachtwoord", WF_PASSWORD, 256, "Vul uw wachtwoord in.", NULL,
     "current-password", 0, NULL},
};
static const webform login_def = WEBFORM(login_fields);
static const field_spec login_extra[] = {
    {"onthoud", IN_FORM, FK_CHECKBOX, 10},
    {"terug", IN_QUERY | IN_FORM, FK_LINE, 500},
    {NULL, 0, 0, 0},
};
/* Filled from the form description (and the extras, and the end) when
 * the routes are registered. */
static field_spec login_inputs[sizeof login_fields / sizeof login_fields[0] + 3];

/* refusal: the brake's answer, above the form (nothing typed is wrong). */
static void login_form(http_req *rq, http_resp *rs, int status, const wf_values *v,
                       const char *refusal)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Inloggen", NULL);
    webform_put(rq, ctx, &login_def, v);
    tv_set_bool(ctx, "onthoud", req_in(rq, "onthoud") || auth_cookie_get(rq, "kp_gebruiker"));
    tv_set_str(ctx, "terug", auth_safe_return(req_in(rq, "terug"), NULL));
    tv_set_str(ctx, "refusal", refusal);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "account/login", ctx, "Inloggen", NULL);
    rs->status = status;
}

static void login_get(http_req *rq, http_resp *rs)
{
    if (auth_user(rq)) {
        resp_redirect(rs, rq->a, 303, auth_safe_return(req_in(rq, "terug"), "/mijn"));
        return;
    }
    /* "Onthoud mijn gegevens" kept the username */
    wf_values *v = webform_values(rq->a, &login_def);
    const char *remembered = auth_cookie_get(rq, "kp_gebruiker");
    char *dec;
    size_t n;
    if (remembered &&
        form_url_decode(rq->a, remembered, strlen(remembered), 0, &dec, &n) == FORM_OK)
        v->shown[0] = dec;
    login_form(rq, rs, 200, v, NULL);
}

/* First half: checks and the person's hash; the Argon2id check runs off
 * the request threads. */
static void login_start(http_req *rq, http_resp *rs)
{
    wf_values *v = webform_read(rq, &login_def);
    if (v->nerrors) {
        login_form(rq, rs, 200, v, NULL);
        return;
    }
    passcheck *pc = passcheck_login(rq, v->value[0], v->value[1]);
    int wait = passcheck_brake(rq, rs, pc);
    if (wait < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (wait) {
        login_form(rq, rs, 429, v, locked_message(rq, wait));
        return;
    }
    if (passcheck_start(rq, pc) != 0) page_db_error(rq, rs);
}

static void login_finish(http_req *rq, http_resp *rs, passcheck *pc)
{
    db_conn *c = req_db(rq);
    if (!pc->ok) {
        if (passcheck_failed(rq, pc, "login_mislukt") != 0) {
            page_db_error(rq, rs);
            return;
        }
        /* one answer for a wrong name and a wrong password */
        wf_values *v = webform_read(rq, &login_def);
        webform_fail(v, &login_def, "wachtwoord", MSG_BAD_LOGIN);
        login_form(rq, rs, 200, v, NULL);
        return;
    }
    int code = account_needs_code(rq, pc->person_id);
    if (code < 0 || passcheck_passed(rq, pc) != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (code) {
        account_ask_code(rq, rs, pc->person_id, pc->account);
        return;
    }
    if (db_begin(c) != 0 ||
        auth_login(rq, rs, pc->person_id, pc->account, req_in(rq, "onthoud") != NULL, 0) != 0 ||
        device_remember(rq, rs, pc->person_id) != 0 ||
        audit_log(c, rq->a, pc->person_id, rq->client_ip, "login", pc->account, "") != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    /* a login without "Onthoud mijn gegevens" forgets what was kept */
    if (!req_in(rq, "onthoud")) auth_forget_remembered(rq, rs);
    account_after_login(rq, rs, pc->person_id, auth_safe_return(req_in(rq, "terug"), "/mijn"));
}

void account_after_login(http_req *rq, http_resp *rs, long long person_id, const char *terug)
{
    int has = 0;
    if (account_has_organisations(rq, person_id, &has) != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (!has) {
        resp_redirect(rs, rq->a, 303, terug);
        return;
    }
    /* one login, several hats: ask which one first */
    buf b;
    buf_init(&b, rq->a, 128);
    buf_puts(&b, "/organisatie-kiezen?terug=");
    buf_url(&b, terug);
    resp_redirect(rs, rq->a, 303, b.data);
}

static void login_post(http_req *rq, http_resp *rs)
{
    if (rq->resumed)
        login_finish(rq, rs, rq->defer_arg);
    else
        login_start(rq, rs);
}

/* --------------------------------------------------------------- logout */

static void logout(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    const char *sent = kv_get(&rq->form, "csrf");
    /* With a live session the token must match; without one there is
     * nothing to protect and the cookies are cleared anyway. */
    if (u && !token_equal(sent, u->csrf)) {
        page_error(rq, rs, 403);
        return;
    }
    if (auth_logout(rq, rs) != 0) {
        /* the session lives on: the person must not believe otherwise */
        rq->error_title = "Uitloggen is niet gelukt";
        rq->error_text = "Er ging iets mis aan onze kant. U bent nog ingelogd. Probeer het over "
                         "enkele minuten opnieuw.";
        page_db_error(rq, rs);
        return;
    }
    resp_redirect(rs, rq->a, 303, "/");
    flash_set(rq, rs, "uitgelogd");
}

static const route routes[] = {
    {"GET", "/inloggen", login_get, login_inputs, 0},
    {"POST", "/inloggen", login_post, login_inputs, 0},
    {"POST", "/uitloggen", logout, NULL, RF_NO_CSRF},
};

void account_login_routes(router *r)
{
    size_t cap = sizeof login_inputs / sizeof login_inputs[0];
    if (webform_spec_for(r, &login_def, login_extra, login_inputs, cap) != 0) return;
    router_add_all(r, routes);
}
