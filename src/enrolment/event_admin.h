/* event_admin.h - events in the back office (staff only): the list with its
 * filters (/beheer/evenementen), a new event of a course, an event's page
 * with its form (/beheer/evenementen/<id>), deleting one and cancelling
 * one. Private to src/enrolment/: the pages need the seats, the waiting
 * list and the mails, which are this feature's.
 *
 * The store functions run on the caller's connection inside its
 * transaction (a db_tx unit of work, which also writes the audit line and
 * queues the mails); they return 0, one of the EVENT_* refusals (> 0: the
 * caller rolls back and says why), or -1 on a database error. Results in
 * the caller's arena; no state of their own.
 */
#ifndef KP_ENROLMENT_EVENT_ADMIN_H
#define KP_ENROLMENT_EVENT_ADMIN_H

#include "core/nlparse.h"
#include "db/db.h"
#include "db/keyset.h"
#include "http/router.h"

/* Why a change was refused. */
enum {
    EVENT_GONE = 1,    /* the event or its course is not there (any more) */
    EVENT_BELOW_TAKEN, /* the capacity would drop below the seats taken */
    EVENT_IN_USE,      /* delete: it has registrations */
    EVENT_CANCELLED,   /* it is cancelled (already) */
};

/* The most meeting days an event lists (event_dates). */
#define EVENT_MAX_DAYS 60

void enrolment_event_admin_routes(router *r);
/* The list (event_admin_list.c). */
void enrolment_event_list_routes(router *r);
/* Cancelling and deleting (event_admin_cancel.c). */
void enrolment_event_cancel_routes(router *r);

typedef struct event_filter {
    const char *today;     /* 'YYYY-MM-DD' */
    const char *q;         /* words in the event's or the course's name; NULL: all */
    const char *course_id; /* NULL: every course */
    const char *from, *to; /* starts on or after / on or before; NULL: open */
    int past;              /* without from: past events too (else from today on) */
    const char *location;  /* a word in the location; NULL: any */
    const char *cancelled; /* "ja": only cancelled, "nee": none; NULL: both */
    const char *org;       /* "openbaar", or an organisation's maatwerk; NULL: all */
} event_filter;

/* How many events match, counted up to cap; -1 on a database error. */
long long event_admin_count(db_conn *c, arena *a, const event_filter *f, long long cap);
/* One page as k says; columns: id, name, starts_on, ends_on, start_time,
 * location, capacity, seats_taken, cancelled, course_id, course_name,
 * org_name, waiting, open (takes enrolments today) and the keyset's. */
db_res *event_admin_list(db_conn *c, arena *a, const event_filter *f, const db_keyset *k);

/* One event with its course; columns: id, course_id, course_name,
 * course_price_cents, maatwerk_org_id, org_name, name, starts_on, ends_on,
 * start_time, end_time, location, capacity, seats_taken, price_cents,
 * registration_deadline, cancelled, waiting, registrations (every one,
 * cancelled included). With lock, the event's row is locked for the
 * transaction (call it inside one). */
db_res *event_admin_get(db_conn *c, arena *a, const char *id, int lock);
/* Its meeting days (event_dates) by day; columns: day, start_time,
 * end_time. */
db_res *event_admin_days(db_conn *c, arena *a, const char *id);

typedef struct event_in {
    const char *course_id; /* only when adding */
    const char *name, *starts_on, *ends_on, *start_time, *end_time, *location;
    const char *deadline; /* NULL: none */
    long long capacity, price_cents;
    const nl_day *days; /* the meeting days (may be none) */
    int ndays;
} event_in;

/* Adds an event to an existing course (EVENT_GONE otherwise). */
int event_admin_add(db_conn *c, arena *a, const event_in *in, long long *id);
/* Changes the event, which the caller locked (event_admin_get with lock)
 * in this transaction; seats_taken is the locked row's. EVENT_BELOW_TAKEN
 * when the capacity is below it. The meeting days are replaced. Places
 * added are not yet given to the waiting list: the caller does that with
 * enrolment_promote, per seat added, so it can mail and audit each. */
int event_admin_update(db_conn *c, arena *a, const char *id, const event_in *in,
                       long long seats_taken);
/* Deletes an event without registrations (EVENT_IN_USE otherwise) and its
 * meeting days. */
int event_admin_delete(db_conn *c, arena *a, const char *id);

/* The active registrations (aangemeld, verwerkt, wachtlijst) of an event,
 * whom a cancellation concerns; columns: id, status, person_id,
 * enrolled_by, first_name, infix, last_name, email (the participant's, or
 * what a bezoeker typed; may be ""). */
db_res *event_admin_active(db_conn *c, arena *a, const char *id);
/* Cancels the event, which the caller locked: cancelled = 1, every active
 * registration geannuleerd (cancelled_at now), no seat taken any more.
 * EVENT_CANCELLED when it already was. */
int event_admin_cancel(db_conn *c, arena *a, const char *id);

#endif
