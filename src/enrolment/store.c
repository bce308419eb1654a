/* store.c - registrations and seats (see store.h for the rules). */
#include "enrolment/store.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/store.h"
#include "core/timeutil.h"

/* Enrolment is open until the registration deadline (that day included),
 * or, without one, until the day before the event starts: the catalog's
 * rule, so the course pages and the agenda offer Inschrijven exactly when
 * it will be accepted. Today is $2 in every query that uses it. */
#define OPEN_SQL CATALOG_EVENT_OPEN_SQL("$2")

db_res *enrolment_event(db_conn *c, arena *a, const char *event_id, const char *today)
{
    const char *p[] = {event_id, today};
    return db_select(
        c, a,
        "SELECT e.id, e.name, e.starts_on, e.ends_on, e.start_time, e.end_time, e.location, "
        "e.capacity, e.capacity - e.seats_taken AS places, e.price_cents, "
        "e.registration_deadline, e.cancelled, CASE WHEN " OPEN_SQL " THEN 1 ELSE 0 END AS open, "
        "c.id AS course_id, c.name AS course_name, c.slug AS course_slug, c.category_id, "
        "cat.id_path, cat.slug_path, c.maatwerk_org_id, o.name AS maatwerk_org_name, "
        "c.requires_birth_date, (SELECT count(*) FROM registrations w WHERE w.event_id = e.id "
        "AND w.status = 'wachtlijst') AS waiting "
        "FROM events e JOIN courses c ON c.id = e.course_id "
        "LEFT JOIN categories cat ON cat.id = c.category_id "
        "LEFT JOIN organisations o ON o.id = c.maatwerk_org_id "
        "WHERE e.id = $1 AND c.active = 1",
        2, p);
}

int enrolment_may_see(const db_res *ev, long long org_id, int beheerder, int staff)
{
    long long owner = db_int(ev, 0, "maatwerk_org_id");
    if (owner == 0 || staff) return 1;
    return beheerder && org_id == owner;
}

/* Locks the event's row for this transaction and reads what the decision
 * needs; NULL on an error, no rows when there is no such event. */
static db_res *lock_event(db_conn *c, arena *a, const char *event_id, const char *today)
{
    const char *p[] = {event_id, today};
    const char *sql =
        arena_printf(a,
                     "SELECT e.capacity - e.seats_taken AS places, e.price_cents, e.cancelled, "
                     "CASE WHEN " OPEN_SQL " THEN 1 ELSE 0 END AS open, "
                     "(SELECT count(*) FROM registrations w WHERE w.event_id = e.id "
                     "AND w.status = 'wachtlijst') AS waiting FROM events e WHERE e.id = $1%s",
                     db_for_update(c, a, "e"));
    return db_select(c, a, sql, 2, p);
}

static int already_in(db_conn *c, arena *a, const enrol_req *q)
{
    db_res *r;
    if (q->person_id)
        r = db_select(c, a,
                      "SELECT 1 AS x FROM registrations WHERE event_id = $1 AND person_id = $2 "
                      "AND status <> 'geannuleerd'",
                      2, (const char *[]){q->event_id, arena_printf(a, "%lld", q->person_id)});
    else
        r = db_select(c, a,
                      "SELECT 1 AS x FROM registrations WHERE event_id = $1 AND person_id IS NULL "
                      "AND applicant_email = $2 AND status <> 'geannuleerd'",
                      2, (const char *[]){q->event_id, q->applicant->email});
    if (!r) return -1;
    return r->nrows > 0;
}

/* The atomic seat statement: 1 when a seat was taken, 0 when full. */
static int take_seat(db_conn *c, arena *a, const char *event_id)
{
    return db_q(c, a, NULL,
                "UPDATE events SET seats_taken = seats_taken + 1 "
                "WHERE id = $1 AND seats_taken < capacity AND cancelled = 0",
                event_id);
}

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

static const char *opt_num(arena *a, long long v)
{
    return v ? num(a, v) : NULL;
}

