/* data.c - Mijn gegevens: /mijn/gegevens and /mijn/gegevens/aanpassen.
 *
 * What a person may change follows the context chosen now: acting as
 * person, their private data (persons); acting for an organisation, the
 * name that organisation knows them by and the employee data of that one
 * membership. Every write is scoped by the session's person and
 * organisation, never by an id from the form. */
#include "profile/internal.h"

#include "auth/audit.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/log.h"
#include "core/nlvalid.h"
#include "web/flash.h"

/* =========================================================== the data */

enum { CTX_PERSON = 1, CTX_ORG = 2 };

typedef enum check_kind {
    CK_LINE, /* what the input filter allows */
    CK_NAME,
    CK_HOUSE,
    CK_POSTCODE,
    CK_PHONE,
    CK_BIRTH,
    CK_EMAIL,
} check_kind;

typedef enum section {
    SEC_NAME,
    SEC_ADDRESS,
    SEC_CONTACT,
    SEC_EMPLOYEE,
    SEC_COUNT,
} section;

typedef struct pfield {
    const char *name;   /* form field (contract) */
    const char *label;  /* as on screen */
    const char *column; /* persons.<column>, or memberships.<column> for SEC_EMPLOYEE */
    unsigned ctx;       /* CTX_PERSON and/or CTX_ORG */
    section sec;
    check_kind check;
    int max; /* bytes; also the input filter's limit */
    const char *type, *autocomplete, *hint;
    const char *required; /* message when left empty; NULL: optional */
    const char *also;     /* message when the rest of the address is filled */
    int history;          /* its changes go to person_history */
} pfield;

