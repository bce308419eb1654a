/* organisation.h - Mijn organisatie / Organisatiegegevens (J7): the chosen
 * organisation's data and its contact persons (= medewerkers). Everyone in
 * the organisation may look; only its beheerders change anything. Every
 * query is scoped by the organisation of the session's context, never by
 * an id from the request, so another organisation's contact simply is not
 * found. */
#ifndef KP_ORGANISATION_H
#define KP_ORGANISATION_H

#include "db/db.h"
#include "http/router.h"

void organisation_routes(router *r);

/* The organisation's row; columns as in the organisations table. */
db_res *org_get(db_conn *c, arena *a, long long org_id);
/* Active contact persons; columns: person_id, first_name, infix,
 * last_name, email, has_login, role, job_title, department, work_phone,
 * work_email. */
db_res *org_contacts(db_conn *c, arena *a, long long org_id);
/* One active contact of the organisation (same columns), or an empty
 * result when the person is not one. */
db_res *org_contact(db_conn *c, arena *a, long long org_id, const char *person_id);
/* Active beheerders besides person_id. */
long long org_other_beheerders(db_conn *c, arena *a, long long org_id, const char *person_id);

#endif
