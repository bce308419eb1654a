/* internal.h - what the profile pages share: small helpers, the
 * re-authentication with the brake (password and e-mail change), and the
 * person's history. Private to src/profile/. */
#ifndef KP_PROFILE_INTERNAL_H
#define KP_PROFILE_INTERNAL_H

#include <string.h>

#include "app.h"
#include "auth/password.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "http/http.h"
#include "mail/mail.h"
#include "web/page.h"

#define EMAIL_CHANGE_SECONDS (24 * 3600)

/* The refusal names the wait: used where profile_brake()'s answer is at
 * hand as `blocked`, the seconds to wait. */
#define MSG_LOCKED profile_locked_message(rq, blocked)
#define MSG_WRONG_PASSWORD "Het wachtwoord is niet juist."

static inline const char *num(http_req *rq, long long v)
{
    return arena_printf(rq->a, "%lld", v);
}

static inline const char *now_str(http_req *rq)
{
    return num(rq, (long long)clock_now());
}

static inline int same(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") == 0;
}

static inline void kick_mailer(http_req *rq)
{
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
}

/* The crumbs every page here starts with. */
static inline tv *profile_ctx(http_req *rq, const char *here)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Mijn gegevens", here ? "/mijn/gegevens" : NULL);
    if (here) page_crumb(rq, ctx, here, NULL);
    return ctx;
}

/* The message the input filter left for a field, or NULL. */
static inline const char *filter_error(const http_req *rq, const char *name)
{
    return kv_get(&rq->errors, name);
}

/* Checks the current password and, when it is right and a new one is
 * given, hashes the new one: both Argon2id steps in one job. */
typedef struct pw_job {
    const char *current;  /* as typed */
    const char *hash;     /* stored, may be NULL */
    const char *new_pass; /* NULL: only check */
    const char *email;    /* the new address (email change) */
    char new_hash[PASSWORD_HASH_MAX];
    int ok;            /* the current password is right */
    int rc;            /* password_hash's result */
    long long attempt; /* the brake's row for this try */
} pw_job;

/* The refusal's text for a wait of `wait` seconds. */
const char *profile_locked_message(http_req *rq, int wait);
/* The brake, the same as at Inloggen: the seconds to wait when this device,
 * account or address has guessed too often (the caller answers with
 * MSG_LOCKED), 0 to go on with the attempt taken in *attempt, -1 after a
 * database error (answer sent). */
int profile_brake(http_req *rq, http_resp *rs, long long *attempt);
/* Hands the password check to the worker pool (or answers a database
 * error); the handler returns right after either way. */
void profile_start_check(http_req *rq, http_resp *rs, pw_job *j);
/* A wrong current password counts as a failed login. */
void profile_count_failure(http_req *rq, long long attempt, const char *action);
/* One person_history row: the person changed their own data. 0 or -1. */
int profile_record_history(http_req *rq, db_conn *c, long long person, const char *field,
                           const char *old_value, const char *new_value);

/* Each page's routes. */
void profile_data_routes(router *r);
void profile_email_routes(router *r);
void profile_password_routes(router *r);

#endif
