/* contacts.c - the contact persons of Mijn organisatie, for its
 * beheerders: Nieuw contactpersoon (finding or making the person by e-mail,
 * an invitation or a notice to a login that was linked; without an address
 * always a new person, who gets no mail and cannot log in), edit and
 * remove.
 * The route flags let only beheerders in; every query looks only inside
 * auth_user(rq)->org_id. */
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "auth/audit.h"
#include "auth/session.h"
#include "core/timeutil.h"
#include "mail/mail.h"
#include "mail/quota.h"
#include "organisation/internal.h"
#include "organisation/organisation.h"
#include "people/people.h"
#include "web/flash.h"
#include "mail/render.h"
#include "web/webform.h"

/* ------------------------------------------------------ contact persons */

/* The new contact's form; the edit form is its tail: name and address are
 * given when a contact is added, afterwards only the employee data (and
 * the role) change. */
static const wf_field contact_fields_def[] = {
    {"voornaam", "Voornaam", WF_NAME, 100, "Vul de voornaam in.", NULL, NULL, 0, NULL},
    {"tussenvoegsel", "Tussenvoegsel", WF_LINE, 30, NULL, NULL, NULL, 10, NULL},
    {"achternaam", "Achternaam", WF_NAME, 100, "Vul de achternaam in.", NULL, NULL, 0, NULL},
    {"email", "E-mailadres", WF_EMAIL, 254, NULL,
     "Dit is ook de gebruikersnaam als de persoon een login krijgt. Niet iedereen heeft een "
     "e-mailadres; zonder adres krijgt de beheerder de berichten.",
     NULL, 0, NULL},
    {"functie", "Functie", WF_LINE, 100, NULL, NULL, NULL, 0, NULL},
    {"afdeling", "Afdeling", WF_LINE, 100, NULL, NULL, NULL, 0, NULL},
    {"telefoon_werk", "Telefoon werk", WF_PHONE, 30, NULL, NULL, NULL, 20, NULL},
    {"email_werk", "E-mail werk", WF_EMAIL, 254, NULL, NULL, NULL, 0, NULL},
};
enum { C_FIRST, C_INFIX, C_LAST, C_EMAIL, C_EMPLOYEE, N_CONTACT = 8 };
static const webform new_form = WEBFORM(contact_fields_def);
static const webform edit_form = {contact_fields_def + C_EMPLOYEE, N_CONTACT - C_EMPLOYEE};
/* the membership's columns of the edit form's fields */
static const char *const employee_columns[] = {"job_title", "department", "work_phone",
                                               "work_email"};

#define CP "/mijn/organisatie/contactpersonen"

#define NO_ADDRESS_INVITE_MSG                                                                      \
    "Zonder e-mailadres kan er geen uitnodiging worden gestuurd. Vul een e-mailadres in of zet "   \
    "het vinkje bij de uitnodiging uit."

/* Where Nieuw contactpersoon returns after saving: the page it was opened
 * from (the list to choose a participant from), when that is a path of
 * this site; else Mijn organisatie. */
static const char *new_return(http_req *rq)
{
    return auth_safe_return(req_in(rq, "terug"), NULL);
}

/* Whether the contact behind :id is the organisation's only beheerder,
 * told before the change is tried. A beheerder is looking, so that contact
 * can only be the viewer. A database error says no: the rule is checked
 * again when the change is stored. */
static int sole_beheerder(http_req *rq)
{
    return org_other_beheerders(req_db(rq), rq->a, auth_user(rq)->org_id, req_param(rq, "id")) == 0;
}

/* The new or edit form (v NULL: empty), with a message that concerns no
 * one field (general, may be NULL); person: the name of the contact being
 * edited. */
