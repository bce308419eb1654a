/* admin_pending.c - Te factureren (/beheer/facturen/te-factureren): the
 * processed registrations without an invoice, filtered by event,
 * organisation and month, invoiced one at a time or all that a filter shows
 * at once (one invoice per invoice party, a line per registration); the
 * maatwerk events, each invoiced as a whole with the description and amount
 * staff type; and the cancelled registrations whose invoice line is still
 * to be credited, each with Creditfactuur maken. Issuing is the store's
 * (numbers, copy, mail job and audit in one transaction); these pages read
 * the choice, call it and say what came of it. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/session.h"
#include "core/nlparse.h"
#include "core/timeutil.h"
#include "invoicing/admin.h"
#include "invoicing/store.h"
#include "jobs/jobs.h"
#include "web/flash.h"
#include "web/list.h"
#include "web/page.h"

/* What the page shows besides the lists: the maatwerk form sent back with
 * its error, or a refusal above everything. */
typedef struct pending_opts {
    const char *error;                /* above the page */
    long long event_id;               /* the maatwerk form with an error */
    const char *description, *amount; /* as typed */
    const char *vat;
    const char *field_error; /* under the maatwerk form's fields */
    int status;
} pending_opts;

static long long id_of(http_req *rq, const char *name)
{
    const char *v = req_in(rq, name);
    return v ? strtoll(v, NULL, 10) : 0;
}

/* The filters of the page (ids as typed, looked up by the store's query). */
static void read_select(http_req *rq, inv_select *sel)
{
    *sel = (inv_select){.event_id = id_of(rq, "evenement"),
                        .organisation_id = id_of(rq, "organisatie"),
                        .month = req_in(rq, "maand")};
}

static int filtered(const inv_select *s)
{
    return s->event_id || s->organisation_id || s->month;
}

/* The page's own address with these filters and then a '?' or '&' for
 * more. */
static const char *page_with(arena *a, const inv_select *s)
{
    const char *q = INV_PENDING_PATH "?";
    if (s->event_id) q = arena_printf(a, "%sevenement=%lld&", q, s->event_id);
    if (s->organisation_id) q = arena_printf(a, "%sorganisatie=%lld&", q, s->organisation_id);
    if (s->month) q = arena_printf(a, "%smaand=%s&", q, s->month);
    return q;
}

static int seen(const db_res *r, int i, const char *col)
{
    const char *v = db_val(r, i, col);
    for (int k = 0; k < i; k++) {
        const char *w = db_val(r, k, col);
        if (v && w && strcmp(v, w) == 0) return 1;
    }
    return 0;
}

/* The filters' choices: the events, organisations and months that have
 * something to invoice. */
