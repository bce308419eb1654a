/* db.h - one interface over SQLite and PostgreSQL.
 *
 * The same SQL runs on both wherever the dialects agree: parameters are
 * written $1..$n, every parameter and every result value is text (NULL is
 * SQL NULL). Conventions that keep the SQL portable:
 *   - booleans are INTEGER 0/1, money is integer cents,
 *   - dates are TEXT 'YYYY-MM-DD', moments are BIGINT Unix seconds,
 *   - write CAST($1 AS TEXT) where PostgreSQL cannot infer a type.
 * Where they differ, migrations/<dialect>/ holds separate files.
 *
 * Ownership: a `db` is the connection pool, created once by main and shared
 * by all threads. A `db_conn` is borrowed by one thread (one request) with
 * db_acquire() and given back with db_release(). Result sets live in the
 * arena passed to the query.
 */
#ifndef KP_DB_H
#define KP_DB_H

#include <stddef.h>

#include "core/arena.h"

typedef struct db db;
typedef struct db_conn db_conn;

typedef enum db_kind { DB_SQLITE, DB_POSTGRES } db_kind;

typedef enum db_errkind {
    DB_ERR_NONE = 0,
    DB_ERR_UNIQUE,     /* unique or primary key violation */
    DB_ERR_FOREIGN,    /* foreign key violation */
    DB_ERR_BUSY,       /* lock timeout or serialization failure: retry */
    DB_ERR_CONNECTION, /* the server went away (mid-transaction: the transaction is lost) */
    DB_ERR_TIMEOUT,    /* the statement ran past the query time limit (db_set_limits) */
    DB_ERR_OTHER,
} db_errkind;

typedef struct db_res {
    int nrows, ncols;
    const char **cols;  /* ncols column names */
    const char **vals;  /* nrows * ncols values, row-major; NULL is SQL NULL */
    const size_t *lens; /* byte length of each value (binary values may hold NULs) */
    int bytea_hex;      /* PostgreSQL: BYTEA values arrive as "\\x<hex>" (see db_blob) */
} db_res;

/* url: "sqlite:PATH" or "postgresql://..." / "postgres://...".
 * pool_size connections are opened (PostgreSQL lazily reconnects a broken
 * one). On failure returns -1 and writes a one-line reason to err. */
int db_open(const char *url, int pool_size, db **out, char *err, size_t errlen);
void db_close(db *d);
db_kind db_kind_of(const db *d);

/* Limits every connection of the pool keeps from now on (PostgreSQL
 * re-applies them after a reconnect). Call before other threads use the
 * pool. 0 means no limit.
 *   query_ms    one statement runs at most this long (PostgreSQL
 *               statement_timeout; SQLite a progress handler), then fails
 *               with DB_ERR_TIMEOUT: one expensive search cannot hold a
 *               connection and a request thread for ever
 *   lock_ms     PostgreSQL lock_timeout (then DB_ERR_BUSY, retried by db_tx)
 *   idle_tx_ms  PostgreSQL idle_in_transaction_session_timeout */
typedef struct db_limits {
    int query_ms, lock_ms, idle_tx_ms;
} db_limits;
void db_set_limits(db *d, const db_limits *l);

/* Blocks until a connection is free. Never NULL. For the CLI and
 * background threads, which may wait. */
db_conn *db_acquire(db *d);
/* Waits at most timeout_ms for a free connection; NULL when none came (a
 * request then answers 503 instead of queueing without bound). */
db_conn *db_acquire_wait(db *d, int timeout_ms);
void db_release(db *d, db_conn *c);
db_kind db_conn_kind(const db_conn *c);

/* Runs one statement. out may be NULL when no rows are wanted. Returns the
 * number of rows (returned or, for INSERT/UPDATE/DELETE without RETURNING,
 * changed), or -1 on error. */
int db_query(db_conn *c, arena *a, db_res **out, const char *sql, int nparams,
             const char *const *params);

/* db_q(c, a, &res, "SELECT ... $1 ...", p1, p2) - at least one parameter. */
#define db_q(c, a, out, sql, ...)                                                                  \
    db_query((c), (a), (out), (sql),                                                               \
             (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),                  \
             (const char *[]){__VA_ARGS__})

/* As db_query, with binary parameters (attachments, PDFs): lens[i] is the
 * byte length of params[i], sent as a BLOB / BYTEA, or DB_TEXT for an
 * ordinary text parameter. lens NULL: all text. */
#define DB_TEXT ((size_t)-1)
int db_query_bin(db_conn *c, arena *a, db_res **out, const char *sql, int nparams,
                 const char *const *params, const size_t *lens);

/* A BLOB / BYTEA value as bytes (in the result's arena), with its length;
 * NULL for SQL NULL or no such column. */
const void *db_blob(const db_res *r, arena *a, int row, const char *col, size_t *len);

