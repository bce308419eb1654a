/* sqlite.c - the SQLite backend.
 *
 * Each pooled connection is used by one thread at a time, so the handle is
 * opened NOMUTEX. Prepared statements are cached per connection: preparing
 * costs more than running most of our queries.
 */
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/backend.h"

#define CACHE_SLOTS 256 /* power of two */
#define CACHE_MAX 192   /* flush everything beyond this: keeps probing short */

struct cached {
    uint64_t hash;
    size_t len;
    char *sql; /* copy of the caller's text (before rewriting), NULL = free */
    sqlite3_stmt *stmt;
};

typedef struct sq_conn {
    sqlite3 *db;
    struct timespec deadline; /* of the statement running now; tv_sec 0: none */
    int ncached;
    struct cached cache[CACHE_SLOTS];
} sq_conn;

static sq_conn *sq(db_conn *c)
{
    return c->h;
}

/* ---- opening ---------------------------------------------------------- */

static int reason(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int reason(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return -1;
}

/* SQLite's own "unable to open database file" does not say why; checking the
 * path first gives the operator a reason they can act on. */
static int check_path(const char *path, char *why, size_t n)
{
    struct stat st;
    if (strcmp(path, ":memory:") == 0) return 0;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return reason(why, n, "is een map");
        if (access(path, R_OK | W_OK) != 0) return reason(why, n, "%s", strerror(errno));
        return 0;
    }
    if (errno != ENOENT) return reason(why, n, "%s", strerror(errno));

    char dir[4096];
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;
    if (len >= sizeof(dir)) return reason(why, n, "pad te lang");
    if (!slash) {
        strcpy(dir, ".");
    } else if (len == 0) {
        strcpy(dir, "/");
    } else {
        memcpy(dir, path, len);
        dir[len] = '\0';
    }

    if (stat(dir, &st) != 0) {
        if (errno == ENOENT) return reason(why, n, "map %s bestaat niet", dir);
        return reason(why, n, "map %s: %s", dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) return reason(why, n, "%s is geen map", dir);
    if (access(dir, W_OK | X_OK) != 0) return reason(why, n, "map %s: %s", dir, strerror(errno));
    return 0;
}

static int journal_cb(void *arg, int ncols, char **vals, char **names)
{
    (void)names;
    if (ncols > 0 && vals[0]) snprintf(arg, 16, "%s", vals[0]);
    return 0;
}

/* busy_timeout first, so switching to WAL waits for another process's lock
 * instead of failing. */
static int apply_pragmas(sqlite3 *h, const char *path, char *why, size_t n)
{
    char mode[16] = "";
    char *msg = NULL;
    int rc = sqlite3_exec(h, "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;", journal_cb,
                          mode, &msg);
    if (rc == SQLITE_OK)
        /* A larger page cache and a memory map keep the catalog's hot pages
         * out of read(2) on every request (measured in bench/). */
        rc = sqlite3_exec(h,
                          "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                          " PRAGMA cache_size = -8000; PRAGMA mmap_size = 268435456;",
                          NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(why, n, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return -1;
    }
    /* An in-memory database reports "memory"; a file that cannot get WAL
     * (read-only medium, no room for the -wal file) is not fit for use. */
    if (strcmp(path, ":memory:") != 0 && strcmp(mode, "wal") != 0) {
        snprintf(why, n, "WAL-modus niet mogelijk (journal_mode=%s)", mode);
        return -1;
    }
    return 0;
}

/* The progress handler runs every PROGRESS_STEPS virtual-machine steps
 * (well under a millisecond); returning 1 interrupts the statement. */
#define PROGRESS_STEPS 4000

static int past_deadline(void *arg)
{
    sq_conn *s = arg;
    if (s->deadline.tv_sec == 0) return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > s->deadline.tv_sec ||
           (now.tv_sec == s->deadline.tv_sec && now.tv_nsec > s->deadline.tv_nsec);
}

static void *sq_open(const char *path, char *err, size_t errlen)
{
    char why[512];
    sqlite3 *h = NULL;
    if (check_path(path, why, sizeof(why)) != 0) goto fail;

    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    int rc = sqlite3_open_v2(path, &h, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(why, sizeof(why), "%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(h, 1);
    if (apply_pragmas(h, path, why, sizeof(why)) != 0) goto fail;

    sq_conn *s = calloc(1, sizeof(*s));
    if (!s) abort();
    s->db = h;
    sqlite3_progress_handler(h, PROGRESS_STEPS, past_deadline, s);
    return s;

fail:
    sqlite3_close_v2(h);
    if (err && errlen) snprintf(err, errlen, "kan database niet openen: %s: %s", path, why);
    return NULL;
}

static void cache_flush(sq_conn *s)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cached *e = &s->cache[i];
        if (!e->sql) continue;
        sqlite3_finalize(e->stmt);
        free(e->sql);
        memset(e, 0, sizeof(*e));
    }
    s->ncached = 0;
}

static void sq_close(void *h)
{
    sq_conn *s = h;
    cache_flush(s);
    sqlite3_close_v2(s->db);
    free(s);
}

/* ---- errors ----------------------------------------------------------- */

static db_errkind kind_of(int ext)
{
    switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
        return DB_ERR_UNIQUE;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return DB_ERR_FOREIGN;
    }
    switch (ext & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_ERR_BUSY;
    case SQLITE_INTERRUPT:
        return DB_ERR_TIMEOUT;
    }
    return DB_ERR_OTHER;
}

static int fail_sqlite(db_conn *c)
{
    sqlite3 *h = sq(c)->db;
    int ext = sqlite3_extended_errcode(h);
    return db_fail(c, kind_of(ext), "sqlite: %s", sqlite3_errmsg(h));
}

/* ---- $N -> ?N --------------------------------------------------------- */

/* Skips a quoted run starting at p (on the opening quote). A doubled quote
 * inside is an escaped quote, which the loop handles by reopening. */
static const char *skip_quoted(const char *p, char close)
{
    for (p++; *p; p++)
        if (*p == close) return p + 1;
    return p;
}

static const char *skip_comment(const char *p)
{
    if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n')
            p++;
        return p;
    }
    /* block comment */
    for (p += 2; *p; p++)
        if (p[0] == '*' && p[1] == '/') return p + 2;
    return p;
}