static const pfield fields[] = {
    {"voornaam", "Voornaam", "first_name", CTX_PERSON | CTX_ORG, SEC_NAME, CK_NAME, 100, "text",
     "given-name", NULL, "Vul uw voornaam in.", NULL, 0},
    {"tussenvoegsel", "Tussenvoegsel", "infix", CTX_PERSON | CTX_ORG, SEC_NAME, CK_NAME, 30, "text",
     NULL, "Bijvoorbeeld: van, de, van der", NULL, NULL, 0},
    {"achternaam", "Achternaam", "last_name", CTX_PERSON | CTX_ORG, SEC_NAME, CK_NAME, 100, "text",
     "family-name", NULL, "Vul uw achternaam in.", NULL, 0},
    {"straat", "Straat", "street", CTX_PERSON, SEC_ADDRESS, CK_LINE, 100, "text", NULL, NULL, NULL,
     "Vul ook de straat in.", 1},
    {"huisnummer", "Huisnummer", "house_number", CTX_PERSON, SEC_ADDRESS, CK_HOUSE, 20, "text",
     NULL, "Met eventuele toevoeging, bijvoorbeeld 12a of 12-2", NULL, "Vul ook het huisnummer in.",
     1},
    {"postcode", "Postcode", "postcode", CTX_PERSON, SEC_ADDRESS, CK_POSTCODE, 10, "text",
     "postal-code", "Bijvoorbeeld 1234 AB", NULL, "Vul ook de postcode in.", 1},
    {"woonplaats", "Woonplaats", "city", CTX_PERSON, SEC_ADDRESS, CK_NAME, 80, "text",
     "address-level2", NULL, NULL, "Vul ook de woonplaats in.", 1},
    {"telefoon", "Telefoon", "phone", CTX_PERSON, SEC_CONTACT, CK_PHONE, 30, "tel", "tel",
     "Bijvoorbeeld 06 12345678 of 0223-611310", NULL, NULL, 0},
    {"geboortedatum", "Geboortedatum", "birth_date", CTX_PERSON, SEC_CONTACT, CK_BIRTH, 10, "text",
     "bday", "dd-mm-jjjj, bijvoorbeeld 17-05-1980", NULL, NULL, 0},
    {"functie", "Functie", "job_title", CTX_ORG, SEC_EMPLOYEE, CK_LINE, 100, "text",
     "organization-title", NULL, NULL, NULL, 0},
    {"afdeling", "Afdeling", "department", CTX_ORG, SEC_EMPLOYEE, CK_LINE, 100, "text", NULL, NULL,
     NULL, NULL, 0},
    {"telefoon_werk", "Telefoon werk", "work_phone", CTX_ORG, SEC_EMPLOYEE, CK_PHONE, 30, "tel",
     "work tel", NULL, NULL, NULL, 0},
    {"email_werk", "E-mail werk", "work_email", CTX_ORG, SEC_EMPLOYEE, CK_EMAIL, 254, "email",
     "work email", NULL, NULL, NULL, 0},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static const char *const section_titles[SEC_COUNT] = {"Naam", "Adres", "Contact",
                                                      "Gegevens als medewerker"};

static unsigned context_of(const http_req *rq)
{
    return auth_user(rq)->org_id ? CTX_ORG : CTX_PERSON;
}

/* The context a form was made for, sent back in its hidden field
 * "context": "persoon" or the organisation's id. Compared only, never used
 * to choose what to write. */
static const char *context_token(http_req *rq)
{
    long long org = auth_user(rq)->org_id;
    return org ? num(rq, org) : "persoon";
}

static int in_context(const pfield *f, unsigned ctx)
{
    return (f->ctx & ctx) != 0;
}

/* Acting for an organisation, the name is the one the organisation knows
 * the person by, kept on the membership; the person's own name stays as it
 * is. So in that context the name fields live in memberships too. */
static int on_membership(const pfield *f, unsigned cx)
{
    return f->sec == SEC_EMPLOYEE || (cx == CTX_ORG && f->sec == SEC_NAME);
}

static const char *column_of(http_req *rq, const pfield *f, unsigned cx)
{
    return cx == CTX_ORG && f->sec == SEC_NAME ? arena_printf(rq->a, "contact_%s", f->column)
                                               : f->column;
}

/* The person's data for this context: the columns of `fields` plus email
 * (and org_name when acting for an organisation). lock: inside a write
 * transaction, keep others off the rows until commit (PostgreSQL; SQLite's
 * BEGIN IMMEDIATE already does). NULL on a database error; no row means the
 * membership ended a moment ago. */
static db_res *load_profile(http_req *rq, db_conn *c, int lock)
{
    const auth_ctx *u = auth_user(rq);
    int pg = lock && db_conn_kind(c) == DB_POSTGRES;
    db_res *r = NULL;
    int rc;
    if (u->org_id)
        rc = db_q(c, rq->a, &r,
                  arena_printf(rq->a,
                               "SELECT m.contact_first_name AS first_name,"
                               " m.contact_infix AS infix, m.contact_last_name AS last_name,"
                               " p.email, m.job_title, m.department, m.work_phone, m.work_email,"
                               " o.name AS org_name FROM persons p"
                               " JOIN memberships m ON m.person_id = p.id"
                               " JOIN organisations o ON o.id = m.organisation_id"
                               " WHERE p.id = $1 AND m.organisation_id = $2 AND m.active = 1%s",
                               pg ? " FOR UPDATE OF p, m" : ""),
                  num(rq, u->person_id), num(rq, u->org_id));
    else
        rc = db_q(c, rq->a, &r,
                  arena_printf(rq->a,
                               "SELECT first_name, infix, last_name, email, street, house_number,"
                               " postcode, city, phone, birth_date FROM persons WHERE id = $1%s",
                               pg ? " FOR UPDATE" : ""),
                  num(rq, u->person_id));
    return rc < 0 ? NULL : r;
}

/* A stored value as the form shows it. */
static const char *shown(http_req *rq, const pfield *f, const db_res *r)
{
    const char *v = db_val(r, 0, f->column);
    if (f->check == CK_BIRTH && v) return date_nl(rq->a, v);
    return v ? v : "";
}

/* ============================================================ the view */

static void show(http_req *rq, http_resp *rs)
{
    db_conn *c = req_db(rq);
    db_res *r = load_profile(rq, c, 0);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }
    if (r->nrows != 1) {
        page_error(rq, rs, 404);
        return;
    }
    unsigned cx = context_of(rq);
    tv *ctx = profile_ctx(rq, NULL);
    tv_set_bool(ctx, "as_org", cx == CTX_ORG);
    tv_set_str(ctx, "org_name", db_val(r, 0, "org_name"));
    tv_set_str(ctx, "email", db_val(r, 0, "email"));
    tv *secs = tv_set_list(ctx, "sections");
    for (int s = 0; s < SEC_COUNT; s++) {
        tv *sec = NULL, *list = NULL;
        for (size_t i = 0; i < NFIELDS; i++) {
            const pfield *f = &fields[i];
            if ((int)f->sec != s || !in_context(f, cx)) continue;
            if (!sec) {
                sec = tv_push_obj(secs);
                tv_set_str(sec, "heading", section_titles[s]);
                list = tv_set_list(sec, "rows");
            }
            tv *row = tv_push_obj(list);
            tv_set_str(row, "label", f->label);
            tv_set_str(row, "value", shown(rq, f, r));
        }
    }
    page_render(rq, rs, "profile/show", ctx, "Mijn gegevens", NAV_MIJN);
}

