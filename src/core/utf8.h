/* utf8.h - reading UTF-8 one character at a time, for code that cleans or
 * escapes text byte by byte (file names, XML). Pure; no state. */
#ifndef KP_UTF8_H
#define KP_UTF8_H

#include <stddef.h>

/* The character at s (n >= 1 bytes left): its code point, with its length
 * in *len; -1 (and *len = 1, so the caller can step over the bad byte) for
 * a malformed, cut-off, overlong or surrogate sequence or one above
 * U+10FFFF. */
long utf8_next(const unsigned char *s, size_t n, size_t *len);

#endif
