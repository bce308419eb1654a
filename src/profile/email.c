/* email.c - changing the login e-mail address (/mijn/gegevens/email):
 * the current password first, then a link to the new address; confirming
 * it tells the old address and ends the other sessions. */
#include "profile/internal.h"

#include "auth/audit.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/email.h"
#include "core/log.h"
#include "core/nlvalid.h"
#include "mail/render.h"
#include "people/people.h"
#include "web/flash.h"
#include "web/webform.h"

/* ====================================================== email change */

static const wf_field email_fields_def[] = {
    {"email", "Nieuw e-mailadres", WF_EMAIL, 254, "Vul uw nieuwe e-mailadres in.",
     "Dit wordt uw nieuwe gebruikersnaam.", "email", 0, NULL},
    {"wachtwoord", "Huidig wachtwoord", WF_PASSWORD, 256, "Vul uw huidige wachtwoord in.", NULL,
     "current-password", 0, NULL},
};
static const webform email_form_def = WEBFORM(email_fields_def);
enum { F_EMAIL, F_PASSWORD };

/* The form (v NULL: empty), or after the link was sent the page that says
 * where to. */
static void email_form(http_req *rq, http_resp *rs, int status, const wf_values *v,
                       const char *sent_to)
{
    tv *ctx = profile_ctx(rq, "E-mailadres wijzigen");
    webform_put(rq, ctx, &email_form_def, v);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "current", auth_user(rq)->email);
    tv_set_str(ctx, "sent_to", sent_to);
    page_render(rq, rs, "profile/email", ctx, "E-mailadres wijzigen", NAV_MIJN);
    rs->status = status;
}

/* The form with one message added to what was sent. */
static void email_refused(http_req *rq, http_resp *rs, int status, int field, const char *msg)
{
    wf_values *v = webform_read(rq, &email_form_def);
    webform_fail(v, &email_form_def, email_fields_def[field].name, msg);
    email_form(rq, rs, status, v, NULL);
}

static void email_get(http_req *rq, http_resp *rs)
{
    email_form(rq, rs, 200, NULL, NULL);
}

/* The new address's problem, or NULL; -1 in *dberr on a database error. */
static const char *email_problem(http_req *rq, const char *email, int *dberr)
{
    const auth_ctx *u = auth_user(rq);
    if (strcmp(email, u->email) == 0)
        return "Dit is al uw e-mailadres. Vul een ander e-mailadres in.";
    db_res *r;
    if (db_q(req_db(rq), rq->a, &r,
             "SELECT id FROM persons WHERE email = $1 AND email <> ''"
             " AND id <> $2",
             email, num(rq, u->person_id)) < 0) {
        *dberr = -1;
        return NULL;
    }
    if (r->nrows > 0)
        return "Dit e-mailadres is al in gebruik bij een ander account. Kies een ander "
               "e-mailadres of neem contact op met de administratie.";
    return NULL;
}

static void email_start(http_req *rq, http_resp *rs)
{
    wf_values *v = webform_read(rq, &email_form_def);
    if (v->nerrors) {
        email_form(rq, rs, 200, v, NULL);
        return;
    }
    /* whether the address is taken is told only after the password check,
     * so this page cannot be used to probe for accounts */
    passcheck *pc = passcheck_reauth(rq, v->value[F_PASSWORD], NULL, PROFILE_WHERE);
    pc->extra = v->value[F_EMAIL];
    int blocked = passcheck_brake(rq, rs, pc);
    if (blocked > 0)
        email_refused(rq, rs, 429, F_PASSWORD, MSG_LOCKED);
    else if (blocked < 0 || passcheck_start(rq, pc) != 0)
        page_db_error(rq, rs);
}

typedef struct email_request {
    http_req *rq;
    const char *email;
} email_request;

/* In one transaction (db_tx): the confirmation email to the new address
 * and the audit line. The email carries a link request for a token that
 * holds the new address: the sender mints it on delivery (voiding older
 * ones), so no usable link is stored. */