/* A SELECT's rows, or NULL on an error (db_errmsg says why). */
db_res *db_select(db_conn *c, arena *a, const char *sql, int nparams, const char *const *params);

/* Several statements without parameters (migrations). */
int db_exec_script(db_conn *c, const char *sql);

/* Write transactions: SQLite uses BEGIN IMMEDIATE so two writers never
 * deadlock on lock upgrade. db_begin fails inside an open transaction (no
 * nesting). A PostgreSQL connection that breaks inside a transaction is
 * never silently reconnected: every later statement fails with
 * DB_ERR_CONNECTION until db_rollback, so the rest cannot run in
 * autocommit. db_commit failing leaves the transaction to db_rollback. */
int db_begin(db_conn *c);
int db_commit(db_conn *c);
int db_rollback(db_conn *c);
/* 1 between db_begin and db_commit/db_rollback. */
int db_in_tx(const db_conn *c);

/* A unit of work for db_tx: runs its statements on c; returns 0 to commit,
 * a positive value to roll back on purpose (a rule refused the change:
 * not an error), or -1 on a database error. It may run more than once, so
 * it must not have effects outside the database (queue email with
 * mail_enqueue, which is a statement too). */
typedef int (*db_tx_fn)(db_conn *c, arena *a, void *arg);

#define DB_TX_TRIES 5

/* Runs fn in a write transaction and commits. When a statement or the
 * commit fails because of a conflict with another transaction
 * (DB_ERR_BUSY: SQLite busy, PostgreSQL serialization failure 40001,
 * deadlock 40P01, lock timeout), rolls back and runs fn again, up to
 * DB_TX_TRIES times with a short random pause. Returns 0 when committed,
 * fn's positive value (rolled back), or -1 with the error kept on c
 * (db_errkind_of / db_errmsg). Never inside another transaction. */
int db_tx(db_conn *c, arena *a, db_tx_fn fn, void *arg);

/* The row-lock clause for a SELECT inside a write transaction: " FOR
 * UPDATE" (or " FOR UPDATE OF <of>" when of is given) on PostgreSQL; "" on
 * SQLite, where BEGIN IMMEDIATE already keeps other writers out. */
const char *db_for_update(const db_conn *c, arena *a, const char *of);

/* The operator that matches a LIKE pattern ignoring (ASCII) case: "LIKE"
 * on SQLite, whose LIKE already does and can use an index for it;
 * "ILIKE" on PostgreSQL. Static storage. */
const char *db_ilike(const db_conn *c);

/* The SQL for expr, a 'YYYY-MM-DD' text, as the Unix seconds of that
 * day's start in UTC, so a date can be ordered among moments: strftime on
 * SQLite, EXTRACT(EPOCH) on PostgreSQL. In arena a. */
const char *db_date_seconds(const db_conn *c, arena *a, const char *expr);

/* A LIKE pattern that finds the n bytes of w anywhere: "%w%", lower-cased
 * (ASCII) so it also matches lower(column), with LIKE's own characters
 * (% _ \) escaped; the query must say ESCAPE '\' after it. In arena a. */
char *db_like_contains(arena *a, const char *w, size_t n);

/* Serialises write transactions that share a key (an account, an
 * organisation) until the transaction ends: an advisory lock on
 * PostgreSQL; on SQLite BEGIN IMMEDIATE already lets one writer in at a
 * time, so nothing is needed. Call right after db_begin. 0 or -1. */
int db_lock(db_conn *c, arena *a, const char *key);

/* Why the last call on this connection failed. The message is for the log
 * only: never show it to a user. */
db_errkind db_errkind_of(const db_conn *c);
const char *db_errmsg(const db_conn *c);

/* Is the database reachable (for /readyz)? 0 when it is. */
int db_ping(db_conn *c);

/* Result access. */
const char *db_get(const db_res *r, int row, int col);
/* Value by column name, NULL if SQL NULL or no such column. */
const char *db_val(const db_res *r, int row, const char *col);
long long db_int(const db_res *r, int row, const char *col); /* 0 for NULL */

/* Applies migrations/<dialect>/NNNN_*.sql from dir that are not yet recorded
 * in schema_migrations, each in its own transaction, in order. Safe when
 * several servers start at once (PostgreSQL: advisory lock). Returns 0, or
 * -1 with a reason in err. */
int db_migrate(db *d, const char *dir, char *err, size_t errlen);
/* Reads every migration file of dir into memory, so db_migrate and
 * db_migrations_pending can run after the process gave up the rights to
 * read dir (a data folder only root may read). Not thread-safe: call at
 * start-up. 0, or -1 with a reason in err. */
int db_migrations_preload(const char *dir, char *err, size_t errlen);
/* How many migrations in dir are not yet recorded (0: up to date), or -1
 * with a reason in err. Changes nothing. */
int db_migrations_pending(db *d, const char *dir, char *err, size_t errlen);

#endif
