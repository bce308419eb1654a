/* orgs.c - Organisaties in the back office: the list
 * (/beheer/organisaties, found by name, place and KvK number, paged by
 * key), an organisation's page with its members and their roles, and
 * Gegevens aanpassen. A new organisation comes with its beheerder through
 * Organisatie-toegang (access.c). */
#include <stdlib.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "organisation/organisation.h"
#include "people/people.h"
#include "relations/internal.h"
#include "relations/store.h"
#include "web/flash.h"
#include "web/list.h"

/* ============================================================ the form */

static const wf_field org_fields[] = {REL_ORG_FIELDS};
static const webform org_form = WEBFORM(org_fields);
const char *const rel_org_columns[REL_ORG_NFIELDS] = {
    "name",          "visit_street",        "visit_house_number", "visit_postcode", "visit_city",
    "postal_street", "postal_house_number", "postal_postcode",    "postal_city",    "phone",
    "email",         "invoice_email",       "kvk_number"};
#define N_ORG REL_ORG_NFIELDS
_Static_assert(sizeof org_fields / sizeof org_fields[0] == N_ORG, "a column per field");

/* ============================================================ the list */

static const list_col org_cols[] = {
    {"naam", "Naam", "lower(o.name)", 0, 0, 0},
    {"plaats", "Plaats", "lower(o.visit_city)", 0, 0, 0},
    {"kvk", "KvK-nummer", "o.kvk_number", 0, 0, 0},
    {NULL, "Leden", NULL, 0, 1, 0},
};

static const char *const org_filters[] = {"naam", "plaats", "kvk", NULL};

static const list_spec org_list = {
    .path = ORGS_PATH,
    .caption = "Organisaties",
    .one = "organisatie",
    .many = "organisaties",
    .empty = "Er zijn geen organisaties gevonden die aan uw zoekopdracht voldoen.",
    .cols = org_cols,
    .ncols = 4,
    .sort_col = 0,
    .id_expr = "o.id",
    .per_page = 25,
    .per_page_min = 10,
    .per_page_max = 100,
    .filters = org_filters,
};

static long long orgs_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return rel_orgs_count(c, a, arg, cap);
}

static db_res *orgs_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return rel_orgs(c, a, arg, k);
}

