/* unlink.c - /ontkoppelen?token=…: a person whose login a beheerder linked
 * to an organisation ends that membership with the one-time link from the
 * email they got. It works without logging in (the link is the proof), the
 * GET only shows the question and one button; the POST does it. */
#include <string.h>

#include "auth/audit.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/timeutil.h"
#include "http/http.h"
#include "organisation/organisation.h"
#include "web/page.h"

/* The live token behind ?token=: columns id, membership_id, person_id,
 * organisation_id, org_name. *r gets an empty result when the link is
 * used, expired or its membership already ended. Returns 0 or -1. */
static int live_unlink(http_req *rq, db_conn *c, db_res **r)
{
    const char *token = req_in(rq, "token");
    *r = NULL;
    if (!token) return 0;
    if (db_q(c, rq->a, r,
             "SELECT t.id, t.expires_at, m.id AS membership_id, m.person_id, m.organisation_id,"
             " m.role,"
             " o.name AS org_name FROM account_tokens t"
             " JOIN memberships m ON m.id = CAST(t.data AS BIGINT) AND m.person_id = t.person_id"
             " JOIN organisations o ON o.id = m.organisation_id"
             " WHERE t.token_hash = $1 AND t.kind = $2 || t.data AND t.used_at IS NULL"
             " AND m.active = 1",
             token_hash(rq->a, token), UNLINK_KIND_PREFIX) < 0)
        return -1;
    if ((*r)->nrows == 1 && !token_valid_at(db_int(*r, 0, "expires_at"), clock_now()))
        (*r)->nrows = 0;
    return 0;
}

/* state: "ask", "done", "last" (409: the organisation's only beheerder)
 * or "invalid" (410). */
static void unlink_page(http_req *rq, http_resp *rs, const char *state, const db_res *r)
{
    tv *ctx = page_ctx(rq);
    page_crumb(rq, ctx, "Koppeling ongedaan maken", NULL);
    tv_set_bool(ctx, state, 1);
    if (r && r->nrows == 1) tv_set_str(ctx, "org_name", db_val(r, 0, "org_name"));
    tv_set_str(ctx, "token", req_in(rq, "token"));
    tv_set_str(ctx, "csrf", auth_csrf(rq, rs));
    page_render(rq, rs, "organisation/unlink", ctx, "Koppeling ongedaan maken", NULL);
    /* the token is in the address: never pass it on to another site */
    resp_header(rs, rq->a, "Referrer-Policy", "no-referrer");
    if (strcmp(state, "invalid") == 0) rs->status = 410;
    if (strcmp(state, "last") == 0) rs->status = 409;
}

static void unlink_get(http_req *rq, http_resp *rs)
{
    db_res *r;
    if (live_unlink(rq, req_db(rq), &r) != 0) {
        page_db_error(rq, rs);
        return;
    }
    unlink_page(rq, rs, r && r->nrows == 1 ? "ask" : "invalid", r);
}

/* Uses up the token and ends the membership, in one transaction with the
 * organisation serialised like every other change to its contacts. The
 * person is the actor in the audit log. */
static void unlink_post(http_req *rq, http_resp *rs)
{
    db_conn *c = req_db(rq);
    db_res *r;
    if (db_begin(c) != 0 || live_unlink(rq, c, &r) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    if (!r || r->nrows != 1) {
        db_rollback(c);
        unlink_page(rq, rs, "invalid", NULL);
        return;
    }
    const char *now = arena_printf(rq->a, "%lld", (long long)clock_now());
    const char *person = db_val(r, 0, "person_id");
    if (db_lock(c, rq->a, arena_printf(rq->a, "org:%s", db_val(r, 0, "organisation_id"))) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    /* an organisation keeps at least one beheerder, whoever ends the link */
    if (strcmp(db_val(r, 0, "role"), "beheerder") == 0) {
        long long others = org_other_beheerders(c, rq->a, db_int(r, 0, "organisation_id"), person);
        if (others <= 0) {
            db_rollback(c);
            if (others < 0)
                page_db_error(rq, rs);
            else
                unlink_page(rq, rs, "last", r);
            return;
        }
    }
    if (db_q(c, rq->a, NULL,
             "UPDATE account_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL", now,
             db_val(r, 0, "id")) != 1 ||
        db_q(c, rq->a, NULL,
             "UPDATE memberships SET active = 0, ended_at = $1 WHERE id = $2 AND active = 1", now,
             db_val(r, 0, "membership_id")) != 1 ||
        audit_log(c, rq->a, db_int(r, 0, "person_id"), rq->client_ip, "contactpersoon_ontkoppeld",
                  person,
                  arena_printf(rq->a, "organisatie %s, via de link in de e-mail",
                               db_val(r, 0, "organisation_id"))) != 0 ||
        db_commit(c) != 0) {
        db_rollback(c);
        page_db_error(rq, rs);
        return;
    }
    unlink_page(rq, rs, "done", r);
}

static const field_spec unlink_fields[] = {
    {"token", IN_QUERY, FK_TOKEN, 100},
    {NULL, 0, 0, 0},
};

static const route routes[] = {
    {"GET", "/ontkoppelen", unlink_get, unlink_fields, RF_NO_LOG_QUERY},
    {"POST", "/ontkoppelen", unlink_post, unlink_fields, RF_NO_LOG_QUERY},
};

void organisation_unlink_routes(router *r)
{
    router_add_all(r, routes);
}