static int insert_registration(db_conn *c, arena *a, const enrol_req *q, const char *status,
                               long long price, long long *id)
{
    const enrol_applicant *ap = q->applicant;
    long long now = (long long)clock_now();
    /* a waiting-list place is held too: unconfirmed, it would take the
     * seat it is promoted to without anyone having confirmed the address */
    const char *hold = ap && ap->hold_seconds > 0 ? num(a, now + ap->hold_seconds) : NULL;
    const char *p[] = {
        q->event_id,
        opt_num(a, q->person_id),
        opt_num(a, q->org_id),
        opt_num(a, q->enrolled_by),
        status,
        ap ? "formulier" : "portaal",
        num(a, price),
        q->reference ? q->reference : "",
        q->terms,
        num(a, now),
        ap ? ap->first_name : NULL,
        ap ? ap->infix : NULL,
        ap ? ap->last_name : NULL,
        ap ? ap->email : NULL,
        ap ? ap->street : NULL,
        ap ? ap->house_number : NULL,
        ap ? ap->postcode : NULL,
        ap ? ap->city : NULL,
        ap ? ap->phone : NULL,
        ap ? ap->birth_date : NULL,
        ap ? ap->org_name : NULL,
        ap ? ap->invoice_address : NULL,
        ap ? ap->access_hash : NULL,
        hold,
    };
    db_res *r = db_select(
        c, a,
        "INSERT INTO registrations (event_id, person_id, organisation_id, enrolled_by, status, "
        "source, price_cents, reference, terms_version, created_at, applicant_first_name, "
        "applicant_infix, applicant_last_name, applicant_email, applicant_street, "
        "applicant_house_number, applicant_postcode, applicant_city, applicant_phone, "
        "applicant_birth_date, applicant_org_name, applicant_invoice_address, access_hash, "
        "hold_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING id",
        (int)(sizeof p / sizeof p[0]), p);
    if (!r || r->nrows != 1) return -1;
    *id = db_int(r, 0, "id");
    return 0;
}

static long long waiting_position(db_conn *c, arena *a, const char *event_id, long long id)
{
    db_res *r = db_select(c, a,
                          "SELECT count(*) AS n FROM registrations WHERE event_id = $1 "
                          "AND status = 'wachtlijst' AND id <= $2",
                          2, (const char *[]){event_id, num(a, id)});
    return r ? db_int(r, 0, "n") : -1;
}

int enrolment_enrol(db_conn *c, arena *a, const enrol_req *q, enrol_result *out)
{
    memset(out, 0, sizeof *out);
    db_res *ev = lock_event(c, a, q->event_id, q->today);
    if (!ev) return -1;
    if (ev->nrows != 1 || db_int(ev, 0, "cancelled")) return ENROL_GONE;
    if (!db_int(ev, 0, "open") && !q->any_day) return ENROL_CLOSED;
    int in = already_in(c, a, q);
    if (in != 0) return in < 0 ? -1 : ENROL_TWICE;
    /* nobody jumps the queue: with people waiting, a newcomer waits too */
    int seat = db_int(ev, 0, "waiting") > 0 ? 0 : take_seat(c, a, q->event_id);
    if (seat < 0) return -1;
    if (seat == 0 && !q->waitlist) return ENROL_FULL;
    out->price_cents = db_int(ev, 0, "price_cents");
    if (insert_registration(c, a, q, seat ? "aangemeld" : "wachtlijst", out->price_cents,
                            &out->id) != 0)
        return db_errkind_of(c) == DB_ERR_UNIQUE ? ENROL_TWICE : -1;
    if (!seat) {
        out->waitlisted = 1;
        out->position = waiting_position(c, a, q->event_id, out->id);
        if (out->position < 0) return -1;
    }
    return 0;
}

int enrolment_promote(db_conn *c, arena *a, const char *event_id, long long *promoted)
{
    *promoted = 0;
    /* a bezoeker who has not confirmed the address yet keeps the place in
     * line but is passed over: a seat is never held for a made-up sign-up */
    db_res *w = db_select(c, a,
                          "SELECT id FROM registrations WHERE event_id = $1 "
                          "AND status = 'wachtlijst' "
                          "AND NOT (person_id IS NULL AND confirmed_at IS NULL) "
                          "ORDER BY id LIMIT 1",
                          1, (const char *[]){event_id});
    if (!w) return -1;
    if (w->nrows == 0) return 0;
    int seat = take_seat(c, a, event_id);
    if (seat <= 0) return seat;
    const char *id = db_val(w, 0, "id");
    if (db_q(c, a, NULL,
             "UPDATE registrations SET status = 'aangemeld', hold_until = NULL WHERE id = $1 "
             "AND status = 'wachtlijst'",
             id) != 1)
        return -1;
    *promoted = strtoll(id, NULL, 10);
    return 0;
}

int enrolment_free_seat(db_conn *c, arena *a, const char *event_id, long long *promoted)
{
    *promoted = 0;
    if (db_q(c, a, NULL,
             "UPDATE events SET seats_taken = seats_taken - 1 WHERE id = $1 AND seats_taken > 0",
             event_id) < 0)
        return -1;
    return enrolment_promote(c, a, event_id, promoted);
}

