/* ratelimit.h - the brake on abuse of logins and reset requests. Counters
 * are rows in auth_attempts, so every server process sees the same counts.
 *
 * Login: 5 failures for one account within 15 minutes block further
 * attempts for that account (even with the right password) until the
 * window has passed; 30 failures from one client address likewise.
 * Reset requests: 5 per account and 20 per address per 15 minutes. */
#ifndef KP_RATELIMIT_H
#define KP_RATELIMIT_H

#include "core/arena.h"
#include "db/db.h"

#define RL_WINDOW_SECONDS (15 * 60)
#define RL_LOGIN_PER_ACCOUNT 5
#define RL_LOGIN_PER_IP 30
#define RL_RESET_PER_ACCOUNT 5
#define RL_RESET_PER_IP 20
/* Checks still running (taken, not yet settled) count with the account's
 * failures, so a burst of guesses gets no more checks than guesses one at
 * a time would; per address they have a wider limit of their own, so
 * colleagues logging in behind one office address are not refused. */
#define RL_PENDING_PER_IP 100
#define RL_PENDING_SECONDS 60

typedef enum rl_kind { RL_LOGIN, RL_RESET } rl_kind;

/* Takes one attempt for this account and address before the (slow)
 * password check runs: the attempt is recorded at once, pending, in its own
 * transaction serialised per account and address, so requests sent at the
 * same moment count each other. A plain read answers first when the limit
 * is already reached, so refusals take no write lock. Returns 1 when the
 * limit is reached (nothing recorded), 0 when the attempt may go ahead
 * (*id set), -1 on a database error. Not inside another transaction.
 * Reset requests are settled at once. */
int rl_take(db_conn *c, arena *a, rl_kind kind, const char *account, const char *ip, long long *id);
/* The attempt succeeded (a correct password): it no longer counts. */
int rl_forget(db_conn *c, arena *a, long long id);
/* The attempt failed: from now on it counts against the limit. */
int rl_fail(db_conn *c, arena *a, long long id);
/* Should this refusal go into the audit log? Once a minute per account,
 * so a flood of refused attempts does not flood the log. */
int rl_audit_refusal(db_conn *c, arena *a, const char *account);
/* Forgets an account's failed logins (after a password reset). */
int rl_clear(db_conn *c, arena *a, const char *account);

#endif
