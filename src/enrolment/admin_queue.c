/* admin_queue.c - /beheer/inschrijvingen: every registration, newest
 * first, filtered by status, event, organisation and a search on the
 * participant's name or address, paged by key (web/list.h); Verwerken per
 * row and for the ticked rows (POST /beheer/inschrijvingen/verwerken,
 * field inschrijving once per row, or rij for one row's button).
 *
 * A click is processed all or nothing (admin_queue_process.c): when one
 * of the chosen registrations cannot be processed (its address is not
 * confirmed yet, it waits on the waiting list, a person with its address
 * exists and staff must confirm the match first), nothing is stored and a
 * page says which and why. */
#include <string.h>

#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/admin_queue.h"
#include "enrolment/enrolment.h"
#include "mail/mail.h"
#include "web/flash.h"
#include "web/list.h"
#include "web/page.h"

static const list_col queue_cols[] = {
    {"ingeschreven", "Ingeschreven", "r.created_at", 1, 0, 1},
    {"deelnemer", "Deelnemer",
     "lower(COALESCE(p.last_name, r.applicant_last_name, '') || ' ' || "
     "COALESCE(p.first_name, r.applicant_first_name, ''))",
     0, 0, 0},
    {"evenement", "Evenement", "e.starts_on", 0, 0, 0},
    {NULL, "Factuur aan", NULL, 0, 0, 0},
    {NULL, "Status", NULL, 0, 0, 0},
};

static const char *const queue_filters[] = {"status", "evenement", "organisatie", "q", NULL};

static const list_spec queue_list = {
    .path = QUEUE_PATH,
    .caption = "Inschrijvingen, de nieuwste eerst. Kies inschrijvingen met het vakje voor de "
               "naam en kies dan Verwerken.",
    .one = "inschrijving",
    .many = "inschrijvingen",
    .empty = "Er zijn geen inschrijvingen die aan de filters voldoen.",
    .cols = queue_cols,
    .ncols = 5,
    .sort_col = 0,
    .id_expr = "r.id",
    .per_page = 25,
    .per_page_min = 10,
    .per_page_max = 100,
    .filters = queue_filters,
};

static const struct {
    const char *value, *label;
} statuses[] = {
    {"aangemeld", "Aangemeld (te verwerken)"},
    {"verwerkt", "Verwerkt"},
    {"wachtlijst", "Wachtlijst"},
    {"geannuleerd", "Geannuleerd"},
};

const char *queue_status_label(const char *status, int confirmed, int moved)
{
    if (!status) return "";
    if (strcmp(status, "aangemeld") == 0)
        return confirmed ? "Aangemeld" : "Aangemeld, e-mailadres nog niet bevestigd";
    if (strcmp(status, "verwerkt") == 0) return "Verwerkt";
    if (strcmp(status, "wachtlijst") == 0)
        return confirmed ? "Wachtlijst" : "Wachtlijst, e-mailadres nog niet bevestigd";
    return moved ? "Verplaatst" : "Geannuleerd";
}

tv *queue_ctx(http_req *rq, const char *last)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Inschrijvingen", last ? QUEUE_PATH : NULL);
    if (last) page_crumb(rq, ctx, last, NULL);
    return ctx;
}

static const char *known_status(const char *s)
{
    for (size_t i = 0; s && i < sizeof statuses / sizeof statuses[0]; i++)
        if (strcmp(s, statuses[i].value) == 0) return statuses[i].value;
    return NULL;
}

static long long src_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return queue_count(c, a, arg, cap);
}

static db_res *src_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return queue_page(c, a, arg, k);
}

