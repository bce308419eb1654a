/* admin_event_participants_results.c - Resultaat and Gevolgd of every
 * participant of an event, from one form.
 *
 * Each row sends its select as "<registration id>:<Resultaat>" and, when
 * ticked, Gevolgd as the registration id. The values are checked against
 * the fixed list before anything is stored (a forged value refuses the
 * whole form); the rows are looked for among the event's registrations
 * holding a seat, locked, and only the ones that change are written, each
 * with an audit line (old → new), in one transaction. */
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "core/names.h"
#include "enrolment/admin_event_participants.h"
#include "web/flash.h"
#include "web/page.h"

enum { RESULTS_NOT_FOUND = 1 };

#define BAD_RESULT                                                                                 \
    "Kies bij Resultaat een waarde uit de lijst: Geslaagd, Niet geslaagd, Afgerond of Niet "       \
    "verschenen (of — voor geen resultaat). Er is niets opgeslagen."

typedef struct row_in {
    const char *id, *result;
    int attended;
} row_in;

typedef struct results_run {
    http_req *rq;
    const char *event_id;
    row_in *rows;
    const char **ids;
    int n;
} results_run;

/* Splits "<id>:<value>" in place; 0, or -1 when it is not that. */
static int split(arena *a, const char *v, row_in *out)
{
    const char *colon = strchr(v, ':');
    if (!colon) return -1;
    char *id = arena_printf(a, "%.*s", (int)(colon - v), v);
    if (!field_valid(FK_ID, id, strlen(id)) || !participants_result_valid(colon + 1)) return -1;
    out->id = id;
    out->result = colon + 1;
    out->attended = 0;
    return 0;
}

static row_in *find(results_run *x, const char *id)
{
    for (int i = 0; i < x->n; i++)
        if (strcmp(x->rows[i].id, id) == 0) return &x->rows[i];
    return NULL;
}

/* Reads the form into x: 0, or -1 when a value is not one the page
 * offers (a Resultaat outside the list, a row twice, a Gevolgd for a row
 * the form did not hold). */
static int read_form(http_req *rq, results_run *x)
{
    const char **all = arena_alloc(rq->a, sizeof *all * (PARTICIPANTS_FORM_MAX + 1));
    size_t total = req_in_all(rq, "resultaat", all, PARTICIPANTS_FORM_MAX + 1);
    if (kv_get(&rq->errors, "resultaat") || kv_get(&rq->errors, "gevolgd") || total == 0 ||
        total > PARTICIPANTS_FORM_MAX)
        return -1;
    x->rows = arena_zalloc(rq->a, sizeof *x->rows * total);
    x->ids = arena_alloc(rq->a, sizeof *x->ids * total);
    x->n = 0;
    for (size_t i = 0; i < total; i++) {
        row_in r;
        if (split(rq->a, all[i], &r) != 0 || find(x, r.id)) return -1;
        x->ids[x->n] = r.id;
        x->rows[x->n++] = r;
    }
    size_t ticked = req_in_all(rq, "gevolgd", all, PARTICIPANTS_FORM_MAX + 1);
    if (ticked > PARTICIPANTS_FORM_MAX) return -1;
    for (size_t i = 0; i < ticked; i++) {
        row_in *r = find(x, all[i]);
        if (!r) return -1;
        r->attended = 1;
    }
    return 0;
}

static int results_tx(db_conn *c, arena *a, void *arg)
{
    results_run *x = arg;
    db_res *r = participants_for_results(c, a, x->event_id, x->ids, x->n);
    if (!r) return -1;
    if (r->nrows != x->n) return RESULTS_NOT_FOUND;
    for (int i = 0; i < r->nrows; i++) {
        const row_in *in = find(x, db_val(r, i, "id"));
        const char *old = db_val(r, i, "result");
        int was = (int)db_int(r, i, "attended");
        if (strcmp(old, in->result) == 0 && was == in->attended) continue;
        if (participants_set_result(c, a, in->id, in->result, in->attended) != 0) return -1;
        audit_entry e;
        audit_begin(&e, a, auth_user(x->rq)->person_id, x->rq->client_ip, "resultaat_vastgelegd",
                    names_full(a, db_val(r, i, "first_name"), db_val(r, i, "infix"),
                               db_val(r, i, "last_name")));
        e.detail = arena_printf(a, "inschrijving %s", in->id);
        e.event_id = atoll(x->event_id);
        e.person_id = db_int(r, i, "person_id");
        audit_field(&e, "resultaat", old, in->result);
        audit_field(&e, "gevolgd", was ? "ja" : "nee", in->attended ? "ja" : "nee");
        if (audit_write(c, a, &e) != 0) return -1;
    }
    return 0;
}

void participants_results_post(http_req *rq, http_resp *rs)
{
    results_run x = {.rq = rq, .event_id = participants_event_id(rq)};
    if (!x.event_id) {
        page_error(rq, rs, 404);
        return;
    }
    if (read_form(rq, &x) != 0) {
        participants_page(rq, rs, BAD_RESULT, 422);
        return;
    }
    int rc = db_tx(req_db(rq), rq->a, results_tx, &x);
    if (rc == RESULTS_NOT_FOUND) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc != 0) {
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "resultaten-opgeslagen");
    resp_redirect(rs, rq->a, 303,
                  arena_printf(rq->a, "/beheer/evenementen/%s/deelnemers", x.event_id));
}
