/* signup.c - a bezoeker signs up for an event without an account: the form
 * on the enrolment page, the mail "Bevestig uw aanmelding", the landing
 * page /inschrijvingen/aanmelding?sleutel=… and the confirmation link
 * /inschrijvingen/bevestigen?token=….
 *
 * A sign-up is stored as a registration without a person (the typed data
 * in its applicant_ columns); it creates no login and no person: the
 * administratie processes it later. It takes a seat (or a waiting-list
 * place) at once but holds it only for SIGNUP_HOLD_HOURS unless the
 * address is confirmed through the mailed link (lapse.c lets the rest
 * lapse), so made-up sign-ups do not fill an event. The sign-up never
 * looks at persons, so the answer is the same whether the address has an
 * account or not. Sign-ups are braked per typed address and per client
 * address (auth/ratelimit.h). */
#include <string.h>

#include "auth/audit.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/buf.h"
#include "core/names.h"
#include "core/timeutil.h"
#include "enrolment/hold.h"
#include "enrolment/internal.h"
#include "enrolment/store.h"
#include "mail/mail.h"
#include "mail/render.h"

#define SIGNUP_HOLD_HOURS 24

static const char G_NAME[] = "Naam", G_CONTACT[] = "Contact", G_ADDRESS[] = "Adres",
                  G_ORG[] = "Betaalt uw organisatie? (niet verplicht)";

/* clang-format off */
#define SIGNUP_FIELDS(birth_required)                                                              \
    {"voornaam", "Voornaam", WF_NAME, 100, "Vul uw voornaam in.", NULL, "given-name", 0, G_NAME},  \
    {"tussenvoegsel", "Tussenvoegsel", WF_NAME, 30, NULL, "Bijvoorbeeld: van, de, van der", NULL,  \
     10, G_NAME},                                                                                  \
    {"achternaam", "Achternaam", WF_NAME, 100, "Vul uw achternaam in.", NULL, "family-name", 0,    \
     G_NAME},                                                                                      \
    {"email", "E-mailadres", WF_EMAIL, 254, "Vul uw e-mailadres in.",                              \
     "Hierheen sturen wij de link waarmee u uw aanmelding bevestigt.", "email", 0, G_CONTACT},     \
    {"telefoon", "Telefoon", WF_PHONE, 30, "Vul uw telefoonnummer in.",                            \
     "Bijvoorbeeld 06 12345678 of 0223-611310", "tel", 20, G_CONTACT},                            \
    {"geboortedatum", "Geboortedatum", WF_BIRTH, 10, birth_required,                               \
     "dd-mm-jjjj, bijvoorbeeld 17-05-1980", "bday", 10, G_CONTACT},                                \
    {"straat", "Straat", WF_LINE, 100, "Vul uw straat in.", NULL, "address-line1", 0, G_ADDRESS},  \
    {"huisnummer", "Huisnummer", WF_HOUSE, 20, "Vul uw huisnummer in.",                            \
     "Met eventuele toevoeging, bijvoorbeeld 12a of 12-2", NULL, 7, G_ADDRESS},                    \
    {"postcode", "Postcode", WF_POSTCODE, 10, "Vul uw postcode in.", "Bijvoorbeeld 1234 AB",       \
     "postal-code", 7, G_ADDRESS},                                                                 \
    {"woonplaats", "Woonplaats", WF_NAME, 80, "Vul uw woonplaats in.", NULL, "address-level2", 0,  \
     G_ADDRESS},                                                                                   \
    {"organisatie", "Naam organisatie", WF_LINE, 200, NULL,                                        \
     "Betaalt uw werkgever de cursus? Vul dan de organisatie en haar factuuradres in; de "         \
     "administratie stuurt de factuur daarheen.", "organization", 0, G_ORG},                       \
    {"factuuradres", "Factuuradres", WF_TEXT, 500, NULL,                                           \
     "Straat en huisnummer, postcode en plaats; eventueel een afdeling of ter attentie van.",      \
     NULL, 0, G_ORG}
/* clang-format on */

/* One form per course kind: the date of birth is required only where the
 * course asks for it. The names, checks and limits are the same, so the
 * route declares the inputs once. */
static const wf_field signup_fields[] = {SIGNUP_FIELDS(NULL)};
static const wf_field signup_birth_fields[] = {
    SIGNUP_FIELDS("Vul uw geboortedatum in: deze cursus vraagt die.")};
static const webform signup_form = WEBFORM(signup_fields);
static const webform signup_birth_form = WEBFORM(signup_birth_fields);

