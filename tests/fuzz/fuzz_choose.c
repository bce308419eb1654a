/* fuzz_choose.c - libFuzzer target for the way back of the persons list
 * (organisation/choose.h).
 *
 * The input is one terug value, copied into an exactly-sized NUL-terminated
 * buffer (ASan catches a read past it). Whatever it is, an accepted value is
 * the input itself and an enrolment page of this site, and the Kiezen link
 * made from it is one too, with exactly one deelnemer, at the end, and the
 * same path; making it again changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "organisation/choose.h"

static int is_enrolment_page(const char *s)
{
    if (strncmp(s, "/evenementen/", 13) != 0 || strchr(s, '#') || strchr(s, '\\')) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return 0;
    size_t path = strcspn(s, "?");
    return path >= 26 && memcmp(s + path - 12, "/inschrijven", 12) == 0;
}

/* How many parameters of the query are named deelnemer. */
static int deelnemers(const char *s)
{
    const char *q = strchr(s, '?');
    int n = 0;
    for (q = q ? q + 1 : ""; *q;) {
        size_t len = strcspn(q, "&");
        if (strncmp(q, "deelnemer", 9) == 0 && (len == 9 || q[9] == '=')) n++;
        q += len + (q[len] == '&');
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = '\0';
    const char *back = org_choose_return(s);
    if (back && (back != s || !is_enrolment_page(back))) abort();
    if (back) {
        arena *a = arena_new(0);
        char *href = org_choose_href(a, back, "42");
        size_t path = strcspn(back, "?"), len = strlen(href);
        if (org_choose_return(href) != href || strncmp(href, back, path) != 0 ||
            (href[path] != '?' && href[path] != '\0') || deelnemers(href) != 1 || len < 12 ||
            strcmp(href + len - 12, "deelnemer=42") != 0 ||
            (href[len - 13] != '?' && href[len - 13] != '&'))
            abort();
        if (strcmp(org_choose_href(a, href, "42"), href) != 0) abort();
        arena_free(a);
    }
    free(s);
    return 0;
}
