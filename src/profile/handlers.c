/* handlers.c - Mijn gegevens (J6): /mijn/gegevens (+ /aanpassen), the login
 * email change (/mijn/gegevens/email, confirmed by a link to the new
 * address) and Wachtwoord wijzigen (/mijn/wachtwoord).
 *
 * What a person may change follows the context chosen now: acting as
 * person, their private data (persons); acting for an organisation, the
 * name that organisation knows them by and the employee data of that one
 * membership. Every write is scoped
 * by the session's person and organisation, never by an id from the form.
 *
 * Password checks and hashes (Argon2id) run off the request threads with
 * req_defer(), as in account/handlers.c. */
#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "app.h"
#include "auth/audit.h"
#include "auth/device.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/log.h"
#include "core/nlvalid.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "mail/mail.h"
#include "profile/profile.h"
#include "web/mailtmpl.h"
#include "web/flash.h"
#include "web/page.h"

#define EMAIL_CHANGE_SECONDS (24 * 3600)

/* The refusal names the wait: used where brake()'s answer is at hand as
 * `blocked`, the seconds to wait. */
#define MSG_LOCKED locked_message(rq, blocked)
#define MSG_WRONG_PASSWORD "Het wachtwoord is niet juist."

static const char *num(http_req *rq, long long v)
{
    return arena_printf(rq->a, "%lld", v);
}

static const char *now_str(http_req *rq)
{
    return num(rq, (long long)clock_now());
}

