/* housekeeping.c - see housekeeping.h */
#include "housekeeping.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "db/queue.h"

/* The moment before which rows go: now for what carries its own expiry
 * (sessions, remember-me), a day back for the rest, the retention for
 * mail. */
typedef enum limit_kind { UNTIL_NOW, UNTIL_DAY, UNTIL_RETENTION } limit_kind;

#define NO_COUNT ((size_t)-1)

typedef struct sweep {
    const char *sql; /* $1 = the limit */
    limit_kind limit;
    size_t field; /* where the count goes in housekeeping_counts */
} sweep;

static const sweep sweeps[] = {
    {"DELETE FROM sessions WHERE expires_at < $1", UNTIL_NOW,
     offsetof(housekeeping_counts, sessions)},
    {"DELETE FROM remember_tokens WHERE expires_at < $1", UNTIL_NOW,
     offsetof(housekeeping_counts, remember)},
    {"DELETE FROM auth_attempts WHERE at < $1", UNTIL_DAY, offsetof(housekeeping_counts, attempts)},
    {"DELETE FROM account_tokens WHERE used_at < $1 OR expires_at < $1", UNTIL_DAY,
     offsetof(housekeeping_counts, tokens)},
    {"DELETE FROM outbox WHERE sent_at < $1 OR (sent_at IS NULL AND next_attempt_at "
     "= " DB_QUEUE_NEVER_SQL " AND created_at < $1)",
     UNTIL_RETENTION, offsetof(housekeeping_counts, mail)},
    /* a password waiting for its code: ten minutes */
    {"DELETE FROM login_challenges WHERE expires_at < $1", UNTIL_NOW, NO_COUNT},
    /* device tokens carry their own expiry */
    {"DELETE FROM devices WHERE expires_at < $1", UNTIL_NOW, NO_COUNT},
    /* finished one-off jobs: kept a while to read what ran */
    {"DELETE FROM jobs WHERE done_at < $1", UNTIL_RETENTION, NO_COUNT},
};

static long long limit_for(const sweep *s, const config *cfg, long long now)
{
    switch (s->limit) {
    case UNTIL_NOW:
        return now;
    case UNTIL_DAY:
        return now - HOUSEKEEPING_KEEP_SECONDS;
    case UNTIL_RETENTION:
        break;
    }
    return now - (long long)cfg->mail_retention_days * 24 * 3600;
}

typedef struct sweep_run {
    const char *sql, *limit;
    int deleted;
} sweep_run;

/* One sweep in a transaction of its own: run again after a conflict with a
 * request, and short, so the requests do not wait for the whole clean-up. */
static int sweep_tx(db_conn *c, arena *a, void *arg)
{
    sweep_run *run = arg;
    run->deleted = db_q(c, a, NULL, run->sql, run->limit);
    return run->deleted < 0 ? -1 : 0;
}

int housekeeping_sweep(db_conn *c, arena *a, const config *cfg, housekeeping_counts *out)
{
    housekeeping_counts counts = {0};
    long long now = (long long)clock_now();
    for (size_t i = 0; i < sizeof sweeps / sizeof sweeps[0]; i++) {
        const sweep *s = &sweeps[i];
        sweep_run run = {s->sql, arena_printf(a, "%lld", limit_for(s, cfg, now)), 0};
        if (db_tx(c, a, sweep_tx, &run) != 0) {
            log_error("opruimen: %s", db_errmsg(c));
            return -1;
        }
        if (s->field != NO_COUNT) *(long long *)((char *)&counts + s->field) += run.deleted;
    }
    if (out) *out = counts;
    return 0;
}

int housekeeping_job(db_conn *c, arena *a, const char *payload, void *ctx, char *err, size_t errlen)
{
    (void)payload;
    if (housekeeping_sweep(c, a, ctx, NULL) == 0) return 0;
    snprintf(err, errlen, "opruimen: %s", db_errmsg(c));
    return -1;
}

int housekeeping_cli(db *d, const config *cfg)
{
    housekeeping_counts n;
    arena *a = arena_new(0);
    db_conn *c = db_acquire(d);
    int rc = housekeeping_sweep(c, a, cfg, &n);
    db_release(d, c);
    arena_free(a);
    if (rc != 0) {
        fprintf(stderr, "klantportal: opruimen mislukt (database)\n");
        return 1;
    }
    printf("opgeruimd: %lld sessies, %lld onthoud-tokens, %lld pogingen, %lld links, "
           "%lld e-mails\n",
           n.sessions, n.remember, n.attempts, n.tokens, n.mail);
    return 0;
}