/* The filter form, the chosen choices selected. */
static int put_filters(http_req *rq, tv *ctx, const queue_filter *f)
{
    db_conn *c = req_db(rq);
    db_res *ev = queue_event_options(c, rq->a, date_today_plus(rq->a, 0), f->event_id);
    db_res *org = ev ? queue_org_options(c, rq->a, f->org_id) : NULL;
    if (!org) return -1;
    tv *box = list_filters(ctx, QUEUE_PATH, "Inschrijvingen zoeken", "Filters", "Filter");
    list_filter_search(box, "f-q", "q", "Deelnemer", f->q, 100, "Naam of e-mailadres");
    tv *sel = list_filter_select(box, "f-status", "status", "Status", "Alle statussen");
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        list_filter_option(sel, statuses[i].value, statuses[i].label,
                           f->status && strcmp(f->status, statuses[i].value) == 0);
    sel = list_filter_select(box, "f-evenement", "evenement", "Evenement", "Alle evenementen");
    for (int i = 0; i < ev->nrows; i++)
        list_filter_option(sel, db_val(ev, i, "id"),
                           arena_printf(rq->a, "%s, %s", date_nl(rq->a, db_val(ev, i, "starts_on")),
                                        db_val(ev, i, "name")),
                           f->event_id && strcmp(f->event_id, db_val(ev, i, "id")) == 0);
    sel = list_filter_select(box, "f-organisatie", "organisatie", "Organisatie (factuur aan)",
                             "Alle organisaties");
    for (int i = 0; i < org->nrows; i++)
        list_filter_option(sel, db_val(org, i, "id"), db_val(org, i, "name"),
                           f->org_id && strcmp(f->org_id, db_val(org, i, "id")) == 0);
    if (f->status || f->event_id || f->org_id || f->q) list_filter_clear(box, "Filters wissen");
    return 0;
}

static const char *name_at(arena *a, const db_res *r, int i)
{
    return names_full(a, db_val(r, i, "first_name"), db_val(r, i, "infix"),
                      db_val(r, i, "last_name"));
}

static void put_rows(http_req *rq, const list_page *l, tv *rows)
{
    const db_res *r = l->rows;
    for (int i = 0; i < r->nrows; i++) {
        tv *row = tv_push_obj(rows);
        const char *id = db_val(r, i, "id"), *status = db_val(r, i, "status");
        int confirmed = (int)db_int(r, i, "confirmed");
        int todo = strcmp(status, "aangemeld") == 0 && confirmed;
        tv_set_str(row, "id", id);
        tv_set_str(row, "href", arena_printf(rq->a, QUEUE_PATH "/%s", id));
        tv_set_str(row, "created", moment_nl(rq->a, db_int(r, i, "created_at")));
        tv_set_str(row, "name", name_at(rq->a, r, i));
        tv_set_str(row, "email", db_val(r, i, "email"));
        tv_set_bool(row, "bezoeker", !db_int(r, i, "person_id"));
        tv_set_str(row, "event", db_val(r, i, "event_name"));
        tv_set_str(row, "course", db_val(r, i, "course_name"));
        tv_set_str(row, "date_iso", db_val(r, i, "starts_on"));
        tv_set_str(row, "date", date_short_nl(rq->a, db_val(r, i, "starts_on")));
        const char *org = db_val(r, i, "org_name"), *typed = db_val(r, i, "applicant_org_name");
        tv_set_str(row, "invoice", org ? org : "Persoon");
        if (!org && typed && *typed)
            tv_set_str(row, "typed_org", arena_printf(rq->a, "opgegeven: %s", typed));
        tv_set_str(row, "status",
                   queue_status_label(status, confirmed, db_val(r, i, "moved_to") != NULL));
        tv_set_bool(row, "unconfirmed", !confirmed && strcmp(status, "geannuleerd") != 0);
        /* an existing person with the address: staff confirm the match on
         * the registration's page first */
        int match = todo && db_int(r, i, "has_match");
        tv_set_bool(row, "pick", todo && !match);
        tv_set_bool(row, "match", match);
    }
}

static void queue_page_get(http_req *rq, http_resp *rs)
{
    queue_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->status = known_status(req_in(rq, "status"));
    f->event_id = req_in(rq, "evenement");
    f->org_id = req_in(rq, "organisatie");
    f->q = req_in(rq, "q");
    list_page l;
    list_read(rq, &queue_list, &l);
    list_source src = {src_count, src_fetch, f};
    tv *ctx = queue_ctx(rq, NULL);
    if (list_load(rq, &l, &src) != 0 || put_filters(rq, ctx, f) != 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *errs = tv_set_list(ctx, "errors");
    for (size_t i = 0; i < rq->errors.n; i++)
        if (!list_owns_input(rq->errors.v[i].name))
            tv_push(errs, tv_str(rq->a, rq->errors.v[i].value));
    put_rows(rq, &l, list_view(rq, ctx, &l));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "terug",
               *rq->query_string ? arena_printf(rq->a, QUEUE_PATH "?%s", rq->query_string)
                                 : QUEUE_PATH);
    page_render(rq, rs, "beheer/inschrijvingen", ctx, "Inschrijvingen", NAV_BEHEER);
}

/* The ids of the click: the one row's button, or the ticked rows. -1 when
 * one is not an id or there are too many. */