/* ============================================================ the edit */

/* One field of the form as the person sent it: the value to store, the
 * value to show again, and what is wrong with it. */
typedef struct sent_field {
    const char *store; /* normal form; NULL: empty */
    const char *typed; /* as typed, for the form */
    const char *error;
} sent_field;

/* Checks one non-empty value; NULL and its normal form in *out, or the
 * Dutch message. */
static const char *check_value(http_req *rq, const pfield *f, const char *v, const char **out)
{
    *out = v;
    switch (f->check) {
    case CK_LINE:
        return NULL;
    case CK_EMAIL: /* the input filter checked the shape */
        *out = lower(rq->a, v);
        return NULL;
    case CK_NAME:
        return nl_name(rq->a, v, (size_t)f->max, out);
    case CK_HOUSE:
        return nl_house_number(rq->a, v, out);
    case CK_POSTCODE:
        return nl_postcode(rq->a, v, out);
    case CK_PHONE:
        return nl_phone(rq->a, v, out);
    case CK_BIRTH:
        return nl_birth_date(v, date_today_plus(rq->a, 0));
    }
    return NULL;
}

/* Reads and checks the fields of this context into sent[] (indexed like
 * fields[]); returns the number of errors. */
static int read_form(http_req *rq, unsigned cx, sent_field *sent)
{
    int errors = 0, address = 0;
    for (size_t i = 0; i < NFIELDS; i++) {
        const pfield *f = &fields[i];
        sent_field *s = &sent[i];
        if (!in_context(f, cx)) continue;
        s->typed = kv_get(&rq->form, f->name);
        s->error = filter_error(rq, f->name);
        const char *v = req_in(rq, f->name);
        if (f->sec == SEC_ADDRESS && (v || s->error)) address = 1;
        if (!s->error && v) s->error = check_value(rq, f, v, &s->store);
        if (!s->error && !v && f->required) s->error = f->required;
        if (s->error) errors++;
    }
    /* half an address is no address: all four parts, or none */
    for (size_t i = 0; address && i < NFIELDS; i++) {
        sent_field *s = &sent[i];
        if (fields[i].sec == SEC_ADDRESS && in_context(&fields[i], cx) && !s->error && !s->store) {
            s->error = fields[i].also;
            errors++;
        }
    }
    return errors;
}

