/* calendar.c - the calendar files. /evenementen/<id>.ics adds one event
 * to a calendar app: every event its enrolment page shows, and for a
 * participant their own registration's event (maatwerk too).
 * /mijn/cursussen.ics?sleutel=… is the person's own feed for a calendar
 * app to subscribe to: apps cannot log in, so it is the one /mijn route
 * without a session, opened by a key of 256 bits that is stored only as its
 * SHA-256, shown once when made (Agenda-koppeling, /mijn/cursussen/agenda)
 * and never written to the access log. An event keeps one UID in both, so
 * adding it once and subscribing later never shows it twice. */
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/ical.h"
#include "core/timeutil.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"
#include "http/download.h"

const char *enrol_event_uid(arena *a, const char *event_id)
{
    return arena_printf(a, "evenement-%s@onderwijsgroepnwh.nl", event_id);
}

/* "12.ics" -> "12"; NULL for anything else. */
static const char *ics_id(arena *a, const char *file)
{
    size_t n = file ? strlen(file) : 0;
    if (n < 5 || strcmp(file + n - 4, ".ics") != 0) return NULL;
    char *id = arena_printf(a, "%.*s", (int)(n - 4), file);
    return field_valid(FK_ID, id, strlen(id)) ? id : NULL;
}

typedef struct ics_row {
    const char *event_id, *name, *course, *starts_on, *ends_on, *start_time, *end_time, *location;
    ical_status status;
    const char *note;
} ics_row;

static int add(http_req *rq, buf *b, const ics_row *e)
{
    const char *link =
        arena_printf(rq->a, "%s/evenementen/%s/inschrijven", rq->app->cfg.base_url, e->event_id);
    const char *desc = e->note ? arena_printf(rq->a, "%s\n%s", e->course, e->note) : e->course;
    ical_event ev = {
        .uid = enrol_event_uid(rq->a, e->event_id),
        .stamp = clock_now(),
        .starts_on = e->starts_on,
        .ends_on = e->ends_on,
        .start_time = e->start_time,
        .end_time = e->end_time,
        .summary = e->name,
        .location = e->location,
        .description = desc,
        .url = link,
        .status = e->status,
    };
    return ical_event_add(b, &ev);
}

static void event_ics(http_req *rq, http_resp *rs)
{
    const char *id = ics_id(rq->a, req_param(rq, "file"));
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    db_res *ev = enrolment_event(req_db(rq), rq->a, id, date_today_plus(rq->a, 0));
    if (page_one_row(rq, rs, ev) != 0) return;
    const auth_ctx *u = auth_user(rq);
    int mine = u ? enrolment_participates(req_db(rq), rq->a, id, u->person_id) : 0;
    if (mine < 0) {
        page_db_error(rq, rs);
        return;
    }
    int seen = !db_int(ev, 0, "cancelled") &&
               enrolment_may_see(ev, u ? u->org_id : 0, u ? u->beheerder : 0, u ? u->is_staff : 0);
    if (!seen && !mine) {
        page_error(rq, rs, 404);
        return;
    }
    buf b;
    buf_init(&b, rq->a, 4096);
    ical_begin(&b, ENROL_ICS_PRODID, NULL);
    ics_row e = {id,
                 db_val(ev, 0, "name"),
                 db_val(ev, 0, "course_name"),
                 db_val(ev, 0, "starts_on"),
                 db_val(ev, 0, "ends_on"),
                 db_val(ev, 0, "start_time"),
                 db_val(ev, 0, "end_time"),
                 db_val(ev, 0, "location"),
                 db_int(ev, 0, "cancelled") ? ICAL_CANCELLED : ICAL_CONFIRMED,
                 NULL};
    if (add(rq, &b, &e) != 0) {
        page_error(rq, rs, 404);
        return;
    }
    ical_end(&b);
    resp_download(rs, rq->a, "text/calendar; charset=utf-8",
                  arena_printf(rq->a, "evenement-%s.ics", id));
    buf_add(&rs->body, b.data, b.len);
}

/* The feed: a calendar app asks for it now and then, with the key in the
 * query. A wrong key is a 404 like any unknown page. */
