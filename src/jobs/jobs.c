/* jobs.c - see jobs.h. */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "db/queue.h"

#define MAX_KINDS 32

typedef struct kind {
    const char *name;
    job_fn fn;
    void *ctx;
    int period_s;
} kind;

struct jobs {
    kind kinds[MAX_KINDS];
    int nkinds;
    db *d;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started, stop, kicked;
};

typedef struct claimed {
    long long id;
    const char *kind;
    const char *payload;
    int attempts;
} claimed;

static const char *num(arena *a, long long v)
{
    return arena_printf(a, "%lld", v);
}

jobs *jobs_new(void)
{
    jobs *j = calloc(1, sizeof *j);
    if (!j) abort();
    pthread_mutex_init(&j->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&j->cv, &ca);
    pthread_condattr_destroy(&ca);
    return j;
}

void jobs_free(jobs *j)
{
    if (!j) return;
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    free(j);
}

static const kind *find_kind(const jobs *j, const char *name)
{
    for (int i = 0; i < j->nkinds; i++)
        if (strcmp(j->kinds[i].name, name) == 0) return &j->kinds[i];
    return NULL;
}

int jobs_define(jobs *j, const char *name, job_fn fn, void *ctx, int period_s)
{
    if (!name || !fn || period_s < 0 || find_kind(j, name) || j->nkinds == MAX_KINDS) return -1;
    j->kinds[j->nkinds++] = (kind){name, fn, ctx, period_s};
    return 0;
}

/* One row per periodic kind, whoever starts first makes it. */
static int schedule_tx(db_conn *c, arena *a, void *arg)
{
    const jobs *j = arg;
    for (int i = 0; i < j->nkinds; i++) {
        if (j->kinds[i].period_s == 0) continue;
        if (db_q(c, a, NULL,
                 "INSERT INTO jobs (kind, unique_key, run_at) VALUES ($1, $1, $2)"
                 " ON CONFLICT (unique_key) DO NOTHING",
                 j->kinds[i].name, num(a, (long long)clock_now())) < 0)
            return -1;
    }
    return 0;
}

int jobs_schedule(jobs *j, db *d)
{
    arena *a = arena_new(0);
    db_conn *c = db_acquire(d);
    int rc = db_tx(c, a, schedule_tx, j);
    if (rc != 0) log_error("taken: inplannen: %s", db_errmsg(c));
    db_release(d, c);
    arena_free(a);
    return rc == 0 ? 0 : -1;
}

long long jobs_enqueue(db_conn *c, arena *a, const char *kind_name, const char *payload,
                       long long run_at)
{
    db_res *r;
    if (run_at <= 0) run_at = (long long)clock_now();
    if (db_q(c, a, &r, "INSERT INTO jobs (kind, payload, run_at) VALUES ($1, $2, $3) RETURNING id",
             kind_name, payload ? payload : "", num(a, run_at)) != 1)
        return -1;
    return db_int(r, 0, "id");
}

static const db_queue job_queue = {
    .table = "jobs",
    .due = "run_at",
    .done = "done_at",
    .order = "run_at, id",
    .columns = "id, kind, payload, attempts",
    .lease_s = JOBS_CLAIM_SECONDS,
};

/* 1 with *out filled, 0 when nothing is due, -1 on a database error. */
static int claim(db_conn *c, arena *a, claimed *out)
{
    db_res *r;
    int rc = db_queue_claim(c, a, &job_queue, &r);
    if (rc != 1) return rc;
    out->id = db_int(r, 0, "id");
    out->kind = db_val(r, 0, "kind");
    out->payload = db_val(r, 0, "payload");
    out->attempts = (int)db_int(r, 0, "attempts");
    return 1;
}

static int record(db_conn *c, arena *a, const claimed *job, const kind *k, int ok, const char *why)
{
    long long now = (long long)clock_now();
    int period = k ? k->period_s : 0;
    if (ok && period > 0) return db_queue_next(c, a, &job_queue, job->id, now + period);
    if (ok) return db_queue_done(c, a, &job_queue, job->id);
    long long next = db_queue_backoff(job->attempts, now);
    /* a periodic job that keeps failing still comes back at its period */
    if (next == DB_QUEUE_NEVER && period > 0) next = now + period;
    return db_queue_retry(c, a, &job_queue, job->id, next, why);
}

/* One job: 1 ran, 0 nothing due, -1 database error. */
static int run_one(jobs *j, db *d)
{
    arena *a = arena_new(0);
    db_conn *c = db_acquire(d);
    claimed job;
    int rc = claim(c, a, &job);
    if (rc == 1) {
        const kind *k = find_kind(j, job.kind);
        char err[256] = "";
        int ok = 0;
        if (!k)
            snprintf(err, sizeof err, "onbekende taak '%s'", job.kind);
        else
            ok = k->fn(c, a, job.payload ? job.payload : "", k->ctx, err, sizeof err) == 0;
        if (db_in_tx(c)) db_rollback(c); /* a handler must not leave one open */
        if (!ok)
            log_error("taak %lld (%s), poging %d mislukt: %s", job.id, job.kind, job.attempts,
                      err[0] ? err : "onbekende fout");
        if (record(c, a, &job, k, ok, err[0] ? err : "mislukt") < 0) rc = -1;
    }
    if (rc < 0) log_error("taken: database: %s", db_errmsg(c));
    db_release(d, c);
    arena_free(a);
    return rc;
}

static int stop_requested(jobs *j)
{
    pthread_mutex_lock(&j->mu);
    int stop = j->stop;
    pthread_mutex_unlock(&j->mu);
    return stop;
}

int jobs_run_due(jobs *j, db *d, int max)
{
    int ran = 0;
    while ((max <= 0 || ran < max) && !stop_requested(j)) {
        int rc = run_one(j, d);
        if (rc < 0) return -1;
        if (rc == 0) break;
        ran++;
    }
    return ran;
}

static void *runner_main(void *arg)
{
    jobs *j = arg;
    pthread_mutex_lock(&j->mu);
    while (!j->stop) {
        j->kicked = 0;
        pthread_mutex_unlock(&j->mu);
        jobs_run_due(j, j->d, 0);
        pthread_mutex_lock(&j->mu);
        if (j->stop || j->kicked) continue;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&j->cv, &j->mu, &until);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

int jobs_start(jobs *j, db *d, char *err, size_t errlen)
{
    j->d = d;
    if (jobs_schedule(j, d) != 0) {
        snprintf(err, errlen, "periodieke taken konden niet worden ingepland");
        return -1;
    }
    int rc = pthread_create(&j->thread, NULL, runner_main, j);
    if (rc != 0) {
        snprintf(err, errlen, "takenverwerker start niet: %s", strerror(rc));
        return -1;
    }
    j->started = 1;
    return 0;
}

void jobs_kick(jobs *j)
{
    if (!j) return;
    pthread_mutex_lock(&j->mu);
    j->kicked = 1;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

void jobs_stop(jobs *j)
{
    if (!j || !j->started) return;
    pthread_mutex_lock(&j->mu);
    j->stop = 1;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->thread, NULL);
    j->started = 0;
}
