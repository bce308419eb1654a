/* quota.h - the ceiling on email that customers cause with text they typed.
 *
 * A beheerder adding a contact person causes an email to an address they
 * typed, with names they typed in it (an invitation, or the notice that a
 * login was linked). Without a ceiling that is a spam cannon in the name of
 * the Onderwijsgroep. Every such action takes one unit here first; when a
 * limit is reached the action is refused as a whole. Mail sent by staff or
 * by the system (password links a person asks for themselves,
 * cancellations, invoices, reminders) never comes here and is never capped.
 *
 * Limits, over a sliding window:
 *   MAIL_QUOTA_ORG_PER_HOUR      per organisation, all kinds
 *   MAIL_QUOTA_PERSON_PER_HOUR   per acting person, all organisations
 *   MAIL_QUOTA_INVITES_PER_DAY   invitations per organisation per 24 hours
 * They are far above what a beheerder entering colleagues by hand needs.
 */
#ifndef KP_MAIL_QUOTA_H
#define KP_MAIL_QUOTA_H

#include "core/arena.h"
#include "db/db.h"

#define MAIL_QUOTA_ORG_PER_HOUR 30
#define MAIL_QUOTA_PERSON_PER_HOUR 20
#define MAIL_QUOTA_INVITES_PER_DAY 50

/* Kinds; MQ_INVITE also counts against the daily invitation limit. */
#define MQ_CONTACT "contact"
#define MQ_INVITE "uitnodiging"

/* The Dutch message for a refused action. */
#define MAIL_QUOTA_MSG                                                                             \
    "U heeft in korte tijd veel contactpersonen toegevoegd. Om misbruik van e-mail te "            \
    "voorkomen kan dat even niet meer. Probeer het over een uur opnieuw of neem contact op met "   \
    "de administratie. Er is niets opgeslagen."

/* Takes one unit for an email of `kind` caused by person_id acting for
 * org_id. Call it inside the caller's write transaction, with the
 * organisation serialised (db_lock), so that two requests at once cannot
 * both take the last unit. Returns 1 when the mail may go (the unit is
 * recorded and disappears with a rollback), 0 when a limit is reached
 * (nothing recorded), -1 on a database error. */
int mail_quota_take(db_conn *c, arena *a, long long org_id, long long person_id, const char *kind);

#endif
