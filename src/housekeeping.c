/* housekeeping.c - see housekeeping.h */
#include "housekeeping.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/timeutil.h"

/* The outbox's "given up" moment (see mail/sender.c): never due again. */
#define MAIL_NEVER "253402300799"

/* The moment before which rows go: now for what carries its own expiry
 * (sessions, remember-me), a day back for the rest, the retention for
 * mail. */
typedef enum limit_kind { UNTIL_NOW, UNTIL_DAY, UNTIL_RETENTION } limit_kind;

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
    {"DELETE FROM outbox WHERE sent_at < $1 OR (sent_at IS NULL AND next_attempt_at = " MAIL_NEVER
     " AND created_at < $1)",
     UNTIL_RETENTION, offsetof(housekeeping_counts, mail)},
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

int housekeeping_run(db *d, const config *cfg, housekeeping_counts *out)
{
    housekeeping_counts counts = {0};
    arena *a = arena_new(0);
    db_conn *c = db_acquire(d);
    long long now = (long long)clock_now();
    int rc = 0;
    for (size_t i = 0; i < sizeof sweeps / sizeof sweeps[0]; i++) {
        const sweep *s = &sweeps[i];
        int n = db_q(c, a, NULL, s->sql, arena_printf(a, "%lld", limit_for(s, cfg, now)));
        if (n < 0) {
            log_error("opruimen: %s", db_errmsg(c));
            rc = -1;
            break;
        }
        *(long long *)((char *)&counts + s->field) = n;
    }
    db_release(d, c);
    arena_free(a);
    if (out) *out = counts;
    return rc;
}

struct housekeeper {
    db *d;
    const config *cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static void *keeper_main(void *arg)
{
    housekeeper *h = arg;
    pthread_mutex_lock(&h->mu);
    while (!h->stop) {
        pthread_mutex_unlock(&h->mu);
        housekeeping_run(h->d, h->cfg, NULL);
        pthread_mutex_lock(&h->mu);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += HOUSEKEEPING_INTERVAL_SECONDS;
        while (!h->stop && pthread_cond_timedwait(&h->cv, &h->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

int housekeeping_start(db *d, const config *cfg, housekeeper **out, char *err, size_t errlen)
{
    *out = NULL;
    housekeeper *h = calloc(1, sizeof *h);
    if (!h) abort();
    h->d = d;
    h->cfg = cfg;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&h->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&h->mu, NULL);
    int rc = pthread_create(&h->thread, NULL, keeper_main, h);
    if (rc != 0) {
        snprintf(err, errlen, "opruimtaak start niet: %s", strerror(rc));
        pthread_cond_destroy(&h->cv);
        pthread_mutex_destroy(&h->mu);
        free(h);
        return -1;
    }
    *out = h;
    return 0;
}

void housekeeping_stop(housekeeper *h)
{
    if (!h) return;
    pthread_mutex_lock(&h->mu);
    h->stop = 1;
    pthread_cond_signal(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    pthread_cond_destroy(&h->cv);
    pthread_mutex_destroy(&h->mu);
    free(h);
}

int housekeeping_cli(db *d, const config *cfg)
{
    housekeeping_counts n;
    if (housekeeping_run(d, cfg, &n) != 0) {
        fprintf(stderr, "klantportal: opruimen mislukt (database)\n");
        return 1;
    }
    printf("opgeruimd: %lld sessies, %lld onthoud-tokens, %lld pogingen, %lld links, "
           "%lld e-mails\n",
           n.sessions, n.remember, n.attempts, n.tokens, n.mail);
    return 0;
}
