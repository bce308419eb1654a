/* mine.c - Cursussen, tab Mijn cursussen: /mijn/cursussen.
 *
 * The person's own registrations as participant, in whichever context they
 * were made (they are the person's courses), with the manual's columns;
 * the rows can be ticked for Afmelden. A beheerder acting for an
 * organisation also sees the organisation's enrolments (who is enrolled
 * where, invoiced to it), in a table and a form of their own. Checkbox rows
 * do not fit web/list.h's table partial, so the tables are plain ones with
 * the same classes: a card per row on a narrow screen. */
#include <string.h>

#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/internal.h"
#include "enrolment/mine.h"
#include "web/page.h"

#define PATH_MINE "/mijn/cursussen"
#define PATH_ORG "/mijn/cursussen/organisatie"

int mine_read_ids(http_req *rq, const char **ids)
{
    const char *all[MINE_MAX_SELECTED + 1];
    size_t total = req_in_all(rq, "inschrijving", all, MINE_MAX_SELECTED + 1);
    if (kv_get(&rq->errors, "inschrijving") || total > MINE_MAX_SELECTED) return -1;
    int n = 0;
    for (size_t i = 0; i < total; i++) {
        int seen = 0;
        for (int k = 0; k < n && !seen; k++)
            seen = strcmp(ids[k], all[i]) == 0;
        if (!seen) ids[n++] = all[i];
    }
    return n;
}

void mine_tabs(http_req *rq, tv *ctx, const char *current)
{
    const auth_ctx *u = auth_user(rq);
    static const struct {
        const char *label, *href;
    } tabs[] = {
        {"Mijn cursussen", PATH_MINE},
        {"Inschrijven cursussen organisatie", PATH_ORG},
    };
    tv *list = tv_set_list(ctx, "tabs");
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++) {
        if (strcmp(tabs[i].href, PATH_ORG) == 0 && !(u->org_id && u->beheerder)) continue;
        tv *t = tv_push_obj(list);
        tv_set_str(t, "label", tabs[i].label);
        tv_set_str(t, "href", tabs[i].href);
        tv_set_bool(t, "current", strcmp(tabs[i].href, current) == 0);
    }
}

/* A date cell: the machine-readable day and the day as lists show it. */
static void put_date(http_req *rq, tv *row, const char *iso)
{
    tv_set_str(row, "date_iso", iso);
    tv_set_str(row, "date", date_short_nl(rq->a, iso));
}

static void own_rows(http_req *rq, tv *ctx, const db_res *r)
{
    tv *rows = tv_set_list(ctx, "rows");
    for (int i = 0; i < r->nrows; i++) {
        tv *row = tv_push_obj(rows);
        tv_set_str(row, "id", db_val(r, i, "id"));
        tv_set_str(
            row, "course",
            mine_course_label(rq->a, db_val(r, i, "event_name"), db_val(r, i, "course_name")));
        put_date(rq, row, db_val(r, i, "starts_on"));
        tv_set_str(row, "location", db_val(r, i, "location"));
        if (strcmp(db_val(r, i, "status"), "wachtlijst") == 0)
            tv_set_str(row, "status",
                       mine_status_text(rq->a, "wachtlijst", db_int(r, i, "position")));
        else if (db_int(r, i, "event_cancelled"))
            tv_set_str(row, "status", "Gaat niet door");
        tv_set_bool(row, "confirmation_sent", (int)db_int(r, i, "confirmation_sent"));
        tv_set_bool(row, "invitation_sent", (int)db_int(r, i, "invitation_sent"));
        tv_set_str(row, "result", db_val(r, i, "result"));
        tv_set_bool(row, "attended", (int)db_int(r, i, "attended"));
    }
    tv_set_bool(ctx, "has_rows", r->nrows > 0);
}

/* The organisation's enrolments, for its beheerder. */
static int org_rows(http_req *rq, tv *ctx, const char *today)
{
    const auth_ctx *u = auth_user(rq);
    db_res *r = mine_org(req_db(rq), rq->a, u->org_id, today, MINE_ORG_ROWS);
    if (!r) return -1;
    tv *org = tv_set_obj(ctx, "org");
    tv_set_str(org, "name", u->org_name);
    tv *rows = tv_set_list(org, "rows");
    int n = r->nrows > MINE_ORG_ROWS ? MINE_ORG_ROWS : r->nrows;
    for (int i = 0; i < n; i++) {
        tv *row = tv_push_obj(rows);
        tv_set_str(row, "id", db_val(r, i, "id"));
        tv_set_str(row, "participant",
                   names_full(rq->a, db_val(r, i, "first_name"), db_val(r, i, "infix"),
                              db_val(r, i, "last_name")));
        tv_set_str(
            row, "course",
            mine_course_label(rq->a, db_val(r, i, "event_name"), db_val(r, i, "course_name")));
        put_date(rq, row, db_val(r, i, "starts_on"));
        tv_set_str(row, "location", db_val(r, i, "location"));
        tv_set_str(row, "status",
                   mine_status_text(rq->a, db_val(r, i, "status"), db_int(r, i, "position")));
    }
    tv_set_bool(org, "has_rows", n > 0);
    if (r->nrows > MINE_ORG_ROWS)
        tv_set_str(org, "more",
                   arena_printf(rq->a,
                                "U ziet de eerste %d inschrijvingen. Voor een volledig "
                                "overzicht: neem contact op met de administratie, 0223-611310.",
                                MINE_ORG_ROWS));
    return 0;
}

static void mine_get(http_req *rq, http_resp *rs)
{
    const auth_ctx *u = auth_user(rq);
    const char *today = date_today_plus(rq->a, 0);
    db_res *own = mine_own(req_db(rq), rq->a, u->person_id, today);
    if (!own) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Cursussen", NULL);
    mine_tabs(rq, ctx, PATH_MINE);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "context", auth_form_context(rq));
    own_rows(rq, ctx, own);
    if (u->org_id && u->beheerder && org_rows(rq, ctx, today) != 0) {
        page_db_error(rq, rs);
        return;
    }
    page_render(rq, rs, "enrolment/mine", ctx, "Mijn cursussen", NAV_MIJN);
}

static const route routes[] = {
    {"GET", PATH_MINE, mine_get, NULL, RF_LOGIN},
};

void enrolment_mine_routes(router *r)
{
    router_add_all(r, routes);
    enrolment_cancel_routes(r);
    enrolment_receipt_routes(r);
    enrolment_maatwerk_routes(r);
}
