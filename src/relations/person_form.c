/* person_form.c - Nieuwe persoon (/beheer/personen/nieuw) and Gegevens
 * aanpassen (/beheer/personen/<id>/bewerken). One form for both: name,
 * contact data and address of the person themself (the persons row, not
 * the name an organisation knows them by). A new person may have no
 * address (then no login), and with one may get the activation mail at
 * once. An address change is kept in the person's history as Mijn gegevens
 * keeps it; every change is one audit line with old and new per field. */
#include "account/account.h"
#include "auth/audit.h"
#include "auth/session.h"
#include "core/timeutil.h"
#include "people/people.h"
#include "relations/internal.h"
#include "relations/store.h"
#include "web/flash.h"

static const char G_NAME[] = "Naam", G_CONTACT[] = "Contact", G_ADDRESS[] = "Adres";

static const wf_field person_fields[] = {
    {"voornaam", "Voornaam", WF_NAME, 100, "Vul de voornaam in.", NULL, NULL, 0, G_NAME},
    {"tussenvoegsel", "Tussenvoegsel", WF_NAME, 30, NULL, "Bijvoorbeeld: van, de, van der", NULL,
     10, G_NAME},
    {"achternaam", "Achternaam", WF_NAME, 100, "Vul de achternaam in.", NULL, NULL, 0, G_NAME},
    {"email", "E-mailadres", WF_EMAIL, 254, NULL,
     "Ook de gebruikersnaam om in te loggen. Zonder e-mailadres kan de persoon niet inloggen en "
     "krijgt hij of zij geen e-mail.",
     NULL, 0, G_CONTACT},
    {"telefoon", "Telefoon", WF_PHONE, 30, NULL, "Bijvoorbeeld 06 12345678 of 0223-611310", NULL,
     20, G_CONTACT},
    {"geboortedatum", "Geboortedatum", WF_BIRTH, 10, NULL, "dd-mm-jjjj, bijvoorbeeld 17-05-1980",
     NULL, 10, G_CONTACT},
    {"straat", "Straat", WF_LINE, 100, NULL, NULL, NULL, 0, G_ADDRESS},
    {"huisnummer", "Huisnummer", WF_HOUSE, 20, NULL,
     "Met eventuele toevoeging, bijvoorbeeld 12a of 12-2", NULL, 7, G_ADDRESS},
    {"postcode", "Postcode", WF_POSTCODE, 10, NULL, "Bijvoorbeeld 1234 AB", NULL, 7, G_ADDRESS},
    {"woonplaats", "Woonplaats", WF_NAME, 80, NULL, NULL, NULL, 0, G_ADDRESS},
};
static const webform person_form = WEBFORM(person_fields);
static const char *const person_columns[] = {
    "first_name", "infix",  "last_name",    "email",    "phone",
    "birth_date", "street", "house_number", "postcode", "city"};
#define N_FIELDS ((int)(sizeof person_fields / sizeof person_fields[0]))

enum { F_FIRST, F_INFIX, F_LAST, F_EMAIL };

#define MSG_EMAIL_TAKEN "Er is al een persoon met dit e-mailadres."
#define MSG_EMAIL_NEEDED "Vul een e-mailadres in om een uitnodiging te sturen."
#define MSG_EMAIL_KEEP                                                                             \
    "Deze persoon heeft een account en logt in met het e-mailadres; het kan niet leeg blijven."

/* Field i as stored: NULL for an empty birth date (a date column), "" for
 * other empty text. */
static const char *stored(const wf_values *v, int i)
{
    if (v->value[i]) return v->value[i];
    return person_fields[i].check == WF_BIRTH ? NULL : "";
}

/* Half an address is no address: once one part is given, all are. */
static void whole_address(wf_values *v)
{
    static const char *const missing[] = {"Vul ook de straat in.", "Vul ook het huisnummer in.",
                                          "Vul ook de postcode in.", "Vul ook de woonplaats in."};
    int first = webform_index(&person_form, "straat"), given = 0;
    for (int i = 0; i < 4; i++)
        if (v->value[first + i] || v->error[first + i]) given = 1;
    for (int i = 0; given && i < 4; i++)
        if (!v->value[first + i] && !v->error[first + i])
            webform_fail(v, &person_form, person_fields[first + i].name, missing[i]);
}

/* The page with the form: new (id NULL) or the edit of person id. */
static void form_page(http_req *rq, http_resp *rs, const char *id, const char *name,
                      const wf_values *v, int invite, const char *existing, int status)
{
    const char *here = id ? "Gegevens aanpassen" : "Nieuwe persoon";
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Beheer", "/beheer");
    page_crumb(rq, ctx, "Personen", PERSONS_PATH);
    if (id) page_crumb(rq, ctx, name, arena_printf(rq->a, PERSONS_PATH "/%s", id));
    page_crumb(rq, ctx, here, NULL);
    webform_put(rq, ctx, &person_form, v);
    tv_set_str(ctx, "heading", id ? arena_printf(rq->a, "Gegevens aanpassen: %s", name) : here);
    tv_set_bool(ctx, "is_new", !id);
    tv_set_bool(ctx, "uitnodigen", invite);
    tv_set_str(ctx, "action",
               id ? arena_printf(rq->a, PERSONS_PATH "/%s/bewerken", id) : PERSONS_PATH "/nieuw");
    tv_set_str(ctx, "back_href", id ? arena_printf(rq->a, PERSONS_PATH "/%s", id) : PERSONS_PATH);
    tv_set_str(ctx, "existing_href",
               existing ? arena_printf(rq->a, PERSONS_PATH "/%s", existing) : NULL);
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "beheer/person_form", ctx, here, NAV_BEHEER);
    rs->status = status;
}

