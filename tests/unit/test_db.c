/* test_db.c - the database layer against a temporary SQLite file and, when
 * KP_TEST_PG_URL names an empty throwaway PostgreSQL database, the same
 * tests against PostgreSQL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"

typedef struct env {
    char dir[64]; /* temp dir: SQLite file and migration fixtures */
    char url[1024];
    db *d;
    db_conn *c;
    arena *a;
} env;

/* Every table a test creates, so a shared PostgreSQL database starts each
 * test empty. */
static const char *pg_cleanup = "DROP TABLE IF EXISTS t, t_kid, t_parent, m_b, m_c, m_a, tx, "
                                "schema_migrations CASCADE";

/* ---- fixtures --------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static env *env_new(void)
{
    env *e = calloc(1, sizeof(*e));
    snprintf(e->dir, sizeof(e->dir), "/tmp/kp_test_db_XXXXXX");
    if (!mkdtemp(e->dir)) {
        free(e);
        return NULL;
    }
    e->a = arena_new(0);
    return e;
}

static int env_open(env *e)
{
    char err[512];
    if (db_open(e->url, 3, &e->d, err, sizeof(err)) != 0) {
        print_error("db_open(%s): %s\n", e->url, err);
        return -1;
    }
    e->c = db_acquire(e->d);
    return 0;
}

static void env_free(env *e)
{
    if (!e) return;
    if (e->c) db_release(e->d, e->c);
    db_close(e->d);
    arena_free(e->a);
    rm_tree(e->dir);
    free(e);
}

static int setup_sqlite(void **state)
{
    env *e = env_new();
    if (!e) return -1;
    snprintf(e->url, sizeof(e->url), "sqlite:%s/test.db", e->dir);
    *state = e;
    return env_open(e);
}

static int setup_pg(void **state)
{
    const char *url = getenv("KP_TEST_PG_URL");
    *state = NULL;
    if (!url || !*url) return 0; /* each test skips */
    env *e = env_new();
    if (!e) return -1;
    snprintf(e->url, sizeof(e->url), "%s", url);
    *state = e;
    if (env_open(e) != 0) return -1;
    return db_exec_script(e->c, pg_cleanup);
}

static int teardown(void **state)
{
    env *e = *state;
    if (e && e->c && db_conn_kind(e->c) == DB_POSTGRES) db_exec_script(e->c, pg_cleanup);
    env_free(e);
    return 0;
}

static env *get_env(void **state)
{
    if (!*state) skip();
    return *state;
}

/* ---- helpers ---------------------------------------------------------- */

#define NP(...) (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *))

/* Query that must succeed; shows the database's reason when it does not. */
static int ok_query(env *e, db_res **out, const char *sql, int n, const char *const *params)
{
    int rc = db_query(e->c, e->a, out, sql, n, params);
    if (rc < 0) print_error("query failed: %s\n  %s\n", sql, db_errmsg(e->c));
    assert_true(rc >= 0);
    return rc;
}

#define OK(e, out, sql) ok_query((e), (out), (sql), 0, NULL)
#define OKP(e, out, sql, ...)                                                                      \
    ok_query((e), (out), (sql), NP(__VA_ARGS__), (const char *[]){__VA_ARGS__})

static long long count_rows(env *e, const char *table)
{
    db_res *r;
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) AS n FROM %s", table);
    OK(e, &r, sql);
    return db_int(r, 0, "n");
}

static void create_t(env *e)
{
    OK(e, NULL,
       "CREATE TABLE t (id INTEGER PRIMARY KEY, phone TEXT, n INTEGER, "
       "email TEXT UNIQUE)");
}

/* ---- parameters ------------------------------------------------------- */

static void test_params_out_of_order(void **state)
{
    env *e = get_env(state);
    db_res *r;
    assert_int_equal(OKP(e, &r, "SELECT CAST($2 AS TEXT) AS a, CAST($1 AS TEXT) AS b", "x", "y"),
                     1);
    assert_int_equal(r->ncols, 2);
    assert_string_equal(db_val(r, 0, "a"), "y");
    assert_string_equal(db_val(r, 0, "b"), "x");
}

static void test_same_param_twice(void **state)
{
    env *e = get_env(state);
    db_res *r;
    OKP(e, &r, "SELECT CAST($1 AS TEXT) || '-' || CAST($1 AS TEXT) AS v, CAST($2 AS TEXT) AS w",
        "ab", "cd");
    assert_string_equal(db_val(r, 0, "v"), "ab-ab");
    assert_string_equal(db_val(r, 0, "w"), "cd");
}

static void test_param_in_literal_untouched(void **state)
{
    env *e = get_env(state);
    db_res *r;
    /* $2 and $3 sit in a literal, a quoted identifier and a comment: only $1
     * is a parameter, so one value must be enough. */
    OKP(e, &r,
        "SELECT 'it''s $2' AS lit, CAST($1 AS TEXT) AS \"x$3\" -- $3 here\n"
        ", /* $2 */ 'a$1' AS lit2",
        "p");
    assert_string_equal(db_val(r, 0, "lit"), "it's $2");
    assert_string_equal(db_val(r, 0, "x$3"), "p");
    assert_string_equal(db_val(r, 0, "lit2"), "a$1");
}

static void test_param_count_mismatch(void **state)
{
    env *e = get_env(state);
    const char *p[] = {"a", "b"};
    assert_int_equal(db_query(e->c, e->a, NULL, "SELECT CAST($1 AS TEXT) AS v", 2, p), -1);
    assert_int_equal(db_errkind_of(e->c), DB_ERR_OTHER);
}