int enrolment_cancel(db_conn *c, arena *a, const char *reg_id, const char *today,
                     int check_deadline, long long *promoted)
{
    *promoted = 0;
    db_res *r = db_select(c, a, "SELECT event_id, status FROM registrations WHERE id = $1", 1,
                          (const char *[]){reg_id});
    if (!r) return -1;
    if (r->nrows != 1) return ENROL_NOT_ACTIVE;
    const char *event_id = db_val(r, 0, "event_id");
    db_res *ev = lock_event(c, a, event_id, today);
    if (!ev) return -1;
    /* read again under the event's lock: another cancel may have won */
    r = db_select(c, a, "SELECT status FROM registrations WHERE id = $1", 1,
                  (const char *[]){reg_id});
    if (!r) return -1;
    if (r->nrows != 1) return ENROL_NOT_ACTIVE;
    const char *status = db_val(r, 0, "status");
    if (strcmp(status, "geannuleerd") == 0) return ENROL_NOT_ACTIVE;
    if (check_deadline && !db_int(ev, 0, "open")) return ENROL_CLOSED;
    if (db_q(c, a, NULL,
             "UPDATE registrations SET status = 'geannuleerd', cancelled_at = $2, "
             "hold_until = NULL WHERE id = $1",
             reg_id, num(a, (long long)clock_now())) != 1)
        return -1;
    if (strcmp(status, "wachtlijst") == 0) return 0;
    return enrolment_free_seat(c, a, event_id, promoted);
}

/* Is the registration's participant (a bezoeker: the address) active in
 * the event already? 1, 0 or -1. */
static int in_event(db_conn *c, arena *a, const char *reg_id, const char *event_id)
{
    db_res *r = db_select(
        c, a,
        "SELECT 1 AS x FROM registrations o JOIN registrations r ON r.id = $1 "
        "WHERE o.event_id = $2 AND o.status <> 'geannuleerd' AND ((r.person_id IS NOT NULL AND "
        "o.person_id = r.person_id) OR (r.person_id IS NULL AND o.person_id IS NULL AND "
        "o.applicant_email = r.applicant_email))",
        2, (const char *[]){reg_id, event_id});
    return r ? r->nrows > 0 : -1;
}

/* The registration in the new event: the participant, invoice party,
 * price, reference and a bezoeker's data carried over; processed only
 * when it keeps a seat as verwerkt. The old row gave up its link hashes
 * first (they are unique). */
static int insert_moved(db_conn *c, arena *a, const char *reg_id, const char *to_event,
                        const char *status, const db_res *old, long long *id)
{
    int keep = strcmp(status, "verwerkt") == 0;
    const char *p[] = {reg_id,
                       to_event,
                       status,
                       num(a, (long long)clock_now()),
                       keep ? "1" : "0",
                       db_val(old, 0, "access_hash"),
                       db_val(old, 0, "confirm_hash")};
    db_res *r = db_select(
        c, a,
        "INSERT INTO registrations (event_id, person_id, organisation_id, enrolled_by, status, "
        "source, price_cents, reference, terms_version, created_at, applicant_first_name, "
        "applicant_infix, applicant_last_name, applicant_email, applicant_street, "
        "applicant_house_number, applicant_postcode, applicant_city, applicant_phone, "
        "applicant_birth_date, applicant_org_name, applicant_invoice_address, hold_until, "
        "confirmed_at, access_hash, confirm_hash, confirmation_sent, processed_at, moved_from) "
        "SELECT $2, person_id, organisation_id, enrolled_by, $3, source, price_cents, reference, "
        "terms_version, $4, applicant_first_name, applicant_infix, applicant_last_name, "
        "applicant_email, applicant_street, applicant_house_number, applicant_postcode, "
        "applicant_city, applicant_phone, applicant_birth_date, applicant_org_name, "
        "applicant_invoice_address, hold_until, confirmed_at, $6, $7, "
        "CASE WHEN $5 = '1' THEN confirmation_sent ELSE 0 END, "
        "CASE WHEN $5 = '1' THEN processed_at END, id FROM registrations WHERE id = $1 "
        "RETURNING id",
        (int)(sizeof p / sizeof p[0]), p);
    if (!r || r->nrows != 1) return db_errkind_of(c) == DB_ERR_UNIQUE ? ENROL_TWICE : -1;
    *id = db_int(r, 0, "id");
    return 0;
}

