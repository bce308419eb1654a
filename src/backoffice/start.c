/* start.c - the back office's start page, /beheer: what needs doing now.
 * Lifting a brake (POST /beheer/rem-opheffen) is here too, since the start
 * page is where the administratie sees it. */
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "backoffice/backoffice.h"
#include "backoffice/internal.h"
#include "core/timeutil.h"
#include "enrolment/summary.h"
#include "web/flash.h"
#include "web/page.h"

/* One event row of the week or of the waiting lists. */
static void put_events(http_req *rq, tv *list, const db_res *r)
{
    for (int i = 0; i < r->nrows; i++) {
        tv *row = tv_push_obj(list);
        long long cap = db_int(r, i, "capacity"), taken = db_int(r, i, "seats_taken");
        tv_set_str(row, "href", arena_printf(rq->a, "/beheer/evenementen/%s", db_val(r, i, "id")));
        tv_set_str(row, "name", db_val(r, i, "name"));
        tv_set_str(row, "course", db_val(r, i, "course_name"));
        tv_set_str(row, "date", date_short_nl(rq->a, db_val(r, i, "starts_on")));
        tv_set_str(row, "iso", db_val(r, i, "starts_on"));
        tv_set_str(row, "time", db_val(r, i, "start_time"));
        tv_set_str(row, "location", db_val(r, i, "location"));
        tv_set_str(row, "seats", arena_printf(rq->a, "%lld van %lld", taken, cap));
        tv_set_str(row, "fill", arena_printf(rq->a, "%lld%%", cap > 0 ? taken * 100 / cap : 0));
        tv_set_bool(row, "full", cap > 0 && taken >= cap);
        tv_set_str(row, "waiting", db_val(r, i, "waiting"));
    }
}

static void start_page(http_req *rq, http_resp *rs)
{
    db_conn *c = req_db(rq);
    const char *today = date_today_plus(rq->a, 0);
    enrolment_todo todo;
    db_res *week, *waiting, *braked;
    if (enrolment_todo_counts(c, rq->a, today, &todo) != 0 ||
        !(week = enrolment_events_between(c, rq->a, today, date_today_plus(rq->a, 6))) ||
        !(waiting = enrolment_waiting_lists(c, rq->a, today)) ||
        !(braked = rl_braked_accounts(c, rq->a))) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", NULL);
    tv_set_str(
        ctx, "to_process",
        arena_printf(rq->a, "%lld %s", todo.to_process,
                     todo.to_process == 1 ? "nieuwe inschrijving" : "nieuwe inschrijvingen"));
    tv_set_bool(ctx, "has_to_process", todo.to_process > 0);
    tv_set_str(ctx, "unconfirmed",
               arena_printf(rq->a, "%lld %s", todo.unconfirmed,
                            todo.unconfirmed == 1 ? "aanmelding van een bezoeker wacht"
                                                  : "aanmeldingen van bezoekers wachten"));
    tv_set_str(
        ctx, "waiting_total",
        arena_printf(rq->a, "%lld %s", todo.waiting, todo.waiting == 1 ? "persoon" : "personen"));
    put_events(rq, tv_set_list(ctx, "week"), week);
    tv_set_bool(ctx, "has_week", week->nrows > 0);
    put_events(rq, tv_set_list(ctx, "waiting"), waiting);
    tv_set_bool(ctx, "has_waiting", waiting->nrows > 0);
    tv *list = tv_set_list(ctx, "braked");
    for (int i = 0; i < braked->nrows; i++) {
        tv *row = tv_push_obj(list);
        tv_set_str(row, "account", db_val(braked, i, "account"));
        tv_set_str(row, "failures", db_val(braked, i, "failures"));
        tv_set_str(row, "last", moment_nl(rq->a, db_int(braked, i, "last")));
    }
    tv_set_bool(ctx, "has_braked", braked->nrows > 0);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/start", ctx, "Beheer", NAV_BEHEER);
}

/* db_tx: the account's failed logins forgotten, and the audit line. */
typedef struct lift_arg {
    http_req *rq;
    const char *account;
} lift_arg;

static int lift_tx(db_conn *c, arena *a, void *arg)
{
    lift_arg *l = arg;
    if (rl_clear(c, a, l->account) != 0) return -1;
    return audit_log(c, a, auth_user(l->rq)->person_id, l->rq->client_ip, "rem_opgeheven",
                     l->account, "");
}

static void lift_brake(http_req *rq, http_resp *rs)
{
    lift_arg l = {rq, req_in(rq, "account")};
    if (!l.account) {
        page_error(rq, rs, 400);
        return;
    }
    if (db_tx(req_db(rq), rq->a, lift_tx, &l) != 0) {
        page_db_error(rq, rs);
        return;
    }
    resp_redirect(rs, rq->a, 303, auth_safe_return(req_in(rq, "terug"), "/beheer"));
    flash_set(rq, rs, "rem-opgeheven");
}

static const field_spec lift_inputs[] = {
    {"account", IN_FORM, FK_LINE, 254},
    {"terug", IN_FORM, FK_LINE, 500},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/beheer", start_page, NULL, RF_STAFF},
    {"POST", "/beheer/rem-opheffen", lift_brake, lift_inputs, RF_STAFF},
};

void backoffice_start_routes(router *r)
{
    router_add_all(r, routes);
}
