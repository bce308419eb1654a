/* hold.c - see hold.h. */
#include "enrolment/hold.h"

#include <string.h>

#include "enrolment/store.h"

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

int hold_set_confirm(db_conn *c, arena *a, long long reg_id, const char *confirm_hash)
{
    return db_q(c, a, NULL, "UPDATE registrations SET confirm_hash = $2 WHERE id = $1",
                num(a, reg_id), confirm_hash) == 1
               ? 0
               : -1;
}

db_res *hold_find(db_conn *c, arena *a, const char *which, const char *hash)
{
    const char *col = strcmp(which, "confirm") == 0 ? "confirm_hash" : "access_hash";
    return db_select(
        c, a,
        arena_printf(a,
                     "SELECT r.id, r.event_id, r.status, r.confirmed_at, r.hold_until, "
                     "CASE WHEN r.status = 'wachtlijst' THEN (SELECT count(*) FROM "
                     "registrations w WHERE w.event_id = r.event_id AND w.status = "
                     "'wachtlijst' AND w.id <= r.id) ELSE 0 END AS position, "
                     "r.applicant_first_name AS first_name, r.applicant_infix AS infix, "
                     "r.applicant_last_name AS last_name, r.applicant_email AS email, "
                     "r.applicant_org_name AS org_name FROM registrations r "
                     "WHERE r.%s = $1",
                     col),
        1, (const char *[]){hash});
}

hold_state hold_state_of(const db_res *r, long long now)
{
    const char *s = db_val(r, 0, "status");
    if (strcmp(s, "geannuleerd") == 0) return HOLD_LAPSED;
    if (db_val(r, 0, "confirmed_at") || strcmp(s, "verwerkt") == 0) return HOLD_CONFIRMED;
    if (db_val(r, 0, "hold_until") && db_int(r, 0, "hold_until") <= now) return HOLD_LAPSED;
    return HOLD_OPEN;
}

/* Still to confirm: active, unconfirmed, and the hold not run out. */
#define OPEN_HOLD                                                                                  \
    "status IN ('aangemeld', 'wachtlijst') AND confirmed_at IS NULL AND "                          \
    "(hold_until IS NULL OR hold_until > $2)"

int hold_confirm(db_conn *c, arena *a, const char *confirm_hash, long long now, long long *promoted)
{
    *promoted = 0;
    db_res *r = db_select(c, a,
                          "SELECT event_id FROM registrations WHERE confirm_hash = $1 "
                          "AND person_id IS NULL",
                          1, (const char *[]){confirm_hash});
    if (!r) return -1;
    if (r->nrows != 1) return 0;
    const char *event_id = db_val(r, 0, "event_id");
    const char *lock =
        arena_printf(a, "SELECT e.id FROM events e WHERE e.id = $1%s", db_for_update(c, a, "e"));
    if (!db_select(c, a, lock, 1, (const char *[]){event_id})) return -1;
    int n = db_q(c, a, NULL,
                 "UPDATE registrations SET confirmed_at = $2, hold_until = NULL "
                 "WHERE confirm_hash = $1 AND person_id IS NULL AND " OPEN_HOLD,
                 confirm_hash, num(a, now));
    if (n <= 0) return n < 0 ? -1 : 0;
    return enrolment_promote(c, a, event_id, promoted) < 0 ? -1 : 1;
}

db_res *hold_due(db_conn *c, arena *a, long long now, int max)
{
    return db_select(c, a,
                     "SELECT id FROM registrations WHERE hold_until IS NOT NULL "
                     "AND hold_until <= $1 AND confirmed_at IS NULL "
                     "AND status IN ('aangemeld', 'wachtlijst') ORDER BY hold_until, id LIMIT $2",
                     2, (const char *[]){num(a, now), num(a, max)});
}

int hold_lapse(db_conn *c, arena *a, const char *reg_id, long long now, const char *today,
               long long *promoted)
{
    *promoted = 0;
    db_res *r = db_select(c, a, "SELECT event_id FROM registrations WHERE id = $1", 1,
                          (const char *[]){reg_id});
    if (!r) return -1;
    if (r->nrows != 1) return ENROL_NOT_ACTIVE;
    const char *lock =
        arena_printf(a, "SELECT e.id FROM events e WHERE e.id = $1%s", db_for_update(c, a, "e"));
    if (!db_select(c, a, lock, 1, (const char *[]){db_val(r, 0, "event_id")})) return -1;
    r = db_select(c, a,
                  "SELECT id FROM registrations WHERE id = $1 AND hold_until IS NOT NULL "
                  "AND hold_until <= $2 AND confirmed_at IS NULL "
                  "AND status IN ('aangemeld', 'wachtlijst')",
                  2, (const char *[]){reg_id, num(a, now)});
    if (!r) return -1;
    if (r->nrows != 1) return ENROL_NOT_ACTIVE;
    return enrolment_cancel(c, a, reg_id, today, 0, promoted);
}