int enrolment_move(db_conn *c, arena *a, const char *reg_id, const char *to_event, int waitlist,
                   enrol_move *out)
{
    memset(out, 0, sizeof *out);
    db_res *r = db_select(c, a, "SELECT event_id FROM registrations WHERE id = $1", 1,
                          (const char *[]){reg_id});
    if (!r) return -1;
    if (r->nrows != 1) return ENROL_NOT_ACTIVE;
    const char *from = db_val(r, 0, "event_id"), *today = date_today_plus(a, 0);
    long long from_id = strtoll(from, NULL, 10), to_id = strtoll(to_event, NULL, 10);
    if (from_id == to_id) return ENROL_TWICE;
    db_res *first = lock_event(c, a, from_id < to_id ? from : to_event, today);
    db_res *second = first ? lock_event(c, a, from_id < to_id ? to_event : from, today) : NULL;
    if (!second) return -1;
    db_res *to = from_id < to_id ? second : first;
    if (to->nrows != 1 || db_int(to, 0, "cancelled")) return ENROL_GONE;
    /* read again under the locks: a cancel or another move may have won */
    r = db_select(c, a,
                  "SELECT event_id, status, access_hash, confirm_hash FROM registrations "
                  "WHERE id = $1",
                  1, (const char *[]){reg_id});
    if (!r) return -1;
    if (r->nrows != 1 || strcmp(db_val(r, 0, "event_id"), from) != 0 ||
        strcmp(db_val(r, 0, "status"), "geannuleerd") == 0)
        return ENROL_NOT_ACTIVE;
    out->from_event = from;
    out->old_status = db_val(r, 0, "status");
    int in = in_event(c, a, reg_id, to_event);
    if (in != 0) return in < 0 ? -1 : ENROL_TWICE;
    /* nobody jumps the new event's queue either */
    int seat = db_int(to, 0, "waiting") > 0 ? 0 : take_seat(c, a, to_event);
    if (seat < 0) return -1;
    if (seat == 0 && !waitlist) return ENROL_FULL;
    out->new_status = !seat                                      ? "wachtlijst"
                      : strcmp(out->old_status, "verwerkt") == 0 ? "verwerkt"
                                                                 : "aangemeld";
    if (db_q(c, a, NULL,
             "UPDATE registrations SET status = 'geannuleerd', cancelled_at = $2, "
             "hold_until = NULL, access_hash = NULL, confirm_hash = NULL WHERE id = $1",
             reg_id, num(a, (long long)clock_now())) != 1)
        return -1;
    int rc = insert_moved(c, a, reg_id, to_event, out->new_status, r, &out->id);
    if (rc != 0) return rc;
    if (!seat) {
        out->position = waiting_position(c, a, to_event, out->id);
        if (out->position < 0) return -1;
    }
    if (strcmp(out->old_status, "wachtlijst") == 0) return 0;
    return enrolment_free_seat(c, a, from, &out->promoted);
}

db_res *enrolment_registration(db_conn *c, arena *a, const char *reg_id)
{
    return db_select(
        c, a,
        "SELECT r.id, r.event_id, r.person_id, r.organisation_id, r.enrolled_by, r.status, "
        "r.price_cents, r.reference, r.created_at, "
        "CASE WHEN r.status = 'wachtlijst' THEN (SELECT count(*) FROM registrations w "
        "WHERE w.event_id = r.event_id AND w.status = 'wachtlijst' AND w.id <= r.id) "
        "ELSE 0 END AS position, "
        "COALESCE(p.first_name, r.applicant_first_name) AS first_name, "
        "COALESCE(p.infix, r.applicant_infix) AS infix, "
        "COALESCE(p.last_name, r.applicant_last_name) AS last_name, "
        "COALESCE(p.email, r.applicant_email) AS email, o.name AS org_name, "
        "e.name AS event_name, e.starts_on, e.ends_on, e.start_time, e.end_time, e.location, "
        "e.capacity - e.seats_taken AS places, e.registration_deadline, "
        "c.name AS course_name, c.maatwerk_org_id "
        "FROM registrations r JOIN events e ON e.id = r.event_id "
        "JOIN courses c ON c.id = e.course_id "
        "LEFT JOIN persons p ON p.id = r.person_id "
        "LEFT JOIN organisations o ON o.id = r.organisation_id WHERE r.id = $1",
        1, (const char *[]){reg_id});
}

