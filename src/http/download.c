/* download.c - see download.h */
#include "http/download.h"

#include <string.h>

#include "core/utf8.h"

/* Longest name kept, in bytes; longer ones are cut at a character. */
#define NAME_MAX_BYTES 120

/* An ASCII character kept as it is in both forms of the name. */
static int plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == ' ' || c == '(' || c == ')';
}

/* RFC 8187 attr-char: kept in filename*, everything else is %XX. */
static int attr_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("!#$&+-.^_`|~", c) != NULL;
}

const char *download_disposition(arena *a, const char *filename)
{
    const unsigned char *s = (const unsigned char *)(filename ? filename : "");
    size_t n = strlen((const char *)s);
    buf ascii, utf8;
    buf_init(&ascii, a, n + 16);
    buf_init(&utf8, a, n + 16);
    int other = 0;
    /* no hidden files, no leading spaces */
    while (n > 0 && (*s == '.' || *s == ' ')) {
        s++;
        n--;
    }
    for (size_t i = 0; i < n && utf8.len < NAME_MAX_BYTES;) {
        size_t len = utf8_char_len(s + i, n - i);
        if (len == 1 && plain(s[i])) {
            buf_putc(&ascii, (char)s[i]);
            buf_putc(&utf8, (char)s[i]);
        } else {
            /* a character the quoted form cannot hold, or not a character */
            buf_putc(&ascii, '_');
            if (len > 1) {
                buf_add(&utf8, s + i, len);
                other = 1;
            } else {
                buf_putc(&utf8, '_');
            }
        }
        i += len ? len : 1;
    }
    if (ascii.len == 0) {
        buf_puts(&ascii, "download");
        buf_puts(&utf8, "download");
    }
    buf out;
    buf_init(&out, a, ascii.len * 4 + 64);
    buf_printf(&out, "attachment; filename=\"%s\"", ascii.data);
    if (!other) return out.data;
    buf_puts(&out, "; filename*=UTF-8''");
    for (size_t i = 0; i < utf8.len; i++) {
        unsigned char c = (unsigned char)utf8.data[i];
        if (attr_char(c))
            buf_putc(&out, (char)c);
        else
            buf_printf(&out, "%%%02X", c);
    }
    return out.data;
}

void resp_download(http_resp *rs, arena *a, const char *content_type, const char *filename)
{
    rs->status = 200;
    rs->content_type = content_type;
    resp_header(rs, a, "Content-Disposition", download_disposition(a, filename));
    resp_header(rs, a, "X-Content-Type-Options", "nosniff");
    resp_header(rs, a, "Cache-Control", "no-store");
}
