/* housekeeping.h - deletes what has served its purpose: expired sessions
 * and remember-me tokens, brake attempts and one-time links older than a
 * day, sent (and given-up) mail past KLANTPORTAL_MAIL_RETENTION_DAYS.
 * Rows that are gone cannot leak from the database, its backups or
 * replicas.
 *
 * It sits above the features and knows the tables of auth and mail. Every
 * statement is an idempotent DELETE by age, so several server processes
 * may run it against one database at the same time. */
#ifndef KP_HOUSEKEEPING_H
#define KP_HOUSEKEEPING_H

#include <stddef.h>

#include "core/config.h"
#include "db/db.h"

#define HOUSEKEEPING_INTERVAL_SECONDS 600
/* Brake attempts and used or expired one-time links are kept this long
 * (the brake looks back 15 minutes; a day helps to read the audit). */
#define HOUSEKEEPING_KEEP_SECONDS (24 * 3600)

typedef struct housekeeping_counts {
    long long sessions, remember, attempts, tokens, mail;
} housekeeping_counts;

/* One pass on c (outside a transaction), each table in a transaction of
 * its own (db_tx). Returns 0 with the numbers deleted in *out (may be
 * NULL), or -1 on a database error (logged). */
int housekeeping_sweep(db_conn *c, arena *a, const config *cfg, housekeeping_counts *out);

/* The periodic background job (jobs.h; ctx is the config): `serve` runs it
 * every HOUSEKEEPING_INTERVAL_SECONDS on one of its processes. */
int housekeeping_job(db_conn *c, arena *a, const char *payload, void *ctx, char *err,
                     size_t errlen);

/* `klantportal housekeeping`: one pass, prints what it deleted. Exit
 * status 0, or 1 on a database error. */
int housekeeping_cli(db *d, const config *cfg);

#endif
