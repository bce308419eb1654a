/* store.h - the queries of the back office's persons and organisations.
 *
 * Staff act for no organisation, so nothing here is scoped by a session:
 * every id comes from the path and is looked up by the caller (no row: 404).
 * Functions run on the caller's connection, inside its transaction when
 * there is one; results live in the caller's arena. Reads return NULL (or
 * -1) on a database error; writes return 0 or -1. Thread-safe. */
#ifndef KP_RELATIONS_STORE_H
#define KP_RELATIONS_STORE_H

#include "db/db.h"
#include "db/keyset.h"

/* A person's login, as the pages name it (column login). */
#define REL_LOGIN_ACTIVE "account"        /* has a password */
#define REL_LOGIN_INVITED "uitgenodigd"   /* an activation mail waits or its link works */
#define REL_LOGIN_NONE "geen"             /* an address, never activated */
#define REL_LOGIN_NO_ADDRESS "geen-adres" /* no address: can never log in */
#define REL_LOGIN_BLOCKED "geblokkeerd"   /* blocked by the administratie */

/* ------------------------------------------------------------ persons */

/* Every field that is set must match: each word of name somewhere in the
 * full name, email and city as a part, each word of org in the name of an
 * organisation the person is an active member of. Case is ignored. */
typedef struct rel_person_filter {
    const char *name, *email, *city, *org;
} rel_person_filter;

/* How many match, counted up to cap; -1 on a database error. */
long long rel_persons_count(db_conn *c, arena *a, const rel_person_filter *f, long long cap);
/* One page as k says; columns: id, first_name, infix, last_name, email,
 * city, is_staff, login, and the keyset's. */
db_res *rel_persons(db_conn *c, arena *a, const rel_person_filter *f, const db_keyset *k);
/* The active memberships of the persons in rows (column id): person_id,
 * org_name, role; by person, then organisation name. */
db_res *rel_persons_orgs(db_conn *c, arena *a, const db_res *rows);

/* One person: every persons column but the password hash, has_password
 * (1 or 0) and login.
 * lock: inside a write transaction, keep other writers off the row. */
db_res *rel_person(db_conn *c, arena *a, const char *id, int lock);
/* Memberships, active first: organisation_id, org_name, role, active,
 * started_at, ended_at. */
db_res *rel_person_memberships(db_conn *c, arena *a, const char *id);
/* Registrations as participant, newest event first, at most 100: id,
 * status, event_id, event_name, starts_on, course_name, org_name (the
 * organisation invoiced, or NULL), created_at. */
db_res *rel_person_registrations(db_conn *c, arena *a, const char *id);
/* person_history rows, newest first, at most 100: changed_at, field,
 * old_value, new_value, and the name of whoever changed it (by_first_name,
 * by_infix, by_last_name; NULL: unknown). */
db_res *rel_person_history(db_conn *c, arena *a, const char *id);
/* The audit lines about the person, newest first, at most limit + 1 (one
 * more says there are more): at, action, subject, detail, changes, and the
 * actor's names (actor_first_name, actor_infix, actor_last_name). */
db_res *rel_person_audit(db_conn *c, arena *a, const char *id, int limit);

/* UPDATE persons SET cols[i] = vals[i] (and updated_at) WHERE id. The
 * column names come from the caller's form description, never from the
 * request. 0, -1, or DB_ERR_UNIQUE's caller sees db_errkind_of. */
int rel_person_update(db_conn *c, arena *a, const char *id, const char *const *cols,
                      const char *const *vals, int n);
/* One person_history row: field went from old to new, changed by staff
 * member by. */
int rel_history_add(db_conn *c, arena *a, const char *person, long long by, const char *field,
                    const char *old_value, const char *new_value);
int rel_person_set_blocked(db_conn *c, arena *a, const char *id, int blocked);

/* -------------------------------------------------------- memberships */

/* The membership of person in org (active or ended), with org_name and
 * the person's names; lock as above. Empty when there is none. */
db_res *rel_membership(db_conn *c, arena *a, const char *person, const char *org, int lock);
/* Adds the person to org with role (or makes an ended membership active
 * again with that role); the name the organisation knows them by is the
 * one given. Returns 0, or -1. */
typedef struct rel_member_new {
    const char *person, *org, *role;
    const char *first_name, *infix, *last_name, *email;
} rel_member_new;
int rel_membership_add(db_conn *c, arena *a, const rel_member_new *m);
int rel_membership_set_role(db_conn *c, arena *a, const char *person, const char *org,
                            const char *role);
int rel_membership_end(db_conn *c, arena *a, const char *person, const char *org);

/* ------------------------------------------------------ organisations */

/* Each word of name in the name, city as part of the visit or postal
 * city, kvk as the start of the KvK number. */
typedef struct rel_org_filter {
    const char *name, *city, *kvk;
} rel_org_filter;

long long rel_orgs_count(db_conn *c, arena *a, const rel_org_filter *f, long long cap);
/* Columns: id, name, visit_city, kvk_number, members (active), and the
 * keyset's. */
db_res *rel_orgs(db_conn *c, arena *a, const rel_org_filter *f, const db_keyset *k);
/* The organisations whose name holds every word of q, by name, at most
 * limit (for choosing one): id, name, visit_city. */
db_res *rel_orgs_find(db_conn *c, arena *a, const char *q, int limit);
/* One organisation's row (every column); lock as above. */
db_res *rel_org(db_conn *c, arena *a, const char *id, int lock);
/* INSERT (cols and vals as rel_person_update's); *id set. */
int rel_org_insert(db_conn *c, arena *a, const char *const *cols, const char *const *vals, int n,
                   long long *id);
int rel_org_update(db_conn *c, arena *a, const char *id, const char *const *cols,
                   const char *const *vals, int n);

#endif
