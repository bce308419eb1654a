/* admin_store.c - see admin_store.h. */
#include "catalog/admin_store.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

static const char *now_text(arena *a)
{
    return num(a, (long long)clock_now());
}

/* ---- redirects ---- */

/* old_path now leads to the category or course target (one of the two
 * ids NULL); a later change of the same old path points it anew. */
static int redirect_put(db_conn *c, arena *a, const char *old_path, const char *category_id,
                        const char *course_id)
{
    const char *p[] = {old_path, category_id, course_id, now_text(a)};
    return db_query(c, a, NULL,
                    "INSERT INTO slug_redirects (old_path, category_id, course_id, created_at) "
                    "VALUES ($1, $2, $3, $4) ON CONFLICT (old_path) DO UPDATE SET "
                    "category_id = excluded.category_id, course_id = excluded.course_id, "
                    "created_at = excluded.created_at",
                    4, p) < 0
               ? -1
               : 0;
}

/* A path in use again is no longer an old one. */
static int redirect_drop(db_conn *c, arena *a, const char *path)
{
    return db_q(c, a, NULL, "DELETE FROM slug_redirects WHERE old_path = $1", path) < 0 ? -1 : 0;
}

/* ---- locks ---- */

static int lock_row(db_conn *c, arena *a, const char *table, const char *id)
{
    db_res *r = db_select(
        c, a,
        arena_printf(a, "SELECT id FROM %s WHERE id = $1%s", table, db_for_update(c, a, NULL)), 1,
        (const char *[]){id});
    return r ? r->nrows == 1 : -1;
}

int catalog_admin_category_lock(db_conn *c, arena *a, const char *id)
{
    return lock_row(c, a, "categories", id);
}

int catalog_admin_course_lock(db_conn *c, arena *a, const char *id)
{
    return lock_row(c, a, "courses", id);
}

/* ---- categories ---- */

db_res *catalog_admin_tree(db_conn *c, arena *a)
{
    /* each category's place among its siblings as a fixed-width number; a
     * category's path is its ancestors' places and its own, so ordering by
     * the path lists the tree depth first */
    return db_select(c, a,
                     "WITH RECURSIVE ranked AS (SELECT id, parent_id, row_number() OVER "
                     "(PARTITION BY parent_id ORDER BY sort_order, name, id) + 100000 AS place "
                     "FROM categories), "
                     "tree (id, depth, path) AS ("
                     "SELECT id, 1, CAST(place AS TEXT) FROM ranked WHERE parent_id IS NULL "
                     "UNION ALL "
                     "SELECT r.id, t.depth + 1, t.path || CAST(r.place AS TEXT) "
                     "FROM ranked r JOIN tree t ON r.parent_id = t.id) "
                     "SELECT k.id, k.parent_id, k.name, k.slug, k.slug_path, k.id_path, "
                     "k.sort_order, t.depth, "
                     "(SELECT count(*) FROM courses x WHERE x.category_id = k.id) AS courses, "
                     "(SELECT count(*) FROM categories s WHERE s.parent_id = k.id) AS children "
                     "FROM tree t JOIN categories k ON k.id = t.id ORDER BY t.path",
                     0, NULL);
}

db_res *catalog_admin_category(db_conn *c, arena *a, const char *id)
{
    return db_select(c, a,
                     "SELECT k.id, k.parent_id, p.name AS parent_name, k.name, k.slug, "
                     "k.slug_path, k.id_path, k.sort_order, k.description, "
                     "(SELECT count(*) FROM courses x WHERE x.category_id = k.id) AS courses, "
                     "(SELECT count(*) FROM categories s WHERE s.parent_id = k.id) AS children "
                     "FROM categories k LEFT JOIN categories p ON p.id = k.parent_id "
                     "WHERE k.id = $1",
                     1, (const char *[]){id});
}

/* Where a category with this parent and slug lives: its slug_path and the
 * id_path of its parent ("/" for a top category). CATALOG_GONE when the
 * parent is not there. */
