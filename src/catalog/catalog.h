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
/* The values every event listing shows, from row i of an agenda or
 * course-events result: id, name, date (DD-MM-YYYY), date_iso, location,
 * places, full, places_text ("1 beschikbare plaats"). */
void catalog_event_values(http_req *rq, tv *o, const db_res *r, int i);

#endif
