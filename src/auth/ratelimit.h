/* ratelimit.h - the brake on guessing passwords and on flooding Wachtwoord
 * opvragen. Counters are rows in auth_attempts, so every server process
 * sees the same counts. Thread-safe: all state is in the database.
 *
 * The brake must never lock the real owner out. A browser that logged in
 * to an account before carries a device token of it (device.h); attempts
 * for that account from that browser count against that device only and
 * are never refused because of failures made elsewhere. Every other
 * attempt comes from an unknown device and is counted per (account,
 * address), per account and per address. Over a limit the answer names the
 * wait: the moment the failure that tipped it leaves the window; no request
 * thread ever sleeps.
 *
 * The numbers, all over a sliding window of 15 minutes:
 *   known device          10 failures per device (a stolen cookie still
 *                         gets no more than 40 guesses an hour)
 *   unknown devices        5 per (account, address): one guesser's share
 *                         10 per account, all unknown devices together:
 *                            at most 40 guesses an hour from a botnet
 *                         30 per address over all accounts, against
 *                            password spraying
 *   Wachtwoord opvragen    5 per account, 20 per address; beyond that the
 *                         request is dropped without a word (the page looks
 *                         the same), so nobody learns it was dropped.
 *   Aanmelden (a bezoeker's sign-up for an event, kind "aanmelding")
 *                          5 per typed e-mail address, 10 per address:
 *                         nobody fills events with made-up sign-ups or
 *                         floods one mailbox with confirmation mail; over
 *                         it the answer names the wait and nothing is
 *                         stored.
 * Addresses are grouped: IPv4 as is, IPv6 by its /64 (one customer's
 * network), IPv4-mapped IPv6 as the IPv4 address. */
#ifndef KP_RATELIMIT_H
#define KP_RATELIMIT_H

#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"

#define RL_WINDOW_SECONDS (15 * 60)
#define RL_LOGIN_PER_DEVICE 10
#define RL_LOGIN_PER_ACCOUNT_ADDRESS 5
#define RL_LOGIN_PER_ACCOUNT 10
#define RL_LOGIN_PER_IP 30
#define RL_RESET_PER_ACCOUNT 5
#define RL_RESET_PER_IP 20
#define RL_SIGNUP_PER_EMAIL 5
#define RL_SIGNUP_PER_IP 10
/* Checks still running (taken, not yet settled) count with the failures of
 * the device, the account and the (account, address), so a burst of
 * guesses gets no more checks than guesses one at a time would; per
 * address they have a wider limit of their own, so colleagues logging in
 * behind one office address are not refused. */
#define RL_PENDING_PER_IP 100
#define RL_PENDING_SECONDS 60

/* Big enough for any key rl_address_key writes. */
#define RL_ADDRESS_MAX 64

typedef enum rl_kind { RL_LOGIN, RL_RESET, RL_SIGNUP } rl_kind;

/* Who is trying: the account (the lower-cased username as typed, also when
 * no such person exists; for a sign-up the typed e-mail address), the
 * client address (rq->client_ip) and the device: the id of a device token
 * of this account the browser carries (device.h), 0 for an unknown device.
 * Reset requests and sign-ups ignore the device. */
typedef struct rl_who {
    const char *account;
    const char *ip;
    long long device_id;
} rl_who;

/* Takes one attempt before the (slow) password check runs: the attempt is
 * recorded at once, pending, in its own transaction serialised per account
 * and address (or device), so requests sent at the same moment count each
 * other. A plain read answers first when a limit is already reached, so
 * refusals take no write lock. Returns 0 when the attempt may go ahead
 * (*id set), the seconds to wait (>= 1) when a limit is reached (nothing
 * recorded), -1 on a database error. Not inside another transaction.
 * Reset requests and sign-ups are settled at once. */
int rl_take(db_conn *c, arena *a, rl_kind kind, const rl_who *who, long long *id);
/* The attempt succeeded (a correct password): it no longer counts. */
int rl_forget(db_conn *c, arena *a, long long id);
/* The attempt failed: from now on it counts against the limit. */
int rl_fail(db_conn *c, arena *a, long long id);
/* Should this refusal go into the audit log under `action`? Once a minute
 * per account, so a flood of refused attempts does not flood the log. */
int rl_audit_refusal(db_conn *c, arena *a, const char *action, const char *account);
/* The accounts whose login brake is closed now, or partly: at least
 * RL_LOGIN_PER_ACCOUNT_ADDRESS failed logins within the window. Rows
 * (account, failures, last: Unix seconds), most recent first, at most 50.
 * NULL on a database error. */
db_res *rl_braked_accounts(db_conn *c, arena *a);
/* Forgets an account's failed logins (after a password reset, or when
 * staff lift the brake). */
int rl_clear(db_conn *c, arena *a, const char *account);

/* Pure: the key an address is counted under, written to out (at least
 * RL_ADDRESS_MAX bytes): "192.0.2.7"; "2001:db8:1:2::/64" for any address
 * in that /64; "::ffff:192.0.2.7" gives "192.0.2.7". Anything that is not
 * an address is kept as it is (cut to fit). */
void rl_address_key(const char *ip, char *out, size_t outlen);
/* Pure: "1 seconde" or "N seconden", for "Probeer het over … opnieuw." */
const char *rl_wait_text(arena *a, int seconds);

#endif
