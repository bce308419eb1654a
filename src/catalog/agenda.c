/* agenda.c - the Cursusagenda (/cursusagenda): upcoming public events with
 * filters, as a list (web/list.h) and as a CSV download. */
#include <pthread.h>
#include <string.h>

#include "app.h"
#include "catalog/catalog.h"
#include "catalog/store.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "web/list.h"
#include "web/page.h"

/* The agenda's filter choices change only when staff edit the catalog; a
 * copy per process that lives a minute saves two scans per request, and
 * stays correct enough when several servers share the database. */
typedef struct choice_cache {
    pthread_mutex_t mu;
    time_t at;
    char *day;
    arena *a;
    db_res *locations, *categories;
} choice_cache;

static choice_cache choices = {.mu = PTHREAD_MUTEX_INITIALIZER};

static db_res *copy_res(arena *a, const db_res *r)
{
    db_res *c = arena_zalloc(a, sizeof *c);
    c->nrows = r->nrows;
    c->ncols = r->ncols;
    c->cols = arena_alloc(a, sizeof(char *) * (size_t)(r->ncols ? r->ncols : 1));
    c->vals = arena_alloc(a, sizeof(char *) * (size_t)(r->nrows * r->ncols + 1));
    for (int i = 0; i < r->ncols; i++)
        c->cols[i] = arena_strdup(a, r->cols[i]);
    for (int i = 0; i < r->nrows * r->ncols; i++)
        c->vals[i] = arena_strdup(a, r->vals[i]);
    return c;
}

/* An option's text cannot hold markup: a subcategory is set in with two
 * non-breaking spaces per level and a dash (at most seven levels deep, so
 * an option never turns into mostly blank). */
static const char *category_indent(arena *a, long long depth)
{
    if (depth <= 1) return "";
    if (depth > 8) depth = 8;
    buf b;
    buf_init(&b, a, 32);
    for (long long i = 1; i < depth; i++)
        buf_puts(&b, "\u00a0\u00a0");
    buf_puts(&b, "\u2013 ");
    return b.data;
}

static void month_option(http_req *rq, tv *list, const char *ym, int selected)
{
    list_filter_option(list, ym, month_nl(rq->a, ym), selected);
}

/* Maand: the current month and the eleven after it ("december 2026"), with
 * the values the old month field sent (YYYY-MM), so old links still work.
 * A month outside that year, from such a link, is added in its place so the
 * form shows what the list was filtered on. */
static void month_choices(http_req *rq, tv *list, const char *today, const char *sel)
{
    const char *first = arena_strndup(rq->a, today, 7);
    int shown = 0;
    if (sel && strcmp(sel, first) < 0) {
        month_option(rq, list, sel, 1);
        shown = 1;
    }
    for (int i = 0; i < 12; i++) {
        const char *m = month_plus(rq->a, first, i);
        if (!m) break; /* past the year 9999 */
        int here = sel && strcmp(sel, m) == 0;
        month_option(rq, list, m, here);
        shown |= here;
    }
    if (sel && !shown) month_option(rq, list, sel, 1);
}

/* Fills the choices of the selects cats and locs (under the cache lock,
 * since the cached rows may be replaced by another thread right after). */
static int agenda_choices(http_req *rq, tv *cats, tv *locs, const char *today, const char *sel_loc,
                          const char *sel_cat)
{
    pthread_mutex_lock(&choices.mu);
    time_t now = clock_now();
    if (!choices.a || now - choices.at >= 60 || strcmp(choices.day, today) != 0) {
        db_res *l = catalog_locations(req_db(rq), rq->a, today);
        db_res *k = l ? catalog_category_options(req_db(rq), rq->a) : NULL;
        if (!k) {
            pthread_mutex_unlock(&choices.mu);
            return -1;
        }
        arena_free(choices.a);
        choices.a = arena_new(8192);
        choices.locations = copy_res(choices.a, l);
        choices.categories = copy_res(choices.a, k);
        choices.day = arena_strdup(choices.a, today);
        choices.at = now;
    }
    for (int i = 0; i < choices.locations->nrows; i++) {
        const char *v = arena_strdup(rq->a, db_get(choices.locations, i, 0));
        list_filter_option(locs, v, v, sel_loc && strcmp(sel_loc, v) == 0);
    }
    for (int i = 0; i < choices.categories->nrows; i++) {
        const char *id = arena_strdup(rq->a, db_val(choices.categories, i, "id"));
        const char *name = arena_printf(
            rq->a, "%s%s", category_indent(rq->a, db_int(choices.categories, i, "depth")),
            db_val(choices.categories, i, "name"));
        list_filter_option(cats, id, name, sel_cat && strcmp(sel_cat, id) == 0);
    }
    pthread_mutex_unlock(&choices.mu);
    return 0;
}

