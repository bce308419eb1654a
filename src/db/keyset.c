/* keyset.c - see keyset.h */
#include "db/keyset.h"

/* The direction rows are read in: a walk back reads the list reversed. */
static int reads_desc(const db_keyset *k)
{
    return k->desc != k->before;
}

void db_keyset_columns(const db_keyset *k, buf *sql)
{
    buf_printf(sql, ", %s AS ks_key, %s AS ks_id", k->expr, k->id_expr);
}

void db_keyset_where(const db_keyset *k, buf *sql, const char **params, int *n)
{
    if (!k->key || !k->id) return;
    params[*n] = k->key;
    params[*n + 1] = k->id;
    buf_printf(sql, " AND (%s, %s) %c (CAST($%d AS %s), CAST($%d AS BIGINT))", k->expr, k->id_expr,
               reads_desc(k) ? '<' : '>', *n + 1, k->is_int ? "BIGINT" : "TEXT", *n + 2);
    *n += 2;
}

void db_keyset_tail(const db_keyset *k, buf *sql)
{
    const char *dir = reads_desc(k) ? "DESC" : "ASC";
    buf_printf(sql, " ORDER BY %s %s, %s %s LIMIT %d", k->expr, dir, k->id_expr, dir, k->limit + 1);
    if (k->offset > 0) buf_printf(sql, " OFFSET %lld", k->offset);
}

static void swap_rows(db_res *r, int i, int j)
{
    for (int c = 0; c < r->ncols; c++) {
        const char *v = r->vals[i * r->ncols + c];
        r->vals[i * r->ncols + c] = r->vals[j * r->ncols + c];
        r->vals[j * r->ncols + c] = v;
    }
    if (!r->lens) return;
    /* lens is const for readers; the rows are the caller's to reorder */
    size_t *lens = (size_t *)r->lens;
    for (int c = 0; c < r->ncols; c++) {
        size_t l = lens[i * r->ncols + c];
        lens[i * r->ncols + c] = lens[j * r->ncols + c];
        lens[j * r->ncols + c] = l;
    }
}

int db_keyset_finish(const db_keyset *k, db_res *r)
{
    int more = r->nrows > k->limit;
    if (more) r->nrows = k->limit;
    if (k->before)
        for (int i = 0, j = r->nrows - 1; i < j; i++, j--)
            swap_rows(r, i, j);
    return more;
}

const char *db_keyset_key(const db_res *r, int i)
{
    return db_val(r, i, "ks_key");
}

const char *db_keyset_id(const db_res *r, int i)
{
    return db_val(r, i, "ks_id");
}
