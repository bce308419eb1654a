/* netaddr.c - see netaddr.h */
#include "core/netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* ::ffff:a.b.c.d is the IPv4 client a.b.c.d on a dual-stack socket. */
static void unmap(netaddr *a)
{
    if (a->family != AF_INET6 || memcmp(a->b, v4_mapped, sizeof v4_mapped) != 0) return;
    memmove(a->b, a->b + 12, 4);
    memset(a->b + 4, 0, 12);
    a->family = AF_INET;
}

int netaddr_parse(const char *s, size_t n, netaddr *out)
{
    char tmp[NETADDR_TEXT];
    memset(out, 0, sizeof *out);
    if (n == 0 || n >= sizeof tmp || memchr(s, '\0', n)) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET, tmp, out->b) == 1) {
        out->family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, tmp, out->b) == 1) {
        out->family = AF_INET6;
        unmap(out);
        return 0;
    }
    memset(out, 0, sizeof *out);
    return -1;
}

int netaddr_from_sockaddr(const struct sockaddr *sa, netaddr *out)
{
    memset(out, 0, sizeof *out);
    if (!sa) return -1;
    if (sa->sa_family == AF_INET) {
        out->family = AF_INET;
        memcpy(out->b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        out->family = AF_INET6;
        memcpy(out->b, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        unmap(out);
        return 0;
    }
    return -1;
}

void netaddr_format(const netaddr *a, char *out)
{
    if (!a->family || !inet_ntop(a->family, a->b, out, NETADDR_TEXT)) snprintf(out, 2, "-");
}

static int bits(int family)
{
    return family == AF_INET ? 32 : 128;
}

static int in_range(const netrange *r, const netaddr *a)
{
    if (r->addr.family != a->family) return 0;
    int full = r->prefix / 8, rest = r->prefix % 8;
    if (memcmp(r->addr.b, a->b, (size_t)full) != 0) return 0;
    if (rest == 0) return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (r->addr.b[full] & mask) == (a->b[full] & mask);
}

/* Clears the bits past the prefix, so "10.1.2.3/8" means 10.0.0.0/8. */
static void mask_range(netrange *r)
{
    for (int i = 0; i < 16; i++) {
        int keep = r->prefix - i * 8;
        if (keep >= 8) continue;
        r->addr.b[i] &= keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
    }
}

static int parse_prefix(const char *s, size_t n, int max, int *out)
{
    if (n == 0 || n > 3) return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max) return -1;
    *out = v;
    return 0;
}

static int parse_range(const char *s, size_t n, netrange *r)
{
    const char *slash = memchr(s, '/', n);
    size_t alen = slash ? (size_t)(slash - s) : n;
    if (netaddr_parse(s, alen, &r->addr) != 0) return -1;
    r->prefix = bits(r->addr.family);
    if (slash) {
        /* A mapped IPv6 range (::ffff:10.0.0.0/104) is an IPv4 one. */
        int p;
        if (parse_prefix(slash + 1, n - alen - 1, 128, &p) != 0) return -1;
        if (r->addr.family == AF_INET && memchr(s, ':', alen)) p -= 96;
        if (p < 0 || p > bits(r->addr.family)) return -1;
        r->prefix = p;
    }
    mask_range(r);
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

int netaddr_list_parse(const char *spec, netaddr_list *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = spec ? spec : "";
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        const char *s = p, *e = end;
        while (s < e && is_space(*s))
            s++;
        while (e > s && is_space(e[-1]))
            e--;
        if (s < e) {
            if (out->n == NETADDR_LIST_MAX) {
                snprintf(err, errlen, "meer dan %d adressen of reeksen", NETADDR_LIST_MAX);
                return -1;
            }
            if (parse_range(s, (size_t)(e - s), &out->v[out->n]) != 0) {
                snprintf(err, errlen, "'%.*s' is geen IP-adres of reeks (zoals 10.0.0.0/8)",
                         (int)(e - s > 64 ? 64 : e - s), s);
                return -1;
            }
            out->n++;
        }
        p = *end ? end + 1 : end;
    }
    return 0;
}

int netaddr_list_has(const netaddr_list *l, const netaddr *a)
{
    if (!l || !a->family) return 0;
    for (size_t i = 0; i < l->n; i++)
        if (in_range(&l->v[i], a)) return 1;
    return 0;
}