/* ---- the list ---- */

static const char *const agenda_filters[] = {"q", "categorie", "maand", "locatie", NULL};

static const list_col agenda_cols[] = {
    {"datum", "Datum", "e.starts_on", 0, 0, 0},
    {"evenement", "Evenement", "lower(e.name)", 0, 0, 0},
    {"locatie", "Locatie", "e.location", 0, 0, 0},
    {NULL, "Beschikbare plaatsen", NULL, 0, 1, 0},
    {NULL, "Inschrijving", NULL, 0, 0, 0},
};

/* A deep page number made the database walk past every earlier row, so
 * the old links reached page 200 at most; they still land there. */
static const list_spec agenda_list = {
    .path = "/cursusagenda",
    .caption = "Geplande evenementen",
    .one = "evenement",
    .many = "evenementen",
    .empty = "Er zijn geen evenementen die aan uw zoekopdracht voldoen. Probeer andere filters.",
    .cols = agenda_cols,
    .ncols = 5,
    .sort_col = 0,
    .id_expr = "e.id",
    .per_page = 20,
    .per_page_min = 10,
    .per_page_max = 100,
    .filters = agenda_filters,
    .legacy_page = "pagina",
    .legacy_max = 200,
    .csv_path = "/cursusagenda/csv",
};

/* What the list's queries need; in the request's arena, since the CSV is
 * read after the handler returns. */
typedef struct agenda_src {
    agenda_filter f;
    const char *base_url;
} agenda_src;

static long long agenda_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return catalog_agenda_count(c, a, &((agenda_src *)arg)->f, cap);
}

static db_res *agenda_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return catalog_agenda(c, a, &((agenda_src *)arg)->f, k);
}

static agenda_src *read_filter(http_req *rq)
{
    agenda_src *s = arena_zalloc(rq->a, sizeof *s);
    s->f.today = date_today_plus(rq->a, 0);
    s->f.q = req_in(rq, "q");
    s->f.category_id = req_in(rq, "categorie");
    s->f.month = req_in(rq, "maand");
    s->f.location = req_in(rq, "locatie");
    s->base_url = rq->app->cfg.base_url;
    return s;
}

static void agenda_rows(http_req *rq, const list_page *l, tv *rows)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        const char *name = db_val(r, i, "name"), *course = db_val(r, i, "course_name");
        long long places = db_int(r, i, "places");
        catalog_enrol e;
        catalog_enrol_of(rq->a, r, i, &e);
        list_cell cells[5] = {
            {.text = date_short_nl(rq->a, db_val(r, i, "starts_on")),
             .datetime = db_val(r, i, "starts_on")},
            {.text = name,
             .href = db_val(r, i, "course_url"),
             .sub = strcmp(course, name) != 0 ? course : NULL},
            {.text = db_val(r, i, "location")},
            {.text = arena_printf(rq->a, "%lld", places), .badge = e.full ? "Vol" : NULL},
            {.text = e.href ? e.label : "Inschrijving gesloten",
             .href = e.href,
             .hidden = e.hidden,
             .action = 1},
        };
        list_row(rq, l, rows, cells);
    }
}

