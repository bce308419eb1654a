/* mime.c - builds the RFC 5322 / MIME text of one email (see mail.h).
 *
 * Everything we emit is 7-bit ASCII: bodies are quoted-printable, non-ASCII
 * header text is RFC 2047 base64 encoded words. That way no relay on the
 * way has to support 8BITMIME or SMTPUTF8. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "mail/internal.h"

/* RFC 2045 6.7: encoded lines are at most 76 characters. */
#define QP_LINE_MAX 76
/* RFC 2047 2: an encoded word is at most 75 characters, and a header line
 * holding encoded words at most 76. */
#define WORD_MAX 75
#define HEADER_LINE_MAX 76
/* "=?UTF-8?B?" + "?=" */
#define WORD_OVERHEAD 12
/* Longer plain names are encoded too: encoded words can be folded. */
#define NAME_QUOTED_MAX 200

static const char hex_digits[] = "0123456789ABCDEF";

static int has_crlf(const char *s)
{
    return s && strpbrk(s, "\r\n") != NULL;
}

/* Header text that may go out as is: printable ASCII or space, and nothing
 * a decoder could mistake for an encoded word. */
static int plain_header_text(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p > 0x7e) return 0;
    return strstr(s, "=?") == NULL;
}

/* ---- RFC 2047 encoded words --------------------------------------------- */

void mime_base64(buf *b, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        buf_putc(b, tab[(v >> 18) & 63]);
        buf_putc(b, tab[(v >> 12) & 63]);
        buf_putc(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
        buf_putc(b, i + 2 < n ? tab[v & 63] : '=');
    }
}

/* How many bytes of s (at most max) end on a UTF-8 character boundary:
 * a word must hold whole characters (RFC 2047 5). */
static size_t whole_chars(const unsigned char *s, size_t len, size_t max)
{
    if (len <= max) return len;
    size_t n = utf8_cut((const char *)s, len, max);
    /* a run of continuation bytes longer than a character: cut anyway */
    return n > 0 ? n : max;
}

/* Appends s as base64 encoded words, folding onto new lines as needed.
 * col is the column the first word starts at; returns the column after the
 * last word. Whitespace between encoded words is dropped by decoders, so
 * the folds do not change the text. */
static size_t encoded_words(buf *b, const char *s, size_t col)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    int first = 1;
    while (left > 0) {
        size_t used = col + (first ? 0 : 1);
        size_t room = used < HEADER_LINE_MAX ? HEADER_LINE_MAX - used : 0;
        if (room > WORD_MAX) room = WORD_MAX;
        /* base64 comes in groups of 4 characters per 3 bytes */
        size_t max_bytes = room > WORD_OVERHEAD ? (room - WORD_OVERHEAD) / 4 * 3 : 0;
        /* 6 bytes hold any whole UTF-8 character (at most 4) */
        if (max_bytes < 6 && !first) {
            /* not enough room left on this line: fold, retry at column 1 */
            buf_puts(b, "\r\n");
            col = 0;
            continue;
        }
        if (max_bytes < 6) max_bytes = 6;
        size_t n = whole_chars(p, left, max_bytes);
        if (!first) {
            buf_putc(b, ' ');
            col++;
        }
        size_t start = b->len;
        buf_puts(b, "=?UTF-8?B?");
        mime_base64(b, p, n);
        buf_puts(b, "?=");
        col += b->len - start;
        p += n;
        left -= n;
        first = 0;
    }
    return col;
}

/* ---- headers ------------------------------------------------------------ */

static void header_subject(buf *b, const char *subject)
{
    size_t line = strlen("Subject: ") + strlen(subject);
    buf_puts(b, "Subject: ");
    if (plain_header_text(subject) && line <= 78)
        buf_puts(b, subject);
    else
        encoded_words(b, subject, strlen("Subject: "));
    buf_puts(b, "\r\n");
}

/* RFC 5322 quoted-string: only " and \ need a backslash. */
static void quoted_string(buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void header_to(buf *b, const char *name, const char *address)
{
    buf_puts(b, "To: ");
    if (!name || !*name) {
        buf_puts(b, address);
        buf_puts(b, "\r\n");
        return;
    }
    size_t start = b->len, col;
    /* a long name as encoded words, so the line stays far below 998 */
    if (plain_header_text(name) && strlen(name) <= NAME_QUOTED_MAX) {
        quoted_string(b, name);
        col = strlen("To: ") + b->len - start;
    } else {
        col = encoded_words(b, name, strlen("To: "));
    }
    if (col + 3 + strlen(address) > HEADER_LINE_MAX) buf_puts(b, "\r\n");
    buf_printf(b, " <%s>\r\n", address);
}

/* RFC 5322 3.3 date in UTC; our own names, so the locale cannot change it. */
static void header_date(buf *b, time_t date)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&date, &tm);
    buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
               months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The boundary only needs to be absent from the parts. It starts with
 * "=_", which quoted-printable output can never contain ('=' is always
 * followed by two hex digits or a line end there) and base64 lines never
 * start with, so any suffix is safe; a hash of the message id keeps the
 * output reproducible. tag tells the nested boundaries apart ("kp" for
 * the text and HTML, "kpm" around the attachments): neither is a prefix
 * of the other. */
