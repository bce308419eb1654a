/* backend.h - private glue between db.c and the two backends.
 *
 * db.c owns the pool and the error state of each connection; a backend owns
 * only its native handle (c->h). Nothing outside src/db includes this.
 */
#ifndef KP_DB_BACKEND_H
#define KP_DB_BACKEND_H

#include <stddef.h>

#include "db/db.h"

typedef struct db_backend {
    db_kind kind;
    /* Opens one connection to target (a file path or a libpq URL). Returns
     * the native handle, or NULL with a one-line reason in err. */
    void *(*open)(const char *target, char *err, size_t errlen);
    void (*close)(void *h);
    /* As db_query_bin(); a may be NULL when out is NULL; lens may be NULL. */
    int (*query)(db_conn *c, arena *a, db_res **out, const char *sql, int nparams,
                 const char *const *params, const size_t *lens);
    int (*exec_script)(db_conn *c, const char *sql);
    /* 1 when the connection is inside a transaction (or a failed one). */
    int (*in_transaction)(db_conn *c);
    /* 1 when the open transaction has failed and can only be rolled back
     * (PostgreSQL answers COMMIT there with a silent ROLLBACK). */
    int (*tx_failed)(db_conn *c);
    const char *begin_sql;
    /* Applies c->lim to the connection. 0 or -1 (error recorded). */
    int (*apply_limits)(db_conn *c);
} db_backend;

struct db_conn {
    db *owner;
    const db_backend *be;
    void *h;
    db_errkind errkind;
    char errmsg[512];
    int in_tx; /* between db_begin and db_commit/db_rollback */
    /* The database ended the transaction under us (SQLite rolls back a
     * write interrupted by the time limit; a broken connection): every
     * statement fails with this kind until db_rollback, so nothing runs in
     * autocommit. DB_ERR_NONE: not lost. */
    db_errkind tx_lost;
    db_limits lim; /* see db_set_limits; the backend applies them */
    int has_turn;  /* SQLite: holds this process's writer turn (db_writer_enter) */
};

extern const db_backend db_sqlite_backend;
extern const db_backend db_postgres_backend;

/* Records why the last call on c failed. Always returns -1 so a backend can
 * write `return db_fail(c, ...)`. */
int db_fail(db_conn *c, db_errkind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* SQLite: the turn of this process's writers (see struct db in db.c).
 * Enter waits for it, at most as long as SQLite's busy_timeout, then fails
 * with DB_ERR_BUSY (-1); leave gives it back when c has it. No-ops for
 * PostgreSQL. */
int db_writer_enter(db_conn *c);
void db_writer_leave(db_conn *c);

/* Copies src into dst (size n), always NUL-terminated, cut at the first
 * newline: libraries append details on later lines that do not belong in a
 * one-line reason. */
void db_first_line(char *dst, size_t n, const char *src);

#endif
