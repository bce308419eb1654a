/* timeline.c - Digitaal Dossier: /mijn/dossier (see timeline.h).
 *
 * The scope comes from the session (auth_user), the kind from the declared
 * query field soort, the page from voor / voor_id (the moment and seq of
 * the last item shown: "Oudere items" reads on from there by key). */
#include "dossier/timeline.h"

#include <string.h>
#include <time.h>

#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "dossier/timeline_store.h"
#include "invoicing/store.h"
#include "web/page.h"

#define PATH_DOSSIER "/mijn/dossier"
/* Items on one page; "Oudere items" shows the next. */
#define DOSSIER_PAGE 50

/* The filter: the value of soort, its label and kinds. */
static const struct {
    const char *value, *label;
    int kinds;
} sorts[] = {
    {"alles", "Alles", DOSSIER_ALL},
    {"inschrijvingen", "Inschrijvingen", DOSSIER_REGISTRATIONS},
    {"berichten", "Berichten", DOSSIER_MESSAGES},
    {"facturen", "Facturen", DOSSIER_INVOICES},
};
#define NSORTS (sizeof sorts / sizeof sorts[0])

/* The index into sorts of the request's soort; 0 (alles) when absent,
 * and also when unknown, with *unknown set. */
static size_t sort_of(const http_req *rq, int *unknown)
{
    const char *v = req_in(rq, "soort");
    *unknown = kv_get(&rq->errors, "soort") != NULL;
    if (!v) return 0;
    for (size_t i = 0; i < NSORTS; i++)
        if (strcmp(v, sorts[i].value) == 0) return i;
    *unknown = 1;
    return 0;
}

static const char *link_to(arena *a, size_t sort, const char *key, const char *id)
{
    const char *base =
        sort ? arena_printf(a, PATH_DOSSIER "?soort=%s", sorts[sort].value) : PATH_DOSSIER;
    if (!key || !id) return base;
    return arena_printf(a, "%s%cvoor=%s&voor_id=%s", base, sort ? '&' : '?', key, id);
}

