/* store.c - the organisation feature's queries (see organisation.h). */
#include "organisation/organisation.h"

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

#define CONTACT_COLUMNS                                                                            \
    "SELECT p.id AS person_id, p.first_name, p.infix, p.last_name, p.email,"                       \
    " CASE WHEN p.password_hash IS NULL THEN 0 ELSE 1 END AS has_login, m.role, m.job_title,"      \
    " m.department, m.work_phone, m.work_email FROM memberships m"                                 \
    " JOIN persons p ON p.id = m.person_id"

db_res *org_contacts(db_conn *c, arena *a, long long org_id)
{
    db_res *r = NULL;
    return db_q(c, a, &r,
                CONTACT_COLUMNS " WHERE m.organisation_id = $1 AND m.active = 1"
                                " ORDER BY p.last_name, p.first_name",
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
