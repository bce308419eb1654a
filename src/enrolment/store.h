/* store.h - registrations: who takes which seat of which event, for whose
 * invoice. The one place that writes registrations and events.seats_taken.
 *
 * Seats: events.seats_taken counts the registrations that hold a seat
 * (aangemeld, verwerkt). A seat is taken with the single statement
 *   UPDATE events SET seats_taken = seats_taken + 1
 *   WHERE id = $1 AND seats_taken < capacity AND cancelled = 0
 * inside the transaction that stores the registration: atomic on SQLite
 * (one writer) and on PostgreSQL (the row lock is held until commit, the
 * condition is checked again after waiting for it), so an event never has
 * more registrations than places, whatever the number of servers. Every
 * transaction here locks the event's row first, so the decision "full:
 * waiting list" and "a seat freed: promote the first in line" never pass
 * each other.
 *
 * The functions that write run on the caller's connection inside its
 * transaction (call them from a db_tx unit of work); they return 0, one of
 * the ENROL_* refusals (> 0: the caller rolls back), or -1 on a database
 * error (kept on the connection). Results live in the caller's arena.
 * Thread-safety: none of their own; one connection per thread. */
#ifndef KP_ENROLMENT_STORE_H
#define KP_ENROLMENT_STORE_H

#include "db/db.h"

/* Why an enrolment was not stored. */
enum {
    ENROL_FULL = 1,   /* no seat, and no waiting-list place asked for */
    ENROL_TWICE,      /* this person (or address) is already in this event */
    ENROL_CLOSED,     /* past the registration deadline, or the event began */
    ENROL_GONE,       /* no such event, or cancelled */
    ENROL_NOT_ACTIVE, /* cancelling: the registration is not active (any more) */
};

/* The event's facts for enrolment; columns: id, name, starts_on, ends_on,
 * start_time, end_time, location, capacity, places, price_cents,
 * registration_deadline, cancelled, open (1 while enrolment is open today),
 * course_id, course_name, course_slug, category_id, id_path, slug_path,
 * maatwerk_org_id, maatwerk_org_name, requires_birth_date, waiting (how
 * many are on its waiting list). Any event, maatwerk included: the caller
 * decides who may see it (enrolment_may_see). */
db_res *enrolment_event(db_conn *c, arena *a, const char *event_id, const char *today);

/* May this viewer see the event (a row of enrolment_event)? Public events:
 * everyone. Maatwerk: the owning organisation's beheerders acting for it,
 * and staff. (A participant sees their own registration's event through
 * enrolment_registration, not through this.) */
int enrolment_may_see(const db_res *ev, long long org_id, int beheerder, int staff);

/* What a bezoeker typed (a public sign-up); all in normal form. */
typedef struct enrol_applicant {
    const char *first_name, *infix, *last_name, *email;
    const char *street, *house_number, *postcode, *city, *phone, *birth_date;
    const char *org_name, *invoice_address; /* may be NULL */
    const char *access_hash;                /* SHA-256 (hex) of the landing page's key */
    long long hold_seconds;                 /* the seat lapses unless confirmed in time */
} enrol_applicant;

typedef struct enrol_req {
    const char *event_id;
    long long person_id;   /* the participant; 0 for a bezoeker (applicant set) */
    long long org_id;      /* invoice to this organisation; 0: to the person */
    long long enrolled_by; /* who clicked; 0 for a bezoeker */
    const char *reference; /* Referentie / inkoopnummer, may be NULL */
    const char *terms;     /* the terms version accepted, or NULL */
    int waitlist;          /* when full, take a place on the waiting list */
    int any_day;           /* the administratie: also when enrolment is closed */
    const char *today;     /* 'YYYY-MM-DD' */
    const enrol_applicant *applicant;
} enrol_req;

typedef struct enrol_result {
    long long id;       /* the registration */
    int waitlisted;     /* 1: a waiting-list place */
    long long position; /* its place on the waiting list (1 = next) */
    long long price_cents;
} enrol_result;

/* Stores the registration: locks the event, checks it is open, refuses a
 * second registration of the same person (or address), takes a seat with
 * the atomic statement or a waiting-list place, inserts the registration
 * (status aangemeld or wachtlijst) with the event's price. A race the
 * check missed ends on the unique index and is reported as ENROL_TWICE. */
int enrolment_enrol(db_conn *c, arena *a, const enrol_req *q, enrol_result *out);

/* When the event has a free seat, it goes to the first on the waiting
 * list whose registration may hold one (a bezoeker's sign-up only once its
 * address is confirmed), which becomes aangemeld. The event must already
 * be locked by this transaction. *promoted gets the promoted
 * registration's id, or 0. A change that adds seats (a larger capacity)
 * calls it once per seat added. */