/* The day of a moment in business time, as 'YYYY-MM-DD'. */
static const char *day_of(arena *a, long long at)
{
    time_t t = (time_t)at;
    struct tm tm;
    localtime_r(&t, &tm);
    return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The course as lists name it: the event, then the course, once when one
 * name holds the other. */
static const char *course_label(arena *a, const char *event, const char *course)
{
    if (!course || !*course || strstr(event, course)) return event;
    if (strstr(course, event)) return course;
    return arena_printf(a, "%s - %s", event, course);
}

static const char *step_label(const char *step)
{
    if (strcmp(step, "wachtlijst") == 0) return "Op de wachtlijst";
    if (strcmp(step, "verwerkt") == 0) return "Bevestigd";
    if (strcmp(step, "geannuleerd") == 0) return "Geannuleerd";
    return "Aangemeld";
}

static void registration_item(http_req *rq, tv *it, const db_res *r, int i, int person_ctx)
{
    tv_set_bool(it, "registration", 1);
    tv_set_str(it, "kind_label", "Inschrijving");
    tv_set_str(it, "step", step_label(db_val(r, i, "step")));
    tv_set_str(it, "course",
               course_label(rq->a, db_val(r, i, "title"), db_val(r, i, "course_name")));
    /* Cursussen lists what is still on, not what was cancelled */
    tv_set_bool(it, "active", strcmp(db_val(r, i, "status"), "geannuleerd") != 0);
    tv_set_str(it, "participant",
               names_full(rq->a, db_val(r, i, "first_name"), db_val(r, i, "infix"),
                          db_val(r, i, "last_name")));
    /* in the person's file, who pays when it is not the person */
    const char *org = db_val(r, i, "org_name");
    if (person_ctx && org) tv_set_str(it, "paid_by", org);
}

static void message_item(tv *it, const db_res *r, int i)
{
    tv_set_bool(it, "message", 1);
    tv_set_str(it, "kind_label", "Bericht");
    tv_set_str(it, "id", db_val(r, i, "item_id"));
    tv_set_str(it, "subject", db_val(r, i, "title"));
    tv_set_bool(it, "unread", (int)db_int(r, i, "unread"));
}

static void invoice_item(http_req *rq, tv *it, const db_res *r, int i, const char *today)
{
    int credit = strcmp(db_val(r, i, "doc_kind"), "creditnota") == 0;
    tv_set_bool(it, "invoice", 1);
    tv_set_str(it, "kind_label", credit ? "Creditfactuur" : "Factuur");
    tv_set_str(it, "number", db_val(r, i, "title"));
    tv_set_str(it, "amount", money_nl(rq->a, db_int(r, i, "amount_cents")));
    /* a credit note is never overdue: it is money back */
    const char *due = db_val(r, i, "due_date");
    const char *status =
        inv_status_shown(credit ? "creditnota" : "factuur", db_val(r, i, "status"), due, today);
    tv_set_str(it, "status", status);
    /* the due date only while it still matters */
    if (!credit && due && strcmp(status, "betaald") != 0)
        tv_set_str(it, "due", date_long_nl(rq->a, due));
}

static void items(http_req *rq, tv *ctx, const db_res *r, int person_ctx)
{
    const char *today = date_today_plus(rq->a, 0);
    tv *list = tv_set_list(ctx, "items");
    for (int i = 0; i < r->nrows; i++) {
        tv *it = tv_push_obj(list);
        const char *day = day_of(rq->a, db_int(r, i, "at"));
        tv_set_str(it, "date_iso", day);
        tv_set_str(it, "date", date_long_nl(rq->a, day));
        const char *kind = db_val(r, i, "kind");
        if (strcmp(kind, "inschrijving") == 0)
            registration_item(rq, it, r, i, person_ctx);
        else if (strcmp(kind, "bericht") == 0)
            message_item(it, r, i);
        else
            invoice_item(rq, it, r, i, today);
    }
    tv_set_bool(ctx, "has_items", r->nrows > 0);
}

static void filter_nav(http_req *rq, tv *ctx, size_t current, int allowed)
{
    tv *list = tv_set_list(ctx, "sorts");
    for (size_t i = 0; i < NSORTS; i++) {
        if (!(sorts[i].kinds & allowed)) continue;
        tv *t = tv_push_obj(list);
        tv_set_str(t, "label", sorts[i].label);
        tv_set_str(t, "href", link_to(rq->a, i, NULL, NULL));
        tv_set_bool(t, "current", i == current);
    }
}

/* What the page is about, and what it says when there is nothing. */
static void texts(tv *ctx, const auth_ctx *u, size_t sort)
{
    static const char *const empty[] = {
        "Er staat nog niets in dit dossier.",
        "Er staan geen inschrijvingen in dit dossier.",
        "Er staan geen berichten in dit dossier.",
        "Er staan geen facturen in dit dossier.",
    };
    tv_set_str(ctx, "empty", empty[sort]);
    if (!u->org_id) {
        tv_set_bool(ctx, "as_person", 1);
    } else {
        tv_set_str(ctx, "org_name", u->org_name);
        tv_set_bool(ctx, u->beheerder ? "as_beheerder" : "as_medewerker", 1);
    }
}

static void dossier_get(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    dossier_tl_scope s = {
        .person_id = u->person_id, .org_id = u->org_id, .beheerder = u->beheerder};
    int unknown;
    size_t sort = sort_of(rq, &unknown);
    int allowed = dossier_kinds_allowed(&s);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Digitaal Dossier", NULL);
    filter_nav(rq, ctx, sort, allowed);
    texts(ctx, u, sort);
    tv_set_bool(ctx, "unknown_sort", unknown);
    if (!(sorts[sort].kinds & allowed)) {
        /* a medewerker asking for the organisation's messages or invoices */
        tv_set_bool(ctx, "not_for_you", 1);
        page_render(rq, rs, "dossier/timeline", ctx, "Digitaal Dossier", NAV_MIJN);
        return;
    }
    db_keyset k = {.limit = DOSSIER_PAGE};
    if (req_in(rq, "voor") && req_in(rq, "voor_id")) {
        k.key = req_in(rq, "voor");
        k.id = req_in(rq, "voor_id");
        tv_set_str(ctx, "newest", link_to(rq->a, sort, NULL, NULL));
    }
    int more = 0;
    db_res *r = dossier_timeline(req_db(rq), rq->a, &s, sorts[sort].kinds, &k, &more);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }
    items(rq, ctx, r, !u->org_id);
    if (more && r->nrows > 0)
        tv_set_str(
            ctx, "older",
            link_to(rq->a, sort, db_keyset_key(r, r->nrows - 1), db_keyset_id(r, r->nrows - 1)));
    page_render(rq, rs, "dossier/timeline", ctx, "Digitaal Dossier", NAV_MIJN);
}

static const field_spec dossier_fields[] = {
    {"soort", IN_QUERY, FK_SLUG, 20},
    {"voor", IN_QUERY, FK_INT, 20},
    {"voor_id", IN_QUERY, FK_ID, 20},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", PATH_DOSSIER, dossier_get, dossier_fields, RF_LOGIN},
};

void dossier_timeline_routes(router *r)
{
    router_add_all(r, routes);
}
