/* handlers.c - /inloggen, /uitloggen, /wachtwoord-opvragen,
 * /wachtwoord-instellen and /mijn.
 *
 * Argon2id work (checking or hashing a password) is handed to the server's
 * worker pool with req_defer(): the handler returns, and is called again
 * with rq->resumed set once the hash is done. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "auth/audit.h"
#include "auth/device.h"
#include "auth/passcheck.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "mail/mail.h"
#include "web/page.h"

#define MSG_BAD_LOGIN "Gebruikersnaam of wachtwoord onjuist."
#define MSG_NOT_KNOWN                                                                              \
    "Deze gebruikersnaam is niet bekend. Controleer de schrijfwijze of neem contact op met de "    \
    "administratie."

/* The refusal names the wait, so the person knows when to come back. */
static const char *locked_message(http_req *rq, int wait)
{
    return arena_printf(rq->a,
                        "Te veel mislukte pogingen. Probeer het over %s opnieuw. Wachtwoord "
                        "vergeten? Vraag via Wachtwoord opvragen een nieuw wachtwoord aan.",
                        rl_wait_text(rq->a, wait));
}

/* Lower-cased and trimmed: the username is the email address. */
static char *username(http_req *rq)
{
    const char *v = req_in(rq, "gebruikersnaam");
    if (!v) return NULL;
    char *u = arena_strdup(rq->a, v);
    for (char *p = u; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return u;
}

static const char *num(http_req *rq, long long v)
{
    return arena_printf(rq->a, "%lld", v);
}

static void kick_mailer(http_req *rq)
{
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
}

/* ---------------------------------------------------------------- login */

static void login_form(http_req *rq, http_resp *rs, int status, const char *error)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Inloggen", NULL);
    const char *user = req_in(rq, "gebruikersnaam");
    if (!user) {
        const char *remembered = auth_cookie_get(rq, "kp_gebruiker");
        char *dec;
        size_t n;
        if (remembered &&
            form_url_decode(rq->a, remembered, strlen(remembered), 0, &dec, &n) == FORM_OK)
            user = dec;
    }
    tv_set_str(ctx, "gebruikersnaam", user);
    tv_set_bool(ctx, "onthoud", req_in(rq, "onthoud") || auth_cookie_get(rq, "kp_gebruiker"));
    tv_set_str(ctx, "terug", auth_safe_return(req_in(rq, "terug"), NULL));
    tv_set_str(ctx, "error", error);
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
    login_form(rq, rs, 200, NULL);
}

/* First half: checks and the person's hash; the Argon2id check runs off
 * the request threads. */