static void test_null_params(void **state)
{
    env *e = get_env(state);
    db_res *r;
    create_t(e);
    OKP(e, NULL, "INSERT INTO t (id, phone, n) VALUES ($1, $2, $3)", "1", NULL, NULL);
    OKP(e, &r, "SELECT phone, n, CAST($1 AS TEXT) AS p FROM t WHERE phone IS NULL", NULL);
    assert_int_equal(r->nrows, 1);
    assert_null(db_val(r, 0, "phone"));
    assert_null(db_get(r, 0, 1));
    assert_null(db_val(r, 0, "p"));
    assert_int_equal(db_int(r, 0, "n"), 0);
}

static void test_integers_and_leading_zeros(void **state)
{
    env *e = get_env(state);
    db_res *r;
    create_t(e);
    OKP(e, NULL, "INSERT INTO t (id, phone, n) VALUES ($1, $2, $3)", "1", "0612345678", "42");
    OKP(e, NULL, "INSERT INTO t (id, phone, n) VALUES ($1, $2, $3)", "2", "123", "-7");
    OKP(e, NULL, "INSERT INTO t (id, phone, n) VALUES ($1, $2, $3)", "3", "-0", "0");

    OKP(e, &r, "SELECT id, phone, n + 1 AS next FROM t WHERE phone = $1", "0612345678");
    assert_int_equal(r->nrows, 1);
    assert_string_equal(db_val(r, 0, "phone"), "0612345678");
    assert_string_equal(db_val(r, 0, "next"), "43");
    assert_int_equal(db_int(r, 0, "id"), 1);

    /* "123" goes in as an integer but the TEXT column keeps it as text */
    OKP(e, &r, "SELECT id, phone FROM t WHERE phone = $1", "123");
    assert_int_equal(r->nrows, 1);
    assert_string_equal(db_val(r, 0, "phone"), "123");
    OKP(e, &r, "SELECT phone, n FROM t WHERE id = $1", "3");
    assert_string_equal(db_val(r, 0, "phone"), "-0");
    assert_string_equal(db_val(r, 0, "n"), "0");

    OKP(e, &r, "SELECT id FROM t WHERE n < $1 ORDER BY id", "0");
    assert_int_equal(r->nrows, 1);
    assert_string_equal(db_get(r, 0, 0), "2");
    OKP(e, &r, "SELECT id FROM t ORDER BY id LIMIT $1", "2");
    assert_int_equal(r->nrows, 2);

    /* beyond 18 digits stays text: no silent overflow */
    OKP(e, &r, "SELECT CAST($1 AS TEXT) AS big", "12345678901234567890");
    assert_string_equal(db_val(r, 0, "big"), "12345678901234567890");
}

static void test_reals_as_text(void **state)
{
    env *e = get_env(state);
    db_res *r;
    OK(e, &r,
       "SELECT CAST(0.1 AS DOUBLE PRECISION) AS a, CAST(1.5 AS DOUBLE PRECISION) AS b, "
       "CAST(2 AS DOUBLE PRECISION) AS c");
    assert_string_equal(db_val(r, 0, "a"), "0.1");
    assert_string_equal(db_val(r, 0, "b"), "1.5");
    assert_string_equal(db_val(r, 0, "c"), "2");
}

/* ---- results and statements ------------------------------------------- */

static void test_val_by_name(void **state)
{
    env *e = get_env(state);
    db_res *r;
    create_t(e);
    OKP(e, NULL, "INSERT INTO t (id, phone, n) VALUES ($1, $2, $3)", "5", "x", "10");
    OKP(e, NULL, "INSERT INTO t (id, phone, n) VALUES ($1, $2, $3)", "6", "y", "20");
    assert_int_equal(OK(e, &r, "SELECT id, phone, n FROM t ORDER BY id"), 2);
    assert_int_equal(r->nrows, 2);
    assert_string_equal(r->cols[1], "phone");
    assert_string_equal(db_val(r, 1, "phone"), "y");
    assert_int_equal(db_int(r, 1, "n"), 20);
    assert_null(db_val(r, 0, "nope"));
    assert_null(db_val(r, 2, "phone"));
    assert_null(db_get(r, 0, 3));
    assert_null(db_get(NULL, 0, 0));
    assert_int_equal(db_int(r, 0, "nope"), 0);
}

static void test_row_counts(void **state)
{
    env *e = get_env(state);
    db_res *r;
    create_t(e);
    assert_int_equal(OKP(e, NULL, "INSERT INTO t (id, n) VALUES ($1, $2)", "1", "1"), 1);
    assert_int_equal(OKP(e, NULL, "INSERT INTO t (id, n) VALUES ($1, $2)", "2", "1"), 1);
    assert_int_equal(OKP(e, NULL, "INSERT INTO t (id, n) VALUES ($1, $2)", "3", "2"), 1);
    assert_int_equal(OKP(e, NULL, "UPDATE t SET phone = $1 WHERE n = $2", "z", "1"), 2);
    assert_int_equal(OKP(e, NULL, "UPDATE t SET phone = $1 WHERE n = $2", "z", "99"), 0);
    /* DDL after DML must not report the earlier change count */
    assert_int_equal(OK(e, NULL, "CREATE TABLE t_parent (id INTEGER PRIMARY KEY)"), 0);
    assert_int_equal(OKP(e, &r, "DELETE FROM t WHERE n = $1 RETURNING id", "1"), 2);
    assert_int_equal(r->nrows, 2);
    assert_int_equal(r->ncols, 1);
    assert_int_equal(OK(e, &r, "SELECT id FROM t WHERE id > 100"), 0);
    assert_non_null(r);
    assert_int_equal(r->nrows, 0);
    assert_int_equal(r->ncols, 1);
    /* out given for a statement without rows: an empty result, not NULL */
    OKP(e, &r, "UPDATE t SET n = $1", "5");
    assert_non_null(r);
    assert_int_equal(r->nrows, 0);
}

