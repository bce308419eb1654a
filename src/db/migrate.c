/* migrate.c - applies migrations/<dialect>/NNNN_name.sql in number order.
 *
 * Each file runs together with its schema_migrations row in one
 * transaction, so a file is either fully applied and recorded or not at all.
 * Several servers may start at once: PostgreSQL serialises the whole run with
 * an advisory lock, SQLite serialises each file with BEGIN IMMEDIATE, and the
 * "already applied?" check is repeated inside the transaction.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"

/* Arbitrary but fixed: every Klantportal server must use the same key. */
#define MIGRATE_LOCK_SQL "SELECT pg_advisory_lock(7412503311)"
#define MIGRATE_UNLOCK_SQL "SELECT pg_advisory_unlock(7412503311)"

#define MAX_NAME 256

typedef struct migration {
    long version;
    char file[MAX_NAME];
} migration;

typedef struct mlist {
    migration *items;
    int n, cap;
} mlist;

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

/* "0001_name.sql" -> 1. Anything else (editor backups, READMEs) -> -1. */
static long parse_version(const char *file)
{
    size_t len = strlen(file), digits = 0;
    while (isdigit((unsigned char)file[digits]))
        digits++;
    if (digits == 0 || digits > 9 || file[digits] != '_') return -1;
    if (len < digits + 1 + 1 + 4 || strcmp(file + len - 4, ".sql") != 0) return -1;
    if (len >= MAX_NAME) return -1;
    return strtol(file, NULL, 10);
}

static void mlist_add(mlist *l, long version, const char *file)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->items = realloc(l->items, sizeof(*l->items) * (size_t)l->cap);
        if (!l->items) abort();
    }
    l->items[l->n].version = version;
    snprintf(l->items[l->n].file, MAX_NAME, "%s", file);
    l->n++;
}

static int by_version(const void *a, const void *b)
{
    long x = ((const migration *)a)->version, y = ((const migration *)b)->version;
    return (x > y) - (x < y);
}

/* Migration files read ahead (db_migrations_preload): path and text,
 * owned by this file for the life of the process. */
typedef struct preloaded {
    char *dir;
    mlist l;
    char **text; /* per l.items[i] */
} preloaded;

static preloaded pre[4];
static int npre;

static const preloaded *preloaded_dir(const char *dir)
{
    for (int i = 0; i < npre; i++)
        if (strcmp(pre[i].dir, dir) == 0) return &pre[i];
    return NULL;
}

static int list_dir(const char *path, mlist *l, char *err, size_t errlen)
{
    const preloaded *p = preloaded_dir(path);
    if (p) {
        for (int i = 0; i < p->l.n; i++)
            mlist_add(l, p->l.items[i].version, p->l.items[i].file);
        return 0;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        set_err(err, errlen, "migratiemap %s: %s", path, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        long v = parse_version(e->d_name);
        if (v >= 0) mlist_add(l, v, e->d_name);
    }
    closedir(dir);
    qsort(l->items, (size_t)l->n, sizeof(*l->items), by_version);
    for (int i = 1; i < l->n; i++) {
        if (l->items[i].version == l->items[i - 1].version) {
            set_err(err, errlen, "migraties %s en %s hebben hetzelfde nummer", l->items[i - 1].file,
                    l->items[i].file);
            return -1;
        }
    }
    return 0;
}

/* Whole file as a NUL-terminated string in the arena, or NULL (errno). */
static char *read_file(arena *a, const char *path)
{
    for (int i = 0; i < npre; i++)
        for (int k = 0; k < pre[i].l.n; k++) {
            size_t n = strlen(pre[i].dir);
            if (strncmp(path, pre[i].dir, n) == 0 && path[n] == '/' &&
                strcmp(path + n + 1, pre[i].l.items[k].file) == 0)
                return arena_strdup(a, pre[i].text[k]);
        }
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *text = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        text = arena_alloc(a, (size_t)size + 1);
        size_t got = fread(text, 1, (size_t)size, f);
        if (got != (size_t)size || ferror(f)) {
            text = NULL;
            errno = EIO;
        } else {
            text[size] = '\0';
        }
    }
    fclose(f);
    return text;
}

static int is_applied(db_conn *c, arena *a, long version)
{
    const char *v = arena_printf(a, "%ld", version);
    return db_q(c, a, NULL, "SELECT 1 FROM schema_migrations WHERE version = $1", v);
}

/* Runs one file and records it; the caller has started the transaction. */
static int run_one(db_conn *c, arena *a, const char *dir, const migration *m, char *err,
                   size_t errlen)
{
    int applied = is_applied(c, a, m->version);
    if (applied != 0) {
        if (applied > 0) return 0; /* another server was quicker */
        set_err(err, errlen, "migratie %s: %s", m->file, db_errmsg(c));
        return -1;
    }
    const char *path = arena_printf(a, "%s/%s", dir, m->file);
    const char *sql = read_file(a, path);
    if (!sql) {
        set_err(err, errlen, "kan migratie %s niet lezen: %s", path, strerror(errno));
        return -1;
    }
    if (db_exec_script(c, sql) != 0 ||
        db_q(c, a, NULL,
             "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
             arena_printf(a, "%ld", m->version), m->file,
             arena_printf(a, "%lld", (long long)time(NULL))) < 0) {
        set_err(err, errlen, "migratie %s mislukt: %s", m->file, db_errmsg(c));
        return -1;
    }
    return 0;
}

