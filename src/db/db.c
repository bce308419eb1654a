/* db.c - URL dispatch, the connection pool, error state and result access.
 * The SQL itself is run by the backends in sqlite.c and postgres.c. */
#include "db/db.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "db/backend.h"

/* A pool larger than this is a configuration mistake, not a wish. */
#define DB_POOL_MAX 256

struct db {
    const db_backend *be;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int size;
    db_conn *conns;
    db_conn **idle; /* stack of free connections */
    int nidle;
    /* SQLite lets one writer in at a time. The threads of this process
     * that want to write wait here, asleep, and the next one is woken the
     * moment the writer before it ends; left to SQLite's busy handler they
     * would poll in sleeps that grow to 100 ms and lose the lock again and
     * again to later arrivals (a second and more at the tail of a rush of
     * enrolments, bench/enrol.sh). Writers in other processes still meet
     * the busy handler. Taken by db_begin, given back when the transaction
     * ends (a semaphore: db_release may end it on another thread), and
     * around a write outside a transaction (sqlite.c). */
    sem_t writer;
    int one_writer;
};

/* As long as SQLite's busy_timeout (sqlite.c): then DB_ERR_BUSY, as from
 * SQLite itself. */
#define WRITER_WAIT_MS 5000

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void db_first_line(char *dst, size_t n, const char *src)
{
    if (n == 0) return;
    if (!src) src = "";
    size_t len = strcspn(src, "\r\n");
    if (len >= n) len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

int db_fail(db_conn *c, db_errkind kind, const char *fmt, ...)
{
    c->errkind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
    va_end(ap);
    return -1;
}

static void clear_error(db_conn *c)
{
    c->errkind = DB_ERR_NONE;
    c->errmsg[0] = '\0';
}

/* Picks the backend from the URL scheme; *target is what the backend gets. */
static const db_backend *backend_for(const char *url, const char **target)
{
    if (strncmp(url, "sqlite:", 7) == 0) {
        *target = url + 7;
        return &db_sqlite_backend;
    }
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        *target = url;
        return &db_postgres_backend;
    }
    return NULL;
}

static void pool_free(db *d)
{
    for (int i = 0; i < d->size; i++)
        if (d->conns[i].h) d->be->close(d->conns[i].h);
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
    sem_destroy(&d->writer);
    free(d->conns);
    free(d->idle);
    free(d);
}

int db_open(const char *url, int pool_size, db **out, char *err, size_t errlen)
{
    *out = NULL;
    const char *target = NULL;
    const db_backend *be = url ? backend_for(url, &target) : NULL;
    if (!be) {
        set_err(err, errlen, "KLANTPORTAL_DB moet beginnen met sqlite: of postgresql://");
        return -1;
    }
    if (be->kind == DB_SQLITE && target[0] == '\0') {
        set_err(err, errlen, "KLANTPORTAL_DB: pad na sqlite: ontbreekt");
        return -1;
    }
    if (pool_size < 1 || pool_size > DB_POOL_MAX) {
        set_err(err, errlen, "database pool moet 1..%d verbindingen hebben, niet %d", DB_POOL_MAX,
                pool_size);
        return -1;
    }

    db *d = calloc(1, sizeof(*d));
    if (!d) abort();
    d->be = be;
    d->conns = calloc((size_t)pool_size, sizeof(*d->conns));
    d->idle = calloc((size_t)pool_size, sizeof(*d->idle));
    if (!d->conns || !d->idle) abort();
    pthread_mutex_init(&d->mu, NULL);
    sem_init(&d->writer, 0, 1);
    d->one_writer = be->kind == DB_SQLITE;
    /* waits are measured on the monotonic clock: a clock change must not
     * make a request wait for a connection for hours */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&d->cv, &ca);
    pthread_condattr_destroy(&ca);
    d->size = pool_size;

    for (int i = 0; i < pool_size; i++) {
        db_conn *c = &d->conns[i];
        c->owner = d;
        c->be = be;
        c->h = be->open(target, err, errlen);
        if (!c->h) {
            pool_free(d);
            return -1;
        }
        d->idle[d->nidle++] = c;
    }
    *out = d;
    return 0;
}

void db_close(db *d)
{
    if (d) pool_free(d);
}

db_kind db_kind_of(const db *d)
{
    return d->be->kind;
}

void db_set_limits(db *d, const db_limits *l)
{
    for (int i = 0; i < d->size; i++) {
        db_conn *c = &d->conns[i];
        c->lim = *l;
        c->be->apply_limits(c);
    }
}

