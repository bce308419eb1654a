/* totp.h - one-time codes from an authenticator app: TOTP (RFC 6238) with
 * HMAC-SHA-1, 30-second steps and 6 digits, which is what every common
 * app (and the otpauth:// key format, RFC 4648 base32) expects. The HMAC
 * and truncation come from liboath.
 *
 * Pure apart from the random key; thread-safe (liboath is initialised once
 * behind pthread_once). Strings live in the caller's arena. */
#ifndef KP_TOTP_H
#define KP_TOTP_H

#include <stddef.h>
#include <time.h>

#include "core/arena.h"

#define TOTP_SECRET_BYTES 20 /* 160 bits, the HMAC-SHA-1 block's natural key */
#define TOTP_STEP_SECONDS 30
#define TOTP_DIGITS 6

/* A new random key. */
void totp_secret_new(unsigned char out[TOTP_SECRET_BYTES]);
/* The key as base32 without padding ("JBSWY3DPEHPK3PXP…"), or NULL. */
char *totp_base32(arena *a, const unsigned char *secret, size_t n);
/* The same in groups of four for a person to type: "JBSW Y3DP …". */
char *totp_grouped(arena *a, const char *base32);
/* Decodes base32 (case and spaces ignored) into *out (in a). 0, or -1 for
 * text that is not base32. */
int totp_decode(arena *a, const char *base32, unsigned char **out, size_t *n);
/* The otpauth:// address an app reads from the QR code, label
 * "issuer:account", with issuer, algorithm, digits and period spelled out. */
char *totp_uri(arena *a, const char *issuer, const char *account, const char *base32);

/* The step number (time / 30) of `code` when it is the code of the step
 * before, at or after the one of `now` (a phone's clock may be off by up to
 * half a minute, and typing takes time) and that step is later than
 * `after` (a code is accepted once: RFC 6238 section 5.2). 0 when it is
 * none of them; `code` must be exactly 6 digits. */
long long totp_match(const unsigned char *secret, size_t n, const char *code, time_t now,
                     long long after);
/* The code of one step, for tests: 0, or -1. */
int totp_code(const unsigned char *secret, size_t n, long long step, char out[TOTP_DIGITS + 1]);

#endif
