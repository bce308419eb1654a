/* secretbox.h - the server's own secret key, and short secrets encrypted
 * with it.
 *
 * Secrets the server must read back later (a staff member's TOTP key) are
 * stored encrypted, so a copy of the database or a backup does not hold
 * them in the clear. The key lives in a file outside the database
 * (KLANTPORTAL_SECRET_KEY_FILE, default var/klantportal.key): 32 random
 * bytes, mode 0600, made at first start when missing.
 *
 * A loaded key is read-only, so one key may be shared by every thread. */
#ifndef KP_SECRETBOX_H
#define KP_SECRETBOX_H

#include <stddef.h>

#include "core/arena.h"

#define SECRET_KEY_BYTES 32

typedef struct secret_key {
    unsigned char bytes[SECRET_KEY_BYTES];
} secret_key;

/* Reads the key from path, or creates it (32 random bytes, mode 0600,
 * written whole before it appears under its name, so servers starting at
 * once agree on one key). Refuses a file that is not a regular file, has
 * other permissions than 0600 or another size. Returns 0, or -1 with a
 * Dutch reason in err. */
int secret_key_load(const char *path, secret_key *out, char *err, size_t errlen);

/* Encrypts plain (XSalsa20-Poly1305 with a random nonce) to text: base64
 * of nonce + ciphertext, in arena a. NULL only when plain is NULL. */
char *secret_seal(arena *a, const secret_key *k, const char *plain);

/* Decrypts what secret_seal made with the same key. Returns the plain text
 * (in arena a), or NULL when the text is damaged, altered or sealed with
 * another key. */
char *secret_open(arena *a, const secret_key *k, const char *sealed);

#endif
