/* queue.h - a table used as a queue of work that several server processes
 * share (the outbox, background jobs): claim one due row for a while, do
 * the work without holding anything, then record the outcome.
 *
 * The table has the columns id, attempts (INTEGER), claimed_until
 * (BIGINT, NULL when free) and last_error (TEXT), plus a "due from" and a
 * "done at" moment in Unix seconds, whose names db_queue gives.
 *
 * A claim is one UPDATE in a write transaction (db_tx, so a conflict is
 * retried): on PostgreSQL the candidate row is taken with FOR UPDATE SKIP
 * LOCKED, so claimers in other processes take other rows instead of
 * queueing behind one; on SQLite BEGIN IMMEDIATE lets one claimer in at a
 * time. The claim counts the attempt and holds the row until now +
 * lease_s: when its process dies, the row is free again after that.
 *
 * Functions run on the caller's connection, outside a transaction; results
 * live in the caller's arena. A db_queue is a constant description; the
 * names in it are pasted into SQL and must never come from input.
 */
#ifndef KP_DB_QUEUE_H
#define KP_DB_QUEUE_H

#include "db/db.h"

typedef struct db_queue {
    const char *table;   /* "outbox" */
    const char *due;     /* column: due from this moment */
    const char *done;    /* column: when it was done; NULL while to do */
    const char *order;   /* which due row first: "id" */
    const char *columns; /* what a claim returns: "id, attempts, ..." */
    int lease_s;         /* how long a claim holds */
} db_queue;

/* The attempt after which a row is given up. */
#define DB_QUEUE_MAX_ATTEMPTS 20
/* Given up: 9999-12-31T23:59:59Z, never due again (the same as text, for
 * SQL that finds given-up rows). */
#define DB_QUEUE_NEVER 253402300799LL
#define DB_QUEUE_NEVER_SQL "253402300799"

/* Claims the first due row that no one holds. Returns 1 with that row as
 * row 0 of *row (q->columns, attempts already counted), 0 when nothing is
 * due, -1 on a database error (db_errmsg(c)). */
int db_queue_claim(db_conn *c, arena *a, const db_queue *q, db_res **row);

/* Done now; the claim is released. 0 or -1. */
int db_queue_done(db_conn *c, arena *a, const db_queue *q, long long id);

/* Ran well, due again at `at` (periodic work): attempts start over, the
 * claim is released. 0 or -1. */
int db_queue_next(db_conn *c, arena *a, const db_queue *q, long long id, long long at);

/* Not done: due again at `at` (DB_QUEUE_NEVER: given up) with the reason;
 * the claim is released. 0 or -1. */
int db_queue_retry(db_conn *c, arena *a, const db_queue *q, long long id, long long at,
                   const char *why);

/* When a row whose `attempts`-th attempt failed at `now` is due again:
 * after 30 s, 1, 2, 5, 15 minutes, then every hour; DB_QUEUE_NEVER once
 * DB_QUEUE_MAX_ATTEMPTS have failed. */
long long db_queue_backoff(int attempts, long long now);

#endif
