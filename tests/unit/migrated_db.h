/* migrated_db.h - the fixture of the unit tests that need the real schema:
 * a temporary SQLite database migrated with the real migrations (tests
 * run from the repository root), or, when the test group runs with pg_url
 * set (KP_TEST_PG_URL), a PostgreSQL schema of its own per test. Include
 * after cmocka.h; each test file defines nothing of this itself. */
#ifndef KP_TEST_MIGRATED_DB_H
#define KP_TEST_MIGRATED_DB_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "db/db.h"

static const char *pg_url; /* set by main before the PostgreSQL group */

typedef struct env {
    char dir[64];
    char url[1024];
    char schema[64];
    db *d;
    arena *a;
} env;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int pg_admin(const char *sql)
{
    db *d;
    char err[512];
    if (db_open(pg_url, 1, &d, err, sizeof err) != 0) return -1;
    db_conn *c = db_acquire(d);
    int rc = db_exec_script(c, sql);
    db_release(d, c);
    db_close(d);
    return rc;
}

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    snprintf(e->dir, sizeof e->dir, "/tmp/kp_test_db_XXXXXX");
    if (!mkdtemp(e->dir)) return -1;
    snprintf(e->url, sizeof e->url, "sqlite:%s/kp.db", e->dir);
    if (pg_url) {
        snprintf(e->schema, sizeof e->schema, "kp_unit_%s", strrchr(e->dir, '_') + 1);
        for (char *p = e->schema; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        char sql[128];
        snprintf(sql, sizeof sql, "CREATE SCHEMA %s", e->schema);
        if (pg_admin(sql) != 0) return -1;
        snprintf(e->url, sizeof e->url, "%s%coptions=-csearch_path%%3D%s", pg_url,
                 strchr(pg_url, '?') ? '&' : '?', e->schema);
    }
    char err[512];
    if (db_open(e->url, 4, &e->d, err, sizeof err) != 0 ||
        db_migrate(e->d, "migrations", err, sizeof err) != 0) {
        print_error("%s\n", err);
        return -1;
    }
    e->a = arena_new(0);
    clock_set_offset(0);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    clock_set_offset(0);
    db_close(e->d);
    if (e->schema[0]) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", e->schema);
        pg_admin(sql);
    }
    arena_free(e->a);
    nftw(e->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(e);
    return 0;
}

/* The first column of the first row of sql (-1 when there is none). */
static long long scalar(env *e, const char *sql)
{
    db_conn *c = db_acquire(e->d);
    db_res *r;
    int n = db_query(c, e->a, &r, sql, 0, NULL);
    long long v = n > 0 ? strtoll(db_get(r, 0, 0) ? db_get(r, 0, 0) : "0", NULL, 10) : -1;
    db_release(e->d, c);
    return v;
}

#endif
