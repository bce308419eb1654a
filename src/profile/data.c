/* data.c - Mijn gegevens: /mijn/gegevens and /mijn/gegevens/aanpassen.
 *
 * What a person may change follows the context chosen now, so there are
 * two forms: acting as person, their private data (persons); acting for an
 * organisation, the name that organisation knows them by and the employee
 * data of that one membership (memberships). Every write is scoped by the
 * session's person and organisation, never by an id from the form. */
#include "profile/internal.h"

#include "auth/audit.h"
#include "auth/session.h"
#include "web/flash.h"
#include "web/webform.h"

/* ========================================================= the forms */

/* The groups (fieldsets, and the headings of the view); compared by
 * address. */
static const char G_NAME[] = "Naam", G_ADDRESS[] = "Adres", G_CONTACT[] = "Contact",
                  G_EMPLOYEE[] = "Gegevens als medewerker";

/* clang-format off */
#define NAME_FIELDS                                                                                \
    {"voornaam", "Voornaam", WF_NAME, 100, "Vul uw voornaam in.", NULL, "given-name", 0, G_NAME},  \
    {"tussenvoegsel", "Tussenvoegsel", WF_NAME, 30, NULL, "Bijvoorbeeld: van, de, van der", NULL,  \
     10, G_NAME},                                                                                  \
    {"achternaam", "Achternaam", WF_NAME, 100, "Vul uw achternaam in.", NULL, "family-name", 0,    \
     G_NAME}
/* clang-format on */

static const wf_field person_fields[] = {
    NAME_FIELDS,
    {"straat", "Straat", WF_LINE, 100, NULL, NULL, NULL, 0, G_ADDRESS},
    {"huisnummer", "Huisnummer", WF_HOUSE, 20, NULL,
     "Met eventuele toevoeging, bijvoorbeeld 12a of 12-2", NULL, 7, G_ADDRESS},
    {"postcode", "Postcode", WF_POSTCODE, 10, NULL, "Bijvoorbeeld 1234 AB", "postal-code", 7,
     G_ADDRESS},
    {"woonplaats", "Woonplaats", WF_NAME, 80, NULL, NULL, "address-level2", 0, G_ADDRESS},
    {"telefoon", "Telefoon", WF_PHONE, 30, NULL, "Bijvoorbeeld 06 12345678 of 0223-611310", "tel",
     20, G_CONTACT},
    {"geboortedatum", "Geboortedatum", WF_BIRTH, 10, NULL, "dd-mm-jjjj, bijvoorbeeld 17-05-1980",
     "bday", 10, G_CONTACT},
};
static const char *const person_columns[] = {"first_name", "infix",        "last_name",
                                             "street",     "house_number", "postcode",
                                             "city",       "phone",        "birth_date"};

/* Acting for an organisation, the name is the one the organisation knows
 * the person by, kept on the membership; the person's own name stays as it
 * is. */
static const wf_field org_fields[] = {
    NAME_FIELDS,
    {"functie", "Functie", WF_LINE, 100, NULL, NULL, "organization-title", 0, G_EMPLOYEE},
    {"afdeling", "Afdeling", WF_LINE, 100, NULL, NULL, NULL, 0, G_EMPLOYEE},
    {"telefoon_werk", "Telefoon werk", WF_PHONE, 30, NULL, NULL, "work tel", 20, G_EMPLOYEE},
    {"email_werk", "E-mail werk", WF_EMAIL, 254, NULL, NULL, "work email", 0, G_EMPLOYEE},
};
static const char *const org_columns[] = {
    "contact_first_name", "contact_infix", "contact_last_name", "job_title",
    "department",         "work_phone",    "work_email"};

/* A form with where each field is stored (columns beside fields). */
typedef struct profile_form {
    webform form;
    const char *const *columns;
    int membership; /* the columns are the membership's, else the person's */
} profile_form;

static const profile_form as_person = {WEBFORM(person_fields), person_columns, 0};
static const profile_form as_org = {WEBFORM(org_fields), org_columns, 1};

static const profile_form *form_of(const http_req *rq)
{
    return auth_user(rq)->org_id ? &as_org : &as_person;
}

/* The person's data for this context: the form's columns plus email (and
 * org_name when acting for an organisation). lock: inside a write
 * transaction, keep others off the rows until commit. NULL on a database
 * error; no row means the membership ended a moment ago. */
