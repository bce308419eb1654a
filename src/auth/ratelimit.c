/* ratelimit.c - see ratelimit.h */
#include "auth/ratelimit.h"

#include "core/timeutil.h"

static const char *kind_name(rl_kind k)
{
    return k == RL_LOGIN ? "login" : "reset";
}

static int over_limit(db_conn *c, arena *a, rl_kind kind, const char *account, const char *ip)
{
    db_res *r;
    long long now = clock_now();
    const char *since = arena_printf(a, "%lld", now - RL_WINDOW_SECONDS);
    const char *pending_since = arena_printf(a, "%lld", now - RL_PENDING_SECONDS);
    if (db_q(c, a, &r,
             "SELECT (SELECT count(*) FROM auth_attempts WHERE kind = $1 AND account = $2"
             " AND at > $4 AND settled = 1) AS per_account,"
             " (SELECT count(*) FROM auth_attempts WHERE kind = $1 AND client_ip = $3"
             " AND at > $4 AND settled = 1) AS per_ip,"
             " (SELECT count(*) FROM auth_attempts WHERE kind = $1 AND account = $2"
             " AND at > $5 AND settled = 0) AS pending_account,"
             " (SELECT count(*) FROM auth_attempts WHERE kind = $1 AND client_ip = $3"
             " AND at > $5 AND settled = 0) AS pending_ip",
             kind_name(kind), account, ip, since, pending_since) < 0)
        return -1;
    long long max_acc = kind == RL_LOGIN ? RL_LOGIN_PER_ACCOUNT : RL_RESET_PER_ACCOUNT;
    long long max_ip = kind == RL_LOGIN ? RL_LOGIN_PER_IP : RL_RESET_PER_IP;
    /* per account, checks still running count as failures-to-be: a burst
     * of guesses gets no more checks than guesses one at a time */
    return db_int(r, 0, "per_account") + db_int(r, 0, "pending_account") >= max_acc ||
           db_int(r, 0, "per_ip") >= max_ip || db_int(r, 0, "pending_ip") >= RL_PENDING_PER_IP;
}

int rl_take(db_conn *c, arena *a, rl_kind kind, const char *account, const char *ip, long long *id)
{
    db_res *r;
    int over = over_limit(c, a, kind, account, ip);
    if (over != 0) return over;
    if (db_begin(c) != 0) return -1;
    over = -1;
    /* account first, then address: one order everywhere, so no deadlock */
    if (db_lock(c, a, arena_printf(a, "rl:account:%s", account)) == 0 &&
        db_lock(c, a, arena_printf(a, "rl:ip:%s", ip)) == 0)
        over = over_limit(c, a, kind, account, ip);
    if (over == 0 &&
        db_q(c, a, &r,
             "INSERT INTO auth_attempts (kind, account, client_ip, at, settled)"
             " VALUES ($1, $2, $3, $4, $5) RETURNING id",
             kind_name(kind), account, ip, arena_printf(a, "%lld", (long long)clock_now()),
             kind == RL_LOGIN ? "0" : "1") < 0)
        over = -1;
    if (over != 0) {
        db_rollback(c);
        return over;
    }
    if (db_commit(c) != 0) return -1;
    *id = db_int(r, 0, "id");
    return 0;
}

int rl_forget(db_conn *c, arena *a, long long id)
{
    return db_q(c, a, NULL, "DELETE FROM auth_attempts WHERE id = $1",
                arena_printf(a, "%lld", id)) < 0
               ? -1
               : 0;
}

int rl_fail(db_conn *c, arena *a, long long id)
{
    return db_q(c, a, NULL, "UPDATE auth_attempts SET settled = 1 WHERE id = $1",
                arena_printf(a, "%lld", id)) < 0
               ? -1
               : 0;
}

int rl_audit_refusal(db_conn *c, arena *a, const char *account)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT count(*) AS n FROM audit_log WHERE action = 'login_geblokkeerd'"
             " AND subject = $1 AND at > $2",
             account, arena_printf(a, "%lld", (long long)clock_now() - 60)) < 0)
        return 1;
    return db_int(r, 0, "n") == 0;
}

int rl_clear(db_conn *c, arena *a, const char *account)
{
    return db_q(c, a, NULL, "DELETE FROM auth_attempts WHERE kind = 'login' AND account = $1",
                account) < 0
               ? -1
               : 0;
}
