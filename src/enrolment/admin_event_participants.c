/* admin_event_participants.c - the participants of one event in the back
 * office: /beheer/evenementen/<id>/deelnemers and its CSV.
 *
 * One table holds every participant holding a seat, with two forms over
 * it: the ticks for Uitnodiging versturen (checkboxes that belong to the
 * invitation form through their form attribute, so the forms need not
 * nest) and the Resultaat and Gevolgd of every row (the results form
 * around the table). The waiting list follows in its own table, in order.
 * Checkbox and select rows do not fit web/list.h's table partial, so the
 * tables are plain ones with its classes: a card per row on a phone. */
#include <string.h>

#include "auth/session.h"
#include "core/csv.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/admin_event_participants.h"
#include "enrolment/internal.h"
#include "http/download.h"
#include "web/page.h"

const char *participants_event_id(http_req *rq)
{
    const char *id = req_param(rq, "id");
    return id && field_valid(FK_ID, id, strlen(id)) ? id : NULL;
}

static const char *name_of(arena *a, const db_res *r, int i)
{
    return names_full(a, db_val(r, i, "first_name"), db_val(r, i, "infix"),
                      db_val(r, i, "last_name"));
}

/* Who pays: the organisation, or the person themself. */
static const char *invoiced_to(const db_res *r, int i)
{
    const char *org = db_val(r, i, "org_name");
    return org && *org ? org : "Particulier";
}

static int waiting(const db_res *r, int i)
{
    return strcmp(db_val(r, i, "status"), "wachtlijst") == 0;
}

static const char *status_text(arena *a, const db_res *r, int i)
{
    if (waiting(r, i)) return arena_printf(a, "Wachtlijst (plaats %s)", db_val(r, i, "position"));
    return strcmp(db_val(r, i, "status"), "verwerkt") == 0 ? "Verwerkt" : "Aangemeld";
}

/* ---- the page --------------------------------------------------------- */

static void put_event(http_req *rq, tv *ctx, const db_res *ev, const char *id)
{
    tv *e = tv_set_obj(ctx, "event");
    tv_set_str(e, "id", id);
    tv_set_str(e, "name", db_val(ev, 0, "name"));
    tv_set_str(e, "course", db_val(ev, 0, "course_name"));
    tv_set_str(e, "date_iso", db_val(ev, 0, "starts_on"));
    tv_set_str(e, "when",
               enrol_when(rq->a, db_val(ev, 0, "starts_on"), db_val(ev, 0, "ends_on"),
                          db_val(ev, 0, "start_time"), db_val(ev, 0, "end_time")));
    tv_set_str(e, "location", db_val(ev, 0, "location"));
    tv_set_str(e, "seats",
               arena_printf(rq->a, "%s van %s plaatsen bezet", db_val(ev, 0, "seats_taken"),
                            db_val(ev, 0, "capacity")));
    tv_set_str(e, "waiting", db_val(ev, 0, "waiting"));
    tv_set_bool(e, "cancelled", (int)db_int(ev, 0, "cancelled"));
    tv_set_str(e, "href", arena_printf(rq->a, "/beheer/evenementen/%s", id));
}

/* The select's options for one row; each value carries the row's id, so
 * the form needs one field per row, not two. */
static void put_results(http_req *rq, tv *row, const char *id, const char *current)
{
    tv *opts = tv_set_list(row, "results");
    for (int k = 0; participants_results[k]; k++) {
        const char *v = participants_results[k];
        tv *o = tv_push_obj(opts);
        tv_set_str(o, "value", arena_printf(rq->a, "%s:%s", id, v));
        tv_set_str(o, "label", *v ? v : "—");
        tv_set_bool(o, "selected", strcmp(v, current ? current : "") == 0);
    }
}

static void put_row(http_req *rq, tv *row, const db_res *r, int i)
{
    const char *id = db_val(r, i, "id");
    tv_set_str(row, "id", id);
    tv_set_str(row, "name", name_of(rq->a, r, i));
    tv_set_str(row, "org", invoiced_to(r, i));
    tv_set_str(row, "email", db_val(r, i, "email"));
    tv_set_str(row, "status", status_text(rq->a, r, i));
    tv_set_str(row, "position", db_val(r, i, "position"));
    if (!db_int(r, i, "confirmed"))
        tv_set_str(row, "note", "e-mailadres nog niet bevestigd");
    else if (strcmp(db_val(r, i, "status"), "aangemeld") == 0)
        tv_set_str(row, "note", "nog te verwerken");
    tv_set_bool(row, "processed", strcmp(db_val(r, i, "status"), "verwerkt") == 0);
    tv_set_bool(row, "confirmation_sent", (int)db_int(r, i, "confirmation_sent"));
    tv_set_bool(row, "invitation_sent", (int)db_int(r, i, "invitation_sent"));
    tv_set_bool(row, "attended", (int)db_int(r, i, "attended"));
    put_results(rq, row, id, db_val(r, i, "result"));
}

