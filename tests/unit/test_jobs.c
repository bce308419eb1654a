/* test_jobs.c - background jobs on a temporary SQLite database migrated with
 * the real migrations (run from the repository root), and again on
 * PostgreSQL when KP_TEST_PG_URL is set (a schema of its own per test). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "jobs/jobs.h"

#include "migrated_db.h"

/* ---- handlers ------------------------------------------------------------ */

/* Records each run as a row: what ran, with which payload. */
static int note_run(db_conn *c, arena *a, const char *payload, void *ctx, char *err, size_t errlen)
{
    (void)ctx;
    if (db_q(c, a, NULL, "INSERT INTO ran (payload) VALUES ($1)", payload) < 0) {
        snprintf(err, errlen, "%s", db_errmsg(c));
        return -1;
    }
    return 0;
}

static int always_fails(db_conn *c, arena *a, const char *payload, void *ctx, char *err,
                        size_t errlen)
{
    (void)c;
    (void)a;
    (void)payload;
    (void)ctx;
    snprintf(err, errlen, "server onbereikbaar");
    return -1;
}

static void make_ran_table(env *e)
{
    db_conn *c = db_acquire(e->d);
    assert_int_equal(db_exec_script(c, "CREATE TABLE ran (payload TEXT NOT NULL)"), 0);
    db_release(e->d, c);
}

static long long enqueue(env *e, const char *kind, const char *payload, long long run_at)
{
    db_conn *c = db_acquire(e->d);
    long long id = jobs_enqueue(c, e->a, kind, payload, run_at);
    db_release(e->d, c);
    assert_true(id > 0);
    return id;
}

/* ---- tests --------------------------------------------------------------- */

static void test_one_off_runs_once_when_due(void **state)
{
    env *e = *state;
    make_ran_table(e);
    jobs *j = jobs_new();
    assert_int_equal(jobs_define(j, "noteer", note_run, NULL, 0), 0);
    assert_int_equal(jobs_define(j, "noteer", note_run, NULL, 0), -1);
    enqueue(e, "noteer", "nu", 0);
    enqueue(e, "noteer", "straks", (long long)clock_now() + 3600);
    assert_int_equal(jobs_run_due(j, e->d, 0), 1);
    assert_int_equal(jobs_run_due(j, e->d, 0), 0);
    assert_int_equal(scalar(e, "SELECT count(*) FROM ran WHERE payload = 'nu'"), 1);
    assert_int_equal(scalar(e, "SELECT count(*) FROM jobs WHERE done_at IS NOT NULL"), 1);
    /* an hour later the second one is due */
    clock_set_offset(3601);
    assert_int_equal(jobs_run_due(j, e->d, 0), 1);
    assert_int_equal(scalar(e, "SELECT count(*) FROM ran"), 2);
    jobs_free(j);
}

static void test_failure_backs_off_and_gives_up(void **state)
{
    env *e = *state;
    jobs *j = jobs_new();
    jobs_define(j, "faalt", always_fails, NULL, 0);
    enqueue(e, "faalt", "", 0);
    assert_int_equal(jobs_run_due(j, e->d, 0), 1);
    /* not again at once: it waits */
    assert_int_equal(jobs_run_due(j, e->d, 0), 0);
    assert_int_equal(scalar(e, "SELECT attempts FROM jobs"), 1);
    assert_int_equal(
        scalar(e, "SELECT count(*) FROM jobs WHERE last_error = 'server onbereikbaar'"), 1);
    long long t = 0;
    for (int i = 2; i <= JOBS_MAX_ATTEMPTS; i++) {
        t += 3601;
        clock_set_offset(t);
        assert_int_equal(jobs_run_due(j, e->d, 0), 1);
    }
    clock_set_offset(t + 100L * 24 * 3600);
    assert_int_equal(jobs_run_due(j, e->d, 0), 0);
    assert_int_equal(scalar(e, "SELECT attempts FROM jobs"), JOBS_MAX_ATTEMPTS);
    jobs_free(j);
}

static void test_periodic_keeps_one_row(void **state)
{
    env *e = *state;
    make_ran_table(e);
    jobs *j = jobs_new();
    jobs_define(j, "opruimen", note_run, NULL, 600);
    assert_int_equal(jobs_schedule(j, e->d), 0);
    assert_int_equal(jobs_schedule(j, e->d), 0); /* a second server starting */
    assert_int_equal(scalar(e, "SELECT count(*) FROM jobs"), 1);
    assert_int_equal(jobs_run_due(j, e->d, 0), 1);
    assert_int_equal(jobs_run_due(j, e->d, 0), 0);
    clock_set_offset(601);
    assert_int_equal(jobs_run_due(j, e->d, 0), 1);
    assert_int_equal(scalar(e, "SELECT count(*) FROM ran"), 2);
    assert_int_equal(scalar(e, "SELECT count(*) FROM jobs"), 1);
    assert_int_equal(scalar(e, "SELECT count(*) FROM jobs WHERE done_at IS NULL"), 1);
    jobs_free(j);
}

typedef struct runner {
    jobs *j;
    db *d;
    int ran;
} runner;

static void *run_all(void *arg)
{
    runner *r = arg;
    r->ran = jobs_run_due(r->j, r->d, 0);
    return NULL;
}

/* Two server processes on one database (two pools here): every job runs
 * exactly once. */
static void test_two_runners_run_each_job_once(void **state)
{
    env *e = *state;
    make_ran_table(e);
    jobs *j = jobs_new();
    jobs_define(j, "noteer", note_run, NULL, 0);
    for (int i = 0; i < 60; i++)
        enqueue(e, "noteer", arena_printf(e->a, "%d", i), 0);
    db *other;
    char err[512];
    assert_int_equal(db_open(e->url, 2, &other, err, sizeof err), 0);
    runner r1 = {j, e->d, 0}, r2 = {j, other, 0};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, run_all, &r1);
    pthread_create(&t2, NULL, run_all, &r2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    db_close(other);
    assert_int_equal(r1.ran + r2.ran, 60);
    assert_int_equal(scalar(e, "SELECT count(*) FROM ran"), 60);
    assert_int_equal(scalar(e, "SELECT count(DISTINCT payload) FROM ran"), 60);
    jobs_free(j);
}

static void test_runner_thread(void **state)
{
    env *e = *state;
    make_ran_table(e);
    jobs *j = jobs_new();
    jobs_define(j, "noteer", note_run, NULL, 0);
    char err[256];
    assert_int_equal(jobs_start(j, e->d, err, sizeof err), 0);
    enqueue(e, "noteer", "achtergrond", 0);
    jobs_kick(j);
    for (int i = 0; i < 100 && scalar(e, "SELECT count(*) FROM ran") == 0; i++)
        usleep(20000);
    jobs_stop(j);
    assert_int_equal(scalar(e, "SELECT count(*) FROM ran WHERE payload = 'achtergrond'"), 1);
    jobs_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_off_runs_once_when_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_backs_off_and_gives_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_periodic_keeps_one_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_runners_run_each_job_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runner_thread, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("jobs on SQLite", tests, NULL, NULL);
    pg_url = getenv("KP_TEST_PG_URL");
    if (!pg_url || !*pg_url) {
        print_message("KP_TEST_PG_URL is not set: skipping the PostgreSQL run\n");
        return failed;
    }
    return failed + cmocka_run_group_tests_name("jobs on PostgreSQL", tests, NULL, NULL);
}
