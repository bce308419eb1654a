/* contacts.c - the contact persons of Mijn organisatie, for its
 * beheerders: Nieuw contactpersoon (finding or making the person by e-mail,
 * an invitation or a notice to a login that was linked), edit and remove.
 * The route flags let only beheerders in; every query looks only inside
 * auth_user(rq)->org_id. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "auth/audit.h"
#include "auth/session.h"
#include "core/email.h"
#include "core/nlvalid.h"
#include "core/timeutil.h"
#include "mail/mail.h"
#include "mail/quota.h"
#include "organisation/internal.h"
#include "organisation/organisation.h"
#include "people/people.h"
#include "web/flash.h"
#include "mail/render.h"

/* ------------------------------------------------------ contact persons */

typedef struct contact_in {
    const char *voornaam, *tussenvoegsel, *achternaam, *email;
    const char *functie, *afdeling, *telefoon_werk, *email_werk, *rol;
    int uitnodigen;
} contact_in;

static const char *const contact_names[] = {"voornaam",      "tussenvoegsel", "achternaam",
                                            "email",         "functie",       "afdeling",
                                            "telefoon_werk", "email_werk"};
static const char *const contact_labels[] = {"Voornaam",      "Tussenvoegsel", "Achternaam",
                                             "E-mailadres",   "Functie",       "Afdeling",
                                             "Telefoon werk", "E-mail werk"};
#define N_CONTACT 8

static void contact_form(http_req *rq, http_resp *rs, const char *title, const char *action,
                         const char **values, const char **errors, const char *role, int is_new,
                         const char *person_name, const char *general_error)
{
    tv *ctx = org_page(rq, title);
    for (int i = is_new ? 0 : 4; i < N_CONTACT; i++) {
        tv *f = page_field(rq, ctx, contact_names[i], contact_labels[i], values ? values[i] : NULL,
                           errors ? errors[i] : NULL);
        if (i == 3 || i == 7) tv_set_str(f, "f_type", "email");
        if (i == 6) tv_set_str(f, "f_type", "tel");
        if (i == 0 || i == 2 || i == 3) tv_set_bool(f, "f_required", 1);
        if (i == 3)
            tv_set_str(f, "f_hint",
                       "Dit is ook de gebruikersnaam als de persoon een login krijgt.");
    }
    tv_set_str(ctx, "heading", title);
    tv_set_str(ctx, "action", action);
    tv_set_bool(ctx, "is_new", is_new);
    tv_set_str(ctx, "person_name", person_name);
    tv_set_bool(ctx, "role_beheerder", role && strcmp(role, "beheerder") == 0);
    tv_set_bool(ctx, "uitnodigen", values ? req_in(rq, "uitnodigen") != NULL : 1);
    tv_set_str(ctx, "general_error", general_error);
    tv_set_bool(ctx, "invalid", errors != NULL || general_error);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "context", auth_form_context(rq));
    page_render(rq, rs, "organisation/contact", ctx, title, NAV_MIJN);
}

/* Reads and checks the contact fields; returns the number of errors. */
static int read_contact(http_req *rq, int is_new, const char **values, const char **errors)
{
    int bad = 0;
    for (int i = 0; i < N_CONTACT; i++) {
        values[i] = req_in(rq, contact_names[i]);
        errors[i] = kv_get(&rq->errors, contact_names[i]);
        if (errors[i])
            values[i] = kv_get(&rq->form, contact_names[i]);
        else if (i == 6 && values[i])
            errors[i] = nl_phone(rq->a, values[i], &values[i]);
        else if (is_new && (i == 0 || i == 2) && values[i])
            errors[i] = nl_name(rq->a, values[i], 100, &values[i]);
        if (errors[i]) bad++;
    }
    if (is_new) {
        static const char *const missing[] = {"Vul de voornaam in.", NULL, "Vul de achternaam in.",
                                              "Vul het e-mailadres in."};
        for (int i = 0; i < 4; i++)
            if (missing[i] && !values[i] && !errors[i]) {
                errors[i] = missing[i];
                bad++;
            }
    }
    return bad;
}

