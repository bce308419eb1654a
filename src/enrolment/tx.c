/* tx.c - one enrolment as one transaction (see tx.h). */
#include "enrolment/tx.h"

#include "auth/audit.h"
#include "enrolment/internal.h"

int enrolment_store(db_conn *c, arena *a, void *arg)
{
    enrol_unit *t = arg;
    const enrol_req *q = &t->q;
    int rc = enrolment_enrol(c, a, q, &t->res);
    if (rc != 0) return rc;
    const char *detail =
        arena_printf(a, "evenement %s, deelnemer %lld, factuur aan %s%s", q->event_id, q->person_id,
                     q->org_id ? arena_printf(a, "organisatie %lld", q->org_id) : "persoon",
                     t->res.waitlisted ? ", wachtlijst" : "");
    if (audit_log(c, a, q->enrolled_by, t->client_ip,
                  t->res.waitlisted ? "inschrijving_wachtlijst" : "inschrijving",
                  arena_printf(a, "%lld", t->res.id), detail) != 0)
        return -1;
    enrol_notice n = {
        .reg_id = t->res.id,
        .ev = t->ev,
        .part = t->part,
        .org_id = q->org_id,
        .org_name = t->org_name,
        .by_id = q->enrolled_by,
        .by = t->by,
        .by_beheerder = t->by_beheerder,
        .waitlisted = t->res.waitlisted,
        .position = t->res.position,
        .price_cents = t->res.price_cents,
    };
    return enrol_mail_received(c, a, t->ap, &n);
}
