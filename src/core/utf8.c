/* utf8.c - see utf8.h */
#include "core/utf8.h"

long utf8_next(const unsigned char *s, size_t n, size_t *len)
{
    *len = 1;
    if (s[0] < 0x80) return s[0];
    size_t need;
    long cp, min;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        need = 2, cp = s[0] & 0x1F, min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        need = 3, cp = s[0] & 0x0F, min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        need = 4, cp = s[0] & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (n < need) return -1;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    *len = need;
    return cp;
}

size_t utf8_char_len(const unsigned char *s, size_t n)
{
    size_t len;
    return utf8_next(s, n, &len) < 0 ? 0 : len;
}

size_t utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_char_len(p + i, n - i);
        if (len == 0) return i;
        i += len;
    }
    return n;
}

int utf8_valid(const char *s, size_t n)
{
    return utf8_valid_prefix(s, n) == n;
}

size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max) return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}
