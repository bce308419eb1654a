/* admin_courses.c - Cursussen in the back office: the list with search and
 * filters (/beheer/cursussen), a new course, a course's page with its form
 * and a preview of its Markdown description (/beheer/cursussen/<id>), and
 * deleting one (POST …/verwijderen, asked first). Staff see and change the
 * maatwerk courses of every organisation. The duration is text as
 * participants read it ("5 dagen", "3 dagdelen"). */
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "catalog/admin.h"
#include "catalog/admin_internal.h"
#include "catalog/admin_store.h"
#include "catalog/slug.h"
#include "core/nlparse.h"
#include "core/timeutil.h"
#include "web/flash.h"
#include "web/formpart.h"
#include "web/list.h"
#include "web/markdown.h"
#include "web/page.h"
#include "web/webform.h"

/* ---- the list ---- */

static const char *const course_filters[] = {"q", "categorie", "organisatie", "actief", NULL};

static const list_col course_cols[] = {
    {"naam", "Cursus", "lower(c.name)", 0, 0, 0},
    {"categorie", "Categorie", "lower(COALESCE(cat.name, ''))", 0, 0, 0},
    {NULL, "Voor", NULL, 0, 0, 0},
    {"prijs", "Prijs", "c.price_cents", 1, 1, 0},
    {NULL, "Komende evenementen", NULL, 0, 1, 0},
    {NULL, "Actief", NULL, 0, 0, 0},
};

static const list_spec course_list = {
    .path = "/beheer/cursussen",
    .caption = "Cursussen",
    .one = "cursus",
    .many = "cursussen",
    .empty = "Er zijn geen cursussen die aan deze zoekopdracht voldoen.",
    .cols = course_cols,
    .ncols = 6,
    .sort_col = 0,
    .id_expr = "c.id",
    .per_page = 25,
    .per_page_min = 10,
    .per_page_max = 100,
    .filters = course_filters,
};

static long long list_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return catalog_admin_course_count(c, a, arg, cap);
}

static db_res *list_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return catalog_admin_courses(c, a, arg, k);
}

/* The filters as the list's queries take them; a value that is not one of
 * the choices is left out. */
static catalog_course_filter *read_filter(http_req *rq)
{
    catalog_course_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->today = date_today_plus(rq->a, 0);
    f->q = req_in(rq, "q");
    f->category_id = req_in(rq, "categorie");
    const char *org = req_in(rq, "organisatie");
    if (org && (strcmp(org, "openbaar") == 0 || field_valid(FK_ID, org, strlen(org)))) f->org = org;
    const char *active = req_in(rq, "actief");
    if (active && (strcmp(active, "ja") == 0 || strcmp(active, "nee") == 0)) f->active = active;
    return f;
}

static void list_rows(http_req *rq, const list_page *l, tv *rows)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        const char *id = db_val(r, i, "id");
        const char *org = db_val(r, i, "org_name");
        long long upcoming = db_int(r, i, "upcoming");
        list_cell cells[6] = {
            {.text = db_val(r, i, "name"), .href = arena_printf(rq->a, "/beheer/cursussen/%s", id)},
            {.text = db_val(r, i, "category_name") ? db_val(r, i, "category_name") : "–"},
            {.text = org ? org : "Openbaar", .sub = org ? "maatwerk" : NULL},
            {.text = money_nl(rq->a, db_int(r, i, "price_cents")),
             .sub = db_int(r, i, "vat_rate") == 0 ? "vrijgesteld van btw" : NULL},
            {.text = arena_printf(rq->a, "%lld", upcoming),
             .href = upcoming ? arena_printf(rq->a, "/beheer/evenementen?cursus=%s", id) : NULL,
             .hidden = upcoming ? arena_printf(rq->a, " evenementen van %s", db_val(r, i, "name"))
                                : NULL},
            {.text = db_int(r, i, "active") ? "ja" : "nee"},
        };
        list_row(rq, l, rows, cells);
    }
}

