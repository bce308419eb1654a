/* handlers.c - /mijn/organisatie: the organisation's data and contact
 * list, and Organisatiegegevens aanpassen for its beheerders; the contact
 * persons' pages are in contacts.c. The route flags (RF_ORG, RF_BEHEERDER)
 * let only the right people in; the queries then only ever look inside
 * auth_user(rq)->org_id. */
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "organisation/internal.h"
#include "organisation/organisation.h"
#include "web/flash.h"
#include "web/webform.h"
#include "web/page.h"

/* ------------------------------------------------------------- the view */

/* What the list says of a contact's login, and the button it offers
 * (NULL: none; never to a contact without an address). */
static void put_login(tv *p, const char *login, int has_address)
{
    static const struct {
        const char *state, *text, *invite;
    } states[] = {
        {ORG_LOGIN_ACTIVE, "Heeft een account", NULL},
        {ORG_LOGIN_INVITED, "Uitgenodigd, nog niet geactiveerd", "Uitnodiging opnieuw sturen"},
        {ORG_LOGIN_NONE, "Geen account", "Uitnodiging sturen"},
        {ORG_LOGIN_BLOCKED, "Toegang geblokkeerd door de administratie", NULL},
    };
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (strcmp(login, states[i].state) == 0) {
            tv_set_str(p, "login", states[i].text);
            tv_set_str(p, "invite", has_address ? states[i].invite : NULL);
            return;
        }
}

/* An address as the post writes it: street and number over postcode and
 * place, two (no-break) spaces between those. Nothing when it is empty. */
static void put_address(arena *a, tv *obj, const char *key, const char *street, const char *number,
                        const char *postcode, const char *place)
{
    const char *line1 = org_join(a, street, " ", number);
    const char *line2 = org_join(a, postcode, "\u00a0\u00a0", place);
    if (!*line1 && !*line2) return;
    tv *addr = tv_set_obj(obj, key);
    tv_set_str(addr, "line1", line1);
    tv_set_str(addr, "line2", line2);
}

static void put_org(arena *a, tv *ctx, const db_res *o)
{
    tv *org = tv_set_obj(ctx, "org");
    static const char *const cols[] = {"name", "phone", "email", "invoice_email", "kvk_number"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        tv_set_str(org, cols[i], db_val(o, 0, cols[i]));
    put_address(a, org, "visit", db_val(o, 0, "visit_street"), db_val(o, 0, "visit_house_number"),
                db_val(o, 0, "visit_postcode"), db_val(o, 0, "visit_city"));
    put_address(a, org, "postal", db_val(o, 0, "postal_street"),
                db_val(o, 0, "postal_house_number"), db_val(o, 0, "postal_postcode"),
                db_val(o, 0, "postal_city"));
}

void organisation_view(http_req *rq, http_resp *rs, const char *error, int status)
{
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    db_res *o = org_get(c, rq->a, u->org_id);
    db_res *people = o ? org_contacts(c, rq->a, u->org_id) : NULL;
    if (!people || o->nrows != 1) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = org_page(rq, NULL);
    put_org(rq->a, ctx, o);
    tv_set_bool(ctx, "beheerder", u->beheerder);
    tv_set_str(ctx, "general_error", error);
    tv *list = tv_set_list(ctx, "contacts");
    int beheerders = 0;
    for (int i = 0; i < people->nrows; i++) {
        tv *p = tv_push_obj(list);
        tv_set_str(p, "id", db_val(people, i, "person_id"));
        tv_set_str(p, "name", full_name(rq->a, people, i));
        tv_set_str(p, "job_title", db_val(people, i, "job_title"));
        tv_set_str(p, "department", db_val(people, i, "department"));
        const char *work = db_val(people, i, "work_email");
        tv_set_str(p, "email", (work && *work) ? work : db_val(people, i, "email"));
        int b = strcmp(db_val(people, i, "role"), "beheerder") == 0;
        tv_set_bool(p, "beheerder_role", b);
        beheerders += b;
        if (u->beheerder)
            put_login(p, db_val(people, i, "login"), db_int(people, i, "has_address"));
    }
    if (u->beheerder) {
        /* a beheerder sees the list, so the one beheerder is the viewer */
        tv_set_bool(ctx, "sole_beheerder", beheerders == 1);
        tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
        tv_set_str(ctx, "context", auth_form_context(rq));
    }
    page_render(rq, rs, "organisation/view", ctx, "Mijn organisatie", NAV_MIJN);
    rs->status = status;
}

static void view(http_req *rq, http_resp *rs)
{
    organisation_view(rq, rs, NULL, 200);
}

/* ---------------------------------------------------- organisation edit */

/* The organisation's data as one form description; the columns below are
 * in the same order. */
static const wf_field org_fields[] = {
    {"naam", "Naam", WF_LINE, 200, "Vul de naam van de organisatie in.", NULL, "organization", 0,
     NULL},
    {"bezoek_straat", "Straat", WF_LINE, 200, NULL, NULL, NULL, 0, "Bezoekadres"},
    {"bezoek_huisnummer", "Huisnummer", WF_HOUSE, 20, NULL, NULL, NULL, 7, "Bezoekadres"},
    {"bezoek_postcode", "Postcode", WF_POSTCODE, 10, NULL, "Bijvoorbeeld 1234 AB", NULL, 7,
     "Bezoekadres"},
    {"bezoek_plaats", "Plaats", WF_LINE, 100, NULL, NULL, NULL, 0, "Bezoekadres"},
    {"post_straat", "Straat of postbus", WF_LINE, 200, NULL, NULL, NULL, 0, "Postadres"},
    {"post_huisnummer", "Huisnummer", WF_HOUSE, 20, NULL, NULL, NULL, 7, "Postadres"},
    {"post_postcode", "Postcode", WF_POSTCODE, 10, NULL, NULL, NULL, 7, "Postadres"},
    {"post_plaats", "Plaats", WF_LINE, 100, NULL, NULL, NULL, 0, "Postadres"},
    {"telefoon", "Telefoon", WF_PHONE, 30, NULL, NULL, "tel", 20, NULL},
    {"email", "E-mail", WF_EMAIL, 254, NULL, NULL, "email", 0, NULL},
    {"email_factuur", "E-mail voor facturen", WF_EMAIL, 254, NULL, NULL, NULL, 0, NULL},
    {"kvk", "KvK-nummer", WF_KVK, 12, NULL, "8 cijfers", NULL, 10, NULL},
};
static const webform org_form_def = WEBFORM(org_fields);
static const char *const org_columns[] = {
    "name",          "visit_street",        "visit_house_number", "visit_postcode", "visit_city",
    "postal_street", "postal_house_number", "postal_postcode",    "postal_city",    "phone",
    "email",         "invoice_email",       "kvk_number"};
#define N_ORG_FIELDS (sizeof org_fields / sizeof org_fields[0])

static void org_form(http_req *rq, http_resp *rs, const wf_values *v, int status)
{
    tv *ctx = org_page(rq, "Aanpassen");
    webform_put(rq, ctx, &org_form_def, v);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "context", auth_form_context(rq));
    page_render(rq, rs, "organisation/edit", ctx, "Organisatiegegevens aanpassen", NAV_MIJN);
    rs->status = status;
}

