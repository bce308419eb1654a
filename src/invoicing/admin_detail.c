/* admin_detail.c - one invoice in the back office
 * (/beheer/facturen/<nummer>): the issued copy as printed (party, dates,
 * reference, lines with their VAT rate, VAT per rate, totals, how to pay),
 * the credit notes that correct it, and Markeer als betaald with the date
 * it was paid (today unless staff type another). */
#include <string.h>

#include "auth/session.h"
#include "core/timeutil.h"
#include "invoicing/admin.h"
#include "invoicing/internal.h"
#include "invoicing/store.h"
#include "web/flash.h"
#include "web/page.h"
#include "web/webform.h"

static const wf_field paid_fields[] = {
    {"datum", "Betaald op", WF_DATE, 10, "Vul de datum van betaling in.", "dd-mm-jjjj", NULL, 10,
     NULL},
};
static const webform paid_form = WEBFORM(paid_fields);
/* A credit note is settled, not paid: the same field in its own words. */
static const wf_field settled_fields[] = {
    {"datum", "Verrekend of terugbetaald op", WF_DATE, 10,
     "Vul de datum van verrekening of terugbetaling in.", "dd-mm-jjjj", NULL, 10, NULL},
};
static const webform settled_form = WEBFORM(settled_fields);

static int has_text(const char *s)
{
    return s && *s;
}

static void fact(tv *list, const char *label, const char *value, const char *href)
{
    if (!has_text(value)) return;
    tv *o = tv_push_obj(list);
    tv_set_str(o, "label", label);
    tv_set_str(o, "value", value);
    tv_set_str(o, "href", href);
}

static void put_party(http_req *rq, tv *ctx, const inv_invoice *inv)
{
    arena *a = rq->a;
    const inv_party *p = &inv->party;
    tv *list = tv_set_list(ctx, "party");
    fact(list, "Naam", p->name, NULL);
    if (has_text(p->attention)) fact(list, "Ter attentie van", p->attention, NULL);
    if (has_text(p->street))
        fact(list, "Adres",
             arena_printf(a, "%s %s, %s  %s", p->street, p->house_number, p->postcode, p->city),
             NULL);
    fact(list, "KvK-nummer", p->kvk, NULL);
    fact(list, "Verstuurd naar", p->email, NULL);
    fact(list, "Referentie / inkoopnummer", inv->reference, NULL);
    if (inv->organisation_id)
        fact(list, "Organisatie", "naar de organisatie",
             arena_printf(a, "/beheer/organisaties/%lld", inv->organisation_id));
    else if (inv->person_id)
        fact(list, "Persoon", "naar de persoon",
             arena_printf(a, "/beheer/personen/%lld", inv->person_id));
}

static void put_facts(http_req *rq, tv *ctx, const inv_invoice *inv, const char *today)
{
    arena *a = rq->a;
    tv *list = tv_set_list(ctx, "facts");
    fact(list, "Soort", inv->credit ? "Creditfactuur" : "Factuur", NULL);
    if (inv->credit_of_number)
        fact(list, "Corrigeert factuur", inv->credit_of_number,
             arena_printf(a, INV_ADMIN_PATH "/%s", inv->credit_of_number));
    fact(list, "Factuurdatum", date_nl(a, inv->invoice_date), NULL);
    fact(list, "Vervaldatum", date_nl(a, inv->due_date), NULL);
    const char *shown =
        inv_status_shown(inv->credit ? "creditnota" : "factuur", inv->status, inv->due_date, today);
    fact(list, "Status",
         inv->paid_on ? arena_printf(a, "%s op %s", shown, date_nl(a, inv->paid_on)) : shown, NULL);
    fact(list, "Betalingskenmerk", inv->payment_reference, NULL);
}