/* The filter form, the selected choices marked. */
static void filter_choices(http_req *rq, tv *ctx, const catalog_course_filter *f,
                           const db_res *tree, const db_res *orgs)
{
    tv *box =
        list_filters(ctx, "/beheer/cursussen", "Cursussen zoeken", "Zoeken en filters", "Zoeken");
    list_filter_search(box, "f-q", "q", "Zoeken", f->q, 100, "Naam, slug of samenvatting");
    tv *cats = list_filter_select(box, "f-categorie", "categorie", "Categorie", "Alle categorieën");
    for (int i = 0; i < tree->nrows; i++) {
        const char *id = db_val(tree, i, "id");
        list_filter_option(
            cats, id,
            catalog_admin_indented(rq->a, db_val(tree, i, "name"), db_int(tree, i, "depth")),
            f->category_id && strcmp(f->category_id, id) == 0);
    }
    tv *os =
        list_filter_select(box, "f-organisatie", "organisatie", "Voor", "Openbaar en maatwerk");
    list_filter_option(os, "openbaar", "Alleen openbare cursussen",
                       f->org && strcmp(f->org, "openbaar") == 0);
    for (int i = 0; i < orgs->nrows; i++) {
        const char *id = db_val(orgs, i, "id");
        list_filter_option(os, id, arena_printf(rq->a, "Maatwerk %s", db_val(orgs, i, "name")),
                           f->org && strcmp(f->org, id) == 0);
    }
    tv *act = list_filter_select(box, "f-actief", "actief", "Actief", "Actief en niet actief");
    list_filter_option(act, "ja", "Alleen actief", f->active && strcmp(f->active, "ja") == 0);
    list_filter_option(act, "nee", "Alleen niet actief",
                       f->active && strcmp(f->active, "nee") == 0);
    if (f->q || f->category_id || f->org || f->active) list_filter_clear(box, "Filters wissen");
}

