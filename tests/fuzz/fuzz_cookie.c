/* fuzz_cookie.c - libFuzzer target for the Cookie header parser.
 *
 * form_parse_cookies() takes a C string (header values are NUL-terminated),
 * so the input is copied into a buffer of exactly size + 1 bytes: ASan still
 * catches a read past the terminator. Parsed with default and with tight
 * limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

static const form_limits tight = {2, 4, 4, 0};

static void parse(arena *a, const char *header, const form_limits *lim)
{
    kvlist l = {0};
    int rc = form_parse_cookies(a, header, lim, &l);
    if (rc != FORM_OK && rc != FORM_TOO_MANY) abort();
    if (l.n > lim->max_fields) abort();
    for (size_t i = 0; i < l.n; i++)
        if (strlen(l.v[i].value) != l.v[i].len || l.v[i].len > lim->max_value) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = malloc(size + 1);
    if (!header) return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    arena *a = arena_new(0);
    parse(a, header, &form_default_limits);
    parse(a, header, &tight);
    arena_free(a);
    free(header);
    return 0;
}
