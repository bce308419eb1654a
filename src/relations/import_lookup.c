/* import_lookup.c - what the plan needs to know of the database, read for
 * the whole file in a few queries (IN lists of at most IMP_IN_CHUNK values)
 * rather than a few per row: the persons by address, their memberships, and
 * the organisations by KvK number and by name. A file of thousands of rows
 * is then planned in a dozen round trips. */
#include <string.h>

#include "core/buf.h"
#include "relations/import_internal.h"

#define IMP_IN_CHUNK 500

/* ------------------------------------------------------------------ map */

void imp_map_init(arena *a, imp_map *m, size_t keys)
{
    m->cap = 64;
    while (m->cap < keys * 2)
        m->cap *= 2;
    m->keys = arena_zalloc(a, m->cap * sizeof *m->keys);
    m->vals = arena_alloc(a, m->cap * sizeof *m->vals);
    m->counts = arena_zalloc(a, m->cap * sizeof *m->counts);
}

static size_t slot(const imp_map *m, const char *key)
{
    unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    size_t i = (size_t)h & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

int imp_map_get(const imp_map *m, const char *key, size_t *val, int *count)
{
    size_t i = slot(m, key);
    if (!m->keys[i]) return 0;
    if (val) *val = m->vals[i];
    if (count) *count = m->counts[i];
    return 1;
}

int imp_map_add(imp_map *m, const char *key, size_t val)
{
    size_t i = slot(m, key);
    if (m->keys[i]) {
        m->counts[i]++;
        return 0;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->counts[i] = 1;
    return 1;
}

/* -------------------------------------------------------------- queries */

/* The distinct non-empty values of column col of the rows that passed
 * their checks. */
static const char **distinct(arena *a, const imp_row *rows, size_t n, int col, size_t *out_n)
{
    imp_map seen;
    imp_map_init(a, &seen, n);
    const char **v = arena_alloc(a, (n ? n : 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!rows[i].refused && *rows[i].v[col] && imp_map_add(&seen, rows[i].v[col], k))
            v[k++] = rows[i].v[col];
    *out_n = k;
    return v;
}

/* head "($1, …, $k)" tail for the values, a chunk at a time: the results
 * in *res (*nres of them). */
static int select_in(db_conn *c, arena *a, const char *head, const char *tail,
                     const char *const *vals, size_t n, db_res ***res, size_t *nres)
{
    *res = arena_alloc(a, (n / IMP_IN_CHUNK + 1) * sizeof **res);
    *nres = 0;
    for (size_t at = 0; at < n; at += IMP_IN_CHUNK) {
        size_t k = n - at < IMP_IN_CHUNK ? n - at : IMP_IN_CHUNK;
        buf sql;
        buf_init(&sql, a, strlen(head) + strlen(tail) + k * 7 + 8);
        buf_printf(&sql, "%s (", head);
        for (size_t i = 0; i < k; i++)
            buf_printf(&sql, "%s$%zu", i ? ", " : "", i + 1);
        buf_printf(&sql, ")%s", tail);
        db_res *r;
        if (db_query(c, a, &r, sql.data, (int)k, vals + at) < 0) return -1;
        (*res)[(*nres)++] = r;
    }
    return 0;
}

static size_t rows_in(db_res *const *res, size_t nres)
{
    size_t total = 0;
    for (size_t j = 0; j < nres; j++)
        total += (size_t)res[j]->nrows;
    return total;
}

static int read_persons(db_conn *c, arena *a, const imp_row *rows, size_t n, imp_known *k)
{
    size_t ne;
    const char **emails = distinct(a, rows, n, C_EMAIL, &ne);
    db_res **res;
    size_t nres;
    if (select_in(c, a,
                  "SELECT id, email, first_name, infix, last_name, is_staff, blocked,"
                  " CASE WHEN password_hash IS NOT NULL OR activated_at IS NOT NULL THEN 1 ELSE 0"
                  " END AS login FROM persons WHERE email <> '' AND email IN",
                  "", emails, ne, &res, &nres) != 0)
        return -1;
    size_t total = rows_in(res, nres), at = 0;
    k->person = arena_alloc(a, (total ? total : 1) * sizeof *k->person);
    imp_map_init(a, &k->persons, total);
    for (size_t j = 0; j < nres; j++)
        for (int i = 0; i < res[j]->nrows; i++, at++) {
            const db_res *r = res[j];
            k->person[at] = (imp_person){db_int(r, i, "id"),
                                         db_val(r, i, "first_name"),
                                         db_val(r, i, "infix"),
                                         db_val(r, i, "last_name"),
                                         (int)db_int(r, i, "is_staff"),
                                         (int)db_int(r, i, "blocked"),
                                         (int)db_int(r, i, "login")};
            imp_map_add(&k->persons, db_val(r, i, "email"), at);
        }
    k->npersons = total;
    return 0;
}

/* The memberships of the persons found, by "person:organisation". */
static int read_members(db_conn *c, arena *a, imp_known *k)
{
    const char **ids = arena_alloc(a, (k->npersons ? k->npersons : 1) * sizeof *ids);
    for (size_t i = 0; i < k->npersons; i++)
        ids[i] = arena_printf(a, "%lld", k->person[i].id);
    db_res **res;
    size_t nres;
    if (select_in(c, a,
                  "SELECT person_id, organisation_id, role, active FROM memberships"
                  " WHERE person_id IN",
                  "", ids, k->npersons, &res, &nres) != 0)
        return -1;
    size_t total = rows_in(res, nres), at = 0;
    k->member = arena_alloc(a, (total ? total : 1) * sizeof *k->member);
    imp_map_init(a, &k->members, total);
    for (size_t j = 0; j < nres; j++)
        for (int i = 0; i < res[j]->nrows; i++, at++) {
            const db_res *r = res[j];
            k->member[at] = (imp_member){db_val(r, i, "role"), (int)db_int(r, i, "active")};
            imp_map_add(
                &k->members,
                imp_member_key(a, db_int(r, i, "person_id"), db_int(r, i, "organisation_id")), at);
        }
    return 0;
}

/* The organisations with these values in col ("kvk_number" or "name"):
 * the map gives the first (lowest id) and how many there are. */
static int read_orgs(db_conn *c, arena *a, const imp_row *rows, size_t n, int from, const char *col,
                     imp_map *map, imp_org **orgs)
{
    size_t nv;
    const char **vals = distinct(a, rows, n, from, &nv);
    db_res **res;
    size_t nres;
    if (select_in(
            c, a,
            arena_printf(a, "SELECT id, name, %s AS k FROM organisations WHERE %s IN", col, col),
            " ORDER BY id", vals, nv, &res, &nres) != 0)
        return -1;
    size_t total = rows_in(res, nres), at = 0;
    *orgs = arena_alloc(a, (total ? total : 1) * sizeof **orgs);
    imp_map_init(a, map, total);
    for (size_t j = 0; j < nres; j++)
        for (int i = 0; i < res[j]->nrows; i++, at++) {
            (*orgs)[at] = (imp_org){db_int(res[j], i, "id"), db_val(res[j], i, "name")};
            imp_map_add(map, db_val(res[j], i, "k"), at);
        }
    return 0;
}

char *imp_member_key(arena *a, long long person_id, long long org_id)
{
    return arena_printf(a, "%lld:%lld", person_id, org_id);
}

int imp_known_read(db_conn *c, arena *a, const imp_row *rows, size_t n, imp_known *k)
{
    memset(k, 0, sizeof *k);
    if (read_persons(c, a, rows, n, k) != 0 || read_members(c, a, k) != 0) return -1;
    if (read_orgs(c, a, rows, n, C_KVK, "kvk_number", &k->kvks, &k->kvk_org) != 0) return -1;
    return read_orgs(c, a, rows, n, C_ORG, "name", &k->names, &k->name_org);
}
