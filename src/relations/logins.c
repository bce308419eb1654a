/* logins.c - a person's login, from their page in the back office: the
 * activation mail sent (again), the access blocked and unblocked, and the
 * brake on their address lifted. Each is one transaction with its audit
 * line; the answer is the person's page (a notice after a redirect, or the
 * reason it could not be done, 409).
 *
 * The activation mail is the accounts' own (account_send_link): its link
 * is made when the mail is sent, so an older link stops working. Blocking
 * ends every session and remember-me token of the person at once
 * (auth_end_sessions) and stops their calendar feed; the login, a reset
 * link and an activation link refuse a blocked person by themselves. */
#include "account/account.h"
#include "auth/audit.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "enrolment/store.h"
#include "people/people.h"
#include "relations/internal.h"
#include "relations/store.h"
#include "web/flash.h"

typedef enum login_op { OP_ACTIVATE, OP_BLOCK, OP_UNBLOCK, OP_BRAKE } login_op;

typedef struct login_tx {
    http_req *rq;
    const char *id;
    login_op op;
    const char *name;  /* out: the person's name */
    const char *flash; /* out: the notice after it */
} login_tx;

enum { GONE = 1, HAS_LOGIN, NO_ADDRESS, IS_BLOCKED, SELF };

static int activate(db_conn *c, arena *a, login_tx *t, const db_res *p, audit_entry *e)
{
    if (db_int(p, 0, "has_password")) return HAS_LOGIN;
    if (!*db_val(p, 0, "email")) return NO_ADDRESS;
    if (db_int(p, 0, "blocked")) return IS_BLOCKED;
    int again = strcmp(db_val(p, 0, "login"), REL_LOGIN_INVITED) == 0;
    if (!account_send_link(c, a, t->rq->app, db_int(p, 0, "id"), "activatie")) return -1;
    e->action = again ? "activatielink_opnieuw_verstuurd" : "activatielink_verstuurd";
    audit_field(e, "activatielink", "", "verstuurd");
    t->flash = again ? "activatie-opnieuw" : "activatie-verstuurd";
    return 0;
}

static int set_blocked(db_conn *c, arena *a, login_tx *t, const db_res *p, audit_entry *e,
                       int block)
{
    long long id = db_int(p, 0, "id");
    if (block && id == auth_user(t->rq)->person_id) return SELF;
    t->flash = block ? "persoon-geblokkeerd" : "persoon-gedeblokkeerd";
    if (db_int(p, 0, "blocked") == block) return 0; /* already so: nothing to write */
    if (rel_person_set_blocked(c, a, t->id, block) != 0) return -1;
    /* whoever is logged in as them is out on the next request, a
     * remembered browser no longer logs them in, and their calendar
     * feed stops */
    if (block &&
        (auth_end_sessions(c, a, id, 0) != 0 || enrolment_calendar_key_delete(c, a, id) != 0))
        return -1;
    e->action = block ? "persoon_geblokkeerd" : "persoon_gedeblokkeerd";
    audit_field(e, "geblokkeerd", block ? "nee" : "ja", block ? "ja" : "nee");
    return audit_write(c, a, e);
}

static int store_login(db_conn *c, arena *a, void *arg)
{
    login_tx *t = arg;
    db_res *p = rel_person(c, a, t->id, 1);
    if (!p) return -1;
    if (p->nrows != 1) return GONE;
    t->name = people_full_name_of(a, p, 0);
    audit_entry e;
    audit_begin(&e, a, auth_user(t->rq)->person_id, t->rq->client_ip, "", t->name);
    e.person_id = db_int(p, 0, "id");
    switch (t->op) {
    case OP_ACTIVATE: {
        int rc = activate(c, a, t, p, &e);
        return rc != 0 ? rc : audit_write(c, a, &e);
    }
    case OP_BLOCK:
        return set_blocked(c, a, t, p, &e, 1);
    case OP_UNBLOCK:
        return set_blocked(c, a, t, p, &e, 0);
    case OP_BRAKE:
        break;
    }
    const char *email = db_val(p, 0, "email");
    if (!*email) return NO_ADDRESS;
    t->flash = "rem-opgeheven";
    if (rl_clear(c, a, email) != 0) return -1;
    e.action = "rem_opgeheven";
    e.detail = email;
    return audit_write(c, a, &e);
}

/* Why it could not be done, above the person's page. */
static const char *refusal(arena *a, int rc, const char *name)
{
    switch (rc) {
    case HAS_LOGIN:
        return arena_printf(a,
                            "%s heeft al een account en kan inloggen; een activatielink is niet "
                            "nodig. Wie het wachtwoord vergeten is, vraagt een nieuw aan met "
                            "Wachtwoord opvragen.",
                            name);
    case NO_ADDRESS:
        return arena_printf(a,
                            "%s heeft geen e-mailadres. Vul eerst een e-mailadres in met Gegevens "
                            "aanpassen.",
                            name);
    case IS_BLOCKED:
        return arena_printf(a,
                            "De toegang van %s is geblokkeerd. Deblokkeer eerst; er is geen "
                            "activatielink verstuurd.",
                            name);
    case SELF:
        return "U kunt uw eigen toegang niet blokkeren.";
    }
    return "";
}

static void login_post(http_req *rq, http_resp *rs, login_op op)
{
    login_tx t = {rq, rel_path_id(rq, "id"), op, NULL, NULL};
    if (!t.id) {
        page_error(rq, rs, 404);
        return;
    }
    int rc = db_tx(req_db(rq), rq->a, store_login, &t);
    if (rc == GONE) {
        page_error(rq, rs, 404);
        return;
    }
    if (rc < 0) {
        page_db_error(rq, rs);
        return;
    }
    if (rc > 0) {
        rel_person_view(rq, rs, t.id, refusal(rq->a, rc, t.name), 409);
        return;
    }
    if (op == OP_ACTIVATE) rel_kick_mailer(rq);
    flash_set(rq, rs, t.flash);
    resp_redirect(rs, rq->a, 303, arena_printf(rq->a, PERSONS_PATH "/%s", t.id));
}

static void activate_post(http_req *rq, http_resp *rs)
{
    login_post(rq, rs, OP_ACTIVATE);
}

static void block_post(http_req *rq, http_resp *rs)
{
    login_post(rq, rs, OP_BLOCK);
}

static void unblock_post(http_req *rq, http_resp *rs)
{
    login_post(rq, rs, OP_UNBLOCK);
}

static void brake_post(http_req *rq, http_resp *rs)
{
    login_post(rq, rs, OP_BRAKE);
}

static const route routes[] = {
    {"POST", PERSONS_PATH "/:id/activatielink", activate_post, NULL, RF_STAFF},
    {"POST", PERSONS_PATH "/:id/blokkeren", block_post, NULL, RF_STAFF},
    {"POST", PERSONS_PATH "/:id/deblokkeren", unblock_post, NULL, RF_STAFF},
    {"POST", PERSONS_PATH "/:id/rem-opheffen", brake_post, NULL, RF_STAFF},
};

void rel_logins_routes(router *r)
{
    router_add_all(r, routes);
}
