/* internal.h - what the profile pages share: small helpers, the refusal
 * of the re-authentication's brake (password and e-mail change ask for the
 * password through auth/passcheck.h), and the person's history. Private to
 * src/profile/. */
#ifndef KP_PROFILE_INTERNAL_H
#define KP_PROFILE_INTERNAL_H

#include <string.h>

#include "app.h"
#include "auth/passcheck.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "http/http.h"
#include "mail/mail.h"
#include "web/page.h"

#define EMAIL_CHANGE_SECONDS (24 * 3600)

/* The refusal names the wait: used where passcheck_brake()'s answer is at
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

/* The audit log's name for this page when the brake refuses. */
#define PROFILE_WHERE "Mijn gegevens"

/* The refusal's text for a wait of `wait` seconds. */
const char *profile_locked_message(http_req *rq, int wait);
/* One person_history row: the person changed their own data. 0 or -1. */
int profile_record_history(http_req *rq, db_conn *c, long long person, const char *field,
                           const char *old_value, const char *new_value);

/* Each page's routes. */
void profile_data_routes(router *r);
void profile_email_routes(router *r);
void profile_password_routes(router *r);

#endif
