/* utf8.h - reading UTF-8, the one place that knows what a well-formed
 * sequence is: for code that checks, cleans, escapes or cuts text byte by
 * byte (form values, file names, e-mail, CSV, PDF and XML text). Pure; no
 * state, thread-safe.
 *
 * Well-formed means RFC 3629: a lead byte C2..F4 followed by its
 * continuation bytes, not cut off by the end of the text, no overlong form,
 * no surrogate (U+D800..U+DFFF), nothing above U+10FFFF. NUL (U+0000) is a
 * character like any other here; callers that refuse it say so. */
#ifndef KP_UTF8_H
#define KP_UTF8_H

#include <stddef.h>

/* The character at s (n >= 1 bytes left): its code point, with its length
 * in *len; -1 (and *len = 1, so the caller can step over the bad byte) for
 * a malformed, cut-off, overlong or surrogate sequence or one above
 * U+10FFFF. */
long utf8_next(const unsigned char *s, size_t n, size_t *len);

/* The length (1..4) of the well-formed character at s (n >= 1 bytes
 * left), or 0 when there is none: for callers that keep or replace whole
 * characters without needing the code point. */
size_t utf8_char_len(const unsigned char *s, size_t n);

/* The offset of the first byte of s[0..n) that does not start a
 * well-formed character, or n when all of it is well-formed. */
size_t utf8_valid_prefix(const char *s, size_t n);

/* 1 if s[0..n) is well-formed UTF-8 (NUL bytes allowed), else 0. */
int utf8_valid(const char *s, size_t n);

/* How many bytes of s[0..n) to keep to hold at most max bytes without
 * splitting a character: n when n <= max, else the largest k <= max with
 * s[k] not a continuation byte (10xxxxxx), 0 when there is none. Looks at
 * continuation bytes only, so it never splits a well-formed character and
 * does not judge the rest. */
size_t utf8_cut(const char *s, size_t n, size_t max);

#endif
