/* admin_event_participants_invite.c - Uitnodiging versturen: the
 * invitation to the event, by email with its calendar file attached.
 *
 * Without ticks it goes to every processed participant who has not had it
 * yet (pressing the button again sends nothing twice); ticked rows get it
 * whether or not they had it (after a change of place or time). One
 * transaction queues the mails with their attachment, sets Uitnodiging
 * verzonden and writes an audit line per registration: all or nothing.
 * The calendar file carries the event's UID of every other calendar file
 * of the portal, so adding it to a calendar that already subscribes to the
 * person's feed updates the event instead of adding it twice. */
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "core/ical.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/admin_event_participants.h"
#include "enrolment/internal.h"
#include "mail/mail.h"
#include "mail/render.h"
#include "web/flash.h"

/* Why the transaction stored nothing (db_tx's positive values). */
enum { INVITE_NOT_FOUND = 1, INVITE_NOBODY };

typedef struct invite_run {
    http_req *rq;
    const char *event_id;
    const char **ids;
    int n;
    const db_res *ev;
    mail_attachment ics;
    int sent, unreachable; /* out */
} invite_run;

/* The calendar file, the same for every participant. NULL when the event's
 * dates cannot be written (a malformed row). */
static const char *event_ics(http_req *rq, const db_res *ev, const char *id)
{
    buf b;
    buf_init(&b, rq->a, 4096);
    ical_begin(&b, ENROL_ICS_PRODID, NULL);
    ical_event e = {
        .uid = enrol_event_uid(rq->a, id),
        .stamp = clock_now(),
        .starts_on = db_val(ev, 0, "starts_on"),
        .ends_on = db_val(ev, 0, "ends_on"),
        .start_time = db_val(ev, 0, "start_time"),
        .end_time = db_val(ev, 0, "end_time"),
        .summary = db_val(ev, 0, "name"),
        .location = db_val(ev, 0, "location"),
        .description = db_val(ev, 0, "course_name"),
        .url = arena_printf(rq->a, "%s/mijn/cursussen", rq->app->cfg.base_url),
        .status = ICAL_CONFIRMED,
    };
    if (ical_event_add(&b, &e) != 0) return NULL;
    ical_end(&b);
    return b.data;
}

/* "09:00 - 16:30 uur", "vanaf 09:00 uur", or NULL without a time. */
static const char *time_text(arena *a, const db_res *ev)
{
    const char *from = db_val(ev, 0, "start_time"), *to = db_val(ev, 0, "end_time");
    if (!from || !*from) return NULL;
    if (to && *to) return arena_printf(a, "%s - %s uur", from, to);
    return arena_printf(a, "vanaf %s uur", from);
}

static tv *mail_ctx(invite_run *v, arena *a, const char *participant)
{
    const db_res *ev = v->ev;
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "subject", "Uitnodiging voor uw cursus - Onderwijsgroep");
    tv_set_str(ctx, "course", db_val(ev, 0, "course_name"));
    tv_set_str(ctx, "event", db_val(ev, 0, "name"));
    tv_set_str(ctx, "date",
               enrol_when(a, db_val(ev, 0, "starts_on"), db_val(ev, 0, "ends_on"), NULL, NULL));
    const char *t = time_text(a, ev);
    if (t) tv_set_str(ctx, "time", t);
    tv_set_str(ctx, "location", db_val(ev, 0, "location"));
    tv_set_str(ctx, "participant", participant);
    tv_set_str(ctx, "link", arena_printf(a, "%s/mijn/cursussen", v->rq->app->cfg.base_url));
    return ctx;
}

/* One registration: the mail to the participant (or, without an address,
 * to whoever enrolled them), Uitnodiging verzonden, the audit line. 0, 1
 * when nobody can be reached (nothing changed), -1. */
