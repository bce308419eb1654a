/* admin_queue_process.c - Verwerken: the administratie confirms a
 * registration. For a bezoeker's sign-up (no person yet) the person is
 * made from what they typed, or, when a person already has that address
 * and staff confirmed the match on the registration's page, linked; a
 * person without a login gets the accounts' activation mail (the manual's
 * "e-mail met inloggegevens": a link to set a password, never a password).
 * Every registration becomes verwerkt and its participant gets the mail
 * "Bevestiging". One transaction for all the registrations of a click. */
#include <string.h>

#include "account/account.h"
#include "auth/audit.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/admin_queue.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"
#include "mail/mail.h"
#include "mail/render.h"
#include "people/people.h"

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

static int has_text(const char *s)
{
    return s && *s;
}

const char *queue_refusal_text(int refusal)
{
    switch (refusal) {
    case QUEUE_UNCONFIRMED:
        return "het e-mailadres is nog niet bevestigd; de aanmelding kan nog vervallen";
    case QUEUE_WAITING:
        return "staat op de wachtlijst; verwerken kan zodra er een plaats is";
    case QUEUE_DONE:
        return "is al verwerkt";
    case QUEUE_CANCELLED:
        return "is geannuleerd";
    case QUEUE_MATCH:
        return "er bestaat al een persoon met dit e-mailadres; bevestig eerst op de pagina van de "
               "inschrijving dat het dezelfde persoon is";
    case QUEUE_TWICE:
        return "deze persoon is al ingeschreven voor dit evenement";
    case QUEUE_NO_ORG:
        return "de gekozen organisatie bestaat niet (meer)";
    default:
        return "bestaat niet (meer)";
    }
}

db_res *queue_lock(db_conn *c, arena *a, const char *id)
{
    db_res *r = db_select(c, a, "SELECT event_id FROM registrations WHERE id = $1", 1,
                          (const char *[]){id});
    if (!r || r->nrows != 1) return r;
    const char *sql =
        arena_printf(a, "SELECT e.id FROM events e WHERE e.id = $1%s", db_for_update(c, a, "e"));
    if (!db_select(c, a, sql, 1, (const char *[]){db_val(r, 0, "event_id")})) return NULL;
    return queue_registration(c, a, id);
}

/* One registration being processed. */
typedef struct proc {
    queue_run *run;
    queue_outcome *o;
    const char *id;
    int index;            /* in run->ids */
    int broken;           /* a statement failed: the transaction cannot go on */
    db_res *r;            /* queue_registration, under the lock */
    long long org_id;     /* the invoiced organisation after processing, 0: the person */
    const char *org_name; /* its name */
    audit_entry e;
} proc;

/* Was this person made earlier in the same click? (One bezoeker's two
 * sign-ups are processed together.) */
static int made_now(const proc *p, long long person_id)
{
    for (int i = 0; i < p->index; i++)
        if (p->run->out[i].created && p->run->out[i].person_id == person_id) return 1;
    return 0;
}

/* A bezoeker's person: found (only as staff confirmed) or made. */
static int take_person(db_conn *c, arena *a, proc *p)
{
    const db_res *r = p->r;
    const queue_choice *ch = p->run->choice;
    db_res *m = queue_match(c, a, db_val(r, 0, "applicant_email"));
    if (!m) return -1;
    int login = 0, blocked = 0;
    if (m->nrows == 1) {
        long long id = db_int(m, 0, "id");
        if ((!ch || ch->link_person != id) && !made_now(p, id)) return QUEUE_MATCH;
        p->o->person_id = id;
        login = (int)db_int(m, 0, "has_login");
        blocked = (int)db_int(m, 0, "blocked");
    } else {
        person_new pn = {db_val(r, 0, "first_name"), db_val(r, 0, "infix"),
                         db_val(r, 0, "last_name"), db_val(r, 0, "applicant_email"), 0};
        person_found f;
        if (people_find_or_create(c, a, &pn, &f) != 0) return -1;
        /* made by someone else since the check above */
        if (!f.created) return QUEUE_MATCH;
        person_details d = {
            db_val(r, 0, "applicant_street"),   db_val(r, 0, "applicant_house_number"),
            db_val(r, 0, "applicant_postcode"), db_val(r, 0, "applicant_city"),
            db_val(r, 0, "applicant_phone"),    db_val(r, 0, "applicant_birth_date")};
        if (people_set_details(c, a, f.id, &d) != 0) return -1;
        p->o->person_id = f.id;
        p->o->created = 1;
    }
    int in = enrolment_participates(c, a, db_val(r, 0, "event_id"), p->o->person_id);
    if (in != 0) return in < 0 ? -1 : QUEUE_TWICE;
    const char *name =
        names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"), db_val(r, 0, "last_name"));
    audit_field(&p->e, "persoon", "",
                arena_printf(a, "%lld %s (%s)", p->o->person_id, name,
                             p->o->created ? "nieuw" : "bestaande persoon, koppeling bevestigd"));
    if (login || blocked) return 0;
    if (!account_send_link(c, a, p->run->ap, p->o->person_id, "activatie")) return -1;
    p->o->activation = 1;
    return 0;
}