static void feed_ics(http_req *rq, http_resp *rs)
{
    const char *key = req_in(rq, "sleutel");
    /* a route without a session gets no connection check of the server's */
    if (!req_db(rq)) {
        page_error(rq, rs, 503);
        return;
    }
    long long person =
        key ? enrolment_calendar_person(req_db(rq), rq->a, token_hash(rq->a, key)) : 0;
    if (person < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (person == 0) {
        page_error(rq, rs, 404);
        return;
    }
    db_res *r = enrolment_feed(req_db(rq), rq->a, person);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }
    buf b;
    buf_init(&b, rq->a, 4096 + (size_t)r->nrows * 512);
    ical_begin(&b, ENROL_ICS_PRODID, "Mijn cursussen - Onderwijsgroep");
    for (int i = 0; i < r->nrows; i++) {
        int waiting = strcmp(db_val(r, i, "status"), "wachtlijst") == 0;
        ics_row e = {db_val(r, i, "event_id"),
                     db_val(r, i, "event_name"),
                     db_val(r, i, "course_name"),
                     db_val(r, i, "starts_on"),
                     db_val(r, i, "ends_on"),
                     db_val(r, i, "start_time"),
                     db_val(r, i, "end_time"),
                     db_val(r, i, "location"),
                     db_int(r, i, "cancelled") ? ICAL_CANCELLED
                     : waiting                 ? ICAL_TENTATIVE
                                               : ICAL_CONFIRMED,
                     waiting ? "U staat op de wachtlijst." : NULL};
        add(rq, &b, &e); /* a row with a malformed date is left out, not the feed */
    }
    ical_end(&b);
    resp_download(rs, rq->a, "text/calendar; charset=utf-8", "mijn-cursussen.ics");
    buf_add(&rs->body, b.data, b.len);
}

/* ------------------------------------------------ Agenda-koppeling */

static void key_page(http_req *rq, http_resp *rs, const char *feed_url)
{
    const auth_ctx *u = auth_user(rq);
    long long made = enrolment_calendar_made(req_db(rq), rq->a, u->person_id);
    if (made < 0) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Cursussen", "/mijn/cursussen");
    page_crumb(rq, ctx, "Agenda-koppeling", NULL);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    if (made) {
        time_t t = (time_t)made;
        struct tm tm;
        localtime_r(&t, &tm);
        char iso[16];
        strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
        tv_set_str(ctx, "made", date_long_nl(rq->a, iso));
    }
    if (feed_url) {
        tv_set_str(ctx, "feed_url", feed_url);
        /* calendar apps subscribe to webcal: addresses */
        const char *rest = strstr(feed_url, "://");
        if (rest) tv_set_str(ctx, "webcal_url", arena_printf(rq->a, "webcal%s", rest));
        /* the address is a secret: no browser or proxy keeps this page */
        resp_header(rs, rq->a, "Cache-Control", "no-store");
    }
    page_render(rq, rs, "enrolment/calendar", ctx, "Agenda-koppeling", NAV_MIJN);
}

static void key_get(http_req *rq, http_resp *rs)
{
    key_page(rq, rs, NULL);
}

typedef struct key_change {
    http_req *rq;
    const char *hash; /* NULL: remove the key */
} key_change;

static int store_key(db_conn *c, arena *a, void *arg)
{
    key_change *k = arg;
    const auth_ctx *u = auth_user(k->rq);
    int rc = k->hash ? enrolment_calendar_key_set(c, a, u->person_id, k->hash)
                     : enrolment_calendar_key_delete(c, a, u->person_id);
    if (rc != 0) return -1;
    return audit_log(c, a, u->person_id, k->rq->client_ip,
                     k->hash ? "agenda_koppeling_gemaakt" : "agenda_koppeling_gestopt", u->email,
                     NULL);
}

static void key_post(http_req *rq, http_resp *rs)
{
    char *key = token_new(rq->a);
    key_change k = {rq, token_hash(rq->a, key)};
    if (db_tx(req_db(rq), rq->a, store_key, &k) != 0) {
        page_db_error(rq, rs);
        return;
    }
    key_page(rq, rs,
             arena_printf(rq->a, "%s/mijn/cursussen.ics?sleutel=%s", rq->app->cfg.base_url, key));
}

static void key_delete(http_req *rq, http_resp *rs)
{
    key_change k = {rq, NULL};
    if (db_tx(req_db(rq), rq->a, store_key, &k) != 0) {
        page_db_error(rq, rs);
        return;
    }
    resp_redirect(rs, rq->a, 303, "/mijn/cursussen/agenda");
}

static const field_spec feed_fields[] = {
    {"sleutel", IN_QUERY, FK_TOKEN, 64},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/evenementen/:file", event_ics, NULL, 0},
    {"GET", "/mijn/cursussen.ics", feed_ics, feed_fields, RF_NO_SESSION | RF_NO_LOG_QUERY},
    {"GET", "/mijn/cursussen/agenda", key_get, NULL, RF_LOGIN},
    {"POST", "/mijn/cursussen/agenda", key_post, NULL, RF_LOGIN},
    {"POST", "/mijn/cursussen/agenda/verwijderen", key_delete, NULL, RF_LOGIN},
};

void enrolment_calendar_routes(router *r)
{
    router_add_all(r, routes);
}
