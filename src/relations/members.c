/* members.c - a person's memberships from their page in the back office:
 * Toevoegen aan organisatie (a page to find the organisation, then
 * medewerker or beheerder), the role changed, a membership ended. The
 * organisation knows a person added here by the person's own name and
 * address. An organisation keeps at least one beheerder, as on Mijn
 * organisatie: the last one is neither made medewerker nor ended. Each
 * change is one transaction, serialised per organisation like the changes
 * its beheerders make, with its audit line. */
#include <stdlib.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "organisation/organisation.h"
#include "people/people.h"
#include "relations/internal.h"
#include "relations/store.h"
#include "web/flash.h"

#define FIND_ROWS 20

static const char *role_in(http_req *rq)
{
    const char *role = req_in(rq, "rol");
    if (role && (strcmp(role, "medewerker") == 0 || strcmp(role, "beheerder") == 0)) return role;
    return NULL;
}

/* ===================================================== finding the one */

static void find_get(http_req *rq, http_resp *rs)
{
    const char *id = rel_path_id(rq, "id");
    db_conn *c = req_db(rq);
    db_res *p = id ? rel_person(c, rq->a, id, 0) : NULL;
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    if (page_one_row(rq, rs, p) != 0) return;
    const char *q = req_in(rq, "q");
    db_res *found = NULL, *mine = rel_person_memberships(c, rq->a, id);
    if (!mine || (q && !(found = rel_orgs_find(c, rq->a, q, FIND_ROWS + 1)))) {
        page_db_error(rq, rs);
        return;
    }
    const char *name = people_full_name_of(rq->a, p, 0);
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Personen", PERSONS_PATH);
    page_crumb(rq, ctx, name, arena_printf(rq->a, PERSONS_PATH "/%s", id));
    page_crumb(rq, ctx, "Toevoegen aan organisatie", NULL);
    tv_set_str(ctx, "person_id", id);
    tv_set_str(ctx, "person_name", name);
    tv_set_str(ctx, "q", q);
    tv_set_str(ctx, "q_error", kv_get(&rq->errors, "q"));
    tv_set_bool(ctx, "searched", found != NULL);
    tv *rows = tv_set_list(ctx, "orgs");
    int n = found ? (found->nrows > FIND_ROWS ? FIND_ROWS : found->nrows) : 0;
    for (int i = 0; i < n; i++) {
        tv *row = tv_push_obj(rows);
        const char *org = db_val(found, i, "id");
        tv_set_str(row, "id", org);
        tv_set_str(row, "name", db_val(found, i, "name"));
        tv_set_str(row, "city", db_val(found, i, "visit_city"));
        for (int j = 0; j < mine->nrows; j++)
            if (strcmp(db_val(mine, j, "organisation_id"), org) == 0 &&
                db_int(mine, j, "active") == 1)
                tv_set_bool(row, "member", 1);
    }
    tv_set_bool(ctx, "has_orgs", n > 0);
    tv_set_bool(ctx, "more", found && found->nrows > FIND_ROWS);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/person_orgs", ctx, "Toevoegen aan organisatie", NAV_BEHEER);
}

/* ========================================================== the changes */

typedef enum member_op { OP_ADD, OP_ROLE, OP_END } member_op;

typedef struct member_tx {
    http_req *rq;
    member_op op;
    const char *person, *org, *role;
    const char *name, *org_name; /* out */
    const char *flash;           /* out */
} member_tx;

enum { GONE = 1, NO_ORG, ALREADY, LAST_BEHEERDER };

static int add_member(db_conn *c, arena *a, member_tx *t, audit_entry *e)
{
    db_res *p = rel_person(c, a, t->person, 1), *o = p ? rel_org(c, a, t->org, 0) : NULL;
    if (!o) return -1;
    if (p->nrows != 1) return GONE;
    t->name = people_full_name_of(a, p, 0);
    if (o->nrows != 1) return NO_ORG;
    t->org_name = db_val(o, 0, "name");
    db_res *m = rel_membership(c, a, t->person, t->org, 1);
    if (!m) return -1;
    if (m->nrows == 1 && db_int(m, 0, "active") == 1) return ALREADY;
    rel_member_new nm = {t->person,
                         t->org,
                         t->role,
                         db_val(p, 0, "first_name"),
                         db_val(p, 0, "infix"),
                         db_val(p, 0, "last_name"),
                         db_val(p, 0, "email")};
    if (rel_membership_add(c, a, &nm) != 0) return -1;
    e->action = "lidmaatschap_toegevoegd";
    audit_field(e, "organisatie", "", t->org_name);
    audit_field(e, "rol", "", t->role);
    t->flash = "lidmaatschap-toegevoegd";
    return 0;
}

