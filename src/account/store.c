/* store.c - the account feature's queries and the links it emails. */
#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "auth/token.h"
#include "core/timeutil.h"
#include "web/mailtmpl.h"

char *account_send_link(db_conn *c, arena *a, const app *ap, long long person_id, const char *kind)
{
    int reset = strcmp(kind, "reset") == 0; /* else "activatie" */
    const char *id = arena_printf(a, "%lld", person_id);
    const char *now = arena_printf(a, "%lld", (long long)clock_now());
    db_res *p;
    if (db_q(c, a, &p, "SELECT first_name, infix, last_name, email FROM persons WHERE id = $1",
             id) < 0 ||
        p->nrows != 1)
        return NULL;
    const char *token_kind = reset ? "reset" : "activatie";
    /* a newer link voids the older ones */
    if (db_q(c, a, NULL,
             "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND kind = $3"
             " AND used_at IS NULL",
             now, id, token_kind) < 0)
        return NULL;
    char *token = token_new(a);
    long long ttl = reset ? RESET_SECONDS : ACTIVATION_SECONDS;
    if (db_q(c, a, NULL,
             "INSERT INTO account_tokens (token_hash, person_id, kind, created_at, expires_at)"
             " VALUES ($1, $2, $3, $4, $5)",
             token_hash(a, token), id, token_kind, now,
             arena_printf(a, "%lld", (long long)clock_now() + ttl)) < 0)
        return NULL;
    char *link = arena_printf(a, "%s/wachtwoord-instellen?token=%s", ap->cfg.base_url, token);
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "first_name", db_val(p, 0, "first_name"));
    tv_set_str(ctx, "email", db_val(p, 0, "email"));
    tv_set_str(ctx, "link", link);
    tv_set_str(ctx, "subject",
               reset ? "Wachtwoord opvragen - Klantportal Mijn Onderwijsgroep"
                     : "Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep");
    mail_msg m;
    if (mail_render(ap->tmpl, a, reset ? "reset" : "activation", ctx, &m) != 0) return NULL;
    const char *infix = db_val(p, 0, "infix");
    m.to_address = db_val(p, 0, "email");
    m.to_name = (infix && *infix) ? arena_printf(a, "%s %s %s", db_val(p, 0, "first_name"), infix,
                                                 db_val(p, 0, "last_name"))
                                  : arena_printf(a, "%s %s", db_val(p, 0, "first_name"),
                                                 db_val(p, 0, "last_name"));
    return mail_enqueue(c, a, &m) > 0 ? link : NULL;
}
