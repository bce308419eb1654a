/* keyset.h - the SQL of one page of a list, walked by key instead of by
 * OFFSET: "the rows after (key, id)" is one index range scan however deep
 * the page, where OFFSET makes the database read and throw away every
 * earlier row, and a row added or removed meanwhile never makes a page
 * show a row twice or skip one.
 *
 * A list is ordered by one sort expression and a unique integer id as the
 * tie-breaker (many events share a date), both in the same direction. The
 * comparison is a row value, "(expr, id) > (CAST($k AS TEXT), CAST($i AS
 * BIGINT))": SQLite (3.15 and later) and PostgreSQL read it alike and both
 * use an index on (expr, id) for it; the casts make SQLite compare a key
 * that looks like a number as text, as the column holds it.
 *
 * Usage, in a store function that builds its own SELECT and WHERE:
 *   "SELECT <columns>" db_keyset_columns "FROM … WHERE …" db_keyset_where
 *   db_keyset_tail, then db_keyset_finish on the result.
 * Pure string building; no allocation but the buf's.
 */
#ifndef KP_DB_KEYSET_H
#define KP_DB_KEYSET_H

#include "core/buf.h"
#include "db/db.h"

typedef struct db_keyset {
    const char *expr;    /* sort expression; must never be NULL ("e.starts_on") */
    int is_int;          /* the expression is an integer, else text */
    const char *id_expr; /* unique integer tie-breaker ("e.id") */
    int desc;            /* descending order */
    int before;          /* the rows just before the key, walking back */
    const char *key;     /* boundary row's sort value, or NULL: from the start */
    const char *id;      /* boundary row's id (with key) */
    int limit;           /* rows in a page (one more is fetched: are there more?) */
    long long offset;    /* rows skipped; only for old page-number links */
} db_keyset;

/* Appends ", <expr> AS ks_key, <id_expr> AS ks_id" to a select list, so
 * the boundary of a page can be read back with db_keyset_key / _id. */
void db_keyset_columns(const db_keyset *k, buf *sql);
/* Appends " AND (expr, id) > / < ($n, $n+1)" when a key is set; the two
 * values go to params[*n] and params[*n + 1] and *n grows by 2. The caller
 * leaves room for them. */
void db_keyset_where(const db_keyset *k, buf *sql, const char **params, int *n);
/* Appends " ORDER BY … LIMIT limit+1" (and " OFFSET …" when set). */
void db_keyset_tail(const db_keyset *k, buf *sql);
/* Makes the result one page in display order: drops the extra row and,
 * for a walk back, reverses the rows. Returns 1 when more rows lie beyond
 * the page in the walking direction, else 0. */
int db_keyset_finish(const db_keyset *k, db_res *r);
/* The sort value and id of row i (for the next page's boundary). */
const char *db_keyset_key(const db_res *r, int i);
const char *db_keyset_id(const db_res *r, int i);

#endif
