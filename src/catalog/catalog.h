/* catalog.h - the public catalog: Ons aanbod (category tree and course
 * pages) and the Cursusagenda. */
#ifndef KP_CATALOG_H
#define KP_CATALOG_H

#include "db/db.h"
#include "http/http.h"
#include "http/router.h"
#include "web/tmpl.h"

void catalog_routes(router *r);
/* The Cursusagenda's routes (agenda.c); added by catalog_routes. */
void catalog_agenda_routes(router *r);
/* What a listing offers for row i of an agenda or course-events result:
 * while enrolment is open a link to the event's enrolment page, worded
 * "Inschrijven", or "Plaats op wachtlijst" when the event is full (no
 * places, or people already waiting, who go first); when it is closed no
 * link (href NULL) and the listing says "Inschrijving gesloten". hidden is
 * the rest of the link's accessible name (" voor <event> op <date>"), so a
 * screen reader's list of links tells the rows apart. Strings in a. */
typedef struct catalog_enrol {
    const char *href, *label, *hidden;
    int full;
} catalog_enrol;
void catalog_enrol_of(arena *a, const db_res *r, int i, catalog_enrol *out);

/* The values every event listing shows, from row i of an agenda or
 * course-events result: id, name, date (DD-MM-YYYY), date_iso, location,
 * places, full, places_text ("1 beschikbare plaats"), and what
 * catalog_enrol_of offers: enrol_href, enrol_label, enrol_hidden (or
 * closed); templates/catalog/enrol_action.html shows them. */
void catalog_event_values(http_req *rq, tv *o, const db_res *r, int i);

#endif