/* Returns where the lexical element at p ends if it is a literal, quoted
 * identifier or comment, or NULL if p starts ordinary SQL text. */
static const char *skip_opaque(const char *p)
{
    switch (*p) {
    case '\'':
    case '"':
    case '`':
        return skip_quoted(p, *p);
    case '[':
        return skip_quoted(p, ']');
    case '-':
        return p[1] == '-' ? skip_comment(p) : NULL;
    case '/':
        return p[1] == '*' ? skip_comment(p) : NULL;
    }
    return NULL;
}

/* "$" also occurs inside identifiers such as a$1, which are not parameters. */
static int ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '$' || (unsigned char)ch >= 0x80;
}

/* SQLite numbers "$1" by first appearance, so "SELECT $2, $1" would bind the
 * wrong way round; "?1" means parameter 1 exactly as PostgreSQL's "$1". */
static char *rewrite_params(const char *sql)
{
    char *out = strdup(sql);
    if (!out) abort();
    const char *p = sql;
    while (*p) {
        const char *end = skip_opaque(p);
        if (end) {
            p = end;
            continue;
        }
        if (p[0] == '$' && p[1] >= '0' && p[1] <= '9' && !(p > sql && ident_char(p[-1])))
            out[p - sql] = '?';
        p++;
    }
    return out;
}

/* Anything but blanks, semicolons and comments after the first statement
 * means several statements: PostgreSQL refuses that, so do we. */
static int only_noise(const char *p)
{
    while (*p) {
        if (strchr(" \t\r\n;", *p)) {
            p++;
        } else if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
            p = skip_comment(p);
        } else {
            return 0;
        }
    }
    return 1;
}

/* ---- statement cache -------------------------------------------------- */

static uint64_t hash_sql(const char *s, size_t *len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    const char *p = s;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    *len = (size_t)(p - s);
    return h;
}

/* The slot holding sql, or the free slot where it belongs. */
static struct cached *cache_slot(sq_conn *s, const char *sql, uint64_t h, size_t len)
{
    size_t i = (size_t)h & (CACHE_SLOTS - 1);
    for (;;) {
        struct cached *e = &s->cache[i];
        if (!e->sql) return e;
        if (e->hash == h && e->len == len && memcmp(e->sql, sql, len) == 0) return e;
        i = (i + 1) & (CACHE_SLOTS - 1);
    }
}

static int prepare_new(db_conn *c, const char *sql, sqlite3_stmt **out)
{
    char *text = rewrite_params(sql);
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(sq(c)->db, text, -1, SQLITE_PREPARE_PERSISTENT, out, &tail);
    int several = rc == SQLITE_OK && *out && !only_noise(tail);
    free(text);
    if (rc != SQLITE_OK) return fail_sqlite(c);
    if (!*out) return db_fail(c, DB_ERR_OTHER, "sqlite: lege SQL");
    if (several) {
        sqlite3_finalize(*out);
        *out = NULL;
        return db_fail(c, DB_ERR_OTHER,
                       "db_query: meer dan een statement (gebruik db_exec_script)");
    }
    return 0;
}

