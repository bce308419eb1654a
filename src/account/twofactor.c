/* twofactor.c - the second factor's pages.
 *
 *   /inloggen/code                     after a right password: the code from
 *                                      the app, or a recovery code
 *   /inloggen/tweestapsverificatie     a staff member without a second factor
 *                                      enrols before the first session
 *   /mijn/gegevens/tweestapsverificatie  turn it on or off, new recovery codes
 *
 * Login pages work on the login challenge (auth/secondfactor.h), never on
 * a session: until the code is right there is none. A code passes the same
 * brake as a password (passcheck_code). The recovery codes are shown once,
 * in the answer to the POST that made them (no-store), never again. */
#include <string.h>

#include "account/account.h"
#include "account/internal.h"
#include "auth/audit.h"
#include "auth/device.h"
#include "auth/passcheck.h"
#include "auth/ratelimit.h"
#include "auth/secondfactor.h"
#include "auth/session.h"
#include "core/buf.h"
#include "core/qrsvg.h"
#include "core/totp.h"
#include "web/flash.h"
#include "web/page.h"
#include "web/webform.h"

#define ISSUER "Mijn Onderwijsgroep"
#define MSG_WRONG_CODE                                                                             \
    "Deze code klopt niet. Vul de code in die de app nu toont, of een herstelcode."

static const wf_field code_fields[] = {
    {"code", "Code", WF_LINE, 32, "Vul de code in.",
     "Zes cijfers uit de app, of een herstelcode (zoals abcde-fghjk)", "one-time-code", 12, NULL},
};
static const webform code_def = WEBFORM(code_fields);
static field_spec code_inputs[3];

static const wf_field enrol_fields[] = {
    {"code", "Code uit de app", WF_LINE, 32, "Vul de code uit de app in.",
     "De zes cijfers die de app toont na het scannen", "one-time-code", 8, NULL},
};
static const webform enrol_def = WEBFORM(enrol_fields);
static field_spec enrol_inputs[3];

static const field_spec mine_extra[] = {
    {"actie", IN_FORM, FK_SLUG, 20},
    {NULL, 0, 0, 0},
};
static field_spec mine_inputs[5];

int account_needs_code(http_req *rq, long long person_id)
{
    db_res *r;
    if (db_q(req_db(rq), rq->a, &r,
             "SELECT p.is_staff, f.confirmed_at FROM persons p"
             " LEFT JOIN second_factors f ON f.person_id = p.id WHERE p.id = $1",
             num(rq, person_id)) < 0)
        return -1;
    return r->nrows == 1 && (db_int(r, 0, "is_staff") == 1 || db_val(r, 0, "confirmed_at"));
}

void account_ask_code(http_req *rq, http_resp *rs, long long person_id, const char *email)
{
    db_conn *c = req_db(rq);
    int remember = req_in(rq, "onthoud") != NULL;
    int state = sf_state_of(c, rq->a, person_id);
    if (state < 0 || db_begin(c) != 0 ||
        sf_challenge_start(rq, rs, person_id, remember,
                           auth_safe_return(req_in(rq, "terug"), "")) != 0 ||
        audit_log(c, rq->a, person_id, rq->client_ip, "wachtwoord_juist", email, "code gevraagd") !=
            0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    if (!remember) auth_forget_remembered(rq, rs);
    resp_redirect(rs, rq->a, 303,
                  state == SF_ON ? "/inloggen/code" : "/inloggen/tweestapsverificatie");
}

/* Back to Inloggen: the password is asked again. */
static void restart(http_req *rq, http_resp *rs)
{
    resp_redirect(rs, rq->a, 303, "/inloggen");
    flash_set(rq, rs, "code-verlopen");
}

/* No live challenge: back to Inloggen (the password is asked again). */
static sf_challenge *challenge_or_login(http_req *rq, http_resp *rs)
{
    int failed;
    sf_challenge *ch = sf_challenge_load(rq, &failed);
    if (failed) {
        page_db_error(rq, rs);
        return NULL;
    }
    if (!ch) restart(rq, rs);
    return ch;
}

static void code_form(http_req *rq, http_resp *rs, int status, const wf_values *v,
                      const char *refusal)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Inloggen", "/inloggen");
    page_crumb(rq, ctx, "Code", NULL);
    webform_put(rq, ctx, &code_def, v);
    tv_set_str(ctx, "refusal", refusal);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "account/code", ctx, "Code invoeren", NULL);
    rs->status = status;
}

