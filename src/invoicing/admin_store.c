/* admin_store.c - the back office's own queries on invoices (see
 * admin.h): the list walked by key, the maatwerk events left to invoice,
 * the credit notes of an invoice. */
#include <string.h>

#include "core/buf.h"
#include "invoicing/admin.h"

#define WORDS 6

/* FROM and WHERE of both list queries. */
static void list_where(db_conn *c, arena *a, const inv_admin_filter *f, buf *sql, const char **p,
                       int *n)
{
    buf_puts(sql, " FROM invoices i WHERE 1 = 1");
    if (f->status && strcmp(f->status, "betaald") == 0) {
        buf_puts(sql, " AND i.status = 'betaald'");
    } else if (f->status) {
        /* a credit note is owed to the customer: open, never overdue */
        p[(*n)++] = f->today;
        if (strcmp(f->status, "vervallen") == 0)
            buf_printf(sql, " AND i.status = 'open' AND i.kind = 'factuur' AND i.due_date < $%d",
                       *n);
        else
            buf_printf(
                sql, " AND i.status = 'open' AND (i.due_date >= $%d OR i.kind = 'creditnota')", *n);
    }
    const char *s = f->q ? f->q : "";
    for (int words = 0; words < WORDS; words++) {
        s += strspn(s, " \t");
        size_t len = strcspn(s, " \t");
        if (!len) break;
        p[(*n)++] = db_like_contains(a, s, len);
        buf_printf(sql, " AND (i.number || ' ' || i.party_name) %s $%d ESCAPE '\\'", db_ilike(c),
                   *n);
        s += len;
    }
}

long long inv_admin_count(db_conn *c, arena *a, const inv_admin_filter *f, long long cap)
{
    const char *p[WORDS + 1];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 512);
    buf_puts(&sql, "SELECT count(*) AS n FROM (SELECT 1 AS one");
    list_where(c, a, f, &sql, p, &n);
    buf_printf(&sql, " LIMIT %lld) t", cap);
    db_res *r = db_select(c, a, sql.data, n, p);
    return r ? db_int(r, 0, "n") : -1;
}

db_res *inv_admin_page(db_conn *c, arena *a, const inv_admin_filter *f, const db_keyset *k)
{
    const char *p[WORDS + 3];
    int n = 0;
    buf sql;
    buf_init(&sql, a, 1024);
    buf_puts(&sql, "SELECT i.id, i.number, i.kind, i.invoice_date, i.due_date, i.amount_cents, "
                   "i.status, i.paid_on, i.party_name, i.reference");
    db_keyset_columns(k, &sql);
    list_where(c, a, f, &sql, p, &n);
    db_keyset_where(k, &sql, p, &n);
    db_keyset_tail(k, &sql);
    return db_select(c, a, sql.data, n, p);
}

db_res *inv_admin_maatwerk(db_conn *c, arena *a)
{
    return db_select(c, a,
                     "SELECT e.id, e.name, e.starts_on, e.price_cents, c.vat_rate, "
                     "c.name AS course_name, o.name AS org_name, (SELECT count(*) FROM "
                     "registrations r WHERE r.event_id = e.id AND r.status = 'verwerkt') AS "
                     "participants FROM events e JOIN courses c ON c.id = e.course_id "
                     "JOIN organisations o ON o.id = c.maatwerk_org_id WHERE e.cancelled = 0 "
                     "AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.event_id = e.id) "
                     "ORDER BY e.starts_on, e.id LIMIT 200",
                     0, NULL);
}

db_res *inv_admin_credits(db_conn *c, arena *a, long long invoice_id)
{
    return db_select(c, a,
                     "SELECT number, invoice_date FROM invoices WHERE credit_of = $1 ORDER BY id",
                     1, (const char *[]){arena_printf(a, "%lld", invoice_id)});
}