static void contact_form(http_req *rq, http_resp *rs, const webform *f, const wf_values *v,
                         const char *role, const char *person, const char *general, int status)
{
    int is_new = f == &new_form;
    const char *title = is_new ? "Nieuw contactpersoon" : "Contactpersoon aanpassen";
    tv *ctx = org_page(rq, title);
    webform_put(rq, ctx, f, v);
    tv_set_str(ctx, "heading", title);
    tv_set_str(ctx, "action",
               is_new ? CP "/nieuw" : arena_printf(rq->a, CP "/%s/aanpassen", req_param(rq, "id")));
    tv_set_bool(ctx, "is_new", is_new);
    const char *back = is_new ? new_return(rq) : NULL;
    tv_set_str(ctx, "terug", back);
    tv_set_str(ctx, "back_href", back ? back : "/mijn/organisatie");
    tv_set_str(ctx, "person_name", person);
    tv_set_bool(ctx, "role_beheerder", role && strcmp(role, "beheerder") == 0);
    if (!is_new) tv_set_bool(ctx, "sole_beheerder", sole_beheerder(rq));
    /* an email goes out only when the beheerder asks for it */
    tv_set_bool(ctx, "uitnodigen", v && req_in(rq, "uitnodigen") != NULL);
    tv_set_str(ctx, "general_error", general);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "context", auth_form_context(rq));
    page_render(rq, rs, "organisation/contact", ctx, title, NAV_MIJN);
    rs->status = status;
}

static const char *role_in(http_req *rq)
{
    const char *r = req_in(rq, "rol");
    return r && strcmp(r, "beheerder") == 0 ? "beheerder" : "medewerker";
}

static const char *org_id(http_req *rq)
{
    return arena_printf(rq->a, "%lld", auth_user(rq)->org_id);
}

