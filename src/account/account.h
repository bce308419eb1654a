/* account.h - the manual's login chapter: Inloggen, Uitloggen, Wachtwoord
 * opvragen, setting a password from a reset or activation link, and the
 * Mijn Onderwijsgroep start page. */
#ifndef KP_ACCOUNT_H
#define KP_ACCOUNT_H

#include "app.h"
#include "db/db.h"
#include "http/router.h"

#define RESET_SECONDS 3600
#define ACTIVATION_SECONDS (7 * 24 * 3600)

void account_routes(router *r);
/* Selecteer organisatie (context.c). */
void account_context_routes(router *r);
/* Does the person have active memberships (and so gets the choice after
 * login)? 0, or -1 on a database error. */
struct http_req;
int account_has_organisations(struct http_req *rq, long long person_id, int *has);

/* Voids the person's unused tokens of this kind ("reset" or "activatie"),
 * makes a new one and enqueues its email, on the caller's connection and
 * transaction. Returns the link (in arena a) or NULL. */
char *account_send_link(db_conn *c, arena *a, const app *ap, long long person_id, const char *kind);

/* `klantportal staff add --email E --name "N"`: exit status. */
int account_staff_cli(app *ap, int argc, char **argv);

#endif
