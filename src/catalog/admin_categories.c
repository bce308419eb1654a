/* admin_categories.c - Categorieën in the back office: the tree
 * (/beheer/categorieen), a new category, a category's page with its form
 * (/beheer/categorieen/<id>) and deleting one (POST …/verwijderen, asked
 * first). A slug stays as it is when the name changes; a new slug or
 * parent moves the subtree and the old address redirects. */
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "catalog/admin.h"
#include "catalog/admin_internal.h"
#include "catalog/admin_store.h"
#include "catalog/slug.h"
#include "core/nlparse.h"
#include "web/flash.h"
#include "web/formpart.h"
#include "web/page.h"
#include "web/webform.h"

#define SLUG_HINT                                                                                  \
    "Het laatste deel van het adres op de website: kleine letters, cijfers en streepjes. Leeg: "   \
    "gemaakt van de naam. Na een wijziging stuurt het oude adres door naar het nieuwe."

static const wf_field cat_fields[] = {
    {"naam", "Naam", WF_LINE, 200, "Vul de naam van de categorie in.", NULL, NULL, 0, NULL},
    {"slug", "Slug", WF_LINE, SLUG_MAX, NULL, SLUG_HINT, NULL, 30, NULL},
    {"bovenliggend", "Bovenliggende categorie", WF_LINE, 20, NULL, NULL, NULL, 0, NULL},
    {"volgorde", "Volgorde", WF_LINE, 6, NULL,
     "Een getal: een lager getal staat eerder tussen de andere categorieën. Leeg: 0.", NULL, 6,
     NULL},
    {"omschrijving", "Omschrijving", WF_TEXT, 2000, NULL, NULL, NULL, 0, NULL},
};
static const webform cat_form = WEBFORM(cat_fields);
enum { F_NAME, F_SLUG, F_PARENT, F_ORDER, F_DESC, N_CAT_FIELDS };

/* ---- the tree ---- */

static void tree_page(http_req *rq, http_resp *rs)
{
    db_res *t = catalog_admin_tree(req_db(rq), rq->a);
    if (!t) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Categorieën", NULL);
    tv *rows = tv_set_list(ctx, "rows");
    for (int i = 0; i < t->nrows; i++) {
        tv *o = tv_push_obj(rows);
        const char *id = db_val(t, i, "id");
        tv_set_str(o, "href", arena_printf(rq->a, "/beheer/categorieen/%s", id));
        tv_set_str(o, "new_href",
                   arena_printf(rq->a, "/beheer/categorieen/nieuw?bovenliggend=%s", id));
        tv_set_str(o, "name", db_val(t, i, "name"));
        tv_set_str(o, "depth_class",
                   arena_printf(rq->a, "depth-%lld",
                                db_int(t, i, "depth") > 6 ? 6 : db_int(t, i, "depth")));
        tv_set_bool(o, "sub", db_int(t, i, "depth") > 1);
        tv_set_str(o, "path", arena_printf(rq->a, "/aanbod/%s", db_val(t, i, "slug_path")));
        tv_set_str(o, "order", db_val(t, i, "sort_order"));
        tv_set_str(o, "courses", db_val(t, i, "courses"));
        tv_set_str(o, "children", db_val(t, i, "children"));
    }
    tv_set_bool(ctx, "has_rows", t->nrows > 0);
    page_render(rq, rs, "beheer/categories", ctx, "Categorieën", NAV_BEHEER);
}

/* ---- the form ---- */

typedef struct cat_page {
    http_req *rq;
    const db_res *row; /* the category; NULL: a new one */
    wf_values *v;
    const char *error; /* above the form */
} cat_page;