static void login_start(http_req *rq, http_resp *rs)
{
    char *user = username(rq);
    const char *pw = req_in(rq, "wachtwoord");
    if (!user || !pw) {
        login_form(rq, rs, 200, "Vul uw gebruikersnaam en wachtwoord in.");
        return;
    }
    passcheck *pc = passcheck_login(rq, user, pw);
    int wait = passcheck_brake(rq, rs, pc);
    if (wait < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (wait) {
        login_form(rq, rs, 429, locked_message(rq, wait));
        return;
    }
    if (passcheck_start(rq, pc) != 0) page_db_error(rq, rs);
}

static void login_finish(http_req *rq, http_resp *rs, passcheck *pc)
{
    db_conn *c = req_db(rq);
    if (!pc->ok) {
        if (passcheck_failed(rq, pc, "login_mislukt") != 0)
            page_db_error(rq, rs);
        else
            login_form(rq, rs, 200, MSG_BAD_LOGIN);
        return;
    }
    if (passcheck_passed(rq, pc) != 0 || db_begin(c) != 0 ||
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
    const char *terug = auth_safe_return(req_in(rq, "terug"), "/mijn");
    int has = 0;
    if (account_has_organisations(rq, pc->person_id, &has) != 0) {
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
}

/* ------------------------------------------------------ password request */

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
        if (rl_audit_refusal(c, rq->a, "reset_genegeerd", user) &&
            audit_log(c, rq->a, id, rq->client_ip, "reset_genegeerd", user, "") != 0)
            page_db_error(rq, rs);
        else
            reset_form(rq, rs, kind ? NULL : MSG_NOT_KNOWN, kind);
        return;
    }
    if (!kind) {
        if (audit_log(c, rq->a, 0, rq->client_ip, "reset_onbekend", user, "") != 0)
            page_db_error(rq, rs);
        else
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

/* ---------------------------------------------------- set password (link) */

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

static void set_form(http_req *rq, http_resp *rs, const db_res *t, const char **errors, int n,
                     const char *confirm_error)
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
    if (n > 0) {
        tv_set_bool(ctx, "has_errors", 1);
        tv *list = tv_set_list(ctx, "errors");
        for (int i = 0; i < n; i++)
            tv_push(list, tv_str(rq->a, errors[i]));
    }
    tv_set_str(ctx, "confirm_error", confirm_error);
    tv_set_bool(ctx, "invalid", n > 0 || confirm_error);
    page_render(rq, rs, "account/set_password", ctx, title, NULL);
}

static void set_get(http_req *rq, http_resp *rs)
{
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
    db_res *t = live_token(rq, rs);
    if (t) set_form(rq, rs, t, NULL, 0, NULL);
}

static void set_start(http_req *rq, http_resp *rs)
{
    db_res *t = live_token(rq, rs);
    if (!t) return;
    const char *pw = req_in(rq, "wachtwoord");
    const char *again = req_in(rq, "wachtwoord_bevestiging");
    const char *errors[POLICY_MAX_ERRORS];
    const char *last = db_val(t, 0, "last_name");
    const char *infix = db_val(t, 0, "infix");
    policy_person who = {db_val(t, 0, "email"), db_val(t, 0, "first_name"),
                         (infix && *infix) ? arena_printf(rq->a, "%s %s", infix, last) : last};
    int n = policy_check(pw ? pw : "", &who, errors);
    const char *confirm = NULL;
    if (!again)
        confirm = "Vul het wachtwoord nogmaals in.";
    else if (!pw || strcmp(pw, again) != 0)
        confirm = "De wachtwoorden zijn niet gelijk.";
    if (n > 0 || confirm) {
        set_form(rq, rs, t, errors, n, confirm);
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
    int used = -1;
    if (db_begin(c) == 0)
        used = db_q(c, rq->a, NULL,
                    "UPDATE account_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL", now,
                    db_val(t, 0, "id"));
    if (used != 1 ||
        db_q(c, rq->a, NULL,
             "UPDATE persons SET password_hash = $1, activated_at = COALESCE(activated_at, $2),"
             " updated_at = $2 WHERE id = $3",
             j->hash, now, num(rq, person)) != 1 ||
        auth_end_sessions(c, rq->a, person, 0) != 0 || rl_clear(c, rq->a, email) != 0 ||
        auth_login(rq, rs, person, email, 0, 0) != 0 ||
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
    resp_redirect(rs, rq->a, 303, "/mijn");
}

static void set_post(http_req *rq, http_resp *rs)
{
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
    if (rq->resumed)
        set_finish(rq, rs, rq->defer_arg);
    else
        set_start(rq, rs);
}

/* ----------------------------------------------------------- start page */

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

static const field_spec login_fields[] = {
    {"gebruikersnaam", IN_FORM, FK_LINE, 254},
    {"wachtwoord", IN_FORM, FK_TEXT, 256},
    {"onthoud", IN_FORM, FK_CHECKBOX, 10},
    {"terug", IN_QUERY | IN_FORM, FK_LINE, 500},
    {NULL, 0, 0, 0},
};

static const field_spec reset_fields[] = {
    {"gebruikersnaam", IN_FORM, FK_LINE, 254},
    {NULL, 0, 0, 0},
};

static const field_spec set_fields[] = {
    {"token", IN_QUERY, FK_TOKEN, 100},
    {"wachtwoord", IN_FORM, FK_TEXT, 256},
    {"wachtwoord_bevestiging", IN_FORM, FK_TEXT, 256},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/inloggen", login_get, login_fields, 0},
    {"POST", "/inloggen", login_post, login_fields, 0},
    {"POST", "/uitloggen", logout, NULL, RF_NO_CSRF},
    {"GET", "/wachtwoord-opvragen", reset_get, reset_fields, 0},
    {"POST", "/wachtwoord-opvragen", reset_post, reset_fields, 0},
    {"GET", "/wachtwoord-instellen", set_get, set_fields, RF_NO_LOG_QUERY},
    {"POST", "/wachtwoord-instellen", set_post, set_fields, RF_NO_LOG_QUERY},
    {"GET", "/mijn", mijn, NULL, RF_LOGIN},
};

void account_routes(router *r)
{
    router_add_all(r, routes);
}
