/* admin.c - Facturen in the back office (/beheer/facturen): every invoice
 * and credit note, newest number first, searched by number and invoice
 * party, filtered by open / betaald / vervallen, paged by key, and the same
 * rows as a CSV download. Registers the back office's invoicing routes. */
#include <string.h>

#include "core/timeutil.h"
#include "invoicing/admin.h"
#include "invoicing/invoicing.h"
#include "invoicing/store.h"
#include "web/list.h"
#include "web/page.h"

static const list_col cols[] = {
    {"nummer", "Nummer", "i.number", 0, 0, 1},
    {"datum", "Factuurdatum", "i.invoice_date", 0, 0, 1},
    {"partij", "Factuur aan", "lower(i.party_name)", 0, 0, 0},
    {"bedrag", "Bedrag", "i.amount_cents", 1, 1, 1},
    {"vervaldatum", "Vervaldatum", "i.due_date", 0, 0, 0},
    {NULL, "Status", NULL, 0, 0, 0},
};

static const char *const filters[] = {"status", "q", NULL};

static const list_spec invoice_list = {
    .path = INV_ADMIN_PATH,
    .caption = "Facturen en creditfacturen, het hoogste nummer eerst",
    .one = "factuur",
    .many = "facturen",
    .empty = "Er zijn geen facturen die aan de filters voldoen.",
    .cols = cols,
    .ncols = 6,
    .sort_col = 0,
    .id_expr = "i.id",
    .per_page = 25,
    .per_page_min = 10,
    .per_page_max = 100,
    .filters = filters,
    .csv_path = INV_ADMIN_PATH "/csv",
};

static const struct {
    const char *value, *label;
} statuses[] = {
    {"open", "Open"},
    {"vervallen", "Vervallen (open, na de vervaldatum)"},
    {"betaald", "Betaald"},
};

tv *inv_admin_ctx(http_req *rq, const char *last, const char *last_href)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Facturen", last ? INV_ADMIN_PATH : NULL);
    if (last) page_crumb(rq, ctx, last, last_href);
    return ctx;
}

static long long src_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return inv_admin_count(c, a, arg, cap);
}

static db_res *src_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return inv_admin_page(c, a, arg, k);
}

static inv_admin_filter *read_filter(http_req *rq)
{
    inv_admin_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->today = date_today_plus(rq->a, 0);
    f->q = req_in(rq, "q");
    const char *s = req_in(rq, "status");
    for (size_t i = 0; s && i < sizeof statuses / sizeof statuses[0]; i++)
        if (strcmp(s, statuses[i].value) == 0) f->status = statuses[i].value;
    return f;
}

static const char *kind_text(const db_res *r, int i)
{
    return strcmp(db_val(r, i, "kind"), "creditnota") == 0 ? "creditfactuur" : NULL;
}

static void put_rows(http_req *rq, const list_page *l, tv *rows, const char *today)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        const char *number = db_val(r, i, "number"), *ref = db_val(r, i, "reference");
        const char *shown = inv_status_shown(db_val(r, i, "kind"), db_val(r, i, "status"),
                                             db_val(r, i, "due_date"), today);
        const char *paid = db_val(r, i, "paid_on");
        list_cell cells[6] = {
            {.text = number,
             .href = arena_printf(rq->a, INV_ADMIN_PATH "/%s", number),
             .sub = kind_text(r, i)},
            {.text = date_nl(rq->a, db_val(r, i, "invoice_date")),
             .datetime = db_val(r, i, "invoice_date")},
            {.text = db_val(r, i, "party_name"),
             .sub = ref && *ref ? arena_printf(rq->a, "referentie %s", ref) : NULL},
            {.text = money_nl(rq->a, db_int(r, i, "amount_cents"))},
            {.text = date_nl(rq->a, db_val(r, i, "due_date")),
             .datetime = db_val(r, i, "due_date")},
            {.text = shown,
             .sub = paid ? arena_printf(rq->a, "op %s", date_nl(rq->a, paid)) : NULL},
        };
        list_row(rq, l, rows, cells);
    }
}

static void list_get(http_req *rq, http_resp *rs)
{
    inv_admin_filter *f = read_filter(rq);
    list_page l;
    list_read(rq, &invoice_list, &l);
    list_source src = {src_count, src_fetch, f};
    tv *ctx = inv_admin_ctx(rq, NULL, NULL);
    if (list_load(rq, &l, &src) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *box =
        list_filters(ctx, "/beheer/facturen", "Facturen zoeken", "Zoeken en filters", "Zoeken");
    list_filter_search(box, "f-q", "q", "Zoeken", f->q, 100, "Factuurnummer of naam");
    tv *sel = list_filter_select(box, "f-status", "status", "Status", "Alle facturen");
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        list_filter_option(sel, statuses[i].value, statuses[i].label,
                           f->status && strcmp(f->status, statuses[i].value) == 0);
    if (f->status || f->q) list_filter_clear(box, "Filters wissen");
    tv *errs = tv_set_list(ctx, "errors");
    for (size_t i = 0; i < rq->errors.n; i++)
        if (!list_owns_input(rq->errors.v[i].name))
            tv_push(errs, tv_str(rq->a, rq->errors.v[i].value));
    put_rows(rq, &l, list_view(rq, ctx, &l), f->today);
    page_render(rq, rs, "beheer/facturen", ctx, "Facturen", NAV_BEHEER);
}

static const char *const csv_header[] = {"Nummer",      "Soort",       "Factuurdatum",
                                         "Vervaldatum", "Factuur aan", "Bedrag",
                                         "Status",      "Betaald op",  "Referentie"};

static void csv_cells(const db_res *r, int i, const char **cells, arena *a, void *arg)
{
    const inv_admin_filter *f = arg;
    const char *paid = db_val(r, i, "paid_on");
    cells[0] = db_val(r, i, "number");
    cells[1] = kind_text(r, i) ? "creditfactuur" : "factuur";
    cells[2] = date_nl(a, db_val(r, i, "invoice_date"));
    cells[3] = date_nl(a, db_val(r, i, "due_date"));
    cells[4] = db_val(r, i, "party_name");
    cells[5] = money_nl(a, db_int(r, i, "amount_cents"));
    cells[6] = inv_status_shown(db_val(r, i, "kind"), db_val(r, i, "status"),
                                db_val(r, i, "due_date"), f->today);
    cells[7] = paid ? date_nl(a, paid) : "";
    cells[8] = db_val(r, i, "reference");
}

static void list_csv_get(http_req *rq, http_resp *rs)
{
    inv_admin_filter *f = read_filter(rq);
    list_page l;
    list_read(rq, &invoice_list, &l);
    list_source src = {src_count, src_fetch, f};
    list_csv_spec x = {arena_printf(rq->a, "facturen-%s.csv", f->today), csv_header, 9, csv_cells};
    list_csv(rq, rs, &l, &src, &x);
}

static const field_spec list_fields[] = {
    {"status", IN_QUERY, FK_SLUG, 20},
    {"q", IN_QUERY, FK_LINE, 100},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static const field_spec csv_fields[] = {
    {"status", IN_QUERY, FK_SLUG, 20},
    {"q", IN_QUERY, FK_LINE, 100},
    LIST_SORT_INPUTS,
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", INV_ADMIN_PATH, list_get, list_fields, RF_STAFF},
    {"GET", INV_ADMIN_PATH "/csv", list_csv_get, csv_fields, RF_STAFF},
};

void invoicing_admin_routes(router *r)
{
    router_add_all(r, routes);
    inv_admin_pending_routes(r);
    inv_admin_detail_routes(r);
}
