/* internal.h - what the enrolment pages share. Private to src/enrolment/. */
#ifndef KP_ENROLMENT_INTERNAL_H
#define KP_ENROLMENT_INTERNAL_H

#include "app.h"
#include "db/db.h"
#include "http/http.h"
#include "web/page.h"

/* "maandag 5 maart 2027" or "5 maart t/m 9 maart 2027", with the times
 * when known ("09:00 - 16:30 uur"). In arena a. */
const char *enrol_when(arena *a, const char *starts_on, const char *ends_on, const char *start_time,
                       const char *end_time);
/* "3 beschikbare plaatsen", "1 beschikbare plaats", "Vol". */
const char *enrol_places_text(arena *a, long long places);
/* "€ 95,00 (inclusief btw)" or "Geen kosten". */
const char *enrol_price_text(arena *a, long long cents);

/* The page's context with the breadcrumbs of an event (a row of
 * enrolment_event): a public course's Home » Ons aanbod » … » course »
 * last; a maatwerk course's Home » Cursussen » <course> » last. Sets
 * "course" (the heading), "event", "when", "places_text", "ics_href". */
tv *enrol_event_ctx(http_req *rq, const db_res *ev, const char *last);

/* Who a registration's mails are about and to. */
typedef struct enrol_notice {
    long long reg_id;
    const db_res *ev;     /* the event (enrolment_event) */
    const db_res *part;   /* the participant (enrolment_person) */
    long long org_id;     /* invoiced organisation, 0: the person */
    const char *org_name; /* its name, or NULL */
    long long by_id;      /* who enrolled */
    const db_res *by;     /* their row (enrolment_person), may equal part */
    int by_beheerder;     /* enrolled as beheerder of org_id */
    int waitlisted;       /* a waiting-list place */
    long long position;   /* on the waiting list */
    long long price_cents;
} enrol_notice;

/* Queues "Inschrijving ontvangen" (or "Plaats op de wachtlijst") in the
 * caller's transaction: to the participant (when they have an address;
 * else to whoever enrolled them), to the beheerder who enrolled a
 * colleague, and, when a medewerker enrolled themself at the
 * organisation's expense, to its beheerders. 0 or -1. */
int enrol_mail_received(db_conn *c, arena *a, const app *ap, const enrol_notice *n);

/* Queues "U bent ingeschreven" to the first on a waiting list who got the
 * freed seat (registration promoted_id) and to the beheerder who enrolled
 * them. 0 or -1. */
int enrol_mail_promoted(db_conn *c, arena *a, const app *ap, long long promoted_id);

/* The Bevestiging page (confirm.c). */
void enrolment_confirm_routes(router *r);
/* The calendar files and the feed's key (calendar.c). */
void enrolment_calendar_routes(router *r);
/* Cursussen: Mijn cursussen, Inschrijven cursussen organisatie, Afmelden
 * (mine.c, maatwerk.c, cancel.c). */
void enrolment_mine_routes(router *r);

#endif
