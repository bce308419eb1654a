/* persons.c - Personen in the back office: the list (/beheer/personen,
 * found by name, e-mail address, place and organisation, paged by key)
 * and a person's page (/beheer/personen/<id>): their data, login,
 * memberships, registrations, address history and audit trail, with the
 * forms that act on them (logins.c, members.c). */
#include "auth/audit.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "people/people.h"
#include "relations/internal.h"
#include "relations/store.h"
#include "web/list.h"

/* ============================================================ the list */

static const list_col person_cols[] = {
    {"naam", "Naam", "lower(p.last_name || ', ' || p.first_name)", 0, 0, 0},
    {"email", "E-mailadres", "lower(p.email)", 0, 0, 0},
    {"woonplaats", "Woonplaats", "lower(p.city)", 0, 0, 0},
    {NULL, "Organisaties", NULL, 0, 0, 0},
    {NULL, "Toegang", NULL, 0, 0, 0},
};

static const char *const person_filters[] = {"naam", "email", "plaats", "organisatie", NULL};

static const list_spec person_list = {
    .path = PERSONS_PATH,
    .caption = "Personen",
    .one = "persoon",
    .many = "personen",
    .empty = "Er zijn geen personen gevonden die aan uw zoekopdracht voldoen.",
    .cols = person_cols,
    .ncols = 5,
    .sort_col = 0,
    .id_expr = "p.id",
    .per_page = 25,
    .per_page_min = 10,
    .per_page_max = 100,
    .filters = person_filters,
};

static long long persons_count(db_conn *c, arena *a, long long cap, void *arg)
{
    return rel_persons_count(c, a, arg, cap);
}

static db_res *persons_fetch(db_conn *c, arena *a, const db_keyset *k, void *arg)
{
    return rel_persons(c, a, arg, k);
}

/* "Herenbos Schagen (beheerder), ROC Kop van Noord-Holland": the person's
 * active memberships, from orgs (ordered by person). */
static const char *orgs_of(arena *a, const db_res *orgs, const char *person)
{
    buf b;
    buf_init(&b, a, 64);
    for (int i = 0; i < orgs->nrows; i++) {
        if (strcmp(db_val(orgs, i, "person_id"), person) != 0) continue;
        buf_printf(&b, "%s%s%s", b.len ? ", " : "", db_val(orgs, i, "org_name"),
                   strcmp(db_val(orgs, i, "role"), "beheerder") == 0 ? " (beheerder)" : "");
    }
    return b.data;
}

static void list_page_get(http_req *rq, http_resp *rs)
{
    rel_person_filter *f = arena_zalloc(rq->a, sizeof *f);
    f->name = req_in(rq, "naam");
    f->email = req_in(rq, "email");
    f->city = req_in(rq, "plaats");
    f->org = req_in(rq, "organisatie");
    list_page l;
    list_read(rq, &person_list, &l);
    list_source src = {persons_count, persons_fetch, f};
    db_res *orgs;
    if (list_load(rq, &l, &src) != 0 || !(orgs = rel_persons_orgs(req_db(rq), rq->a, l.rows))) {
        page_db_error(rq, rs);
        return;
    }
    tv *ctx = rel_page(rq, "Personen", PERSONS_PATH, NULL);
    tv *box = list_filters(ctx, PERSONS_PATH, "Personen zoeken", NULL, "Zoeken");
    list_filter_search(box, "z-naam", "naam", "Naam", f->name, 100, NULL);
    list_filter_search(box, "z-email", "email", "E-mailadres", f->email, 254, NULL);
    list_filter_search(box, "z-plaats", "plaats", "Woonplaats", f->city, 80, NULL);
    list_filter_search(box, "z-organisatie", "organisatie", "Organisatie", f->org, 200, NULL);
    if (f->name || f->email || f->city || f->org) list_filter_clear(box, "Wissen");
    tv *rows = list_view(rq, ctx, &l);
    const db_res *r = l.rows;
    for (int i = 0; i < r->nrows; i++) {
        const char *id = db_val(r, i, "id"), *login = db_val(r, i, "login");
        int blocked = strcmp(login, REL_LOGIN_BLOCKED) == 0;
        list_cell cells[5] = {
            {.text = people_full_name_of(rq->a, r, i),
             .href = arena_printf(rq->a, PERSONS_PATH "/%s", id),
             .sub = db_int(r, i, "is_staff") ? "Administratie" : NULL},
            {.text = db_val(r, i, "email")},
            {.text = db_val(r, i, "city")},
            {.text = orgs_of(rq->a, orgs, id)},
            {.text = rel_login_text(login), .badge = blocked ? "Geblokkeerd" : NULL},
        };
        list_row(rq, &l, rows, cells);
    }
    page_render(rq, rs, "beheer/persons", ctx, "Personen", NAV_BEHEER);
}

/* ====================================================== a person's page */

