/* secondfactor.h - the second factor: a code from an authenticator app
 * (core/totp.h) or a one-time recovery code, asked after the password.
 *
 * Staff must have one; cursisten and beheerders may turn it on. The key is
 * stored sealed with the server's secret key (core/secretbox.h); recovery
 * codes only as SHA-256. A code is spent by one UPDATE that only succeeds
 * while it is unspent (the key's last_step below the code's step, the
 * recovery code's used_at empty), so two requests with one code log in
 * once.
 *
 * Between the password and the code there is no session: a login
 * challenge (a random token in the cookie kp_code, its SHA-256 in
 * login_challenges, 10 minutes) remembers who gave the right password,
 * whether to remember the username and where to go after. The session is
 * made only when the code is right, and it is marked as begun with a code
 * (sessions.second_factor), which the back office requires. Remember-me
 * never logs such a person in without the code (session.c).
 *
 * Everything runs on the caller's connection, in the caller's arena;
 * functions marked "in a transaction" must run inside the caller's. */
#ifndef KP_SECONDFACTOR_H
#define KP_SECONDFACTOR_H

#include "core/secretbox.h"
#include "db/db.h"
#include "http/http.h"

#define SF_RECOVERY_CODES 10
#define SF_CHALLENGE_SECONDS 600

typedef enum sf_state { SF_NONE = 0, SF_ENROLLING = 1, SF_ON = 2 } sf_state;

/* The person's state, or -1 on a database error. */
int sf_state_of(db_conn *c, arena *a, long long person_id);
/* The key a person who has none confirmed is enrolling with, bound to
 * `ref` (the login challenge or the session showing it): the one made
 * earlier for the same ref (so a page reloaded shows the key already
 * scanned), else a new one, which voids any other. Its own transaction.
 * 0 and *base32 set; 1 when a confirmed key exists; -1 on an error. */
int sf_enrol_key(db_conn *c, arena *a, const secret_key *k, long long person_id, const char *ref,
                 char **base32);

typedef enum sf_verdict { SF_WRONG = 0, SF_CODE = 1, SF_RECOVERY = 2 } sf_verdict;
/* In a transaction: is `typed` a code of the person's confirmed key, or
 * one of their unused recovery codes? Spends it. Returns a verdict, or -1. */
int sf_check(db_conn *c, arena *a, const secret_key *k, long long person_id, const char *typed);
/* In a transaction: is `typed` a code of the key being enrolled under
 * `ref`? Then the key is confirmed (and the code spent): SF_CODE; else
 * SF_WRONG; or -1. */
int sf_confirm(db_conn *c, arena *a, const secret_key *k, long long person_id, const char *ref,
               const char *typed);
/* The enrolment refs: a login challenge's, a session's. In a. */
const char *sf_ref_challenge(arena *a, long long challenge_id);
const char *sf_ref_session(arena *a, long long session_id);
/* In a transaction: replaces the person's recovery codes with
 * SF_RECOVERY_CODES new ones, written to out as shown ("abcde-fghjk"):
 * the only time anyone sees them. 0 or -1. */
int sf_recovery_new(db_conn *c, arena *a, long long person_id, char *out[SF_RECOVERY_CODES]);
/* Unused recovery codes, or -1. */
long long sf_recovery_left(db_conn *c, arena *a, long long person_id);
/* In a transaction: the key and the recovery codes gone. 0 or -1. */
int sf_remove(db_conn *c, arena *a, long long person_id);

typedef struct sf_challenge {
    long long id;
    long long person_id;
    const char *email;     /* the login name: the brake counts codes under it */
    int remember;          /* "Onthoud mijn gegevens" was ticked */
    const char *return_to; /* a checked local path, or "" */
    int is_staff;
    int state; /* sf_state */
} sf_challenge;

/* In a transaction: a challenge for the person, the cookie set. 0 or -1. */
int sf_challenge_start(http_req *rq, http_resp *rs, long long person_id, int remember,
                       const char *return_to);
/* This browser's live challenge, or NULL (*failed = 1 on a database
 * error). */
sf_challenge *sf_challenge_load(http_req *rq, int *failed);
/* In a transaction: the challenge spent; the cookie cleared. 0, 1 when it
 * was spent already (a second request with it: log nobody in), or -1. */
int sf_challenge_end(http_req *rq, http_resp *rs, const sf_challenge *ch);

/* Pure: typed text in its normal form (spaces and dashes dropped, lower
 * case) into out (at least 32 bytes); 0, or -1 when it is longer. */
int sf_normalise(const char *typed, char *out, size_t outlen);

#endif