static int apply_one(db_conn *c, arena *a, const char *dir, const migration *m, char *err,
                     size_t errlen)
{
    if (db_begin(c) != 0) {
        set_err(err, errlen, "migratie %s: %s", m->file, db_errmsg(c));
        return -1;
    }
    if (run_one(c, a, dir, m, err, errlen) != 0) {
        db_rollback(c);
        return -1;
    }
    if (db_commit(c) != 0) {
        set_err(err, errlen, "migratie %s mislukt bij commit: %s", m->file, db_errmsg(c));
        db_rollback(c);
        return -1;
    }
    return 0;
}

static int ensure_table(db_conn *c, char *err, size_t errlen)
{
    const char *sql = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                      "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                      "applied_at BIGINT NOT NULL)";
    if (db_query(c, NULL, NULL, sql, 0, NULL) >= 0) return 0;
    set_err(err, errlen, "schema_migrations aanmaken: %s", db_errmsg(c));
    return -1;
}

/* Versions already recorded (any order). */
static int load_applied(db_conn *c, arena *a, db_res **out, char *err, size_t errlen)
{
    if (db_query(c, a, out, "SELECT version FROM schema_migrations", 0, NULL) >= 0) return 0;
    set_err(err, errlen, "schema_migrations lezen: %s", db_errmsg(c));
    return -1;
}

static int recorded(const db_res *applied, long version)
{
    for (int i = 0; i < applied->nrows; i++)
        if (strtol(db_get(applied, i, 0), NULL, 10) == version) return 1;
    return 0;
}

static int migrate_all(db_conn *c, arena *a, const char *dir, const mlist *l, char *err,
                       size_t errlen)
{
    db_res *applied;
    if (ensure_table(c, err, errlen) != 0 || load_applied(c, a, &applied, err, errlen) != 0)
        return -1;
    for (int i = 0; i < l->n; i++) {
        if (recorded(applied, l->items[i].version)) continue;
        if (apply_one(c, a, dir, &l->items[i], err, errlen) != 0) return -1;
    }
    return 0;
}

/* The migration files of d's dialect below dir, in order: *path is that
 * folder. 0, or -1 with a reason in err (the list freed). */
static int dialect_files(db *d, const char *dir, char *path, size_t n, mlist *l, char *err,
                         size_t errlen)
{
    snprintf(path, n, "%s/%s", dir, db_kind_of(d) == DB_POSTGRES ? "postgresql" : "sqlite");
    if (list_dir(path, l, err, errlen) == 0) return 0;
    free(l->items);
    return -1;
}

int db_migrate(db *d, const char *dir, char *err, size_t errlen)
{
    int pg = db_kind_of(d) == DB_POSTGRES;
    char path[4096];
    mlist l = {0};
    if (dialect_files(d, dir, path, sizeof path, &l, err, errlen) != 0) return -1;

    arena *a = arena_new(0);
    db_conn *c = db_acquire(d);
    int rc = -1;
    if (pg && db_query(c, NULL, NULL, MIGRATE_LOCK_SQL, 0, NULL) < 0) {
        set_err(err, errlen, "migratielock: %s", db_errmsg(c));
    } else {
        rc = migrate_all(c, a, path, &l, err, errlen);
        if (pg) db_query(c, NULL, NULL, MIGRATE_UNLOCK_SQL, 0, NULL);
    }
    db_release(d, c);
    arena_free(a);
    free(l.items);
    return rc;
}

int db_migrations_pending(db *d, const char *dir, char *err, size_t errlen)
{
    char path[4096];
    mlist l = {0};
    if (dialect_files(d, dir, path, sizeof path, &l, err, errlen) != 0) return -1;
    arena *a = arena_new(0);
    db_conn *c = db_acquire(d);
    db_res *applied;
    int pending = -1;
    if (ensure_table(c, err, errlen) == 0 && load_applied(c, a, &applied, err, errlen) == 0) {
        pending = 0;
        for (int i = 0; i < l.n; i++)
            if (!recorded(applied, l.items[i].version)) pending++;
    }
    db_release(d, c);
    arena_free(a);
    free(l.items);
    return pending;
}

int db_migrations_preload(const char *dir, char *err, size_t errlen)
{
    static const char *const dialects[] = {"sqlite", "postgresql"};
    for (size_t i = 0; i < 2 && npre < (int)(sizeof pre / sizeof pre[0]); i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, dialects[i]);
        if (preloaded_dir(path)) continue;
        preloaded p = {0};
        if (list_dir(path, &p.l, err, errlen) != 0) {
            free(p.l.items);
            return -1;
        }
        p.text = calloc((size_t)(p.l.n ? p.l.n : 1), sizeof *p.text);
        arena *a = arena_new(0);
        for (int k = 0; k < p.l.n; k++) {
            const char *file = arena_printf(a, "%s/%s", path, p.l.items[k].file);
            char *text = read_file(a, file);
            if (!text || !p.text) {
                set_err(err, errlen, "kan migratie %s niet lezen: %s", file, strerror(errno));
                arena_free(a);
                return -1;
            }
            p.text[k] = strdup(text);
            if (!p.text[k]) abort();
        }
        arena_free(a);
        p.dir = strdup(path);
        if (!p.dir) abort();
        pre[npre++] = p;
    }
    return 0;
}
