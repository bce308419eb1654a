/* session.c - see session.h */
#include "auth/session.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/token.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "web/flash.h"

static const char *cookie_name(const http_req *rq, const char *base)
{
    /* __Host- cookies must be Secure, Path=/ and without Domain: browsers
     * then refuse them from plain http or a sibling domain. */
    return rq->site->https ? arena_printf(rq->a, "__Host-%s", base) : base;
}

const char *auth_cookie_get(const http_req *rq, const char *name)
{
    return kv_get(&rq->cookies, cookie_name(rq, name));
}

void auth_cookie(http_req *rq, http_resp *rs, const char *name, const char *value, long max_age)
{
    buf b;
    buf_init(&b, rq->a, 256);
    buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax", cookie_name(rq, name),
               max_age == 0 ? "" : value);
    if (max_age >= 0) buf_printf(&b, "; Max-Age=%ld", max_age);
    if (rq->site->https) buf_puts(&b, "; Secure");
    resp_add_header(rs, rq->a, "Set-Cookie", b.data);
}

const char *auth_safe_return(const char *terug, const char *fallback)
{
    if (!terug || terug[0] != '/' || terug[1] == '/' || terug[1] == '\\') return fallback;
    for (const unsigned char *p = (const unsigned char *)terug; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\') return fallback;
    return terug;
}

const auth_ctx *auth_user(const http_req *rq)
{
    return rq->auth && rq->auth->person_id ? rq->auth : NULL;
}

static auth_ctx *ctx_from_row(http_req *rq, const db_res *r)
{
    auth_ctx *u = arena_zalloc(rq->a, sizeof *u);
    u->session_id = db_int(r, 0, "id");
    u->csrf = db_val(r, 0, "csrf");
    u->person_id = db_int(r, 0, "person_id");
    /* the context counts only while the membership is active: a removed
     * contact person falls back to acting as person at the next request */
    u->org_id = db_int(r, 0, "organisation_id");
    u->org_name = db_val(r, 0, "org_name");
    const char *role = db_val(r, 0, "role");
    u->beheerder = u->org_id && role && strcmp(role, "beheerder") == 0;
    u->first_name = db_val(r, 0, "first_name");
    u->infix = db_val(r, 0, "infix");
    u->last_name = db_val(r, 0, "last_name");
    u->email = db_val(r, 0, "email");
    u->second_factor = db_int(r, 0, "second_factor") == 1;
    /* a staff member's rights exist only in a session that began with a code */
    u->staff_account = db_int(r, 0, "is_staff") == 1;
    u->is_staff = u->staff_account && u->second_factor;
    u->name = names_full(rq->a, u->first_name, u->infix, u->last_name);
    u->has_orgs = db_int(r, 0, "orgs") > 0;
    return u;
}

/* The session behind the cookie, if it is still alive. Touches
 * last_seen_at at most once a minute to keep writes rare. */
static int load_session(http_req *rq, const char *token)
{
    db_conn *c = req_db(rq);
    db_res *r;
    time_t now = clock_now();
    if (db_q(c, rq->a, &r,
             "SELECT s.id, s.csrf, s.person_id, s.last_seen_at, s.expires_at, s.second_factor,"
             " p.first_name, p.infix, p.last_name, p.email, p.is_staff, p.blocked,"
             " m.organisation_id, m.role, o.name AS org_name,"
             " (SELECT count(*) FROM memberships a WHERE a.person_id = s.person_id"
             " AND a.active = 1) AS orgs"
             " FROM sessions s JOIN persons p ON p.id = s.person_id"
             " LEFT JOIN memberships m ON m.person_id = s.person_id"
             " AND m.organisation_id = s.organisation_id AND m.active = 1"
             " LEFT JOIN organisations o ON o.id = m.organisation_id"
             " WHERE s.token_hash = $1",
             token_hash(rq->a, token)) < 0)
        return -1;
    if (r->nrows != 1) return 0;
    long long id = db_int(r, 0, "id");
    if (!token_valid_at(db_int(r, 0, "expires_at"), now) ||
        !token_valid_at(db_int(r, 0, "last_seen_at") + SESSION_IDLE_SECONDS, now) ||
        db_int(r, 0, "blocked") == 1) {
        /* refused either way; a row left behind is only clutter */
        if (db_q(c, rq->a, NULL, "DELETE FROM sessions WHERE id = $1",
                 arena_printf(rq->a, "%lld", id)) < 0)
            log_error("database: verlopen sessie verwijderen: %s", db_errmsg(c));
        return 0;
    }
    if (now - db_int(r, 0, "last_seen_at") >= 60 &&
        db_q(c, rq->a, NULL, "UPDATE sessions SET last_seen_at = $1 WHERE id = $2",
             arena_printf(rq->a, "%lld", (long long)now), arena_printf(rq->a, "%lld", id)) < 0)
        log_error("database: sessie bijwerken: %s", db_errmsg(c));
    rq->auth = ctx_from_row(rq, r);
    return 1;
}

static int insert_session(http_req *rq, http_resp *rs, long long person_id, long long org_id,
                          int second_factor)
{
    arena *a = rq->a;
    char *token = token_new(a);
    long long now = clock_now();
    if (db_q(req_db(rq), a, NULL,
             "INSERT INTO sessions (token_hash, person_id, csrf, organisation_id, created_at,"
             " last_seen_at, expires_at, client_ip, second_factor)"
             " VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
             token_hash(a, token), arena_printf(a, "%lld", person_id), token_new(a),
             org_id ? arena_printf(a, "%lld", org_id) : NULL, arena_printf(a, "%lld", now),
             arena_printf(a, "%lld", now + SESSION_MAX_SECONDS), rq->client_ip,
             second_factor ? "1" : "0") < 0)
        return -1;
    auth_cookie(rq, rs, "kp_sessie", token, -1);
    /* later reads in this request see the new session */
    kv_set(&rq->cookies, a, cookie_name(rq, "kp_sessie"), token);
    return 0;
}

static int insert_remember(http_req *rq, http_resp *rs, long long person_id, long long org_id)
{
    arena *a = rq->a;
    char *selector = token_new(a), *validator = token_new(a);
    long long now = clock_now();
    if (db_q(req_db(rq), a, NULL,
             "INSERT INTO remember_tokens (selector, validator_hash, person_id, organisation_id,"
             " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
             selector, token_hash(a, validator), arena_printf(a, "%lld", person_id),
             org_id ? arena_printf(a, "%lld", org_id) : NULL, arena_printf(a, "%lld", now),
             arena_printf(a, "%lld", now + REMEMBER_SECONDS)) < 0)
        return -1;
    auth_cookie(rq, rs, "kp_onthoud", arena_printf(a, "%s.%s", selector, validator),
                REMEMBER_SECONDS);
    return 0;
}

/* Splits "selector.validator". */
static int split_remember(arena *a, const char *v, char **selector, char **validator)
{
    const char *dot = v ? strchr(v, '.') : NULL;
    if (!dot || dot == v || !dot[1] || strlen(v) > 200) return -1;
    *selector = arena_strndup(a, v, (size_t)(dot - v));
    *validator = arena_strdup(a, dot + 1);
    return 0;
}

/* No live session, but a remember-me cookie: log in again and rotate the
 * token, so a stolen cookie works at most once. Never for a person who must
 * give a code (staff, or whoever turned the second factor on): their token
 * is spent and they log in with password and code. */
static int login_remembered(http_req *rq, http_resp *rs, const char *cookie)
{
    char *selector, *validator;
    if (split_remember(rq->a, cookie, &selector, &validator) != 0) return 0;
    db_conn *c = req_db(rq);
    db_res *r;
    if (db_q(c, rq->a, &r,
             "SELECT t.id, t.validator_hash, t.person_id, t.organisation_id, t.expires_at,"
             " p.email, p.blocked, p.is_staff, f.confirmed_at AS second_factor"
             " FROM remember_tokens t JOIN persons p ON p.id = t.person_id"
             " LEFT JOIN second_factors f ON f.person_id = p.id AND f.confirmed_at IS NOT NULL"
             " WHERE t.selector = $1",
             selector) < 0)
        return -1;
    if (r->nrows != 1) return 0;
    const char *id = db_val(r, 0, "id");
    int ok = token_equal(token_hash(rq->a, validator), db_val(r, 0, "validator_hash")) &&
             token_valid_at(db_int(r, 0, "expires_at"), clock_now()) &&
             db_int(r, 0, "blocked") != 1 && db_int(r, 0, "is_staff") != 1 &&
             !db_val(r, 0, "second_factor");
    if (db_begin(c) != 0) return -1;
    /* only the request that really deletes the token logs in: two at once
     * with the same cookie get one session, not two */
    /* by selector too: SQLite may give a rotated token the same id again */
    int deleted = db_q(c, rq->a, NULL,
                       "DELETE FROM remember_tokens WHERE id = $1 AND selector = $2", id, selector);
    if (deleted == 0) {
        db_rollback(c);
        return 0;
    }
    if (deleted < 0 || (ok && auth_login(rq, rs, db_int(r, 0, "person_id"), db_val(r, 0, "email"),
                                         1, db_int(r, 0, "organisation_id")) != 0)) {
        db_rollback(c);
        return -1;
    }
    if (db_commit(c) != 0) return -1;
    if (!ok) auth_cookie(rq, rs, "kp_onthoud", "", 0);
    return ok && load_session(rq, auth_cookie_get(rq, "kp_sessie")) == 1;
}

/* The username Inloggen prefills in this browser. */
static void remember_username(http_req *rq, http_resp *rs, const char *email)
{
    buf b;
    buf_init(&b, rq->a, 64);
    buf_url(&b, email);
    auth_cookie(rq, rs, "kp_gebruiker", b.data, REMEMBER_SECONDS);
}

int auth_login(http_req *rq, http_resp *rs, long long person_id, const char *email, int remember,
               long long org_id)
{
    if (insert_session(rq, rs, person_id, org_id, 0) != 0) return -1;
    if (remember) {
        if (insert_remember(rq, rs, person_id, org_id) != 0) return -1;
        remember_username(rq, rs, email);
    }
    return 0;
}

int auth_login_with_code(http_req *rq, http_resp *rs, long long person_id, const char *email,
                         int remember)
{
    if (insert_session(rq, rs, person_id, 0, 1) != 0) return -1;
    if (remember) remember_username(rq, rs, email);
    return 0;
}

int auth_mark_second_factor(http_req *rq)
{
    const auth_ctx *u = auth_user(rq);
    if (!u) return -1;
    return db_q(req_db(rq), rq->a, NULL, "UPDATE sessions SET second_factor = 1 WHERE id = $1",
                arena_printf(rq->a, "%lld", u->session_id)) < 0
               ? -1
               : 0;
}

/* db_tx: this session, its remember-me token, the audit line. */
static int end_this_session(db_conn *c, arena *a, void *arg)
{
    http_req *rq = arg;
    const auth_ctx *u = rq->auth;
    const char *person = arena_printf(a, "%lld", u->person_id);
    char *selector, *validator;
    if (db_q(c, a, NULL, "DELETE FROM sessions WHERE id = $1 AND person_id = $2",
             arena_printf(a, "%lld", u->session_id), person) < 0)
        return -1;
    if (split_remember(a, auth_cookie_get(rq, "kp_onthoud"), &selector, &validator) == 0 &&
        db_q(c, a, NULL, "DELETE FROM remember_tokens WHERE selector = $1 AND person_id = $2",
             selector, person) < 0)
        return -1;
    return audit_log(c, a, u->person_id, rq->client_ip, "logout", u->email, "");
}

int auth_logout(http_req *rq, http_resp *rs)
{
    if (auth_user(rq) && db_tx(req_db(rq), rq->a, end_this_session, rq) != 0) return -1;
    auth_cookie(rq, rs, "kp_sessie", "", 0);
    auth_cookie(rq, rs, "kp_onthoud", "", 0);
    auth_cookie(rq, rs, "kp_gebruiker", "", 0);
    auth_cookie(rq, rs, "kp_organisatie", "", 0);
    return 0;
}

int auth_end_sessions(struct db_conn *c, arena *a, long long person_id, long long keep_session)
{
    const char *id = arena_printf(a, "%lld", person_id);
    if (db_q(c, a, NULL, "DELETE FROM sessions WHERE person_id = $1 AND id <> $2", id,
             arena_printf(a, "%lld", keep_session)) < 0)
        return -1;
    /* a password given before the change and waiting for its code is void too */
    if (db_q(c, a, NULL, "DELETE FROM login_challenges WHERE person_id = $1", id) < 0) return -1;
    return db_q(c, a, NULL, "DELETE FROM remember_tokens WHERE person_id = $1", id) < 0 ? -1 : 0;
}

const char *auth_csrf(http_req *rq, http_resp *rs)
{
    if (rq->auth && rq->auth->csrf) return rq->auth->csrf;
    const char *pre = auth_cookie_get(rq, "kp_csrf");
    if (pre && strlen(pre) == 43) return pre;
    char *t = token_new(rq->a);
    auth_cookie(rq, rs, "kp_csrf", t, -1);
    kv_set(&rq->cookies, rq->a, cookie_name(rq, "kp_csrf"), t);
    return t;
}

static int csrf_ok(http_req *rq)
{
    return csrf_accept(kv_get(&rq->form, "csrf"), rq->auth ? rq->auth->csrf : NULL,
                       auth_cookie_get(rq, "kp_csrf"));
}

static void to_login(http_req *rq, http_resp *rs)
{
    buf b;
    buf_init(&b, rq->a, 128);
    buf_puts(&b, "/inloggen?terug=");
    buf_url(&b, rq->path);
    if (*rq->query_string && !(rq->rt->flags & RF_NO_LOG_QUERY)) {
        buf_puts(&b, "%3F");
        buf_url(&b, rq->query_string);
    }
    resp_redirect(rs, rq->a, 303, b.data);
    flash_set(rq, rs, "inloggen-nodig");
}

const char *auth_form_context(http_req *rq)
{
    long long org = rq->auth ? rq->auth->org_id : 0;
    return org ? arena_printf(rq->a, "%lld", org) : "persoon";
}

/* A form shown for one organisation and sent after the person chose another
 * in a second tab would change the wrong organisation: refuse it (409), and
 * say for whom they act now. */
static int stale_org_form(http_req *rq)
{
    const char *sent = kv_get(&rq->form, "context");
    if (sent && strcmp(sent, auth_form_context(rq)) == 0) return 0;
    log_info("context: formulier van een andere organisatie %s %s", rq->method, rq->path);
    rq->error_title = "Formulier van een andere organisatie";
    rq->error_text = arena_printf(rq->a,
                                  "Dit formulier hoort bij een andere organisatie dan die u nu "
                                  "gekozen heeft. Er is niets opgeslagen. U werkt nu namens %s.",
                                  rq->auth->org_name ? rq->auth->org_name : "uw organisatie");
    return 409;
}

/* The viewer the page layout shows (name, menu, forms' token): what web/
 * needs to know of who is asking, without knowing auth/. */
static void set_viewer(http_req *rq)
{
    const auth_ctx *u = auth_user(rq);
    if (!u) return;
    req_viewer *v = arena_zalloc(rq->a, sizeof *v);
    v->name = u->name;
    v->csrf = u->csrf;
    v->org_name = u->org_name;
    v->in_org = u->org_id != 0;
    v->beheerder = u->beheerder;
    v->has_orgs = u->has_orgs;
    v->staff = u->is_staff;
    rq->viewer = v;
}

/* An organisation page while acting as person: for someone without any
 * organisation it does not exist; someone with one is told why. */
static int outside_org(http_req *rq)
{
    if (rq->auth->has_orgs) {
        rq->error_title = "Alleen namens een organisatie";
        rq->error_text = "Deze pagina is er alleen als u namens een organisatie werkt. U werkt nu "
                         "als persoon.";
    }
    return 404;
}

int auth_before(http_req *rq, http_resp *rs)
{
    if (rq->rt->flags & RF_NO_SESSION) return 0;
    const char *token = auth_cookie_get(rq, "kp_sessie");
    int loaded = token && strlen(token) < 100 ? load_session(rq, token) : 0;
    if (loaded == 0 && token) auth_cookie(rq, rs, "kp_sessie", "", 0);
    const char *remember = auth_cookie_get(rq, "kp_onthoud");
    if (loaded == 0 && remember) loaded = login_remembered(rq, rs, remember);
    if (loaded < 0) {
        log_error("database: sessie laden: %s", db_errmsg(req_db(rq)));
        return 500;
    }
    set_viewer(rq);
    if (strcmp(rq->method, "POST") == 0 && !(rq->rt->flags & RF_NO_CSRF) && !csrf_ok(rq)) {
        log_info("csrf: geweigerd %s %s", rq->method, rq->path);
        return 403;
    }
    unsigned f = rq->rt->flags;
    if ((f & (RF_LOGIN | RF_ORG | RF_BEHEERDER | RF_STAFF)) && !auth_user(rq)) {
        to_login(rq, rs);
        return 1;
    }
    /* the back office is the administratie's own, and opens only to a
     * session that began with a code */
    if ((f & RF_STAFF) && !rq->auth->is_staff) {
        rq->error_text = rq->auth->staff_account
                             ? "Het beheer opent alleen als u bent ingelogd met uw wachtwoord en "
                               "de code uit uw app. Log uit en log opnieuw in."
                             : "Deze pagina is alleen voor medewerkers van de administratie.";
        return 403;
    }
    /* Outside the organisation the page does not exist; inside it, a
     * medewerker may see but not do. */
    if ((f & (RF_ORG | RF_BEHEERDER)) && !rq->auth->org_id) return outside_org(rq);
    if ((f & RF_BEHEERDER) && !rq->auth->beheerder) {
        rq->error_text = arena_printf(rq->a, "Deze pagina is alleen voor beheerders van %s.",
                                      rq->auth->org_name);
        return 403;
    }
    if ((f & (RF_ORG | RF_BEHEERDER)) && strcmp(rq->method, "POST") == 0) return stale_org_form(rq);
    return 0;
}

int auth_allowed(const http_req *rq, unsigned flags)
{
    const auth_ctx *u = auth_user(rq);
    if (flags & (RF_LOGIN | RF_ORG | RF_BEHEERDER | RF_STAFF) && !u) return 0;
    if ((flags & RF_STAFF) && !u->is_staff) return 0;
    if (flags & (RF_ORG | RF_BEHEERDER) && !u->org_id) return 0;
    return !(flags & RF_BEHEERDER) || u->beheerder;
}

int auth_set_context(http_req *rq, long long org_id)
{
    const auth_ctx *u = auth_user(rq);
    if (!u) return -1;
    db_conn *c = req_db(rq);
    const char *org = org_id ? arena_printf(rq->a, "%lld", org_id) : NULL;
    if (db_q(c, rq->a, NULL, "UPDATE sessions SET organisation_id = $1 WHERE id = $2", org,
             arena_printf(rq->a, "%lld", u->session_id)) < 0)
        return -1;
    /* by the person too: the cookie's selector alone could name another
     * person's token */
    char *selector, *validator;
    if (split_remember(rq->a, auth_cookie_get(rq, "kp_onthoud"), &selector, &validator) == 0 &&
        db_q(c, rq->a, NULL,
             "UPDATE remember_tokens SET organisation_id = $1 WHERE selector = $2"
             " AND person_id = $3",
             org, selector, arena_printf(rq->a, "%lld", u->person_id)) < 0)
        return -1;
    return 0;
}

static int remembers(const http_req *rq)
{
    return auth_cookie_get(rq, "kp_onthoud") || auth_cookie_get(rq, "kp_gebruiker");
}

void auth_keep_context(http_req *rq, http_resp *rs, long long org_id)
{
    if (!remembers(rq)) return;
    auth_cookie(rq, rs, "kp_organisatie", org_id ? arena_printf(rq->a, "%lld", org_id) : "persoon",
                REMEMBER_SECONDS);
}

long long auth_kept_context(const http_req *rq)
{
    const char *v = auth_cookie_get(rq, "kp_organisatie");
    long id;
    return v && config_parse_long(v, 1, LONG_MAX, &id) == 0 ? id : 0;
}

void auth_forget_remembered(http_req *rq, http_resp *rs)
{
    auth_cookie(rq, rs, "kp_gebruiker", "", 0);
    auth_cookie(rq, rs, "kp_organisatie", "", 0);
}

void auth_rename_remembered(http_req *rq, http_resp *rs, long long person_id, const char *email)
{
    const auth_ctx *u = auth_user(rq);
    if (!u || u->person_id != person_id || !auth_cookie_get(rq, "kp_gebruiker")) return;
    remember_username(rq, rs, email);
}