int db_writer_enter(db_conn *c)
{
    db *d = c->owner;
    if (!d->one_writer || c->has_turn) return 0;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += WRITER_WAIT_MS / 1000;
    int rc;
    do
        rc = sem_clockwait(&d->writer, CLOCK_MONOTONIC, &until);
    while (rc != 0 && errno == EINTR);
    if (rc != 0)
        return db_fail(c, DB_ERR_BUSY, "sqlite: geen schrijfbeurt binnen %d ms", WRITER_WAIT_MS);
    c->has_turn = 1;
    return 0;
}

void db_writer_leave(db_conn *c)
{
    if (!c->has_turn) return;
    c->has_turn = 0;
    sem_post(&c->owner->writer);
}

db_conn *db_acquire(db *d)
{
    pthread_mutex_lock(&d->mu);
    while (d->nidle == 0)
        pthread_cond_wait(&d->cv, &d->mu);
    db_conn *c = d->idle[--d->nidle];
    pthread_mutex_unlock(&d->mu);
    clear_error(c);
    return c;
}

db_conn *db_acquire_wait(db *d, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&d->mu);
    int rc = 0;
    while (d->nidle == 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&d->cv, &d->mu, &until);
    db_conn *c = d->nidle > 0 ? d->idle[--d->nidle] : NULL;
    pthread_mutex_unlock(&d->mu);
    if (c) clear_error(c);
    return c;
}

