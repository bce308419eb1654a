/* mails.c - the mails a registration causes, queued in its transaction
 * (mail_enqueue), so a mail exists if and only if the registration does.
 * Subjects are fixed texts; names and courses come from the database. */
#include <string.h>

#include "auth/audit.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"
#include "mail/mail.h"
#include "mail/render.h"

static const char *name_of(arena *a, const db_res *r)
{
    return names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"),
                      db_val(r, 0, "last_name"));
}

static int has_address(const db_res *r)
{
    const char *e = db_val(r, 0, "email");
    return e && *e;
}

/* The facts every enrolment mail states. */
static tv *facts(arena *a, const app *ap, const enrol_notice *n)
{
    tv *ctx = tv_obj(a);
    const db_res *ev = n->ev;
    tv_set_str(ctx, "course", db_val(ev, 0, "course_name"));
    tv_set_str(ctx, "event", db_val(ev, 0, "name"));
    tv_set_str(ctx, "when",
               enrol_when(a, db_val(ev, 0, "starts_on"), db_val(ev, 0, "ends_on"),
                          db_val(ev, 0, "start_time"), db_val(ev, 0, "end_time")));
    tv_set_str(ctx, "location", db_val(ev, 0, "location"));
    tv_set_str(ctx, "participant", name_of(a, n->part));
    tv_set_str(ctx, "invoice_to", n->org_id ? n->org_name : name_of(a, n->part));
    tv_set_str(ctx, "price", enrol_price_text(a, n->price_cents));
    tv_set_bool(ctx, "waitlisted", n->waitlisted);
    tv_set_int(ctx, "position", n->position);
    tv_set_str(ctx, "link",
               arena_printf(a, "%s/inschrijvingen/%lld/bevestiging", ap->cfg.base_url, n->reg_id));
    return ctx;
}

static int send_mail(db_conn *c, arena *a, const app *ap, const char *tmpl, tv *ctx, const char *to,
                     const char *to_name)
{
    mail_msg m;
    if (mail_render(ap->tmpl, a, tmpl, ctx, &m) != 0) return -1;
    m.to_address = to;
    m.to_name = to_name;
    return mail_enqueue(c, a, &m) > 0 ? 0 : -1;
}

static int to_person(db_conn *c, arena *a, const app *ap, const enrol_notice *n, const db_res *who,
                     int about_self)
{
    tv *ctx = facts(a, ap, n);
    tv_set_str(ctx, "first_name", db_val(who, 0, "first_name"));
    tv_set_bool(ctx, "about_self", about_self);
    tv_set_str(ctx, "subject",
               n->waitlisted ? "Plaats op de wachtlijst - Onderwijsgroep"
                             : "Inschrijving ontvangen - Onderwijsgroep");
    return send_mail(c, a, ap, "enrolment_received", ctx, db_val(who, 0, "email"), name_of(a, who));
}

/* A medewerker enrolled themself at the organisation's expense: its
 * beheerders hear of it, since they pay. */
static int to_beheerders(db_conn *c, arena *a, const app *ap, const enrol_notice *n)
{
    db_res *b = enrolment_beheerders(c, a, n->org_id);
    if (!b) return -1;
    for (int i = 0; i < b->nrows; i++) {
        if (db_int(b, i, "person_id") == n->by_id) continue;
        tv *ctx = facts(a, ap, n);
        tv_set_str(ctx, "first_name", db_val(b, i, "first_name"));
        tv_set_str(ctx, "org", n->org_name);
        tv_set_str(ctx, "subject", "Nieuwe inschrijving van een medewerker - Onderwijsgroep");
        const char *who = names_full(a, db_val(b, i, "first_name"), db_val(b, i, "infix"),
                                     db_val(b, i, "last_name"));
        if (send_mail(c, a, ap, "enrolment_org_notice", ctx, db_val(b, i, "email"), who) != 0)
            return -1;
    }
    return 0;
}

int enrol_mail_received(db_conn *c, arena *a, const app *ap, const enrol_notice *n)
{
    int self = n->by_id == db_int(n->part, 0, "id");
    if (has_address(n->part)) {
        if (to_person(c, a, ap, n, n->part, 1) != 0) return -1;
    }
    /* whoever enrolled a colleague hears of it too; a participant without
     * an address is told through them */
    if (!self && n->by && has_address(n->by)) {
        if (to_person(c, a, ap, n, n->by, 0) != 0) return -1;
    }
    if (self && n->org_id && !n->by_beheerder) return to_beheerders(c, a, ap, n);
    return 0;
}

int enrol_mail_promoted(db_conn *c, arena *a, const app *ap, long long promoted_id)
{
    const char *id = arena_printf(a, "%lld", promoted_id);
    db_res *r = enrolment_registration(c, a, id);
    if (!r) return -1;
    if (r->nrows != 1) return 0;
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "course", db_val(r, 0, "course_name"));
    tv_set_str(ctx, "event", db_val(r, 0, "event_name"));
    tv_set_str(ctx, "when",
               enrol_when(a, db_val(r, 0, "starts_on"), db_val(r, 0, "ends_on"),
                          db_val(r, 0, "start_time"), db_val(r, 0, "end_time")));
    tv_set_str(ctx, "location", db_val(r, 0, "location"));
    tv_set_str(ctx, "participant", name_of(a, r));
    /* a bezoeker has no login to open the Bevestiging with */
    if (db_int(r, 0, "person_id"))
        tv_set_str(ctx, "link",
                   arena_printf(a, "%s/inschrijvingen/%s/bevestiging", ap->cfg.base_url, id));
    tv_set_str(ctx, "subject",
               "Er is een plaats vrijgekomen: u bent ingeschreven - Onderwijsgroep");
    long long participant = db_int(r, 0, "person_id"), by = db_int(r, 0, "enrolled_by");
    if (has_address(r)) {
        tv_set_str(ctx, "first_name", db_val(r, 0, "first_name"));
        tv_set_bool(ctx, "about_self", 1);
        if (send_mail(c, a, ap, "enrolment_promoted", ctx, db_val(r, 0, "email"), name_of(a, r)) !=
            0)
            return -1;
    }
    if (by && by != participant) {
        db_res *b = enrolment_person(c, a, by, 0);
        if (!b) return -1;
        /* staff who enrolled someone are not the way to reach them */
        if (b->nrows == 1 && has_address(b) && db_int(b, 0, "is_staff") != 1) {
            tv_set_str(ctx, "first_name", db_val(b, 0, "first_name"));
            tv_set_bool(ctx, "about_self", 0);
            if (send_mail(c, a, ap, "enrolment_promoted", ctx, db_val(b, 0, "email"),
                          name_of(a, b)) != 0)
                return -1;
        }
    }
    return 0;
}

int enrol_promoted(db_conn *c, arena *a, const app *ap, long long actor, const char *ip,
                   long long promoted_id, const char *why)
{
    if (!promoted_id) return 0;
    const char *id = arena_printf(a, "%lld", promoted_id);
    db_res *r = enrolment_registration(c, a, id);
    if (!r) return -1;
    audit_entry e;
    audit_begin(&e, a, actor, ip, "wachtlijst_ingeschreven", id);
    if (r->nrows == 1) {
        e.person_id = db_int(r, 0, "person_id");
        e.org_id = db_int(r, 0, "organisation_id");
        e.event_id = db_int(r, 0, "event_id");
    }
    e.detail = why;
    audit_field(&e, "status", "wachtlijst", "aangemeld");
    if (audit_write(c, a, &e) != 0) return -1;
    return enrol_mail_promoted(c, a, ap, promoted_id);
}