static void make_boundary(char *out, size_t outlen, const char *message_id, const char *tag)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)message_id; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    static const char lower_hex[] = "0123456789abcdef";
    char hex[17];
    for (int i = 0; i < 16; i++)
        hex[i] = lower_hex[(h >> (60 - 4 * i)) & 15];
    hex[16] = '\0';
    snprintf(out, outlen, "=_%s_%s", tag, hex);
}

/* ---- quoted-printable --------------------------------------------------- */

/* Does byte c at position i of a line of length n need =XX? */
static int qp_needs_escape(unsigned char c, size_t i, size_t n)
{
    if (c == ' ' || c == '\t') return i + 1 == n; /* trailing whitespace */
    if (c == '.' && i == 0) return 1;             /* SMTP's end-of-data marker */
    return c < 33 || c > 126 || c == '=';
}

static void qp_line(buf *b, const unsigned char *s, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        int esc = qp_needs_escape(s[i], i, n);
        size_t width = esc ? 3 : 1;
        /* the last token may fill the line; others leave room for a soft
         * break's '=' */
        size_t limit = i + 1 == n ? QP_LINE_MAX : QP_LINE_MAX - 1;
        if (col + width > limit) {
            buf_puts(b, "=\r\n");
            col = 0;
        }
        if (esc) {
            buf_putc(b, '=');
            buf_putc(b, hex_digits[s[i] >> 4]);
            buf_putc(b, hex_digits[s[i] & 15]);
        } else {
            buf_putc(b, (char)s[i]);
        }
        col += width;
    }
}

/* Encodes text; its line ends (LF, CRLF or a lone CR) become CRLF. The
 * result ends with CRLF. */
static void quoted_printable(buf *b, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    for (;;) {
        size_t n = strcspn((const char *)p, "\r\n");
        qp_line(b, p, n);
        buf_puts(b, "\r\n");
        p += n;
        if (!*p) break;
        p += (p[0] == '\r' && p[1] == '\n') ? 2 : 1;
        if (!*p) break;
    }
}

static void part(buf *b, const char *type, const char *body)
{
    buf_printf(b,
               "Content-Type: text/%s; charset=UTF-8\r\n"
               "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
               type);
    quoted_printable(b, body ? body : "");
}

/* ---- the message -------------------------------------------------------- */

/* The text, or the text and the HTML as alternatives. */
static void body(buf *b, const mail_msg *m, const char *message_id)
{
    if (!m->html || !*m->html) {
        part(b, "plain", m->text);
        return;
    }
    char boundary[40];
    make_boundary(boundary, sizeof boundary, message_id, "kp");
    buf_printf(b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
    buf_printf(b, "--%s\r\n", boundary);
    part(b, "plain", m->text);
    buf_printf(b, "--%s\r\n", boundary);
    part(b, "html", m->html);
    buf_printf(b, "--%s--\r\n", boundary);
}

/* Room for the encoded files: base64 grows by 4/3, plus a CRLF per 76. */
static size_t attachments_size(const mail_msg *m)
{
    size_t n = 0;
    for (int i = 0; i < m->nattachments; i++)
        n += m->attachments[i].len / 57 * 78 + 1024;
    return n;
}

char *mime_build(arena *a, const char *from, const mail_msg *m, const char *message_id, time_t date)
{
    if (!from || !m || !m->to_address || !m->subject || !message_id) return NULL;
    /* A CR or LF would end the header line and let the rest of the value
     * add headers of its own. */
    if (has_crlf(from) || has_crlf(m->to_address) || has_crlf(m->to_name) || has_crlf(m->subject) ||
        has_crlf(message_id))
        return NULL;
    if (m->nattachments < 0 || m->nattachments > MAIL_ATTACHMENTS_MAX ||
        (m->nattachments > 0 && !m->attachments))
        return NULL;
    for (int i = 0; i < m->nattachments; i++)
        if (mail_attachment_check(&m->attachments[i])) return NULL;

    buf b;
    buf_init(&b, a,
             1024 + strlen(m->text ? m->text : "") * 2 + (m->html ? strlen(m->html) * 2 : 0) +
                 attachments_size(m));
    buf_printf(&b, "From: %s\r\n", from);
    header_to(&b, m->to_name, m->to_address);
    header_subject(&b, m->subject);
    header_date(&b, date);
    if (message_id[0] == '<')
        buf_printf(&b, "Message-ID: %s\r\n", message_id);
    else
        buf_printf(&b, "Message-ID: <%s>\r\n", message_id);
    buf_puts(&b, "MIME-Version: 1.0\r\n");

    char mixed[40] = "";
    if (m->nattachments > 0) {
        make_boundary(mixed, sizeof mixed, message_id, "kpm");
        buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", mixed);
        buf_printf(&b, "--%s\r\n", mixed);
    }
    body(&b, m, message_id);
    for (int i = 0; i < m->nattachments; i++) {
        buf_printf(&b, "--%s\r\n", mixed);
        mime_attachment_part(&b, &m->attachments[i]);
    }
    if (m->nattachments > 0) buf_printf(&b, "--%s--\r\n", mixed);
    return b.data;
}
