/* totp.c - see totp.h */
#include "core/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/buf.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int ready;

static void init_oath(void)
{
    ready = oath_init() == OATH_OK;
}

void totp_secret_new(unsigned char out[TOTP_SECRET_BYTES])
{
    randombytes_buf(out, TOTP_SECRET_BYTES);
}

char *totp_base32(arena *a, const unsigned char *secret, size_t n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    buf b;
    buf_init(&b, a, n * 2 + 1);
    unsigned int acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | secret[i];
        bits += 8;
        while (bits >= 5) {
            buf_putc(&b, alphabet[(acc >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0) buf_putc(&b, alphabet[(acc << (5 - bits)) & 31]);
    return b.data ? b.data : arena_strdup(a, "");
}

char *totp_grouped(arena *a, const char *base32)
{
    buf b;
    buf_init(&b, a, strlen(base32) * 2 + 1);
    for (size_t i = 0; base32[i]; i++) {
        if (i && i % 4 == 0) buf_putc(&b, ' ');
        buf_putc(&b, base32[i]);
    }
    return b.data ? b.data : arena_strdup(a, "");
}

int totp_decode(arena *a, const char *base32, unsigned char **out, size_t *n)
{
    size_t len = strlen(base32);
    unsigned char *bytes = arena_alloc(a, len + 1);
    unsigned int acc = 0;
    int bits = 0;
    size_t k = 0;
    for (const char *p = base32; *p; p++) {
        char ch = *p;
        if (ch == ' ') continue;
        if (ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
        int v = ch >= 'A' && ch <= 'Z' ? ch - 'A' : ch >= '2' && ch <= '7' ? ch - '2' + 26 : -1;
        if (v < 0) return -1;
        acc = (acc << 5) | (unsigned)v;
        bits += 5;
        if (bits >= 8) {
            bytes[k++] = (unsigned char)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    *out = bytes;
    *n = k;
    return 0;
}

char *totp_uri(arena *a, const char *issuer, const char *account, const char *base32)
{
    buf b;
    buf_init(&b, a, 256);
    buf_puts(&b, "otpauth://totp/");
    buf_url(&b, issuer);
    buf_puts(&b, ":");
    buf_url(&b, account);
    buf_puts(&b, "?secret=");
    buf_puts(&b, base32);
    buf_puts(&b, "&issuer=");
    buf_url(&b, issuer);
    buf_puts(&b, "&algorithm=SHA1&digits=6&period=30");
    return b.data;
}

int totp_code(const unsigned char *secret, size_t n, long long step, char out[TOTP_DIGITS + 1])
{
    pthread_once(&once, init_oath);
    if (!ready || step < 0) return -1;
    /* liboath counts steps from time 0: the step's first second is its time */
    return oath_totp_generate((const char *)secret, n, (time_t)(step * TOTP_STEP_SECONDS),
                              TOTP_STEP_SECONDS, 0, TOTP_DIGITS, out) == OATH_OK
               ? 0
               : -1;
}

static int six_digits(const char *code)
{
    if (!code || strlen(code) != TOTP_DIGITS) return 0;
    for (const char *p = code; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    return 1;
}

long long totp_match(const unsigned char *secret, size_t n, const char *code, time_t now,
                     long long after)
{
    if (!six_digits(code)) return 0;
    long long current = (long long)now / TOTP_STEP_SECONDS;
    for (long long step = current - 1; step <= current + 1; step++) {
        char expected[TOTP_DIGITS + 1];
        if (step <= after || totp_code(secret, n, step, expected) != 0) continue;
        if (sodium_memcmp(expected, code, TOTP_DIGITS) == 0) return step;
    }
    return 0;
}