static void list_get(http_req *rq, http_resp *rs)
{
    rel_org_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->name = req_in(rq, "naam");
    f->city = req_in(rq, "plaats");
    f->kvk = req_in(rq, "kvk");
    list_page l;
    list_read(rq, &org_list, &l);
    list_source src = {orgs_count, orgs_fetch, f};
    if (list_load(rq, &l, &src) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = rel_page(rq, "Organisaties", ORGS_PATH, NULL);
    tv *box = list_filters(ctx, ORGS_PATH, "Organisaties zoeken", NULL, "Zoeken");
    list_filter_search(box, "z-naam", "naam", "Naam", f->name, 200, NULL);
    list_filter_search(box, "z-plaats", "plaats", "Plaats", f->city, 100, NULL);
    list_filter_numeric(list_filter_search(box, "z-kvk", "kvk", "KvK-nummer", f->kvk, 20, NULL),
                        NULL);
    if (f->name || f->city || f->kvk) list_filter_clear(box, "Wissen");
    tv *rows = list_view(rq, ctx, &l);
    const db_res *r = l.rows;
    for (int i = 0; i < r->nrows; i++) {
        list_cell cells[4] = {
            {.text = db_val(r, i, "name"),
             .href = arena_printf(rq->a, ORGS_PATH "/%s", db_val(r, i, "id"))},
            {.text = db_val(r, i, "visit_city")},
            {.text = db_val(r, i, "kvk_number")},
            {.text = db_val(r, i, "members")},
        };
        list_row(rq, &l, rows, cells);
    }
    page_render(rq, rs, "beheer/orgs", ctx, "Organisaties", NAV_BEHEER);
}

/* ====================================================== the organisation */

/* An address as the post writes it; nothing when empty. */
static void put_address(arena *a, tv *obj, const char *key, const db_res *o, const char *prefix)
{
    const char *street = db_val(o, 0, arena_printf(a, "%s_street", prefix));
    const char *nr = db_val(o, 0, arena_printf(a, "%s_house_number", prefix));
    const char *pc = db_val(o, 0, arena_printf(a, "%s_postcode", prefix));
    const char *city = db_val(o, 0, arena_printf(a, "%s_city", prefix));
    if (!*street && !*nr && !*pc && !*city) return;
    tv *addr = tv_set_obj(obj, key);
    tv_set_str(addr, "line1", arena_printf(a, "%s%s%s", street, *street && *nr ? " " : "", nr));
    tv_set_str(addr, "line2",
               arena_printf(a, "%s%s%s", pc, *pc && *city ? "\u00a0\u00a0" : "", city));
}

static void view_get(http_req *rq, http_resp *rs)
{
    const char *id = rel_path_id(rq, "id");
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    db_conn *c = req_db(rq);
    db_res *o = rel_org(c, rq->a, id, 0);
    if (page_one_row(rq, rs, o) != 0) return;
    db_res *m = org_contacts(c, rq->a, atoll(id));
    if (!m) {
        page_db_error(rq, rs);
        return;
    }
    const char *name = db_val(o, 0, "name");
    tv *ctx = rel_page(rq, "Organisaties", ORGS_PATH, name);
    tv *org = tv_set_obj(ctx, "org");
    tv_set_str(org, "id", id);
    static const char *const cols[] = {"name", "phone", "email", "invoice_email", "kvk_number"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        tv_set_str(org, cols[i], db_val(o, 0, cols[i]));
    put_address(rq->a, org, "visit", o, "visit");
    put_address(rq->a, org, "postal", o, "postal");
    tv *list = tv_set_list(ctx, "members");
    for (int i = 0; i < m->nrows; i++) {
        tv *row = tv_push_obj(list);
        tv_set_str(row, "href", arena_printf(rq->a, PERSONS_PATH "/%s", db_val(m, i, "person_id")));
        tv_set_str(row, "name", people_full_name_of(rq->a, m, i));
        tv_set_str(row, "email", db_val(m, i, "email"));
        tv_set_str(row, "job_title", db_val(m, i, "job_title"));
        tv_set_str(row, "role",
                   strcmp(db_val(m, i, "role"), "beheerder") == 0 ? "Beheerder" : "Medewerker");
        tv_set_str(row, "login",
                   db_int(m, i, "has_address") ? rel_login_text(db_val(m, i, "login"))
                                               : rel_login_text(REL_LOGIN_NO_ADDRESS));
    }
    tv_set_bool(ctx, "has_members", m->nrows > 0);
    page_render(rq, rs, "beheer/org", ctx, name, NAV_BEHEER);
}

/* ============================================================ the edit */

static void edit_form(http_req *rq, http_resp *rs, const char *id, const char *name,
                      const wf_values *v)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Organisaties", ORGS_PATH);
    page_crumb(rq, ctx, name, arena_printf(rq->a, ORGS_PATH "/%s", id));
    page_crumb(rq, ctx, "Gegevens aanpassen", NULL);
    webform_put(rq, ctx, &org_form, v);
    tv_set_str(ctx, "heading", arena_printf(rq->a, "Gegevens aanpassen: %s", name));
    tv_set_str(ctx, "action", arena_printf(rq->a, ORGS_PATH "/%s/bewerken", id));
    tv_set_str(ctx, "back_href", arena_printf(rq->a, ORGS_PATH "/%s", id));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/org_form", ctx, "Gegevens aanpassen", NAV_BEHEER);
}

static void edit_get(http_req *rq, http_resp *rs)
{
    const char *id = rel_path_id(rq, "id");
    db_res *o = id ? rel_org(req_db(rq), rq->a, id, 0) : NULL;
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    if (page_one_row(rq, rs, o) != 0) return;
    wf_values *v = webform_values(rq->a, &org_form);
    for (int i = 0; i < N_ORG; i++)
        v->shown[i] = db_val(o, 0, rel_org_columns[i]);
    edit_form(rq, rs, id, db_val(o, 0, "name"), v);
}

typedef struct org_edit_tx {
    http_req *rq;
    const char *id;
    const wf_values *v;
} org_edit_tx;

enum { GONE = 1 };

static int store_edit(db_conn *c, arena *a, void *arg)
{
    org_edit_tx *t = arg;
    db_res *o = rel_org(c, a, t->id, 1);
    if (!o) return -1;
    if (o->nrows != 1) return GONE;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "organisatie_gewijzigd",
                rel_value(t->v, 0));
    e.org_id = atoll(t->id);
    const char *vals[N_ORG];
    for (int i = 0; i < N_ORG; i++) {
        vals[i] = rel_value(t->v, (size_t)i);
        audit_field(&e, org_fields[i].name, db_val(o, 0, rel_org_columns[i]), vals[i]);
    }
    if (!e.nchanges) return 0;
    if (rel_org_update(c, a, t->id, rel_org_columns, vals, N_ORG) != 0) return -1;
    return audit_write(c, a, &e);
}

static void edit_post(http_req *rq, http_resp *rs)
{
    const char *id = rel_path_id(rq, "id");
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    wf_values *v = webform_read(rq, &org_form);
    if (v->nerrors) {
        db_res *o = rel_org(req_db(rq), rq->a, id, 0);
        if (page_one_row(rq, rs, o) != 0) return;
        edit_form(rq, rs, id, db_val(o, 0, "name"), v);
        return;
    }
    org_edit_tx t = {rq, id, v};
    int rc = db_tx(req_db(rq), rq->a, store_edit, &t);
    if (rc == GONE) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc != 0) {
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "opgeslagen");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, ORGS_PATH "/%s", id));
}

static const field_spec list_inputs[] = {
    {"naam", IN_QUERY, FK_LINE, 200},
    {"plaats", IN_QUERY, FK_LINE, 100},
    {"kvk", IN_QUERY, FK_LINE, 20},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static field_spec edit_inputs[N_ORG + 1];

static const route routes[] = {
    {"GET", ORGS_PATH, list_get, list_inputs, RF_STAFF},
    {"GET", ORGS_PATH "/:id", view_get, NULL, RF_STAFF},
    {"GET", ORGS_PATH "/:id/bewerken", edit_get, NULL, RF_STAFF},
    {"POST", ORGS_PATH "/:id/bewerken", edit_post, edit_inputs, RF_STAFF},
};

void rel_orgs_routes(router *r)
{
    if (webform_spec_for(r, &org_form, NULL, edit_inputs, N_ORG + 1) != 0) return;
    router_add_all(r, routes);
}
