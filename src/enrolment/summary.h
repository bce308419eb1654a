/* summary.h - what the back office's start page shows of registrations and
 * events: the work waiting and the week ahead. Read-only queries on the
 * caller's connection; results in the caller's arena. NULL or -1 on a
 * database error. */
#ifndef KP_ENROLMENT_SUMMARY_H
#define KP_ENROLMENT_SUMMARY_H

#include "db/db.h"

typedef struct enrolment_todo {
    long long to_process;  /* aangemeld, by a person or a confirmed sign-up */
    long long unconfirmed; /* a bezoeker's sign-up still waiting for its confirmation */
    long long waiting;     /* on a waiting list of an event not yet begun */
} enrolment_todo;

int enrolment_todo_counts(db_conn *c, arena *a, const char *today, enrolment_todo *out);
/* Events not cancelled that start from `from` up to and including `to`:
 * id, name, course_name, starts_on, start_time, location, capacity,
 * seats_taken, waiting (count on the waiting list); soonest first, at most
 * 100. */
db_res *enrolment_events_between(db_conn *c, arena *a, const char *from, const char *to);
/* Upcoming events with people on their waiting list: the same columns,
 * most waiting first, at most 50. */
db_res *enrolment_waiting_lists(db_conn *c, arena *a, const char *today);

#endif
