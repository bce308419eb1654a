/* audit_text.c - how an audit line records a change of a long Markdown
 * text (see internal.h): the whole text twice per edit would make the
 * trail grow by pages at a time and bury what changed. */
#include <string.h>

#include "content/internal.h"
#include "core/buf.h"
#include "core/utf8.h"

/* Bytes of context shown before the first difference, and of each text
 * from there. */
#define BEFORE 24
#define PIECE 72

static int continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Characters (UTF-8 code points) in s. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += !continuation((unsigned char)*s);
    return n;
}

/* "N tekens: …piece…" for s from byte start, at most PIECE bytes cut at a
 * character boundary. */
static const char *describe(arena *a, const char *s, size_t start)
{
    if (!*s) return "";
    size_t len = strlen(s), end = utf8_cut(s, len, start + PIECE);
    buf b;
    buf_init(&b, a, PIECE + 48);
    buf_printf(&b, "%zu tekens: ", chars(s));
    if (start > 0) buf_puts(&b, "…");
    buf_add(&b, s + start, end - start);
    if (end < len) buf_puts(&b, "…");
    return b.data;
}

void content_text_change(arena *a, const char *old, const char *new_text, const char **old_out,
                         const char **new_out)
{
    old = old ? old : "";
    new_text = new_text ? new_text : "";
    size_t i = 0;
    while (old[i] && old[i] == new_text[i])
        i++;
    /* the bytes before i are equal in both, so both pieces start at the
     * same character and each holds the first byte that differs */
    size_t start = utf8_cut(old, strlen(old), i > BEFORE ? i - BEFORE : 0);
    *old_out = describe(a, old, start);
    *new_out = describe(a, new_text, start);
}

char *content_unix_lines(arena *a, const char *s)
{
    buf b;
    buf_init(&b, a, s ? strlen(s) + 1 : 1);
    for (; s && *s; s++)
        if (!(s[0] == '\r' && s[1] == '\n')) buf_putc(&b, *s == '\r' ? '\n' : *s);
    return b.data;
}