static void detail_page(http_req *rq, http_resp *rs, const char *number, wf_values *v,
                        const char *error, int status)
{
    db_conn *c = req_db(rq);
    inv_invoice *inv = NULL;
    inv_scope staff = {.staff = 1};
    int rc = inv_load(c, rq->a, &staff, number, &inv);
    db_res *credits = rc == 1 ? inv_admin_credits(c, rq->a, inv->id) : NULL;
    if (rc < 0 || (rc == 1 && !credits)) {
        page_db_error(rq, rs);
        return;
    }
    if (rc == 0) {
        page_error(rq, rs, 404);
        return;
    }
    const char *today = date_today_plus(rq->a, 0);
    const char *title =
        arena_printf(rq->a, "%s %s", inv->credit ? "Creditfactuur" : "Factuur", number);
    tv *ctx = inv_admin_ctx(rq, title, NULL);
    tv_set_str(ctx, "heading", title);
    tv_set_str(ctx, "title", title);
    tv_set_str(ctx, "number", number);
    tv_set_str(ctx, "pdf_href", arena_printf(rq->a, INV_ADMIN_PATH "/%s.pdf", number));
    tv_set_str(ctx, "xml_href", arena_printf(rq->a, INV_ADMIN_PATH "/%s.xml", number));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "error", error);
    put_facts(rq, ctx, inv, today);
    put_party(rq, ctx, inv);
    inv_view_amounts(rq->a, ctx, inv, 1);
    tv *list = tv_set_list(ctx, "credits");
    for (int i = 0; i < credits->nrows; i++) {
        tv *o = tv_push_obj(list);
        const char *n = db_val(credits, i, "number");
        tv_set_str(o, "number", n);
        tv_set_str(o, "href", arena_printf(rq->a, INV_ADMIN_PATH "/%s", n));
        tv_set_str(o, "date", date_nl(rq->a, db_val(credits, i, "invoice_date")));
    }
    tv_set_bool(ctx, "has_credits", credits->nrows > 0);
    int open = strcmp(inv->status, "open") == 0;
    tv_set_bool(ctx, "can_pay", open);
    if (open) {
        const webform *f = inv->credit ? &settled_form : &paid_form;
        if (!v) {
            v = webform_values(rq->a, f);
            v->shown[0] = date_nl(rq->a, today);
        }
        webform_put(rq, ctx, f, v);
    }
    page_render(rq, rs, "beheer/factuur", ctx,
                error || (v && v->nerrors) ? arena_printf(rq->a, "Fout: %s", title) : title,
                NAV_BEHEER);
    rs->status = status;
}

/* The number from the path, or NULL (then 404 was sent). */
static const char *path_number(http_req *rq, http_resp *rs)
{
    const char *n = req_param(rq, "nummer");
    if (inv_number_valid(n)) return n;
    page_error(rq, rs, 404);
    return NULL;
}

static void detail_get(http_req *rq, http_resp *rs)
{
    const char *number = path_number(rq, rs);
    if (number) detail_page(rq, rs, number, NULL, NULL, 200);
}

/* The issued copy as the customer gets it, for staff to check or send on. */
static inv_invoice *staff_load(http_req *rq, http_resp *rs)
{
    const char *number = path_number(rq, rs);
    if (!number) return NULL;
    inv_invoice *inv = NULL;
    inv_scope staff = {.staff = 1};
    int rc = inv_load(req_db(rq), rq->a, &staff, number, &inv);
    if (rc < 0) page_db_error(rq, rs);
    if (rc == 0) page_error(rq, rs, 404);
    return rc == 1 ? inv : NULL;
}

static void paid_post(http_req *rq, http_resp *rs)
{
    inv_invoice *inv = staff_load(rq, rs);
    if (!inv) return;
    const char *number = inv->number;
    wf_values *v = webform_read(rq, &paid_form);
    const char *day = v->value[0];
    if (!v->nerrors && strcmp(day, date_today_plus(rq->a, 0)) > 0)
        webform_fail(v, &paid_form, "datum",
                     "De datum van betaling kan niet in de toekomst "
                     "liggen.");
    if (v->nerrors) {
        detail_page(rq, rs, number, v, NULL, 422);
        return;
    }
    inv_actor by = {auth_user(rq)->person_id, rq->client_ip};
    int rc = inv_mark_paid(req_db(rq), rq->a, number, day, &by);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        detail_page(rq, rs, number, NULL,
                    "Er is niets veranderd: deze factuur staat niet (meer) open.", 409);
        return;
    }
    flash_set(rq, rs, inv->credit ? "creditfactuur-verrekend" : "factuur-betaald");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, INV_ADMIN_PATH "/%s", number));
}

static void pdf_get(http_req *rq, http_resp *rs)
{
    if (inv_pdf_resumed(rq, rs)) return;
    inv_invoice *inv = staff_load(rq, rs);
    if (inv) inv_pdf_defer(rq, inv);
}

static void xml_get(http_req *rq, http_resp *rs)
{
    inv_invoice *inv = staff_load(rq, rs);
    if (inv) inv_send_xml(rq, rs, inv);
}

#define N_INPUTS 4
static field_spec paid_inputs[N_INPUTS];

static const route routes[] = {
    {"GET", INV_ADMIN_PATH "/:nummer", detail_get, NULL, RF_STAFF},
    {"GET", INV_ADMIN_PATH "/:nummer.pdf", pdf_get, NULL, RF_STAFF},
    {"GET", INV_ADMIN_PATH "/:nummer.xml", xml_get, NULL, RF_STAFF},
    {"POST", INV_ADMIN_PATH "/:nummer/betaald", paid_post, paid_inputs, RF_STAFF},
};

void inv_admin_detail_routes(router *r)
{
    if (webform_spec_for(r, &paid_form, NULL, paid_inputs, N_INPUTS) != 0) return;
    router_add_all(r, routes);
}