_Static_assert(sizeof signup_fields / sizeof signup_fields[0] == ENROL_SIGNUP_INPUTS,
               "ENROL_SIGNUP_INPUTS counts the sign-up form's fields");

int enrol_signup_spec(router *r, const field_spec *extra, field_spec *out, size_t cap)
{
    return webform_spec_for(r, &signup_form, extra, out, cap);
}

static const webform *form_of(const db_res *ev)
{
    return db_int(ev, 0, "requires_birth_date") ? &signup_birth_form : &signup_form;
}

/* The normal form of a field, NULL when empty. */
static const char *typed(const webform *f, const wf_values *v, const char *name)
{
    int i = webform_index(f, name);
    return i < 0 ? NULL : v->value[i];
}

int enrol_signup_put(http_req *rq, tv *ctx, const db_res *ev, const enrol_signup *s)
{
    const webform *f = form_of(ev);
    webform_put(rq, ctx, f, s ? s->v : NULL);
    tv_set_bool(ctx, "can_submit", db_int(ev, 0, "open") != 0);
    long long price = db_int(ev, 0, "price_cents");
    if (price > 0) {
        tv_set_bool(ctx, "terms", 1);
        tv_set_bool(ctx, "terms_signup", 1);
        tv_set_str(ctx, "terms_version", ENROL_TERMS_VERSION);
        tv_set_str(ctx, "amount", money_nl(rq->a, price));
        if (s && req_in(rq, "voorwaarden")) tv_set_bool(ctx, "terms_checked", 1);
    }
    if (!s) return 0;
    tv_set_str(ctx, "terms_error", s->terms_error);
    if (s->error) tv_set_str(ctx, "error", s->error);
    /* page_render says "Fout:" itself when a field has a message */
    return (s->error || s->terms_error) && !(s->v && s->v->nerrors);
}

/* ------------------------------------------------------------ storing */

typedef struct signup_tx {
    http_req *rq;
    const db_res *ev;
    const char *name;          /* the participant, as typed */
    const char *confirm_token; /* for the mail's link */
    enrol_applicant ap;
    enrol_req q;
    enrol_result res;
} signup_tx;

/* "Bevestig uw aanmelding", with the link in the message itself. The
 * outbox's mail_link (a token minted when the mail goes out, so no usable
 * link is stored) does not fit: its tokens and its checks before sending
 * belong to a person (account_tokens.person_id, "is this still the
 * person's address"), and a bezoeker has no person. So the token's
 * SHA-256 is on the registration and the link is in the stored message.
 * What that link can do is small: confirm this one sign-up within its 24
 * hours (after that, or once confirmed, it changes nothing); it opens no
 * account and shows no data that the message does not already hold. */
static int mail_confirm(db_conn *c, arena *a, const signup_tx *t)
{
    const app *ap = t->rq->app;
    const db_res *ev = t->ev;
    tv *ctx = tv_obj(a);
    tv_set_str(ctx, "subject", "Bevestig uw aanmelding - Onderwijsgroep");
    tv_set_str(ctx, "first_name", t->ap.first_name);
    tv_set_str(ctx, "course", db_val(ev, 0, "course_name"));
    tv_set_str(ctx, "event", db_val(ev, 0, "name"));
    tv_set_str(ctx, "when",
               enrol_when(a, db_val(ev, 0, "starts_on"), db_val(ev, 0, "ends_on"),
                          db_val(ev, 0, "start_time"), db_val(ev, 0, "end_time")));
    tv_set_str(ctx, "location", db_val(ev, 0, "location"));
    tv_set_str(ctx, "participant", t->name);
    tv_set_str(ctx, "invoice_to", t->ap.org_name ? t->ap.org_name : t->name);
    tv_set_str(ctx, "price", enrol_price_text(a, t->res.price_cents));
    tv_set_bool(ctx, "waitlisted", t->res.waitlisted);
    tv_set_int(ctx, "position", t->res.position);
    tv_set_int(ctx, "hours", SIGNUP_HOLD_HOURS);
    tv_set_str(ctx, "link",
               arena_printf(a, "%s/inschrijvingen/bevestigen?token=%s", ap->cfg.base_url,
                            t->confirm_token));
    mail_msg m;
    if (mail_render(ap->tmpl, a, "signup_confirm", ctx, &m) != 0) return -1;
    m.to_address = t->ap.email;
    m.to_name = t->name;
    return mail_enqueue(c, a, &m) > 0 ? 0 : -1;
}

/* The registration, the confirmation link's hash, the audit line and the
 * mail: one transaction. */
