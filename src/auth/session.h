/* session.h - who is asking: server-side sessions in the database (so any
 * server process can answer any request), remember-me tokens, CSRF tokens
 * and the checks every request passes before its handler (auth_before).
 *
 * Cookies (all HttpOnly, SameSite=Lax, Path=/; Secure and the __Host-
 * prefix when the base URL is https):
 *   kp_sessie     the session token (until the browser closes)
 *   kp_onthoud    remember-me "selector.validator", 30 days, rotated at use
 *   kp_gebruiker  the remembered username, 30 days (prefills Inloggen)
 *   kp_organisatie the context last chosen with a remembered username
 *   kp_csrf       a pre-session CSRF token for forms shown before login
 * Sessions end after 2 hours idle or 12 hours in all.
 */
#ifndef KP_SESSION_H
#define KP_SESSION_H

#include "http/http.h"

#define SESSION_IDLE_SECONDS (2 * 3600)
#define SESSION_MAX_SECONDS (12 * 3600)
#define REMEMBER_SECONDS (30 * 24 * 3600)

typedef struct auth_ctx {
    long long session_id; /* 0: no session */
    const char *csrf;     /* the token this visitor's forms carry */
    long long person_id;  /* 0: anonymous */
    const char *name;     /* "Jan de Vries" */
    const char *first_name, *infix, *last_name, *email;
    int is_staff;         /* staff, in a session that began with a code */
    int staff_account;    /* a staff account, whatever the session */
    int second_factor;    /* the session began with a code (secondfactor.h) */
    long long org_id;     /* chosen context: 0 = as person */
    const char *org_name; /* the chosen organisation's name, or NULL */
    int beheerder;        /* beheerder in the chosen organisation */
    int has_orgs;         /* has active memberships: may choose a context */
} auth_ctx;

/* The before-handler hook: loads the session (or logs in again from a
 * remember-me cookie), sends anonymous visitors of RF_LOGIN routes to
 * /inloggen?terug=… with the notice "Log in om verder te gaan", answers 403
 * to a POST without a valid csrf field and 409 to a POST of an organisation
 * form made for another context. A refusal by the context (403 for a
 * medewerker on a beheerder page, 404 acting as person) says why on the
 * error page. Returns 1 when it has answered. */
int auth_before(http_req *rq, http_resp *rs);

/* The logged-in person, or NULL. */
const auth_ctx *auth_user(const http_req *rq);
/* The CSRF token to put in a form's hidden field "csrf"; sets the
 * pre-session cookie when the visitor has neither session nor cookie. */
const char *auth_csrf(http_req *rq, http_resp *rs);

/* Starts a fresh session for person_id (a new id at every login), with the
 * remember-me token and remembered username when `remember`. Runs on the
 * request's connection; the caller commits. Returns 0 or -1. */
int auth_login(http_req *rq, http_resp *rs, long long person_id, const char *email, int remember,
               long long org_id);
/* The same after password and code (secondfactor.h): the session is marked
 * as begun with a code and starts as person; with `remember` only the
 * username is remembered, never a remember-me token, since remember-me
 * would skip the code. 0 or -1. */
int auth_login_with_code(http_req *rq, http_resp *rs, long long person_id, const char *email,
                         int remember);
/* The current session now counts as begun with a code (the person just
 * turned the second factor on with one). 0 or -1. */
int auth_mark_second_factor(http_req *rq);
/* Uitloggen: in one transaction ends this session, revokes its remember-me
 * token (only the session's person's: a selector alone never revokes
 * another's) and writes "logout" to the audit log; then clears the
 * cookies. Returns 0, or -1 when the database refused (then nothing
 * changed, the cookies stay and the caller answers with an error page:
 * the person must not believe they are logged out). */
int auth_logout(http_req *rq, http_resp *rs);
/* Ends every session of a person except keep_session (0: all of them) and
 * every remember-me token of theirs, on the caller's connection and inside
 * its transaction: after a password change or reset and an e-mail change,
 * whoever had the account open elsewhere must log in again. 0 or -1. */
int auth_end_sessions(struct db_conn *c, arena *a, long long person_id, long long keep_session);

/* The value of the hidden field "context" a form carries: the context it
 * was shown in, "persoon" or the chosen organisation's id. auth_before
 * refuses (409, nothing stored) a POST to an RF_ORG or RF_BEHEERDER route
 * whose context is missing or is not the session's now; other forms that
 * depend on the context (Mijn gegevens, Inschrijven, Afmelden) compare it
 * themselves. Compared only, never used to choose what to write. */
const char *auth_form_context(http_req *rq);

/* Would a route with these flags (RF_LOGIN, RF_ORG, RF_BEHEERDER, RF_STAFF) let this
 * request in? The one place the rules live besides auth_before. */
int auth_allowed(const http_req *rq, unsigned flags);
/* Switches the session to acting as person (0) or for an organisation the
 * caller has checked the person belongs to. When this browser carries the
 * person's remember-me token, the token keeps the choice too, so the next
 * login from it starts in the same context. 0 or -1. */
int auth_set_context(http_req *rq, long long org_id);

/* The remembered things of "Onthoud mijn gegevens" in the browser: the
 * username (kp_gebruiker, prefills Inloggen) and the last chosen context
 * (kp_organisatie, preselected at Selecteer organisatie).
 *
 * After a choice: keeps it in kp_organisatie when the browser remembers
 * the person. */
void auth_keep_context(http_req *rq, http_resp *rs, long long org_id);
/* The organisation id kept by this browser; 0 for none, "persoon" or
 * anything that is not an id. */
long long auth_kept_context(const http_req *rq);
/* A login without "Onthoud mijn gegevens": forgets the username and the
 * context this browser kept. */
void auth_forget_remembered(http_req *rq, http_resp *rs);
/* The person's login address changed: a browser that remembers them (and
 * is theirs now) prefills the new one. */
void auth_rename_remembered(http_req *rq, http_resp *rs, long long person_id, const char *email);

/* Cookie helpers. max_age < 0: a browser-session cookie; 0: delete it. */
void auth_cookie(http_req *rq, http_resp *rs, const char *name, const char *value, long max_age);
const char *auth_cookie_get(const http_req *rq, const char *name);

/* A local path for "terug": starts with one '/', no "//" or "/\\", no
 * control characters; anything else gives fallback. */
const char *auth_safe_return(const char *terug, const char *fallback);

#endif