int enrolment_may_view(const db_res *reg, long long person_id, long long org_id, int beheerder)
{
    if (person_id == 0) return 0;
    if (db_int(reg, 0, "person_id") == person_id || db_int(reg, 0, "enrolled_by") == person_id)
        return 1;
    long long inv = db_int(reg, 0, "organisation_id");
    return beheerder && inv != 0 && inv == org_id;
}

db_res *enrolment_person(db_conn *c, arena *a, long long person_id, long long org_id)
{
    const char *id = num(a, person_id);
    if (org_id == 0)
        return db_select(c, a,
                         "SELECT id, first_name, infix, last_name, email, street, house_number, "
                         "postcode, city, birth_date, is_staff FROM persons WHERE id = $1",
                         1, (const char *[]){id});
    /* the organisation knows its contact by the name its beheerder typed */
    return db_select(
        c, a,
        "SELECT p.id, CASE WHEN m.contact_last_name <> '' THEN m.contact_first_name "
        "ELSE p.first_name END AS first_name, CASE WHEN m.contact_last_name <> '' THEN "
        "m.contact_infix ELSE p.infix END AS infix, CASE WHEN m.contact_last_name <> '' THEN "
        "m.contact_last_name ELSE p.last_name END AS last_name, "
        "CASE WHEN p.email <> '' THEN p.email ELSE m.contact_email END AS email, "
        "p.street, p.house_number, p.postcode, p.city, p.birth_date "
        "FROM persons p JOIN memberships m ON m.person_id = p.id "
        "WHERE p.id = $1 AND m.organisation_id = $2 AND m.active = 1",
        2, (const char *[]){id, num(a, org_id)});
}

db_res *enrolment_beheerders(db_conn *c, arena *a, long long org_id)
{
    return db_select(c, a,
                     "SELECT p.id AS person_id, p.first_name, p.infix, p.last_name, p.email "
                     "FROM memberships m JOIN persons p ON p.id = m.person_id "
                     "WHERE m.organisation_id = $1 AND m.active = 1 AND m.role = 'beheerder' "
                     "AND p.email <> '' ORDER BY p.id",
                     1, (const char *[]){num(a, org_id)});
}

int enrolment_participates(db_conn *c, arena *a, const char *event_id, long long person_id)
{
    db_res *r = db_select(c, a,
                          "SELECT 1 AS x FROM registrations WHERE event_id = $1 AND person_id = $2 "
                          "AND status <> 'geannuleerd'",
                          2, (const char *[]){event_id, num(a, person_id)});
    return r ? r->nrows > 0 : -1;
}

db_res *enrolment_feed(db_conn *c, arena *a, long long person_id)
{
    return db_select(c, a,
                     "SELECT r.id, r.status, e.id AS event_id, e.name AS event_name, e.starts_on, "
                     "e.ends_on, e.start_time, e.end_time, e.location, e.cancelled, "
                     "c.name AS course_name FROM registrations r "
                     "JOIN events e ON e.id = r.event_id JOIN courses c ON c.id = e.course_id "
                     "WHERE r.person_id = $1 AND r.status <> 'geannuleerd' "
                     "ORDER BY e.starts_on, r.id",
                     1, (const char *[]){num(a, person_id)});
}

int enrolment_calendar_key_set(db_conn *c, arena *a, long long person_id, const char *key_hash)
{
    return db_q(c, a, NULL,
                "INSERT INTO calendar_keys (person_id, key_hash, created_at) VALUES ($1, $2, $3) "
                "ON CONFLICT (person_id) DO UPDATE SET key_hash = excluded.key_hash, "
                "created_at = excluded.created_at",
                num(a, person_id), key_hash, num(a, (long long)clock_now())) == 1
               ? 0
               : -1;
}

long long enrolment_calendar_person(db_conn *c, arena *a, const char *key_hash)
{
    db_res *r = db_select(c, a, "SELECT person_id FROM calendar_keys WHERE key_hash = $1", 1,
                          (const char *[]){key_hash});
    if (!r) return -1;
    return r->nrows ? db_int(r, 0, "person_id") : 0;
}

long long enrolment_calendar_made(db_conn *c, arena *a, long long person_id)
{
    db_res *r = db_select(c, a, "SELECT created_at FROM calendar_keys WHERE person_id = $1", 1,
                          (const char *[]){num(a, person_id)});
    if (!r) return -1;
    return r->nrows ? db_int(r, 0, "created_at") : 0;
}

int enrolment_calendar_key_delete(db_conn *c, arena *a, long long person_id)
{
    return db_q(c, a, NULL, "DELETE FROM calendar_keys WHERE person_id = $1", num(a, person_id)) < 0
               ? -1
               : 0;
}
