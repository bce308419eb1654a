/* people.h - the one module that makes and finds persons (cursisten,
 * contact persons, staff): an address is found or a person made, never
 * twice, however many features or servers ask at once (the database keeps
 * one person per normalised address), and a name is written one way.
 *
 * Functions run on the caller's connection, inside its transaction when
 * there is one; strings live in the caller's arena. Thread-safe. */
#ifndef KP_PEOPLE_H
#define KP_PEOPLE_H

#include "core/arena.h"
#include "db/db.h"

/* "Jan de Vries", "Deby Rummens - Heijnen": first name, infix (may be NULL
 * or ""), last name (the rule is core/names.h's). */
char *people_full_name(arena *a, const char *first, const char *infix, const char *last);
/* The full name of row i of a result with first_name, infix, last_name. */
char *people_full_name_of(arena *a, const db_res *r, int i);

typedef struct person_new {
    const char *first_name, *infix, *last_name;
    const char *email; /* as typed: normalised here; NULL or "": none */
    int staff;         /* make (or mark) a back-office account */
} person_new;

typedef struct person_found {
    long long id;
    int created;   /* made now */
    int has_login; /* has a password */
} person_found;

/* The person with p->email, or a new one with p's name. An existing
 * person's own data is never changed (whoever types an address knows the
 * address, not the person), except that staff marks the account as staff.
 * Without an address (a contact person who has none) the person is always
 * a new one, stored with email "": such a person never logs in and never
 * gets mail, and a query by address never finds them (it says
 * "AND email <> ''", as the partial unique indexes do).
 * Returns 0, -1 on a database error, -2 when the address is not valid. */
int people_find_or_create(db_conn *c, arena *a, const person_new *p, person_found *out);

/* What a person typed about themself besides the name and address (a
 * bezoeker's sign-up); NULL members stay empty. */
typedef struct person_details {
    const char *street, *house_number, *postcode, *city, *phone;
    const char *birth_date; /* 'YYYY-MM-DD' or NULL */
} person_details;

/* Stores d on a person made just now (people_find_or_create said created):
 * the caller never passes an existing person, whose own data is theirs to
 * change. 0 or -1. */
int people_set_details(db_conn *c, arena *a, long long person_id, const person_details *d);

#endif
