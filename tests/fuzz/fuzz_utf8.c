/* fuzz_utf8.c - libFuzzer target for reading UTF-8 (core/utf8.h).
 *
 * The input is the text, in an exactly-sized buffer (ASan catches a read
 * past it). Character by character, utf8_next agrees with a second reader
 * written the other way round (by the allowed range of each byte, as
 * RFC 3629's table gives it); utf8_valid_prefix stops where they first
 * fail; a cut at every length ends on a character boundary and keeps a
 * well-formed text well-formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

/* The length of the well-formed character at s, or 0: RFC 3629's table. */
static size_t by_table(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *p = malloc(size ? size : 1);
    if (!p) abort();
    memcpy(p, data, size);
    const char *s = (const char *)p;

    size_t i = 0, first_bad = size;
    while (i < size) {
        size_t len, want = by_table(p + i, size - i);
        long cp = utf8_next(p + i, size - i, &len);
        if (utf8_char_len(p + i, size - i) != want) abort();
        if (want == 0) {
            if (cp != -1 || len != 1) abort();
            if (first_bad == size) first_bad = i;
        } else if (cp < 0 || cp > 0x10FFFF || len != want) {
            abort();
        }
        i += len;
    }
    if (utf8_valid_prefix(s, size) != first_bad) abort();
    if (utf8_valid(s, size) != (first_bad == size)) abort();

    /* every cut of a short text; of a long one the first few (each check
     * reads the text again) */
    for (size_t max = 0; max <= size && max <= 256; max++) {
        size_t k = utf8_cut(s, size, max);
        if (k > max || (k < size && k > 0 && (p[k] & 0xC0) == 0x80)) abort();
        if (first_bad == size && !utf8_valid(s, k)) abort();
    }
    free(p);
    return 0;
}
