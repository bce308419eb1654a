/* email.c - changing the login e-mail address (/mijn/gegevens/email):
 * the current password first, then a link to the new address; confirming
 * it tells the old address and ends the other sessions. */
#include "profile/internal.h"

#include "auth/audit.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/log.h"
#include "core/nlvalid.h"
#include "web/flash.h"
#include "mail/render.h"

/* ====================================================== email change */

typedef struct email_view {
    const char *email_error, *password_error;
    const char *sent_to; /* set after the link was sent */
} email_view;

static void email_form(http_req *rq, http_resp *rs, int status, const email_view *v)
{
    tv *ctx = profile_ctx(rq, "E-mailadres wijzigen");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "current", auth_user(rq)->email);
    tv_set_str(ctx, "sent_to", v->sent_to);
    tv_set_str(ctx, "new_email", kv_get(&rq->form, "email"));
    tv_set_str(ctx, "email_error", v->email_error);
    tv_set_str(ctx, "password_error", v->password_error);
    tv_set_str(ctx, "email_describedby", described_by(rq, "email", 1, v->email_error != NULL));
    tv_set_bool(ctx, "failed", v->email_error || v->password_error);
    page_render(rq, rs, "profile/email", ctx, "E-mailadres wijzigen", NAV_MIJN);
    rs->status = status;
}

static void email_get(http_req *rq, http_resp *rs)
{
    email_form(rq, rs, 200, &(email_view){0});
}

