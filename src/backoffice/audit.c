/* audit.c - the audit trail, /beheer/audit: every change in the portal,
 * newest first, searchable by person, organisation, event, date and text.
 * Read-only: the database refuses to change or delete a line. */
#include <string.h>

#include "auth/audit.h"
#include "backoffice/internal.h"
#include "core/config.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "web/list.h"
#include "web/page.h"

static const list_col audit_cols[] = {
    {"wanneer", "Wanneer", "a.id", 1, 0, 1}, {NULL, "Door", NULL, 0, 0, 0},
    {NULL, "Actie", NULL, 0, 0, 0},          {NULL, "Onderwerp", NULL, 0, 0, 0},
    {NULL, "Wijzigingen", NULL, 0, 0, 0},
};

static const char *const audit_filters[] = {"persoon", "organisatie", "evenement", "van",
                                            "tot",     "zoek",        NULL};

static const list_spec audit_list = {
    .path = "/beheer/audit",
    .caption = "Audit: alle wijzigingen, de nieuwste eerst",
    .one = "regel",
    .many = "regels",
    .empty = "Geen regels die aan de zoekopdracht voldoen.",
    .cols = audit_cols,
    .ncols = 5,
    .sort_col = 0,
    .id_expr = "a.id",
    .per_page = 50,
    .per_page_min = 20,
    .per_page_max = 200,
    .filters = audit_filters,
};

static long long audit_src_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return audit_count(c, a, arg, cap);
}

static db_res *audit_src_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return audit_page(c, a, arg, k);
}

static long long id_in(http_req *rq, const char *name)
{
    long v = 0;
    const char *s = req_in(rq, name);
    return s && config_parse_long(s, 1, 9007199254740991L, &v) == 0 ? v : 0;
}

/* "naam: Heftruck → Heftruck basis; prijs: …" */
static const char *changes_text(http_req *rq, const char *stored)
{
    audit_change ch[32];
    int n = audit_changes_split(rq->a, stored, ch, 32);
    buf b;
    buf_init(&b, rq->a, 256);
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s%s: %s → %s", i ? "; " : "", ch[i].field,
                   *ch[i].old ? ch[i].old : "(leeg)",
                   *ch[i].new_value ? ch[i].new_value : "(leeg)");
    return b.data ? b.data : "";
}

static void audit_rows(http_req *rq, const list_page *l, tv *rows)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        const char *email = db_val(r, i, "actor_email");
        const char *who = email
                              ? names_full(rq->a, db_val(r, i, "actor_first"),
                                           db_val(r, i, "actor_infix"), db_val(r, i, "actor_last"))
                              : "systeem";
        const char *detail = db_val(r, i, "detail");
        list_cell cells[5] = {
            {.text = moment_nl(rq->a, db_int(r, i, "at")), .sub = db_val(r, i, "client_ip")},
            {.text = who, .sub = email},
            {.text = db_val(r, i, "action")},
            {.text = db_val(r, i, "subject"), .sub = detail && *detail ? detail : NULL},
            {.text = changes_text(rq, db_val(r, i, "changes"))},
        };
        list_row(rq, l, rows, cells);
    }
}

/* The search form; a number field shows what was typed, as it was. */
static void audit_form(http_req *rq, tv *ctx, const audit_filter *f)
{
    tv *box = list_filters(ctx, "/beheer/audit", "Audit doorzoeken", NULL, "Zoeken");
    list_filter_described(list_filter_search(box, "a-zoek", "zoek", "Zoeken", f->text, 100, NULL),
                          "a-zoek-hint",
                          "Actie, onderwerp, of naam of e-mailadres van wie het deed");
    list_filter_input(box, "date", "a-van", "van", "Van", f->from, 0, NULL);
    list_filter_input(box, "date", "a-tot", "tot", "Tot en met", f->to, 0, NULL);
    static const struct {
        const char *id, *name, *label;
    } ids[] = {{"a-persoon", "persoon", "Persoon (nummer)"},
               {"a-organisatie", "organisatie", "Organisatie (nummer)"},
               {"a-evenement", "evenement", "Evenement (nummer)"}};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        list_filter_numeric(list_filter_input(box, NULL, ids[i].id, ids[i].name, ids[i].label,
                                              req_in(rq, ids[i].name), 0, NULL),
                            "w-s");
    list_filter_clear(box, "Alles tonen");
}

static void audit_get(http_req *rq, http_resp *rs)
{
    audit_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->person_id = id_in(rq, "persoon");
    f->org_id = id_in(rq, "organisatie");
    f->event_id = id_in(rq, "evenement");
    f->from = req_in(rq, "van");
    f->to = req_in(rq, "tot");
    f->text = req_in(rq, "zoek");
    list_page l;
    list_read(rq, &audit_list, &l);
    list_source src = {audit_src_count, audit_src_fetch, f};
    if (list_load(rq, &l, &src) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Audit", NULL);
    audit_form(rq, ctx, f);
    tv *errs = tv_set_list(ctx, "errors");
    for (size_t i = 0; i < rq->errors.n; i++)
        if (!list_owns_input(rq->errors.v[i].name))
            tv_set_str(tv_push_obj(errs), "text", rq->errors.v[i].value);
    audit_rows(rq, &l, list_view(rq, ctx, &l));
    page_render(rq, rs, "beheer/audit", ctx, "Audit", NAV_BEHEER);
}

static const field_spec audit_inputs[] = {
    LIST_INPUTS,
    {"persoon", IN_QUERY, FK_ID, 20},
    {"organisatie", IN_QUERY, FK_ID, 20},
    {"evenement", IN_QUERY, FK_ID, 20},
    {"van", IN_QUERY, FK_DATE, 10},
    {"tot", IN_QUERY, FK_DATE, 10},
    {"zoek", IN_QUERY, FK_LINE, 100},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/beheer/audit", audit_get, audit_inputs, RF_STAFF},
};

void backoffice_audit_routes(router *r)
{
    router_add_all(r, routes);
}