static int change_member(db_conn *c, arena *a, member_tx *t, audit_entry *e)
{
    db_res *m = rel_membership(c, a, t->person, t->org, 1);
    if (!m) return -1;
    if (m->nrows != 1 || db_int(m, 0, "active") != 1) return GONE;
    t->name = people_full_name_of(a, m, 0);
    t->org_name = db_val(m, 0, "org_name");
    const char *role = db_val(m, 0, "role");
    t->flash = t->op == OP_END ? "lidmaatschap-beeindigd" : "rol-gewijzigd";
    if (t->op == OP_ROLE && strcmp(role, t->role) == 0) return 0;
    if (strcmp(role, "beheerder") == 0) {
        long long others = org_other_beheerders(c, a, atoll(t->org), t->person);
        if (others < 0) return -1;
        if (others == 0) return LAST_BEHEERDER;
    }
    if (t->op == OP_END) {
        if (rel_membership_end(c, a, t->person, t->org) != 0) return -1;
        e->action = "lidmaatschap_beeindigd";
        audit_field(e, "organisatie", t->org_name, "");
        audit_field(e, "rol", role, "");
        return 0;
    }
    if (rel_membership_set_role(c, a, t->person, t->org, t->role) != 0) return -1;
    e->action = "rol_gewijzigd";
    audit_field(e, "organisatie", t->org_name, t->org_name);
    audit_field(e, "rol", role, t->role);
    return 0;
}

static int store_member(db_conn *c, arena *a, void *arg)
{
    member_tx *t = arg;
    if (db_lock(c, a, arena_printf(a, "org:%s", t->org)) != 0) return -1;
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "", NULL);
    e.person_id = atoll(t->person);
    e.org_id = atoll(t->org);
    int rc = t->op == OP_ADD ? add_member(c, a, t, &e) : change_member(c, a, t, &e);
    if (rc != 0 || !e.action[0]) return rc;
    e.subject = t->name;
    e.detail = t->org_name;
    return audit_write(c, a, &e);
}

static void member_post(http_req *rq, http_resp *rs, member_op op)
{
    member_tx t = {rq, op, rel_path_id(rq, "id"), NULL, NULL, NULL, NULL, NULL};
    t.org = op == OP_ADD ? req_in(rq, "organisatie") : rel_path_id(rq, "org");
    t.role = role_in(rq);
    if (!t.person || !t.org) {
        page_error(rq, rs, 404);
        return;
    }
    if (op != OP_END && !t.role) {
        page_error(rq, rs, 400);
        return;
    }
    int rc = db_tx(req_db(rq), rq->a, store_member, &t);
    switch (rc) {
    case 0:
        flash_set(rq, rs, t.flash);
        resp_redirect(rs, rq->a, 303, arena_printf(rq->a, PERSONS_PATH "/%s", t.person));
        return;
    case GONE:
    case NO_ORG:
        page_error(rq, rs, 404);
        return;
    case ALREADY:
        rel_person_view(rq, rs, t.person,
                        arena_printf(rq->a, "%s is al lid van %s.", t.name, t.org_name), 409);
        return;
    case LAST_BEHEERDER:
        rel_person_view(rq, rs, t.person,
                        arena_printf(rq->a,
                                     "%s is de enige beheerder van %s. Een organisatie houdt "
                                     "minimaal één beheerder: maak eerst iemand anders beheerder.",
                                     t.name, t.org_name),
                        409);
        return;
    default:
        page_db_error(rq, rs);
    }
}

static void add_post(http_req *rq, http_resp *rs)
{
    member_post(rq, rs, OP_ADD);
}

static void role_post(http_req *rq, http_resp *rs)
{
    member_post(rq, rs, OP_ROLE);
}

static void end_post(http_req *rq, http_resp *rs)
{
    member_post(rq, rs, OP_END);
}

static const field_spec find_inputs[] = {
    {"q", IN_QUERY, FK_LINE, 200},
    {NULL, 0, 0, 0},
};

static const field_spec add_inputs[] = {
    {"organisatie", IN_FORM, FK_ID, 20},
    {"rol", IN_FORM, FK_SLUG, 20},
    {NULL, 0, 0, 0},
};

static const field_spec role_inputs[] = {
    {"rol", IN_FORM, FK_SLUG, 20},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", PERSONS_PATH "/:id/organisaties", find_get, find_inputs, RF_STAFF},
    {"POST", PERSONS_PATH "/:id/organisaties", add_post, add_inputs, RF_STAFF},
    {"POST", PERSONS_PATH "/:id/organisaties/:org/rol", role_post, role_inputs, RF_STAFF},
    {"POST", PERSONS_PATH "/:id/organisaties/:org/beeindigen", end_post, NULL, RF_STAFF},
};

void rel_members_routes(router *r)
{
    router_add_all(r, routes);
}