static char *lower(arena *a, const char *s)
{
    char *l = arena_strdup(a, s ? s : "");
    for (char *p = l; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

static int same(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") == 0;
}

static void kick_mailer(http_req *rq)
{
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
}

/* The crumbs every page here starts with. */
static tv *profile_ctx(http_req *rq, const char *here)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Mijn Onderwijsgroep", "/mijn");
    page_crumb(rq, ctx, "Mijn gegevens", here ? "/mijn/gegevens" : NULL);
    if (here) page_crumb(rq, ctx, here, NULL);
    return ctx;
}

/* The message the input filter left for a field, or NULL. */
static const char *filter_error(const http_req *rq, const char *name)
{
    return kv_get(&rq->errors, name);
}

/* "naam-hint naam-fout" for aria-describedby, or NULL when neither. */
static const char *described_by(http_req *rq, const char *name, int hint, int error)
{
    if (hint && error) return arena_printf(rq->a, "%s-hint %s-fout", name, name);
    if (hint) return arena_printf(rq->a, "%s-hint", name);
    if (error) return arena_printf(rq->a, "%s-fout", name);
    return NULL;
}

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

/* One person_history row: the person changed their own data. */
static int record_history(http_req *rq, db_conn *c, long long person, const char *field,
                          const char *old_value, const char *new_value)
{
    const char *id = num(rq, person);
    return db_q(c, rq->a, NULL,
                "INSERT INTO person_history (person_id, changed_at, changed_by, field, old_value,"
                " new_value) VALUES ($1, $2, $1, $3, $4, $5)",
                id, now_str(rq), field, old_value ? old_value : "", new_value ? new_value : "") < 0
               ? -1
               : 0;
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
        if (f->history && record_history(rq, c, u->person_id, f->column, before, after) != 0)
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

/* ================================================ password check (deferred) */

/* Checks the current password and, when it is right and a new one is
 * given, hashes the new one: both Argon2id steps in one job. */
typedef struct pw_job {
    const char *current;  /* as typed */
    const char *hash;     /* stored, may be NULL */
    const char *new_pass; /* NULL: only check */
    const char *email;    /* the new address (email change) */
    char new_hash[PASSWORD_HASH_MAX];
    int ok;            /* the current password is right */
    int rc;            /* password_hash's result */
    long long attempt; /* the brake's row for this try */
} pw_job;

static void pw_job_run(void *arg)
{
    pw_job *j = arg;
    j->ok = password_verify(j->current, j->hash);
    j->rc = j->ok && j->new_pass ? password_hash(j->new_pass, j->new_hash) : 0;
}

static const char *locked_message(http_req *rq, int wait)
{
    return arena_printf(rq->a,
                        "Te veel mislukte pogingen met een verkeerd wachtwoord. Probeer het over "
                        "%s opnieuw.",
                        rl_wait_text(rq->a, wait));
}

/* The brake, the same as at Inloggen: the seconds to wait when this device,
 * account or address has guessed too often (the caller answers with
 * MSG_LOCKED), 0 to go on with the attempt taken in *attempt, -1 after a
 * database error (answer sent). The attempt is recorded before the check
 * runs, so guesses sent at once count each other; a browser the person
 * logged in from before is judged on its own failures only. */
static int brake(http_req *rq, http_resp *rs, long long *attempt)
{
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    long long device = device_for_person(rq, u->person_id);
    int wait = device < 0 ? -1
                          : rl_take(c, rq->a, RL_LOGIN, &(rl_who){u->email, rq->client_ip, device},
                                    attempt);
    if (wait < 0) {
        page_db_error(rq, rs);
    } else if (wait > 0) {
        if (rl_audit_refusal(c, rq->a, "login_geblokkeerd", u->email))
            audit_log(c, rq->a, u->person_id, rq->client_ip, "login_geblokkeerd", u->email,
                      "Mijn gegevens");
        resp_header(rs, rq->a, "Retry-After", num(rq, wait));
    }
    return wait;
}

/* Hands the check to the worker pool (or answers a database error); the
 * handler returns right after either way. */
static void start_check(http_req *rq, http_resp *rs, pw_job *j)
{
    db_res *r;
    if (db_q(req_db(rq), rq->a, &r, "SELECT password_hash FROM persons WHERE id = $1",
             num(rq, auth_user(rq)->person_id)) < 0) {
        page_db_error(rq, rs);
        return;
    }
    j->hash = r->nrows == 1 ? db_val(r, 0, "password_hash") : NULL;
    req_defer(rq, pw_job_run, j);
}

/* A wrong current password counts as a failed login: its attempt (taken
 * by brake) is settled as a failure; a right one is forgotten. */
static void count_failure(http_req *rq, long long attempt, const char *action)
{
    const auth_ctx *u = auth_user(rq);
    rl_fail(req_db(rq), rq->a, attempt);
    audit_log(req_db(rq), rq->a, u->person_id, rq->client_ip, action, u->email, "");
}

/* ====================================================== email change */

typedef struct email_view {
    const char *email_error, *password_error;
    const char *sent_to; /* set after the link was sent */
} email_view;

static void email_form(http_req *rq, http_resp *rs, int status, const email_view *v)
{
    tv *ctx = profile_ctx(rq, "E-mailadres wijzigen");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "current", auth_user(rq)->email);
    tv_set_str(ctx, "sent_to", v->sent_to);
    tv_set_str(ctx, "new_email", kv_get(&rq->form, "email"));
    tv_set_str(ctx, "email_error", v->email_error);
    tv_set_str(ctx, "password_error", v->password_error);
    tv_set_str(ctx, "email_describedby", described_by(rq, "email", 1, v->email_error != NULL));
    tv_set_bool(ctx, "failed", v->email_error || v->password_error);
    page_render(rq, rs, "profile/email", ctx, "E-mailadres wijzigen", NAV_MIJN);
    rs->status = status;
}

static void email_get(http_req *rq, http_resp *rs)
{
    email_form(rq, rs, 200, &(email_view){0});
}

/* The new address's problem, or NULL; -1 in *dberr on a database error. */
static const char *email_problem(http_req *rq, const char *email, int *dberr)
{
    const auth_ctx *u = auth_user(rq);
    if (strcmp(email, u->email) == 0)
        return "Dit is al uw e-mailadres. Vul een ander e-mailadres in.";
    db_res *r;
    if (db_q(req_db(rq), rq->a, &r, "SELECT id FROM persons WHERE email = $1 AND id <> $2", email,
             num(rq, u->person_id)) < 0) {
        *dberr = -1;
        return NULL;
    }
    if (r->nrows > 0)
        return "Dit e-mailadres is al in gebruik bij een ander account. Kies een ander "
               "e-mailadres of neem contact op met de administratie.";
    return NULL;
}

static void email_start(http_req *rq, http_resp *rs)
{
    email_view v = {filter_error(rq, "email"), filter_error(rq, "wachtwoord"), NULL};
    const char *email = req_in(rq, "email");
    const char *pw = req_in(rq, "wachtwoord");
    if (!v.email_error && !email) v.email_error = "Vul uw nieuwe e-mailadres in.";
    if (!v.password_error && !pw) v.password_error = "Vul uw huidige wachtwoord in.";
    if (!v.email_error) email = lower(rq->a, email);
    if (v.email_error || v.password_error) {
        email_form(rq, rs, 200, &v);
        return;
    }
    /* whether the address is taken is told only after the password check,
     * so this page cannot be used to probe for accounts */
    long long attempt;
    int blocked = brake(rq, rs, &attempt);
    if (blocked) {
        if (blocked > 0) email_form(rq, rs, 429, &(email_view){NULL, MSG_LOCKED, NULL});
        return;
    }
    pw_job *j = arena_zalloc(rq->a, sizeof *j);
    j->current = pw;
    j->email = email;
    j->attempt = attempt;
    start_check(rq, rs, j);
}

/* Enqueues the confirmation email to the new address, on the caller's
 * transaction. It carries a link request for a token that holds the new
 * address: the sender mints it on delivery (voiding older ones), so no
 * usable link is stored. */
static int send_email_link(http_req *rq, db_conn *c, const char *email)
{
    const auth_ctx *u = auth_user(rq);
    tv *ctx = tv_obj(rq->a);
    tv_set_str(ctx, "first_name", u->first_name);
    tv_set_str(ctx, "new_email", email);
    tv_set_str(ctx, "link", MAIL_LINK_MARKER);
    tv_set_str(ctx, "subject", "Bevestig uw nieuwe e-mailadres - Klantportal Mijn Onderwijsgroep");
    mail_msg m;
    if (mail_render(rq->app->tmpl, rq->a, "email_change", ctx, &m) != 0) {
        log_error("mailtemplate 'email_change' ontbreekt");
        return -1;
    }
    mail_link l = {"email", u->person_id, email, EMAIL_CHANGE_SECONDS,
                   "/mijn/gegevens/email/bevestigen"};
    m.to_address = email;
    m.to_name = u->name ? u->name : "";
    m.link = &l;
    return mail_enqueue(c, rq->a, &m) > 0 ? 0 : -1;
}

static void email_finish(http_req *rq, http_resp *rs, pw_job *j)
{
    const auth_ctx *u = auth_user(rq);
    if (!j->ok) {
        count_failure(rq, j->attempt, "email_wijzigen_mislukt");
        email_form(rq, rs, 200, &(email_view){NULL, MSG_WRONG_PASSWORD, NULL});
        return;
    }
    db_conn *c = req_db(rq);
    int dberr = 0;
    const char *problem = email_problem(rq, j->email, &dberr);
    if (dberr || rl_forget(c, rq->a, j->attempt) != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (problem) {
        email_form(rq, rs, 200, &(email_view){problem, NULL, NULL});
        return;
    }
    if (db_begin(c) != 0 || send_email_link(rq, c, j->email) != 0 ||
        audit_log(c, rq->a, u->person_id, rq->client_ip, "email_wijziging_aangevraagd", u->email,
                  j->email) != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    kick_mailer(rq);
    email_form(rq, rs, 200, &(email_view){NULL, NULL, j->email});
}

static void email_post(http_req *rq, http_resp *rs)
{
    if (rq->resumed)
        email_finish(rq, rs, rq->defer_arg);
    else
        email_start(rq, rs);
}

/* -------------------------------------------------- the link's landing */

typedef enum confirm_state { CONFIRM_DONE, CONFIRM_TAKEN, CONFIRM_INVALID } confirm_state;

static void confirm_page(http_req *rq, http_resp *rs, confirm_state st, const char *email)
{
    static const int status[] = {200, 409, 410};
    static const char *const titles[] = {"E-mailadres gewijzigd", "E-mailadres al in gebruik",
                                         "Link ongeldig"};
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "E-mailadres bevestigen", NULL);
    tv_set_bool(ctx, "done", st == CONFIRM_DONE);
    tv_set_bool(ctx, "taken", st == CONFIRM_TAKEN);
    tv_set_bool(ctx, "invalid", st == CONFIRM_INVALID);
    tv_set_str(ctx, "email", email);
    tv_set_bool(ctx, "logged_in", auth_user(rq) != NULL);
    page_render(rq, rs, "profile/email_confirm", ctx, titles[st], NULL);
    rs->status = status[st];
}

/* Keeps the remembered username (Inloggen's prefill) in step when this
 * browser remembers the person whose address changed. */
static void update_remembered(http_req *rq, http_resp *rs, long long person, const char *email)
{
    const auth_ctx *u = auth_user(rq);
    if (!u || u->person_id != person || !auth_cookie_get(rq, "kp_gebruiker")) return;
    buf b;
    buf_init(&b, rq->a, 64);
    buf_url(&b, email);
    auth_cookie(rq, rs, "kp_gebruiker", b.data, REMEMBER_SECONDS);
}

/* "j***@example.nl": enough for the owner of the old address to recognise
 * the change, without handing the whole new address to whoever reads the
 * old mailbox. */
static const char *mask_email(arena *a, const char *email)
{
    const char *at = strchr(email, '@');
    if (!at || at == email) return "***";
    return arena_printf(a, "%.*s***%s", 1, email, at);
}

/* The old address hears of the change: if someone else made it (with a
 * stolen session or password), its owner learns of it. No link needed. */
static int notify_old_address(http_req *rq, db_conn *c, const db_res *p, const char *new_email)
{
    const char *infix = db_val(p, 0, "infix");
    tv *ctx = tv_obj(rq->a);
    tv_set_str(ctx, "first_name", db_val(p, 0, "first_name"));
    tv_set_str(ctx, "masked_email", mask_email(rq->a, new_email));
    tv_set_str(ctx, "subject", "Uw e-mailadres is gewijzigd - Klantportal Mijn Onderwijsgroep");
    mail_msg m;
    if (mail_render(rq->app->tmpl, rq->a, "email_changed", ctx, &m) != 0) {
        log_error("mailtemplate 'email_changed' ontbreekt");
        return -1;
    }
    m.to_address = db_val(p, 0, "email");
    m.to_name = (infix && *infix) ? arena_printf(rq->a, "%s %s %s", db_val(p, 0, "first_name"),
                                                 infix, db_val(p, 0, "last_name"))
                                  : arena_printf(rq->a, "%s %s", db_val(p, 0, "first_name"),
                                                 db_val(p, 0, "last_name"));
    return mail_enqueue(c, rq->a, &m) > 0 ? 0 : -1;
}

/* A changed address ends every session and remember-me token of the
 * person, except this session when it is theirs: whoever may have had the
 * account open elsewhere must log in again with the new username. */
static int end_other_sessions(http_req *rq, db_conn *c, long long person)
{
    const auth_ctx *u = auth_user(rq);
    long long keep = (u && u->person_id == person) ? u->session_id : 0;
    const char *id = num(rq, person);
    if (db_q(c, rq->a, NULL, "DELETE FROM sessions WHERE person_id = $1 AND id <> $2", id,
             num(rq, keep)) < 0 ||
        db_q(c, rq->a, NULL, "DELETE FROM remember_tokens WHERE person_id = $1", id) < 0)
        return -1;
    return 0;
}

/* In one transaction: uses up the token (one statement, so the link works
 * once however often it is clicked), checks the address is still free and
 * stores it. */
static confirm_state confirm_email(http_req *rq, const char *token, long long *person,
                                   const char **email, int *dberr)
{
    db_conn *c = req_db(rq);
    const char *now = now_str(rq);
    db_res *t, *p;
    if (db_begin(c) != 0) goto fail;
    if (db_q(c, rq->a, &t,
             "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'email'"
             " AND used_at IS NULL AND expires_at > $1 RETURNING person_id, data",
             now, token_hash(rq->a, token)) < 0)
        goto fail;
    if (t->nrows != 1) {
        db_rollback(c);
        return CONFIRM_INVALID;
    }
    *person = db_int(t, 0, "person_id");
    *email = lower(rq->a, db_val(t, 0, "data"));
    const char *id = num(rq, *person);
    if (db_q(c, rq->a, &p,
             "SELECT email, blocked, first_name, infix, last_name FROM persons WHERE id = $1",
             id) < 0)
        goto fail;
    if (p->nrows != 1 || db_int(p, 0, "blocked")) {
        db_rollback(c);
        return CONFIRM_INVALID;
    }
    const char *old = db_val(p, 0, "email");
    db_res *other;
    if (db_q(c, rq->a, &other, "SELECT id FROM persons WHERE email = $1 AND id <> $2", *email, id) <
        0)
        goto fail;
    if (other->nrows > 0) {
        /* the link is spent either way: this address cannot become theirs */
        if (db_commit(c) != 0) goto fail;
        return CONFIRM_TAKEN;
    }
    if (db_q(c, rq->a, NULL, "UPDATE persons SET email = $1, updated_at = $2 WHERE id = $3", *email,
             now, id) != 1) {
        if (db_errkind_of(c) == DB_ERR_UNIQUE) { /* taken a moment ago */
            db_rollback(c);
            return CONFIRM_TAKEN;
        }
        goto fail;
    }
    /* links sent to the old address no longer open the account */
    if (db_q(c, rq->a, NULL,
             "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL"
             " AND kind IN ('reset', 'email')",
             now, id) < 0 ||
        end_other_sessions(rq, c, *person) != 0 || notify_old_address(rq, c, p, *email) != 0 ||
        record_history(rq, c, *person, "email", old, *email) != 0 ||
        audit_log(c, rq->a, *person, rq->client_ip, "email_gewijzigd", *email,
                  arena_printf(rq->a, "was %s", old)) != 0 ||
        db_commit(c) != 0)
        goto fail;
    return CONFIRM_DONE;
fail:
    db_rollback(c);
    *dberr = 1;
    return CONFIRM_INVALID;
}

static void email_confirm(http_req *rq, http_resp *rs)
{
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
    /* a link checker's HEAD must not use up the person's link */
    if (strcmp(rq->method, "HEAD") == 0) {
        resp_text(rs, 200, "");
        return;
    }
    const char *token = req_in(rq, "token");
    if (!token) {
        confirm_page(rq, rs, CONFIRM_INVALID, NULL);
        return;
    }
    long long person = 0;
    const char *email = NULL;
    int dberr = 0;
    confirm_state st = confirm_email(rq, token, &person, &email, &dberr);
    if (dberr) {
        page_db_error(rq, rs);
        return;
    }
    if (st == CONFIRM_DONE) update_remembered(rq, rs, person, email);
    confirm_page(rq, rs, st, email);
}

/* ==================================================== password change */

typedef struct pw_view {
    const char *current_error;
    const char *const *policy; /* messages for the new password */
    int npolicy;
    const char *confirm_error;
} pw_view;

static void password_form(http_req *rq, http_resp *rs, int status, const pw_view *v)
{
    tv *ctx = profile_ctx(rq, "Wachtwoord wijzigen");
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    tv_set_str(ctx, "current_error", v->current_error);
    tv_set_str(ctx, "confirm_error", v->confirm_error);
    if (v->npolicy > 0) {
        tv_set_bool(ctx, "has_errors", 1);
        tv *list = tv_set_list(ctx, "errors");
        for (int i = 0; i < v->npolicy; i++)
            tv_push(list, tv_str(rq->a, v->policy[i]));
    }
    tv_set_bool(ctx, "failed", v->current_error || v->npolicy > 0 || v->confirm_error);
    page_render(rq, rs, "profile/password", ctx, "Wachtwoord wijzigen", NAV_MIJN);
    rs->status = status;
}

static void password_get(http_req *rq, http_resp *rs)
{
    password_form(rq, rs, 200, &(pw_view){0});
}

/* The policy's view of the person: the infix counts with the last name. */
static policy_person policy_of(http_req *rq)
{
    const auth_ctx *u = auth_user(rq);
    const char *last = u->last_name;
    if (u->infix && *u->infix) last = arena_printf(rq->a, "%s %s", u->infix, u->last_name);
    return (policy_person){u->email, u->first_name, last};
}

static void password_start(http_req *rq, http_resp *rs)
{
    const char *current = req_in(rq, "huidig_wachtwoord");
    const char *pw = req_in(rq, "wachtwoord");
    const char *again = req_in(rq, "wachtwoord_bevestiging");
    const char **msgs = arena_zalloc(rq->a, POLICY_MAX_ERRORS * sizeof *msgs);
    pw_view v = {filter_error(rq, "huidig_wachtwoord"), msgs, 0,
                 filter_error(rq, "wachtwoord_bevestiging")};
    if (!v.current_error && !current) v.current_error = "Vul uw huidige wachtwoord in.";
    if (filter_error(rq, "wachtwoord")) {
        msgs[v.npolicy++] = filter_error(rq, "wachtwoord");
    } else if (!pw) {
        msgs[v.npolicy++] = "Vul een nieuw wachtwoord in.";
    } else {
        policy_person who = policy_of(rq);
        v.npolicy = policy_check(pw, &who, msgs);
        if (v.npolicy == 0 && current && strcmp(pw, current) == 0)
            msgs[v.npolicy++] = "Kies een ander wachtwoord dan uw huidige.";
    }
    if (!v.confirm_error && !again)
        v.confirm_error = "Vul het nieuwe wachtwoord nogmaals in.";
    else if (!v.confirm_error && pw && strcmp(pw, again) != 0)
        v.confirm_error = "De wachtwoorden zijn niet gelijk.";
    if (v.current_error || v.npolicy || v.confirm_error) {
        password_form(rq, rs, 200, &v);
        return;
    }
    long long attempt;
    int blocked = brake(rq, rs, &attempt);
    if (blocked) {
        if (blocked > 0) password_form(rq, rs, 429, &(pw_view){MSG_LOCKED, NULL, 0, NULL});
        return;
    }
    pw_job *j = arena_zalloc(rq->a, sizeof *j);
    j->current = current;
    j->new_pass = pw;
    j->attempt = attempt;
    start_check(rq, rs, j);
}

/* Stores the new hash and ends every other session and every remember-me
 * token of the person, keeping this session. */
static int store_password(http_req *rq, const char *hash)
{
    const auth_ctx *u = auth_user(rq);
    db_conn *c = req_db(rq);
    const char *id = num(rq, u->person_id), *now = now_str(rq);
    if (db_begin(c) != 0) return -1;
    if (db_q(c, rq->a, NULL, "UPDATE persons SET password_hash = $1, updated_at = $2 WHERE id = $3",
             hash, now, id) != 1 ||
        db_q(c, rq->a, NULL, "DELETE FROM sessions WHERE person_id = $1 AND id <> $2", id,
             num(rq, u->session_id)) < 0 ||
        db_q(c, rq->a, NULL, "DELETE FROM remember_tokens WHERE person_id = $1", id) < 0 ||
        /* a reset link asked for earlier would set yet another password */
        db_q(c, rq->a, NULL,
             "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND kind = 'reset'"
             " AND used_at IS NULL",
             now, id) < 0 ||
        audit_log(c, rq->a, u->person_id, rq->client_ip, "wachtwoord_gewijzigd", u->email,
                  "via Mijn gegevens") != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        return -1;
    }
    return 0;
}

static void password_finish(http_req *rq, http_resp *rs, pw_job *j)
{
    if (!j->ok) {
        count_failure(rq, j->attempt, "wachtwoord_wijzigen_mislukt");
        password_form(rq, rs, 200, &(pw_view){MSG_WRONG_PASSWORD, NULL, 0, NULL});
        return;
    }
    if (j->rc != 0) {
        page_error(rq, rs, 500);
        return;
    }
    if (rl_forget(req_db(rq), rq->a, j->attempt) != 0 || store_password(rq, j->new_hash) != 0) {
        page_db_error(rq, rs);
        return;
    }
    sodium_memzero(j->new_hash, sizeof j->new_hash);
    /* this browser's remember-me token is gone with the others */
    if (auth_cookie_get(rq, "kp_onthoud")) auth_cookie(rq, rs, "kp_onthoud", "", 0);
    flash_set(rq, rs, "wachtwoord-gewijzigd");
    resp_redirect(rs, rq->a, 303, "/mijn/gegevens");
}

static void password_post(http_req *rq, http_resp *rs)
{
    if (rq->resumed)
        password_finish(rq, rs, rq->defer_arg);
    else
        password_start(rq, rs);
}

/* ============================================================= routes */

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

static const field_spec email_fields[] = {
    {"email", IN_FORM, FK_EMAIL, 254},
    {"wachtwoord", IN_FORM, FK_TEXT, 256},
    {NULL, 0, 0, 0},
};

static const field_spec confirm_fields[] = {
    {"token", IN_QUERY, FK_TOKEN, 100},
    {NULL, 0, 0, 0},
};

static const field_spec password_fields[] = {
    {"huidig_wachtwoord", IN_FORM, FK_TEXT, 256},
    {"wachtwoord", IN_FORM, FK_TEXT, 256},
    {"wachtwoord_bevestiging", IN_FORM, FK_TEXT, 256},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/mijn/gegevens", show, show_fields, RF_LOGIN},
    {"GET", "/mijn/gegevens/aanpassen", edit_get, NULL, RF_LOGIN},
    {"POST", "/mijn/gegevens/aanpassen", edit_post, edit_fields, RF_LOGIN},
    {"GET", "/mijn/gegevens/email", email_get, NULL, RF_LOGIN},
    {"POST", "/mijn/gegevens/email", email_post, email_fields, RF_LOGIN},
    {"GET", "/mijn/gegevens/email/bevestigen", email_confirm, confirm_fields, RF_NO_LOG_QUERY},
    {"GET", "/mijn/wachtwoord", password_get, NULL, RF_LOGIN},
    {"POST", "/mijn/wachtwoord", password_post, password_fields, RF_LOGIN},
};

void profile_routes(router *r)
{
    router_add_all(r, routes);
}
