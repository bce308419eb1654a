/* admin_store.h - the catalog as the back office changes it: categories
 * (a tree whose slug_path and id_path the store keeps right for a whole
 * subtree), courses, and the old addresses that redirect after a slug or a
 * place in the tree changed (slug_redirects).
 *
 * Staff see everything: maatwerk courses of every organisation, inactive
 * ones. Every id comes from the caller, who took it from the path; a row
 * that is not there is an empty result.
 *
 * The writing functions run on the caller's connection inside its
 * transaction (a db_tx unit of work, which also writes the audit line);
 * they return 0, one of the CATALOG_* refusals (> 0: the caller rolls
 * back and says why), or -1 on a database error. Results live in the
 * caller's arena. No state of their own: one connection per thread.
 */
#ifndef KP_CATALOG_ADMIN_STORE_H
#define KP_CATALOG_ADMIN_STORE_H

#include "db/db.h"
#include "db/keyset.h"

/* Why a change was refused. */
enum {
    CATALOG_SLUG_TAKEN = 1, /* another category or course has that address */
    CATALOG_CYCLE,          /* a category cannot move under itself */
    CATALOG_IN_USE,         /* delete: it still has courses, subcategories or events */
    CATALOG_GONE,           /* the row, its category or its organisation is not there (any more) */
    CATALOG_TOO_DEEP,       /* a category would lie deeper than an address can go (12 levels) */
};

/* ---- categories ---- */

/* Every category in tree order (each followed by its subtree, siblings by
 * sort order and name); columns: id, parent_id, name, slug, slug_path,
 * id_path, sort_order, depth (1: a top category), courses, children. */
db_res *catalog_admin_tree(db_conn *c, arena *a);
/* One category; columns: id, parent_id, parent_name, name, slug, slug_path,
 * id_path, sort_order, description, courses, children. */
db_res *catalog_admin_category(db_conn *c, arena *a, const char *id);

/* Locks category id (or course id) for this transaction, so what the
 * caller reads of it next is what it changes: 1 when it is there, 0 when
 * not, -1 on an error. */
int catalog_admin_category_lock(db_conn *c, arena *a, const char *id);
int catalog_admin_course_lock(db_conn *c, arena *a, const char *id);

typedef struct catalog_category_in {
    const char *parent_id; /* NULL: a top category */
    const char *slug, *name, *description, *sort_order;
} catalog_category_in;

/* Adds a category (*id gets its id). */
int catalog_admin_category_add(db_conn *c, arena *a, const catalog_category_in *in, long long *id);
/* Changes category id. A new parent or slug moves the whole subtree: every
 * slug_path and id_path below it follows, and the old address redirects
 * (one row covers the subtree). CATALOG_CYCLE when the parent is the
 * category itself or lies below it. */
int catalog_admin_category_update(db_conn *c, arena *a, const char *id,
                                  const catalog_category_in *in);
/* Deletes a category without courses or subcategories (CATALOG_IN_USE
 * otherwise), with its redirects. */
int catalog_admin_category_delete(db_conn *c, arena *a, const char *id);

/* ---- courses ---- */

typedef struct catalog_course_filter {
    const char *today;       /* 'YYYY-MM-DD': upcoming events are counted from here */
    const char *q;           /* words in name, slug or summary; NULL: all */
    const char *category_id; /* in this category's subtree; NULL: any */
    const char *org;         /* "openbaar": public only; an organisation's id: its maatwerk; NULL */
    const char *active;      /* "ja" / "nee"; NULL: both */
} catalog_course_filter;

/* How many courses match, counted up to cap; -1 on a database error. */
long long catalog_admin_course_count(db_conn *c, arena *a, const catalog_course_filter *f,
                                     long long cap);
/* One page as k says; columns: id, name, slug, active, price_cents,
 * vat_rate, maatwerk_org_id, org_name, category_name, upcoming (events not
 * cancelled from today on) and the keyset's. */
db_res *catalog_admin_courses(db_conn *c, arena *a, const catalog_course_filter *f,
                              const db_keyset *k);
/* One course; columns: id, category_id, category_name, category_path (its
 * slug_path), maatwerk_org_id, org_name, slug, name, summary, description,
 * price_cents, vat_rate, duration, requires_birth_date, active, events (all,
 * cancelled included). */
db_res *catalog_admin_course(db_conn *c, arena *a, const char *id);

typedef struct catalog_course_in {
    const char *category_id; /* NULL: none (only for maatwerk) */
    const char *org_id;      /* maatwerk for this organisation; NULL: public */
    const char *slug, *name, *summary, *description, *duration;
    long long price_cents;
    int vat_rate, requires_birth_date, active;
} catalog_course_in;

int catalog_admin_course_add(db_conn *c, arena *a, const catalog_course_in *in, long long *id);
/* A new slug or category changes the public address; the old one
 * redirects. */
int catalog_admin_course_update(db_conn *c, arena *a, const char *id, const catalog_course_in *in);
/* Deletes a course without events (CATALOG_IN_USE otherwise). */
int catalog_admin_course_delete(db_conn *c, arena *a, const char *id);

/* Every course, for a choice list: id, name, org_name (maatwerk) or NULL,
 * active; by name. */
db_res *catalog_admin_course_options(db_conn *c, arena *a);
/* Every organisation, for the maatwerk choice: id, name; by name. */
db_res *catalog_admin_organisations(db_conn *c, arena *a);

#endif
