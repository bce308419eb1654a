/* store.h - the catalog's queries: categories, courses and events as the
 * public sees them. Every public query leaves out maatwerk courses (those
 * with maatwerk_org_id set) and cancelled events.
 *
 * Results are db_res rows in the caller's arena; functions return NULL on a
 * database error (the caller renders the 500 page). */
#ifndef KP_CATALOG_STORE_H
#define KP_CATALOG_STORE_H

#include "db/db.h"
#include "db/keyset.h"

/* Whether the event `e` takes enrolments on the day in the SQL parameter
 * `today` (a "$N" string literal): not cancelled, not begun, and until its
 * registration deadline inclusive, or without a deadline until the day
 * before it starts. The one rule: the catalog shows Inschrijven or
 * "Inschrijving gesloten" with it, and the enrolment store decides with it
 * (enrolment/store.c), so a link never leads to a refusal. */
#define CATALOG_EVENT_OPEN_SQL(today)                                                              \
    "(e.cancelled = 0 AND e.starts_on >= " today " AND ((e.registration_deadline IS NULL AND "     \
    "e.starts_on > " today ") OR e.registration_deadline >= " today "))"

/* columns: id, name, slug_path, description */
db_res *catalog_top_categories(db_conn *c, arena *a);
db_res *catalog_children(db_conn *c, arena *a, const char *category_id);
/* The children of every top category, for Ons aanbod; columns: parent_id,
 * name, slug_path */
db_res *catalog_second_level(db_conn *c, arena *a);
/* columns: id, name, slug_path, id_path, description */
db_res *catalog_category_by_path(db_conn *c, arena *a, const char *slug_path);
/* The chain from the root down to and including the category with this
 * id_path; columns: name, slug_path. */
db_res *catalog_category_chain(db_conn *c, arena *a, const char *id_path);
/* Where an address under /aanbod/ that is not (or no longer) there went
 * after staff changed a slug or moved a category or course: the current
 * slug path of the course it named, or of the category it named followed
 * by the rest of the path (an old category path covers its subtree).
 * *to gets the path (in a), or NULL when there is no such redirect or it
 * would lead to the same path. 0, or -1 on a database error. */
int catalog_redirect(db_conn *c, arena *a, const char *slug_path, const char **to);
/* Public courses directly in a category; columns: id, name, slug, summary */
db_res *catalog_courses_in(db_conn *c, arena *a, const char *category_id);
/* One public course; columns: id, name, slug, summary, description */
db_res *catalog_course(db_conn *c, arena *a, const char *category_id, const char *slug);
/* Upcoming events of a course from `today` on; columns: id, name, starts_on,
 * ends_on, start_time, end_time, location, places (capacity - seats_taken),
 * price_cents, registration_deadline, open (1: takes enrolments today, by
 * CATALOG_EVENT_OPEN_SQL), waiting (1: someone is on its waiting list) */
db_res *catalog_course_events(db_conn *c, arena *a, const char *course_id, const char *today);

typedef struct agenda_filter {
    const char *today;       /* 'YYYY-MM-DD' */
    const char *q;           /* search term or NULL */
    const char *category_id; /* subtree filter or NULL */
    const char *month;       /* 'YYYY-MM' or NULL */
    const char *location;    /* exact location or NULL */
} agenda_filter;

/* One page of the upcoming public events matching f, as k says (order,
 * boundary, size: db/keyset.h); columns: id, name, starts_on, location,
 * places, open, waiting (as catalog_course_events), course_name,
 * course_url and the keyset's. */
db_res *catalog_agenda(db_conn *c, arena *a, const agenda_filter *f, const db_keyset *k);
/* How many events match f, counted up to cap (cap when there are more);
 * -1 on a database error. */
long long catalog_agenda_count(db_conn *c, arena *a, const agenda_filter *f, long long cap);
/* The first `limit` upcoming public events (Home); columns as the agenda. */
db_res *catalog_upcoming(db_conn *c, arena *a, const char *today, int limit);
/* Distinct locations of upcoming public events; column: location. */
db_res *catalog_locations(db_conn *c, arena *a, const char *today);
/* Every category, for the agenda's filter, in tree order (each one followed
 * by its subtree, siblings by sort order and name); columns: id, name,
 * depth (1 for a top category). */
db_res *catalog_category_options(db_conn *c, arena *a);

#endif