static int request_change(db_conn *c, arena *a, void *arg)
{
    const email_request *er = arg;
    const auth_ctx *u = auth_user(er->rq);
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "first_name", u->first_name);
    tv_set_str(ctx, "new_email", er->email);
    tv_set_str(ctx, "link", MAIL_LINK_MARKER);
    tv_set_str(ctx, "subject", "Bevestig uw nieuwe e-mailadres - Klantportal Mijn Onderwijsgroep");
    mail_msg m;
    if (mail_render(er->rq->app->tmpl, a, "email_change", ctx, &m) != 0) {
        log_error("mailtemplate 'email_change' ontbreekt");
        return -1;
    }
    mail_link l = {"email", u->person_id, er->email, EMAIL_CHANGE_SECONDS,
                   "/mijn/gegevens/email/bevestigen"};
    m.to_address = er->email;
    m.to_name = u->name ? u->name : "";
    m.link = &l;
    if (mail_enqueue(c, a, &m) <= 0) return -1;
    return audit_log(c, a, u->person_id, er->rq->client_ip, "email_wijziging_aangevraagd", u->email,
                     er->email);
}

static void email_finish(http_req *rq, http_resp *rs, passcheck *j)
{
    if (!j->ok) {
        if (passcheck_failed(rq, j, "email_wijzigen_mislukt") != 0)
            page_db_error(rq, rs);
        else
            email_refused(rq, rs, 200, F_PASSWORD, MSG_WRONG_PASSWORD);
        return;
    }
    db_conn *c = req_db(rq);
    int dberr = 0;
    const char *problem = email_problem(rq, j->extra, &dberr);
    if (dberr || passcheck_passed(rq, j) != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (problem) {
        email_refused(rq, rs, 200, F_EMAIL, problem);
        return;
    }
    if (db_tx(c, rq->a, request_change, &(email_request){rq, j->extra}) != 0) {
        page_db_error(rq, rs);
        return;
    }
    kick_mailer(rq);
    email_form(rq, rs, 200, NULL, j->extra);
}

static void email_post(http_req *rq, http_resp *rs)
{
    if (rq->resumed)
        email_finish(rq, rs, rq->defer_arg);
    else
        email_start(rq, rs);
}

/* -------------------------------------------------- the link's landing */

typedef enum confirm_state { CONFIRM_DONE, CONFIRM_TAKEN, CONFIRM_INVALID } confirm_state;

static void confirm_page(http_req *rq, http_resp *rs, confirm_state st, const char *email)
{
    static const int status[] = {200, 409, 410};
    static const char *const titles[] = {"E-mailadres gewijzigd", "E-mailadres al in gebruik",
                                         "Link ongeldig"};
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "E-mailadres bevestigen", NULL);
    tv_set_bool(ctx, "done", st == CONFIRM_DONE);
    tv_set_bool(ctx, "taken", st == CONFIRM_TAKEN);
    tv_set_bool(ctx, "invalid", st == CONFIRM_INVALID);
    tv_set_str(ctx, "email", email);
    tv_set_bool(ctx, "logged_in", auth_user(rq) != NULL);
    page_render(rq, rs, "profile/email_confirm", ctx, titles[st], NULL);
    rs->status = status[st];
}

/* "j***@example.nl": enough for the owner of the old address to recognise
 * the change, without handing the whole new address to whoever reads the
 * old mailbox. */
static const char *mask_email(arena *a, const char *email)
{
    const char *at = strchr(email, '@');
    if (!at || at == email) return "***";
    return arena_printf(a, "%.*s***%s", 1, email, at);
}

/* The old address hears of the change: if someone else made it (with a
 * stolen session or password), its owner learns of it. No link needed. */
static int notify_old_address(http_req *rq, db_conn *c, const db_res *p, const char *new_email)
{
    tv *ctx = tv_obj(rq->a);
    tv_set_str(ctx, "first_name", db_val(p, 0, "first_name"));
    tv_set_str(ctx, "masked_email", mask_email(rq->a, new_email));
    tv_set_str(ctx, "subject", "Uw e-mailadres is gewijzigd - Klantportal Mijn Onderwijsgroep");
    mail_msg m;
    if (mail_render(rq->app->tmpl, rq->a, "email_changed", ctx, &m) != 0) {
        log_error("mailtemplate 'email_changed' ontbreekt");
        return -1;
    }
    m.to_address = db_val(p, 0, "email");
    m.to_name = people_full_name_of(rq->a, p, 0);
    return mail_enqueue(c, rq->a, &m) > 0 ? 0 : -1;
}

/* A changed address ends every session and remember-me token of the
 * person, except this session when it is theirs: whoever may have had the
 * account open elsewhere must log in again with the new username. */
