/* people.c - see people.h. */
#include "people/people.h"

#include "core/email.h"
#include "core/names.h"
#include "core/timeutil.h"

char *people_full_name(arena *a, const char *first, const char *infix, const char *last)
{
    return names_full(a, first, infix, last);
}

char *people_full_name_of(arena *a, const db_res *r, int i)
{
    return people_full_name(a, db_val(r, i, "first_name"), db_val(r, i, "infix"),
                            db_val(r, i, "last_name"));
}

static int lookup(db_conn *c, arena *a, const char *email, person_found *out)
{
    db_res *r;
    if (db_q(c, a, &r, "SELECT id, password_hash FROM persons WHERE email = $1 AND email <> ''",
             email) < 0)
        return -1;
    if (r->nrows != 1) return 0;
    out->id = db_int(r, 0, "id");
    out->has_login = db_val(r, 0, "password_hash") != NULL;
    return 1;
}

int people_find_or_create(db_conn *c, arena *a, const person_new *p, person_found *out)
{
    *out = (person_found){0};
    int none = !p->email || !*p->email;
    const char *email = none ? "" : email_normal(a, p->email);
    if (!email) return -2;
    const char *now = arena_printf(a, "%lld", (long long)clock_now());
    /* A second request for the same new address (another beheerder,
     * another server) inserts nothing and finds the first one's person. */
    db_res *r;
    int n = db_q(c, a, &r,
                 "INSERT INTO persons (first_name, infix, last_name, email, is_staff, created_at,"
                 " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)"
                 " ON CONFLICT DO NOTHING RETURNING id",
                 p->first_name, p->infix ? p->infix : "", p->last_name, email, p->staff ? "1" : "0",
                 now);
    /* no address: no unique index applies, so the row is always new */
    if (n < 0 || (none && n != 1)) return -1;
    if (n == 1) {
        out->id = db_int(r, 0, "id");
        out->created = 1;
        return 0;
    }
    if (lookup(c, a, email, out) != 1) return -1;
    if (p->staff &&
        db_q(c, a, NULL, "UPDATE persons SET is_staff = 1, updated_at = $1 WHERE id = $2", now,
             arena_printf(a, "%lld", out->id)) < 0)
        return -1;
    return 0;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int people_set_details(db_conn *c, arena *a, long long person_id, const person_details *d)
{
    return db_q(c, a, NULL,
                "UPDATE persons SET street = $2, house_number = $3, postcode = $4, city = $5,"
                " phone = $6, birth_date = $7 WHERE id = $1",
                arena_printf(a, "%lld", person_id), or_empty(d->street), or_empty(d->house_number),
                or_empty(d->postcode), or_empty(d->city), or_empty(d->phone), d->birth_date) == 1
               ? 0
               : -1;
}