/* ============================================================ the new */

static void new_get(http_req *rq, http_resp *rs)
{
    form_page(rq, rs, NULL, NULL, webform_values(rq->a, &person_form), 1, NULL, 200);
}

typedef struct person_new_tx {
    http_req *rq;
    const wf_values *v;
    int invite;
    long long id; /* out: the new person, or the one who has the address */
} person_new_tx;

enum { EMAIL_TAKEN = 1, GONE, EMAIL_KEEP };

static int store_new(db_conn *c, arena *a, void *arg)
{
    person_new_tx *t = arg;
    const wf_values *v = t->v;
    person_new p = {v->value[F_FIRST], v->value[F_INFIX], v->value[F_LAST], v->value[F_EMAIL], 0};
    person_found who;
    if (people_find_or_create(c, a, &p, &who) != 0) return -1;
    t->id = who.id;
    if (!who.created) return EMAIL_TAKEN;
    const char *id = rel_num(a, who.id), *vals[N_FIELDS];
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "persoon_aangemaakt",
                people_full_name(a, p.first_name, p.infix, p.last_name));
    e.person_id = who.id;
    for (int i = 0; i < N_FIELDS; i++) {
        vals[i] = stored(v, i);
        audit_field(&e, person_fields[i].name, "", vals[i]);
    }
    if (rel_person_update(c, a, id, person_columns, vals, N_FIELDS) != 0) return -1;
    if (t->invite) {
        if (!account_send_link(c, a, t->rq->app, who.id, "activatie")) return -1;
        audit_field(&e, "uitnodiging", "", "verstuurd");
    }
    return audit_write(c, a, &e);
}

static void new_post(http_req *rq, http_resp *rs)
{
    wf_values *v = webform_read(rq, &person_form);
    int invite = req_in(rq, "uitnodigen") != NULL;
    whole_address(v);
    if (invite && !v->value[F_EMAIL] && !v->error[F_EMAIL])
        webform_fail(v, &person_form, "email", MSG_EMAIL_NEEDED);
    if (v->nerrors) {
        form_page(rq, rs, NULL, NULL, v, invite, NULL, 200);
        return;
    }
    person_new_tx t = {rq, v, invite, 0};
    int rc = db_tx(req_db(rq), rq->a, store_new, &t);
    if (rc == EMAIL_TAKEN) {
        webform_fail(v, &person_form, "email", MSG_EMAIL_TAKEN);
        form_page(rq, rs, NULL, NULL, v, invite, rel_num(rq->a, t.id), 409);
        return;
    }
    if (rc != 0) {
        page_db_error(rq, rs);
        return;
    }
    if (invite) rel_kick_mailer(rq);
    flash_set(rq, rs, invite ? "persoon-uitgenodigd" : "persoon-aangemaakt");
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, PERSONS_PATH "/%lld", t.id));
}

/* =========================================================== the edit */

/* Column i of a person's row as the form shows it. */
static const char *shown(http_req *rq, const db_res *p, int i)
{
    const char *val = db_val(p, 0, person_columns[i]);
    if (person_fields[i].check == WF_BIRTH) return val && *val ? date_nl(rq->a, val) : "";
    return val ? val : "";
}

static void edit_get(http_req *rq, http_resp *rs)
{
    const char *id = rel_path_id(rq, "id");
    db_res *p = id ? rel_person(req_db(rq), rq->a, id, 0) : NULL;
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    if (page_one_row(rq, rs, p) != 0) return;
    wf_values *v = webform_values(rq->a, &person_form);
    for (int i = 0; i < N_FIELDS; i++)
        v->shown[i] = shown(rq, p, i);
    form_page(rq, rs, id, people_full_name_of(rq->a, p, 0), v, 0, NULL, 200);
}

typedef struct person_edit_tx {
    http_req *rq;
    const char *id;
    const wf_values *v;
    const char *name;     /* out: the name before */
    const char *existing; /* out: who has the address already */
} person_edit_tx;

/* Someone else with this address (id in *other), 0 when nobody, -1. */
static int address_taken(db_conn *c, arena *a, const char *email, const char *id,
                         const char **other)
{
    db_res *r = NULL;
    if (!email || !*email) return 0;
    if (db_q(c, a, &r,
             "SELECT id FROM persons WHERE lower(email) = lower($1) AND email <> '' AND id <> $2",
             email, id) < 0)
        return -1;
    if (r->nrows) *other = db_val(r, 0, "id");
    return r->nrows > 0;
}

