/* store.c - the organisation feature's queries (see organisation.h). */
#include "organisation/organisation.h"

#include "auth/token.h"
#include "core/timeutil.h"

static const char *id_text(arena *a, long long id)
{
    return arena_printf(a, "%lld", id);
}

db_res *org_get(db_conn *c, arena *a, long long org_id)
{
    db_res *r = NULL;
    return db_q(c, a, &r, "SELECT * FROM organisations WHERE id = $1", id_text(a, org_id)) < 0
               ? NULL
               : r;
}

/* The names and address the organisation typed, kept on the membership:
 * never the persons row's own name or data, which belong to the person. */
#define CONTACT_COLUMNS                                                                            \
    "SELECT m.person_id, m.contact_first_name AS first_name, m.contact_infix AS infix,"            \
    " m.contact_last_name AS last_name, m.contact_email AS email, m.role, m.job_title,"            \
    " m.department, m.work_phone, m.work_email FROM memberships m"

db_res *org_contacts(db_conn *c, arena *a, long long org_id)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                CONTACT_COLUMNS " WHERE m.organisation_id = $1 AND m.active = 1"
                                " ORDER BY m.contact_last_name, m.contact_first_name",
                id_text(a, org_id)) < 0
               ? NULL
               : r;
}

db_res *org_contact(db_conn *c, arena *a, long long org_id, const char *person_id)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                CONTACT_COLUMNS
                " WHERE m.organisation_id = $1 AND m.person_id = $2 AND m.active = 1",
                id_text(a, org_id), person_id) < 0
               ? NULL
               : r;
}

long long org_other_beheerders(db_conn *c, arena *a, long long org_id, const char *person_id)
{
    db_res *r = NULL;
    if (db_q(c, a, &r,
             "SELECT count(*) AS n FROM memberships WHERE organisation_id = $1 AND active = 1"
             " AND role = 'beheerder' AND person_id <> $2",
             id_text(a, org_id), person_id) < 0)
        return -1;
    return db_int(r, 0, "n");
}