static sqlite3_stmt *get_stmt(db_conn *c, const char *sql)
{
    sq_conn *s = sq(c);
    size_t len;
    uint64_t h = hash_sql(sql, &len);
    struct cached *e = cache_slot(s, sql, h, len);
    if (e->sql) return e->stmt;

    sqlite3_stmt *stmt;
    if (prepare_new(c, sql, &stmt) != 0) return NULL;
    if (s->ncached >= CACHE_MAX) {
        cache_flush(s);
        e = cache_slot(s, sql, h, len);
    }
    e->sql = malloc(len + 1);
    if (!e->sql) abort();
    memcpy(e->sql, sql, len + 1);
    e->hash = h;
    e->len = len;
    e->stmt = stmt;
    s->ncached++;
    return stmt;
}

/* ---- binding ---------------------------------------------------------- */

/* Only text that reads back identically ("42", "-7", not "007" or "-0") is
 * bound as an integer, so phone numbers and postcodes keep their zeros. */
static int canonical_int(const char *s, sqlite3_int64 *v)
{
    const char *d = s[0] == '-' ? s + 1 : s;
    size_t n = strlen(d);
    if (n == 0 || n > 18) return 0;
    if (d[0] == '0' && (n > 1 || d != s)) return 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] < '0' || d[i] > '9') return 0;
    *v = strtoll(s, NULL, 10);
    return 1;
}

static int bind_params(db_conn *c, sqlite3_stmt *stmt, int n, const char *const *params,
                       const size_t *lens)
{
    int want = sqlite3_bind_parameter_count(stmt);
    if (want != n)
        return db_fail(c, DB_ERR_OTHER, "SQL verwacht %d parameters, kreeg er %d", want, n);
    for (int i = 0; i < n; i++) {
        sqlite3_int64 v;
        int rc;
        if (!params[i])
            rc = sqlite3_bind_null(stmt, i + 1);
        else if (lens && lens[i] != DB_TEXT)
            rc =
                sqlite3_bind_blob64(stmt, i + 1, params[i], (sqlite3_uint64)lens[i], SQLITE_STATIC);
        else if (canonical_int(params[i], &v))
            rc = sqlite3_bind_int64(stmt, i + 1, v);
        else /* static: the caller's strings outlive the call, bindings are cleared after */
            rc = sqlite3_bind_text(stmt, i + 1, params[i], -1, SQLITE_STATIC);
        if (rc != SQLITE_OK) return fail_sqlite(c);
    }
    return 0;
}

/* ---- results ---------------------------------------------------------- */

/* Shortest text that reads back as the same double, like PostgreSQL's
 * float8 output ("0.1", not "0.10000000000000001"). */
static char *real_text(arena *a, double v)
{
    if (isinf(v)) return arena_strdup(a, v > 0 ? "Infinity" : "-Infinity");
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) break;
    }
    return arena_strdup(a, tmp);
}

static const char *value_text(arena *a, sqlite3_stmt *stmt, int col)
{
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
        return NULL;
    case SQLITE_INTEGER:
        return arena_printf(a, "%lld", (long long)sqlite3_column_int64(stmt, col));
    case SQLITE_FLOAT:
        return real_text(a, sqlite3_column_double(stmt, col));
    case SQLITE_BLOB: {
        const void *p = sqlite3_column_blob(stmt, col);
        return arena_strndup(a, p ? p : "", (size_t)sqlite3_column_bytes(stmt, col));
    }
    default: {
        const unsigned char *p = sqlite3_column_text(stmt, col);
        return arena_strndup(a, p ? (const char *)p : "", (size_t)sqlite3_column_bytes(stmt, col));
    }
    }
}

typedef struct rowbuf {
    db_res *res;
    size_t *lens;
    size_t cap; /* values allocated */
} rowbuf;

static db_res *res_new(arena *a, sqlite3_stmt *stmt)
{
    db_res *r = arena_zalloc(a, sizeof(*r));
    r->ncols = sqlite3_column_count(stmt);
    r->cols = arena_alloc(a, sizeof(char *) * (size_t)(r->ncols ? r->ncols : 1));
    for (int i = 0; i < r->ncols; i++)
        r->cols[i] = arena_strdup(a, sqlite3_column_name(stmt, i));
    return r;
}