/* A corrected address: a link sent to the old one (an activation with a
 * typo in it) must not open the account, and whoever is logged in as the
 * person logs in again; as when the person changes it in Mijn gegevens.
 * Unsent mail with a link is dropped by the sender, which mints a link only
 * while the address is still the person's. */
static int readdressed(person_edit_tx *t, db_conn *c, arena *a, const db_res *old,
                       const char *email)
{
    const char *now = arena_printf(a, "%lld", (long long)clock_now());
    if (db_q(c, a, NULL,
             "UPDATE account_tokens SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL", now,
             t->id) < 0 ||
        auth_end_sessions(c, a, db_int(old, 0, "id"), 0) != 0)
        return -1;
    return rel_history_add(c, a, t->id, auth_user(t->rq)->person_id, "email",
                           db_val(old, 0, "email"), email);
}

static int store_edit(db_conn *c, arena *a, void *arg)
{
    person_edit_tx *t = arg;
    const auth_ctx *u = auth_user(t->rq);
    db_res *old = rel_person(c, a, t->id, 1);
    if (!old) return -1;
    if (old->nrows != 1) return GONE;
    t->name = people_full_name_of(a, old, 0);
    const char *email = stored(t->v, F_EMAIL);
    if (!*email && db_int(old, 0, "has_password")) return EMAIL_KEEP;
    int taken = address_taken(c, a, email, t->id, &t->existing);
    if (taken) return taken < 0 ? -1 : EMAIL_TAKEN;
    audit_entry e;
    audit_begin(&e, a, u->person_id, t->rq->client_ip, "persoon_gewijzigd", t->name);
    e.person_id = db_int(old, 0, "id");
    const char *vals[N_FIELDS];
    for (int i = 0; i < N_FIELDS; i++) {
        const char *before = db_val(old, 0, person_columns[i]);
        vals[i] = stored(t->v, i);
        if (rel_same(before, vals[i])) continue;
        audit_field(&e, person_fields[i].name, before, vals[i]);
        if (person_fields[i].group == G_ADDRESS &&
            rel_history_add(c, a, t->id, u->person_id, person_columns[i], before, vals[i]) != 0)
            return -1;
    }
    if (!e.nchanges) return 0;
    if (rel_person_update(c, a, t->id, person_columns, vals, N_FIELDS) != 0)
        return db_errkind_of(c) == DB_ERR_UNIQUE ? EMAIL_TAKEN : -1;
    if (!rel_same(db_val(old, 0, "email"), email) && readdressed(t, c, a, old, email) != 0)
        return -1;
    return audit_write(c, a, &e);
}

static void edit_post(http_req *rq, http_resp *rs)
{
    const char *id = rel_path_id(rq, "id");
    if (!id) {
        page_error(rq, rs, 404);
        return;
    }
    wf_values *v = webform_read(rq, &person_form);
    whole_address(v);
    person_edit_tx t = {rq, id, v, NULL, NULL};
    if (v->nerrors) {
        db_res *p = rel_person(req_db(rq), rq->a, id, 0);
        if (page_one_row(rq, rs, p) != 0) return;
        form_page(rq, rs, id, people_full_name_of(rq->a, p, 0), v, 0, NULL, 200);
        return;
    }
    int rc = db_tx(req_db(rq), rq->a, store_edit, &t);
    switch (rc) {
    case 0:
        flash_set(rq, rs, "opgeslagen");
        resp_redirect(rs, rq->a, 303, arena_printf(rq->a, PERSONS_PATH "/%s", id));
        return;
    case GONE:
        page_error(rq, rs, 404);
        return;
    case EMAIL_TAKEN:
    case EMAIL_KEEP:
        webform_fail(v, &person_form, "email",
                     rc == EMAIL_TAKEN ? MSG_EMAIL_TAKEN : MSG_EMAIL_KEEP);
        form_page(rq, rs, id, t.name, v, 0, t.existing, 409);
        return;
    default:
        page_db_error(rq, rs);
    }
}

#define N_INPUTS (sizeof person_fields / sizeof person_fields[0] + 2)
static field_spec new_inputs[N_INPUTS], edit_inputs[N_INPUTS];

static const route routes[] = {
    {"GET", PERSONS_PATH "/nieuw", new_get, NULL, RF_STAFF},
    {"POST", PERSONS_PATH "/nieuw", new_post, new_inputs, RF_STAFF},
    {"GET", PERSONS_PATH "/:id/bewerken", edit_get, NULL, RF_STAFF},
    {"POST", PERSONS_PATH "/:id/bewerken", edit_post, edit_inputs, RF_STAFF},
};

void rel_person_form_routes(router *r)
{
    static const field_spec invite[] = {{"uitnodigen", IN_FORM, FK_CHECKBOX, 10}, {NULL, 0, 0, 0}};
    if (webform_spec_for(r, &person_form, invite, new_inputs, N_INPUTS) != 0 ||
        webform_spec_for(r, &person_form, NULL, edit_inputs, N_INPUTS) != 0)
        return;
    router_add_all(r, routes);
}