static int store_signup(db_conn *c, arena *a, void *arg)
{
    signup_tx *t = arg;
    int rc = enrolment_enrol(c, a, &t->q, &t->res);
    if (rc != 0) return rc;
    const char *id = arena_printf(a, "%lld", t->res.id);
    if (hold_set_confirm(c, a, t->res.id, token_hash(a, t->confirm_token)) != 0 ||
        audit_log(c, a, 0, t->rq->client_ip,
                  t->res.waitlisted ? "aanmelding_wachtlijst" : "aanmelding", id,
                  arena_printf(a, "evenement %s, formulier zonder account%s", t->q.event_id,
                               t->ap.org_name ? ", factuur aan een organisatie" : "")) != 0)
        return -1;
    return mail_confirm(c, a, t);
}

/* Takes one sign-up from the brake. 0: go ahead; > 0: the seconds to wait
 * (Retry-After set, the refusal audited at most once a minute); -1. */
static int brake(http_req *rq, http_resp *rs, const char *email)
{
    db_conn *c = req_db(rq);
    long long id;
    int wait = rl_take(c, rq->a, RL_SIGNUP, &(rl_who){email, rq->client_ip, 0}, &id);
    if (wait <= 0) return wait;
    char ip[RL_ADDRESS_MAX];
    rl_address_key(rq->client_ip, ip, sizeof ip);
    if (rl_audit_refusal(c, rq->a, "aanmelding_geblokkeerd", ip) &&
        audit_log(c, rq->a, 0, rq->client_ip, "aanmelding_geblokkeerd", ip, "") != 0)
        return -1;
    resp_header(rs, rq->a, "Retry-After", arena_printf(rq->a, "%d", wait));
    return wait;
}

static const char *refusal(int rc)
{
    switch (rc) {
    case ENROL_FULL:
        return "Dit evenement is intussen vol. U kunt een plaats op de wachtlijst nemen: komt er "
               "een plaats vrij, dan wordt de eerste op de wachtlijst ingeschreven.";
    /* Said plainly rather than hidden behind the usual answer: the places
     * shown on every event page tell anyone whether a sign-up took one, so
     * pretending would hide nothing, and the person who signed up before
     * learns where their link is. It says nothing about accounts (only
     * sign-ups without one count), and no second mail goes out. */
    case ENROL_TWICE:
        return "U heeft zich met dit e-mailadres al aangemeld voor dit evenement; kijk in uw "
               "e-mail. Daarin staat de link waarmee u uw aanmelding bevestigt. Er is geen "
               "tweede aanmelding gemaakt.";
    case ENROL_CLOSED:
        return "De inschrijving voor dit evenement is gesloten. Neem contact op met de "
               "administratie: 0223-611310.";
    default:
        return NULL;
    }
}

/* What the bezoeker typed, checked; the rules over several fields and the
 * terms on top of the form's own. */
static enrol_signup *read_signup(http_req *rq, const db_res *ev)
{
    const webform *f = form_of(ev);
    enrol_signup *s = arena_zalloc(rq->a, sizeof *s);
    s->v = webform_read(rq, f);
    /* a textarea is taken as typed: only blank lines is nothing */
    int ia = webform_index(f, "factuuradres");
    const char *ad = s->v->value[ia];
    if (ad && ad[strspn(ad, " \t\r\n")] == '\0') s->v->value[ia] = NULL;
    int org = typed(f, s->v, "organisatie") != NULL;
    int address = typed(f, s->v, "factuuradres") != NULL;
    if (org && !address)
        webform_fail(s->v, f, "factuuradres", "Vul het factuuradres van de organisatie in.");
    if (address && !org)
        webform_fail(s->v, f, "organisatie", "Vul ook de naam van de organisatie in.");
    if (!org && db_int(ev, 0, "price_cents") > 0 && !req_in(rq, "voorwaarden"))
        s->terms_error = "Ga akkoord met de algemene voorwaarden en annuleringsvoorwaarden om "
                         "u in te schrijven, of vul de organisatie in die de factuur betaalt.";
    s->status = s->v->nerrors || s->terms_error ? 422 : 0;
    return s;
}

