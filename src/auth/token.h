/* token.h - random secrets (session ids, remember-me, activation and reset
 * links, CSRF) and how they are stored: only as SHA-256 hashes, so a copy
 * of the database opens no account. */
#ifndef KP_TOKEN_H
#define KP_TOKEN_H

#include <stddef.h>
#include <time.h>

#include "core/arena.h"

/* 32 random bytes (256 bits), base64url without padding: 43 characters. */
char *token_new(arena *a);
/* Hex SHA-256 of the token: 64 characters. */
char *token_hash(arena *a, const char *token);
/* Constant-time equality of two strings (lengths may differ). */
int token_equal(const char *x, const char *y);
/* Is a token with this expiry moment still valid at `now`? Valid while
 * now < expires_at. */
int token_valid_at(long long expires_at, time_t now);

/* CSRF: does the form's token match the session's (when there is a
 * session) or the pre-session cookie (when there is none)? */
int csrf_accept(const char *sent, const char *session_csrf, const char *pre_cookie);

#endif
