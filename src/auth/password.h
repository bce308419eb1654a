/* password.h - password hashing with Argon2id (libsodium crypto_pwhash).
 *
 * Cost: 19 MiB of memory and 2 passes (OWASP's minimum for Argon2id);
 * see docs/architecture.md for the measured time per hash. */
#ifndef KP_PASSWORD_H
#define KP_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128 /* >= crypto_pwhash_STRBYTES */

/* 0 on success; out gets the encoded "$argon2id$..." string. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* 1 when password matches the stored hash, 0 otherwise. */
int password_verify(const char *password, const char *hash);

#endif