int enrolment_promote(db_conn *c, arena *a, const char *event_id, long long *promoted);

/* A registration freed its seat (cancelled, lapsed): one seat less taken,
 * then enrolment_promote. */
int enrolment_free_seat(db_conn *c, arena *a, const char *event_id, long long *promoted);

/* Cancels an active registration (aangemeld, verwerkt, wachtlijst):
 * locks the event, marks the registration geannuleerd, frees its seat and
 * promotes the first on the waiting list (*promoted, or 0). With
 * check_deadline, refuses ENROL_CLOSED after the registration deadline.
 * ENROL_NOT_ACTIVE when it is not active. */
int enrolment_cancel(db_conn *c, arena *a, const char *reg_id, const char *today,
                     int check_deadline, long long *promoted);

/* What enrolment_move did. */
typedef struct enrol_move {
    long long id;           /* the registration in the new event */
    const char *from_event; /* the event it left */
    const char *old_status; /* its status there */
    const char *new_status; /* aangemeld / verwerkt with a seat, or wachtlijst */
    long long position;     /* its place on the new waiting list, or 0 */
    long long promoted;     /* who got the seat it freed in the old event, or 0 */
} enrol_move;

/* Moves an active registration to another event (the administratie). The
 * registration ends in the old event (geannuleerd, its seat freed and
 * given to the first on that waiting list: *promoted) and a new one is
 * made in the new event with the same participant, invoice party, price,
 * reference and a bezoeker's data, its moved_from pointing back: a new
 * row, so on a waiting list it joins at the back of the line like anyone.
 * It takes a seat there with the atomic statement (aangemeld; verwerkt
 * stays verwerkt) or, with waitlist, a waiting-list place. Both events are
 * locked, lower id first, so two moves between the same events never wait
 * on each other crosswise. Refuses ENROL_NOT_ACTIVE (cancelled, not
 * found), ENROL_GONE (target cancelled or missing), ENROL_TWICE (the
 * participant or address is in it already, or it is the same event) and
 * ENROL_FULL (no seat or people waiting, and no waitlist). A closed or past
 * target is allowed. In the caller's transaction. */
int enrolment_move(db_conn *c, arena *a, const char *reg_id, const char *to_event, int waitlist,
                   enrol_move *out);

/* One registration with its event and course; columns: id, event_id,
 * person_id, organisation_id, enrolled_by, status, price_cents, reference,
 * created_at, position (waiting list), participant's first_name, infix,
 * last_name, email, org_name, event_name, starts_on, ends_on, start_time,
 * end_time, location, places, registration_deadline, course_name,
 * maatwerk_org_id. */
db_res *enrolment_registration(db_conn *c, arena *a, const char *reg_id);

/* Is a registration row (enrolment_registration) this viewer's to see?
 * Its participant, whoever enrolled it, or a beheerder acting for the
 * organisation it is invoiced to. */
int enrolment_may_view(const db_res *reg, long long person_id, long long org_id, int beheerder);

/* The person's facts the enrolment page needs; columns: id, first_name,
 * infix, last_name, email, street, house_number, postcode, city,
 * birth_date. For a person of an organisation (org_id > 0) only when they
 * are an active member of it; the name is then the one the organisation
 * knows. */
db_res *enrolment_person(db_conn *c, arena *a, long long person_id, long long org_id);

/* The organisation's beheerders (active); columns: person_id, first_name,
 * infix, last_name, email. */
db_res *enrolment_beheerders(db_conn *c, arena *a, long long org_id);

/* Does the person hold an active registration (any status but
 * geannuleerd) in the event? 1, 0, or -1 on an error. A participant
 * always sees their own registration's event, maatwerk or not. */
int enrolment_participates(db_conn *c, arena *a, const char *event_id, long long person_id);

/* The person's own active registrations for their calendar, by start
 * date; columns: id, status, event_id, event_name, starts_on, ends_on,
 * start_time, end_time, location, course_name, cancelled (the event). */
db_res *enrolment_feed(db_conn *c, arena *a, long long person_id);

/* The calendar feed's key, stored only as its SHA-256 (key_hash, hex):
 * set (made or replaced) for a person in the caller's transaction; the
 * person whose key has this hash (0: none, -1: error); when the person's
 * key was made (0: none, -1: error); removed. */
int enrolment_calendar_key_set(db_conn *c, arena *a, long long person_id, const char *key_hash);
long long enrolment_calendar_person(db_conn *c, arena *a, const char *key_hash);
long long enrolment_calendar_made(db_conn *c, arena *a, long long person_id);
int enrolment_calendar_key_delete(db_conn *c, arena *a, long long person_id);

#endif
