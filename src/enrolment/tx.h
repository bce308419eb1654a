/* tx.h - one enrolment of a logged-in person as one unit of work: the
 * registration (a seat or a waiting-list place, store.h), its audit line
 * and its mails, committed together or not at all. The enrolment page runs
 * it in db_tx after reading the event and the persons; the benchmark runs
 * the same unit without HTTP around it to measure its raw rate. */
#ifndef KP_ENROLMENT_TX_H
#define KP_ENROLMENT_TX_H

#include "db/db.h"
#include "enrolment/store.h"

struct app;

typedef struct enrol_unit {
    enrol_req q;           /* what to store; q.enrolled_by is the actor */
    const db_res *ev;      /* the event (enrolment_event), for the mails */
    const db_res *part;    /* the participant (enrolment_person) */
    const db_res *by;      /* who enrolled (enrolment_person), may be part */
    const char *org_name;  /* the invoiced organisation (q.org_id), or NULL */
    int by_beheerder;      /* enrolled as a beheerder of q.org_id */
    const char *client_ip; /* for the audit line */
    const struct app *ap;  /* the mail templates and the site's address */
    enrol_result res;      /* out: the registration stored */
} enrol_unit;

/* A db_tx unit of work; arg is an enrol_unit. Returns 0 (stored: commit),
 * one of the ENROL_* refusals (> 0: roll back) or -1 on a database error.
 * Everything it allocates lives in arena a; it keeps no state between
 * calls, so threads may run it at once, each on its own connection. */
int enrolment_store(db_conn *c, arena *a, void *arg);

#endif