/* The edit form: from the stored row r (GET), or as sent with its errors. */
static void edit_form(http_req *rq, http_resp *rs, const db_res *r, const sent_field *sent,
                      int nerrors, int switched)
{
    unsigned cx = context_of(rq);
    tv *ctx = profile_ctx(rq, "Aanpassen");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "context", context_token(rq));
    tv_set_bool(ctx, "switched", switched);
    tv_set_bool(ctx, "as_org", cx == CTX_ORG);
    tv_set_str(ctx, "org_name", auth_user(rq)->org_name);
    tv_set_bool(ctx, "failed", nerrors > 0);
    tv *problems = tv_set_list(ctx, "problems");
    tv *secs = tv_set_list(ctx, "sections");
    for (int s = 0; s < SEC_COUNT; s++) {
        tv *list = NULL;
        for (size_t i = 0; i < NFIELDS; i++) {
            const pfield *f = &fields[i];
            if ((int)f->sec != s || !in_context(f, cx)) continue;
            if (!list) {
                tv *sec = tv_push_obj(secs);
                tv_set_str(sec, "legend", section_titles[s]);
                list = tv_set_list(sec, "fields");
            }
            const char *error = sent ? sent[i].error : NULL;
            tv *fo = tv_push_obj(list);
            tv_set_str(fo, "name", f->name);
            tv_set_str(fo, "label", f->label);
            tv_set_str(fo, "type", f->type);
            tv_set_int(fo, "maxlen", f->max);
            tv_set_str(fo, "autocomplete", f->autocomplete);
            tv_set_str(fo, "hint", f->hint);
            tv_set_bool(fo, "required", f->required != NULL);
            tv_set_str(fo, "value", sent ? sent[i].typed : shown(rq, f, r));
            tv_set_str(fo, "error", error);
            tv_set_str(fo, "describedby",
                       described_by(rq, f->name, f->hint != NULL, error != NULL));
            if (error) {
                tv *p = tv_push_obj(problems);
                tv_set_str(p, "name", f->name);
                tv_set_str(p, "label", f->label);
                tv_set_str(p, "error", error);
            }
        }
    }
    page_render(rq, rs, "profile/edit", ctx, "Mijn gegevens aanpassen", NAV_MIJN);
}

/* The form filled from the database; switched: the form that was sent
 * belonged to another context (organisation chosen meanwhile). */
static void edit_fresh(http_req *rq, http_resp *rs, int switched)
{
    db_res *r = load_profile(rq, req_db(rq), 0);
    if (!r) {
        page_db_error(rq, rs);
        return;
    }
    if (r->nrows != 1) {
        page_error(rq, rs, 404);
        return;
    }
    edit_form(rq, rs, r, NULL, 0, switched);
}

static void edit_get(http_req *rq, http_resp *rs)
{
    edit_fresh(rq, rs, 0);
}

/* The value as stored: NULL for an empty birth date (a date column), ""
 * for other empty text. */
static const char *stored(const pfield *f, const sent_field *s)
{
    if (s->store) return s->store;
    return f->check == CK_BIRTH ? NULL : "";
}

/* UPDATE <table> SET <the context's columns of that table> WHERE <scope>:
 * the column names come from fields[], never from the request. */
static int update_table(http_req *rq, db_conn *c, unsigned cx, int employee, const sent_field *sent)
{
    const auth_ctx *u = auth_user(rq);
    const char *params[NFIELDS + 3];
    int n = 0;
    buf sql;
    buf_init(&sql, rq->a, 512);
    buf_puts(&sql, employee ? "UPDATE memberships SET " : "UPDATE persons SET ");
    for (size_t i = 0; i < NFIELDS; i++) {
        const pfield *f = &fields[i];
        if (!in_context(f, cx) || on_membership(f, cx) != employee) continue;
        buf_printf(&sql, "%s%s = $%d", n ? ", " : "", column_of(rq, f, cx), n + 1);
        params[n++] = stored(f, &sent[i]);
    }
    if (n == 0) return 0;
    if (employee) {
        buf_printf(&sql, " WHERE person_id = $%d AND organisation_id = $%d AND active = 1", n + 1,
                   n + 2);
        params[n++] = num(rq, u->person_id);
        params[n++] = num(rq, u->org_id);
    } else {
        buf_printf(&sql, ", updated_at = $%d WHERE id = $%d", n + 1, n + 2);
        params[n++] = now_str(rq);
        params[n++] = num(rq, u->person_id);
    }
    return db_query(c, rq->a, NULL, sql.data, n, params) == 1 ? 0 : -1;
}

typedef enum save_result { SAVE_OK, SAVE_GONE, SAVE_DB_ERROR } save_result;

/* Stores the checked fields in one transaction, with a person_history row
 * for every changed address part and an audit row. */
