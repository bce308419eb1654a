/* mime_attach.c - one attachment as a MIME part (see internal.h).
 *
 * The body is always base64, whatever the type: the message stays 7-bit
 * ASCII and no relay rewrites a calendar file's line ends or a PDF's
 * bytes. The filename goes twice in Content-Disposition: as a quoted,
 * short ASCII fallback ("factuur __d_.pdf" for "factuur Łódź.pdf", for
 * readers that know nothing else) and, when that is not the name itself,
 * as RFC 2231's filename*=UTF-8''<percent-encoded>, split into numbered
 * pieces (filename*0*, filename*1* …) so no header line grows long. Mail
 * readers prefer the second. */
#include <string.h>

#include "mail/internal.h"

/* Base64 lines: 76 characters, 57 bytes (RFC 2045 6.8). */
#define B64_LINE_BYTES 57
/* Encoded characters per filename* piece, so a piece's line stays under
 * 78 with its name and quotes around it; the fallback likewise. */
#define PIECE_MAX 50
#define FALLBACK_MAX 60
#define EXTENSION_MAX 10

static const char hex_digits[] = "0123456789ABCDEF";

/* RFC 2231 attribute-char: what may stand unencoded in filename*. */
static int attr_char(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return 1;
    return strchr("!#$&+-.^_`|~", c) != NULL && c != '\0';
}

/* The ASCII fallback: one '_' for each character it cannot hold, and
 * at most FALLBACK_MAX characters (the stem shortened, the extension
 * kept), so its header line stays short. */
static const char *ascii_fallback(arena *a, const char *s)
{
    buf b;
    buf_init(&b, a, strlen(s) + 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue; /* the rest of a character */
        buf_putc(&b, (*p >= 0x20 && *p <= 0x7e && *p != '"' && *p != '\\') ? (char)*p : '_');
    }
    if (b.len <= FALLBACK_MAX) return b.data;
    const char *dot = strrchr(b.data, '.');
    size_t ext = dot && strlen(dot) <= EXTENSION_MAX ? strlen(dot) : 0;
    return arena_printf(a, "%.*s%s", (int)(FALLBACK_MAX - ext), b.data,
                        ext ? b.data + b.len - ext : "");
}

/* filename*=UTF-8''… in pieces of at most PIECE_MAX characters, never
 * cutting a %XX; a short name is one piece without a number. */
static void extended_name(buf *b, const char *s)
{
    buf enc;
    buf_init(&enc, b->a, strlen(s) * 3 + 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (attr_char(*p)) {
            buf_putc(&enc, (char)*p);
        } else {
            buf_putc(&enc, '%');
            buf_putc(&enc, hex_digits[*p >> 4]);
            buf_putc(&enc, hex_digits[*p & 15]);
        }
    }
    if (enc.len <= PIECE_MAX) {
        buf_printf(b, ";\r\n filename*=UTF-8''%s", enc.data);
        return;
    }
    size_t at = 0;
    for (int i = 0; at < enc.len; i++) {
        size_t n = enc.len - at > PIECE_MAX ? PIECE_MAX : enc.len - at;
        /* a '%' in the last two places would be cut from its digits */
        if (at + n < enc.len && enc.data[at + n - 1] == '%')
            n -= 1;
        else if (at + n < enc.len && enc.data[at + n - 2] == '%')
            n -= 2;
        buf_printf(b, ";\r\n filename*%d*=%s%.*s", i, i == 0 ? "UTF-8''" : "", (int)n,
                   enc.data + at);
        at += n;
    }
}

void mime_attachment_part(buf *b, const mail_attachment *f)
{
    const char *fallback = ascii_fallback(b->a, f->filename);
    buf_printf(b,
               "Content-Type: %s;\r\n name=\"%s\"\r\n"
               "Content-Transfer-Encoding: base64\r\n"
               "Content-Disposition: attachment;\r\n filename=\"%s\"",
               f->content_type, fallback, fallback);
    /* the whole name, for every reader that knows RFC 2231 */
    if (strcmp(fallback, f->filename) != 0) extended_name(b, f->filename);
    buf_puts(b, "\r\n\r\n");
    const unsigned char *p = f->data;
    for (size_t at = 0; at < f->len; at += B64_LINE_BYTES) {
        size_t n = f->len - at > B64_LINE_BYTES ? B64_LINE_BYTES : f->len - at;
        mime_base64(b, p + at, n);
        buf_puts(b, "\r\n");
    }
}