enrol_signup *enrol_signup_post(http_req *rq, http_resp *rs, db_res **ev)
{
    const webform *f = form_of(*ev);
    enrol_signup *s = read_signup(rq, *ev);
    if (s->status) return s;
    const wf_values *v = s->v;
    int wait = brake(rq, rs, typed(f, v, "email"));
    if (wait < 0) {
        page_db_error(rq, rs);
        return NULL;
    }
    if (wait > 0) {
        s->error = arena_printf(rq->a,
                                "Er zijn vanaf uw adres te veel aanmeldingen verstuurd. Probeer "
                                "het over %s opnieuw. Er is niets opgeslagen.",
                                rl_wait_text(rq->a, wait));
        s->status = 429;
        return s;
    }
    const char *key = token_new(rq->a);
    signup_tx t = {.rq = rq, .ev = *ev, .confirm_token = token_new(rq->a)};
    t.ap = (enrol_applicant){
        .first_name = typed(f, v, "voornaam"),
        .infix = typed(f, v, "tussenvoegsel"),
        .last_name = typed(f, v, "achternaam"),
        .email = typed(f, v, "email"),
        .street = typed(f, v, "straat"),
        .house_number = typed(f, v, "huisnummer"),
        .postcode = typed(f, v, "postcode"),
        .city = typed(f, v, "woonplaats"),
        .phone = typed(f, v, "telefoon"),
        .birth_date = typed(f, v, "geboortedatum"),
        .org_name = typed(f, v, "organisatie"),
        .invoice_address = typed(f, v, "factuuradres"),
        .access_hash = token_hash(rq->a, key),
        .hold_seconds = SIGNUP_HOLD_HOURS * 3600LL,
    };
    t.name = names_full(rq->a, t.ap.first_name, t.ap.infix, t.ap.last_name);
    t.q = (enrol_req){
        .event_id = db_val(*ev, 0, "id"),
        .terms = !t.ap.org_name && db_int(*ev, 0, "price_cents") > 0 ? ENROL_TERMS_VERSION : NULL,
        .waitlist = req_in(rq, "wachtlijst") != NULL,
        .today = date_today_plus(rq->a, 0),
        .applicant = &t.ap,
    };
    int rc = db_tx(req_db(rq), rq->a, store_signup, &t);
    if (rc < 0) {
        page_db_error(rq, rs);
        return NULL;
    }
    if (rc > 0) {
        if (!(s->error = refusal(rc))) {
            page_error(rq, rs, 404);
            return NULL;
        }
        /* show the event as it is now */
        db_res *now = enrolment_event(req_db(rq), rq->a, t.q.event_id, t.q.today);
        if (now && now->nrows == 1) *ev = now;
        s->status = 409;
        return s;
    }
    if (rq->app->mailer) mail_sender_kick(rq->app->mailer);
    resp_redirect(rs, rq->a, 303,
                  arena_printf(rq->a, "/inschrijvingen/aanmelding?sleutel=%s", key));
    return NULL;
}

/* ------------------------------------------- the landing page, the link */

static const char *name_of(arena *a, const db_res *r)
{
    return names_full(a, db_val(r, 0, "first_name"), db_val(r, 0, "infix"),
                      db_val(r, 0, "last_name"));
}

/* The sign-up behind a key or token in the query (which: "access" or
 * "confirm"), with its event's page context; NULL with *status 404 when
 * there is none, or 500. */
static db_res *find_signup(http_req *rq, const char *which, const char *secret, db_res **ev,
                           int *status)
{
    *status = 404;
    if (!secret) return NULL;
    db_res *r = hold_find(req_db(rq), rq->a, which, token_hash(rq->a, secret));
    if (!r || r->nrows != 1) {
        if (!r) *status = 500;
        return NULL;
    }
    *ev = enrolment_event(req_db(rq), rq->a, db_val(r, 0, "event_id"), date_today_plus(rq->a, 0));
    if (!*ev || (*ev)->nrows != 1) {
        if (!*ev) *status = 500;
        return NULL;
    }
    return r;
}

static void put_signup(http_req *rq, tv *ctx, const db_res *r, hold_state st)
{
    tv_set_str(ctx, "participant", name_of(rq->a, r));
    tv_set_str(ctx, "email", db_val(r, 0, "email"));
    tv_set_str(ctx, "org_name", db_val(r, 0, "org_name"));
    tv_set_int(ctx, "hours", SIGNUP_HOLD_HOURS);
    tv_set_bool(ctx, st == HOLD_OPEN ? "open" : st == HOLD_CONFIRMED ? "confirmed" : "lapsed", 1);
    if (strcmp(db_val(r, 0, "status"), "wachtlijst") == 0 && st != HOLD_LAPSED)
        tv_set_int(ctx, "position", db_int(r, 0, "position"));
}

/* /inschrijvingen/aanmelding?sleutel=…: what the bezoeker sees after
 * sending the form. The key is in the query, which the access log leaves
 * out for this route (the path it writes). */