static void form_page(cat_page *p, http_resp *rs, int status)
{
    http_req *rq = p->rq;
    db_res *tree = catalog_admin_tree(req_db(rq), rq->a);
    if (!tree) {
        page_db_error(rq, rs);
        return;
    }
    const char *name = p->row ? db_val(p->row, 0, "name") : "Nieuwe categorie";
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Categorieën", "/beheer/categorieen");
    page_crumb(rq, ctx, name, NULL);
    tv_set_str(ctx, "heading", name);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "error", p->error);
    webform_put(rq, ctx, &cat_form, p->v);
    formpart_put(rq, ctx, "part1", &cat_form, p->v, "naam", "slug");
    tv *parent = formpart_choice(rq, ctx, "parent", &cat_form, p->v, "bovenliggend");
    const char *skip = p->row ? db_val(p->row, 0, "id_path") : NULL;
    catalog_admin_category_options(rq, parent, tree, skip, "(geen: een hoofdcategorie)");
    formpart_put(rq, ctx, "part2", &cat_form, p->v, "volgorde", "omschrijving");
    if (p->row) {
        const char *id = db_val(p->row, 0, "id");
        tv_set_str(ctx, "action", arena_printf(rq->a, "/beheer/categorieen/%s", id));
        tv_set_str(ctx, "delete_action",
                   arena_printf(rq->a, "/beheer/categorieen/%s/verwijderen", id));
        tv_set_str(ctx, "public_href",
                   arena_printf(rq->a, "/aanbod/%s", db_val(p->row, 0, "slug_path")));
        tv_set_str(ctx, "courses", db_val(p->row, 0, "courses"));
        tv_set_str(ctx, "children", db_val(p->row, 0, "children"));
        tv_set_str(ctx, "courses_href", arena_printf(rq->a, "/beheer/cursussen?categorie=%s", id));
        tv_set_str(ctx, "sub_href",
                   arena_printf(rq->a, "/beheer/categorieen/nieuw?bovenliggend=%s", id));
    } else {
        tv_set_str(ctx, "action", "/beheer/categorieen/nieuw");
    }
    page_render(rq, rs, "beheer/category", ctx, name, NAV_BEHEER);
    rs->status = status;
}

/* The stored row as the form shows it. */
static wf_values *values_of(http_req *rq, const db_res *row)
{
    wf_values *v = webform_values(rq->a, &cat_form);
    v->shown[F_NAME] = db_val(row, 0, "name");
    v->shown[F_SLUG] = db_val(row, 0, "slug");
    v->shown[F_PARENT] = db_val(row, 0, "parent_id");
    v->shown[F_ORDER] = db_val(row, 0, "sort_order");
    v->shown[F_DESC] = db_val(row, 0, "description");
    return v;
}

/* The checks beyond the form's own: slug, order. Fills in. */
static void read_input(http_req *rq, wf_values *v, catalog_category_in *in)
{
    memset(in, 0, sizeof *in);
    in->name = v->value[F_NAME];
    in->slug = v->value[F_SLUG];
    if (!in->slug && in->name) in->slug = slug_make(rq->a, in->name);
    if (v->value[F_SLUG] && !slug_valid(v->value[F_SLUG]))
        webform_fail(v, &cat_form, "slug",
                     "Gebruik alleen kleine letters, cijfers en losse streepjes, bijvoorbeeld "
                     "agro-groen.");
    in->parent_id = v->value[F_PARENT];
    if (in->parent_id && !field_valid(FK_ID, in->parent_id, strlen(in->parent_id)))
        webform_fail(v, &cat_form, "bovenliggend", "Kies een categorie uit de lijst.");
    long long order = 0;
    const char *msg =
        v->value[F_ORDER] ? nl_count(rq->a, v->value[F_ORDER], 0, 99999, &order) : NULL;
    if (msg) webform_fail(v, &cat_form, "volgorde", msg);
    in->sort_order = arena_printf(rq->a, "%lld", order);
    in->description = v->value[F_DESC] ? v->value[F_DESC] : "";
}

/* A refusal from the store, next to the field it is about. */
static void put_refusal(cat_page *p, int rc)
{
    if (rc == CATALOG_SLUG_TAKEN)
        webform_fail(p->v, &cat_form, "slug",
                     "Dit adres is al in gebruik (door een categorie of cursus op dezelfde plek). "
                     "Kies een andere slug.");
    else if (rc == CATALOG_CYCLE)
        webform_fail(p->v, &cat_form, "bovenliggend",
                     "Een categorie kan niet onder zichzelf of een van haar subcategorieën "
                     "komen.");
    else if (rc == CATALOG_TOO_DEEP)
        webform_fail(p->v, &cat_form, "bovenliggend",
                     "Zo diep kan een categorie niet liggen: een adres heeft hoogstens 12 "
                     "niveaus.");
    else
        p->error = catalog_admin_refusal(rc);
}

