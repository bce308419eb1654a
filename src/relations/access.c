/* access.c - Organisatie-toegang (/beheer/organisaties/nieuw): an
 * organisation that asked for access is made with its beheerder in one
 * step. One transaction: the organisation, the contact person (a person
 * who already has this address is linked, never made twice), the
 * membership as beheerder under the name typed here, the activation mail
 * (not for someone who already logs in) and the audit line. */
#include "account/account.h"
#include "auth/audit.h"
#include "auth/session.h"
#include "people/people.h"
#include "relations/internal.h"
#include "relations/store.h"
#include "web/flash.h"

static const char G_CONTACT[] = "Beheerder (contactpersoon)";

static const wf_field access_fields[] = {
    REL_ORG_FIELDS,
    {"contact_voornaam", "Voornaam", WF_NAME, 100, "Vul de voornaam van de beheerder in.", NULL,
     NULL, 0, G_CONTACT},
    {"contact_tussenvoegsel", "Tussenvoegsel", WF_NAME, 30, NULL, "Bijvoorbeeld: van, de, van der",
     NULL, 10, G_CONTACT},
    {"contact_achternaam", "Achternaam", WF_NAME, 100, "Vul de achternaam van de beheerder in.",
     NULL, NULL, 0, G_CONTACT},
    {"contact_email", "E-mailadres", WF_EMAIL, 254, "Vul het e-mailadres van de beheerder in.",
     "Hierheen gaat de e-mail om de toegang te activeren; het is ook de gebruikersnaam. Heeft "
     "iemand met dit adres al een account, dan wordt die persoon beheerder.",
     NULL, 0, G_CONTACT},
};
static const webform access_form = WEBFORM(access_fields);
#define N_FIELDS (sizeof access_fields / sizeof access_fields[0])
enum { C_FIRST = REL_ORG_NFIELDS, C_INFIX, C_LAST, C_EMAIL };

#define MSG_BLOCKED                                                                                \
    "De toegang van de persoon met dit e-mailadres is geblokkeerd. Deblokkeer eerst of kies een "  \
    "andere beheerder."

static void access_page(http_req *rq, http_resp *rs, const wf_values *v, int status)
{
    tv *ctx = rel_page(rq, "Organisaties", ORGS_PATH, "Organisatie-toegang");
    webform_put(rq, ctx, &access_form, v);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/org_access", ctx, "Organisatie-toegang", NAV_BEHEER);
    rs->status = status;
}

static void access_get(http_req *rq, http_resp *rs)
{
    access_page(rq, rs, webform_values(rq->a, &access_form), 200);
}

typedef struct access_tx {
    http_req *rq;
    const wf_values *v;
    long long org_id; /* out */
    int invited;      /* out: the activation mail goes out */
} access_tx;

enum { BLOCKED = 1 };

static int store_access(db_conn *c, arena *a, void *arg)
{
    access_tx *t = arg;
    const wf_values *v = t->v;
    person_new pn = {v->value[C_FIRST], v->value[C_INFIX], v->value[C_LAST], v->value[C_EMAIL], 0};
    person_found who;
    if (people_find_or_create(c, a, &pn, &who) != 0) return -1;
    const char *person = rel_num(a, who.id);
    db_res *p = rel_person(c, a, person, 1);
    if (!p || p->nrows != 1) return -1;
    if (db_int(p, 0, "blocked")) return BLOCKED;
    const char *vals[REL_ORG_NFIELDS];
    for (size_t i = 0; i < REL_ORG_NFIELDS; i++)
        vals[i] = rel_value(v, i);
    if (rel_org_insert(c, a, rel_org_columns, vals, REL_ORG_NFIELDS, &t->org_id) != 0) return -1;
    rel_member_new m = {person,        rel_num(a, t->org_id), "beheerder",
                        pn.first_name, rel_value(v, C_INFIX), pn.last_name,
                        pn.email};
    if (rel_membership_add(c, a, &m) != 0) return -1;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "organisatie_toegang",
                vals[0]);
    e.org_id = t->org_id;
    e.person_id = who.id;
    for (size_t i = 0; i < REL_ORG_NFIELDS; i++)
        audit_field(&e, access_fields[i].name, "", vals[i]);
    audit_field(&e, "beheerder", "",
                arena_printf(a, "%s <%s>",
                             people_full_name(a, pn.first_name, pn.infix, pn.last_name), pn.email));
    audit_field(&e, "persoon", "", who.created ? "nieuw" : "bestaand");
    t->invited = !db_int(p, 0, "has_password");
    if (t->invited) {
        if (!account_send_link(c, a, t->rq->app, who.id, "activatie")) return -1;
        audit_field(&e, "activatielink", "", "verstuurd");
    }
    return audit_write(c, a, &e);
}

static void access_post(http_req *rq, http_resp *rs)
{
    wf_values *v = webform_read(rq, &access_form);
    if (v->nerrors) {
        access_page(rq, rs, v, 200);
        return;
    }
    access_tx t = {rq, v, 0, 0};
    int rc = db_tx(req_db(rq), rq->a, store_access, &t);
    if (rc == BLOCKED) {
        webform_fail(v, &access_form, "contact_email", MSG_BLOCKED);
        access_page(rq, rs, v, 409);
        return;
    }
    if (rc != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (t.invited) rel_kick_mailer(rq);
    flash_set(rq, rs, t.invited ? "toegang-verstuurd" : "toegang-bestaand-account");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, ORGS_PATH "/%lld", t.org_id));
}

static field_spec access_inputs[N_FIELDS + 1];

static const route routes[] = {
    {"GET", ORGS_PATH "/nieuw", access_get, NULL, RF_STAFF},
    {"POST", ORGS_PATH "/nieuw", access_post, access_inputs, RF_STAFF},
};

void rel_access_routes(router *r)
{
    if (webform_spec_for(r, &access_form, NULL, access_inputs, N_FIELDS + 1) != 0) return;
    router_add_all(r, routes);
}