static const char *role_in(http_req *rq)
{
    const char *r = req_in(rq, "rol");
    return r && strcmp(r, "beheerder") == 0 ? "beheerder" : "medewerker";
}

static void new_get(http_req *rq, http_resp *rs)
{
    contact_form(rq, rs, "Nieuw contactpersoon", "/mijn/organisatie/contactpersonen/nieuw", NULL,
                 NULL, "medewerker", 1, NULL, NULL);
}

/* The outcome of add_contact. */
typedef struct added {
    long long person_id;     /* 0: already an active contact */
    long long membership_id; /* the new or reactivated membership */
    int has_login;           /* the person can log in (so is told and may undo) */
} added;

/* Finds the person by email or creates one with the typed name, then makes
 * the membership, which carries the name and address the beheerder typed.
 * An existing person's own row is never changed: a beheerder knows an
 * email address, not who is behind it. Returns 0 or -1 on a database
 * error. */
static int add_contact(http_req *rq, db_conn *c, const char **v, const char *role, added *out)
{
    arena *a = rq->a;
    const auth_ctx *u = auth_user(rq);
    const char *now = arena_printf(a, "%lld", (long long)clock_now());
    const char *org = arena_printf(a, "%lld", u->org_id);
    const char *email = email_normal(a, v[3]);
    const char *infix = v[1] ? v[1] : "";
    db_res *r;
    memset(out, 0, sizeof *out);
    person_found who;
    if (!email ||
        people_find_or_create(c, a, &(person_new){v[0], infix, v[2], email, 0}, &who) != 0)
        return -1;
    out->has_login = who.has_login;
    const char *pid = arena_printf(a, "%lld", who.id);
    if (db_q(c, a, &r,
             "SELECT id, active FROM memberships WHERE person_id = $1 AND organisation_id = $2",
             pid, org) < 0)
        return -1;
    if (r->nrows == 1 && db_int(r, 0, "active") == 1) return 0;
    const char *sql =
        r->nrows == 1
            ? "UPDATE memberships SET role = $3, job_title = $4, department = $5, work_phone = $6,"
              " work_email = $7, active = 1, started_at = $8, ended_at = NULL,"
              " contact_first_name = $9, contact_infix = $10, contact_last_name = $11,"
              " contact_email = $12 WHERE person_id = $1 AND organisation_id = $2 RETURNING id"
            : "INSERT INTO memberships (person_id, organisation_id, role, job_title, department,"
              " work_phone, work_email, started_at, contact_first_name, contact_infix,"
              " contact_last_name, contact_email)"
              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
    if (db_q(c, a, &r, sql, pid, org, role, v[4] ? v[4] : "", v[5] ? v[5] : "", v[6] ? v[6] : "",
             v[7] ? v[7] : "", now, v[0], infix, v[2], email) != 1)
        return -1;
    out->membership_id = db_int(r, 0, "id");
    out->person_id = who.id;
    return 0;
}

/* A person who already has a login is told which organisation linked them,
 * with a one-time link to undo it, so nobody becomes someone's contact
 * person without knowing it. The subject is a fixed text: names typed by a
 * customer never go into a Subject. */
