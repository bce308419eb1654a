/* fuzz_brake_keys.c - libFuzzer target for what the brake reads from a
 * request: the client address it counts under (rl_address_key, fed from
 * X-Forwarded-For behind a proxy) and the device cookie's tokens
 * (device_split). Both take C strings, so the input is copied into a buffer
 * of exactly size + 1 bytes: ASan still catches a read past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/device.h"
#include "auth/ratelimit.h"

static void address(const char *s)
{
    char out[RL_ADDRESS_MAX];
    rl_address_key(s, out, sizeof out);
    if (strlen(out) >= sizeof out) abort();
    char tiny[3];
    rl_address_key(s, tiny, sizeof tiny);
    if (strlen(tiny) >= sizeof tiny) abort();
}

static void cookie(arena *a, const char *s)
{
    char *t[DEVICE_MAX_TOKENS];
    int n = device_split(a, s, t);
    if (n < 0 || n > DEVICE_MAX_TOKENS) abort();
    for (int i = 0; i < n; i++)
        if (strlen(t[i]) != 43 || !strstr(s, t[i])) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    arena *a = arena_new(0);
    address(s);
    cookie(a, s);
    arena_free(a);
    free(s);
    return 0;
}
