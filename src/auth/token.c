/* token.c - see token.h */
#include "auth/token.h"

#include <sodium.h>
#include <string.h>

char *token_new(arena *a)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    size_t n = sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, n);
    sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return out;
}

char *token_hash(arena *a, const char *token)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    char *out = arena_alloc(a, sizeof h * 2 + 1);
    sodium_bin2hex(out, sizeof h * 2 + 1, h, sizeof h);
    return out;
}

int token_equal(const char *x, const char *y)
{
    if (!x || !y) return 0;
    size_t n = strlen(x);
    if (n != strlen(y)) return 0;
    return sodium_memcmp(x, y, n) == 0;
}

int token_valid_at(long long expires_at, time_t now)
{
    return (long long)now < expires_at;
}

int csrf_accept(const char *sent, const char *session_csrf, const char *pre_cookie)
{
    if (!sent || strlen(sent) != 43) return 0;
    if (session_csrf) return token_equal(sent, session_csrf);
    return pre_cookie && token_equal(sent, pre_cookie);
}
