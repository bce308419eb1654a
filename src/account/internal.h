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
/* Wachtwoord opvragen (reset.c). */
void account_reset_routes(router *r);
/* Wachtwoord instellen from a reset or activation link (set_password.c). */
void account_set_password_routes(router *r);

#endif
