/* device.h - browsers a person logged in from before ("device cookies").
 *
 * After a successful login the browser gets a random token in the cookie
 * kp_apparaat (HttpOnly, SameSite=Lax, one year; __Host- and Secure under
 * https, through auth_cookie). The database keeps only its SHA-256 hash,
 * with the person it belongs to. The token opens nothing: it only tells
 * the brake (ratelimit.h) that an attempt comes from that person's usual
 * browser, so it is kept at logout and after a password change.
 *
 * One browser may be the usual browser of several people (a shared
 * computer at home or at a front desk): the cookie holds up to
 * DEVICE_MAX_TOKENS tokens separated by '.', newest first.
 *
 * All functions run on the request's connection and arena; thread-safe as
 * far as the request is. */
#ifndef KP_DEVICE_H
#define KP_DEVICE_H

#include "http/http.h"

#define DEVICE_COOKIE "kp_apparaat"
#define DEVICE_SECONDS (365 * 24 * 3600)
#define DEVICE_MAX_TOKENS 4

/* Pure: the well-formed tokens (43 base64url characters) in a cookie value
 * "t1.t2…", in order, copied into a; pieces that are not a token are
 * skipped, and at most DEVICE_MAX_TOKENS are taken. Returns their number;
 * value may be NULL. */
int device_split(arena *a, const char *value, char *out[DEVICE_MAX_TOKENS]);

/* The id of the live device this browser carries a token of for the person
 * whose username is `email`: 0 when it carries none (or the name is not
 * known), -1 on a database error. */
long long device_for_login(http_req *rq, const char *email);
/* The same for a person by id (re-authentication in Mijn gegevens). */
long long device_for_person(http_req *rq, long long person_id);

/* After a successful login: makes sure this browser carries a live token
 * of person_id (a new one, or the one it has, with its year renewed) and
 * sets the cookie. Runs inside the caller's transaction. 0 or -1. */
int device_remember(http_req *rq, http_resp *rs, long long person_id);

#endif
