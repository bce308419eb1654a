/* admin_event_participants.h - the back office's participants of one
 * event, /beheer/evenementen/<id>/deelnemers: the list (and its CSV),
 * Uitnodiging versturen (an email with the event's calendar file) and one
 * form for Resultaat and Gevolgd of every participant. Staff only
 * (RF_STAFF): staff act for no organisation, so nothing here is scoped by
 * one; every id comes from the path or is looked for among the event's
 * own registrations. Private to src/enrolment/.
 *
 * The queries run on the caller's connection (the writes inside its
 * db_tx) and return rows in the caller's arena, NULL or -1 on a database
 * error. */
#ifndef KP_ENROLMENT_ADMIN_EVENT_PARTICIPANTS_H
#define KP_ENROLMENT_ADMIN_EVENT_PARTICIPANTS_H

#include "db/db.h"
#include "http/http.h"
#include "http/router.h"
#include "web/tmpl.h"

/* Most registrations one form takes: the results form sends two fields
 * a row (Resultaat, Gevolgd), well within the FORM_MANY_FIELDS of its
 * route (RF_MANY_FIELDS). */
#define PARTICIPANTS_FORM_MAX 300

/* The Resultaat values, in the order the select offers them; "" (shown
 * as "—") is nothing recorded. Certificates and reports read these exact
 * words, so they are fixed, never typed. NULL-terminated. */
extern const char *const participants_results[];
/* 1 when v is one of participants_results. */
int participants_result_valid(const char *v);

/* The event's heading: id, name, course_name, starts_on, ends_on,
 * start_time, end_time, location, capacity, seats_taken, cancelled,
 * waiting (how many on its waiting list). Any event; no row: 404. */
db_res *participants_event(db_conn *c, arena *a, const char *event_id);

/* The event's registrations that are not cancelled: first those holding a
 * seat (aangemeld, verwerkt) by name, then the waiting list in its order.
 * Columns: id, status, person_id, first_name, infix, last_name, email
 * (the person's, or what a bezoeker typed), org_name (invoiced to it; for
 * a bezoeker what they typed; NULL: the person pays), confirmed (0 for a
 * bezoeker's sign-up whose address is not confirmed yet),
 * confirmation_sent, invitation_sent, result, attended, position (on the
 * waiting list, else 0). */
db_res *participants_rows(db_conn *c, arena *a, const char *event_id);

/* Who gets the invitation: the event's processed registrations (status
 * verwerkt) among ids (n of them), or, with n == 0, those not invited
 * yet. Columns: id, person_id, first_name, infix, last_name, email,
 * invitation_sent, enrolled_by, by_first_name, by_infix, by_last_name, by_email (who
 * enrolled them, for a participant without an address). */
db_res *participants_invitees(db_conn *c, arena *a, const char *event_id, const char *const *ids,
                              int n);

/* The event's registrations holding a seat among ids (n of them): id,
 * person_id, first_name, infix, last_name, result, attended. Locks them
 * for the caller's transaction. */
db_res *participants_for_results(db_conn *c, arena *a, const char *event_id, const char *const *ids,
                                 int n);

/* Writes in the caller's transaction; 0 or -1. */
int participants_mark_invited(db_conn *c, arena *a, const char *reg_id);
int participants_set_result(db_conn *c, arena *a, const char *reg_id, const char *result,
                            int attended);

/* The path parameter :id when it is an id, else NULL (the caller: 404). */
const char *participants_event_id(http_req *rq);

/* Uitnodiging versturen and the results form (their POST handlers). */
void participants_invite_post(http_req *rq, http_resp *rs);
void participants_results_post(http_req *rq, http_resp *rs);

/* The page again, with a message above the form (a refused results
 * form: 422, nothing stored). */
void participants_page(http_req *rq, http_resp *rs, const char *error, int status);

/* Registers the routes above (admin_event_participants.c). */
void enrolment_participants_routes(router *r);

#endif
