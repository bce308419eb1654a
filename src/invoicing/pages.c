/* pages.c - Facturen in Mijn Onderwijsgroep: /mijn/facturen (Openstaand and
 * Betaald), an invoice's page /mijn/facturen/<nummer>, and its PDF
 * (<nummer>.pdf) and e-invoice (<nummer>.xml).
 *
 * Whose invoices: the scope comes from the session alone. Acting as person,
 * the person's own; acting for an organisation, the organisation's, but
 * only for its beheerders: an invoice names colleagues and amounts, so a
 * medewerker is refused (403) on every page here before anything is read.
 * The route cannot say so with RF_BEHEERDER, because the same pages serve
 * the person context. A number the scope cannot see is 404, the same as a
 * number that does not exist, so nobody learns which numbers are in use.
 *
 * Everything shown comes from the invoice as issued (store.h): a later
 * change of address or price changes none of these pages or files. The PDF
 * parses its fonts, so it is made on the worker pool (req_defer). */
#include <string.h>

#include "auth/session.h"
#include "core/timeutil.h"
#include "invoicing/internal.h"
#include "invoicing/invoicing.h"
#include "invoicing/store.h"
#include "web/page.h"

#define PATH_LIST "/mijn/facturen"

/* The scope of the session; 0, or -1 for a medewerker acting for an
 * organisation (who sees no invoices). */
static int scope_of(const http_req *rq, inv_scope *s)
{
    const auth_ctx *u = auth_user(rq);
    *s = (inv_scope){0};
    if (!u->org_id) {
        s->person_id = u->person_id;
        return 0;
    }
    if (!u->beheerder) return -1;
    s->organisation_id = u->org_id;
    return 0;
}

/* The medewerker's answer: why, and that their own invoices are one
 * context switch away. */
static void refuse(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Facturen", NULL);
    tv_set_str(ctx, "org_name", u->org_name);
    page_render(rq, rs, "invoicing/refused", ctx, "Facturen", NAV_MIJN);
    rs->status = 403;
}

static void put_date(arena *a, tv *obj, const char *key, const char *iso)
{
    tv *d = tv_set_obj(obj, key);
    tv_set_str(d, "iso", iso);
    tv_set_str(d, "nl", date_nl(a, iso));
}

/* One row of Openstaand or Betaald. */
static void list_row(http_req *rq, tv *rows, const db_res *r, int i, const char *today)
{
    const char *number = db_val(r, i, "number");
    tv *row = tv_push_obj(rows);
    tv_set_str(row, "number", number);
    tv_set_str(row, "href", arena_printf(rq->a, PATH_LIST "/%s", number));
    tv_set_bool(row, "credit", strcmp(db_val(r, i, "kind"), "creditnota") == 0);
    put_date(rq->a, row, "date", db_val(r, i, "invoice_date"));
    put_date(rq->a, row, "due", db_val(r, i, "due_date"));
    tv_set_str(row, "amount", money_nl(rq->a, db_int(r, i, "amount_cents")));
    const char *shown = inv_status_shown(db_val(r, i, "kind"), db_val(r, i, "status"),
                                         db_val(r, i, "due_date"), today);
    tv_set_str(row, "status", shown);
    tv_set_bool(row, "overdue", strcmp(shown, "vervallen") == 0);
}

/* Openstaand or Betaald: its heading and what it says when empty. */
static tv *section(tv *sections, const char *id, const char *heading, const char *empty)
{
    tv *sec = tv_push_obj(sections);
    tv_set_str(sec, "id", id);
    tv_set_str(sec, "heading", heading);
    tv_set_str(sec, "empty", empty);
    tv_set_list(sec, "rows");
    return sec;
}

static void list_get(http_req *rq, http_resp *rs)
{
    inv_scope s;
    if (scope_of(rq, &s) != 0) {
        refuse(rq, rs);
        return;
    }
    db_res *r = inv_list(req_db(rq), rq->a, &s);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }
    const char *today = date_today_plus(rq->a, 0);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Facturen", NULL);
    const char *org = s.organisation_id ? auth_user(rq)->org_name : NULL;
    if (org) tv_set_str(ctx, "org_name", org);
    tv *sections = tv_set_list(ctx, "sections");
    tv *open = section(sections, "openstaand", "Openstaand",
                       org ? arena_printf(rq->a, "Er staan geen facturen van %s open.", org)
                           : "Er staan geen facturen open.");
    tv *paid = section(sections, "betaald", "Betaald",
                       org ? arena_printf(rq->a, "Er zijn nog geen betaalde facturen van %s.", org)
                           : "Er zijn nog geen betaalde facturen.");
    for (int i = 0; i < r->nrows; i++) {
        tv *in = strcmp(db_val(r, i, "status"), "betaald") == 0 ? paid : open;
        list_row(rq, tv_get(in, "rows"), r, i, today);
    }
    tv_set_bool(open, "has_rows", tv_len(tv_get(open, "rows")) > 0);
    tv_set_bool(paid, "has_rows", tv_len(tv_get(paid, "rows")) > 0);
    page_render(rq, rs, "invoicing/list", ctx, "Facturen", NAV_MIJN);
}