static db_res *load_profile(http_req *rq, db_conn *c, int lock)
{
    const auth_ctx *u = auth_user(rq);
    db_res *r = NULL;
    int rc;
    if (u->org_id)
        rc = db_q(c, rq->a, &r,
                  arena_printf(rq->a,
                               "SELECT m.contact_first_name, m.contact_infix, m.contact_last_name,"
                               " p.email, m.job_title, m.department, m.work_phone, m.work_email,"
                               " o.name AS org_name FROM persons p"
                               " JOIN memberships m ON m.person_id = p.id"
                               " JOIN organisations o ON o.id = m.organisation_id"
                               " WHERE p.id = $1 AND m.organisation_id = $2 AND m.active = 1%s",
                               lock ? db_for_update(c, rq->a, "m") : ""),
                  num(rq, u->person_id), num(rq, u->org_id));
    else
        rc = db_q(c, rq->a, &r,
                  arena_printf(rq->a,
                               "SELECT first_name, infix, last_name, email, street, house_number,"
                               " postcode, city, phone, birth_date FROM persons WHERE id = $1%s",
                               lock ? db_for_update(c, rq->a, NULL) : ""),
                  num(rq, u->person_id));
    return rc < 0 ? NULL : r;
}

/* Field i as stored, the way the form shows it. */
static const char *shown(http_req *rq, const profile_form *pf, const db_res *r, size_t i)
{
    const char *v = db_val(r, 0, pf->columns[i]);
    if (pf->form.fields[i].check == WF_BIRTH && v) return date_nl(rq->a, v);
    return v ? v : "";
}

/* ============================================================ the view */

/* "x sep y", or the one that is not empty, or "". */
static const char *joined(http_req *rq, const char *x, const char *sep, const char *y)
{
    if (!*x) return y;
    if (!*y) return x;
    return arena_printf(rq->a, "%s%s%s", x, sep, y);
}

/* Field `name` as stored and shown, "" when the form has no such field. */
static const char *shown_named(http_req *rq, const profile_form *pf, const db_res *r,
                               const char *name)
{
    int i = webform_index(&pf->form, name);
    return i < 0 ? "" : shown(rq, pf, r, (size_t)i);
}

/* The address as the post writes it: street and number over postcode and
 * place, two (no-break) spaces between those. */
static void put_address(http_req *rq, tv *row, const profile_form *pf, const db_res *r)
{
    const char *line1 =
        joined(rq, shown_named(rq, pf, r, "straat"), " ", shown_named(rq, pf, r, "huisnummer"));
    const char *line2 = joined(rq, shown_named(rq, pf, r, "postcode"), "\u00a0\u00a0",
                               shown_named(rq, pf, r, "woonplaats"));
    if (!*line1 && !*line2) return; /* "niet ingevuld" */
    tv *addr = tv_set_obj(row, "address");
    tv_set_str(addr, "line1", line1);
    tv_set_str(addr, "line2", line2);
}

/* All values in one list of rows (one grid on the page), the address as
 * one row; the first row of each group is marked, so the page can set the
 * groups apart. */
static void put_rows(http_req *rq, tv *ctx, const profile_form *pf, const db_res *r)
{
    tv *rows = tv_set_list(ctx, "rows");
    if (pf == &as_org) {
        tv *row = tv_push_obj(rows);
        tv_set_str(row, "label", "Naam organisatie");
        tv_set_str(row, "value", db_val(r, 0, "org_name"));
    }
    const char *group = NULL;
    for (size_t i = 0; i < pf->form.n; i++) {
        const wf_field *fd = &pf->form.fields[i];
        int starts = fd->group != group;
        group = fd->group;
        if (group == G_ADDRESS && !starts) continue; /* the address is one row */
        tv *row = tv_push_obj(rows);
        tv_set_bool(row, "group_start", starts && tv_len(rows) > 1);
        if (group == G_ADDRESS) {
            tv_set_str(row, "label", G_ADDRESS);
            put_address(rq, row, pf, r);
        } else {
            tv_set_str(row, "label", fd->label);
            tv_set_str(row, "value", shown(rq, pf, r, i));
        }
    }
}

static void show(http_req *rq, http_resp *rs)
{
    db_res *r = load_profile(rq, req_db(rq), 0);
    if (page_one_row(rq, rs, r) != 0) return;
    const profile_form *pf = form_of(rq);
    tv *ctx = profile_ctx(rq, NULL);
    tv_set_bool(ctx, "as_org", pf == &as_org);
    tv_set_str(ctx, "org_name", db_val(r, 0, "org_name"));
    tv_set_str(ctx, "email", db_val(r, 0, "email"));
    put_rows(rq, ctx, pf, r);
    page_render(rq, rs, "profile/show", ctx, "Mijn gegevens", NAV_MIJN);
}