static void test_errors(void **state)
{
    env *e = get_env(state);
    db_res *r = (db_res *)1;
    assert_int_equal(db_query(e->c, e->a, &r, "SELEKT nonsense", 0, NULL), -1);
    assert_null(r);
    assert_int_equal(db_errkind_of(e->c), DB_ERR_OTHER);
    assert_true(strlen(db_errmsg(e->c)) > 0);
    /* one statement per query: PostgreSQL's rule, enforced on SQLite too */
    assert_int_equal(db_query(e->c, e->a, NULL, "SELECT 1; SELECT 2", 0, NULL), -1);
    assert_int_equal(OK(e, NULL, "SELECT 1; -- trailing comment\n"), 1);
    /* success clears the previous error */
    assert_int_equal(db_errkind_of(e->c), DB_ERR_NONE);
    assert_int_equal(db_ping(e->c), 0);
}

static void test_unique_violation(void **state)
{
    env *e = get_env(state);
    create_t(e);
    OKP(e, NULL, "INSERT INTO t (id, email) VALUES ($1, $2)", "1", "a@example.nl");
    assert_int_equal(
        db_q(e->c, e->a, NULL, "INSERT INTO t (id, email) VALUES ($1, $2)", "2", "a@example.nl"),
        -1);
    assert_int_equal(db_errkind_of(e->c), DB_ERR_UNIQUE);
    assert_int_equal(
        db_q(e->c, e->a, NULL, "INSERT INTO t (id, email) VALUES ($1, $2)", "1", "b@example.nl"),
        -1);
    assert_int_equal(db_errkind_of(e->c), DB_ERR_UNIQUE);
}

static void test_foreign_violation(void **state)
{
    env *e = get_env(state);
    OK(e, NULL, "CREATE TABLE t_parent (id INTEGER PRIMARY KEY)");
    OK(e, NULL,
       "CREATE TABLE t_kid (id INTEGER PRIMARY KEY, "
       "parent_id INTEGER NOT NULL REFERENCES t_parent (id))");
    OKP(e, NULL, "INSERT INTO t_parent (id) VALUES ($1)", "1");
    OKP(e, NULL, "INSERT INTO t_kid (id, parent_id) VALUES ($1, $2)", "1", "1");
    assert_int_equal(
        db_q(e->c, e->a, NULL, "INSERT INTO t_kid (id, parent_id) VALUES ($1, $2)", "2", "9"), -1);
    assert_int_equal(db_errkind_of(e->c), DB_ERR_FOREIGN);
}

static void test_transactions(void **state)
{
    env *e = get_env(state);
    create_t(e);
    assert_int_equal(db_begin(e->c), 0);
    OKP(e, NULL, "INSERT INTO t (id) VALUES ($1)", "1");
    assert_int_equal(count_rows(e, "t"), 1);
    assert_int_equal(db_rollback(e->c), 0);
    assert_int_equal(count_rows(e, "t"), 0);

    assert_int_equal(db_begin(e->c), 0);
    OKP(e, NULL, "INSERT INTO t (id) VALUES ($1)", "2");
    assert_int_equal(db_commit(e->c), 0);
    assert_int_equal(count_rows(e, "t"), 1);

    /* a transaction left open is rolled back when the connection goes back */
    assert_int_equal(db_begin(e->c), 0);
    OKP(e, NULL, "INSERT INTO t (id) VALUES ($1)", "3");
    db_release(e->d, e->c);
    e->c = db_acquire(e->d); /* the pool is LIFO: the same connection again */
    assert_int_equal(count_rows(e, "t"), 1);
}

static void test_statement_cache(void **state)
{
    env *e = get_env(state);
    db_res *r;
    /* same text from another buffer must hit the same cached statement */
    char sql[64];
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof(sql), "SELECT CAST($1 AS TEXT) AS v");
        OKP(e, &r, sql, i == 0 ? "a" : "b");
        assert_string_equal(db_val(r, 0, "v"), i == 0 ? "a" : "b");
    }
    /* more distinct statements than the cache keeps */
    for (int i = 0; i < 300; i++) {
        snprintf(sql, sizeof(sql), "SELECT %d AS v", i);
        OK(e, &r, sql);
        assert_int_equal(db_int(r, 0, "v"), i);
    }
    /* a cached statement still works after the schema it uses changed */
    create_t(e);
    OK(e, NULL, "SELECT id FROM t");
    OK(e, NULL, "ALTER TABLE t ADD COLUMN extra TEXT");
    OK(e, &r, "SELECT * FROM t");
    assert_int_equal(r->ncols, 5);
}

/* ---- pool ------------------------------------------------------------- */

typedef struct worker {
    db *d;
    int id, fails;
    int done; /* set once the worker got a connection (blocking test) */
} worker;

static void *insert_worker(void *arg)
{
    worker *w = arg;
    arena *a = arena_new(0);
    for (int i = 0; i < 25; i++) {
        db_conn *c = db_acquire(w->d);
        char id[16];
        snprintf(id, sizeof(id), "%d", w->id * 1000 + i);
        if (db_begin(c) != 0 || db_q(c, a, NULL, "INSERT INTO t (id) VALUES ($1)", id) != 1 ||
            db_commit(c) != 0)
            w->fails++;
        db_release(w->d, c);
        arena_reset(a);
    }
    arena_free(a);
    return NULL;
}

