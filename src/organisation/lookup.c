/* lookup.c - /mijn/organisatie/personen: the persons of the session's
 * organisation as a list to pick a participant from (the enrolment page's
 * magnifier), searchable by name and address, paged by key (web/list.h).
 * Only beheerders come here (RF_BEHEERDER), and the queries only ever look
 * inside auth_user(rq)->org_id.
 *
 * The page is reached with ?terug=<the enrolment page>. Each row's Kiezen
 * leads back there with deelnemer=<person id> (choose.h); any other terug
 * shows the list without Kiezen and is not carried on. */
#include <string.h>

#include "auth/session.h"
#include "core/buf.h"
#include "organisation/choose.h"
#include "organisation/internal.h"
#include "organisation/organisation.h"
#include "web/list.h"

#define PEOPLE_PATH "/mijn/organisatie/personen"

static const list_col people_cols[] = {
    {"naam", "Naam",
     "lower(m.contact_last_name || ' ' || m.contact_first_name || ' ' || m.contact_infix)", 0, 0,
     0},
    {"email", "E-mailadres", "lower(m.contact_email)", 0, 0, 0},
    {"functie", "Functie", "lower(m.job_title)", 0, 0, 0},
};

/* Two lists that differ in what their links keep: a terug that is not an
 * enrolment page is not carried on. */
static const char *const filters_choose[] = {"q", "terug", NULL};
static const char *const filters_plain[] = {"q", NULL};

#define PEOPLE_SPEC(f)                                                                             \
    {                                                                                              \
        .path = PEOPLE_PATH, .caption = "Personen van uw organisatie", .one = "persoon",           \
        .many = "personen",                                                                        \
        .empty = "Er zijn geen personen gevonden die aan uw zoekopdracht voldoen.",                \
        .cols = people_cols, .ncols = 3, .sort_col = 0, .id_expr = "m.person_id", .per_page = 20,  \
        .per_page_min = 10, .per_page_max = 100, .filters = (f),                                   \
    }
static const list_spec spec_choose = PEOPLE_SPEC(filters_choose);
static const list_spec spec_plain = PEOPLE_SPEC(filters_plain);

/* Nieuw contactpersoon, returning to this list (with its terug) after the
 * new contact is saved, so the new person can be chosen at once. */
static const char *new_contact_href(arena *a, const char *back)
{
    buf here;
    buf_init(&here, a, 128);
    buf_puts(&here, PEOPLE_PATH);
    if (back) {
        buf_puts(&here, "?terug=");
        buf_url(&here, back);
    }
    buf b;
    buf_init(&b, a, 256);
    buf_puts(&b, "/mijn/organisatie/contactpersonen/nieuw?terug=");
    buf_url(&b, here.data);
    return b.data;
}

static long long people_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return org_people_count(c, a, arg, cap);
}

static db_res *people_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return org_people(c, a, arg, k);
}

static void people_rows(http_req *rq, const list_page *l, tv *rows, const char *back)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        tv *row = tv_push_obj(rows);
        const char *id = db_val(r, i, "person_id");
        tv_set_str(row, "id", id);
        tv_set_str(row, "name", full_name(rq->a, r, i));
        tv_set_str(row, "email", db_val(r, i, "email"));
        tv_set_str(row, "job_title", db_val(r, i, "job_title"));
        tv_set_str(row, "choose", back ? org_choose_href(rq->a, back, id) : NULL);
    }
}

static void people_page(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    const char *back = org_choose_return(req_in(rq, "terug"));
    org_people_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->org_id = u->org_id;
    f->q = req_in(rq, "q");
    list_page l;
    list_read(rq, back ? &spec_choose : &spec_plain, &l);
    list_source src = {people_count, people_fetch, f};
    if (list_load(rq, &l, &src) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = org_page(rq, "Personen");
    const char *title = arena_printf(rq->a, "Personen van %s", u->org_name ? u->org_name : "");
    tv_set_str(ctx, "heading", title);
    tv_set_str(ctx, "q", f->q);
    tv_set_str(ctx, "terug", back);
    tv_set_bool(ctx, "choosing", back != NULL);
    tv_set_str(ctx, "new_href", new_contact_href(rq->a, back));
    if (kv_get(&rq->errors, "q")) tv_set_str(ctx, "q_error", kv_get(&rq->errors, "q"));
    people_rows(rq, &l, list_view(rq, ctx, &l), back);
    page_render(rq, rs, "organisation/people", ctx, title, NAV_MIJN);
}

static const field_spec people_fields[] = {
    {"q", IN_QUERY, FK_LINE, 100},
    {"terug", IN_QUERY, FK_LINE, 500},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", PEOPLE_PATH, people_page, people_fields, RF_BEHEERDER},
};

void organisation_lookup_routes(router *r)
{
    router_add_all(r, routes);
}
