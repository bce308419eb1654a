/* forwarded.c - see forwarded.h */
#include "http/forwarded.h"

#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Walks one header value from the right. Returns 1 when the client was
 * found (in *out), -1 on garbage, 0 when all entries were trusted (the
 * left-most is then in *out) or the value is empty. */
static int walk_value(const netaddr_list *trusted, const char *v, netaddr *out)
{
    const char *end = v + strlen(v);
    const char *t = v;
    while (is_space(*t))
        t++;
    if (!*t) return 0;
    for (;;) {
        const char *s = end;
        while (s > v && s[-1] != ',')
            s--;
        const char *a = s, *b = end;
        while (a < b && is_space(*a))
            a++;
        while (b > a && is_space(b[-1]))
            b--;
        netaddr ip;
        if (netaddr_parse(a, (size_t)(b - a), &ip) != 0) return -1;
        *out = ip;
        if (!netaddr_list_has(trusted, &ip)) return 1;
        if (s == v) return 0;
        end = s - 1;
    }
}

netaddr forwarded_client(const netaddr_list *trusted, const netaddr *peer,
                         const char *const *values, size_t nvalues)
{
    if (!netaddr_list_has(trusted, peer)) return *peer;
    netaddr found = *peer;
    for (size_t i = nvalues; i-- > 0;) {
        if (!values[i]) continue;
        int rc = walk_value(trusted, values[i], &found);
        if (rc < 0) return *peer;
        if (rc > 0) return found;
    }
    return found;
}