static void put_filters(http_req *rq, tv *ctx, const db_res *all, const inv_select *s)
{
    arena *a = rq->a;
    tv *box = list_filters(ctx, "/beheer/facturen/te-factureren", "Te factureren filteren",
                           "Filters", "Filteren");
    tv *ev = list_filter_select(box, "f-evenement", "evenement", "Evenement", "Alle evenementen");
    tv *org = list_filter_select(box, "f-organisatie", "organisatie", "Organisatie",
                                 "Alle factuurpartijen");
    tv *months =
        list_filter_select(box, "f-maand", "maand", "Maand van het evenement", "Alle maanden");
    /* events by date (the rows come by party) */
    int *order = arena_alloc(a, sizeof *order * (size_t)(all->nrows + 1)), n_ev = 0;
    for (int i = 0; i < all->nrows; i++) {
        if (seen(all, i, "event_id")) continue;
        int k = n_ev++;
        while (k > 0 &&
               strcmp(db_val(all, order[k - 1], "starts_on"), db_val(all, i, "starts_on")) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    for (int j = 0; j < n_ev; j++) {
        int i = order[j];
        list_filter_option(ev, db_val(all, i, "event_id"),
                           arena_printf(a, "%s, %s", date_nl(a, db_val(all, i, "starts_on")),
                                        db_val(all, i, "event_name")),
                           db_int(all, i, "event_id") == s->event_id);
    }
    for (int i = 0; i < all->nrows; i++) {
        if (db_int(all, i, "organisation_id") && !seen(all, i, "organisation_id"))
            list_filter_option(org, db_val(all, i, "organisation_id"), db_val(all, i, "party_name"),
                               db_int(all, i, "organisation_id") == s->organisation_id);
    }
    /* months in order, each once */
    const char *done[64];
    int n = 0;
    for (int pass = 0; pass < all->nrows && n < 64; pass++) {
        const char *best = NULL;
        for (int i = 0; i < all->nrows; i++) {
            const char *m = arena_printf(a, "%.7s", db_val(all, i, "starts_on"));
            int taken = 0;
            for (int k = 0; k < n && !taken; k++)
                taken = strcmp(done[k], m) == 0;
            if (!taken && (!best || strcmp(m, best) < 0)) best = m;
        }
        if (!best) break;
        done[n++] = best;
        list_filter_option(months, best, month_nl(a, best),
                           s->month && strcmp(s->month, best) == 0);
    }
    tv_set_bool(ctx, "filtered", filtered(s));
    if (filtered(s)) list_filter_clear(box, "Filters wissen");
}

static void put_rows(http_req *rq, tv *ctx, const db_res *r)
{
    arena *a = rq->a;
    tv *rows = tv_set_list(ctx, "rows");
    long long total = 0;
    for (int i = 0; i < r->nrows; i++) {
        tv *o = tv_push_obj(rows);
        const char *ref = db_val(r, i, "reference");
        tv_set_str(o, "id", db_val(r, i, "id"));
        tv_set_str(o, "href", arena_printf(a, "/beheer/inschrijvingen/%s", db_val(r, i, "id")));
        tv_set_str(o, "participant", db_val(r, i, "participant"));
        tv_set_str(o, "event", db_val(r, i, "event_name"));
        tv_set_str(o, "course", db_val(r, i, "course_name"));
        tv_set_str(o, "date", date_nl(a, db_val(r, i, "starts_on")));
        tv_set_str(o, "date_iso", db_val(r, i, "starts_on"));
        tv_set_str(o, "party", db_val(r, i, "party_name"));
        tv_set_str(o, "party_kind", db_int(r, i, "organisation_id") ? "organisatie" : "persoon");
        tv_set_str(o, "reference", ref && *ref ? ref : NULL);
        tv_set_str(o, "price", money_nl(a, db_int(r, i, "price_cents")));
        tv_set_bool(o, "exempt", db_int(r, i, "vat_rate") == 0);
        total += db_int(r, i, "price_cents");
    }
    tv_set_bool(ctx, "has_rows", r->nrows > 0);
    tv_set_int(ctx, "count", r->nrows);
    tv_set_str(ctx, "total", money_nl(a, total));
}

/* Returns whether the form with the error (o->event_id) is among them. */
static int put_maatwerk(http_req *rq, tv *ctx, const db_res *m, const pending_opts *o)
{
    arena *a = rq->a;
    int shown = 0;
    tv *list = tv_set_list(ctx, "maatwerk");
    for (int i = 0; i < m->nrows; i++) {
        tv *e = tv_push_obj(list);
        long long id = db_int(m, i, "id");
        int mine = o->event_id == id;
        tv_set_str(e, "id", db_val(m, i, "id"));
        tv_set_str(e, "name", db_val(m, i, "name"));
        tv_set_str(e, "course", db_val(m, i, "course_name"));
        tv_set_str(e, "org", db_val(m, i, "org_name"));
        tv_set_str(e, "date", date_nl(a, db_val(m, i, "starts_on")));
        tv_set_int(e, "participants", db_int(m, i, "participants"));
        tv_set_str(e, "description", mine ? o->description : db_val(m, i, "name"));
        tv_set_str(e, "amount", mine ? o->amount : "");
        int rate = mine ? (o->vat ? atoi(o->vat) : 21) : (int)db_int(m, i, "vat_rate");
        tv_set_bool(e, "vat0", rate == 0);
        tv_set_bool(e, "vat9", rate == 9);
        tv_set_bool(e, "vat21", rate != 0 && rate != 9);
        tv_set_str(e, "error", mine ? o->field_error : NULL);
        shown |= mine;
    }
    tv_set_bool(ctx, "has_maatwerk", m->nrows > 0);
    return shown;
}

static void put_credits(http_req *rq, tv *ctx, const db_res *r)
{
    tv *list = tv_set_list(ctx, "credits");
    for (int i = 0; i < r->nrows; i++) {
        tv *o = tv_push_obj(list);
        tv_set_str(o, "registration", db_val(r, i, "registration_id"));
        tv_set_str(o, "number", db_val(r, i, "invoice_number"));
        tv_set_str(o, "href",
                   arena_printf(rq->a, INV_ADMIN_PATH "/%s", db_val(r, i, "invoice_number")));
        tv_set_str(o, "participant", db_val(r, i, "participant"));
        tv_set_str(o, "description", db_val(r, i, "description"));
        tv_set_str(o, "party", db_val(r, i, "party_name"));
        tv_set_str(o, "amount", money_nl(rq->a, db_int(r, i, "amount_cents")));
    }
    tv_set_bool(ctx, "has_credits", r->nrows > 0);
}

/* "2026-000004" to "2026-000006" made just now, from the redirect's query:
 * only invoice-number shapes are shown. */
static void put_made(http_req *rq, tv *ctx)
{
    const char *first = req_in(rq, "gemaakt"), *last = req_in(rq, "tot");
    if (!inv_number_valid(first)) return;
    if (!inv_number_valid(last)) last = first;
    tv *o = tv_set_obj(ctx, "made");
    tv_set_str(o, "first", first);
    tv_set_str(o, "first_href", arena_printf(rq->a, INV_ADMIN_PATH "/%s", first));
    if (strcmp(first, last) != 0) {
        tv_set_str(o, "last", last);
        tv_set_str(o, "last_href", arena_printf(rq->a, INV_ADMIN_PATH "/%s", last));
        if (strncmp(first, last, 5) == 0)
            tv_set_int(o, "count", strtoll(last + 5, NULL, 10) - strtoll(first + 5, NULL, 10) + 1);
    }
}

static void pending_page(http_req *rq, http_resp *rs, const inv_select *s, const pending_opts *o)
{
    db_conn *c = req_db(rq);
    inv_select sel = *s;
    db_res *all = inv_pending(c, rq->a, &(inv_select){0});
    db_res *rows = all && filtered(&sel) ? inv_pending(c, rq->a, &sel) : all;
    db_res *mw = rows ? inv_admin_maatwerk(c, rq->a) : NULL;
    db_res *cr = mw ? inv_credit_pending(c, rq->a) : NULL;
    if (!cr) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = inv_admin_ctx(rq, "Te factureren", NULL);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "error", o->error);
    tv_set_str(ctx, "event_id", sel.event_id ? arena_printf(rq->a, "%lld", sel.event_id) : NULL);
    tv_set_str(ctx, "org_id",
               sel.organisation_id ? arena_printf(rq->a, "%lld", sel.organisation_id) : NULL);
    tv_set_str(ctx, "month", sel.month);
    put_made(rq, ctx);
    put_filters(rq, ctx, all, &sel);
    put_rows(rq, ctx, rows);
    /* an event no longer listed (invoiced a moment ago, cancelled) has no
     * form to show the reason under: it goes above */
    if (!put_maatwerk(rq, ctx, mw, o) && o->field_error && !o->error)
        tv_set_str(ctx, "error", o->field_error);
    put_credits(rq, ctx, cr);
    const char *title = o->error || o->field_error ? "Fout: Te factureren" : "Te factureren";
    page_render(rq, rs, "beheer/facturen_te_factureren", ctx, title, NAV_BEHEER);
    if (o->status) rs->status = o->status;
}

static void pending_get(http_req *rq, http_resp *rs)
{
    inv_select sel;
    read_select(rq, &sel);
    pending_page(rq, rs, &sel, &(pending_opts){0});
}

/* A POST's page sent back: no filters. */
static const inv_select unfiltered = {0};

static const inv_actor *actor(http_req *rq)
{
    inv_actor *by = arena_zalloc(rq->a, sizeof *by);
    *by = (inv_actor){auth_user(rq)->person_id, rq->client_ip};
    return by;
}

static void kick_jobs(http_req *rq)
{
    jobs_kick(rq->app->jobs);
}

/* Factureren: the one registration of a row's button, or everything the
 * filters show. */
static void issue_post(http_req *rq, http_resp *rs)
{
    inv_select sel;
    read_select(rq, &sel);
    sel.registration_id = id_of(rq, "inschrijving");
    if (!sel.registration_id && !filtered(&sel)) {
        page_error(rq, rs, 400);
        return;
    }
    const char **numbers = NULL;
    int n = 0;
    const char *today = date_today_plus(rq->a, 0);
    if (inv_issue(req_db(rq), rq->a, &sel, actor(rq), today, &numbers, &n) != 0) {
        page_db_error(rq, rs);
        return;
    }
    const char *back = page_with(rq->a, &sel);
    if (n == 0) {
        flash_set(rq, rs, "niets-te-factureren");
        resp_redirect(rs, rq->a, 303, arena_printf(rq->a, "%.*s", (int)strlen(back) - 1, back));
        return;
    }
    kick_jobs(rq);
    resp_redirect(rs, rq->a, 303,
                  arena_printf(rq->a, "%sgemaakt=%s&tot=%s", back, numbers[0], numbers[n - 1]));
}

/* A maatwerk event invoiced as a whole. */
static void maatwerk_post(http_req *rq, http_resp *rs)
{
    pending_opts o = {.event_id = id_of(rq, "evenement"),
                      .description = req_in(rq, "omschrijving"),
                      .amount = req_in(rq, "bedrag"),
                      .vat = req_in(rq, "btw"),
                      .status = 422};
    if (!o.event_id) {
        page_error(rq, rs, 404);
        return;
    }
    long long cents = 0;
    const char *why = NULL;
    if (!o.description || !*o.description)
        why = "Vul een omschrijving in.";
    else if (!o.amount || !*o.amount)
        why = "Vul het bedrag exclusief btw in.";
    else if ((why = nl_euros(o.amount, &cents)) == NULL && cents == 0)
        why = "Vul een bedrag groter dan nul in.";
    else if (!why && cents > INV_MAX_CENTS)
        why = "Het bedrag is te groot voor één factuurregel.";
    else if (!why && (!o.vat || (strcmp(o.vat, "0") != 0 && strcmp(o.vat, "9") != 0 &&
                                 strcmp(o.vat, "21") != 0)))
        why = "Kies het btw-tarief: 0% (vrijgesteld), 9% of 21%.";
    if (why) {
        o.field_error = why;
        pending_page(rq, rs, &unfiltered, &o);
        return;
    }
    const char *number = NULL, *refusal = NULL;
    int rc = inv_issue_event(req_db(rq), rq->a, o.event_id, o.description, cents, atoi(o.vat),
                             actor(rq), date_today_plus(rq->a, 0), &number, &refusal);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc == 2) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc > 0) {
        o.field_error = refusal;
        o.status = 409;
        pending_page(rq, rs, &unfiltered, &o);
        return;
    }
    kick_jobs(rq);
    flash_set(rq, rs, "factuur-gemaakt");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, INV_ADMIN_PATH "/%s", number));
}