static int notify_linked(http_req *rq, db_conn *c, const added *ad)
{
    const auth_ctx *u = auth_user(rq);
    db_res *p;
    if (db_q(c, rq->a, &p, "SELECT first_name, infix, last_name, email FROM persons WHERE id = $1",
             arena_printf(rq->a, "%lld", ad->person_id)) < 0 ||
        p->nrows != 1)
        return -1;
    const char *membership = arena_printf(rq->a, "%lld", ad->membership_id);
    /* minted when the mail is sent: no usable token is stored with it */
    mail_link link = {arena_printf(rq->a, UNLINK_KIND_PREFIX "%s", membership), ad->person_id,
                      membership, UNLINK_SECONDS, "/ontkoppelen"};
    tv *ctx = tv_obj(rq->a);
    tv_set_str(ctx, "first_name", db_val(p, 0, "first_name"));
    tv_set_str(ctx, "by", u->name);
    tv_set_str(ctx, "org", u->org_name ? u->org_name : "een organisatie");
    tv_set_str(ctx, "link", MAIL_LINK_MARKER);
    tv_set_str(ctx, "subject",
               "U bent toegevoegd als contactpersoon - Klantportal Mijn Onderwijsgroep");
    mail_msg m;
    if (mail_render(rq->app->tmpl, rq->a, "contact_added", ctx, &m) != 0) return -1;
    m.link = &link;
    m.to_address = db_val(p, 0, "email");
    m.to_name = full_name(rq->a, p, 0);
    return mail_enqueue(c, rq->a, &m) > 0 ? 0 : -1;
}

/* Starts the transaction of a new contact: the organisation serialised,
 * the mail quota taken. Returns 1 to go on, 0 when the quota refuses (rolled
 * back), -1 on a database error (rolled back). */
static int begin_add(http_req *rq, db_conn *c, int invite)
{
    const auth_ctx *u = auth_user(rq);
    if (db_begin(c) != 0) return -1;
    int ok =
        db_lock(c, rq->a, arena_printf(rq->a, "org:%lld", u->org_id)) == 0
            ? mail_quota_take(c, rq->a, u->org_id, u->person_id, invite ? MQ_INVITE : MQ_CONTACT)
            : -1;
    if (ok != 1) db_rollback(c);
    return ok;
}

/* Whether the address was known, has a login or gets an email is never
 * shown: the answer is the same, so the form cannot be used to find out
 * who has an account. Every addition counts against the mail quota for the
 * same reason (whether it causes an email depends on the address). */
