/* store.c - see store.h. Reading invoices back (load, list) is here;
 * issuing (numbers, invoices, credit notes, payment) is in issue.c. */
#include <stdio.h>
#include <string.h>

#include "invoicing/internal.h"

#define INVOICE_COLUMNS                                                                            \
    "i.id, i.number, i.kind, i.person_id, i.organisation_id, i.invoice_date, i.due_date, "         \
    "i.status, i.paid_on, i.amount_cents, i.net_cents, i.vat_cents, i.reference, "                 \
    "i.payment_reference, i.party_name, i.party_attention, i.party_street, "                       \
    "i.party_house_number, i.party_postcode, i.party_city, i.party_kvk, i.party_email, "           \
    "i.seller_name, i.seller_street, i.seller_postcode, i.seller_city, i.seller_kvk, "             \
    "i.seller_vat, i.seller_iban, i.seller_email, i.seller_phone, "                                \
    "c.number AS credit_of_number, c.invoice_date AS credit_of_date "                              \
    "FROM invoices i LEFT JOIN invoices c ON c.id = i.credit_of "

const char *inv_num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

/* The WHERE part that keeps a read inside the scope, with its parameter as
 * $n; NULL when the scope may see nothing. */
static const char *scope_sql(arena *a, const inv_scope *s, int n, const char **param)
{
    *param = NULL;
    if (s->staff) return "";
    if (s->organisation_id > 0) {
        *param = inv_num(a, s->organisation_id);
        return arena_printf(a, " AND i.organisation_id = $%d", n);
    }
    if (s->person_id > 0) {
        *param = inv_num(a, s->person_id);
        return arena_printf(a, " AND i.person_id = $%d AND i.organisation_id IS NULL", n);
    }
    return NULL;
}

static const char *str(const db_res *r, const char *col)
{
    const char *v = db_val(r, 0, col);
    return v ? v : "";
}

static void fill_head(inv_invoice *inv, const db_res *r)
{
    inv->id = db_int(r, 0, "id");
    inv->number = str(r, "number");
    inv->credit = strcmp(str(r, "kind"), "creditnota") == 0;
    inv->credit_of_number = db_val(r, 0, "credit_of_number");
    inv->credit_of_date = db_val(r, 0, "credit_of_date");
    inv->person_id = db_int(r, 0, "person_id");
    inv->organisation_id = db_int(r, 0, "organisation_id");
    inv->invoice_date = str(r, "invoice_date");
    inv->due_date = str(r, "due_date");
    inv->status = str(r, "status");
    inv->paid_on = db_val(r, 0, "paid_on");
    inv->reference = str(r, "reference");
    inv->payment_reference = str(r, "payment_reference");
    inv->party =
        (inv_party){str(r, "party_name"),         str(r, "party_attention"), str(r, "party_street"),
                    str(r, "party_house_number"), str(r, "party_postcode"),  str(r, "party_city"),
                    str(r, "party_kvk"),          str(r, "party_email")};
    inv->seller =
        (inv_seller){str(r, "seller_name"), str(r, "seller_street"), str(r, "seller_postcode"),
                     str(r, "seller_city"), str(r, "seller_kvk"),    str(r, "seller_vat"),
                     str(r, "seller_iban"), str(r, "seller_email"),  str(r, "seller_phone")};
}

static int fill_lines(db_conn *c, arena *a, inv_invoice *inv)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT description, amount_cents, vat_rate, registration_id, event_id "
             "FROM invoice_lines WHERE invoice_id = $1 ORDER BY position, id",
             inv_num(a, inv->id)) < 0)
        return -1;
    inv->nlines = r->nrows;
    inv->lines = arena_zalloc(a, sizeof *inv->lines * (size_t)(r->nrows ? r->nrows : 1));
    for (int i = 0; i < r->nrows; i++)
        inv->lines[i] = (inv_line){db_val(r, i, "description"), db_int(r, i, "amount_cents"),
                                   (int)db_int(r, i, "vat_rate"), db_int(r, i, "registration_id"),
                                   db_int(r, i, "event_id")};
    return 0;
}

/* The head in r (one row), then its lines. The VAT breakdown is computed
 * from the lines exactly as at issue; the totals are the issued ones. */
static int finish_load(db_conn *c, arena *a, const db_res *r, inv_invoice **out)
{
    if (r->nrows == 0) return 0;
    inv_invoice *inv = arena_zalloc(a, sizeof *inv);
    fill_head(inv, r);
    if (fill_lines(c, a, inv) != 0) return -1;
    inv_totals(inv);
    inv->net_cents = db_int(r, 0, "net_cents");
    inv->vat_cents = db_int(r, 0, "vat_cents");
    inv->total_cents = db_int(r, 0, "amount_cents");
    *out = inv;
    return 1;
}

int inv_load(db_conn *c, arena *a, const inv_scope *s, const char *number, inv_invoice **out)
{
    *out = NULL;
    if (!inv_number_valid(number)) return 0;
    const char *p2;
    const char *where = scope_sql(a, s, 2, &p2);
    if (!where) return 0;
    db_res *r;
    const char *sql = arena_printf(a, "SELECT " INVOICE_COLUMNS "WHERE i.number = $1%s", where);
    const char *params[] = {number, p2};
    if (db_query(c, a, &r, sql, p2 ? 2 : 1, params) < 0) return -1;
    return finish_load(c, a, r, out);
}

int inv_load_id(db_conn *c, arena *a, long long id, inv_invoice **out)
{
    *out = NULL;
    db_res *r;
    if (db_q(c, a, &r, "SELECT " INVOICE_COLUMNS "WHERE i.id = $1", inv_num(a, id)) < 0) return -1;
    return finish_load(c, a, r, out);
}

db_res *inv_list(db_conn *c, arena *a, const inv_scope *s)
{
    const char *p1;
    const char *where = scope_sql(a, s, 1, &p1);
    if (!where) where = " AND 1 = 0";
    const char *sql = arena_printf(a,
                                   "SELECT i.id, i.number, i.kind, i.invoice_date, i.due_date, "
                                   "i.amount_cents, i.status, i.paid_on, i.party_name, i.reference "
                                   "FROM invoices i WHERE 1 = 1%s "
                                   "ORDER BY i.invoice_date DESC, i.number DESC LIMIT 500",
                                   where);
    const char *params[] = {p1};
    return db_select(c, a, sql, p1 ? 1 : 0, params);
}