static save_result save(http_req *rq, const sent_field *sent)
{
    const auth_ctx *u = auth_user(rq);
    unsigned cx = context_of(rq);
    db_conn *c = req_db(rq);
    if (db_begin(c) != 0) return SAVE_DB_ERROR;
    db_res *old = load_profile(rq, c, 1);
    if (!old || old->nrows != 1) {
        db_rollback(c);
        return old ? SAVE_GONE : SAVE_DB_ERROR;
    }
    buf changed;
    buf_init(&changed, rq->a, 128);
    int person_changed = 0, employee_changed = 0;
    for (size_t i = 0; i < NFIELDS; i++) {
        const pfield *f = &fields[i];
        if (!in_context(f, cx)) continue;
        const char *before = db_val(old, 0, f->column), *after = stored(f, &sent[i]);
        if (same(before, after)) continue;
        buf_printf(&changed, "%s%s", changed.len ? ", " : "", f->name);
        if (on_membership(f, cx))
            employee_changed = 1;
        else
            person_changed = 1;
        if (f->history &&
            profile_record_history(rq, c, u->person_id, f->column, before, after) != 0)
            goto fail;
    }
    if (!changed.len) { /* nothing to store */
        db_rollback(c);
        return SAVE_OK;
    }
    if ((person_changed && update_table(rq, c, cx, 0, sent) != 0) ||
        (employee_changed && update_table(rq, c, cx, 1, sent) != 0))
        goto fail;
    const char *detail = u->org_id
                             ? arena_printf(rq->a, "%s (organisatie %lld)", changed.data, u->org_id)
                             : changed.data;
    if (audit_log(c, rq->a, u->person_id, rq->client_ip, "gegevens_gewijzigd", u->email, detail) !=
            0 ||
        db_commit(c) != 0)
        goto fail;
    return SAVE_OK;
fail:
    db_rollback(c);
    return SAVE_DB_ERROR;
}

static void edit_post(http_req *rq, http_resp *rs)
{
    /* A form made for organisation A must not land in B's membership (or
     * in the private data) after a switch in another tab. */
    const char *made_for = req_in(rq, "context");
    if (made_for && strcmp(made_for, context_token(rq)) != 0) {
        edit_fresh(rq, rs, 1);
        return;
    }
    sent_field sent[NFIELDS];
    memset(sent, 0, sizeof sent);
    int nerrors = read_form(rq, context_of(rq), sent);
    if (nerrors) {
        edit_form(rq, rs, NULL, sent, nerrors, 0);
        return;
    }
    switch (save(rq, sent)) {
    case SAVE_OK:
        flash_set(rq, rs, "gegevens-opgeslagen");
        resp_redirect(rs, rq->a, 303, "/mijn/gegevens");
        return;
    case SAVE_GONE:
        page_error(rq, rs, 404);
        return;
    case SAVE_DB_ERROR:
        page_db_error(rq, rs);
        return;
    }
}

static const field_spec show_fields[] = {
    {NULL, 0, 0, 0},
};

/* Kinds and limits as in fields[]; nlvalid does the finer checks. */
static const field_spec edit_fields[] = {
    {"voornaam", IN_FORM, FK_LINE, 100},
    {"tussenvoegsel", IN_FORM, FK_LINE, 30},
    {"achternaam", IN_FORM, FK_LINE, 100},
    {"straat", IN_FORM, FK_LINE, 100},
    {"huisnummer", IN_FORM, FK_LINE, 20},
    {"postcode", IN_FORM, FK_LINE, 10},
    {"woonplaats", IN_FORM, FK_LINE, 80},
    {"telefoon", IN_FORM, FK_LINE, 30},
    {"geboortedatum", IN_FORM, FK_DATE, 10},
    {"functie", IN_FORM, FK_LINE, 100},
    {"afdeling", IN_FORM, FK_LINE, 100},
    {"telefoon_werk", IN_FORM, FK_LINE, 30},
    {"email_werk", IN_FORM, FK_EMAIL, 254},
    {"context", IN_FORM, FK_SLUG, 20},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/mijn/gegevens", show, show_fields, RF_LOGIN},
    {"GET", "/mijn/gegevens/aanpassen", edit_get, NULL, RF_LOGIN},
    {"POST", "/mijn/gegevens/aanpassen", edit_post, edit_fields, RF_LOGIN},
};

void profile_data_routes(router *r)
{
    router_add_all(r, routes);
}
