/* ratelimit.c - see ratelimit.h */
#include "auth/ratelimit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"

/* One limit: rows of auth_attempts matching cond (parameters $1 kind,
 * $2 start of the window, $3 start of the pending span, $4 and on the keys)
 * may number at most max - 1; a row counted leaves the count `span`
 * seconds after its moment. */
typedef struct rl_scope {
    const char *cond;
    int max;
    int span;
} rl_scope;

/* Failures in the window plus checks still running. */
#define COUNTED "(settled = 1 AND at > $2 OR settled = 0 AND at > $3)"

static const rl_scope known_device[] = {
    {"device_id = $4 AND " COUNTED, RL_LOGIN_PER_DEVICE, RL_WINDOW_SECONDS},
};

static const rl_scope unknown_device[] = {
    {"account = $4 AND client_ip = $5 AND device_id IS NULL AND " COUNTED,
     RL_LOGIN_PER_ACCOUNT_ADDRESS, RL_WINDOW_SECONDS},
    {"account = $4 AND device_id IS NULL AND " COUNTED, RL_LOGIN_PER_ACCOUNT, RL_WINDOW_SECONDS},
    {"client_ip = $5 AND device_id IS NULL AND settled = 1 AND at > $2", RL_LOGIN_PER_IP,
     RL_WINDOW_SECONDS},
    {"client_ip = $5 AND device_id IS NULL AND settled = 0 AND at > $3", RL_PENDING_PER_IP,
     RL_PENDING_SECONDS},
};

static const rl_scope reset[] = {
    {"account = $4 AND " COUNTED, RL_RESET_PER_ACCOUNT, RL_WINDOW_SECONDS},
    {"client_ip = $5 AND " COUNTED, RL_RESET_PER_IP, RL_WINDOW_SECONDS},
};

static const rl_scope signup[] = {
    {"account = $4 AND " COUNTED, RL_SIGNUP_PER_EMAIL, RL_WINDOW_SECONDS},
    {"client_ip = $5 AND " COUNTED, RL_SIGNUP_PER_IP, RL_WINDOW_SECONDS},
};

static const char *kind_name(rl_kind k)
{
    switch (k) {
    case RL_LOGIN:
        return "login";
    case RL_RESET:
        return "reset";
    case RL_SIGNUP:
        return "aanmelding";
    }
    return "login";
}

/* What an attempt is counted under: its scopes and key parameters. */
typedef struct rl_plan {
    const rl_scope *scopes;
    int nscopes;
    const char *keys[2];
    int nkeys;
    const char *ipkey;
    const char *lock_keys[2];
} rl_plan;

static void make_plan(arena *a, rl_kind kind, const rl_who *who, rl_plan *p)
{
    char ip[RL_ADDRESS_MAX];
    rl_address_key(who->ip ? who->ip : "", ip, sizeof ip);
    p->ipkey = arena_strdup(a, ip);
    p->lock_keys[0] = arena_printf(a, "rl:account:%s", who->account);
    if (kind == RL_LOGIN && who->device_id > 0) {
        p->scopes = known_device;
        p->nscopes = (int)(sizeof known_device / sizeof known_device[0]);
        p->keys[0] = arena_printf(a, "%lld", who->device_id);
        p->nkeys = 1;
        p->lock_keys[1] = arena_printf(a, "rl:device:%lld", who->device_id);
        return;
    }
    if (kind == RL_LOGIN) {
        p->scopes = unknown_device;
        p->nscopes = (int)(sizeof unknown_device / sizeof unknown_device[0]);
    } else if (kind == RL_RESET) {
        p->scopes = reset;
        p->nscopes = (int)(sizeof reset / sizeof reset[0]);
    } else {
        p->scopes = signup;
        p->nscopes = (int)(sizeof signup / sizeof signup[0]);
    }
    p->keys[0] = who->account;
    p->keys[1] = p->ipkey;
    p->nkeys = 2;
    p->lock_keys[1] = arena_printf(a, "rl:ip:%s", p->ipkey);
}

/* 0 when no limit is reached, else the seconds until the last one reached
 * lifts: the row that makes a scope full is the max-th newest; once it
 * leaves, there is room again. -1 on a database error. */
