/* password.c - see password.h */
#include "auth/password.h"

#include <sodium.h>
#include <string.h>

#define PW_MEMLIMIT (19u * 1024u * 1024u)
#define PW_OPSLIMIT 2u

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    return crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
                                 crypto_pwhash_ALG_ARGON2ID13);
}

int password_verify(const char *password, const char *hash)
{
    if (!hash || !*hash) return 0;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