static int place_of(db_conn *c, arena *a, const catalog_category_in *in, const char **slug_path,
                    const char **parent_ids)
{
    if (!in->parent_id) {
        *slug_path = in->slug;
        *parent_ids = "/";
        return 0;
    }
    db_res *p = db_select(c, a, "SELECT slug_path, id_path FROM categories WHERE id = $1", 1,
                          (const char *[]){in->parent_id});
    if (!p) return -1;
    if (p->nrows != 1) return CATALOG_GONE;
    *slug_path = arena_printf(a, "%s/%s", db_val(p, 0, "slug_path"), in->slug);
    *parent_ids = db_val(p, 0, "id_path");
    return 0;
}

/* Is the address slug_path someone else's: another category's, or a
 * course's in the parent category (both would be /aanbod/<slug_path>)? */
static int path_taken(db_conn *c, arena *a, const char *slug_path, const char *self_id,
                      const catalog_category_in *in)
{
    db_res *r = db_select(c, a, "SELECT 1 AS x FROM categories WHERE slug_path = $1 AND id <> $2",
                          2, (const char *[]){slug_path, self_id ? self_id : "0"});
    if (!r) return -1;
    if (r->nrows) return 1;
    if (!in->parent_id) return 0;
    r = db_select(c, a, "SELECT 1 AS x FROM courses WHERE category_id = $1 AND slug = $2", 2,
                  (const char *[]){in->parent_id, in->slug});
    if (!r) return -1;
    return r->nrows > 0;
}

/* Does any category at or below ids lie past what an address under
 * /aanbod can hold (slug_path_valid: 12 levels, 400 bytes)? */
static int too_deep(db_conn *c, arena *a, const char *ids)
{
    db_res *r = db_select(c, a,
                          "SELECT count(*) AS n FROM categories WHERE id_path LIKE "
                          "CAST($1 AS TEXT) || '%' AND (length(slug_path) > 400 OR "
                          "length(id_path) - length(replace(id_path, '/', '')) > 13)",
                          1, (const char *[]){ids});
    return r ? db_int(r, 0, "n") > 0 : -1;
}

int catalog_admin_category_add(db_conn *c, arena *a, const catalog_category_in *in, long long *id)
{
    const char *slug_path, *parent_ids;
    int rc = place_of(c, a, in, &slug_path, &parent_ids);
    if (rc != 0) return rc;
    int taken = path_taken(c, a, slug_path, NULL, in);
    if (taken != 0) return taken < 0 ? -1 : CATALOG_SLUG_TAKEN;
    const char *p[] = {in->parent_id,   in->slug,       in->name,
                       in->description, in->sort_order, slug_path};
    /* id_path needs the new id: insert, then fill it in */
    db_res *r = db_select(c, a,
                          "INSERT INTO categories (parent_id, slug, name, description, "
                          "sort_order, slug_path, id_path) VALUES ($1, $2, $3, $4, $5, $6, '') "
                          "RETURNING id",
                          6, p);
    if (!r || r->nrows != 1) return db_errkind_of(c) == DB_ERR_UNIQUE ? CATALOG_SLUG_TAKEN : -1;
    *id = db_int(r, 0, "id");
    const char *ids = arena_printf(a, "%s%lld/", parent_ids, *id);
    if (db_q(c, a, NULL, "UPDATE categories SET id_path = $1 WHERE id = $2", ids, num(a, *id)) != 1)
        return -1;
    int deep = too_deep(c, a, ids);
    if (deep != 0) return deep < 0 ? -1 : CATALOG_TOO_DEEP;
    return redirect_drop(c, a, slug_path);
}

/* Every category whose id_path starts with old_ids (the moved one and its
 * subtree) gets the new beginnings of both paths. */
static int move_subtree(db_conn *c, arena *a, const db_res *old, const char *slug_path,
                        const char *ids)
{
    const char *old_path = db_val(old, 0, "slug_path"), *old_ids = db_val(old, 0, "id_path");
    const char *p[] = {slug_path, num(a, (long long)strlen(old_path) + 1), ids,
                       num(a, (long long)strlen(old_ids) + 1), old_ids};
    return db_query(c, a, NULL,
                    "UPDATE categories SET "
                    "slug_path = CAST($1 AS TEXT) || substr(slug_path, CAST($2 AS INTEGER)), "
                    "id_path = CAST($3 AS TEXT) || substr(id_path, CAST($4 AS INTEGER)) "
                    "WHERE id_path LIKE CAST($5 AS TEXT) || '%'",
                    5, p) < 0
               ? -1
               : 0;
}