/* ============================================================ the edit */

/* Where Aanpassen leads back to: an enrolment page that found data
 * missing sends the person here with ?terug=, and after storing they are
 * back there; any other target is ignored. NULL: Mijn gegevens. */
static const char *return_to(http_req *rq)
{
    const char *t = auth_safe_return(req_in(rq, "terug"), NULL);
    if (!t || strncmp(t, "/evenementen/", 13) != 0) return NULL;
    size_t n = strlen(t);
    return n > 12 && strcmp(t + n - 12, "/inschrijven") == 0 ? t : NULL;
}

/* Why a sent form is shown again filled from the database. */
typedef enum stale { FRESH, SWITCHED, INCOMPLETE } stale;

static void edit_form(http_req *rq, http_resp *rs, const wf_values *v, stale why)
{
    tv *ctx = profile_ctx(rq, "Aanpassen");
    webform_put(rq, ctx, &form_of(rq)->form, v);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "context", auth_form_context(rq));
    tv_set_bool(ctx, "switched", why == SWITCHED);
    tv_set_bool(ctx, "incomplete", why == INCOMPLETE);
    tv_set_bool(ctx, "as_org", auth_user(rq)->org_id != 0);
    tv_set_str(ctx, "org_name", auth_user(rq)->org_name);
    tv_set_str(ctx, "terug", return_to(rq));
    page_render(rq, rs, "profile/edit", ctx, "Mijn gegevens aanpassen", NAV_MIJN);
    /* a form that does not say for whom it was made is refused like the
     * organisation's forms are; one from before a switch is plain news */
    rs->status = why == INCOMPLETE ? 409 : 200;
}

/* The form filled from the database. */
static void edit_fresh(http_req *rq, http_resp *rs, stale why)
{
    db_res *r = load_profile(rq, req_db(rq), 0);
    if (page_one_row(rq, rs, r) != 0) return;
    const profile_form *pf = form_of(rq);
    wf_values *v = webform_values(rq->a, &pf->form);
    for (size_t i = 0; i < pf->form.n; i++)
        v->shown[i] = shown(rq, pf, r, i);
    edit_form(rq, rs, v, why);
}

static void edit_get(http_req *rq, http_resp *rs)
{
    edit_fresh(rq, rs, FRESH);
}

/* Half an address is no address: once one part is given, all are. */
static void whole_address(wf_values *v, const webform *f)
{
    static const struct {
        const char *name, *missing;
    } parts[] = {
        {"straat", "Vul ook de straat in."},
        {"huisnummer", "Vul ook het huisnummer in."},
        {"postcode", "Vul ook de postcode in."},
        {"woonplaats", "Vul ook de woonplaats in."},
    };
    enum { N = sizeof parts / sizeof parts[0] };
    int at[N], given = 0;
    for (int i = 0; i < N; i++) {
        if ((at[i] = webform_index(f, parts[i].name)) < 0) return;
        if (v->value[at[i]] || v->error[at[i]]) given = 1;
    }
    for (int i = 0; given && i < N; i++)
        if (!v->value[at[i]] && !v->error[at[i]])
            webform_fail(v, f, parts[i].name, parts[i].missing);
}

/* Field i as stored: NULL for an empty birth date (a date column), "" for
 * other empty text. */
static const char *stored(const webform *f, const wf_values *v, size_t i)
{
    if (v->value[i]) return v->value[i];
    return f->fields[i].check == WF_BIRTH ? NULL : "";
}

typedef struct profile_change {
    http_req *rq;
    const profile_form *pf;
    const wf_values *v;
} profile_change;

enum { GONE = 1 }; /* the membership ended meanwhile */

/* UPDATE of the form's table, columns from the form description (never
 * from the request), scoped by the session. */
static int update_row(http_req *rq, db_conn *c, const profile_change *ch)
{
    const auth_ctx *u = auth_user(rq);
    const webform *f = &ch->pf->form;
    const char **p = arena_alloc(rq->a, (f->n + 2) * sizeof *p);
    buf sql;
    buf_init(&sql, rq->a, 512);
    buf_puts(&sql, ch->pf->membership ? "UPDATE memberships SET " : "UPDATE persons SET ");
    for (size_t i = 0; i < f->n; i++) {
        buf_printf(&sql, "%s%s = $%zu", i ? ", " : "", ch->pf->columns[i], i + 1);
        p[i] = stored(f, ch->v, i);
    }
    size_t n = f->n;
    if (ch->pf->membership) {
        buf_printf(&sql, " WHERE person_id = $%zu AND organisation_id = $%zu AND active = 1", n + 1,
                   n + 2);
        p[n] = num(rq, u->person_id);
        p[n + 1] = num(rq, u->org_id);
    } else {
        buf_printf(&sql, ", updated_at = $%zu WHERE id = $%zu", n + 1, n + 2);
        p[n] = now_str(rq);
        p[n + 1] = num(rq, u->person_id);
    }
    return db_query(c, rq->a, NULL, sql.data, (int)n + 2, p) == 1 ? 0 : -1;
}

