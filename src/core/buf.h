/* buf.h - growable byte buffer that lives in an arena.
 *
 * The data is always NUL-terminated so it can be used as a C string.
 * buf_html() appends with HTML escaping of & < > " ' (the last as &#39;).
 */
#ifndef KP_BUF_H
#define KP_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/arena.h"

typedef struct buf {
    arena *a;
    char *data;
    size_t len, cap;
} buf;

void buf_init(buf *b, arena *a, size_t cap);
void buf_add(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_html(buf *b, const char *s, size_t n); /* escaped */
void buf_html_str(buf *b, const char *s);
void buf_url(buf *b, const char *s); /* percent-encode for a query value */

#endif
