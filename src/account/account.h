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

/* Voids the person's unused tokens of this kind ("reset" or "activatie"),
 * makes a new one and enqueues its email, on the caller's connection and
 * transaction. Returns the link (in arena a) or NULL. */
char *account_send_link(db_conn *c, arena *a, const app *ap, long long person_id,
                        const char *kind);

/* `klantportal staff add --email E --name "N"`: exit status. */
int account_staff_cli(app *ap, int argc, char **argv);

#endif