static void list_page_get(http_req *rq, http_resp *rs)
{
    catalog_course_filter *f = read_filter(rq);
    list_page l;
    list_read(rq, &course_list, &l);
    list_source src = {list_count, list_fetch, f};
    db_res *tree = catalog_admin_tree(req_db(rq), rq->a);
    db_res *orgs = tree ? catalog_admin_organisations(req_db(rq), rq->a) : NULL;
    if (!orgs || list_load(rq, &l, &src) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Cursussen", NULL);
    filter_choices(rq, ctx, f, tree, orgs);
    list_rows(rq, &l, list_view(rq, ctx, &l));
    page_render(rq, rs, "beheer/courses", ctx, "Cursussen", NAV_BEHEER);
}

/* ---- the form ---- */

#define SLUG_HINT                                                                                  \
    "Het laatste deel van het adres op de website: kleine letters, cijfers en streepjes. Leeg: "   \
    "gemaakt van de naam. Na een wijziging stuurt het oude adres door naar het nieuwe."

static const wf_field course_fields[] = {
    {"naam", "Naam", WF_LINE, 200, "Vul de naam van de cursus in.", NULL, NULL, 0, NULL},
    {"slug", "Slug", WF_LINE, SLUG_MAX, NULL, SLUG_HINT, NULL, 30, NULL},
    {"samenvatting", "Samenvatting", WF_LINE, 300, NULL,
     "Eén of twee zinnen: zo staat de cursus in de lijst van zijn categorie.", NULL, 0, NULL},
    {"beschrijving", "Beschrijving", WF_TEXT, 20000, NULL,
     "In Markdown: **vet**, *schuin*, ## voor een kopje, - voor een opsomming, [tekst](adres) "
     "voor een link. Met Voorbeeld ziet u hoe het op de website staat.",
     NULL, 0, NULL},
    {"categorie", "Categorie", WF_LINE, 20, NULL,
     "Waar de cursus in Ons aanbod staat. Een openbare cursus heeft er een nodig.", NULL, 0, NULL},
    {"organisatie", "Maatwerk voor", WF_LINE, 20, NULL,
     "Een maatwerkcursus zien alleen de beheerders van die organisatie en de administratie.", NULL,
     0, NULL},
    {"prijs", "Standaardprijs", WF_LINE, 20, "Vul de prijs in (0,00 als de cursus niets kost).",
     "In euro's inclusief btw, bijvoorbeeld 125,00. Een nieuw evenement krijgt deze prijs.", NULL,
     12, NULL},
    {"duur", "Duur", WF_LINE, 100, NULL,
     "Zoals de deelnemer het leest, bijvoorbeeld 5 dagen, 3 dagdelen of 8 uur.", NULL, 20, NULL},
    {"btw", "Btw-tarief", WF_LINE, 3, "Kies het btw-tarief.",
     "Beroepsopleidingen zijn vaak vrijgesteld van btw.", NULL, 0, NULL},
    {"geboortedatum", "Geboortedatum van de deelnemer is verplicht", WF_LINE, 1, NULL, NULL, NULL,
     0, NULL},
    {"actief", "Actief", WF_LINE, 1, NULL,
     "Een cursus die niet actief is, staat nergens op de website en neemt geen inschrijvingen aan.",
     NULL, 0, NULL},
};
static const webform course_form = WEBFORM(course_fields);
enum {
    F_NAME,
    F_SLUG,
    F_SUMMARY,
    F_DESC,
    F_CATEGORY,
    F_ORG,
    F_PRICE,
    F_DURATION,
    F_VAT,
    F_BIRTH,
    F_ACTIVE,
    N_COURSE_FIELDS
};

static const struct {
    const char *value, *label;
} vat_rates[] = {{"21", "21% (hoog tarief)"}, {"9", "9% (laag tarief)"}, {"0", "0% (vrijgesteld)"}};

typedef struct course_page {
    http_req *rq;
    const db_res *row; /* the course; NULL: a new one */
    wf_values *v;
    const char *error;   /* above the form */
    const char *preview; /* the description as HTML, when asked for */
} course_page;

static void put_choices(course_page *p, tv *ctx, const db_res *tree, const db_res *orgs)
{
    http_req *rq = p->rq;
    tv *cat = formpart_choice(rq, ctx, "category", &course_form, p->v, "categorie");
    catalog_admin_category_options(rq, cat, tree, NULL, "(geen categorie)");
    tv *org = formpart_choice(rq, ctx, "org", &course_form, p->v, "organisatie");
    formpart_option(org, "", "Niemand: een openbare cursus");
    for (int i = 0; i < orgs->nrows; i++)
        formpart_option(org, db_val(orgs, i, "id"), db_val(orgs, i, "name"));
    tv *vat = formpart_choice(rq, ctx, "vat", &course_form, p->v, "btw");
    for (size_t i = 0; i < sizeof vat_rates / sizeof vat_rates[0]; i++)
        formpart_option(vat, vat_rates[i].value, vat_rates[i].label);
    formpart_choice(rq, ctx, "birth", &course_form, p->v, "geboortedatum");
    formpart_choice(rq, ctx, "active", &course_form, p->v, "actief");
}

/* The course's own facts above its form: where it is on the website and
 * its events. */
static void put_facts(http_req *rq, tv *ctx, const db_res *row)
{
    const char *id = db_val(row, 0, "id");
    tv_set_str(ctx, "action", arena_printf(rq->a, "/beheer/cursussen/%s", id));
    tv_set_str(ctx, "delete_action", arena_printf(rq->a, "/beheer/cursussen/%s/verwijderen", id));
    const char *path = db_val(row, 0, "category_path");
    if (path && !db_val(row, 0, "maatwerk_org_id") && db_int(row, 0, "active"))
        tv_set_str(ctx, "public_href",
                   arena_printf(rq->a, "/aanbod/%s/%s", path, db_val(row, 0, "slug")));
    tv_set_str(ctx, "events", db_val(row, 0, "events"));
    tv_set_str(ctx, "events_href", arena_printf(rq->a, "/beheer/evenementen?cursus=%s", id));
    tv_set_str(ctx, "new_event_href",
               arena_printf(rq->a, "/beheer/evenementen/nieuw?cursus=%s", id));
}

static void form_page(course_page *p, http_resp *rs, int status)
{
    http_req *rq = p->rq;
    db_res *tree = catalog_admin_tree(req_db(rq), rq->a);
    db_res *orgs = tree ? catalog_admin_organisations(req_db(rq), rq->a) : NULL;
    if (!orgs) {
        page_db_error(rq, rs);
        return;
    }
    const char *name = p->row ? db_val(p->row, 0, "name") : "Nieuwe cursus";
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Cursussen", "/beheer/cursussen");
    page_crumb(rq, ctx, name, NULL);
    tv_set_str(ctx, "heading", name);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "error", p->error);
    tv_set_str(ctx, "preview_html", p->preview);
    webform_put(rq, ctx, &course_form, p->v);
    formpart_put(rq, ctx, "part1", &course_form, p->v, "naam", "beschrijving");
    formpart_put(rq, ctx, "part2", &course_form, p->v, "prijs", "duur");
    put_choices(p, ctx, tree, orgs);
    if (p->row)
        put_facts(rq, ctx, p->row);
    else
        tv_set_str(ctx, "action", "/beheer/cursussen/nieuw");
    page_render(rq, rs, "beheer/course", ctx, name, NAV_BEHEER);
    rs->status = status;
}

