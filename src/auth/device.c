/* device.c - see device.h */
#include "auth/device.h"

#include <string.h>

#include "auth/session.h"
#include "auth/token.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"

#define TOKEN_LEN 43
/* the queries below list the four tokens a cookie may hold */
_Static_assert(DEVICE_MAX_TOKENS == 4, "device queries take four token hashes");
/* A person who logs in from a fresh private window every day would grow a
 * row a day for a year; the newest 50 are plenty for real browsers. */
#define DEVICE_MAX_PER_PERSON 50

static int is_token(const char *p, size_t len)
{
    if (len != TOKEN_LEN) return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = p[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return 0;
    }
    return 1;
}

int device_split(arena *a, const char *value, char *out[DEVICE_MAX_TOKENS])
{
    int n = 0;
    for (const char *p = value; p && *p && n < DEVICE_MAX_TOKENS;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (is_token(p, len)) out[n++] = arena_strndup(a, p, len);
        p = dot ? dot + 1 : NULL;
    }
    return n;
}

/* The hashes of the browser's tokens, padded with "" (never a hash) to
 * DEVICE_MAX_TOKENS, so every query has the same shape. */
static int cookie_hashes(http_req *rq, char *tokens[DEVICE_MAX_TOKENS],
                         const char *hashes[DEVICE_MAX_TOKENS])
{
    int n = device_split(rq->a, auth_cookie_get(rq, DEVICE_COOKIE), tokens);
    for (int i = 0; i < DEVICE_MAX_TOKENS; i++)
        hashes[i] = i < n ? token_hash(rq->a, tokens[i]) : "";
    return n;
}

/* who: "p.email = $1 AND p.email <> ''" or "d.person_id = $1". */
static long long find(http_req *rq, const char *who, const char *key)
{
    char *tokens[DEVICE_MAX_TOKENS];
    const char *h[DEVICE_MAX_TOKENS];
    if (cookie_hashes(rq, tokens, h) == 0) return 0;
    db_res *r;
    const char *sql = arena_printf(rq->a,
                                   "SELECT d.id FROM devices d JOIN persons p ON p.id = d.person_id"
                                   " WHERE %s AND d.expires_at > $2"
                                   " AND d.token_hash IN ($3, $4, $5, $6)",
                                   who);
    if (db_q(req_db(rq), rq->a, &r, sql, key, arena_printf(rq->a, "%lld", (long long)clock_now()),
             h[0], h[1], h[2], h[3]) < 0)
        return -1;
    return r->nrows > 0 ? db_int(r, 0, "id") : 0;
}

long long device_for_login(http_req *rq, const char *email)
{
    return email ? find(rq, "p.email = $1 AND p.email <> ''", email) : 0;
}

long long device_for_person(http_req *rq, long long person_id)
{
    return find(rq, "d.person_id = $1", arena_printf(rq->a, "%lld", person_id));
}

/* Which of the browser's tokens are live, and which one is this person's:
 * live[i] is 1 for a live token of anyone, *mine its index or -1. */
static int live_tokens(http_req *rq, long long person_id, const char *now, const char **h,
                       int live[DEVICE_MAX_TOKENS], int *mine)
{
    db_res *r;
    *mine = -1;
    memset(live, 0, sizeof(int) * DEVICE_MAX_TOKENS);
    if (db_q(req_db(rq), rq->a, &r,
             "SELECT token_hash, person_id FROM devices WHERE expires_at > $1"
             " AND token_hash IN ($2, $3, $4, $5)",
             now, h[0], h[1], h[2], h[3]) < 0)
        return -1;
    for (int row = 0; row < r->nrows; row++)
        for (int i = 0; i < DEVICE_MAX_TOKENS; i++)
            if (*h[i] && strcmp(h[i], db_val(r, row, "token_hash")) == 0) {
                live[i] = 1;
                if (db_int(r, row, "person_id") == person_id) *mine = i;
            }
    return 0;
}

int device_remember(http_req *rq, http_resp *rs, long long person_id)
{
    db_conn *c = req_db(rq);
    const char *now = arena_printf(rq->a, "%lld", (long long)clock_now());
    const char *until = arena_printf(rq->a, "%lld", (long long)clock_now() + DEVICE_SECONDS);
    const char *id = arena_printf(rq->a, "%lld", person_id);
    char *tokens[DEVICE_MAX_TOKENS];
    const char *h[DEVICE_MAX_TOKENS];
    int live[DEVICE_MAX_TOKENS], mine;
    int n = cookie_hashes(rq, tokens, h);
    if (live_tokens(rq, person_id, now, h, live, &mine) != 0) return -1;
    const char *first;
    if (mine >= 0) {
        first = tokens[mine];
        if (db_q(c, rq->a, NULL,
                 "UPDATE devices SET last_login_at = $1, expires_at = $2 WHERE token_hash = $3",
                 now, until, h[mine]) != 1)
            return -1;
    } else {
        first = token_new(rq->a);
        if (db_q(c, rq->a, NULL,
                 "INSERT INTO devices (token_hash, person_id, created_at, last_login_at,"
                 " expires_at) VALUES ($1, $2, $3, $3, $4)",
                 token_hash(rq->a, first), id, now, until) != 1)
            return -1;
    }
    /* newest first; dead tokens and those beyond the last slot drop out */
    buf v;
    buf_init(&v, rq->a, 256);
    buf_puts(&v, first);
    int kept = 1;
    for (int i = 0; i < n; i++) {
        if (i == mine || !live[i]) continue;
        if (kept < DEVICE_MAX_TOKENS) {
            buf_printf(&v, ".%s", tokens[i]);
            kept++;
        } else if (db_q(c, rq->a, NULL, "DELETE FROM devices WHERE token_hash = $1", h[i]) < 0) {
            return -1;
        }
    }
    const char *tidy = arena_printf(
        rq->a,
        "DELETE FROM devices WHERE person_id = $1 AND (expires_at <= $2 OR id NOT IN"
        " (SELECT id FROM devices WHERE person_id = $1 ORDER BY last_login_at DESC, id DESC"
        " LIMIT %d))",
        DEVICE_MAX_PER_PERSON);
    if (db_q(c, rq->a, NULL, tidy, id, now) < 0) return -1;
    auth_cookie(rq, rs, DEVICE_COOKIE, v.data, DEVICE_SECONDS);
    return 0;
}