/* The new address's problem, or NULL; -1 in *dberr on a database error. */
static const char *email_problem(http_req *rq, const char *email, int *dberr)
{
    const auth_ctx *u = auth_user(rq);
    if (strcmp(email, u->email) == 0)
        return "Dit is al uw e-mailadres. Vul een ander e-mailadres in.";
    db_res *r;
    if (db_q(req_db(rq), rq->a, &r, "SELECT id FROM persons WHERE email = $1 AND id <> $2", email,
             num(rq, u->person_id)) < 0) {
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
    email_view v = {filter_error(rq, "email"), filter_error(rq, "wachtwoord"), NULL};
    const char *email = req_in(rq, "email");
    const char *pw = req_in(rq, "wachtwoord");
    if (!v.email_error && !email) v.email_error = "Vul uw nieuwe e-mailadres in.";
    if (!v.password_error && !pw) v.password_error = "Vul uw huidige wachtwoord in.";
    if (!v.email_error) email = lower(rq->a, email);
    if (v.email_error || v.password_error) {
        email_form(rq, rs, 200, &v);
        return;
    }
    /* whether the address is taken is told only after the password check,
     * so this page cannot be used to probe for accounts */
    passcheck *pc = passcheck_reauth(rq, pw, NULL, PROFILE_WHERE);
    pc->extra = email;
    int blocked = passcheck_brake(rq, rs, pc);
    if (blocked > 0)
        email_form(rq, rs, 429, &(email_view){NULL, MSG_LOCKED, NULL});
    else if (blocked < 0 || passcheck_start(rq, pc) != 0)
        page_db_error(rq, rs);
}

/* Enqueues the confirmation email to the new address, on the caller's
 * transaction. It carries a link request for a token that holds the new
 * address: the sender mints it on delivery (voiding older ones), so no
 * usable link is stored. */
static int send_email_link(http_req *rq, db_conn *c, const char *email)
{
    const auth_ctx *u = auth_user(rq);
    tv *ctx = tv_obj(rq->a);
    tv_set_str(ctx, "first_name", u->first_name);
    tv_set_str(ctx, "new_email", email);
    tv_set_str(ctx, "link", MAIL_LINK_MARKER);
    tv_set_str(ctx, "subject", "Bevestig uw nieuwe e-mailadres - Klantportal Mijn Onderwijsgroep");
    mail_msg m;
    if (mail_render(rq->app->tmpl, rq->a, "email_change", ctx, &m) != 0) {
        log_error("mailtemplate 'email_change' ontbreekt");
        return -1;
    }
    mail_link l = {"email", u->person_id, email, EMAIL_CHANGE_SECONDS,
                   "/mijn/gegevens/email/bevestigen"};
    m.to_address = email;
    m.to_name = u->name ? u->name : "";
    m.link = &l;
    return mail_enqueue(c, rq->a, &m) > 0 ? 0 : -1;
}

static void email_finish(http_req *rq, http_resp *rs, passcheck *j)
{
    const auth_ctx *u = auth_user(rq);
    if (!j->ok) {
        if (passcheck_failed(rq, j, "email_wijzigen_mislukt") != 0)
            page_db_error(rq, rs);
        else
            email_form(rq, rs, 200, &(email_view){NULL, MSG_WRONG_PASSWORD, NULL});
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
        email_form(rq, rs, 200, &(email_view){problem, NULL, NULL});
        return;
    }
    if (db_begin(c) != 0 || send_email_link(rq, c, j->extra) != 0 ||
        audit_log(c, rq->a, u->person_id, rq->client_ip, "email_wijziging_aangevraagd", u->email,
                  j->extra) != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    kick_mailer(rq);
    email_form(rq, rs, 200, &(email_view){NULL, NULL, j->extra});
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
    const char *infix = db_val(p, 0, "infix");
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
    m.to_name = (infix && *infix) ? arena_printf(rq->a, "%s %s %s", db_val(p, 0, "first_name"),
                                                 infix, db_val(p, 0, "last_name"))
                                  : arena_printf(rq->a, "%s %s", db_val(p, 0, "first_name"),
                                                 db_val(p, 0, "last_name"));
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

/* In one transaction: uses up the token (one statement, so the link works
 * once however often it is clicked), checks the address is still free and
 * stores it. */
static confirm_state confirm_email(http_req *rq, const char *token, long long *person,
                                   const char **email, int *dberr)
{
    db_conn *c = req_db(rq);
    const char *now = now_str(rq);
    db_res *t, *p;
    if (db_begin(c) != 0) goto fail;
    if (db_q(c, rq->a, &t,
             "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'email'"
             " AND used_at IS NULL AND expires_at > $1 RETURNING person_id, data",
             now, token_hash(rq->a, token)) < 0)
        goto fail;
    if (t->nrows != 1) {
        db_rollback(c);
        return CONFIRM_INVALID;
    }
    *person = db_int(t, 0, "person_id");
    *email = lower(rq->a, db_val(t, 0, "data"));
    const char *id = num(rq, *person);
    if (db_q(c, rq->a, &p,
             "SELECT email, blocked, first_name, infix, last_name FROM persons WHERE id = $1",
             id) < 0)
        goto fail;
    if (p->nrows != 1 || db_int(p, 0, "blocked")) {
        db_rollback(c);
        return CONFIRM_INVALID;
    }
    const char *old = db_val(p, 0, "email");
    db_res *other;
    if (db_q(c, rq->a, &other, "SELECT id FROM persons WHERE email = $1 AND id <> $2", *email, id) <
        0)
        goto fail;
    if (other->nrows > 0) {
        /* the link is spent either way: this address cannot become theirs */
        if (db_commit(c) != 0) goto fail;
        return CONFIRM_TAKEN;
    }
    if (db_q(c, rq->a, NULL, "UPDATE persons SET email = $1, updated_at = $2 WHERE id = $3", *email,
             now, id) != 1) {
        if (db_errkind_of(c) == DB_ERR_UNIQUE) { /* taken a moment ago */
            db_rollback(c);
            return CONFIRM_TAKEN;
        }
        goto fail;
    }
    /* links sent to the old address no longer open the account */
    if (db_q(c, rq->a, NULL,
             "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL"
             " AND kind IN ('reset', 'email')",
             now, id) < 0 ||
        end_other_sessions(rq, c, *person) != 0 || notify_old_address(rq, c, p, *email) != 0 ||
        profile_record_history(rq, c, *person, "email", old, *email) != 0 ||
        audit_log(c, rq->a, *person, rq->client_ip, "email_gewijzigd", *email,
                  arena_printf(rq->a, "was %s", old)) != 0 ||
        db_commit(c) != 0)
        goto fail;
    return CONFIRM_DONE;
fail:
    db_rollback(c);
    *dberr = 1;
    return CONFIRM_INVALID;
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
    long long person = 0;
    const char *email = NULL;
    int dberr = 0;
    confirm_state st = confirm_email(rq, token, &person, &email, &dberr);
    if (dberr) {
        page_db_error(rq, rs);
        return;
    }
    if (st == CONFIRM_DONE) auth_rename_remembered(rq, rs, person, email);
    confirm_page(rq, rs, st, email);
}

static const field_spec email_fields[] = {
    {"email", IN_FORM, FK_EMAIL, 254},
    {"wachtwoord", IN_FORM, FK_TEXT, 256},
    {NULL, 0, 0, 0},
};

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
    router_add_all(r, routes);
}