/* The label of a person_history field (the persons column). */
static const char *history_label(const char *field)
{
    static const struct {
        const char *col, *label;
    } labels[] = {
        {"street", "Straat"},
        {"house_number", "Huisnummer"},
        {"postcode", "Postcode"},
        {"city", "Woonplaats"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].col, field) == 0) return labels[i].label;
    return field;
}

/* "Aangemeld", "Verwerkt", …: the stored status with a capital. */
static const char *capital(arena *a, const char *s)
{
    if (!s || !*s) return "";
    char *t = arena_strdup(a, s);
    if (*t >= 'a' && *t <= 'z') *t = (char)(*t - 'a' + 'A');
    return t;
}

/* The address as the post writes it, or NULL when there is none. */
static void put_address(arena *a, tv *ctx, const db_res *p)
{
    const char *street = db_val(p, 0, "street"), *nr = db_val(p, 0, "house_number");
    const char *pc = db_val(p, 0, "postcode"), *city = db_val(p, 0, "city");
    if (!*street && !*nr && !*pc && !*city) return;
    tv *addr = tv_set_obj(ctx, "address");
    tv_set_str(addr, "line1", arena_printf(a, "%s%s%s", street, *street && *nr ? " " : "", nr));
    tv_set_str(addr, "line2",
               arena_printf(a, "%s%s%s", pc, *pc && *city ? "\u00a0\u00a0" : "", city));
}

static void put_person(http_req *rq, tv *ctx, const db_res *p)
{
    tv *o = tv_set_obj(ctx, "person");
    tv_set_str(o, "id", db_val(p, 0, "id"));
    tv_set_str(o, "name", people_full_name_of(rq->a, p, 0));
    tv_set_str(o, "email", db_val(p, 0, "email"));
    tv_set_str(o, "phone", db_val(p, 0, "phone"));
    const char *birth = db_val(p, 0, "birth_date");
    tv_set_str(o, "birth_date", birth && *birth ? date_nl(rq->a, birth) : NULL);
    tv_set_bool(o, "staff", db_int(p, 0, "is_staff"));
    put_address(rq->a, o, p);
    const char *login = db_val(p, 0, "login");
    tv_set_str(o, "login", rel_login_text(login));
    tv_set_bool(o, "blocked", strcmp(login, REL_LOGIN_BLOCKED) == 0);
    /* the activation mail goes to whoever has an address and no password */
    tv_set_bool(o, "may_activate",
                strcmp(login, REL_LOGIN_NONE) == 0 || strcmp(login, REL_LOGIN_INVITED) == 0);
    tv_set_bool(o, "invited", strcmp(login, REL_LOGIN_INVITED) == 0);
    long long act = db_int(p, 0, "activated_at");
    tv_set_str(o, "activated", act ? moment_nl(rq->a, act) : NULL);
}

static void put_memberships(http_req *rq, tv *ctx, const db_res *m)
{
    tv *list = tv_set_list(ctx, "memberships");
    for (int i = 0; i < m->nrows; i++) {
        tv *row = tv_push_obj(list);
        tv_set_str(row, "org_id", db_val(m, i, "organisation_id"));
        tv_set_str(row, "org_name", db_val(m, i, "org_name"));
        int beheerder = strcmp(db_val(m, i, "role"), "beheerder") == 0;
        tv_set_bool(row, "beheerder", beheerder);
        tv_set_str(row, "role", beheerder ? "Beheerder" : "Medewerker");
        int active = db_int(m, i, "active") == 1;
        tv_set_bool(row, "active", active);
        long long when = db_int(m, i, active ? "started_at" : "ended_at");
        tv_set_str(row, "since", when ? moment_nl(rq->a, when) : NULL);
    }
    tv_set_bool(ctx, "has_memberships", m->nrows > 0);
}

static void put_registrations(http_req *rq, tv *ctx, const db_res *r)
{
    tv *list = tv_set_list(ctx, "registrations");
    for (int i = 0; i < r->nrows; i++) {
        tv *row = tv_push_obj(list);
        tv_set_str(row, "event_href",
                   arena_printf(rq->a, "/beheer/evenementen/%s", db_val(r, i, "event_id")));
        tv_set_str(row, "event", db_val(r, i, "event_name"));
        tv_set_str(row, "course", db_val(r, i, "course_name"));
        tv_set_str(row, "iso", db_val(r, i, "starts_on"));
        tv_set_str(row, "date", date_short_nl(rq->a, db_val(r, i, "starts_on")));
        tv_set_str(row, "status", capital(rq->a, db_val(r, i, "status")));
        const char *org = db_val(r, i, "org_name");
        tv_set_str(row, "payer", org ? org : "de persoon zelf");
    }
    tv_set_bool(ctx, "has_registrations", r->nrows > 0);
}