static void test_pool_two_threads(void **state)
{
    env *e = get_env(state);
    create_t(e);
    db *d;
    char err[256];
    assert_int_equal(db_open(e->url, 1, &d, err, sizeof(err)), 0);
    worker w[2] = {{d, 1, 0, 0}, {d, 2, 0, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, insert_worker, &w[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    db_close(d);
    assert_int_equal(w[0].fails + w[1].fails, 0);
    assert_int_equal(count_rows(e, "t"), 50);
}

static void *acquire_worker(void *arg)
{
    worker *w = arg;
    db_conn *c = db_acquire(w->d);
    __atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
    db_release(w->d, c);
    return NULL;
}

static void test_pool_acquire_blocks(void **state)
{
    env *e = get_env(state);
    db *d;
    char err[256];
    assert_int_equal(db_open(e->url, 1, &d, err, sizeof(err)), 0);
    db_conn *c = db_acquire(d);
    worker w = {d, 0, 0, 0};
    pthread_t th;
    pthread_create(&th, NULL, acquire_worker, &w);
    nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    assert_int_equal(__atomic_load_n(&w.done, __ATOMIC_SEQ_CST), 0);
    db_release(d, c);
    pthread_join(th, NULL);
    assert_int_equal(w.done, 1);
    db_close(d);
}

/* ---- migrations ------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* dir/migr/<dialect>/ with two good files, written newest first, and two
 * files the runner must ignore. Returns dir/migr. */
static const char *make_migrations(env *e)
{
    const char *root = arena_printf(e->a, "%s/migr", e->dir);
    const char *sub = arena_printf(e->a, "%s/%s", root,
                                   db_conn_kind(e->c) == DB_SQLITE ? "sqlite" : "postgresql");
    mkdir(root, 0700);
    mkdir(sub, 0700);
    /* 0002 needs 0001's table: wrong order would fail */
    write_file(sub, "0002_b.sql",
               "CREATE TABLE m_b (a_id INTEGER REFERENCES m_a (id));\n"
               "INSERT INTO m_b (a_id) VALUES (1);\n");
    write_file(sub, "0001_a.sql",
               "-- first\nCREATE TABLE m_a (id INTEGER PRIMARY KEY);\n"
               "INSERT INTO m_a (id) VALUES (1);\n");
    write_file(sub, "README.md", "not a migration");
    write_file(sub, "0003_c.sql~", "THIS IS NOT SQL");
    return root;
}

static void migrate_ok(env *e, const char *root)
{
    char err[512] = "";
    int rc = db_migrate(e->d, root, err, sizeof(err));
    if (rc != 0) print_error("db_migrate: %s\n", err);
    assert_int_equal(rc, 0);
}

static void test_migrations_in_order(void **state)
{
    env *e = get_env(state);
    db_res *r;
    const char *root = make_migrations(e);
    migrate_ok(e, root);
    OK(e, &r, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    assert_int_equal(r->nrows, 2);
    assert_int_equal(db_int(r, 0, "version"), 1);
    assert_string_equal(db_val(r, 0, "name"), "0001_a.sql");
    assert_int_equal(db_int(r, 1, "version"), 2);
    assert_true(db_int(r, 1, "applied_at") > 1600000000);
    assert_int_equal(count_rows(e, "m_b"), 1);

    /* second run: nothing new, nothing applied twice */
    migrate_ok(e, root);
    assert_int_equal(count_rows(e, "schema_migrations"), 2);
    assert_int_equal(count_rows(e, "m_a"), 1);
}

static void test_broken_migration_rolls_back(void **state)
{
    env *e = get_env(state);
    const char *root = make_migrations(e);
    migrate_ok(e, root);
    const char *sub = arena_printf(e->a, "%s/%s", root,
                                   db_conn_kind(e->c) == DB_SQLITE ? "sqlite" : "postgresql");
    write_file(sub, "0003_c.sql",
               "CREATE TABLE m_c (x INTEGER);\nINSERT INTO m_c VALUES (1);\n"
               "THIS IS NOT SQL;\n");
    write_file(sub, "0004_d.sql", "CREATE TABLE m_d (x INTEGER);\n");

    char err[512] = "";
    assert_int_equal(db_migrate(e->d, root, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "0003_c.sql"));
    print_message("expected failure: %s\n", err);
    assert_int_equal(count_rows(e, "schema_migrations"), 2);
    /* m_c was created inside the failed transaction: it must be gone */
    assert_int_equal(db_query(e->c, e->a, NULL, "SELECT x FROM m_c", 0, NULL), -1);
    assert_int_equal(db_query(e->c, e->a, NULL, "SELECT x FROM m_d", 0, NULL), -1);

    /* fixed file: the run continues where it stopped */
    write_file(sub, "0003_c.sql", "CREATE TABLE m_c (x INTEGER);\n");
    migrate_ok(e, root);
    assert_int_equal(count_rows(e, "schema_migrations"), 4);
    OK(e, NULL, "DROP TABLE m_d");
}

typedef struct migrator {
    db *d;
    const char *root;
    int rc;
    char err[512];
} migrator;

static void *migrate_worker(void *arg)
{
    migrator *m = arg;
    m->rc = db_migrate(m->d, m->root, m->err, sizeof(m->err));
    return NULL;
}

/* Two servers starting at once: both succeed, each file runs once. */
static void test_migrations_concurrent(void **state)
{
    env *e = get_env(state);
    const char *root = make_migrations(e);
    char err[256];
    db *other;
    assert_int_equal(db_open(e->url, 1, &other, err, sizeof(err)), 0);
    migrator m[2] = {{e->d, root, 0, ""}, {other, root, 0, ""}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, migrate_worker, &m[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    db_close(other);
    for (int i = 0; i < 2; i++)
        if (m[i].rc != 0) print_error("db_migrate: %s\n", m[i].err);
    assert_int_equal(m[0].rc, 0);
    assert_int_equal(m[1].rc, 0);
    assert_int_equal(count_rows(e, "schema_migrations"), 2);
    assert_int_equal(count_rows(e, "m_a"), 1);
    assert_int_equal(count_rows(e, "m_b"), 1);
}

static void test_migrations_missing_dir(void **state)
{
    env *e = get_env(state);
    char err[512] = "";
    const char *root = arena_printf(e->a, "%s/nothing-here", e->dir);
    assert_int_equal(db_migrate(e->d, root, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "nothing-here"));
}

/* ---- PostgreSQL only ------------------------------------------------- */

static void test_pg_reconnect(void **state)
{
    env *e = get_env(state);
    db_res *r;
    db_conn *victim = db_acquire(e->d);
    assert_true(db_query(victim, e->a, &r, "SELECT pg_backend_pid() AS pid", 0, NULL) == 1);
    /* the second argument makes the server wait until the backend is gone */
    OKP(e, NULL, "SELECT pg_terminate_backend($1, 5000)", db_val(r, 0, "pid"));

    /* libpq only notices on the next use: that query may fail, the one
     * after it must run on a fresh connection */
    int rc = db_query(victim, e->a, NULL, "SELECT 1", 0, NULL);
    if (rc < 0) {
        print_message("expected failure: %s\n", db_errmsg(victim));
        assert_int_equal(db_errkind_of(victim), DB_ERR_CONNECTION);
    }
    assert_int_equal(db_query(victim, e->a, NULL, "SELECT 1", 0, NULL), 1);
    assert_int_equal(db_ping(victim), 0);
    db_release(e->d, victim);
}

/* ---- db_tx, limits, waiting for a connection -------------------------- */

static int tx_insert(db_conn *c, arena *a, void *arg)
{
    int *calls = arg;
    (*calls)++;
    return db_q(c, a, NULL, "INSERT INTO t (id) VALUES ($1)", "7") < 0 ? -1 : 0;
}

static int tx_refuse(db_conn *c, arena *a, void *arg)
{
    (void)arg;
    if (db_q(c, a, NULL, "INSERT INTO t (id) VALUES ($1)", "8") < 0) return -1;
    return 3; /* a rule said no: roll back */
}

static int tx_duplicate(db_conn *c, arena *a, void *arg)
{
    int *calls = arg;
    (*calls)++;
    return db_q(c, a, NULL, "INSERT INTO t (id) VALUES ($1)", "7") < 0 ? -1 : 0;
}

static void test_tx_commit_refuse_error(void **state)
{
    env *e = get_env(state);
    create_t(e);
    int calls = 0;
    assert_int_equal(db_tx(e->c, e->a, tx_insert, &calls), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(count_rows(e, "t"), 1);
    assert_int_equal(db_in_tx(e->c), 0);

    assert_int_equal(db_tx(e->c, e->a, tx_refuse, NULL), 3);
    assert_int_equal(count_rows(e, "t"), 1);

    /* an error that no retry can mend is reported at once, with its kind */
    calls = 0;
    assert_int_equal(db_tx(e->c, e->a, tx_duplicate, &calls), -1);
    assert_int_equal(calls, 1);
    assert_int_equal(db_errkind_of(e->c), DB_ERR_UNIQUE);
    assert_int_equal(db_in_tx(e->c), 0);
    assert_int_equal(count_rows(e, "t"), 1);

    /* no nesting */
    assert_int_equal(db_begin(e->c), 0);
    assert_int_equal(db_begin(e->c), -1);
    assert_int_equal(db_rollback(e->c), 0);
}

typedef struct holder {
    db *d;
    int hold_ms;
} holder;

/* Takes the write lock (SQLite) for hold_ms, then commits. */
static void *hold_write_lock(void *arg)
{
    holder *h = arg;
    db_conn *c = db_acquire(h->d);
    arena *a = arena_new(0);
    db_begin(c);
    db_q(c, a, NULL, "INSERT INTO t (id) VALUES ($1)", "1");
    nanosleep(&(struct timespec){0, h->hold_ms * 1000L * 1000L}, NULL);
    db_commit(c);
    arena_free(a);
    db_release(h->d, c);
    return NULL;
}

static void test_tx_retries_when_busy_sqlite(void **state)
{
    env *e = get_env(state);
    create_t(e);
    /* a busy wait shorter than the hold, so the first try meets SQLITE_BUSY;
     * DB_TX_TRIES of them (250 ms at least) outlast the hold with room for a
     * slow machine */
    OK(e, NULL, "PRAGMA busy_timeout = 50");
    holder h = {e->d, 100};
    pthread_t th;
    pthread_create(&th, NULL, hold_write_lock, &h);
    nanosleep(&(struct timespec){0, 30 * 1000 * 1000}, NULL);
    int calls = 0;
    int rc = db_tx(e->c, e->a, tx_insert, &calls);
    if (rc != 0) print_error("db_tx: %s\n", db_errmsg(e->c));
    pthread_join(th, NULL);
    assert_int_equal(rc, 0);
    assert_int_equal(count_rows(e, "t"), 2);
}

typedef struct turn_holder {
    db *d;
    int hold_ms;
    atomic_int began;
} turn_holder;

/* Begins a write transaction, says so, holds it for hold_ms, commits. */
static void *hold_turn(void *arg)
{
    turn_holder *h = arg;
    db_conn *c = db_acquire(h->d);
    arena *a = arena_new(0);
    db_begin(c);
    db_q(c, a, NULL, "INSERT INTO t (id) VALUES ($1)", "1");
    atomic_store(&h->began, 1);
    nanosleep(&(struct timespec){0, h->hold_ms * 1000L * 1000L}, NULL);
    db_commit(c);
    arena_free(a);
    db_release(h->d, c);
    return NULL;
}

static void start_holder(turn_holder *h, pthread_t *th)
{
    atomic_store(&h->began, 0);
    pthread_create(th, NULL, hold_turn, h);
    while (!atomic_load(&h->began))
        nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
}

/* The threads of one process that write to one SQLite file take turns:
 * the next waits for the writer before it however long that one takes (up
 * to SQLite's own 5 s), without leaning on the busy handler, here switched
 * off, so it neither fails nor sleeps past the moment the lock is free. */
static void test_writers_take_turns_sqlite(void **state)
{
    env *e = get_env(state);
    create_t(e);
    OK(e, NULL, "PRAGMA busy_timeout = 0");
    /* longer than all of db_tx's tries and pauses together */
    turn_holder h = {.d = e->d, .hold_ms = 800};
    pthread_t th;
    start_holder(&h, &th);
    int calls = 0;
    int rc = db_tx(e->c, e->a, tx_insert, &calls);
    if (rc != 0) print_error("db_tx: %s\n", db_errmsg(e->c));
    pthread_join(th, NULL);
    assert_int_equal(rc, 0);
    assert_int_equal(calls, 1);
    assert_int_equal(count_rows(e, "t"), 2);
    /* so does a write outside a transaction */
    OK(e, NULL, "DELETE FROM t WHERE id = 1");
    start_holder(&h, &th);
    int n = db_q(e->c, e->a, NULL, "INSERT INTO t (id) VALUES ($1)", "8");
    if (n != 1) print_error("insert: %s\n", db_errmsg(e->c));
    pthread_join(th, NULL);
    assert_int_equal(n, 1);
    assert_int_equal(count_rows(e, "t"), 3);
    /* a transaction left open and handed back to the pool gives its turn
     * back too */
    db_conn *c = db_acquire(e->d);
    assert_int_equal(db_begin(c), 0);
    db_release(e->d, c);
    assert_int_equal(db_begin(e->c), 0);
    assert_int_equal(db_rollback(e->c), 0);
}

typedef struct crosser {
    db *d;
    const char *first, *second;
    int calls, rc;
} crosser;

static int tx_cross(db_conn *c, arena *a, void *arg)
{
    crosser *x = arg;
    x->calls++;
    if (db_q(c, a, NULL, "UPDATE tx SET n = n + 1 WHERE id = $1", x->first) < 0) return -1;
    nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
    return db_q(c, a, NULL, "UPDATE tx SET n = n + 1 WHERE id = $1", x->second) < 0 ? -1 : 0;
}

static void *run_cross(void *arg)
{
    crosser *x = arg;
    db_conn *c = db_acquire(x->d);
    arena *a = arena_new(0);
    x->rc = db_tx(c, a, tx_cross, x);
    arena_free(a);
    db_release(x->d, c);
    return NULL;
}

/* Two transactions that lock two rows in opposite order deadlock; the
 * server aborts one (40P01) and db_tx runs it again. */
static void test_tx_retries_deadlock_pg(void **state)
{
    env *e = get_env(state);
    OK(e, NULL, "CREATE TABLE tx (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
    OK(e, NULL, "INSERT INTO tx (id, n) VALUES (1, 0), (2, 0)");
    crosser x = {e->d, "1", "2", 0, -9}, y = {e->d, "2", "1", 0, -9};
    pthread_t tx1, tx2;
    pthread_create(&tx1, NULL, run_cross, &x);
    pthread_create(&tx2, NULL, run_cross, &y);
    pthread_join(tx1, NULL);
    pthread_join(tx2, NULL);
    assert_int_equal(x.rc, 0);
    assert_int_equal(y.rc, 0);
    assert_true(x.calls + y.calls >= 3); /* one of them ran twice */
    db_res *r;
    OK(e, &r, "SELECT sum(n) AS total FROM tx");
    assert_int_equal(db_int(r, 0, "total"), 4);
}

/* The connection dies in the middle of a transaction: the rest must fail,
 * not run in autocommit on a new connection. */
static void test_pg_killed_mid_transaction(void **state)
{
    env *e = get_env(state);
    create_t(e);
    db_conn *victim = db_acquire(e->d);
    db_res *r;
    assert_int_equal(db_begin(victim), 0);
    assert_true(db_q(victim, e->a, NULL, "INSERT INTO t (id) VALUES ($1)", "1") == 1);
    assert_true(db_query(victim, e->a, &r, "SELECT pg_backend_pid() AS pid", 0, NULL) == 1);
    OKP(e, NULL, "SELECT pg_terminate_backend($1, 5000)", db_val(r, 0, "pid"));

    assert_int_equal(db_q(victim, e->a, NULL, "INSERT INTO t (id) VALUES ($1)", "2"), -1);
    assert_int_equal(db_errkind_of(victim), DB_ERR_CONNECTION);
    assert_int_equal(db_in_tx(victim), 1);
    assert_int_equal(db_q(victim, e->a, NULL, "INSERT INTO t (id) VALUES ($1)", "3"), -1);
    assert_int_equal(db_errkind_of(victim), DB_ERR_CONNECTION);
    assert_int_equal(db_commit(victim), -1);
    db_rollback(victim);
    /* outside the transaction the connection comes back */
    assert_int_equal(db_ping(victim), 0);
    db_release(e->d, victim);
    assert_int_equal(count_rows(e, "t"), 0);
}

static void test_query_time_limit(void **state)
{
    env *e = get_env(state);
    db_set_limits(e->d, &(db_limits){.query_ms = 100, .lock_ms = 100, .idle_tx_ms = 0});
    const char *slow = db_conn_kind(e->c) == DB_POSTGRES
                           ? "SELECT pg_sleep(3)"
                           : "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                             " WHERE i < 1000000000) SELECT count(*) FROM n";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(db_query(e->c, e->a, NULL, slow, 0, NULL), -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(db_errkind_of(e->c), DB_ERR_TIMEOUT);
    assert_true(t1.tv_sec - t0.tv_sec < 2);
    /* the connection stays usable */
    assert_int_equal(db_ping(e->c), 0);
    db_set_limits(e->d, &(db_limits){0});
    assert_int_equal(db_query(e->c, e->a, NULL, "SELECT 1", 0, NULL), 1);
}

/* A write interrupted by the time limit inside a transaction: SQLite rolls
 * the whole transaction back; the statements after it must fail instead of
 * running in autocommit, and nothing of it stays. */
static void test_time_limit_inside_transaction(void **state)
{
    env *e = get_env(state);
    create_t(e);
    db_set_limits(e->d, &(db_limits){.query_ms = 100, .lock_ms = 100, .idle_tx_ms = 0});
    assert_int_equal(db_begin(e->c), 0);
    OKP(e, NULL, "INSERT INTO t (id) VALUES ($1)", "1");
    const char *slow = db_conn_kind(e->c) == DB_POSTGRES
                           ? "INSERT INTO t (id) SELECT 1000 + pg_sleep(3)::text::int"
                           : "INSERT INTO t (id) WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL"
                             " SELECT i + 1 FROM n WHERE i < 100000000) SELECT i FROM n";
    assert_int_equal(db_query(e->c, e->a, NULL, slow, 0, NULL), -1);
    assert_int_equal(db_errkind_of(e->c), DB_ERR_TIMEOUT);
    assert_int_equal(db_q(e->c, e->a, NULL, "INSERT INTO t (id) VALUES ($1)", "2"), -1);
    assert_int_equal(db_commit(e->c), -1);
    db_rollback(e->c);
    db_set_limits(e->d, &(db_limits){0});
    assert_int_equal(count_rows(e, "t"), 0);
}

static void test_acquire_wait_times_out(void **state)
{
    env *e = get_env(state);
    db *d;
    char err[256];
    assert_int_equal(db_open(e->url, 1, &d, err, sizeof(err)), 0);
    db_conn *c = db_acquire(d);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_null(db_acquire_wait(d, 150));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(ms >= 140 && ms < 2000);
    db_release(d, c);
    c = db_acquire_wait(d, 150);
    assert_non_null(c);
    db_release(d, c);
    db_close(d);
}

/* Bytes with NULs and high bytes go in and come back unchanged, next to
 * ordinary text parameters: no base64 in text columns. */
static void test_binary_round_trip(void **state)
{
    env *e = get_env(state);
    int pg = db_conn_kind(e->c) == DB_POSTGRES;
    OK(e, NULL,
       pg ? "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BYTEA)"
          : "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)");
    static const char bytes[] = {'%', 'P', 'D', 'F', 0, (char)0xff, (char)0x80, '\\', 'x', 0};
    const char *params[] = {"1", "bijlage.pdf", bytes};
    const size_t lens[] = {DB_TEXT, DB_TEXT, sizeof bytes};
    assert_int_equal(db_query_bin(e->c, e->a, NULL,
                                  "INSERT INTO t (id, name, data) VALUES ($1, $2, $3)", 3, params,
                                  lens),
                     1);
    db_res *r;
    OK(e, &r, "SELECT name, data FROM t WHERE id = 1");
    size_t n = 0;
    const unsigned char *got = db_blob(r, e->a, 0, "data", &n);
    assert_non_null(got);
    assert_int_equal(n, sizeof bytes);
    assert_memory_equal(got, bytes, sizeof bytes);
    assert_string_equal(db_val(r, 0, "name"), "bijlage.pdf");
    /* an empty value is not NULL */
    const size_t empty[] = {DB_TEXT, DB_TEXT, 0};
    const char *p2[] = {"2", "leeg", ""};
    assert_int_equal(db_query_bin(e->c, e->a, NULL,
                                  "INSERT INTO t (id, name, data) VALUES ($1, $2, $3)", 3, p2,
                                  empty),
                     1);
    OK(e, &r, "SELECT data FROM t WHERE id = 2");
    assert_non_null(db_blob(r, e->a, 0, "data", &n));
    assert_int_equal(n, 0);
    assert_null(db_blob(r, e->a, 0, "nope", &n));
}

static void test_for_update_clause(void **state)
{
    env *e = get_env(state);
    if (db_conn_kind(e->c) == DB_POSTGRES) {
        assert_string_equal(db_for_update(e->c, e->a, NULL), " FOR UPDATE");
        assert_string_equal(db_for_update(e->c, e->a, "p, m"), " FOR UPDATE OF p, m");
    } else {
        assert_string_equal(db_for_update(e->c, e->a, "p"), "");
    }
}

/* The case-insensitive match a search uses: the same answer on both. */
static void test_ilike_ignores_case(void **state)
{
    env *e = get_env(state);
    const char *sql = arena_printf(e->a, "SELECT 1 AS hit WHERE 'Veiligheid VCA' %s $1 ESCAPE '\\'",
                                   db_ilike(e->c));
    const char *p1[] = {"%vca%"}, *p2[] = {"%VEILIG%"}, *p3[] = {"%bhv%"};
    assert_int_equal(db_select(e->c, e->a, sql, 1, p1)->nrows, 1);
    assert_int_equal(db_select(e->c, e->a, sql, 1, p2)->nrows, 1);
    assert_int_equal(db_select(e->c, e->a, sql, 1, p3)->nrows, 0);
}

/* ---- opening (no server needed) --------------------------------------- */

static void test_bad_url(void **state)
{
    (void)state;
    db *d = (db *)1;
    char err[256];
    assert_int_equal(db_open("mysql://x", 2, &d, err, sizeof(err)), -1);
    assert_null(d);
    assert_string_equal(err, "KLANTPORTAL_DB moet beginnen met sqlite: of postgresql://");
    assert_int_equal(db_open("", 2, &d, err, sizeof(err)), -1);
    assert_int_equal(db_open("sqlite:", 2, &d, err, sizeof(err)), -1);
    assert_int_equal(db_open("sqlite:/tmp/x.db", 0, &d, err, sizeof(err)), -1);
}

static void test_sqlite_bad_paths(void **state)
{
    (void)state;
    db *d;
    char err[512];
    assert_int_equal(db_open("sqlite:/nonexistent-kp-dir/sub/kp.db", 1, &d, err, sizeof(err)), -1);
    assert_string_equal(err, "kan database niet openen: /nonexistent-kp-dir/sub/kp.db: "
                             "map /nonexistent-kp-dir/sub bestaat niet");

    /* a regular file where a directory should be: fails even for root */
    char dir[] = "/tmp/kp_test_db_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char file[64], url[128];
    snprintf(file, sizeof(file), "%s/plain", dir);
    write_file(dir, "plain", "x");
    snprintf(url, sizeof(url), "sqlite:%s/kp.db", file);
    assert_int_equal(db_open(url, 1, &d, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "kan database niet openen: "));
    print_message("expected failure: %s\n", err);

    /* the file is created when the directory exists */
    snprintf(url, sizeof(url), "sqlite:%s/new.db", dir);
    assert_int_equal(db_open(url, 2, &d, err, sizeof(err)), 0);
    assert_int_equal(db_kind_of(d), DB_SQLITE);
    db_close(d);
    rm_tree(dir);
}

static void test_pg_unreachable(void **state)
{
    (void)state;
    db *d;
    char err[512];
    assert_int_equal(db_open("postgresql://kp:geheim@127.0.0.1:1/kp", 1, &d, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "PostgreSQL antwoordt niet: "));
    assert_null(strstr(err, "geheim"));
    assert_null(strchr(err, '\n'));
    print_message("expected failure: %s\n", err);
    /* libpq quotes malformed parts of a URL: the password must not leak */
    assert_int_equal(db_open("postgres://kp:geh%zzeim@127.0.0.1:1/kp", 1, &d, err, sizeof(err)),
                     -1);
    assert_null(strstr(err, "geh"));
    print_message("expected failure: %s\n", err);
}

/* ---- main ------------------------------------------------------------- */

#define BACKEND_TESTS(setup)                                                                       \
    cmocka_unit_test_setup_teardown(test_params_out_of_order, setup, teardown),                    \
        cmocka_unit_test_setup_teardown(test_same_param_twice, setup, teardown),                   \
        cmocka_unit_test_setup_teardown(test_param_in_literal_untouched, setup, teardown),         \
        cmocka_unit_test_setup_teardown(test_param_count_mismatch, setup, teardown),               \
        cmocka_unit_test_setup_teardown(test_null_params, setup, teardown),                        \
        cmocka_unit_test_setup_teardown(test_integers_and_leading_zeros, setup, teardown),         \
        cmocka_unit_test_setup_teardown(test_reals_as_text, setup, teardown),                      \
        cmocka_unit_test_setup_teardown(test_val_by_name, setup, teardown),                        \
        cmocka_unit_test_setup_teardown(test_row_counts, setup, teardown),                         \
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),                             \
        cmocka_unit_test_setup_teardown(test_unique_violation, setup, teardown),                   \
        cmocka_unit_test_setup_teardown(test_foreign_violation, setup, teardown),                  \
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),                       \
        cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),                    \
        cmocka_unit_test_setup_teardown(test_pool_two_threads, setup, teardown),                   \
        cmocka_unit_test_setup_teardown(test_pool_acquire_blocks, setup, teardown),                \
        cmocka_unit_test_setup_teardown(test_migrations_in_order, setup, teardown),                \
        cmocka_unit_test_setup_teardown(test_broken_migration_rolls_back, setup, teardown),        \
        cmocka_unit_test_setup_teardown(test_migrations_concurrent, setup, teardown),              \
        cmocka_unit_test_setup_teardown(test_migrations_missing_dir, setup, teardown),             \
        cmocka_unit_test_setup_teardown(test_tx_commit_refuse_error, setup, teardown),             \
        cmocka_unit_test_setup_teardown(test_query_time_limit, setup, teardown),                   \
        cmocka_unit_test_setup_teardown(test_time_limit_inside_transaction, setup, teardown),      \
        cmocka_unit_test_setup_teardown(test_acquire_wait_times_out, setup, teardown),             \
        cmocka_unit_test_setup_teardown(test_for_update_clause, setup, teardown),                  \
        cmocka_unit_test_setup_teardown(test_ilike_ignores_case, setup, teardown),                 \
        cmocka_unit_test_setup_teardown(test_binary_round_trip, setup, teardown)

int main(void)
{
    const struct CMUnitTest open_tests[] = {
        cmocka_unit_test(test_bad_url),
        cmocka_unit_test(test_sqlite_bad_paths),
        cmocka_unit_test(test_pg_unreachable),
    };
    const struct CMUnitTest sqlite_tests[] = {
        BACKEND_TESTS(setup_sqlite),
        cmocka_unit_test_setup_teardown(test_tx_retries_when_busy_sqlite, setup_sqlite, teardown),
        cmocka_unit_test_setup_teardown(test_writers_take_turns_sqlite, setup_sqlite, teardown),
    };
    const struct CMUnitTest pg_tests[] = {
        BACKEND_TESTS(setup_pg),
        cmocka_unit_test_setup_teardown(test_pg_reconnect, setup_pg, teardown),
        cmocka_unit_test_setup_teardown(test_pg_killed_mid_transaction, setup_pg, teardown),
        cmocka_unit_test_setup_teardown(test_tx_retries_deadlock_pg, setup_pg, teardown),
    };

    int failed = cmocka_run_group_tests_name("db_open", open_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("sqlite", sqlite_tests, NULL, NULL);
    const char *pg = getenv("KP_TEST_PG_URL");
    if (!pg || !*pg)
        print_message("KP_TEST_PG_URL is not set: skipping the PostgreSQL tests "
                      "(set it to a postgresql:// URL of an empty throwaway database)\n");
    failed += cmocka_run_group_tests_name("postgresql", pg_tests, NULL, NULL);
    return failed;
}