/* The person becomes a medewerker of the organisation (again). */
static int join_org(db_conn *c, arena *a, proc *p)
{
    const db_res *r = p->r;
    const char *person = num(a, p->o->person_id), *org = num(a, p->org_id),
               *now = num(a, (long long)clock_now());
    db_res *m;
    if (db_q(c, a, &m,
             "SELECT active FROM memberships WHERE person_id = $1 AND organisation_id = $2", person,
             org) < 0)
        return -1;
    if (m->nrows == 1)
        return db_int(m, 0, "active") ||
                       /* back as medewerker: an ended beheerder's rights do not return
                          by signing up for a course */
                       db_q(c, a, NULL,
                            "UPDATE memberships SET active = 1, role = 'medewerker', started_at = "
                            "$3,"
                            " ended_at = NULL WHERE person_id = $1 AND organisation_id = $2",
                            person, org, now) == 1
                   ? 0
                   : -1;
    return db_q(c, a, NULL,
                "INSERT INTO memberships (person_id, organisation_id, role, started_at, "
                "contact_first_name, contact_infix, contact_last_name, contact_email) "
                "VALUES ($1, $2, 'medewerker', $3, $4, $5, $6, $7)",
                person, org, now, db_val(r, 0, "first_name"), db_val(r, 0, "infix"),
                db_val(r, 0, "last_name"), db_val(r, 0, "applicant_email")) == 1
               ? 0
               : -1;
}

/* The organisation the bezoeker typed, when staff chose to link it. */
static int take_org(db_conn *c, arena *a, proc *p)
{
    const queue_choice *ch = p->run->choice;
    const char *typed = db_val(p->r, 0, "applicant_org_name");
    if (!ch || ch->org == QUEUE_ORG_NONE || !has_text(typed)) return 0;
    db_res *o;
    int made = ch->org == QUEUE_ORG_NEW;
    if (made) {
        const char *now = num(a, (long long)clock_now());
        if (db_q(c, a, &o,
                 "INSERT INTO organisations (name, created_at, updated_at) VALUES ($1, $2, $2) "
                 "RETURNING id, name",
                 typed, now) != 1)
            return -1;
    } else if (db_q(c, a, &o,
                    /* only one the page offered: of the name the bezoeker typed */
                    "SELECT id, name FROM organisations WHERE id = $1 AND lower(name) = lower($2)",
                    num(a, ch->org_id), typed) < 0) {
        return -1;
    }
    if (o->nrows != 1) return QUEUE_NO_ORG;
    p->org_id = db_int(o, 0, "id");
    p->org_name = db_val(o, 0, "name");
    audit_field(
        &p->e, "factuur_aan", "persoon",
        arena_printf(a, "organisatie %lld %s%s", p->org_id, p->org_name, made ? " (nieuw)" : ""));
    audit_field(&p->e, "lidmaatschap", "", arena_printf(a, "medewerker van %s", p->org_name));
    return join_org(c, a, p);
}

/* "Bevestiging" to the participant, or, without an address, to whoever
 * enrolled them (not staff: they know). Sets *sent when one was queued. */
