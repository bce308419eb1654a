/* passcheck.c - see passcheck.h */
#include "auth/passcheck.h"

#include <pthread.h>
#include <sodium.h>

#include "auth/audit.h"
#include "auth/device.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "db/db.h"

static const char *num(http_req *rq, long long v)
{
    return arena_printf(rq->a, "%lld", v);
}

/* Unknown usernames are checked against this hash, so a wrong name takes
 * as long as a wrong password. */
static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    char pw[33];
    randombytes_buf(pw, 16);
    sodium_bin2hex(pw, sizeof pw, (const unsigned char *)pw, 16);
    if (password_hash(pw, dummy_hash) != 0) dummy_hash[0] = '\0';
}

passcheck *passcheck_login(http_req *rq, const char *account, const char *password)
{
    passcheck *pc = arena_zalloc(rq->a, sizeof *pc);
    pc->account = account;
    pc->password = password;
    return pc;
}

passcheck *passcheck_code(http_req *rq, long long person_id, const char *account, int reauth,
                          const char *where)
{
    passcheck *pc = arena_zalloc(rq->a, sizeof *pc);
    pc->account = account;
    pc->person_id = person_id;
    pc->reauth = reauth;
    pc->where = where;
    pc->code = 1;
    return pc;
}

passcheck *passcheck_reauth(http_req *rq, const char *password, const char *new_password,
                            const char *where)
{
    const auth_ctx *u = auth_user(rq);
    passcheck *pc = arena_zalloc(rq->a, sizeof *pc);
    pc->account = u->email;
    pc->person_id = u->person_id;
    pc->reauth = 1;
    pc->password = password;
    pc->new_password = new_password;
    pc->where = where;
    return pc;
}

int passcheck_brake(http_req *rq, http_resp *rs, passcheck *pc)
{
    db_conn *c = req_db(rq);
    /* a code is judged by the account's limits whatever the browser: a device
     * token proves nothing about who holds the phone */
    long long device = pc->code     ? 0
                       : pc->reauth ? device_for_person(rq, pc->person_id)
                                    : device_for_login(rq, pc->account);
    if (device < 0) return -1;
    int wait =
        rl_take(c, rq->a, RL_LOGIN, &(rl_who){pc->account, rq->client_ip, device}, &pc->attempt);
    if (wait <= 0) return wait;
    const char *detail = pc->reauth ? pc->where : device ? "bekend apparaat" : "onbekend apparaat";
    if (rl_audit_refusal(c, rq->a, "login_geblokkeerd", pc->account) &&
        audit_log(c, rq->a, pc->reauth ? pc->person_id : 0, rq->client_ip, "login_geblokkeerd",
                  pc->account, detail) != 0)
        return -1;
    resp_header(rs, rq->a, "Retry-After", num(rq, wait));
    return wait;
}

/* On a worker: both Argon2id steps in one job. */
static void check_job(void *arg)
{
    passcheck *pc = arg;
    pc->ok = password_verify(pc->password, pc->hash) && pc->person_id != 0;
    pc->rc = pc->ok && pc->new_password ? password_hash(pc->new_password, pc->new_hash) : 0;
}

int passcheck_start(http_req *rq, passcheck *pc)
{
    db_res *r;
    if (pc->reauth) {
        if (db_q(req_db(rq), rq->a, &r, "SELECT password_hash FROM persons WHERE id = $1",
                 num(rq, pc->person_id)) < 0)
            return -1;
        pc->hash = r->nrows == 1 ? db_val(r, 0, "password_hash") : NULL;
    } else {
        if (db_q(req_db(rq), rq->a, &r,
                 "SELECT id, password_hash FROM persons WHERE email = $1 AND email <> ''"
                 " AND blocked = 0 AND password_hash IS NOT NULL",
                 pc->account) < 0)
            return -1;
        pthread_once(&dummy_once, make_dummy_hash);
        pc->hash = dummy_hash;
        if (r->nrows == 1) {
            pc->person_id = db_int(r, 0, "id");
            pc->hash = db_val(r, 0, "password_hash");
        }
    }
    req_defer(rq, check_job, pc);
    return 0;
}

int passcheck_failed(http_req *rq, passcheck *pc, const char *action)
{
    db_conn *c = req_db(rq);
    if (rl_fail(c, rq->a, pc->attempt) != 0 ||
        audit_log(c, rq->a, pc->person_id, rq->client_ip, action, pc->account, "") != 0)
        return -1;
    return 0;
}

int passcheck_passed(http_req *rq, passcheck *pc)
{
    return rl_forget(req_db(rq), rq->a, pc->attempt);
}
