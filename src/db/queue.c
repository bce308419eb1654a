/* queue.c - see queue.h. */
#include "db/queue.h"

#include "core/timeutil.h"

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

typedef struct claim_arg {
    const db_queue *q;
    db_res *row;
} claim_arg;

/* The sub-select locks its candidate; SKIP LOCKED passes over a row
 * another claimer holds and re-checks one changed meanwhile, so what it
 * returns is due and ours. */
static int claim_tx(db_conn *c, arena *a, void *arg)
{
    claim_arg *ca = arg;
    const db_queue *q = ca->q;
    const char *lock = db_conn_kind(c) == DB_POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
    const char *sql = arena_printf(
        a,
        "UPDATE %s SET claimed_until = $1, attempts = attempts + 1 WHERE id = (SELECT id FROM %s"
        " WHERE %s IS NULL AND %s <= $2 AND (claimed_until IS NULL OR claimed_until < $2)"
        " ORDER BY %s LIMIT 1%s) RETURNING %s",
        q->table, q->table, q->done, q->due, q->order, lock, q->columns);
    long long now = (long long)clock_now();
    int n = db_q(c, a, &ca->row, sql, num(a, now + q->lease_s), num(a, now));
    return n < 0 ? -1 : 0;
}

int db_queue_claim(db_conn *c, arena *a, const db_queue *q, db_res **row)
{
    claim_arg ca = {q, NULL};
    if (db_tx(c, a, claim_tx, &ca) != 0) return -1;
    *row = ca.row;
    return ca.row && ca.row->nrows == 1;
}

int db_queue_done(db_conn *c, arena *a, const db_queue *q, long long id)
{
    const char *sql = arena_printf(
        a, "UPDATE %s SET %s = $1, claimed_until = NULL, last_error = '' WHERE id = $2", q->table,
        q->done);
    return db_q(c, a, NULL, sql, num(a, (long long)clock_now()), num(a, id)) < 0 ? -1 : 0;
}

int db_queue_next(db_conn *c, arena *a, const db_queue *q, long long id, long long at)
{
    const char *sql = arena_printf(a,
                                   "UPDATE %s SET %s = $1, attempts = 0, claimed_until = NULL,"
                                   " last_error = '' WHERE id = $2",
                                   q->table, q->due);
    return db_q(c, a, NULL, sql, num(a, at), num(a, id)) < 0 ? -1 : 0;
}

int db_queue_retry(db_conn *c, arena *a, const db_queue *q, long long id, long long at,
                   const char *why)
{
    const char *sql = arena_printf(
        a, "UPDATE %s SET %s = $1, claimed_until = NULL, last_error = $2 WHERE id = $3", q->table,
        q->due);
    return db_q(c, a, NULL, sql, num(a, at), why, num(a, id)) < 0 ? -1 : 0;
}

long long db_queue_backoff(int attempts, long long now)
{
    static const long long steps[] = {30, 60, 120, 300, 900, 3600};
    int n = (int)(sizeof steps / sizeof steps[0]);
    if (attempts >= DB_QUEUE_MAX_ATTEMPTS) return DB_QUEUE_NEVER;
    if (attempts < 1) attempts = 1;
    return now + (attempts > n ? steps[n - 1] : steps[attempts - 1]);
}
