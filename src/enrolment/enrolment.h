/* enrolment.h - Inschrijven: the enrolment page of an event, the
 * Bevestiging after it, and what follows from a registration (mails, the
 * seat, the waiting list). The three ways to enrol follow from the context
 * chosen now: as person (the person is invoiced), as medewerker (the
 * organisation is invoiced) and as beheerder (colleagues too, invoiced to
 * the organisation). Every query is scoped by the session's person and
 * organisation; an id from the request is only looked for among those. */
#ifndef KP_ENROLMENT_H
#define KP_ENROLMENT_H

#include "http/router.h"

void enrolment_routes(router *r);

#endif
