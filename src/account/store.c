/* store.c - the account feature's queries and the links it emails. */
#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "people/people.h"
#include "mail/render.h"

long long account_send_link(db_conn *c, arena *a, const app *ap, long long person_id,
                            const char *kind)
{
    int reset = strcmp(kind, "reset") == 0; /* else "activatie" */
    db_res *p;
    if (db_q(c, a, &p, "SELECT first_name, infix, last_name, email FROM persons WHERE id = $1",
             arena_printf(a, "%lld", person_id)) < 0 ||
        p->nrows != 1)
        return 0;
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "first_name", db_val(p, 0, "first_name"));
    tv_set_str(ctx, "email", db_val(p, 0, "email"));
    tv_set_str(ctx, "link", MAIL_LINK_MARKER);
    tv_set_str(ctx, "subject",
               reset ? "Wachtwoord opvragen - Klantportal Mijn Onderwijsgroep"
                     : "Activeer uw toegang tot de Klantportal Mijn Onderwijsgroep");
    mail_msg m;
    if (mail_render(ap->tmpl, a, reset ? "reset" : "activation", ctx, &m) != 0) return 0;
    m.to_address = db_val(p, 0, "email");
    m.to_name = people_full_name_of(a, p, 0);
    /* the token is minted by the sender when it delivers: no usable link
     * is ever stored */
    mail_link l = {reset ? "reset" : "activatie", person_id, NULL,
                   reset ? RESET_SECONDS : ACTIVATION_SECONDS, "/wachtwoord-instellen"};
    m.link = &l;
    long long id = mail_enqueue(c, a, &m);
    return id > 0 ? id : 0;
}

char *account_mint_activation(db_conn *c, arena *a, const app *ap, long long person_id)
{
    mail_link l = {"activatie", person_id, NULL, ACTIVATION_SECONDS, "/wachtwoord-instellen"};
    return mail_mint_link(c, a, ap->cfg.base_url, &l);
}
