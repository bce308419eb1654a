/* jobs.h - background work that must survive a crash and may run on any of
 * several server processes: one-off jobs (queued with jobs_enqueue in the
 * transaction of the change that causes them) and periodic ones
 * (housekeeping, reminders).
 *
 * Rows live in the `jobs` table, a queue in the sense of db/queue.h (the
 * outbox is another): a runner claims one due job for JOBS_CLAIM_SECONDS,
 * so with several processes on one database each job runs on one of them,
 * and a claim that runs out (the process died) lets another take the job
 * over. A handler that fails is tried again later with growing pauses, up
 * to JOBS_MAX_ATTEMPTS.
 *
 * Ownership: a `jobs` registry is built once at start-up (jobs_new,
 * jobs_define), read-only afterwards and shared by the runner thread. The
 * runner takes its own connections from the pool and gives them back
 * between jobs.
 */
#ifndef KP_JOBS_H
#define KP_JOBS_H

#include "core/arena.h"
#include "db/db.h"
#include "db/queue.h"

#define JOBS_MAX_ATTEMPTS DB_QUEUE_MAX_ATTEMPTS
#define JOBS_CLAIM_SECONDS 600

/* Does the work of one job on c (outside any transaction: use db_tx for
 * the writes). payload is what jobs_enqueue stored ("" for periodic jobs).
 * Returns 0 when done, -1 to be tried again later (why in err, for the
 * log and the row's last_error). */
typedef int (*job_fn)(db_conn *c, arena *a, const char *payload, void *ctx, char *err,
                      size_t errlen);

typedef struct jobs jobs;

jobs *jobs_new(void);
void jobs_free(jobs *j);
/* Registers a kind. period_s > 0 makes it periodic: jobs_schedule keeps one
 * row for it, due again period_s after each run. Returns 0, or -1 for a
 * duplicate kind or a full registry. */
int jobs_define(jobs *j, const char *kind, job_fn fn, void *ctx, int period_s);

/* Makes sure every periodic kind has its row (due now when it is new).
 * Safe when several processes start at once. 0 or -1. */
int jobs_schedule(jobs *j, db *d);

/* Queues a one-off job on the caller's connection (and transaction), due at
 * run_at (Unix seconds; 0 = now). Returns the job id, or -1. */
long long jobs_enqueue(db_conn *c, arena *a, const char *kind, const char *payload,
                       long long run_at);

/* Runs due jobs until none is due or max have run (max <= 0: no limit).
 * Returns how many ran (done or failed), or -1 on a database error. For the
 * runner thread, `klantportal jobs run` and tests. */
int jobs_run_due(jobs *j, db *d, int max);

/* The runner thread: looks for due jobs every second (at once after
 * jobs_kick). jobs_stop finishes the job in hand and stops. */
int jobs_start(jobs *j, db *d, char *err, size_t errlen);
void jobs_kick(jobs *j);
void jobs_stop(jobs *j);

#endif