static int wait_seconds(db_conn *c, arena *a, rl_kind kind, const rl_plan *p)
{
    long long now = clock_now();
    buf q;
    buf_init(&q, a, 1024);
    buf_puts(&q, "SELECT ");
    for (int i = 0; i < p->nscopes; i++)
        buf_printf(&q,
                   "%s(SELECT at FROM auth_attempts WHERE kind = $1 AND %s"
                   " ORDER BY at DESC LIMIT 1 OFFSET %d) AS s%d",
                   i ? ", " : "", p->scopes[i].cond, p->scopes[i].max - 1, i);
    const char *params[5] = {kind_name(kind), arena_printf(a, "%lld", now - RL_WINDOW_SECONDS),
                             arena_printf(a, "%lld", now - RL_PENDING_SECONDS), p->keys[0],
                             p->keys[1]};
    db_res *r;
    if (db_query(c, a, &r, q.data, 3 + p->nkeys, params) < 0 || r->nrows != 1) return -1;
    long long wait = 0;
    for (int i = 0; i < p->nscopes; i++) {
        long long at = db_int(r, 0, arena_printf(a, "s%d", i));
        if (at == 0) continue;
        long long left = at + p->scopes[i].span - now;
        if (left < 1) left = 1;
        if (left > wait) wait = left;
    }
    return (int)wait;
}

static int record(db_conn *c, arena *a, rl_kind kind, const rl_who *who, const rl_plan *p,
                  long long *id)
{
    db_res *r;
    const char *device = kind == RL_LOGIN && who->device_id > 0 ? p->keys[0] : NULL;
    if (db_q(c, a, &r,
             "INSERT INTO auth_attempts (kind, account, client_ip, device_id, at, settled)"
             " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             kind_name(kind), who->account, p->ipkey, device,
             arena_printf(a, "%lld", (long long)clock_now()), kind == RL_LOGIN ? "0" : "1") != 1)
        return -1;
    *id = db_int(r, 0, "id");
    return 0;
}

int rl_take(db_conn *c, arena *a, rl_kind kind, const rl_who *who, long long *id)
{
    rl_plan p;
    make_plan(a, kind, who, &p);
    int wait = wait_seconds(c, a, kind, &p);
    if (wait != 0) return wait;
    if (db_begin(c) != 0) return -1;
    wait = -1;
    /* account first, then address or device: one order everywhere, so no
     * deadlock */
    if (db_lock(c, a, p.lock_keys[0]) == 0 && db_lock(c, a, p.lock_keys[1]) == 0)
        wait = wait_seconds(c, a, kind, &p);
    if (wait == 0 && record(c, a, kind, who, &p, id) != 0) wait = -1;
    if (wait != 0) {
        db_rollback(c);
        return wait;
    }
    return db_commit(c) != 0 ? -1 : 0;
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

int rl_audit_refusal(db_conn *c, arena *a, const char *action, const char *account)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT count(*) AS n FROM audit_log WHERE action = $1 AND subject = $2 AND at > $3",
             action, account, arena_printf(a, "%lld", (long long)clock_now() - 60)) < 0)
        return 1;
    return db_int(r, 0, "n") == 0;
}

db_res *rl_braked_accounts(db_conn *c, arena *a)
{
    db_res *r;
    if (db_q(c, a, &r,
             "SELECT account, count(*) AS failures, max(at) AS last FROM auth_attempts"
             " WHERE kind = 'login' AND settled = 1 AND at > $1 GROUP BY account"
             " HAVING count(*) >= $2 ORDER BY max(at) DESC LIMIT 50",
             arena_printf(a, "%lld", (long long)clock_now() - RL_WINDOW_SECONDS),
             arena_printf(a, "%d", RL_LOGIN_PER_ACCOUNT_ADDRESS)) < 0)
        return NULL;
    return r;
}

int rl_clear(db_conn *c, arena *a, const char *account)
{
    return db_q(c, a, NULL, "DELETE FROM auth_attempts WHERE kind = 'login' AND account = $1",
                account) < 0
               ? -1
               : 0;
}

void rl_address_key(const char *ip, char *out, size_t outlen)
{
    if (outlen == 0) return;
    unsigned char bin[16];
    char text[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, ip, bin) == 1 && inet_ntop(AF_INET, bin, text, sizeof text)) {
        snprintf(out, outlen, "%s", text);
        return;
    }
    if (inet_pton(AF_INET6, ip, bin) != 1) {
        snprintf(out, outlen, "%s", ip);
        return;
    }
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(bin, mapped, sizeof mapped) == 0 &&
        inet_ntop(AF_INET, bin + 12, text, sizeof text)) {
        snprintf(out, outlen, "%s", text);
        return;
    }
    /* one customer's network is one /64: its own addresses are free to pick */
    memset(bin + 8, 0, 8);
    if (inet_ntop(AF_INET6, bin, text, sizeof text))
        snprintf(out, outlen, "%s/64", text);
    else
        snprintf(out, outlen, "%s", ip);
}

const char *rl_wait_text(arena *a, int seconds)
{
    return seconds == 1 ? "1 seconde" : arena_printf(a, "%d seconden", seconds);
}
