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

/* Enqueues the person's reset or activation email ("reset" or "activatie")
 * on the caller's connection and transaction, voiding their unused links
 * of that kind. The email carries only a link request: the sender mints
 * the token when it delivers, so nothing usable is stored or returned.
 * Returns the outbox id (> 0), or 0 on failure. */
long long account_send_link(db_conn *c, arena *a, const app *ap, long long person_id,
                            const char *kind);

/* The activation link for the console (`staff add`): voids the person's
 * unused activation links and stores the new token's hash, in its own
 * short transaction on c. Returns the link (in arena a) or NULL. */
char *account_mint_activation(db_conn *c, arena *a, const app *ap, long long person_id);

/* `klantportal staff add --email E --name "N"`: exit status. */
int account_staff_cli(app *ap, int argc, char **argv);

#endif