static void landing_get(http_req *rq, http_resp *rs)
{
    db_res *ev = NULL;
    int status;
    db_res *r = find_signup(rq, "access", req_in(rq, "sleutel"), &ev, &status);
    if (!r) {
        if (status == 500)
            page_db_error(rq, rs);
        else
            page_error(rq, rs, 404);
        return;
    }
    tv *ctx = enrol_event_ctx(rq, ev, "Aanmelding ontvangen");
    put_signup(rq, ctx, r, hold_state_of(r, clock_now()));
    page_render(rq, rs, "enrolment/signup_received", ctx, "Aanmelding ontvangen", NULL);
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
}

/* The page of the mailed link: "ask" (a button, so a mail scanner that
 * opens every link confirms nothing), "done", "already", "lapsed" (410)
 * or "unknown" (404). */
static void link_page(http_req *rq, http_resp *rs, const char *state, const db_res *r,
                      const db_res *ev)
{
    tv *ctx = ev ? enrol_event_ctx(rq, ev, "Aanmelding bevestigen") : page_ctx(rq);
    if (!ev) page_crumb(rq, ctx, "Aanmelding bevestigen", NULL);
    tv_set_bool(ctx, state, 1);
    if (r) put_signup(rq, ctx, r, hold_state_of(r, clock_now()));
    tv_set_str(ctx, "token", req_in(rq, "token"));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "enrolment/signup_confirm", ctx, "Aanmelding bevestigen", NULL);
    /* the token is in the address: never pass it on to another site */
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
    if (strcmp(state, "lapsed") == 0) rs->status = 410;
    if (strcmp(state, "unknown") == 0) rs->status = 404;
}

static const char *state_name(hold_state st)
{
    return st == HOLD_OPEN ? "ask" : st == HOLD_CONFIRMED ? "already" : "lapsed";
}

static void confirm_link_get(http_req *rq, http_resp *rs)
{
    db_res *ev = NULL;
    int status;
    db_res *r = find_signup(rq, "confirm", req_in(rq, "token"), &ev, &status);
    if (!r) {
        if (status == 500)
            page_db_error(rq, rs);
        else
            link_page(rq, rs, "unknown", NULL, NULL);
        return;
    }
    link_page(rq, rs, state_name(hold_state_of(r, clock_now())), r, ev);
}

typedef struct confirm_tx {
    http_req *rq;
    const char *hash;
    int done;
} confirm_tx;

static int store_confirm(db_conn *c, arena *a, void *arg)
{
    confirm_tx *t = arg;
    long long promoted;
    t->done = hold_confirm(c, a, t->hash, clock_now(), &promoted);
    if (t->done <= 0) return t->done;
    if (promoted && enrol_mail_promoted(c, a, t->rq->app, promoted) != 0) return -1;
    db_res *r = hold_find(c, a, "confirm", t->hash);
    if (!r || r->nrows != 1) return -1;
    return audit_log(c, a, 0, t->rq->client_ip, "aanmelding_bevestigd", db_val(r, 0, "id"),
                     "via de link in de e-mail");
}

static void confirm_link_post(http_req *rq, http_resp *rs)
{
    const char *token = req_in(rq, "token");
    if (!token) {
        link_page(rq, rs, "unknown", NULL, NULL);
        return;
    }
    confirm_tx t = {.rq = rq, .hash = token_hash(rq->a, token)};
    if (db_tx(req_db(rq), rq->a, store_confirm, &t) < 0) {
        page_db_error(rq, rs);
        return;
    }
    db_res *ev = NULL;
    int status;
    db_res *r = find_signup(rq, "confirm", token, &ev, &status);
    if (!r) {
        if (status == 500)
            page_db_error(rq, rs);
        else
            link_page(rq, rs, "unknown", NULL, NULL);
        return;
    }
    link_page(rq, rs, t.done ? "done" : state_name(hold_state_of(r, clock_now())), r, ev);
}

static const field_spec landing_fields[] = {
    {"sleutel", IN_QUERY, FK_TOKEN, 100},
    {NULL, 0, 0, 0},
};

static const field_spec link_fields[] = {
    {"token", IN_QUERY, FK_TOKEN, 100},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/inschrijvingen/aanmelding", landing_get, landing_fields, RF_NO_LOG_QUERY},
    {"GET", "/inschrijvingen/bevestigen", confirm_link_get, link_fields, RF_NO_LOG_QUERY},
    {"POST", "/inschrijvingen/bevestigen", confirm_link_post, link_fields, RF_NO_LOG_QUERY},
};

void enrolment_signup_routes(router *r)
{
    router_add_all(r, routes);
}