void db_release(db *d, db_conn *c)
{
    if (!c) return;
    /* A transaction left open by an error path would otherwise be inherited
     * by the next request, holding locks or silently swallowing its writes. */
    if (c->in_tx || c->be->in_transaction(c))
        c->be->query(c, NULL, NULL, "ROLLBACK", 0, NULL, NULL);
    db_writer_leave(c);
    c->in_tx = 0;
    pthread_mutex_lock(&d->mu);
    d->idle[d->nidle++] = c;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

db_kind db_conn_kind(const db_conn *c)
{
    return c->be->kind;
}

int db_query_bin(db_conn *c, arena *a, db_res **out, const char *sql, int nparams,
                 const char *const *params, const size_t *lens)
{
    clear_error(c);
    if (out) *out = NULL;
    if (!sql || nparams < 0 || (nparams > 0 && !params) || (out && !a))
        return db_fail(c, DB_ERR_OTHER, "db_query: ongeldige argumenten");
    if (c->in_tx && c->tx_lost)
        return db_fail(c, c->tx_lost, "de transactie is al afgebroken; eerst terugdraaien");
    int n = c->be->query(c, a, out, sql, nparams, params, lens);
    if (n < 0 && c->in_tx && !c->be->in_transaction(c)) c->tx_lost = c->errkind;
    return n;
}

int db_query(db_conn *c, arena *a, db_res **out, const char *sql, int nparams,
             const char *const *params)
{
    return db_query_bin(c, a, out, sql, nparams, params, NULL);
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

const void *db_blob(const db_res *r, arena *a, int row, const char *col, size_t *len)
{
    *len = 0;
    if (!r || !col) return NULL;
    int i = -1;
    for (int k = 0; k < r->ncols; k++)
        if (strcmp(r->cols[k], col) == 0) i = k;
    const char *v = i < 0 ? NULL : db_get(r, row, i);
    if (!v) return NULL;
    size_t n = r->lens ? r->lens[(size_t)row * (size_t)r->ncols + (size_t)i] : strlen(v);
    if (!r->bytea_hex) {
        *len = n;
        return v;
    }
    /* PostgreSQL's text form of BYTEA: "\x" and two hex digits a byte */
    if (n < 2 || v[0] != '\\' || v[1] != 'x' || n % 2 != 0) return NULL;
    unsigned char *out = arena_alloc(a, (n - 2) / 2 + 1);
    for (size_t k = 2; k < n; k += 2) {
        int hi = hex_digit(v[k]), lo = hex_digit(v[k + 1]);
        if (hi < 0 || lo < 0) return NULL;
        out[(k - 2) / 2] = (unsigned char)(hi << 4 | lo);
    }
    *len = (n - 2) / 2;
    return out;
}

int db_exec_script(db_conn *c, const char *sql)
{
    clear_error(c);
    if (!sql) return db_fail(c, DB_ERR_OTHER, "db_exec_script: geen SQL");
    return c->be->exec_script(c, sql);
}

static int simple(db_conn *c, const char *sql)
{
    return db_query(c, NULL, NULL, sql, 0, NULL) < 0 ? -1 : 0;
}

int db_begin(db_conn *c)
{
    if (c->in_tx) return db_fail(c, DB_ERR_OTHER, "db_begin: al in een transactie");
    if (db_writer_enter(c) != 0) return -1;
    if (simple(c, c->be->begin_sql) != 0) {
        db_writer_leave(c);
        return -1;
    }
    c->in_tx = 1;
    return 0;
}

int db_commit(db_conn *c)
{
    /* a statement failed inside: COMMIT would quietly roll back */
    if (c->in_tx && c->be->tx_failed(c))
        return db_fail(c, c->errkind != DB_ERR_NONE ? c->errkind : DB_ERR_OTHER,
                       "commit na een mislukte opdracht in de transactie");
    int rc = simple(c, "COMMIT");
    /* a failed COMMIT may leave the transaction open (SQLite busy): the
     * caller's db_rollback ends it */
    if (rc == 0) {
        c->in_tx = 0;
        db_writer_leave(c);
    }
    return rc;
}

int db_rollback(db_conn *c)
{
    int lost = c->tx_lost != DB_ERR_NONE;
    c->tx_lost = DB_ERR_NONE;
    c->in_tx = 0;
    /* a lost transaction is over already: nothing to roll back; the turn
     * passes on only once the write lock is given up */
    int rc = lost ? 0 : simple(c, "ROLLBACK");
    db_writer_leave(c);
    return rc;
}

int db_in_tx(const db_conn *c)
{
    return c->in_tx;
}

/* A random pause before the next try, growing with the tries, so two
 * transactions that collided do not collide again in step. */
static void tx_pause(int tries)
{
    unsigned max_ms = 5u << (tries < 6 ? tries : 6);
    usleep((useconds_t)(1 + randombytes_uniform(max_ms)) * 1000);
}

int db_tx(db_conn *c, arena *a, db_tx_fn fn, void *arg)
{
    for (int tries = 1;; tries++) {
        int rc = -1;
        if (db_begin(c) == 0) {
            rc = fn(c, a, arg);
            if (rc == 0 && db_commit(c) == 0) return 0;
        }
        /* keep the reason across the rollback, which clears it */
        db_errkind kind = c->errkind;
        char msg[sizeof c->errmsg];
        memcpy(msg, c->errmsg, sizeof msg);
        if (c->in_tx) db_rollback(c);
        c->errkind = kind;
        memcpy(c->errmsg, msg, sizeof msg);
        if (rc > 0) return rc;
        if (kind != DB_ERR_BUSY || tries >= DB_TX_TRIES) return -1;
        tx_pause(tries);
    }
}

const char *db_for_update(const db_conn *c, arena *a, const char *of)
{
    if (c->be->kind != DB_POSTGRES) return "";
    return of ? arena_printf(a, " FOR UPDATE OF %s", of) : " FOR UPDATE";
}

char *db_like_contains(arena *a, const char *w, size_t n)
{
    buf b;
    buf_init(&b, a, n + 8);
    buf_putc(&b, '%');
    for (size_t i = 0; i < n; i++) {
        char ch = w[i];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        if (ch == '%' || ch == '_' || ch == '\\') buf_putc(&b, '\\');
        buf_putc(&b, ch);
    }
    buf_putc(&b, '%');
    return b.data;
}

const char *db_ilike(const db_conn *c)
{
    return c->be->kind == DB_POSTGRES ? "ILIKE" : "LIKE";
}

const char *db_date_seconds(const db_conn *c, arena *a, const char *expr)
{
    if (c->be->kind == DB_POSTGRES)
        return arena_printf(a, "CAST(EXTRACT(EPOCH FROM CAST(%s AS DATE)) AS BIGINT)", expr);
    return arena_printf(a, "CAST(strftime('%%s', %s) AS INTEGER)", expr);
}

db_errkind db_errkind_of(const db_conn *c)
{
    return c->errkind;
}

const char *db_errmsg(const db_conn *c)
{
    return c->errmsg;
}

int db_ping(db_conn *c)
{
    return simple(c, "SELECT 1");
}

const char *db_get(const db_res *r, int row, int col)
{
    if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols) return NULL;
    return r->vals[(size_t)row * (size_t)r->ncols + (size_t)col];
}

static int col_index(const db_res *r, const char *col)
{
    for (int i = 0; i < r->ncols; i++)
        if (strcmp(r->cols[i], col) == 0) return i;
    return -1;
}

const char *db_val(const db_res *r, int row, const char *col)
{
    if (!r || !col) return NULL;
    int i = col_index(r, col);
    return i < 0 ? NULL : db_get(r, row, i);
}

long long db_int(const db_res *r, int row, const char *col)
{
    const char *v = db_val(r, row, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

int db_lock(db_conn *c, arena *a, const char *key)
{
    if (db_conn_kind(c) != DB_POSTGRES) return 0;
    return db_q(c, a, NULL, "SELECT pg_advisory_xact_lock(hashtext($1))", key) < 0 ? -1 : 0;
}

db_res *db_select(db_conn *c, arena *a, const char *sql, int nparams, const char *const *params)
{
    db_res *r = NULL;
    return db_query(c, a, &r, sql, nparams, params) < 0 ? NULL : r;
}
