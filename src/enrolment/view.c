/* view.c - how an event and a price read on the enrolment pages. */
#include <string.h>

#include "catalog/store.h"
#include "core/timeutil.h"
#include "enrolment/internal.h"

static const char *hhmm(const char *t)
{
    return t && *t ? t : NULL;
}

const char *enrol_when(arena *a, const char *starts_on, const char *ends_on, const char *start_time,
                       const char *end_time)
{
    const char *when = date_long_nl(a, starts_on);
    if (ends_on && *ends_on && strcmp(ends_on, starts_on) != 0)
        when = arena_printf(a, "%s t/m %s", when, date_long_nl(a, ends_on));
    const char *from = hhmm(start_time), *to = hhmm(end_time);
    if (from && to) return arena_printf(a, "%s, %s - %s uur", when, from, to);
    if (from) return arena_printf(a, "%s, vanaf %s uur", when, from);
    return when;
}

const char *enrol_places_text(arena *a, long long places)
{
    if (places <= 0) return "Vol";
    if (places == 1) return "1 beschikbare plaats";
    return arena_printf(a, "%lld beschikbare plaatsen", places);
}

const char *enrol_price_text(arena *a, long long cents)
{
    if (cents <= 0) return "Geen kosten";
    return arena_printf(a, "%s (inclusief btw)", money_nl(a, cents));
}

static void public_crumbs(http_req *rq, tv *ctx, const db_res *ev)
{
    page_crumb(rq, ctx, "Ons aanbod", "/aanbod");
    const char *slug_path = db_val(ev, 0, "slug_path");
    const char *id_path = db_val(ev, 0, "id_path");
    /* a failed lookup only shortens the crumbs; the page itself stands */
    db_res *chain = id_path ? catalog_category_chain(req_db(rq), rq->a, id_path) : NULL;
    for (int i = 0; chain && i < chain->nrows; i++)
        page_crumb(rq, ctx, db_val(chain, i, "name"),
                   arena_printf(rq->a, "/aanbod/%s", db_val(chain, i, "slug_path")));
    page_crumb(rq, ctx, db_val(ev, 0, "course_name"),
               slug_path
                   ? arena_printf(rq->a, "/aanbod/%s/%s", slug_path, db_val(ev, 0, "course_slug"))
                   : NULL);
}

tv *enrol_event_ctx(http_req *rq, const db_res *ev, const char *last)
{
    tv *ctx = page_ctx(rq);
    if (db_int(ev, 0, "maatwerk_org_id")) {
        page_crumb(rq, ctx, "Cursussen", "/mijn/cursussen");
        page_crumb(rq, ctx, db_val(ev, 0, "course_name"), "/mijn/cursussen/organisatie");
    } else {
        public_crumbs(rq, ctx, ev);
    }
    page_crumb(rq, ctx, last, NULL);
    tv_set_str(ctx, "course", db_val(ev, 0, "course_name"));
    tv_set_str(ctx, "event", db_val(ev, 0, "name"));
    tv_set_str(ctx, "event_id", db_val(ev, 0, "id"));
    tv_set_str(ctx, "when",
               enrol_when(rq->a, db_val(ev, 0, "starts_on"), db_val(ev, 0, "ends_on"),
                          db_val(ev, 0, "start_time"), db_val(ev, 0, "end_time")));
    tv_set_str(ctx, "date_iso", db_val(ev, 0, "starts_on"));
    tv_set_str(ctx, "location", db_val(ev, 0, "location"));
    tv_set_str(ctx, "places_text", enrol_places_text(rq->a, db_int(ev, 0, "places")));
    tv_set_str(ctx, "ics_href", arena_printf(rq->a, "/evenementen/%s.ics", db_val(ev, 0, "id")));
    return ctx;
}