/* The change as one transaction (db_tx): the row, a person_history row for
 * every changed address part, an audit row. Nothing changed, nothing
 * written. */
static int store_profile(db_conn *c, arena *a, void *arg)
{
    const profile_change *ch = arg;
    http_req *rq = ch->rq;
    const auth_ctx *u = auth_user(rq);
    const webform *f = &ch->pf->form;
    db_res *old = load_profile(rq, c, 1);
    if (!old) return -1;
    if (old->nrows != 1) return GONE;
    audit_entry e;
    audit_begin(&e, a, u->person_id, rq->client_ip, "gegevens_gewijzigd", u->email);
    e.person_id = u->person_id;
    e.org_id = u->org_id;
    for (size_t i = 0; i < f->n; i++) {
        const char *col = ch->pf->columns[i];
        const char *before = db_val(old, 0, col), *after = stored(f, ch->v, i);
        if (same(before, after)) continue;
        audit_field(&e, f->fields[i].name, before, after);
        if (f->fields[i].group == G_ADDRESS &&
            profile_record_history(rq, c, u->person_id, col, before, after) != 0)
            return -1;
    }
    if (!e.nchanges) return 0;
    if (update_row(rq, c, ch) != 0) return -1;
    if (u->org_id) e.detail = arena_printf(a, "namens organisatie %lld", u->org_id);
    return audit_write(c, a, &e);
}

static void edit_post(http_req *rq, http_resp *rs)
{
    /* A form made for organisation A must not land in B's membership (or
     * in the private data) after a switch in another tab. */
    const char *made_for = req_in(rq, "context");
    if (!made_for || strcmp(made_for, auth_form_context(rq)) != 0) {
        edit_fresh(rq, rs, made_for ? SWITCHED : INCOMPLETE);
        return;
    }
    const profile_form *pf = form_of(rq);
    wf_values *v = webform_read(rq, &pf->form);
    whole_address(v, &pf->form);
    if (v->nerrors) {
        edit_form(rq, rs, v, FRESH);
        return;
    }
    profile_change ch = {rq, pf, v};
    int rc = db_tx(req_db(rq), rq->a, store_profile, &ch);
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc == GONE) {
        page_error(rq, rs, 404);
        return;
    }
    flash_set(rq, rs, "gegevens-opgeslagen");
    const char *back = return_to(rq);
    resp_redirect(rs, rq->a, 303, back ? back : "/mijn/gegevens");
}

static const field_spec show_fields[] = {
    {NULL, 0, 0, 0},
};

static const field_spec edit_get_fields[] = {
    {"terug", IN_QUERY, FK_LINE, 300},
    {NULL, 0, 0, 0},
};

/* Both forms' fields (the name fields are in both) and the context; filled
 * from the form descriptions when the routes are registered. */
#define N_PERSON (sizeof person_fields / sizeof person_fields[0])
#define N_ORG_ONLY (sizeof org_fields / sizeof org_fields[0] - 3)
static field_spec edit_fields[N_PERSON + N_ORG_ONLY + 3];

static const route routes[] = {
    {"GET", "/mijn/gegevens", show, show_fields, RF_LOGIN},
    {"GET", "/mijn/gegevens/aanpassen", edit_get, edit_get_fields, RF_LOGIN},
    {"POST", "/mijn/gegevens/aanpassen", edit_post, edit_fields, RF_LOGIN},
};

void profile_data_routes(router *r)
{
    static const field_spec context[] = {
        {"context", IN_FORM, FK_SLUG, 20}, {"terug", IN_FORM, FK_LINE, 300}, {NULL, 0, 0, 0}};
    static const webform org_only = {org_fields + 3, N_ORG_ONLY};
    field_spec extra[N_ORG_ONLY + 3];
    if (webform_spec_for(r, &org_only, context, extra, N_ORG_ONLY + 3) != 0 ||
        webform_spec_for(r, &as_person.form, extra, edit_fields, N_PERSON + N_ORG_ONLY + 3) != 0)
        return;
    router_add_all(r, routes);
}