static const char *wait_message(http_req *rq, int wait)
{
    return arena_printf(rq->a, "Te veel mislukte pogingen. Probeer het over %s opnieuw.",
                        rl_wait_text(rq->a, wait));
}

/* The brake for a code: 0 to go on, else answered (429 or an error). */
static int brake(http_req *rq, http_resp *rs, passcheck *pc,
                 void (*again)(http_req *, http_resp *, int, const wf_values *, const char *),
                 const wf_values *v)
{
    int wait = passcheck_brake(rq, rs, pc);
    if (wait < 0) page_db_error(rq, rs);
    if (wait > 0) again(rq, rs, 429, v, wait_message(rq, wait));
    return wait != 0;
}

/* A wrong code counts as a wrong password would. */
static void wrong_code(http_req *rq, http_resp *rs, passcheck *pc, const webform *def, wf_values *v,
                       void (*again)(http_req *, http_resp *, int, const wf_values *, const char *))
{
    if (passcheck_failed(rq, pc, "code_mislukt") != 0) {
        page_db_error(rq, rs);
        return;
    }
    webform_fail(v, def, "code", MSG_WRONG_CODE);
    again(rq, rs, 200, v, NULL);
}

static void code_get(http_req *rq, http_resp *rs)
{
    if (!challenge_or_login(rq, rs)) return;
    code_form(rq, rs, 200, webform_values(rq->a, &code_def), NULL);
}

static void code_post(http_req *rq, http_resp *rs)
{
    sf_challenge *ch = challenge_or_login(rq, rs);
    if (!ch) return;
    if (ch->state != SF_ON) {
        /* turned off meanwhile: only staff enrol at login */
        if (ch->is_staff)
            resp_redirect(rs, rq->a, 303, "/inloggen/tweestapsverificatie");
        else
            restart(rq, rs);
        return;
    }
    wf_values *v = webform_read(rq, &code_def);
    if (v->nerrors) {
        code_form(rq, rs, 200, v, NULL);
        return;
    }
    passcheck *pc = passcheck_code(rq, ch->person_id, ch->email, 0, NULL);
    if (brake(rq, rs, pc, code_form, v)) return;
    db_conn *c = req_db(rq);
    if (db_begin(c) != 0) {
        page_db_error(rq, rs);
        return;
    }
    int verdict = sf_check(c, rq->a, &rq->app->key, ch->person_id, v->value[0]);
    if (verdict == SF_WRONG) {
        db_rollback(c);
        wrong_code(rq, rs, pc, &code_def, v, code_form);
        return;
    }
    int spent = verdict < 0 ? -1 : sf_challenge_end(rq, rs, ch);
    if (spent == 1) {
        /* another request with this challenge logged in a moment ago */
        db_rollback(c);
        restart(rq, rs);
        return;
    }
    if (spent != 0 || auth_login_with_code(rq, rs, ch->person_id, ch->email, ch->remember) != 0 ||
        device_remember(rq, rs, ch->person_id) != 0 ||
        audit_log(c, rq->a, ch->person_id, rq->client_ip, "login", ch->email,
                  verdict == SF_RECOVERY ? "met herstelcode" : "met code") != 0 ||
        db_commit(c) != 0 || passcheck_passed(rq, pc) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    const char *fallback = ch->is_staff ? "/beheer" : "/mijn";
    account_after_login(rq, rs, ch->person_id, *ch->return_to ? ch->return_to : fallback);
    if (verdict == SF_RECOVERY) flash_set(rq, rs, "herstelcode-gebruikt");
}

/* ------------------------------------------------------------ enrolment */

/* The QR code and the key in text, for a key being enrolled. */
static int put_key(http_req *rq, tv *ctx, const char *email, const char *base32)
{
    char *svg = qr_svg(rq->a, totp_uri(rq->a, ISSUER, email, base32),
                       "QR-code met de sleutel voor uw authenticator-app", 200);
    if (!svg) return -1;
    /* our own markup: qr_svg escapes its label and holds nothing typed */
    tv_set_str(ctx, "qr_svg", svg);
    tv_set_str(ctx, "key", totp_grouped(rq->a, base32));
    tv_set_str(ctx, "issuer", ISSUER);
    tv_set_str(ctx, "account", email);
    return 0;
}

static void enrol_form(http_req *rq, http_resp *rs, int status, const wf_values *v,
                       const char *refusal)
{
    sf_challenge *ch = challenge_or_login(rq, rs);
    if (!ch) return;
    char *base32 = NULL;
    int have = sf_enrol_key(req_db(rq), rq->a, &rq->app->key, ch->person_id,
                            sf_ref_challenge(rq->a, ch->id), &base32);
    if (have == 1) {
        /* confirmed in another tab meanwhile */
        resp_redirect(rs, rq->a, 303, "/inloggen/code");
        return;
    }
    tv *ctx = page_ctx(rq);
    if (have != 0 || put_key(rq, ctx, ch->email, base32) != 0) {
        page_db_error(rq, rs);
        return;
    }
    page_crumb(rq, ctx, "Inloggen", "/inloggen");
    page_crumb(rq, ctx, "Tweestapsverificatie instellen", NULL);
    webform_put(rq, ctx, &enrol_def, v);
    tv_set_str(ctx, "refusal", refusal);
    tv_set_str(ctx, "action", "/inloggen/tweestapsverificatie");
    tv_set_bool(ctx, "at_login", 1);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    resp_header(rs, rq->a, "Cache-Control", "no-store");
    page_render(rq, rs, "account/totp_enrol", ctx, "Tweestapsverificatie instellen", NULL);
    rs->status = status;
}

/* Enrolment at login is for staff, who cannot log in without it; anyone
 * else turns it on from a session, under Mijn gegevens. 1 when answered. */
static int not_enrolling(http_req *rq, http_resp *rs, const sf_challenge *ch)
{
    if (ch->state == SF_ON)
        resp_redirect(rs, rq->a, 303, "/inloggen/code");
    else if (!ch->is_staff)
        restart(rq, rs);
    return ch->state == SF_ON || !ch->is_staff;
}

static void enrol_get(http_req *rq, http_resp *rs)
{
    sf_challenge *ch = challenge_or_login(rq, rs);
    if (!ch || not_enrolling(rq, rs, ch)) return;
    enrol_form(rq, rs, 200, webform_values(rq->a, &enrol_def), NULL);
}

/* The ten recovery codes, once, with the way on. */
static void show_codes(http_req *rq, http_resp *rs, char *codes[SF_RECOVERY_CODES],
                       const char *next, const char *intro)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Herstelcodes", NULL);
    tv *list = tv_set_list(ctx, "codes");
    for (int i = 0; i < SF_RECOVERY_CODES; i++)
        tv_set_str(tv_push_obj(list), "code", codes[i]);
    tv_set_str(ctx, "next", next);
    tv_set_str(ctx, "intro", intro);
    resp_header(rs, rq->a, "Cache-Control", "no-store");
    page_render(rq, rs, "account/recovery_codes", ctx, "Herstelcodes", NULL);
}