/* The invoice of the path, if this session may see it; otherwise the
 * answer is given (403, 404 or 500) and NULL returned. */
static inv_invoice *load(http_req *rq, http_resp *rs)
{
    inv_scope s;
    if (scope_of(rq, &s) != 0) {
        refuse(rq, rs);
        return NULL;
    }
    const char *number = req_param(rq, "nummer");
    if (!inv_number_valid(number)) {
        page_error(rq, rs, 404);
        return NULL;
    }
    inv_invoice *inv = NULL;
    int rc = inv_load(req_db(rq), rq->a, &s, number, &inv);
    if (rc < 0) page_db_error(rq, rs);
    if (rc == 0) page_error(rq, rs, 404);
    return rc == 1 ? inv : NULL;
}

static void put_party(arena *a, tv *ctx, const inv_party *p)
{
    tv *o = tv_set_obj(ctx, "party");
    tv_set_str(o, "name", p->name);
    tv_set_str(o, "attention", p->attention);
    tv_set_str(o, "street", arena_printf(a, "%s %s", p->street, p->house_number));
    tv_set_str(o, "city", arena_printf(a, "%s  %s", p->postcode, p->city));
    tv_set_str(o, "kvk", p->kvk);
    tv_set_str(o, "email", p->email);
}

static void put_seller(tv *ctx, const inv_seller *s)
{
    tv *o = tv_set_obj(ctx, "seller");
    tv_set_str(o, "name", s->name);
    tv_set_str(o, "street", s->street);
    tv_set_str(o, "postcode", s->postcode);
    tv_set_str(o, "city", s->city);
    tv_set_str(o, "kvk", s->kvk);
    tv_set_str(o, "vat", s->vat);
    tv_set_str(o, "iban", s->iban);
}

static void detail_get(http_req *rq, http_resp *rs)
{
    inv_invoice *inv = load(rq, rs);
    if (!inv) return;
    arena *a = rq->a;
    const char *kind = inv->credit ? "Creditfactuur" : "Factuur";
    const char *title = arena_printf(a, "%s %s", kind, inv->number);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Facturen", PATH_LIST);
    page_crumb(rq, ctx, inv->number, NULL);
    tv_set_str(ctx, "title", title);
    tv_set_str(ctx, "number", inv->number);
    tv_set_bool(ctx, "credit", inv->credit);
    if (inv->credit_of_number) {
        tv_set_str(ctx, "credit_of", inv->credit_of_number);
        tv_set_str(ctx, "credit_of_href", arena_printf(a, PATH_LIST "/%s", inv->credit_of_number));
    }
    put_date(a, ctx, "date", inv->invoice_date);
    put_date(a, ctx, "due", inv->due_date);
    if (inv->paid_on) put_date(a, ctx, "paid_on", inv->paid_on);
    tv_set_str(ctx, "reference", inv->reference);
    tv_set_str(ctx, "payment_reference", inv->payment_reference);
    const char *shown = inv_status_shown(inv->credit ? "creditnota" : "factuur", inv->status,
                                         inv->due_date, date_today_plus(a, 0));
    tv_set_str(ctx, "status", shown);
    tv_set_bool(ctx, "to_pay", !inv->credit && strcmp(shown, "betaald") != 0);
    put_party(a, ctx, &inv->party);
    put_seller(ctx, &inv->seller);
    inv_view_amounts(a, ctx, inv, 0);
    tv_set_str(ctx, "pdf_href", arena_printf(a, PATH_LIST "/%s.pdf", inv->number));
    tv_set_str(ctx, "xml_href", arena_printf(a, PATH_LIST "/%s.xml", inv->number));
    page_render(rq, rs, "invoicing/invoice", ctx, title, NAV_MIJN);
}

static void pdf_get(http_req *rq, http_resp *rs)
{
    if (inv_pdf_resumed(rq, rs)) return;
    inv_invoice *inv = load(rq, rs);
    if (inv) inv_pdf_defer(rq, inv);
}

static void xml_get(http_req *rq, http_resp *rs)
{
    inv_invoice *inv = load(rq, rs);
    if (inv) inv_send_xml(rq, rs, inv);
}

static const route routes[] = {
    {"GET", PATH_LIST, list_get, NULL, RF_LOGIN},
    {"GET", PATH_LIST "/:nummer", detail_get, NULL, RF_LOGIN},
    {"GET", PATH_LIST "/:nummer.pdf", pdf_get, NULL, RF_LOGIN},
    {"GET", PATH_LIST "/:nummer.xml", xml_get, NULL, RF_LOGIN},
};

void invoicing_routes(router *r)
{
    router_add_all(r, routes);
}
