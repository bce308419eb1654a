/* email.c - see email.h. */
#include "core/email.h"

#include <ctype.h>
#include <string.h>

/* Characters that have no place in an address we will put in a mail
 * header: whitespace, controls, the RFC 5322 specials, and anything beyond
 * ASCII (the outbox sends plain SMTP, without SMTPUTF8). */
static int email_char_ok(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7F) return 0;
    return strchr("()<>[]:;,\\\"", c) == NULL;
}

int email_valid(const char *v, size_t len)
{
    if (!v || len == 0 || len > 254) return 0;
    for (size_t i = 0; i < len; i++)
        if (!email_char_ok((unsigned char)v[i])) return 0;
    const char *at = memchr(v, '@', len);
    if (!at || memchr(at + 1, '@', len - (size_t)(at - v) - 1)) return 0;
    size_t local = (size_t)(at - v), dlen = len - local - 1;
    const char *dom = at + 1;
    if (local == 0 || dlen == 0 || !memchr(dom, '.', dlen)) return 0;
    if (dom[0] == '.' || dom[dlen - 1] == '.') return 0;
    for (size_t i = 0; i + 1 < dlen; i++)
        if (dom[i] == '.' && dom[i + 1] == '.') return 0;
    return 1;
}

char *email_normal(arena *a, const char *s)
{
    if (!s) return NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!email_valid(s, n)) return NULL;
    char *out = arena_strndup(a, s, n);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}
