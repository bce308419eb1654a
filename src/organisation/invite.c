/* invite.c - Uitnodiging (opnieuw) sturen: a beheerder sends a contact
 * person without an activated login the activation email again (or for the
 * first time, when the box was left unticked or the link expired). It is
 * the invitation of Nieuw contactpersoon: the accounts' activation email,
 * its link made when it is sent (so the older link stops working), and the
 * mail quota's unit for an invitation. The contact is looked for only
 * among the session's organisation's contacts. */
#include <string.h>

#include "account/account.h"
#include "auth/audit.h"
#include "auth/session.h"
#include "mail/mail.h"
#include "mail/quota.h"
#include "organisation/internal.h"
#include "organisation/organisation.h"
#include "web/flash.h"

/* What a refusal says above the list. */
#define INVITE_QUOTA_MSG                                                                           \
    "U heeft in korte tijd veel uitnodigingen verstuurd. Om misbruik van e-mail te voorkomen "     \
    "kan dat even niet meer. Probeer het over een uur opnieuw of neem contact op met de "          \
    "administratie. Er is geen uitnodiging verstuurd."
#define INVITE_ACTIVE_MSG                                                                          \
    "%s heeft al een account en kan inloggen; een uitnodiging is niet nodig. Wie het "             \
    "wachtwoord vergeten is, vraagt een nieuw aan met Wachtwoord opvragen."
#define INVITE_NO_ADDRESS_MSG                                                                      \
    "%s heeft geen e-mailadres en kan daarom geen uitnodiging krijgen. Er is geen uitnodiging "    \
    "verstuurd."
#define INVITE_BLOCKED_MSG                                                                         \
    "De toegang van %s is geblokkeerd door de administratie. Er is geen uitnodiging verstuurd. "   \
    "Neem contact op met de administratie."

typedef struct invite {
    http_req *rq;
    const char *id;    /* the contact's person id from the path, checked to be ours */
    const char *name;  /* out: the contact's name as the organisation knows it */
    const char *login; /* out: the contact's login state (ORG_LOGIN_*) before */
} invite;

enum { NOT_CONTACT = 1, HAS_LOGIN, NO_ADDRESS, QUOTA_REFUSED };

/* One transaction (db_tx), serialised per organisation like the other
 * contact changes: the contact and its state, the quota's unit, the email
 * and the audit line. */
static int store_invite(db_conn *c, arena *a, void *arg)
{
    invite *in = arg;
    http_req *rq = in->rq;
    const auth_ctx *u = auth_user(rq);
    if (db_lock(c, a, arena_printf(a, "org:%lld", u->org_id)) != 0) return -1;
    db_res *r = org_contact(c, a, u->org_id, in->id);
    if (!r) return -1;
    if (r->nrows != 1) return NOT_CONTACT;
    in->name = full_name(a, r, 0);
    in->login = db_val(r, 0, "login");
    if (strcmp(in->login, ORG_LOGIN_INVITED) != 0 && strcmp(in->login, ORG_LOGIN_NONE) != 0)
        return HAS_LOGIN;
    if (!db_int(r, 0, "has_address")) return NO_ADDRESS;
    int quota = mail_quota_take(c, a, u->org_id, u->person_id, MQ_INVITE);
    if (quota != 1) return quota < 0 ? -1 : QUOTA_REFUSED;
    if (!account_send_link(c, a, rq->app, db_int(r, 0, "person_id"), "activatie")) return -1;
    return audit_log(c, a, u->person_id, rq->client_ip,
                     strcmp(in->login, ORG_LOGIN_INVITED) == 0 ? "uitnodiging_opnieuw_verstuurd"
                                                               : "uitnodiging_verstuurd",
                     in->id, arena_printf(a, "organisatie %lld", u->org_id));
}

static void invite_post(http_req *rq, http_resp *rs)
{
    invite in = {rq, req_param(rq, "id"), NULL, NULL};
    if (!field_valid(FK_ID, in.id, strlen(in.id))) {
        page_error(rq, rs, 404);
        return;
    }
    switch (db_tx(req_db(rq), rq->a, store_invite, &in)) {
    case 0:
        break;
    case NOT_CONTACT:
        page_error(rq, rs, 404);
        return;
    case HAS_LOGIN:
        organisation_view(rq, rs,
                          arena_printf(rq->a,
                                       strcmp(in.login, ORG_LOGIN_BLOCKED) == 0 ? INVITE_BLOCKED_MSG
                                                                                : INVITE_ACTIVE_MSG,
                                       in.name),
                          409);
        return;
    case NO_ADDRESS:
        organisation_view(rq, rs, arena_printf(rq->a, INVITE_NO_ADDRESS_MSG, in.name), 409);
        return;
    case QUOTA_REFUSED:
        organisation_view(rq, rs, INVITE_QUOTA_MSG, 429);
        return;
    default:
        page_db_error(rq, rs);
        return;
    }
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs,
              strcmp(in.login, ORG_LOGIN_INVITED) == 0 ? "uitnodiging-opnieuw"
                                                       : "uitnodiging-verstuurd");
    resp_redirect(rs, rq->a, 303, "/mijn/organisatie");
}

static const route routes[] = {
    {"POST", "/mijn/organisatie/contactpersonen/:id/uitnodigen", invite_post, NULL, RF_BEHEERDER},
};

void organisation_invite_routes(router *r)
{
    router_add_all(r, routes);
}
