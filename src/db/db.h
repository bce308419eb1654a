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
    DB_ERR_CONNECTION, /* the server went away */
    DB_ERR_OTHER,
} db_errkind;

typedef struct db_res {
    int nrows, ncols;
    const char **cols; /* ncols column names */
    const char **vals; /* nrows * ncols values, row-major; NULL is SQL NULL */
} db_res;

/* url: "sqlite:PATH" or "postgresql://..." / "postgres://...".
 * pool_size connections are opened (PostgreSQL lazily reconnects a broken
 * one). On failure returns -1 and writes a one-line reason to err. */
int db_open(const char *url, int pool_size, db **out, char *err, size_t errlen);
void db_close(db *d);
db_kind db_kind_of(const db *d);

/* Blocks until a connection is free. Never NULL. */
db_conn *db_acquire(db *d);
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

/* A SELECT's rows, or NULL on an error (db_errmsg says why). */
db_res *db_select(db_conn *c, arena *a, const char *sql, int nparams, const char *const *params);

/* Several statements without parameters (migrations). */
int db_exec_script(db_conn *c, const char *sql);

/* Write transactions: SQLite uses BEGIN IMMEDIATE so two writers never
 * deadlock on lock upgrade. */
int db_begin(db_conn *c);
int db_commit(db_conn *c);
int db_rollback(db_conn *c);

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

#endif