static void agenda(http_req *rq, http_resp *rs)
{
    agenda_src *src = read_filter(rq);
    const agenda_filter *f = &src->f;
    list_page l;
    list_read(rq, &agenda_list, &l);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Cursusagenda", NULL);
    list_source source = {agenda_count, agenda_fetch, src};
    tv *box = list_filters(ctx, "/cursusagenda", "Evenementen zoeken", "Filters", "Filter");
    list_filter_search(box, "f-q", "q", "Zoeken", f->q, 100, "Cursus of evenement");
    tv *cats = list_filter_select(box, "f-categorie", "categorie", "Categorie", "Alle categorieën");
    tv *months = list_filter_select(box, "f-maand", "maand", "Maand", "Alle maanden");
    tv *locs = list_filter_select(box, "f-locatie", "locatie", "Locatie", "Alle locaties");
    if (agenda_choices(rq, cats, locs, f->today, f->location, f->category_id) != 0 ||
        list_load(rq, &l, &source) != 0) {
        page_db_error(rq, rs);
        return;
    }
    month_choices(rq, months, f->today, f->month);
    int active = !!f->q + !!f->category_id + !!f->month + !!f->location;
    list_filters_collapsed(box, !active       ? NULL
                                : active == 1 ? "1 filter actief"
                                              : arena_printf(rq->a, "%d filters actief", active));
    if (active) list_filter_clear(box, "Filters wissen");
    tv *errs = tv_set_list(ctx, "errors");
    for (size_t i = 0; i < rq->errors.n; i++)
        if (!list_owns_input(rq->errors.v[i].name))
            tv_push(errs, tv_str(rq->a, rq->errors.v[i].value));
    agenda_rows(rq, &l, list_view(rq, ctx, &l));
    page_render(rq, rs, "catalog/agenda", ctx, "Cursusagenda", NAV_AGENDA);
}

/* ---- the download ---- */

/* Inschrijving comes last, so the columns that were there keep their place
 * in a spreadsheet that reads them. */
static const char *const csv_header[] = {
    "Datum", "Evenement", "Cursus", "Locatie", "Beschikbare plaatsen", "Link", "Inschrijving"};

/* The Inschrijving column: open, vol (a waiting-list place only) or
 * gesloten. */
static const char *enrol_word(arena *a, const db_res *r, int i)
{
    catalog_enrol e;
    catalog_enrol_of(a, r, i, &e);
    return !e.href ? "gesloten" : e.full ? "vol" : "open";
}

static void csv_cells(const db_res *r, int i, const char **cells, arena *a, void *arg)
{
    const agenda_src *s = arg;
    long long places = db_int(r, i, "places");
    cells[0] = date_nl(a, db_val(r, i, "starts_on"));
    cells[1] = db_val(r, i, "name");
    cells[2] = db_val(r, i, "course_name");
    cells[3] = db_val(r, i, "location");
    cells[4] = arena_printf(a, "%lld", places > 0 ? places : 0);
    cells[5] = arena_printf(a, "%s%s", s->base_url, db_val(r, i, "course_url"));
    cells[6] = enrol_word(a, r, i);
}

static void agenda_csv(http_req *rq, http_resp *rs)
{
    agenda_src *src = read_filter(rq);
    list_page l;
    list_read(rq, &agenda_list, &l);
    list_source source = {agenda_count, agenda_fetch, src};
    list_csv_spec x = {arena_printf(rq->a, "cursusagenda-%s.csv", src->f.today), csv_header, 7,
                       csv_cells};
    list_csv(rq, rs, &l, &source, &x);
}

static const field_spec agenda_fields[] = {
    {"q", IN_QUERY, FK_LINE, 100},
    {"categorie", IN_QUERY, FK_ID, 20},
    {"maand", IN_QUERY, FK_MONTH, 7},
    {"locatie", IN_QUERY, FK_LINE, 200},
    {"pagina", IN_QUERY, FK_ID, 6},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static const field_spec csv_fields[] = {
    {"q", IN_QUERY, FK_LINE, 100},
    {"categorie", IN_QUERY, FK_ID, 20},
    {"maand", IN_QUERY, FK_MONTH, 7},
    {"locatie", IN_QUERY, FK_LINE, 200},
    LIST_SORT_INPUTS,
    {NULL, 0, 0, 0},
};

/* The download is never cached: it is streamed, and its headers are its
 * own (http/download.h). */
static const route routes[] = {
    {"GET", "/cursusagenda", agenda, agenda_fields, RF_PAGE_CACHE},
    {"GET", "/cursusagenda/csv", agenda_csv, csv_fields, 0},
};

void catalog_agenda_routes(router *r)
{
    router_add_all(r, routes);
}