static wf_values *values_of(http_req *rq, const db_res *row)
{
    wf_values *v = webform_values(rq->a, &course_form);
    v->shown[F_NAME] = db_val(row, 0, "name");
    v->shown[F_SLUG] = db_val(row, 0, "slug");
    v->shown[F_SUMMARY] = db_val(row, 0, "summary");
    v->shown[F_DESC] = db_val(row, 0, "description");
    v->shown[F_CATEGORY] = db_val(row, 0, "category_id");
    v->shown[F_ORG] = db_val(row, 0, "maatwerk_org_id");
    v->shown[F_PRICE] = nl_euros_field(rq->a, db_int(row, 0, "price_cents"));
    v->shown[F_DURATION] = db_val(row, 0, "duration");
    v->shown[F_VAT] = db_val(row, 0, "vat_rate");
    v->shown[F_BIRTH] = db_int(row, 0, "requires_birth_date") ? "1" : NULL;
    v->shown[F_ACTIVE] = db_int(row, 0, "active") ? "1" : NULL;
    return v;
}

static int is_id(const char *s)
{
    return s && field_valid(FK_ID, s, strlen(s));
}

/* The checks beyond the form's own; fills in. */
static void read_input(http_req *rq, wf_values *v, catalog_course_in *in)
{
    const webform *f = &course_form;
    memset(in, 0, sizeof *in);
    in->name = v->value[F_NAME];
    in->slug = v->value[F_SLUG];
    if (!in->slug && in->name) in->slug = slug_make(rq->a, in->name);
    if (v->value[F_SLUG] && !slug_valid(v->value[F_SLUG]))
        webform_fail(v, f, "slug",
                     "Gebruik alleen kleine letters, cijfers en losse streepjes, bijvoorbeeld "
                     "medical-care.");
    in->summary = v->value[F_SUMMARY];
    in->description = v->value[F_DESC];
    in->duration = v->value[F_DURATION];
    in->category_id = v->value[F_CATEGORY];
    if (in->category_id && !is_id(in->category_id))
        webform_fail(v, f, "categorie", "Kies een categorie uit de lijst.");
    in->org_id = v->value[F_ORG];
    if (in->org_id && !is_id(in->org_id))
        webform_fail(v, f, "organisatie", "Kies een organisatie uit de lijst.");
    if (!in->org_id && !in->category_id && !v->error[F_CATEGORY])
        webform_fail(v, f, "categorie",
                     "Kies een categorie: een openbare cursus staat in Ons aanbod onder een "
                     "categorie.");
    const char *msg = v->value[F_PRICE] ? nl_euros(v->value[F_PRICE], &in->price_cents) : NULL;
    if (msg) webform_fail(v, f, "prijs", msg);
    const char *vat = v->value[F_VAT] ? v->value[F_VAT] : "";
    in->vat_rate = atoi(vat);
    if (v->value[F_VAT] && strcmp(vat, "0") != 0 && strcmp(vat, "9") != 0 && strcmp(vat, "21") != 0)
        webform_fail(v, f, "btw", "Kies een btw-tarief uit de lijst.");
    in->requires_birth_date = v->value[F_BIRTH] != NULL;
    in->active = v->value[F_ACTIVE] != NULL;
}

typedef struct course_tx {
    http_req *rq;
    const char *id; /* NULL: add */
    const catalog_course_in *in;
    long long new_id;
} course_tx;

static const char *yes_no(const db_res *r, const char *col)
{
    return r ? (db_int(r, 0, col) ? "ja" : "nee") : "";
}

/* One audit line: every field that differs between the stored rows before
 * (NULL for a new course) and after. */