static void put_history(http_req *rq, tv *ctx, const db_res *h)
{
    tv *list = tv_set_list(ctx, "history");
    for (int i = 0; i < h->nrows; i++) {
        tv *row = tv_push_obj(list);
        tv_set_str(row, "field", history_label(db_val(h, i, "field")));
        tv_set_str(row, "old", db_val(h, i, "old_value"));
        tv_set_str(row, "new", db_val(h, i, "new_value"));
        tv_set_str(row, "when", moment_nl(rq->a, db_int(h, i, "changed_at")));
        const char *by = db_val(h, i, "by_last_name");
        tv_set_str(row, "by",
                   by ? people_full_name(rq->a, db_val(h, i, "by_first_name"),
                                         db_val(h, i, "by_infix"), by)
                      : "onbekend");
    }
    tv_set_bool(ctx, "has_history", h->nrows > 0);
}

#define AUDIT_ROWS 20
#define AUDIT_CHANGES 32

static void put_audit(http_req *rq, tv *ctx, const db_res *l)
{
    tv *list = tv_set_list(ctx, "audit");
    int n = l->nrows > AUDIT_ROWS ? AUDIT_ROWS : l->nrows;
    for (int i = 0; i < n; i++) {
        tv *row = tv_push_obj(list);
        tv_set_str(row, "when", moment_nl(rq->a, db_int(l, i, "at")));
        const char *actor = db_val(l, i, "actor_last_name");
        tv_set_str(row, "who",
                   actor ? people_full_name(rq->a, db_val(l, i, "actor_first_name"),
                                            db_val(l, i, "actor_infix"), actor)
                         : "systeem");
        char *action = arena_strdup(rq->a, db_val(l, i, "action"));
        for (char *s = action; *s; s++)
            if (*s == '_') *s = ' ';
        tv_set_str(row, "action", action);
        tv_set_str(row, "detail", db_val(l, i, "detail"));
        audit_change ch[AUDIT_CHANGES];
        int k = audit_changes_split(rq->a, db_val(l, i, "changes"), ch, AUDIT_CHANGES);
        tv *changes = tv_set_list(row, "changes");
        for (int j = 0; j < k; j++) {
            tv *c = tv_push_obj(changes);
            tv_set_str(c, "field", ch[j].field);
            tv_set_str(c, "old", *ch[j].old ? ch[j].old : "(leeg)");
            tv_set_str(c, "new", *ch[j].new_value ? ch[j].new_value : "(leeg)");
        }
    }
    tv_set_bool(ctx, "has_audit", n > 0);
    tv_set_bool(ctx, "more_audit", l->nrows > AUDIT_ROWS);
}

/* Is the brake holding this address back now? 0/1, -1 on an error. */
static int braked(http_req *rq, const char *email)
{
    if (!*email) return 0;
    db_res *b = rl_braked_accounts(req_db(rq), rq->a);
    if (!b) return -1;
    for (int i = 0; i < b->nrows; i++)
        if (strcmp(db_val(b, i, "account"), email) == 0) return 1;
    return 0;
}

void rel_person_view(http_req *rq, http_resp *rs, const char *id, const char *error, int status)
{
    db_conn *c = req_db(rq);
    db_res *p = rel_person(c, rq->a, id, 0);
    if (page_one_row(rq, rs, p) != 0) return;
    db_res *m, *reg, *h, *l;
    int brake;
    if (!(m = rel_person_memberships(c, rq->a, id)) ||
        !(reg = rel_person_registrations(c, rq->a, id)) ||
        !(h = rel_person_history(c, rq->a, id)) ||
        !(l = rel_person_audit(c, rq->a, id, AUDIT_ROWS)) ||
        (brake = braked(rq, db_val(p, 0, "email"))) < 0) {
        page_db_error(rq, rs);
        return;
    }
    const char *name = people_full_name_of(rq->a, p, 0);
    tv *ctx = rel_page(rq, "Personen", PERSONS_PATH, name);
    put_person(rq, ctx, p);
    tv_set_bool(ctx, "braked", brake);
    tv_set_bool(ctx, "self", auth_user(rq)->person_id == db_int(p, 0, "id"));
    put_memberships(rq, ctx, m);
    put_registrations(rq, ctx, reg);
    put_history(rq, ctx, h);
    put_audit(rq, ctx, l);
    tv_set_str(ctx, "general_error", error);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/person", ctx, name, NAV_BEHEER);
    rs->status = status;
}

static void person_get(http_req *rq, http_resp *rs)
{
    const char *id = rel_path_id(rq, "id");
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    rel_person_view(rq, rs, id, NULL, 200);
}

static const field_spec list_inputs[] = {
    {"naam", IN_QUERY, FK_LINE, 100},
    {"email", IN_QUERY, FK_LINE, 254},
    {"plaats", IN_QUERY, FK_LINE, 80},
    {"organisatie", IN_QUERY, FK_LINE, 200},
    LIST_INPUTS,
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", PERSONS_PATH, list_page_get, list_inputs, RF_STAFF},
    {"GET", PERSONS_PATH "/:id", person_get, NULL, RF_STAFF},
};

void rel_persons_routes(router *r)
{
    router_add_all(r, routes);
}