int catalog_admin_category_update(db_conn *c, arena *a, const char *id,
                                  const catalog_category_in *in)
{
    db_res *old = db_select(c, a,
                            arena_printf(a,
                                         "SELECT slug_path, id_path FROM categories "
                                         "WHERE id = $1%s",
                                         db_for_update(c, a, NULL)),
                            1, (const char *[]){id});
    if (!old) return -1;
    if (old->nrows != 1) return CATALOG_GONE;
    const char *slug_path, *parent_ids;
    int rc = place_of(c, a, in, &slug_path, &parent_ids);
    if (rc != 0) return rc;
    const char *old_ids = db_val(old, 0, "id_path");
    if (strncmp(parent_ids, old_ids, strlen(old_ids)) == 0) return CATALOG_CYCLE;
    int taken = path_taken(c, a, slug_path, id, in);
    if (taken != 0) return taken < 0 ? -1 : CATALOG_SLUG_TAKEN;
    const char *p[] = {id, in->parent_id, in->slug, in->name, in->description, in->sort_order};
    if (db_query(c, a, NULL,
                 "UPDATE categories SET parent_id = $2, slug = $3, name = $4, description = $5, "
                 "sort_order = $6 WHERE id = $1",
                 6, p) != 1)
        return db_errkind_of(c) == DB_ERR_UNIQUE ? CATALOG_SLUG_TAKEN : -1;
    const char *ids = arena_printf(a, "%s%s/", parent_ids, id);
    const char *old_path = db_val(old, 0, "slug_path");
    if (strcmp(slug_path, old_path) == 0 && strcmp(ids, old_ids) == 0) return 0;
    if (move_subtree(c, a, old, slug_path, ids) != 0)
        return db_errkind_of(c) == DB_ERR_UNIQUE ? CATALOG_SLUG_TAKEN : -1;
    int deep = too_deep(c, a, ids);
    if (deep != 0) return deep < 0 ? -1 : CATALOG_TOO_DEEP;
    if (strcmp(slug_path, old_path) == 0) return 0;
    if (redirect_put(c, a, old_path, id, NULL) != 0) return -1;
    return redirect_drop(c, a, slug_path);
}

int catalog_admin_category_delete(db_conn *c, arena *a, const char *id)
{
    db_res *r = catalog_admin_category(c, a, id);
    if (!r) return -1;
    if (r->nrows != 1) return CATALOG_GONE;
    if (db_int(r, 0, "courses") > 0 || db_int(r, 0, "children") > 0) return CATALOG_IN_USE;
    if (db_q(c, a, NULL, "DELETE FROM slug_redirects WHERE category_id = $1", id) < 0) return -1;
    if (db_q(c, a, NULL, "DELETE FROM categories WHERE id = $1", id) != 1)
        return db_errkind_of(c) == DB_ERR_FOREIGN ? CATALOG_IN_USE : -1;
    return 0;
}

/* ---- courses ---- */

#define COURSE_PARAMS 16

/* The WHERE clause of the list's count and page queries. */
static void course_where(db_conn *c, arena *a, const catalog_course_filter *f, buf *sql,
                         const char **p, int *n)
{
    buf_puts(sql, " WHERE 1 = 1");
    const char *like = db_ilike(c);
    /* every word in the name, the slug or the summary (at most five words) */
    const char *q = f->q ? f->q : "";
    for (int words = 0; *q && words < 5;) {
        while (*q == ' ')
            q++;
        size_t len = strcspn(q, " ");
        if (len == 0) break;
        p[(*n)++] = db_like_contains(a, q, len);
        buf_printf(sql,
                   " AND (c.name %s $%d ESCAPE '\\' OR c.slug %s $%d ESCAPE '\\' OR "
                   "c.summary %s $%d ESCAPE '\\')",
                   like, *n, like, *n, like, *n);
        q += len;
        words++;
    }
    if (f->category_id) {
        p[(*n)++] = f->category_id;
        buf_printf(sql,
                   " AND cat.id_path LIKE (SELECT id_path FROM categories WHERE id = $%d) || '%%'",
                   *n);
    }
    if (f->org && strcmp(f->org, "openbaar") == 0) {
        buf_puts(sql, " AND c.maatwerk_org_id IS NULL");
    } else if (f->org) {
        p[(*n)++] = f->org;
        buf_printf(sql, " AND c.maatwerk_org_id = $%d", *n);
    }
    if (f->active) buf_printf(sql, " AND c.active = %d", strcmp(f->active, "ja") == 0);
}