static void new_get(http_req *rq, http_resp *rs)
{
    contact_form(rq, rs, &new_form, NULL, "medewerker", NULL, NULL, 200);
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
static int add_contact(http_req *rq, db_conn *c, const wf_values *v, const char *role, added *out)
{
    arena *a = rq->a;
    const char *const *in = v->value;
    const char *e[N_CONTACT]; /* "" for what was left empty */
    for (int i = 0; i < N_CONTACT; i++)
        e[i] = in[i] ? in[i] : "";
    db_res *r;
    memset(out, 0, sizeof *out);
    person_found who;
    if (people_find_or_create(c, a, &(person_new){e[C_FIRST], e[C_INFIX], e[C_LAST], e[C_EMAIL], 0},
                              &who) != 0)
        return -1;
    out->has_login = who.has_login;
    const char *pid = arena_printf(a, "%lld", who.id), *org = org_id(rq);
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
    if (db_q(c, a, &r, sql, pid, org, role, e[C_EMPLOYEE], e[C_EMPLOYEE + 1], e[C_EMPLOYEE + 2],
             e[C_EMPLOYEE + 3], arena_printf(a, "%lld", (long long)clock_now()), e[C_FIRST],
             e[C_INFIX], e[C_LAST], e[C_EMAIL]) != 1)
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

typedef struct new_contact {
    http_req *rq;
    const wf_values *v;
    const char *role;
    int invite;
    int sent; /* 1: invited, 2: a login told */
    added ad;
} new_contact;

enum { QUOTA_REFUSED = 1, ALREADY_CONTACT = 2 };

/* The new contact as one transaction (db_tx), serialised per organisation:
 * the mail quota's unit, the person and membership, the mail and the audit
 * line. */
static int store_new_contact(db_conn *c, arena *a, void *arg)
{
    new_contact *nc = arg;
    http_req *rq = nc->rq;
    const auth_ctx *u = auth_user(rq);
    if (db_lock(c, a, arena_printf(a, "org:%lld", u->org_id)) != 0) return -1;
    /* a contact without an address can cause no email and finds nobody,
     * so there is nothing for the mail quota to count */
    if (nc->v->value[C_EMAIL]) {
        int quota =
            mail_quota_take(c, a, u->org_id, u->person_id, nc->invite ? MQ_INVITE : MQ_CONTACT);
        if (quota != 1) return quota < 0 ? -1 : QUOTA_REFUSED;
    }
    if (add_contact(rq, c, nc->v, nc->role, &nc->ad) != 0) return -1;
    if (nc->ad.person_id == 0) return ALREADY_CONTACT;
    nc->sent = 0;
    if (nc->invite && !nc->ad.has_login) {
        if (!account_send_link(c, a, rq->app, nc->ad.person_id, "activatie")) return -1;
        nc->sent = 1;
    } else if (nc->ad.has_login) {
        if (notify_linked(rq, c, &nc->ad) != 0) return -1;
        nc->sent = 2;
    }
    return audit_log(c, a, u->person_id, rq->client_ip, "contactpersoon_toegevoegd",
                     arena_printf(a, "%lld", nc->ad.person_id),
                     arena_printf(a, "organisatie %lld, rol %s%s", u->org_id, nc->role,
                                  nc->sent == 1   ? ", uitgenodigd"
                                  : nc->sent == 2 ? ", bestaande login bericht gestuurd"
                                                  : ""));
}

/* Whether the address was known, has a login or gets an email is never
 * shown: the answer is the same, so the form cannot be used to find out
 * who has an account. Every addition counts against the mail quota for the
 * same reason (whether it causes an email depends on the address). */
static void new_post(http_req *rq, http_resp *rs)
{
    wf_values *v = webform_read(rq, &new_form);
    new_contact nc = {
        .rq = rq, .v = v, .role = role_in(rq), .invite = req_in(rq, "uitnodigen") != NULL};
    /* an invitation is an email: refused before anything is stored */
    if (nc.invite && !v->value[C_EMAIL] && !v->error[C_EMAIL])
        webform_fail(v, &new_form, "email", NO_ADDRESS_INVITE_MSG);
    if (v->nerrors) {
        contact_form(rq, rs, &new_form, v, nc.role, NULL, NULL, 200);
        return;
    }
    switch (db_tx(req_db(rq), rq->a, store_new_contact, &nc)) {
    case 0:
        break;
    case QUOTA_REFUSED:
        contact_form(rq, rs, &new_form, v, nc.role, NULL, MAIL_QUOTA_MSG, 429);
        return;
    case ALREADY_CONTACT:
        webform_fail(v, &new_form, "email",
                     "Deze persoon is al contactpersoon van uw organisatie.");
        contact_form(rq, rs, &new_form, v, nc.role, NULL, NULL, 200);
        return;
    default:
        page_db_error(rq, rs);
        return;
    }
    if (nc.sent && rq->app->mailer) mail_sender_kick(rq->app->mailer);
    flash_set(rq, rs, "contact-toegevoegd");
    const char *back = new_return(rq);
    resp_redirect(rs, rq->a, 303, back ? back : "/mijn/organisatie");
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
    if (page_one_row(rq, rs, r) != 0) return NULL;
    return r;
}

static void contact_edit_get(http_req *rq, http_resp *rs)
{
    db_res *r = this_contact(rq, rs);
    if (!r) return;
    wf_values *v = webform_values(rq->a, &edit_form);
    for (size_t i = 0; i < edit_form.n; i++)
        v->shown[i] = db_val(r, 0, employee_columns[i]);
    contact_form(rq, rs, &edit_form, v, db_val(r, 0, "role"), full_name(rq->a, r, 0), NULL, 200);
}

/* A change to the organisation's contacts, as one transaction (db_tx)
 * serialised per organisation: two beheerders demoting each other at the
 * same moment must not leave it without one. */
typedef struct contact_change {
    http_req *rq;
    const char *id;     /* the contact's person id, checked to be ours */
    const char *role;   /* the new role; NULL: remove the contact */
    const wf_values *v; /* the edit form's values; NULL when removing */
} contact_change;

enum { LAST_BEHEERDER = 1 };

static const char *last_beheerder_msg = "Een organisatie houdt minimaal één beheerder. Maak eerst "
                                        "iemand anders beheerder.";

static int store_contact(db_conn *c, arena *a, void *arg)
{
    const contact_change *ch = arg;
    const auth_ctx *u = auth_user(ch->rq);
    const char *org = org_id(ch->rq);
    db_res *r;
    if (db_lock(c, a, arena_printf(a, "org:%lld", u->org_id)) != 0 ||
        db_q(c, a, &r,
             "SELECT role, job_title, department, work_phone, work_email FROM memberships"
             " WHERE person_id = $1 AND organisation_id = $2 AND active = 1",
             ch->id, org) < 0)
        return -1;
    long long others = org_other_beheerders(c, a, u->org_id, ch->id);
    if (others < 0) return -1;
    int is_beheerder = r->nrows == 1 && strcmp(db_val(r, 0, "role"), "beheerder") == 0;
    int stays = ch->role && strcmp(ch->role, "beheerder") == 0;
    if (others == 0 && is_beheerder && !stays) return LAST_BEHEERDER;
    if (!ch->role) {
        if (db_q(c, a, NULL,
                 "UPDATE memberships SET active = 0, ended_at = $1 WHERE person_id = $2"
                 " AND organisation_id = $3 AND active = 1",
                 arena_printf(a, "%lld", (long long)clock_now()), ch->id, org) != 1)
            return -1;
        return audit_log(c, a, u->person_id, ch->rq->client_ip, "contactpersoon_verwijderd", ch->id,
                         arena_printf(a, "organisatie %lld", u->org_id));
    }
    const char *e[N_CONTACT - C_EMPLOYEE]; /* the edit form's values, "" when empty */
    for (int i = 0; i < N_CONTACT - C_EMPLOYEE; i++)
        e[i] = ch->v->value[i] ? ch->v->value[i] : "";
    if (db_q(c, a, NULL,
             "UPDATE memberships SET role = $1, job_title = $2, department = $3, work_phone = $4,"
             " work_email = $5 WHERE person_id = $6 AND organisation_id = $7 AND active = 1",
             ch->role, e[0], e[1], e[2], e[3], ch->id, org) != 1)
        return -1;
    audit_entry ae;
    audit_begin(&ae, a, u->person_id, ch->rq->client_ip, "contactpersoon_gewijzigd", ch->id);
    ae.person_id = strtoll(ch->id, NULL, 10);
    ae.org_id = u->org_id;
    if (r->nrows == 1) {
        static const char *const cols[] = {"job_title", "department", "work_phone", "work_email"};
        audit_field(&ae, "rol", db_val(r, 0, "role"), ch->role);
        for (int i = 0; i < N_CONTACT - C_EMPLOYEE; i++)
            audit_field(&ae, edit_form.fields[i].name, db_val(r, 0, cols[i]), e[i]);
    }
    return audit_write(c, a, &ae);
}

static void contact_edit_post(http_req *rq, http_resp *rs)
{
    db_res *r = this_contact(rq, rs);
    if (!r) return;
    contact_change ch = {rq, req_param(rq, "id"), role_in(rq), webform_read(rq, &edit_form)};
    const char *name = full_name(rq->a, r, 0);
    if (ch.v->nerrors) {
        contact_form(rq, rs, &edit_form, ch.v, ch.role, name, NULL, 200);
        return;
    }
    int rc = db_tx(req_db(rq), rq->a, store_contact, &ch);
    if (rc == LAST_BEHEERDER) {
        contact_form(rq, rs, &edit_form, ch.v, "beheerder", name, last_beheerder_msg, 200);
        return;
    }
    if (rc != 0) {
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
    tv_set_bool(ctx, "sole_beheerder", sole_beheerder(rq));
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
    contact_change ch = {rq, req_param(rq, "id"), NULL, NULL};
    int rc = db_tx(req_db(rq), rq->a, store_contact, &ch);
    if (rc == LAST_BEHEERDER) {
        remove_page(rq, rs, r, last_beheerder_msg);
        return;
    }
    if (rc != 0) {
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "contact-verwijderd");
    resp_redirect(rs, rq->a, 303, "/mijn/organisatie");
}

/* Filled from the form description when the routes are registered: the
 * new form's fields serve both forms (the edit form ignores the names). */
static field_spec contact_fields[N_CONTACT + 4];

static const field_spec new_get_fields[] = {
    {"terug", IN_QUERY, FK_LINE, 500},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", CP "/nieuw", new_get, new_get_fields, RF_BEHEERDER},
    {"POST", CP "/nieuw", new_post, contact_fields, RF_BEHEERDER},
    {"GET", CP "/:id/aanpassen", contact_edit_get, NULL, RF_BEHEERDER},
    {"POST", CP "/:id/aanpassen", contact_edit_post, contact_fields, RF_BEHEERDER},
    {"GET", CP "/:id/verwijderen", remove_get, NULL, RF_BEHEERDER},
    {"POST", CP "/:id/verwijderen", remove_post, NULL, RF_BEHEERDER},
};

void organisation_contact_routes(router *r)
{
    static const field_spec choices[] = {{"rol", IN_FORM, FK_SLUG, 20},
                                         {"uitnodigen", IN_FORM, FK_CHECKBOX, 10},
                                         {"terug", IN_QUERY | IN_FORM, FK_LINE, 500},
                                         {NULL, 0, 0, 0}};
    if (webform_spec_for(r, &new_form, choices, contact_fields, N_CONTACT + 4) != 0) return;
    router_add_all(r, routes);
}