static int mail_confirmation(db_conn *c, arena *a, proc *p, int *sent)
{
    const db_res *r = p->r;
    const app *ap = p->run->ap;
    const char *name =
        names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"), db_val(r, 0, "last_name"));
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "subject", "Bevestiging van uw inschrijving - Onderwijsgroep");
    tv_set_str(ctx, "course", db_val(r, 0, "course_name"));
    tv_set_str(ctx, "event", db_val(r, 0, "event_name"));
    tv_set_str(ctx, "date",
               enrol_when(a, db_val(r, 0, "starts_on"), db_val(r, 0, "ends_on"), NULL, NULL));
    const char *from = db_val(r, 0, "start_time"), *to = db_val(r, 0, "end_time");
    if (has_text(from))
        tv_set_str(ctx, "time",
                   has_text(to) ? arena_printf(a, "%s - %s uur", from, to)
                                : arena_printf(a, "vanaf %s uur", from));
    tv_set_str(ctx, "location", db_val(r, 0, "location"));
    tv_set_str(ctx, "participant", name);
    tv_set_str(ctx, "invoice_to", p->org_id ? p->org_name : name);
    tv_set_str(ctx, "reference", db_val(r, 0, "reference"));
    tv_set_str(ctx, "price", enrol_price_text(a, db_int(r, 0, "price_cents")));
    tv_set_bool(ctx, "activation", p->o->activation);
    tv_set_str(ctx, "link", arena_printf(a, "%s/mijn/cursussen", ap->cfg.base_url));
    const char *email = db_val(r, 0, "email"), *first = db_val(r, 0, "first_name");
    int self = 1;
    if (!has_text(email) && !db_int(r, 0, "enrolled_by_staff")) {
        email = db_val(r, 0, "by_email");
        first = db_val(r, 0, "by_first_name");
        name = names_full(a, first, db_val(r, 0, "by_infix"), db_val(r, 0, "by_last_name"));
        self = 0;
    }
    *sent = 0;
    if (!has_text(email)) return 0;
    tv_set_str(ctx, "first_name", first);
    tv_set_bool(ctx, "about_self", self);
    mail_msg m;
    if (mail_render(ap->tmpl, a, "enrolment_confirmed", ctx, &m) != 0) return -1;
    m.to_address = email;
    m.to_name = name;
    if (mail_enqueue(c, a, &m) <= 0) return -1;
    *sent = 1;
    return 0;
}

static int refusal_of(const db_res *r)
{
    const char *status = db_val(r, 0, "status");
    if (strcmp(status, "wachtlijst") == 0) return QUEUE_WAITING;
    if (strcmp(status, "verwerkt") == 0) return QUEUE_DONE;
    if (strcmp(status, "geannuleerd") == 0) return QUEUE_CANCELLED;
    if (!db_int(r, 0, "person_id") && !db_val(r, 0, "confirmed_at")) return QUEUE_UNCONFIRMED;
    return 0;
}

static int process_one(db_conn *c, arena *a, proc *p)
{
    db_res *r = p->r = queue_lock(c, a, p->id);
    if (!r) return -1;
    if (r->nrows != 1) return QUEUE_GONE;
    p->o->name =
        names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"), db_val(r, 0, "last_name"));
    p->o->event = db_val(r, 0, "event_name");
    int rc = refusal_of(r);
    if (rc) return rc;
    audit_begin(&p->e, a, p->run->actor, p->run->client_ip, "inschrijving_verwerkt", p->id);
    p->e.event_id = db_int(r, 0, "event_id");
    p->org_id = db_int(r, 0, "organisation_id");
    p->org_name = db_val(r, 0, "org_name");
    p->o->person_id = db_int(r, 0, "person_id");
    if (!p->o->person_id && ((rc = take_person(c, a, p)) != 0 || (rc = take_org(c, a, p)) != 0))
        return rc;
    int sent;
    if (mail_confirmation(c, a, p, &sent) != 0) return -1;
    if (db_q(c, a, NULL,
             "UPDATE registrations SET status = 'verwerkt', processed_at = $2, "
             "confirmation_sent = $3, person_id = $4, organisation_id = $5 "
             "WHERE id = $1 AND status = 'aangemeld'",
             p->id, num(a, (long long)clock_now()), sent ? "1" : "0", num(a, p->o->person_id),
             p->org_id ? num(a, p->org_id) : NULL) != 1) {
        p->broken = 1;
        return db_errkind_of(c) == DB_ERR_UNIQUE ? QUEUE_TWICE : -1;
    }
    p->e.person_id = p->o->person_id;
    p->e.org_id = p->org_id;
    p->e.detail = arena_printf(a, "%s, %s%s", p->o->name, p->o->event,
                               p->o->activation ? "; activatiemail verstuurd" : "");
    audit_field(&p->e, "status", "aangemeld", "verwerkt");
    audit_field(&p->e, "bevestiging_verzonden", db_int(r, 0, "confirmation_sent") ? "ja" : "nee",
                sent ? "ja" : "nee");
    return audit_write(c, a, &p->e);
}

int queue_process(db_conn *c, arena *a, void *arg)
{
    queue_run *run = arg;
    run->refused = 0;
    int first = 0;
    for (int i = 0; i < run->n; i++) {
        proc p = {.run = run, .o = &run->out[i], .id = run->ids[i], .index = i};
        memset(p.o, 0, sizeof *p.o);
        int rc = process_one(c, a, &p);
        if (rc < 0) return -1;
        if (rc == 0) continue;
        p.o->refusal = rc;
        run->refused++;
        if (!first) first = rc;
        /* the statement that failed ended the transaction on PostgreSQL */
        if (p.broken) return rc;
    }
    return first;
}
