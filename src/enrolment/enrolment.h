/* enrolment.h - Inschrijven: the enrolment page of an event, the
 * Bevestiging after it, and what follows from a registration (mails, the
 * seat, the waiting list). The three ways to enrol follow from the context
 * chosen now: as person (the person is invoiced), as medewerker (the
 * organisation is invoiced) and as beheerder (colleagues too, invoiced to
 * the organisation). Every query is scoped by the session's person and
 * organisation; an id from the request is only looked for among those. */
#ifndef KP_ENROLMENT_H
#define KP_ENROLMENT_H

#include <stddef.h>

#include "db/db.h"
#include "http/router.h"

void enrolment_routes(router *r);
/* The administratie's registrations: the queue /beheer/inschrijvingen,
 * one registration's page and its actions, enrolling anyone (staff only;
 * admin_queue*.c). */
void enrolment_queue_routes(router *r);

/* How often the job below runs: a hold lapses at most this much late. */
#define ENROLMENT_LAPSE_INTERVAL_SECONDS 300

/* The periodic background job (jobs.h's job_fn; ctx is the app) that lets
 * a bezoeker's unconfirmed sign-up lapse once its hold ran out: the
 * registration is cancelled, its seat freed and given to the first on the
 * waiting list, who is mailed. Each in a transaction of its own. */
int enrolment_lapse_job(db_conn *c, arena *a, const char *payload, void *ctx, char *err,
                        size_t errlen);

#endif