typedef struct cat_tx {
    http_req *rq;
    const char *id; /* NULL: add */
    const catalog_category_in *in;
    long long new_id;
} cat_tx;

/* The parent's name for the audit line ("" for none). */
static const char *parent_name(db_conn *c, arena *a, const char *parent_id)
{
    if (!parent_id) return "";
    db_res *r = catalog_admin_category(c, a, parent_id);
    return r && r->nrows == 1 ? db_val(r, 0, "name") : parent_id;
}

static int save_tx(db_conn *c, arena *a, void *arg)
{
    cat_tx *t = arg;
    const catalog_category_in *in = t->in;
    db_res *old = NULL;
    int rc;
    if (t->id) {
        int there = catalog_admin_category_lock(c, a, t->id);
        old = there > 0 ? catalog_admin_category(c, a, t->id) : NULL;
        if (there == 0) return CATALOG_GONE;
        if (!old || old->nrows != 1) return -1;
        rc = catalog_admin_category_update(c, a, t->id, in);
    } else {
        rc = catalog_admin_category_add(c, a, in, &t->new_id);
    }
    if (rc != 0) return rc;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip,
                t->id ? "categorie_gewijzigd" : "categorie_aangemaakt", in->name);
    audit_field(&e, "naam", old ? db_val(old, 0, "name") : "", in->name);
    audit_field(&e, "slug", old ? db_val(old, 0, "slug") : "", in->slug);
    audit_field(&e, "bovenliggende categorie", old ? db_val(old, 0, "parent_name") : "",
                parent_name(c, a, in->parent_id));
    audit_field(&e, "volgorde", old ? db_val(old, 0, "sort_order") : "", in->sort_order);
    audit_field(&e, "omschrijving", old ? db_val(old, 0, "description") : "", in->description);
    e.detail = arena_printf(a, "categorie %s", t->id ? t->id : arena_printf(a, "%lld", t->new_id));
    return audit_write(c, a, &e);
}

static void save(http_req *rq, http_resp *rs, const db_res *row)
{
    cat_page p = {.rq = rq, .row = row, .v = webform_read(rq, &cat_form)};
    catalog_category_in in;
    read_input(rq, p.v, &in);
    if (p.v->nerrors) {
        form_page(&p, rs, 422);
        return;
    }
    cat_tx t = {rq, row ? db_val(row, 0, "id") : NULL, &in, 0};
    int rc = db_tx(req_db(rq), rq->a, save_tx, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        put_refusal(&p, rc);
        form_page(&p, rs, 409);
        return;
    }
    flash_set(rq, rs, row ? "opgeslagen" : "categorie-aangemaakt");
    resp_redirect(rs, rq->a, 303,
                  row ? arena_printf(rq->a, "/beheer/categorieen/%s", t.id)
                      : arena_printf(rq->a, "/beheer/categorieen/%lld", t.new_id));
}

/* The category of the path, or NULL when the page has answered (404,
 * 500). */
static db_res *category_of(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return NULL;
    }
    db_res *r = catalog_admin_category(req_db(rq), rq->a, id);
    return page_one_row(rq, rs, r) == 0 ? r : NULL;
}

static void new_get(http_req *rq, http_resp *rs)
{
    cat_page p = {.rq = rq, .v = webform_values(rq->a, &cat_form)};
    p.v->shown[F_PARENT] = req_in(rq, "bovenliggend");
    form_page(&p, rs, 200);
}

static void new_post(http_req *rq, http_resp *rs)
{
    save(rq, rs, NULL);
}

static void edit_get(http_req *rq, http_resp *rs)
{
    db_res *row = category_of(rq, rs);
    if (!row) return;
    cat_page p = {.rq = rq, .row = row, .v = values_of(rq, row)};
    form_page(&p, rs, 200);
}

static void edit_post(http_req *rq, http_resp *rs)
{
    db_res *row = category_of(rq, rs);
    if (row) save(rq, rs, row);
}

/* ---- delete ---- */

typedef struct del_tx {
    http_req *rq;
    const db_res *row;
} del_tx;