static void add_row(arena *a, rowbuf *rb, sqlite3_stmt *stmt)
{
    db_res *r = rb->res;
    size_t nc = (size_t)r->ncols, used = (size_t)r->nrows * nc;
    if (used + nc > rb->cap) {
        size_t cap = rb->cap ? rb->cap * 2 : nc * 16;
        const char **vals = arena_alloc(a, sizeof(char *) * cap);
        size_t *lens = arena_alloc(a, sizeof(size_t) * cap);
        if (used) {
            memcpy(vals, r->vals, sizeof(char *) * used);
            memcpy(lens, rb->lens, sizeof(size_t) * used);
        }
        r->vals = vals;
        r->lens = rb->lens = lens;
        rb->cap = cap;
    }
    for (size_t i = 0; i < nc; i++) {
        r->vals[used + i] = value_text(a, stmt, (int)i);
        /* after the value: sqlite3_column_bytes of the type it was read as */
        rb->lens[used + i] = (size_t)sqlite3_column_bytes(stmt, (int)i);
    }
    r->nrows++;
}

/* Steps to the end; returns rows seen or -1 (error recorded). */
static int run(db_conn *c, arena *a, db_res **out, sqlite3_stmt *stmt)
{
    rowbuf rb = {out ? res_new(a, stmt) : NULL, NULL, 0};
    int nrows = 0, rc;
    int ncols = sqlite3_column_count(stmt);
    sqlite3_int64 before = sqlite3_total_changes64(sq(c)->db);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        nrows++;
        if (rb.res && ncols > 0) add_row(a, &rb, stmt);
    }
    if (rc != SQLITE_DONE) return fail_sqlite(c);
    if (out) *out = rb.res;
    if (ncols > 0) return nrows;
    /* sqlite3_changes() keeps the count of the last DML, so after DDL or
     * BEGIN it would be stale: only trust it when something changed. */
    if (sqlite3_total_changes64(sq(c)->db) == before) return 0;
    return (int)sqlite3_changes64(sq(c)->db);
}

static void start_clock(db_conn *c)
{
    sq_conn *s = sq(c);
    if (c->lim.query_ms <= 0) return;
    clock_gettime(CLOCK_MONOTONIC, &s->deadline);
    s->deadline.tv_sec += c->lim.query_ms / 1000;
    s->deadline.tv_nsec += (long)(c->lim.query_ms % 1000) * 1000000L;
    if (s->deadline.tv_nsec >= 1000000000L) {
        s->deadline.tv_sec++;
        s->deadline.tv_nsec -= 1000000000L;
    }
}

static int sq_query(db_conn *c, arena *a, db_res **out, const char *sql, int nparams,
                    const char *const *params, const size_t *lens)
{
    sqlite3_stmt *stmt = get_stmt(c, sql);
    if (!stmt) return -1;
    /* a write outside a transaction waits for its turn, as db_begin did
     * before its BEGIN IMMEDIATE */
    int turn = !c->has_turn && sqlite3_get_autocommit(sq(c)->db) && !sqlite3_stmt_readonly(stmt);
    if (turn && db_writer_enter(c) != 0) return -1;
    int n = bind_params(c, stmt, nparams, params, lens);
    if (n == 0) {
        start_clock(c);
        n = run(c, a, out, stmt);
        sq(c)->deadline.tv_sec = 0;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (turn) db_writer_leave(c);
    return n;
}

static int sq_exec_script(db_conn *c, const char *sql)
{
    char *msg = NULL;
    sqlite3 *h = sq(c)->db;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    db_fail(c, kind_of(sqlite3_extended_errcode(h)), "sqlite: %s", msg ? msg : sqlite3_errmsg(h));
    sqlite3_free(msg);
    return -1;
}

/* The query limit is read at each statement (start_clock); SQLite has no
 * lock or idle-transaction timeouts to set. */
static int sq_apply_limits(db_conn *c)
{
    (void)c;
    return 0;
}

static int sq_in_transaction(db_conn *c)
{
    return !sqlite3_get_autocommit(sq(c)->db);
}

/* SQLite ends a failed transaction itself (tx_lost in db.c) or keeps it
 * usable: never open and failed. */
static int sq_tx_failed(db_conn *c)
{
    (void)c;
    return 0;
}

const db_backend db_sqlite_backend = {
    .kind = DB_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .query = sq_query,
    .exec_script = sq_exec_script,
    .in_transaction = sq_in_transaction,
    .tx_failed = sq_tx_failed,
    .begin_sql = "BEGIN IMMEDIATE",
    .apply_limits = sq_apply_limits,
};
