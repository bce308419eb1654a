/* hold.h - the seat a bezoeker's sign-up holds until the address is
 * confirmed: the confirmation link's hash on the registration, the sign-up
 * found by the key of its landing page or by its link, the confirmation,
 * and the lapse of a hold that was not confirmed in time (which frees the
 * seat through enrolment_cancel).
 *
 * Like store.h: functions run on the caller's connection (those that write
 * inside its db_tx unit of work), results live in the caller's arena, -1
 * means a database error kept on the connection. Private to
 * src/enrolment/. */
#ifndef KP_ENROLMENT_HOLD_H
#define KP_ENROLMENT_HOLD_H

#include "db/db.h"

/* Stores the SHA-256 (hex) of the confirmation link's token on a sign-up
 * just stored in this transaction. 0 or -1. */
int hold_set_confirm(db_conn *c, arena *a, long long reg_id, const char *confirm_hash);

/* A sign-up by the hash of its landing page's key (which = "access") or
 * of its confirmation link's token (which = "confirm"); columns: id,
 * event_id, status, confirmed_at, hold_until, position (waiting list),
 * first_name, infix, last_name, email, org_name. No rows when none has
 * it. */
db_res *hold_find(db_conn *c, arena *a, const char *which, const char *hash);

/* Where a sign-up (a row of hold_find) stands at now. */
typedef enum hold_state {
    HOLD_OPEN,      /* waiting for the confirmation, within its hold */
    HOLD_CONFIRMED, /* confirmed (or already processed by the administratie) */
    HOLD_LAPSED,    /* the hold ran out unconfirmed, or it was cancelled */
} hold_state;
hold_state hold_state_of(const db_res *r, long long now);

/* Confirms the sign-up whose link has this hash: locks its event (so the
 * lapse job and this never pass each other), sets confirmed_at and clears
 * hold_until, only while it is active, unconfirmed and within its hold. A
 * confirmed waiting-list sign-up may now take a free seat: *promoted is
 * the registration that got one (enrolment_promote), or 0. Returns 1 when
 * it confirmed, 0 when there was nothing to confirm (already confirmed,
 * lapsed, unknown), -1. */
int hold_confirm(db_conn *c, arena *a, const char *confirm_hash, long long now,
                 long long *promoted);

/* Ids of up to max sign-ups whose hold ran out before now unconfirmed
 * (status aangemeld or wachtlijst), oldest first. */
db_res *hold_due(db_conn *c, arena *a, long long now, int max);

/* Lets one hold lapse, in the caller's transaction: locks the event first
 * (the order of every enrolment transaction), checks the sign-up is still
 * unconfirmed and past its hold (a confirmation may have come in
 * meanwhile), then cancels it with enrolment_cancel, which frees its seat
 * and gives it to the first on the waiting list (*promoted, or 0).
 * Returns 0, ENROL_NOT_ACTIVE when there is nothing to lapse any more, or
 * -1. */
int hold_lapse(db_conn *c, arena *a, const char *reg_id, long long now, const char *today,
               long long *promoted);

#endif