static int delete_tx(db_conn *c, arena *a, void *arg)
{
    del_tx *t = arg;
    const db_res *row = t->row;
    int rc = catalog_admin_category_delete(c, a, db_val(row, 0, "id"));
    if (rc != 0) return rc;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "categorie_verwijderd",
                db_val(row, 0, "name"));
    audit_field(&e, "naam", db_val(row, 0, "name"), "");
    audit_field(&e, "slug", db_val(row, 0, "slug_path"), "");
    e.detail = arena_printf(a, "categorie %s", db_val(row, 0, "id"));
    return audit_write(c, a, &e);
}

/* "1 cursus", "3 subcategorieën". */
static const char *count_of(arena *a, long long n, const char *one, const char *many)
{
    return arena_printf(a, "%lld %s", n, n == 1 ? one : many);
}

/* Why the category cannot go, or NULL. */
static const char *in_use(http_req *rq, const db_res *row)
{
    long long courses = db_int(row, 0, "courses"), children = db_int(row, 0, "children");
    if (!courses && !children) return NULL;
    const char *what =
        courses && children
            ? arena_printf(rq->a, "%s en %s", count_of(rq->a, courses, "cursus", "cursussen"),
                           count_of(rq->a, children, "subcategorie", "subcategorieën"))
        : courses ? count_of(rq->a, courses, "cursus", "cursussen")
                  : count_of(rq->a, children, "subcategorie", "subcategorieën");
    return arena_printf(rq->a,
                        "Deze categorie kan niet worden verwijderd: er %s nog %s in. Verplaats "
                        "of verwijder die eerst.",
                        courses + children == 1 ? "staat" : "staan", what);
}

static void delete_post(http_req *rq, http_resp *rs)
{
    db_res *row = category_of(rq, rs);
    if (!row) return;
    const char *id = db_val(row, 0, "id"), *name = db_val(row, 0, "name");
    catalog_confirm q = {
        .section = "Categorieën",
        .section_href = "/beheer/categorieen",
        .item = name,
        .heading = "Categorie verwijderen",
        .question =
            arena_printf(rq->a, "Weet u zeker dat u de categorie %s wilt verwijderen?", name),
        .button = "Ja, verwijderen",
        .action = arena_printf(rq->a, "/beheer/categorieen/%s/verwijderen", id),
        .back = arena_printf(rq->a, "/beheer/categorieen/%s", id),
        .refused = in_use(rq, row),
    };
    if (q.refused || !req_in(rq, "bevestigd")) {
        catalog_admin_confirm(rq, rs, &q, q.refused ? 409 : 200);
        return;
    }
    del_tx t = {rq, row};
    int rc = db_tx(req_db(rq), rq->a, delete_tx, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        /* a course or subcategory was added meanwhile */
        q.refused = catalog_admin_refusal(rc);
        catalog_admin_confirm(rq, rs, &q, 409);
        return;
    }
    flash_set(rq, rs, "categorie-verwijderd");
    resp_redirect(rs, rq->a, 303, "/beheer/categorieen");
}

static const field_spec new_get_fields[] = {
    {"bovenliggend", IN_QUERY, FK_ID, 20},
    {NULL, 0, 0, 0},
};

static const field_spec delete_fields[] = {
    {"bevestigd", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

/* Filled from the form description when the routes are registered. */
static field_spec cat_post_fields[N_CAT_FIELDS + 1];

static const route routes[] = {
    {"GET", "/beheer/categorieen", tree_page, NULL, RF_STAFF},
    {"GET", "/beheer/categorieen/nieuw", new_get, new_get_fields, RF_STAFF},
    {"POST", "/beheer/categorieen/nieuw", new_post, cat_post_fields, RF_STAFF},
    {"GET", "/beheer/categorieen/:id", edit_get, NULL, RF_STAFF},
    {"POST", "/beheer/categorieen/:id", edit_post, cat_post_fields, RF_STAFF},
    {"POST", "/beheer/categorieen/:id/verwijderen", delete_post, delete_fields, RF_STAFF},
};

void catalog_admin_category_routes(router *r)
{
    if (webform_spec_for(r, &cat_form, NULL, cat_post_fields, N_CAT_FIELDS + 1) != 0) return;
    router_add_all(r, routes);
}