static int invite_one(db_conn *c, arena *a, invite_run *v, const db_res *r, int i)
{
    const char *participant =
        names_full(a, db_val(r, i, "first_name"), db_val(r, i, "infix"), db_val(r, i, "last_name"));
    int self = *db_val(r, i, "email") != '\0';
    const char *to = self ? db_val(r, i, "email") : db_val(r, i, "by_email");
    if (!to || !*to) return 1;
    tv *ctx = mail_ctx(v, a, participant);
    tv_set_bool(ctx, "about_self", self);
    tv_set_str(ctx, "first_name", db_val(r, i, self ? "first_name" : "by_first_name"));
    mail_msg m;
    if (mail_render(v->rq->app->tmpl, a, "uitnodiging", ctx, &m) != 0) return -1;
    m.to_address = to;
    m.to_name = self ? participant
                     : names_full(a, db_val(r, i, "by_first_name"), db_val(r, i, "by_infix"),
                                  db_val(r, i, "by_last_name"));
    m.attachments = &v->ics;
    m.nattachments = 1;
    if (mail_enqueue(c, a, &m) <= 0) return -1;
    const char *id = db_val(r, i, "id");
    if (participants_mark_invited(c, a, id) != 0) return -1;
    audit_entry e;
    audit_begin(&e, a, auth_user(v->rq)->person_id, v->rq->client_ip, "uitnodiging_verstuurd",
                participant);
    e.detail = arena_printf(a, "inschrijving %s, aan %s", id, to);
    e.event_id = db_int(v->ev, 0, "id");
    e.person_id = db_int(r, i, "person_id");
    audit_field(&e, "uitnodiging verzonden", db_int(r, i, "invitation_sent") ? "ja" : "nee", "ja");
    return audit_write(c, a, &e);
}

static int invite_tx(db_conn *c, arena *a, void *arg)
{
    invite_run *v = arg;
    v->sent = v->unreachable = 0;
    /* the event's row first: two clicks at once (or two staff members) wait
     * for each other, so the second sees invitation_sent set and sends nothing */
    if (db_q(c, a, NULL,
             arena_printf(a, "SELECT id FROM events WHERE id = $1%s", db_for_update(c, a, NULL)),
             v->event_id) < 0)
        return -1;
    db_res *r = participants_invitees(c, a, v->event_id, v->ids, v->n);
    if (!r) return -1;
    /* a ticked row that is not a processed registration of this event */
    if (v->n > 0 && r->nrows != v->n) return INVITE_NOT_FOUND;
    if (r->nrows == 0) return INVITE_NOBODY;
    for (int i = 0; i < r->nrows; i++) {
        int rc = invite_one(c, a, v, r, i);
        if (rc < 0) return -1;
        if (rc == 0)
            v->sent++;
        else
            v->unreachable++;
    }
    return 0;
}

/* The ticked rows, each once; -1 when there are more than a form holds. */
static int read_ids(http_req *rq, const char **ids)
{
    const char *all[PARTICIPANTS_FORM_MAX + 1];
    size_t total = req_in_all(rq, "inschrijving", all, PARTICIPANTS_FORM_MAX + 1);
    if (kv_get(&rq->errors, "inschrijving") || total > PARTICIPANTS_FORM_MAX) return -1;
    int n = 0;
    for (size_t i = 0; i < total; i++) {
        int seen = 0;
        for (int k = 0; k < n && !seen; k++)
            seen = strcmp(ids[k], all[i]) == 0;
        if (!seen) ids[n++] = all[i];
    }
    return n;
}

void participants_invite_post(http_req *rq, http_resp *rs)
{
    invite_run v = {.rq = rq, .event_id = participants_event_id(rq)};
    if (!v.event_id) {
        page_error(rq, rs, 404);
        return;
    }
    v.ids = arena_alloc(rq->a, sizeof *v.ids * PARTICIPANTS_FORM_MAX);
    v.n = read_ids(rq, v.ids);
    if (v.n < 0) {
        page_error(rq, rs, 400);
        return;
    }
    db_res *ev = participants_event(req_db(rq), rq->a, v.event_id);
    if (page_one_row(rq, rs, ev) != 0) return;
    if (db_int(ev, 0, "cancelled")) {
        participants_page(rq, rs, "Dit evenement gaat niet door: er is geen uitnodiging verstuurd.",
                          409);
        return;
    }
    v.ev = ev;
    const char *ics = event_ics(rq, ev, v.event_id);
    if (!ics) {
        page_error(rq, rs, 500);
        return;
    }
    v.ics = (mail_attachment){"uitnodiging.ics", "text/calendar; charset=utf-8", ics, strlen(ics)};
    int rc = db_tx(req_db(rq), rq->a, invite_tx, &v);
    if (rc == INVITE_NOT_FOUND) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc == 0 && rq->app->mailer) mail_sender_kick(rq->app->mailer);
    const char *notice = rc == INVITE_NOBODY  ? "uitnodiging-niemand"
                         : v.sent == 0        ? "uitnodiging-onbereikbaar"
                         : v.unreachable == 0 ? "uitnodiging-deelnemers"
                                              : "uitnodiging-deels";
    flash_set(rq, rs, notice);
    resp_redirect(rs, rq->a, 303,
                  arena_printf(rq->a, "/beheer/evenementen/%s/deelnemers", v.event_id));
}
