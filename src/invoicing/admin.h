/* admin.h - invoicing in the back office, private to src/invoicing/: the
 * list of every invoice (admin.c), what is left to invoice or credit
 * (admin_pending.c), one invoice with Markeer als betaald (admin_detail.c)
 * and their own queries (admin_store.c); issuing itself is the store's.
 *
 * Staff act for no organisation: nothing is scoped by the session, but
 * every id and number comes from the path or the form and is looked up
 * (missing: 404 or a refusal). Results live in the caller's arena; NULL or
 * -1 is a database error kept on the connection. */
#ifndef KP_INVOICING_ADMIN_H
#define KP_INVOICING_ADMIN_H

#include "db/db.h"
#include "db/keyset.h"
#include "http/http.h"
#include "http/router.h"
#include "web/tmpl.h"

#define INV_ADMIN_PATH "/beheer/facturen"
#define INV_PENDING_PATH "/beheer/facturen/te-factureren"

typedef struct inv_admin_filter {
    const char *today;
    const char *status; /* "open" (not yet due), "betaald", "vervallen"; NULL: all */
    const char *q;      /* words that must each occur in the number or the party's name */
} inv_admin_filter;

/* How many invoices match, counted up to cap; -1 on an error. */
long long inv_admin_count(db_conn *c, arena *a, const inv_admin_filter *f, long long cap);
/* One page as k says; columns: id, number, kind, invoice_date, due_date,
 * amount_cents, status, paid_on, party_name, reference, and the keyset's. */
db_res *inv_admin_page(db_conn *c, arena *a, const inv_admin_filter *f, const db_keyset *k);

/* Maatwerk events not cancelled that have no invoice line yet; columns:
 * id, name, starts_on, price_cents, vat_rate, course_name, org_name,
 * participants (processed registrations). At most 200, soonest first. */
db_res *inv_admin_maatwerk(db_conn *c, arena *a);

/* The credit notes of an invoice; columns: number, invoice_date. */
db_res *inv_admin_credits(db_conn *c, arena *a, long long invoice_id);

/* The page's context with Beheer » Facturen » last (NULL: the list). */
tv *inv_admin_ctx(http_req *rq, const char *last, const char *last_href);

void inv_admin_pending_routes(router *r);
void inv_admin_detail_routes(router *r);

#endif