static void put_rows(http_req *rq, tv *ctx, const db_res *r)
{
    tv *seats = tv_set_list(ctx, "participants");
    tv *line = tv_set_list(ctx, "waiting_list");
    int nseats = 0, nwaiting = 0, processed = 0;
    for (int i = 0; i < r->nrows; i++) {
        put_row(rq, tv_push_obj(waiting(r, i) ? line : seats), r, i);
        if (waiting(r, i)) {
            nwaiting++;
            continue;
        }
        nseats++;
        processed += strcmp(db_val(r, i, "status"), "verwerkt") == 0;
    }
    tv_set_bool(ctx, "has_participants", nseats > 0);
    tv_set_bool(ctx, "has_waiting", nwaiting > 0);
    tv_set_bool(ctx, "has_processed", processed > 0);
    tv_set_bool(ctx, "results_form", nseats > 0 && nseats <= PARTICIPANTS_FORM_MAX);
    tv_set_bool(ctx, "too_many", nseats > PARTICIPANTS_FORM_MAX);
    tv_set_int(ctx, "form_max", PARTICIPANTS_FORM_MAX);
}

void participants_page(http_req *rq, http_resp *rs, const char *error, int status)
{
    const char *id = participants_event_id(rq);
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    db_conn *c = req_db(rq);
    db_res *ev = participants_event(c, rq->a, id);
    if (page_one_row(rq, rs, ev) != 0) return;
    db_res *r = participants_rows(c, rq->a, id);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Evenementen", "/beheer/evenementen");
    page_crumb(rq, ctx, db_val(ev, 0, "name"), arena_printf(rq->a, "/beheer/evenementen/%s", id));
    page_crumb(rq, ctx, "Deelnemers", NULL);
    put_event(rq, ctx, ev, id);
    put_rows(rq, ctx, r);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    const char *title = arena_printf(rq->a, "Deelnemers %s", db_val(ev, 0, "name"));
    if (error) {
        tv_set_str(ctx, "error", error);
        title = arena_printf(rq->a, "Fout: %s", title);
    }
    rs->status = status;
    page_render(rq, rs, "beheer/deelnemers", ctx, title, NAV_BEHEER);
}

static void list_get(http_req *rq, http_resp *rs)
{
    participants_page(rq, rs, NULL, 200);
}

/* ---- the CSV ---------------------------------------------------------- */

static const char *const csv_header[] = {
    "Naam",
    "Organisatie / factuur aan",
    "E-mailadres",
    "Status",
    "Bevestiging verzonden",
    "Uitnodiging verzonden",
    "Resultaat",
    "Gevolgd",
};
#define CSV_COLS ((int)(sizeof csv_header / sizeof csv_header[0]))

static const char *yes_no(const db_res *r, int i, const char *col)
{
    return db_int(r, i, col) ? "ja" : "nee";
}

/* The rows of one event: as many as it has places and people waiting, so
 * the file is built whole (a list of every event would stream). */
static void csv_get(http_req *rq, http_resp *rs)
{
    const char *id = participants_event_id(rq);
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    db_conn *c = req_db(rq);
    db_res *ev = participants_event(c, rq->a, id);
    if (page_one_row(rq, rs, ev) != 0) return;
    db_res *r = participants_rows(c, rq->a, id);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }
    buf b;
    buf_init(&b, rq->a, 1024 + (size_t)r->nrows * 160);
    buf_puts(&b, CSV_BOM);
    csv_row(&b, csv_header, CSV_COLS);
    for (int i = 0; i < r->nrows; i++) {
        const char *cells[] = {
            name_of(rq->a, r, i),
            invoiced_to(r, i),
            db_val(r, i, "email"),
            status_text(rq->a, r, i),
            yes_no(r, i, "confirmation_sent"),
            yes_no(r, i, "invitation_sent"),
            db_val(r, i, "result"),
            yes_no(r, i, "attended"),
        };
        csv_row(&b, cells, CSV_COLS);
    }
    resp_download(rs, rq->a, "text/csv; charset=utf-8",
                  arena_printf(rq->a, "deelnemers-evenement-%s.csv", id));
    buf_add(&rs->body, b.data, b.len);
}

/* ---- routes ----------------------------------------------------------- */

static const field_spec invite_inputs[] = {
    {"inschrijving", IN_FORM | IN_REPEATED, FK_ID, 20},
    {NULL, 0, 0, 0},
};

static const field_spec results_inputs[] = {
    /* "<registration id>:<Resultaat>", one per row */
    {"resultaat", IN_FORM | IN_REPEATED, FK_LINE, 40},
    /* the registration id of each row ticked Gevolgd */
    {"gevolgd", IN_FORM | IN_REPEATED, FK_ID, 20},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/beheer/evenementen/:id/deelnemers", list_get, NULL, RF_STAFF},
    {"GET", "/beheer/evenementen/:id/deelnemers.csv", csv_get, NULL, RF_STAFF},
    {"POST", "/beheer/evenementen/:id/deelnemers/uitnodiging", participants_invite_post,
     invite_inputs, RF_STAFF | RF_MANY_FIELDS},
    {"POST", "/beheer/evenementen/:id/deelnemers/resultaten", participants_results_post,
     results_inputs, RF_STAFF | RF_MANY_FIELDS},
};

void enrolment_participants_routes(router *r)
{
    router_add_all(r, routes);
}