/* Creditfactuur maken for a cancelled registration's invoice line. */
static void credit_post(http_req *rq, http_resp *rs)
{
    long long reg = id_of(rq, "inschrijving");
    if (!reg) {
        page_error(rq, rs, 400);
        return;
    }
    const char *number = NULL, *why = NULL;
    int rc = inv_issue_credit(req_db(rq), rq->a, reg, actor(rq), date_today_plus(rq->a, 0), &number,
                              &why);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        pending_page(rq, rs, &unfiltered,
                     &(pending_opts){
                         .error = arena_printf(rq->a, "Er is geen creditfactuur gemaakt: %s", why),
                         .status = 409});
        return;
    }
    kick_jobs(rq);
    flash_set(rq, rs, "creditfactuur-gemaakt");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, INV_ADMIN_PATH "/%s", number));
}

#define FILTER_FIELDS                                                                              \
    {"evenement", IN_QUERY, FK_ID, 20}, {"organisatie", IN_QUERY, FK_ID, 20},                      \
    {                                                                                              \
        "maand", IN_QUERY, FK_MONTH, 7                                                             \
    }

static const field_spec get_fields[] = {
    FILTER_FIELDS,
    {"gemaakt", IN_QUERY, FK_LINE, 11},
    {"tot", IN_QUERY, FK_LINE, 11},
    {NULL, 0, 0, 0},
};

