/* choose.c - see choose.h. */
#include "organisation/choose.h"

#include <string.h>

#include "auth/session.h"
#include "core/buf.h"

#define ENROL_PREFIX "/evenementen/"
#define ENROL_SUFFIX "/inschrijven"

/* One path segment of an id or a slug. */
static int plain_segment(const char *s, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

const char *org_choose_return(const char *terug)
{
    terug = auth_safe_return(terug, NULL);
    if (!terug || strchr(terug, '#')) return NULL;
    size_t path = strcspn(terug, "?");
    size_t pre = strlen(ENROL_PREFIX), suf = strlen(ENROL_SUFFIX);
    if (path < pre + suf || strncmp(terug, ENROL_PREFIX, pre) != 0 ||
        strncmp(terug + path - suf, ENROL_SUFFIX, suf) != 0 ||
        !plain_segment(terug + pre, path - pre - suf))
        return NULL;
    return terug;
}

char *org_choose_href(arena *a, const char *back, const char *person_id)
{
    buf b;
    buf_init(&b, a, strlen(back) + 32);
    size_t path = strcspn(back, "?");
    buf_printf(&b, "%.*s", (int)path, back);
    char sep = '?';
    for (const char *s = back[path] ? back + path + 1 : ""; *s;) {
        size_t n = strcspn(s, "&");
        int old = strncmp(s, "deelnemer", 9) == 0 && (n == 9 || s[9] == '=');
        if (n && !old) {
            buf_printf(&b, "%c%.*s", sep, (int)n, s);
            sep = '&';
        }
        s += n + (s[n] == '&');
    }
    buf_printf(&b, "%cdeelnemer=", sep);
    buf_url(&b, person_id);
    return b.data;
}
