/* test_quota.c - mail_quota_take: the limits per organisation, per acting
 * person and for invitations, their sliding windows, and that a refusal
 * records nothing. On a temporary SQLite database migrated with the real
 * migrations (run from the repository root). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "mail/quota.h"

typedef struct env {
    char dir[64];
    db *d;
    db_conn *c;
    arena *a;
} env;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    char url[128], err[512];
    snprintf(e->dir, sizeof e->dir, "/tmp/kp_test_quota_XXXXXX");
    if (!mkdtemp(e->dir)) return -1;
    snprintf(url, sizeof url, "sqlite:%s/kp.db", e->dir);
    if (db_open(url, 1, &e->d, err, sizeof err) != 0 ||
        db_migrate(e->d, "migrations", err, sizeof err) != 0) {
        print_error("%s\n", err);
        return -1;
    }
    e->c = db_acquire(e->d);
    e->a = arena_new(0);
    clock_set_offset(0);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    clock_set_offset(0);
    db_release(e->d, e->c);
    db_close(e->d);
    arena_free(e->a);
    nftw(e->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(e);
    return 0;
}

static int take(env *e, long long org, long long person, const char *kind)
{
    return mail_quota_take(e->c, e->a, org, person, kind);
}

static long long rows(env *e)
{
    db_res *r;
    assert_true(db_q(e->c, e->a, &r, "SELECT count(*) AS n FROM mail_quota WHERE 1 = $1", "1") >=
                0);
    return db_int(r, 0, "n");
}

/* Each person stays under their own limit, so only the organisation's
 * counts: the unit after the last one is refused and not recorded. */
static void test_org_limit(void **state)
{
    env *e = *state;
    for (int i = 0; i < MAIL_QUOTA_ORG_PER_HOUR; i++)
        assert_int_equal(take(e, 1, 100 + i % 3, MQ_CONTACT), 1);
    assert_int_equal(take(e, 1, 200, MQ_CONTACT), 0);
    assert_int_equal(rows(e), MAIL_QUOTA_ORG_PER_HOUR);
    /* another organisation is not affected */
    assert_int_equal(take(e, 2, 200, MQ_CONTACT), 1);
    /* an hour later the window has moved on */
    clock_set_offset(3601);
    assert_int_equal(take(e, 1, 200, MQ_CONTACT), 1);
}

static void test_person_limit_over_organisations(void **state)
{
    env *e = *state;
    for (int i = 0; i < MAIL_QUOTA_PERSON_PER_HOUR; i++)
        assert_int_equal(take(e, 1 + i % 4, 7, MQ_CONTACT), 1);
    assert_int_equal(take(e, 9, 7, MQ_CONTACT), 0);
    assert_int_equal(take(e, 9, 8, MQ_CONTACT), 1);
}

/* Invitations have a daily limit of their own; other additions go on. */
static void test_invitations_per_day(void **state)
{
    env *e = *state;
    int taken = 0;
    for (int hour = 0; taken < MAIL_QUOTA_INVITES_PER_DAY; hour++) {
        clock_set_offset(hour * 3600LL);
        for (int i = 0; i < 10 && taken < MAIL_QUOTA_INVITES_PER_DAY; i++, taken++)
            assert_int_equal(take(e, 1, 10 + i, MQ_INVITE), 1);
    }
    clock_set_offset(6 * 3600LL);
    assert_int_equal(take(e, 1, 99, MQ_INVITE), 0);
    assert_int_equal(take(e, 1, 99, MQ_CONTACT), 1);
    /* a day after the first ones, those no longer count */
    clock_set_offset(24 * 3600LL + 1);
    assert_int_equal(take(e, 1, 99, MQ_INVITE), 1);
}

/* Rows older than a day are removed when the organisation takes again. */
static void test_old_rows_pruned(void **state)
{
    env *e = *state;
    assert_int_equal(take(e, 1, 1, MQ_CONTACT), 1);
    assert_int_equal(take(e, 2, 1, MQ_CONTACT), 1);
    clock_set_offset(24 * 3600LL + 1);
    assert_int_equal(take(e, 1, 1, MQ_CONTACT), 1);
    assert_int_equal(rows(e), 2);
}

int main(void)
{
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_org_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_limit_over_organisations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invitations_per_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_rows_pruned, setup, teardown),
    };
    return cmocka_run_group_tests_name("mail quota", tests, NULL, NULL);
}