static const field_spec issue_fields[] = {
    {"inschrijving", IN_FORM, FK_ID, 20},
    {"evenement", IN_FORM, FK_ID, 20},
    {"organisatie", IN_FORM, FK_ID, 20},
    {"maand", IN_FORM, FK_MONTH, 7},
    {NULL, 0, 0, 0},
};

static const field_spec maatwerk_fields[] = {
    {"evenement", IN_FORM, FK_ID, 20},
    {"omschrijving", IN_FORM, FK_LINE, 200},
    {"bedrag", IN_FORM, FK_LINE, 30},
    {"btw", IN_FORM, FK_SLUG, 2},
    {NULL, 0, 0, 0},
};

static const field_spec credit_fields[] = {
    {"inschrijving", IN_FORM, FK_ID, 20},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", INV_PENDING_PATH, pending_get, get_fields, RF_STAFF},
    {"POST", INV_PENDING_PATH, issue_post, issue_fields, RF_STAFF},
    {"POST", INV_ADMIN_PATH "/maatwerk", maatwerk_post, maatwerk_fields, RF_STAFF},
    {"POST", INV_ADMIN_PATH "/crediteren", credit_post, credit_fields, RF_STAFF},
};

void inv_admin_pending_routes(router *r)
{
    router_add_all(r, routes);
}