static const char *course_from = " FROM courses c LEFT JOIN categories cat ON cat.id = "
                                 "c.category_id LEFT JOIN organisations o ON o.id = "
                                 "c.maatwerk_org_id";

long long catalog_admin_course_count(db_conn *c, arena *a, const catalog_course_filter *f,
                                     long long cap)
{
    const char *p[COURSE_PARAMS];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_printf(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one%s", course_from);
    course_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *catalog_admin_courses(db_conn *c, arena *a, const catalog_course_filter *f,
                              const db_keyset *k)
{
    const char *p[COURSE_PARAMS];
    int n = 0;
    p[n++] = f->today; /* $1: the upcoming events are counted from today */
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT c.id, c.name, c.slug, c.active, c.price_cents, c.vat_rate, "
                   "c.maatwerk_org_id, o.name AS org_name, cat.name AS category_name, "
                   "(SELECT count(*) FROM events e WHERE e.course_id = c.id AND e.cancelled = 0 "
                   "AND e.starts_on >= $1) AS upcoming");
    db_keyset_columns(k, &sql);
    buf_puts(&sql, course_from);
    course_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

db_res *catalog_admin_course(db_conn *c, arena *a, const char *id)
{
    return db_select(c, a,
                     "SELECT c.id, c.category_id, cat.name AS category_name, "
                     "cat.slug_path AS category_path, c.maatwerk_org_id, o.name AS org_name, "
                     "c.slug, c.name, c.summary, c.description, c.price_cents, c.vat_rate, "
                     "c.duration, c.requires_birth_date, c.active, "
                     "(SELECT count(*) FROM events e WHERE e.course_id = c.id) AS events "
                     "FROM courses c LEFT JOIN categories cat ON cat.id = c.category_id "
                     "LEFT JOIN organisations o ON o.id = c.maatwerk_org_id WHERE c.id = $1",
                     1, (const char *[]){id});
}

/* The course's public address (its category's slug_path and its slug),
 * or NULL without a category; CATALOG_GONE when the category or the
 * organisation is not there, CATALOG_SLUG_TAKEN when the address is
 * another course's or a subcategory's. */
static int course_place(db_conn *c, arena *a, const catalog_course_in *in, const char *self_id,
                        const char **path)
{
    *path = NULL;
    if (in->org_id) {
        db_res *o = db_select(c, a, "SELECT 1 AS x FROM organisations WHERE id = $1", 1,
                              (const char *[]){in->org_id});
        if (!o) return -1;
        if (o->nrows != 1) return CATALOG_GONE;
    }
    if (!in->category_id) return 0;
    db_res *k = db_select(c, a, "SELECT slug_path FROM categories WHERE id = $1", 1,
                          (const char *[]){in->category_id});
    if (!k) return -1;
    if (k->nrows != 1) return CATALOG_GONE;
    *path = arena_printf(a, "%s/%s", db_val(k, 0, "slug_path"), in->slug);
    const char *p[] = {in->category_id, in->slug, self_id ? self_id : "0", *path};
    db_res *t = db_select(c, a,
                          "SELECT 1 AS x FROM courses WHERE category_id = $1 AND slug = $2 "
                          "AND id <> $3 UNION ALL "
                          "SELECT 1 AS x FROM categories WHERE slug_path = $4",
                          4, p);
    if (!t) return -1;
    return t->nrows ? CATALOG_SLUG_TAKEN : 0;
}

static const char *const *course_params(arena *a, const catalog_course_in *in, const char *id)
{
    const char **p = arena_alloc(a, 12 * sizeof *p);
    p[0] = in->category_id;
    p[1] = in->org_id;
    p[2] = in->slug;
    p[3] = in->name;
    p[4] = in->summary ? in->summary : "";
    p[5] = in->description ? in->description : "";
    p[6] = num(a, in->price_cents);
    p[7] = num(a, in->vat_rate);
    p[8] = in->duration ? in->duration : "";
    p[9] = in->requires_birth_date ? "1" : "0";
    p[10] = in->active ? "1" : "0";
    p[11] = id ? id : now_text(a);
    return p;
}

int catalog_admin_course_add(db_conn *c, arena *a, const catalog_course_in *in, long long *id)
{
    const char *path;
    int rc = course_place(c, a, in, NULL, &path);
    if (rc != 0) return rc;
    db_res *r = db_select(c, a,
                          "INSERT INTO courses (category_id, maatwerk_org_id, slug, name, summary, "
                          "description, price_cents, vat_rate, duration, requires_birth_date, "
                          "active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                          "$11, $12) RETURNING id",
                          12, course_params(a, in, NULL));
    if (!r || r->nrows != 1) return db_errkind_of(c) == DB_ERR_UNIQUE ? CATALOG_SLUG_TAKEN : -1;
    *id = db_int(r, 0, "id");
    return path ? redirect_drop(c, a, path) : 0;
}

int catalog_admin_course_update(db_conn *c, arena *a, const char *id, const catalog_course_in *in)
{
    db_res *old = db_select(c, a,
                            arena_printf(a,
                                         "SELECT cat.slug_path || '/' || c.slug AS path "
                                         "FROM courses c LEFT JOIN categories cat "
                                         "ON cat.id = c.category_id WHERE c.id = $1%s",
                                         db_for_update(c, a, "c")),
                            1, (const char *[]){id});
    if (!old) return -1;
    if (old->nrows != 1) return CATALOG_GONE;
    const char *path;
    int rc = course_place(c, a, in, id, &path);
    if (rc != 0) return rc;
    if (db_query(c, a, NULL,
                 "UPDATE courses SET category_id = $1, maatwerk_org_id = $2, slug = $3, "
                 "name = $4, summary = $5, description = $6, price_cents = $7, vat_rate = $8, "
                 "duration = $9, requires_birth_date = $10, active = $11 WHERE id = $12",
                 12, course_params(a, in, id)) != 1)
        return db_errkind_of(c) == DB_ERR_UNIQUE ? CATALOG_SLUG_TAKEN : -1;
    const char *old_path = db_val(old, 0, "path");
    /* without a category (maatwerk) the course has no public address */
    if (!old_path || !path || strcmp(old_path, path) == 0) return 0;
    if (redirect_put(c, a, old_path, NULL, id) != 0) return -1;
    return redirect_drop(c, a, path);
}

int catalog_admin_course_delete(db_conn *c, arena *a, const char *id)
{
    db_res *r = catalog_admin_course(c, a, id);
    if (!r) return -1;
    if (r->nrows != 1) return CATALOG_GONE;
    if (db_int(r, 0, "events") > 0) return CATALOG_IN_USE;
    if (db_q(c, a, NULL, "DELETE FROM slug_redirects WHERE course_id = $1", id) < 0) return -1;
    if (db_q(c, a, NULL, "DELETE FROM courses WHERE id = $1", id) != 1)
        return db_errkind_of(c) == DB_ERR_FOREIGN ? CATALOG_IN_USE : -1;
    return 0;
}

db_res *catalog_admin_course_options(db_conn *c, arena *a)
{
    return db_select(c, a,
                     "SELECT c.id, c.name, o.name AS org_name, c.active FROM courses c "
                     "LEFT JOIN organisations o ON o.id = c.maatwerk_org_id "
                     "ORDER BY lower(c.name), c.id",
                     0, NULL);
}

/* The organisations' names for the maatwerk choice only; the organisation
 * feature owns the rows. */
db_res *catalog_admin_organisations(db_conn *c, arena *a)
{
    return db_select(c, a, "SELECT id, name FROM organisations ORDER BY lower(name), id", 0, NULL);
}