static int audit_course(db_conn *c, arena *a, course_tx *t, const db_res *old, const db_res *now)
{
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip,
                old ? "cursus_gewijzigd" : "cursus_aangemaakt", db_val(now, 0, "name"));
    e.org_id = db_int(now, 0, "maatwerk_org_id");
    static const struct {
        const char *field, *col;
    } text[] = {{"naam", "name"},
                {"slug", "slug"},
                {"samenvatting", "summary"},
                {"beschrijving", "description"},
                {"categorie", "category_name"},
                {"duur", "duration"}};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        audit_field(&e, text[i].field, old ? db_val(old, 0, text[i].col) : "",
                    db_val(now, 0, text[i].col));
    const char *was_for = old ? db_val(old, 0, "org_name") : NULL;
    const char *is_for = db_val(now, 0, "org_name");
    audit_field(&e, "maatwerk voor", old ? (was_for ? was_for : "openbaar") : "",
                is_for ? is_for : "openbaar");
    audit_field(&e, "prijs", old ? money_nl(a, db_int(old, 0, "price_cents")) : "",
                money_nl(a, db_int(now, 0, "price_cents")));
    audit_field(&e, "btw", old ? arena_printf(a, "%s%%", db_val(old, 0, "vat_rate")) : "",
                arena_printf(a, "%s%%", db_val(now, 0, "vat_rate")));
    audit_field(&e, "geboortedatum verplicht", yes_no(old, "requires_birth_date"),
                yes_no(now, "requires_birth_date"));
    audit_field(&e, "actief", yes_no(old, "active"), yes_no(now, "active"));
    e.detail = arena_printf(a, "cursus %s", db_val(now, 0, "id"));
    return audit_write(c, a, &e);
}

static int save_tx(db_conn *c, arena *a, void *arg)
{
    course_tx *t = arg;
    db_res *old = NULL;
    int rc;
    if (t->id) {
        int there = catalog_admin_course_lock(c, a, t->id);
        old = there > 0 ? catalog_admin_course(c, a, t->id) : NULL;
        if (there == 0) return CATALOG_GONE;
        if (!old || old->nrows != 1) return -1;
        rc = catalog_admin_course_update(c, a, t->id, t->in);
    } else {
        rc = catalog_admin_course_add(c, a, t->in, &t->new_id);
    }
    if (rc != 0) return rc;
    db_res *now = catalog_admin_course(c, a, t->id ? t->id : arena_printf(a, "%lld", t->new_id));
    if (!now || now->nrows != 1) return -1;
    return audit_course(c, a, t, old, now);
}

static void save(http_req *rq, http_resp *rs, const db_res *row)
{
    course_page p = {.rq = rq, .row = row, .v = webform_read(rq, &course_form)};
    if (req_in(rq, "voorbeeld")) {
        /* only a look at the description: nothing is checked or stored */
        for (size_t i = 0; i < course_form.n; i++)
            p.v->error[i] = NULL;
        p.v->nerrors = 0;
        const char *text = p.v->value[F_DESC] ? p.v->value[F_DESC] : "";
        p.preview = *text ? markdown_html(rq->a, text) : "<p>(Nog geen beschrijving.)</p>";
        form_page(&p, rs, 200);
        return;
    }
    catalog_course_in in;
    read_input(rq, p.v, &in);
    if (p.v->nerrors) {
        form_page(&p, rs, 422);
        return;
    }
    course_tx t = {rq, row ? db_val(row, 0, "id") : NULL, &in, 0};
    int rc = db_tx(req_db(rq), rq->a, save_tx, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        if (rc == CATALOG_SLUG_TAKEN)
            webform_fail(p.v, &course_form, "slug",
                         "Dit adres is al in gebruik in deze categorie (door een cursus of een "
                         "subcategorie). Kies een andere slug.");
        else
            p.error = catalog_admin_refusal(rc);
        form_page(&p, rs, 409);
        return;
    }
    flash_set(rq, rs, row ? "opgeslagen" : "cursus-aangemaakt");
    resp_redirect(rs, rq->a, 303,
                  row ? arena_printf(rq->a, "/beheer/cursussen/%s", t.id)
                      : arena_printf(rq->a, "/beheer/cursussen/%lld", t.new_id));
}

static db_res *course_of(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    if (!is_id(id)) {
        page_error(rq, rs, 404);
        return NULL;
    }
    db_res *r = catalog_admin_course(req_db(rq), rq->a, id);
    return page_one_row(rq, rs, r) == 0 ? r : NULL;
}

