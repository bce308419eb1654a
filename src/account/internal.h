/* internal.h - what the account pages share: small helpers and each
 * page's routes. Private to src/account/. */
#ifndef KP_ACCOUNT_INTERNAL_H
#define KP_ACCOUNT_INTERNAL_H

#include "app.h"
#include "http/http.h"
#include "mail/mail.h"

static inline const char *num(http_req *rq, long long v)
{
    return arena_printf(rq->a, "%lld", v);
}

static inline void kick_mailer(http_req *rq)
{
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
}

/* Inloggen and Uitloggen (login.c). */
void account_login_routes(router *r);
/* After the password (and code when asked): on to terug, or first to
 * Selecteer organisatie for a person with organisations (login.c). */
void account_after_login(http_req *rq, http_resp *rs, long long person_id, const char *terug);
/* The second factor (twofactor.c): must this person give a code after the
 * password (staff, or turned on)? 1, 0, or -1 on a database error. */
int account_needs_code(http_req *rq, long long person_id);
/* The password was right: the login challenge, and on to the code (or, for
 * staff without a second factor, to its enrolment). Answers the request. */
void account_ask_code(http_req *rq, http_resp *rs, long long person_id, const char *email);
void account_twofactor_routes(router *r);
/* Wachtwoord opvragen (reset.c). */
void account_reset_routes(router *r);
/* Wachtwoord instellen from a reset or activation link (set_password.c). */
void account_set_password_routes(router *r);

#endif