static int end_other_sessions(http_req *rq, db_conn *c, long long person)
{
    const auth_ctx *u = auth_user(rq);
    return auth_end_sessions(c, rq->a, person, (u && u->person_id == person) ? u->session_id : 0);
}

typedef struct confirm {
    http_req *rq;
    const char *token;
    confirm_state st;
    long long person;
    const char *email;
} confirm;

/* In one transaction (db_tx): uses up the token (one statement, so the
 * link works once however often it is clicked), checks the address is
 * still free and stores it. Refusals roll back, except an address taken
 * meanwhile: the link is spent either way. */
static int confirm_email(db_conn *c, arena *a, void *arg)
{
    confirm *cf = arg;
    http_req *rq = cf->rq;
    const char *now = now_str(rq);
    db_res *t, *p, *other;
    cf->st = CONFIRM_INVALID;
    if (db_q(c, a, &t,
             "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'email'"
             " AND used_at IS NULL AND expires_at > $1 RETURNING person_id, data",
             now, token_hash(a, cf->token)) < 0)
        return -1;
    if (t->nrows != 1 || !(cf->email = email_normal(a, db_val(t, 0, "data")))) return 1;
    cf->person = db_int(t, 0, "person_id");
    const char *id = num(rq, cf->person);
    if (db_q(c, a, &p,
             "SELECT email, blocked, first_name, infix, last_name FROM persons WHERE id = $1",
             id) < 0)
        return -1;
    if (p->nrows != 1 || db_int(p, 0, "blocked")) return 1;
    const char *old = db_val(p, 0, "email");
    if (db_q(c, a, &other,
             "SELECT id FROM persons WHERE email = $1 AND email <> ''"
             " AND id <> $2",
             cf->email, id) < 0)
        return -1;
    cf->st = CONFIRM_TAKEN;
    if (other->nrows > 0) return 0;
    if (db_q(c, a, NULL, "UPDATE persons SET email = $1, updated_at = $2 WHERE id = $3", cf->email,
             now, id) != 1) /* taken a moment ago, or a database error */
        return db_errkind_of(c) == DB_ERR_UNIQUE ? 1 : -1;
    cf->st = CONFIRM_DONE;
    /* links sent to the old address no longer open the account */
    if (db_q(c, a, NULL,
             "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL"
             " AND kind IN ('reset', 'email')",
             now, id) < 0 ||
        end_other_sessions(rq, c, cf->person) != 0 ||
        notify_old_address(rq, c, p, cf->email) != 0 ||
        profile_record_history(rq, c, cf->person, "email", old, cf->email) != 0)
        return -1;
    return audit_log(c, a, cf->person, rq->client_ip, "email_gewijzigd", cf->email,
                     arena_printf(a, "was %s", old));
}

static void email_confirm(http_req *rq, http_resp *rs)
{
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
    /* a link checker's HEAD must not use up the person's link */
    if (strcmp(rq->method, "HEAD") == 0) {
        resp_text(rs, 200, "");
        return;
    }
    const char *token = req_in(rq, "token");
    if (!token) {
        confirm_page(rq, rs, CONFIRM_INVALID, NULL);
        return;
    }
    confirm cf = {rq, token, CONFIRM_INVALID, 0, NULL};
    if (db_tx(req_db(rq), rq->a, confirm_email, &cf) < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (cf.st == CONFIRM_DONE) auth_rename_remembered(rq, rs, cf.person, cf.email);
    confirm_page(rq, rs, cf.st, cf.email);
}

/* Filled from the form description when the routes are registered. */
static field_spec email_fields[sizeof email_fields_def / sizeof email_fields_def[0] + 1];

static const field_spec confirm_fields[] = {
    {"token", IN_QUERY, FK_TOKEN, 100},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/mijn/gegevens/email", email_get, NULL, RF_LOGIN},
    {"POST", "/mijn/gegevens/email", email_post, email_fields, RF_LOGIN},
    {"GET", "/mijn/gegevens/email/bevestigen", email_confirm, confirm_fields, RF_NO_LOG_QUERY},
};

void profile_email_routes(router *r)
{
    if (webform_spec_for(r, &email_form_def, NULL, email_fields,
                         sizeof email_fields / sizeof email_fields[0]) != 0)
        return;
    router_add_all(r, routes);
}