static void new_get(http_req *rq, http_resp *rs)
{
    course_page p = {.rq = rq, .v = webform_values(rq->a, &course_form)};
    p.v->shown[F_VAT] = "21";
    p.v->shown[F_ACTIVE] = "1";
    p.v->shown[F_CATEGORY] = req_in(rq, "categorie");
    form_page(&p, rs, 200);
}

static void new_post(http_req *rq, http_resp *rs)
{
    save(rq, rs, NULL);
}

static void edit_get(http_req *rq, http_resp *rs)
{
    db_res *row = course_of(rq, rs);
    if (!row) return;
    course_page p = {.rq = rq, .row = row, .v = values_of(rq, row)};
    form_page(&p, rs, 200);
}

static void edit_post(http_req *rq, http_resp *rs)
{
    db_res *row = course_of(rq, rs);
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
    int rc = catalog_admin_course_delete(c, a, db_val(row, 0, "id"));
    if (rc != 0) return rc;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "cursus_verwijderd",
                db_val(row, 0, "name"));
    e.org_id = db_int(row, 0, "maatwerk_org_id");
    audit_field(&e, "naam", db_val(row, 0, "name"), "");
    audit_field(&e, "slug", db_val(row, 0, "slug"), "");
    e.detail = arena_printf(a, "cursus %s", db_val(row, 0, "id"));
    return audit_write(c, a, &e);
}

static void delete_post(http_req *rq, http_resp *rs)
{
    db_res *row = course_of(rq, rs);
    if (!row) return;
    const char *id = db_val(row, 0, "id"), *name = db_val(row, 0, "name");
    long long events = db_int(row, 0, "events");
    catalog_confirm q = {
        .section = "Cursussen",
        .section_href = "/beheer/cursussen",
        .item = name,
        .heading = "Cursus verwijderen",
        .question = arena_printf(rq->a, "Weet u zeker dat u de cursus %s wilt verwijderen?", name),
        .button = "Ja, verwijderen",
        .action = arena_printf(rq->a, "/beheer/cursussen/%s/verwijderen", id),
        .back = arena_printf(rq->a, "/beheer/cursussen/%s", id),
    };
    if (events > 0)
        q.refused = arena_printf(rq->a,
                                 "Deze cursus kan niet worden verwijderd: er %s %lld %s van. Zet "
                                 "de cursus op niet actief om hem van de website te halen.",
                                 events == 1 ? "is" : "zijn", events,
                                 events == 1 ? "evenement" : "evenementen");
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
        q.refused = catalog_admin_refusal(rc);
        catalog_admin_confirm(rq, rs, &q, 409);
        return;
    }
    flash_set(rq, rs, "cursus-verwijderd");
    resp_redirect(rs, rq->a, 303, "/beheer/cursussen");
}

static const field_spec list_fields[] = {
    {"q", IN_QUERY, FK_LINE, 100},
    {"categorie", IN_QUERY, FK_ID, 20},
    {"organisatie", IN_QUERY, FK_SLUG, 20},
    {"actief", IN_QUERY, FK_SLUG, 3},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static const field_spec new_get_fields[] = {
    {"categorie", IN_QUERY, FK_ID, 20},
    {NULL, 0, 0, 0},
};

static const field_spec delete_fields[] = {
    {"bevestigd", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

static const field_spec preview_field[] = {
    {"voorbeeld", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

/* Filled from the form description when the routes are registered. */
static field_spec course_post_fields[N_COURSE_FIELDS + 2];

static const route routes[] = {
    {"GET", "/beheer/cursussen", list_page_get, list_fields, RF_STAFF},
    {"GET", "/beheer/cursussen/nieuw", new_get, new_get_fields, RF_STAFF},
    {"POST", "/beheer/cursussen/nieuw", new_post, course_post_fields, RF_STAFF},
    {"GET", "/beheer/cursussen/:id", edit_get, NULL, RF_STAFF},
    {"POST", "/beheer/cursussen/:id", edit_post, course_post_fields, RF_STAFF},
    {"POST", "/beheer/cursussen/:id/verwijderen", delete_post, delete_fields, RF_STAFF},
};

void catalog_admin_course_routes(router *r)
{
    if (webform_spec_for(r, &course_form, preview_field, course_post_fields, N_COURSE_FIELDS + 2) !=
        0)
        return;
    router_add_all(r, routes);
}