static int read_ids(http_req *rq, const char **ids)
{
    const char *row = req_in(rq, "rij");
    if (row) {
        ids[0] = row;
        return 1;
    }
    const char *all[QUEUE_MAX_SELECTED + 1];
    size_t total = req_in_all(rq, "inschrijving", all, QUEUE_MAX_SELECTED + 1);
    if (kv_get(&rq->errors, "inschrijving") || kv_get(&rq->errors, "rij") ||
        total > QUEUE_MAX_SELECTED)
        return -1;
    int n = 0;
    for (size_t i = 0; i < total; i++) {
        int seen = 0;
        for (int k = 0; k < n && !seen; k++)
            seen = strcmp(ids[k], all[i]) == 0;
        if (!seen) ids[n++] = all[i];
    }
    return n;
}

/* Back to the list as it was filtered; only a queue page. */
static const char *back_to(http_req *rq)
{
    const char *t = auth_safe_return(req_in(rq, "terug"), QUEUE_PATH);
    size_t n = strlen(QUEUE_PATH);
    return strncmp(t, QUEUE_PATH, n) == 0 && (t[n] == '\0' || t[n] == '?') ? t : QUEUE_PATH;
}

static void refused_page(http_req *rq, http_resp *rs, const queue_run *run, const char *back)
{
    tv *ctx = queue_ctx(rq, "Niet verwerkt");
    tv *list = tv_set_list(ctx, "refusals");
    for (int i = 0; i < run->n; i++) {
        const queue_outcome *o = &run->out[i];
        if (!o->refusal) continue;
        tv *row = tv_push_obj(list);
        tv_set_str(row, "href", arena_printf(rq->a, QUEUE_PATH "/%s", run->ids[i]));
        tv_set_str(row, "name",
                   o->name ? o->name : arena_printf(rq->a, "Inschrijving %s", run->ids[i]));
        tv_set_str(row, "event", o->event);
        tv_set_str(row, "reason", queue_refusal_text(o->refusal));
    }
    tv_set_bool(ctx, "many", run->n > 1);
    tv_set_str(ctx, "back", back);
    page_render(rq, rs, "beheer/inschrijvingen_niet_verwerkt", ctx, "Fout: Niet verwerkt",
                NAV_BEHEER);
    rs->status = 409;
}

static void queue_process_post(http_req *rq, http_resp *rs)
{
    const char *ids[QUEUE_MAX_SELECTED];
    int n = read_ids(rq, ids);
    const char *back = back_to(rq);
    if (n < 0) {
        page_error(rq, rs, 400);
        return;
    }
    if (n == 0) {
        flash_set(rq, rs, "geen-inschrijving-gekozen");
        resp_redirect(rs, rq->a, 303, back);
        return;
    }
    queue_run run = {.ap = rq->app,
                     .actor = auth_user(rq)->person_id,
                     .client_ip = rq->client_ip,
                     .ids = ids,
                     .n = n,
                     .out = arena_zalloc(rq->a, (size_t)n * sizeof(queue_outcome))};
    int rc = db_tx(req_db(rq), rq->a, queue_process, &run);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        refused_page(rq, rs, &run, back);
        return;
    }
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, n > 1 ? "inschrijvingen-verwerkt" : "inschrijving-verwerkt");
    resp_redirect(rs, rq->a, 303, back);
}

static const field_spec list_fields[] = {
    {"status", IN_QUERY, FK_SLUG, 20},
    {"evenement", IN_QUERY, FK_ID, 20},
    {"organisatie", IN_QUERY, FK_ID, 20},
    {"q", IN_QUERY, FK_LINE, 100},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static const field_spec process_fields[] = {
    {"inschrijving", IN_FORM | IN_REPEATED, FK_ID, 20},
    {"rij", IN_FORM, FK_ID, 20},
    {"terug", IN_FORM, FK_LINE, 1000},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", QUEUE_PATH, queue_page_get, list_fields, RF_STAFF},
    /* a page of up to 100 rows, each ticked: more fields than a form usually has */
    {"POST", QUEUE_PATH "/verwerken", queue_process_post, process_fields,
     RF_STAFF | RF_MANY_FIELDS},
};

void enrolment_queue_routes(router *r)
{
    router_add_all(r, routes);
    enrolment_queue_new_routes(r);
    enrolment_queue_detail_routes(r);
    enrolment_queue_action_routes(r);
}
