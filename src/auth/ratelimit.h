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

typedef enum rl_kind { RL_LOGIN, RL_RESET } rl_kind;

/* Takes one attempt for this account and address before the (slow)
 * password check runs: the attempt is recorded at once, in its own
 * transaction serialised per account and address, so requests sent at the
 * same moment count each other. Returns 1 when the limit is reached
 * (nothing recorded), 0 when the attempt may go ahead (*id set), -1 on a
 * database error. Not inside another transaction. */
int rl_take(db_conn *c, arena *a, rl_kind kind, const char *account, const char *ip, long long *id);
/* The attempt succeeded (a correct password): it no longer counts. */
int rl_forget(db_conn *c, arena *a, long long id);
/* Forgets an account's failed logins (after a password reset). */
int rl_clear(db_conn *c, arena *a, const char *account);

#endif
