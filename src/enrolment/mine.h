/* mine.h - Cursussen under Mijn Onderwijsgroep: the tab Mijn cursussen
 * (the person's own registrations, and for a beheerder the organisation's
 * enrolments), the tab Inschrijven cursussen organisatie (the maatwerk
 * events of the organisation acted for) and Afmelden. Private to
 * src/enrolment/.
 *
 * The queries read on the caller's connection and return rows in the
 * caller's arena, or NULL on a database error. They are scoped by the ids
 * the caller takes from the session, never from the request. */
#ifndef KP_ENROLMENT_MINE_H
#define KP_ENROLMENT_MINE_H

#include "db/db.h"
#include "db/keyset.h"
#include "http/http.h"
#include "web/tmpl.h"

/* Most registrations one Afmelden takes (a form carries at most 64 fields). */
#define MINE_MAX_SELECTED 60
/* Most rows of the organisation's enrolments shown at once. */
#define MINE_ORG_ROWS 200

/* The person's own registrations as participant, in every context, not
 * cancelled: upcoming (not yet ended on today) first, soonest first, then
 * the past, most recent first. Columns: id, status, position (on the
 * waiting list, else 0), confirmation_sent, invitation_sent, result,
 * attended, event_name, event_cancelled, starts_on, location,
 * course_name. */
db_res *mine_own(db_conn *c, arena *a, long long person_id, const char *today);

/* The registrations invoiced to the organisation, not cancelled, of events
 * not yet ended, soonest first; at most limit + 1 rows (one more says
 * there are more). Columns: id, status, position, first_name, infix,
 * last_name (the participant as the organisation knows them), event_name,
 * starts_on, location, course_name. */
db_res *mine_org(db_conn *c, arena *a, long long org_id, const char *today, int limit);

/* The active registrations among ids (n of them, distinct) that this
 * viewer may cancel: the person's own, or, with org_id > 0 (a beheerder
 * acting for it), those invoiced to org_id. In the order their events'
 * rows are locked when cancelling (date, event, id). Columns: id,
 * event_id, person_id, organisation_id, status, position, first_name,
 * infix, last_name (as the organisation knows them, when invoiced to one),
 * event_name, starts_on, ends_on, start_time, end_time, location,
 * course_name, org_name (the organisation invoiced, or NULL). */
db_res *mine_selected(db_conn *c, arena *a, const char *const *ids, int n, long long person_id,
                      long long org_id);

/* The organisation's maatwerk events (active courses bought by org_id),
 * not cancelled, from today on: a list page as db/keyset.h says, and its
 * count up to cap (-1 on an error). Columns: id, name, starts_on,
 * location, places, course_name. */
db_res *mine_maatwerk(db_conn *c, arena *a, long long org_id, const char *today,
                      const db_keyset *k);
long long mine_maatwerk_count(db_conn *c, arena *a, long long org_id, const char *today,
                              long long cap);

/* How the manual names a registration's course in a list: the event, then
 * the course ("2e testcursus - Maatwerk cursussen Herenbos"); once when
 * one name holds the other. In arena a. */
const char *mine_course_label(arena *a, const char *event_name, const char *course_name);

/* "Wachtlijst (plaats 2)", "Bevestigd", "Aangemeld". */
const char *mine_status_text(arena *a, const char *status, long long position);

/* The ticked rows of a form of Cursussen (field inschrijving, declared
 * IN_REPEATED), each once, into ids (room for MINE_MAX_SELECTED): their
 * number, or -1 when one is not an id or there are more than that. */
int mine_read_ids(http_req *rq, const char **ids);

/* The two tabs of Cursussen into ctx ("tabs"); current is the path shown.
 * The organisation's tab only for a beheerder acting for it. */
void mine_tabs(http_req *rq, tv *ctx, const char *current);

/* Afmelden (cancel.c), the Bevestiging as PDF (receipt.c) and Inschrijven
 * cursussen organisatie (maatwerk.c). */
void enrolment_cancel_routes(router *r);
void enrolment_receipt_routes(router *r);
void enrolment_maatwerk_routes(router *r);

#endif
