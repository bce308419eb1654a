/* organisation.h - Mijn organisatie / Organisatiegegevens (J7): the chosen
 * organisation's data and its contact persons (= medewerkers). Everyone in
 * the organisation may look; only its beheerders change anything. Every
 * query is scoped by the organisation of the session's context, never by
 * an id from the request, so another organisation's contact simply is not
 * found; every form carries the organisation it was shown for (see
 * auth_form_context). The organisation knows a contact by the name and
 * address its beheerder typed, kept on the membership: adding an address
 * that already has a login shows nothing of that person's own data, only
 * (to its beheerders) whether the contact can log in, which they need to
 * know whom to invite; a login linked that way was told so by email and
 * can undo it. Mail the beheerder causes this way goes through the mail
 * quota. */
#ifndef KP_ORGANISATION_H
#define KP_ORGANISATION_H

#include "db/db.h"
#include "db/keyset.h"
#include "http/router.h"

/* How long the "ontkoppelen" link in the linked-login email works. */
#define UNLINK_SECONDS (14 * 24 * 3600)
/* The token kind of the unlink link of one membership: "ontkoppelen:<id>",
 * so a newer link voids only older links of that same membership. */
#define UNLINK_KIND_PREFIX "ontkoppelen:"

void organisation_routes(router *r);
/* /ontkoppelen?token=…: the public page where a person ends a membership a
 * beheerder made for them, by the one-time link in the email they got. */
void organisation_unlink_routes(router *r);

/* What a contact's login is (the column login): an activated login, an
 * invitation not yet used (its email waiting or its link still working),
 * nothing (never invited, or the link expired), or blocked by the
 * administratie. */
#define ORG_LOGIN_ACTIVE "account"
#define ORG_LOGIN_INVITED "uitgenodigd"
#define ORG_LOGIN_NONE "geen"
#define ORG_LOGIN_BLOCKED "geblokkeerd"

/* The organisation's row; columns as in the organisations table. */
db_res *org_get(db_conn *c, arena *a, long long org_id);
/* Active contact persons as the organisation knows them (the names and
 * address typed for the membership); columns: person_id, first_name,
 * infix, last_name, email, role, job_title, department, work_phone,
 * work_email, has_address (1, or 0 for a person without an e-mail address,
 * who cannot log in, be invited or get mail), login (ORG_LOGIN_*). */
db_res *org_contacts(db_conn *c, arena *a, long long org_id);
/* One active contact of the organisation (same columns), or an empty
 * result when the person is not one. */
db_res *org_contact(db_conn *c, arena *a, long long org_id, const char *person_id);
/* The persons of an organisation (its active contacts) as a list
 * (web/list.h), found by the name and address the organisation knows
 * them by. */
typedef struct org_people_filter {
    long long org_id;
    const char *q; /* words that must each occur in name or address; NULL: all */
} org_people_filter;
/* How many match, counted up to cap; -1 on a database error. */
long long org_people_count(db_conn *c, arena *a, const org_people_filter *f, long long cap);
/* One page as k says; columns: person_id, first_name, infix, last_name,
 * email (may be ""), job_title and the keyset's. NULL on a database
 * error. */
db_res *org_people(db_conn *c, arena *a, const org_people_filter *f, const db_keyset *k);

/* Active beheerders besides person_id. */
long long org_other_beheerders(db_conn *c, arena *a, long long org_id, const char *person_id);

#endif