static void new_post(http_req *rq, http_resp *rs)
{
    const char *values[N_CONTACT], *errors[N_CONTACT];
    const char *action = "/mijn/organisatie/contactpersonen/nieuw";
    const char *title = "Nieuw contactpersoon";
    const char *role = role_in(rq);
    if (read_contact(rq, 1, values, errors) > 0) {
        contact_form(rq, rs, title, action, values, errors, role, 1, NULL, NULL);
        return;
    }
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    int invite = req_in(rq, "uitnodigen") != NULL, sent = 0;
    int go = begin_add(rq, c, invite);
    if (go == 0) {
        contact_form(rq, rs, title, action, values, NULL, role, 1, NULL, MAIL_QUOTA_MSG);
        rs->status = 429;
        return;
    }
    added ad;
    if (go < 0 || add_contact(rq, c, values, role, &ad) != 0) {
        if (go > 0) db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    if (ad.person_id == 0) {
        db_rollback(c);
        contact_form(rq, rs, title, action, values, NULL, role, 1, NULL,
                     "Deze persoon is al contactpersoon van uw organisatie.");
        return;
    }
    int rc = 0;
    if (invite && !ad.has_login) {
        rc = account_send_link(c, rq->a, rq->app, ad.person_id, "activatie") ? 0 : -1;
        sent = 1;
    } else if (ad.has_login) {
        rc = notify_linked(rq, c, &ad);
        sent = 2;
    }
    if (rc != 0 ||
        audit_log(c, rq->a, u->person_id, rq->client_ip, "contactpersoon_toegevoegd",
                  arena_printf(rq->a, "%lld", ad.person_id),
                  arena_printf(rq->a, "organisatie %lld, rol %s%s", u->org_id, role,
                               sent == 1   ? ", uitgenodigd"
                               : sent == 2 ? ", bestaande login bericht gestuurd"
                                           : "")) != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    if (sent && rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, "contact-toegevoegd");
    resp_redirect(rs, rq->a, 303, "/mijn/organisatie");
}

/* The contact behind :id, within the session's organisation; answers 404
 * itself when there is none. */
static db_res *this_contact(http_req *rq, http_resp *rs)
{
    const char *id = req_param(rq, "id");
    db_res *r = NULL;
    if (!field_valid(FK_ID, id, strlen(id))) {
        page_error(rq, rs, 404);
        return NULL;
    }
    r = org_contact(req_db(rq), rq->a, auth_user(rq)->org_id, id);
    if (!r) {
        page_db_error(rq, rs);
        return NULL;
    }
    if (r->nrows != 1) {
        page_error(rq, rs, 404);
        return NULL;
    }
    return r;
}

static void contact_edit_get(http_req *rq, http_resp *rs)
{
    db_res *r = this_contact(rq, rs);
    if (!r) return;
    const char *values[N_CONTACT] = {NULL,
                                     NULL,
                                     NULL,
                                     NULL,
                                     db_val(r, 0, "job_title"),
                                     db_val(r, 0, "department"),
                                     db_val(r, 0, "work_phone"),
                                     db_val(r, 0, "work_email")};
    contact_form(
        rq, rs, "Contactpersoon aanpassen",
        arena_printf(rq->a, "/mijn/organisatie/contactpersonen/%s/aanpassen", req_param(rq, "id")),
        values, NULL, db_val(r, 0, "role"), 0, full_name(rq->a, r, 0), NULL);
}

/* Starts the transaction of a change to the organisation's contacts,
 * serialised per organisation (two beheerders demoting each other at the
 * same moment must not leave it without one), and reads the contact's role
 * again inside it. */
static int begin_org_change(http_req *rq, db_conn *c, const char *person_id, const char **role)
{
    const auth_ctx *u = auth_user(rq);
    db_res *r;
    if (db_begin(c) != 0) return -1;
    if (db_lock(c, rq->a, arena_printf(rq->a, "org:%lld", u->org_id)) != 0 ||
        db_q(c, rq->a, &r,
             "SELECT role FROM memberships WHERE person_id = $1 AND organisation_id = $2"
             " AND active = 1",
             person_id, arena_printf(rq->a, "%lld", u->org_id)) < 0) {
        db_rollback(c);
        return -1;
    }
    *role = r->nrows == 1 ? db_val(r, 0, "role") : NULL;
    return 0;
}

static const char *last_beheerder_msg = "Een organisatie houdt minimaal één beheerder. Maak eerst "
                                        "iemand anders beheerder.";

static void contact_edit_post(http_req *rq, http_resp *rs)
{
    db_res *r = this_contact(rq, rs);
    if (!r) return;
    const char *id = req_param(rq, "id");
    const char *action = arena_printf(rq->a, "/mijn/organisatie/contactpersonen/%s/aanpassen", id);
    const char *values[N_CONTACT], *errors[N_CONTACT];
    const char *role = role_in(rq);
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    if (read_contact(rq, 0, values, errors) > 0) {
        contact_form(rq, rs, "Contactpersoon aanpassen", action, values, errors, role, 0,
                     full_name(rq->a, r, 0), NULL);
        return;
    }
    const char *current = NULL;
    if (begin_org_change(rq, c, id, &current) != 0) {
        page_db_error(rq, rs);
        return;
    }
    long long others = org_other_beheerders(c, rq->a, u->org_id, id);
    if (others == 0 && strcmp(role, "beheerder") != 0 && current &&
        strcmp(current, "beheerder") == 0) {
        db_rollback(c);
        contact_form(rq, rs, "Contactpersoon aanpassen", action, values, NULL, "beheerder", 0,
                     full_name(rq->a, r, 0), last_beheerder_msg);
        return;
    }
    if (others < 0 ||
        db_q(c, rq->a, NULL,
             "UPDATE memberships SET role = $1, job_title = $2, department = $3, work_phone = $4,"
             " work_email = $5 WHERE person_id = $6 AND organisation_id = $7 AND active = 1",
             role, values[4] ? values[4] : "", values[5] ? values[5] : "",
             values[6] ? values[6] : "", values[7] ? values[7] : "", id,
             arena_printf(rq->a, "%lld", u->org_id)) != 1 ||
        audit_log(c, rq->a, u->person_id, rq->client_ip, "contactpersoon_gewijzigd", id,
                  arena_printf(rq->a, "organisatie %lld, rol %s", u->org_id, role)) != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "opgeslagen");
    resp_redirect(rs, rq->a, 303, "/mijn/organisatie");
}

static void remove_page(http_req *rq, http_resp *rs, const db_res *r, const char *error)
{
    tv *ctx = org_page(rq, "Contactpersoon verwijderen");
    tv_set_str(ctx, "person_name", full_name(rq->a, r, 0));
    tv_set_str(ctx, "id", req_param(rq, "id"));
    tv_set_str(ctx, "error", error);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "context", auth_form_context(rq));
    page_render(rq, rs, "organisation/remove", ctx, "Contactpersoon verwijderen", NAV_MIJN);
}

static void remove_get(http_req *rq, http_resp *rs)
{
    db_res *r = this_contact(rq, rs);
    if (r) remove_page(rq, rs, r, NULL);
}

/* Ends the membership; the person, their enrolments and invoices stay. */
static void remove_post(http_req *rq, http_resp *rs)
{
    db_res *r = this_contact(rq, rs);
    if (!r) return;
    const char *id = req_param(rq, "id");
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    const char *current = NULL;
    if (begin_org_change(rq, c, id, &current) != 0) {
        page_db_error(rq, rs);
        return;
    }
    long long others = org_other_beheerders(c, rq->a, u->org_id, id);
    if (others == 0 && current && strcmp(current, "beheerder") == 0) {
        db_rollback(c);
        remove_page(rq, rs, r, last_beheerder_msg);
        return;
    }
    const char *now = arena_printf(rq->a, "%lld", (long long)clock_now());
    if (others < 0 ||
        db_q(c, rq->a, NULL,
             "UPDATE memberships SET active = 0, ended_at = $1 WHERE person_id = $2"
             " AND organisation_id = $3 AND active = 1",
             now, id, arena_printf(rq->a, "%lld", u->org_id)) != 1 ||
        audit_log(c, rq->a, u->person_id, rq->client_ip, "contactpersoon_verwijderd", id,
                  arena_printf(rq->a, "organisatie %lld", u->org_id)) != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "contact-verwijderd");
    resp_redirect(rs, rq->a, 303, "/mijn/organisatie");
}

static const field_spec contact_fields[] = {
    {"voornaam", IN_FORM, FK_LINE, 100},
    {"tussenvoegsel", IN_FORM, FK_LINE, 30},
    {"achternaam", IN_FORM, FK_LINE, 100},
    {"email", IN_FORM, FK_EMAIL, 254},
    {"functie", IN_FORM, FK_LINE, 100},
    {"afdeling", IN_FORM, FK_LINE, 100},
    {"telefoon_werk", IN_FORM, FK_LINE, 30},
    {"email_werk", IN_FORM, FK_EMAIL, 254},
    {"rol", IN_FORM, FK_SLUG, 20},
    {"uitnodigen", IN_FORM, FK_CHECKBOX, 10},
    {NULL, 0, 0, 0},
};

#define CP "/mijn/organisatie/contactpersonen"
static const route routes[] = {
    {"GET", CP "/nieuw", new_get, NULL, RF_BEHEERDER},
    {"POST", CP "/nieuw", new_post, contact_fields, RF_BEHEERDER},
    {"GET", CP "/:id/aanpassen", contact_edit_get, NULL, RF_BEHEERDER},
    {"POST", CP "/:id/aanpassen", contact_edit_post, contact_fields, RF_BEHEERDER},
    {"GET", CP "/:id/verwijderen", remove_get, NULL, RF_BEHEERDER},
    {"POST", CP "/:id/verwijderen", remove_post, NULL, RF_BEHEERDER},
};

void organisation_contact_routes(router *r)
{
    router_add_all(r, routes);
}
