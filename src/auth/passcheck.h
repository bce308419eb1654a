/* passcheck.h - asking for a person's password: at Inloggen, and again in
 * Mijn gegevens before the password or the e-mail address changes. Both
 * pass the same brake (ratelimit.h, judged per device as in device.h), hash
 * in the server's worker pool (req_defer: no request thread waits while
 * Argon2id runs) and count a wrong password the same way, so guesses at
 * one place count at the other.
 *
 * A handler runs in two halves:
 *   first call   pc = passcheck_login(...) or passcheck_reauth(...);
 *                passcheck_brake: > 0 refused (answer 429 with the wait),
 *                then passcheck_start and return;
 *   resumed      (rq->resumed, rq->defer_arg == pc): a wrong password goes
 *                to passcheck_failed, a right one to passcheck_passed before
 *                the action.
 * A function that returns -1 could not read or write the database (the
 * error is on req_db(rq)); the caller answers with page_db_error and does
 * not go on, so no attempt is left uncounted and nothing reports success.
 * Everything lives in the request's arena. */
#ifndef KP_PASSCHECK_H
#define KP_PASSCHECK_H

#include "auth/password.h"
#include "http/http.h"

typedef struct passcheck {
    /* set by passcheck_login / passcheck_reauth */
    const char *account;      /* the username: the lower-cased address, as typed at Inloggen */
    long long person_id;      /* known when asked again; at Inloggen found by passcheck_start */
    int reauth;               /* asked again of the logged-in person */
    int code;                 /* a second factor's code: counted as from an unknown device */
    const char *password;     /* as typed */
    const char *new_password; /* hashed too once the password is right; NULL: check only */
    const char *where;        /* the audit detail of a refusal when asked again */
    /* the caller's own value, kept across the check (the new address of an
     * e-mail change) */
    const char *extra;
    /* set by the functions below */
    long long attempt; /* the brake's row for this try */
    const char *hash;  /* the stored hash; for an unknown name a dummy, just as slow */
    int ok;            /* the password is right, for a person who may log in */
    int rc;            /* hashing new_password: 0, or -1 */
    char new_hash[PASSWORD_HASH_MAX];
} passcheck;

/* At Inloggen: account is the lower-cased username. */
passcheck *passcheck_login(http_req *rq, const char *account, const char *password);
/* Asked again of the logged-in person (auth_user(rq) must be set);
 * new_password may be NULL; where names the page for the audit log. */
passcheck *passcheck_reauth(http_req *rq, const char *password, const char *new_password,
                            const char *where);

/* A code of the second factor (secondfactor.h) instead of a password: the
 * same brake, under the person's login name, so codes and passwords are
 * guessed from one allowance; always by the limits of an unknown device
 * (per account and address, per account, per address), since a device
 * token says nothing about who holds the phone. No hashing: the caller checks the code and
 * settles with passcheck_failed / passcheck_passed. reauth: asked of the
 * logged-in person (where names the page), else at login. */
passcheck *passcheck_code(http_req *rq, long long person_id, const char *account, int reauth,
                          const char *where);

/* Takes one attempt, recorded before the check runs, so guesses sent at
 * once count each other; a browser that logged in to this account before
 * is judged on its own failures. Returns 0 to go on (pc->attempt set), the
 * seconds to wait when a limit is reached (the refusal is in the audit log,
 * at most once a minute per account, and Retry-After is set), or -1. */
int passcheck_brake(http_req *rq, http_resp *rs, passcheck *pc);
/* Reads the stored hash and hands the Argon2id work to the worker pool;
 * the handler returns right after and is called again with rq->resumed set
 * and pc as rq->defer_arg. Returns 0, or -1 (nothing handed over). */
int passcheck_start(http_req *rq, passcheck *pc);
/* A wrong password (!pc->ok): the attempt now counts against the limits,
 * and the audit log gets `action` for the account. 0 or -1. */
int passcheck_failed(http_req *rq, passcheck *pc, const char *action);
/* A right password: the attempt no longer counts. 0 or -1. */
int passcheck_passed(http_req *rq, passcheck *pc);

#endif