static void enrol_post(http_req *rq, http_resp *rs)
{
    sf_challenge *ch = challenge_or_login(rq, rs);
    if (!ch || not_enrolling(rq, rs, ch)) return;
    wf_values *v = webform_read(rq, &enrol_def);
    if (v->nerrors) {
        enrol_form(rq, rs, 200, v, NULL);
        return;
    }
    passcheck *pc = passcheck_code(rq, ch->person_id, ch->email, 0, NULL);
    if (brake(rq, rs, pc, enrol_form, v)) return;
    db_conn *c = req_db(rq);
    char *codes[SF_RECOVERY_CODES];
    if (db_begin(c) != 0) {
        page_db_error(rq, rs);
        return;
    }
    int verdict = sf_confirm(c, rq->a, &rq->app->key, ch->person_id,
                             sf_ref_challenge(rq->a, ch->id), v->value[0]);
    if (verdict == SF_WRONG) {
        db_rollback(c);
        wrong_code(rq, rs, pc, &enrol_def, v, enrol_form);
        return;
    }
    int spent = verdict < 0 ? -1 : sf_challenge_end(rq, rs, ch);
    if (spent == 1) {
        db_rollback(c);
        restart(rq, rs);
        return;
    }
    if (spent != 0 || sf_recovery_new(c, rq->a, ch->person_id, codes) != 0 ||
        auth_login_with_code(rq, rs, ch->person_id, ch->email, ch->remember) != 0 ||
        device_remember(rq, rs, ch->person_id) != 0 ||
        audit_log(c, rq->a, ch->person_id, rq->client_ip, "tweestapsverificatie_aan", ch->email,
                  "bij inloggen") != 0 ||
        audit_log(c, rq->a, ch->person_id, rq->client_ip, "login", ch->email, "met code") != 0 ||
        db_commit(c) != 0 || passcheck_passed(rq, pc) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    const char *next = *ch->return_to ? ch->return_to : ch->is_staff ? "/beheer" : "/mijn";
    show_codes(rq, rs, codes, next,
               "Tweestapsverificatie staat aan. Voortaan vraagt het portaal bij elke nieuwe "
               "sessie na uw wachtwoord om de code uit de app.");
}

/* ------------------------------------------------- Mijn gegevens */

/* Turning it on asks the password too: a session alone (a borrowed laptop,
 * a stolen cookie) must not be enough to tie the account to someone
 * else's phone. */
static const wf_field enable_fields[] = {
    {"wachtwoord", "Uw wachtwoord", WF_PASSWORD, 256, "Vul uw wachtwoord in.", NULL,
     "current-password", 0, NULL},
    {"code", "Code uit de app", WF_LINE, 32, "Vul de code uit de app in.",
     "De zes cijfers die de app toont na het scannen", "one-time-code", 8, NULL},
};
static const webform enable_def = WEBFORM(enable_fields);
enum { E_PASSWORD, E_CODE };

static void mine_page(http_req *rq, http_resp *rs, int status, const wf_values *v,
                      const char *refusal)
{
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    int state = sf_state_of(c, rq->a, u->person_id);
    tv *ctx = page_ctx(rq);
    if (state < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (state == SF_ON) {
        long long left = sf_recovery_left(c, rq->a, u->person_id);
        if (left < 0) {
            page_db_error(rq, rs);
            return;
        }
        tv_set_bool(ctx, "on", 1);
        tv_set_str(ctx, "left", num(rq, left));
        tv_set_bool(ctx, "may_turn_off", !u->staff_account);
    } else {
        char *base32;
        if (sf_enrol_key(c, rq->a, &rq->app->key, u->person_id,
                         sf_ref_session(rq->a, u->session_id), &base32) != 0 ||
            put_key(rq, ctx, u->email, base32) != 0) {
            page_db_error(rq, rs);
            return;
        }
        resp_header(rs, rq->a, "Cache-Control", "no-store");
    }
    page_crumb(rq, ctx, "Mijn gegevens", "/mijn/gegevens");
    page_crumb(rq, ctx, "Tweestapsverificatie", NULL);
    const webform *def = state == SF_ON ? &code_def : &enable_def;
    webform_put(rq, ctx, def, v ? v : webform_values(rq->a, def));
    tv_set_str(ctx, "refusal", refusal);
    tv_set_str(ctx, "action", "/mijn/gegevens/tweestapsverificatie");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, state == SF_ON ? "account/twofactor" : "account/totp_enrol", ctx,
                "Tweestapsverificatie", NAV_MIJN);
    rs->status = status;
}

static void mine_get(http_req *rq, http_resp *rs)
{
    mine_page(rq, rs, 200, NULL, NULL);
}

/* What a right code does on the page; in the caller's transaction. codes
 * is filled when new recovery codes were made. */
static int mine_act(http_req *rq, db_conn *c, const char *action, int state, char **codes)
{
    const auth_ctx *u = auth_user(rq);
    if (state != SF_ON) {
        /* on now: sessions elsewhere and remember-me were made without a code */
        return sf_recovery_new(c, rq->a, u->person_id, codes) != 0 ||
                       auth_end_sessions(c, rq->a, u->person_id, u->session_id) != 0 ||
                       auth_mark_second_factor(rq) != 0 ||
                       audit_log(c, rq->a, u->person_id, rq->client_ip, "tweestapsverificatie_aan",
                                 u->email, "in Mijn gegevens") != 0
                   ? -1
                   : 0;
    }
    if (strcmp(action, "uitzetten") == 0)
        return sf_remove(c, rq->a, u->person_id) != 0 ||
                       audit_log(c, rq->a, u->person_id, rq->client_ip, "tweestapsverificatie_uit",
                                 u->email, "") != 0
                   ? -1
                   : 0;
    return sf_recovery_new(c, rq->a, u->person_id, codes) != 0 ||
                   audit_log(c, rq->a, u->person_id, rq->client_ip, "herstelcodes_nieuw", u->email,
                             "") != 0
               ? -1
               : 0;
}

/* The code checked (and spent) and the action done, in one transaction;
 * then the recovery codes or a notice. */
static void mine_code(http_req *rq, http_resp *rs, int state, const char *action,
                      const webform *def, wf_values *v, const char *typed)
{
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    passcheck *pc = passcheck_code(rq, u->person_id, u->email, 1, "tweestapsverificatie");
    if (brake(rq, rs, pc, mine_page, v)) return;
    char *codes[SF_RECOVERY_CODES] = {0};
    if (db_begin(c) != 0) {
        page_db_error(rq, rs);
        return;
    }
    int verdict = state == SF_ON ? sf_check(c, rq->a, &rq->app->key, u->person_id, typed)
                                 : sf_confirm(c, rq->a, &rq->app->key, u->person_id,
                                              sf_ref_session(rq->a, u->session_id), typed);
    if (verdict == SF_WRONG) {
        db_rollback(c);
        wrong_code(rq, rs, pc, def, v, mine_page);
        return;
    }
    if (verdict < 0 || mine_act(rq, c, action, state, codes) != 0 || db_commit(c) != 0 ||
        passcheck_passed(rq, pc) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    if (codes[0]) {
        show_codes(rq, rs, codes, "/mijn/gegevens/tweestapsverificatie",
                   state == SF_ON
                       ? "Uw nieuwe herstelcodes. De vorige werken niet meer."
                       : "Tweestapsverificatie staat aan. Voortaan vraagt het portaal "
                         "bij elke nieuwe sessie na uw wachtwoord om de code uit de app. "
                         "Op andere apparaten bent u uitgelogd.");
        return;
    }
    resp_redirect(rs, rq->a, 303, "/mijn/gegevens/tweestapsverificatie");
    flash_set(rq, rs, "tweestapsverificatie-uit");
}

/* Turning it on, second half: the password was checked off the request
 * threads; then the code. */
static void mine_enable_finish(http_req *rq, http_resp *rs, passcheck *pc)
{
    wf_values *v = webform_read(rq, &enable_def);
    if (!pc->ok) {
        if (passcheck_failed(rq, pc, "tweestapsverificatie_mislukt") != 0) {
            page_db_error(rq, rs);
            return;
        }
        webform_fail(v, &enable_def, "wachtwoord", "Het wachtwoord klopt niet.");
        mine_page(rq, rs, 200, v, NULL);
        return;
    }
    if (passcheck_passed(rq, pc) != 0) {
        page_db_error(rq, rs);
        return;
    }
    mine_code(rq, rs, SF_NONE, "aanzetten", &enable_def, v, v->value[E_CODE]);
}

static void mine_post(http_req *rq, http_resp *rs)
{
    if (rq->resumed) {
        mine_enable_finish(rq, rs, rq->defer_arg);
        return;
    }
    const auth_ctx *u = auth_user(rq);
    const char *action = req_in(rq, "actie") ? req_in(rq, "actie") : "";
    int state = sf_state_of(req_db(rq), rq->a, u->person_id);
    if (state < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (state != SF_ON) {
        wf_values *v = webform_read(rq, &enable_def);
        if (v->nerrors) {
            mine_page(rq, rs, 200, v, NULL);
            return;
        }
        passcheck *pc = passcheck_reauth(rq, v->value[E_PASSWORD], NULL, "tweestapsverificatie");
        int wait = passcheck_brake(rq, rs, pc);
        if (wait < 0 || (wait == 0 && passcheck_start(rq, pc) != 0))
            page_db_error(rq, rs);
        else if (wait > 0)
            mine_page(rq, rs, 429, v, wait_message(rq, wait));
        return;
    }
    /* staff cannot do without it */
    if (strcmp(action, "uitzetten") == 0 && u->staff_account) {
        page_error(rq, rs, 403);
        return;
    }
    if (strcmp(action, "uitzetten") != 0 && strcmp(action, "herstelcodes") != 0) {
        page_error(rq, rs, 400);
        return;
    }
    wf_values *v = webform_read(rq, &code_def);
    if (v->nerrors) {
        mine_page(rq, rs, 200, v, NULL);
        return;
    }
    mine_code(rq, rs, state, action, &code_def, v, v->value[0]);
}

static const route routes[] = {
    {"GET", "/inloggen/code", code_get, code_inputs, 0},
    {"POST", "/inloggen/code", code_post, code_inputs, 0},
    {"GET", "/inloggen/tweestapsverificatie", enrol_get, enrol_inputs, 0},
    {"POST", "/inloggen/tweestapsverificatie", enrol_post, enrol_inputs, 0},
    {"GET", "/mijn/gegevens/tweestapsverificatie", mine_get, NULL, RF_LOGIN},
    {"POST", "/mijn/gegevens/tweestapsverificatie", mine_post, mine_inputs, RF_LOGIN},
};

void account_twofactor_routes(router *r)
{
    if (webform_spec_for(r, &code_def, NULL, code_inputs, 3) != 0 ||
        webform_spec_for(r, &enrol_def, NULL, enrol_inputs, 3) != 0 ||
        webform_spec_for(r, &enable_def, mine_extra, mine_inputs, 5) != 0)
        return;
    router_add_all(r, routes);
}