static void edit_get(http_req *rq, http_resp *rs)
{
    db_res *o = org_get(req_db(rq), rq->a, auth_user(rq)->org_id);
    if (!o || o->nrows != 1) {
        page_db_error(rq, rs);
        return;
    }
    wf_values *v = webform_values(rq->a, &org_form_def);
    for (size_t i = 0; i < N_ORG_FIELDS; i++)
        v->shown[i] = db_val(o, 0, org_columns[i]);
    org_form(rq, rs, v, 200);
}

typedef struct org_change {
    const auth_ctx *u;
    const wf_values *v;
    const char *client_ip;
} org_change;

/* The UPDATE and its audit line, as one transaction (db_tx). */
static int store_org(db_conn *c, arena *a, void *arg)
{
    const org_change *ch = arg;
    db_res *old = org_get(c, a, ch->u->org_id);
    if (!old || old->nrows != 1) return -1;
    audit_entry e;
    audit_begin(&e, a, ch->u->person_id, ch->client_ip, "organisatie_gewijzigd",
                db_val(old, 0, "name"));
    e.org_id = ch->u->org_id;
    const char *p[N_ORG_FIELDS + 2];
    for (size_t i = 0; i < N_ORG_FIELDS; i++) {
        p[i] = ch->v->value[i] ? ch->v->value[i] : "";
        audit_field(&e, org_fields[i].name, db_val(old, 0, org_columns[i]), p[i]);
    }
    if (!e.nchanges) return 0;
    p[N_ORG_FIELDS] = arena_printf(a, "%lld", (long long)clock_now());
    p[N_ORG_FIELDS + 1] = arena_printf(a, "%lld", ch->u->org_id);
    if (db_query(c, a, NULL,
                 "UPDATE organisations SET name = $1, visit_street = $2, visit_house_number = $3,"
                 " visit_postcode = $4, visit_city = $5, postal_street = $6,"
                 " postal_house_number = $7, postal_postcode = $8, postal_city = $9, phone = $10,"
                 " email = $11, invoice_email = $12, kvk_number = $13, updated_at = $14"
                 " WHERE id = $15",
                 N_ORG_FIELDS + 2, p) != 1)
        return -1;
    return audit_write(c, a, &e);
}

static void edit_post(http_req *rq, http_resp *rs)
{
    wf_values *v = webform_read(rq, &org_form_def);
    if (v->nerrors) {
        org_form(rq, rs, v, 200);
        return;
    }
    org_change ch = {auth_user(rq), v, rq->client_ip};
    if (db_tx(req_db(rq), rq->a, store_org, &ch) != 0) {
        page_db_error(rq, rs);
        return;
    }
    flash_set(rq, rs, "opgeslagen");
    resp_redirect(rs, rq->a, 303, "/mijn/organisatie");
}

static const field_spec view_fields[] = {
    {NULL, 0, 0, 0},
};

/* Filled from the form description when the routes are registered. */
static field_spec org_edit_fields[N_ORG_FIELDS + 1];

static const route routes[] = {
    {"GET", "/mijn/organisatie", view, view_fields, RF_ORG},
    {"GET", "/mijn/organisatie/aanpassen", edit_get, NULL, RF_BEHEERDER},
    {"POST", "/mijn/organisatie/aanpassen", edit_post, org_edit_fields, RF_BEHEERDER},
};

void organisation_routes(router *r)
{
    /* too small a table is a programming error: the router then refuses
     * the route and the program does not start */
    if (webform_spec_for(r, &org_form_def, NULL, org_edit_fields, N_ORG_FIELDS + 1) != 0) return;
    router_add_all(r, routes);
    organisation_contact_routes(r);
    organisation_invite_routes(r);
    organisation_lookup_routes(r);
    organisation_unlink_routes(r);
}
