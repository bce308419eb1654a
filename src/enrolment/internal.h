/* internal.h - what the enrolment pages share. Private to src/enrolment/. */
#ifndef KP_ENROLMENT_INTERNAL_H
#define KP_ENROLMENT_INTERNAL_H

#include "app.h"
#include "db/db.h"
#include "http/http.h"
#include "web/page.h"
#include "web/webform.h"

/* The version of /algemene-voorwaarden a paying person accepts. */
#define ENROL_TERMS_VERSION "2026-1"

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
/* A seat freed went to the first on the waiting list (promoted_id; 0:
 * nobody): its audit line (actor, client address, why; the participant,
 * the organisation invoiced and the event set) and enrol_mail_promoted.
 * In the caller's transaction. 0 or -1. */
int enrol_promoted(db_conn *c, arena *a, const app *ap, long long actor, const char *ip,
                   long long promoted_id, const char *why);

/* Queues "Afmelding ontvangen" for registration reg_id (cancel.c): to the
 * participant (when they have an address) and to person by when that is
 * not the participant (whoever cancelled for them). 0 or -1. */
int enrol_mail_cancelled(db_conn *c, arena *a, const app *ap, const char *reg_id, long long by);
/* The calendar files' PRODID, and an event's UID: the same in every file
 * that holds the event (its download, the personal feed, the invitation's
 * attachment), so a calendar app never shows it twice. In arena a. */
#define ENROL_ICS_PRODID "-//Onderwijsgroep Noordwest-Holland//Klantportal//NL"
const char *enrol_event_uid(arena *a, const char *event_id);

/* The Bevestiging page (confirm.c). */
void enrolment_confirm_routes(router *r);
/* The calendar files and the feed's key (calendar.c). */
void enrolment_calendar_routes(router *r);
/* Cursussen: Mijn cursussen, Inschrijven cursussen organisatie, Afmelden
 * (mine.c, maatwerk.c, cancel.c). */
void enrolment_mine_routes(router *r);

/* A bezoeker's sign-up on the enrolment page (signup.c): a form with their
 * data instead of a login. What the page shows again after a POST: */
typedef struct enrol_signup {
    wf_values *v;            /* what was typed, with the messages */
    const char *error;       /* above the form (refused, braked), or NULL */
    const char *terms_error; /* the terms not accepted, or NULL */
    int status;              /* of the page shown again */
} enrol_signup;

/* The number of the sign-up form's fields. */
#define ENROL_SIGNUP_INPUTS 12

/* The sign-up form's inputs, then extra (terminated by a NULL name), into
 * out: the POST route's declared fields. 0, or -1 when cap is too small
 * (the router then refuses to start). */
int enrol_signup_spec(router *r, const field_spec *extra, field_spec *out, size_t cap);

/* Puts the sign-up form for event ev (a row of enrolment_event) into the
 * enrolment page's ctx: its fields with s's values and messages (s NULL:
 * an empty form), the terms when there is a price, the message above the
 * form. Returns 1 when the page title must start "Fout:" and the form's
 * own messages do not already make page_render say so. */
int enrol_signup_put(http_req *rq, tv *ctx, const db_res *ev, const enrol_signup *s);

/* The bezoeker's POST of the enrolment page of *ev (which they may see):
 * checks, brakes, stores the sign-up with its mail in one transaction and
 * answers 303 to the landing page. Returns NULL when it has answered (an
 * error page too), else what to show the page again with; *ev is then the
 * event as it is now. */
enrol_signup *enrol_signup_post(http_req *rq, http_resp *rs, db_res **ev);

/* The landing page after a sign-up and the mailed confirmation link. */
void enrolment_signup_routes(router *r);

#endif
