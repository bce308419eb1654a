/* confirm.c - Bevestiging: /inschrijvingen/<id>/bevestiging, the screen
 * after Inschrijven. Seen by the participant, by whoever enrolled them and
 * by a beheerder acting for the organisation that pays; for anyone else
 * the registration does not exist (404). Beschikbare plaatsen is read now,
 * never from a cache. */
#include <string.h>

#include "auth/session.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"

static const char *status_text(http_req *rq, const db_res *r)
{
    const char *s = db_val(r, 0, "status");
    if (strcmp(s, "wachtlijst") == 0)
        return arena_printf(rq->a, "Wachtlijst (plaats %lld)", db_int(r, 0, "position"));
    if (strcmp(s, "verwerkt") == 0) return "Bevestigd";
    if (strcmp(s, "geannuleerd") == 0) return "Afgemeld";
    return "Aanmelding ontvangen; na verwerking door de administratie volgt een bevestiging "
           "per e-mail";
}

static void confirm_get(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    const auth_ctx *u = auth_user(rq);
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return;
    }
    db_res *r = enrolment_registration(req_db(rq), rq->a, id);
    if (page_one_row(rq, rs, r) != 0) return;
    if (!enrolment_may_view(r, u->person_id, u->org_id, u->beheerder)) {
        page_error(rq, rs, 404);
        return;
    }
    db_res *ev =
        enrolment_event(req_db(rq), rq->a, db_val(r, 0, "event_id"), date_today_plus(rq->a, 0));
    if (page_one_row(rq, rs, ev) != 0) return;
    tv *ctx = enrol_event_ctx(rq, ev, "Bevestiging");
    const char *name = names_full(rq->a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"),
                                  db_val(r, 0, "last_name"));
    const char *org = db_val(r, 0, "org_name");
    /* as the manual writes it: "Gemeente Heerhugowaard - Deby Rummens - Heijnen" */
    tv_set_str(ctx, "participant", org ? arena_printf(rq->a, "%s - %s", org, name) : name);
    tv_set_str(ctx, "invoice_to", org ? org : name);
    tv_set_str(ctx, "price", enrol_price_text(rq->a, db_int(r, 0, "price_cents")));
    tv_set_str(ctx, "reference", db_val(r, 0, "reference"));
    tv_set_str(ctx, "status", status_text(rq, r));
    tv_set_bool(ctx, "waitlisted", strcmp(db_val(r, 0, "status"), "wachtlijst") == 0);
    /* Nog iemand inschrijven: a beheerder acting for the paying
     * organisation chooses the next colleague; anyone else sees the page */
    int may_enrol =
        enrolment_may_see(ev, u->org_id, u->beheerder, u->is_staff) && db_int(ev, 0, "open");
    if (may_enrol)
        tv_set_str(ctx, "again_href",
                   arena_printf(rq->a, "/evenementen/%s/inschrijven%s", db_val(ev, 0, "id"),
                                u->beheerder ? "?deelnemer=geen" : ""));
    page_render(rq, rs, "enrolment/confirm", ctx, "Bevestiging", NAV_MIJN);
}

static const route routes[] = {
    {"GET", "/inschrijvingen/:id/bevestiging", confirm_get, NULL, RF_LOGIN},
};

void enrolment_confirm_routes(router *r)
{
    router_add_all(r, routes);
}
