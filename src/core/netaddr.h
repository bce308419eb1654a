/* netaddr.h - IP addresses and CIDR ranges as plain values, for the list of
 * trusted proxies (KLANTPORTAL_TRUSTED_PROXIES) and the per-address counts.
 *
 * Pure functions over bytes, no allocation, thread-safe. An IPv4 address
 * seen through an IPv6 socket (::ffff:a.b.c.d) is stored as IPv4, so one
 * client has one form whichever way it arrived.
 */
#ifndef KP_NETADDR_H
#define KP_NETADDR_H

#include <stddef.h>
#include <sys/socket.h>

#define NETADDR_TEXT 46 /* INET6_ADDRSTRLEN */
#define NETADDR_LIST_MAX 32

typedef struct netaddr {
    int family;          /* AF_INET or AF_INET6; 0 = none */
    unsigned char b[16]; /* network order; IPv4 uses the first 4 */
} netaddr;

typedef struct netrange {
    netaddr addr; /* bits past the prefix are zero */
    int prefix;   /* 0..32 or 0..128 */
} netrange;

typedef struct netaddr_list {
    netrange v[NETADDR_LIST_MAX];
    size_t n;
} netaddr_list;

/* Parses one address written as inet_pton reads it (no brackets, no port,
 * no zone). Returns 0, or -1 when s is not an address. */
int netaddr_parse(const char *s, size_t n, netaddr *out);
/* From a socket address. Returns 0, or -1 for another family. */
int netaddr_from_sockaddr(const struct sockaddr *sa, netaddr *out);
/* The canonical text (inet_ntop) into out, which holds NETADDR_TEXT bytes. */
void netaddr_format(const netaddr *a, char *out);

/* "10.0.0.1, 192.168.0.0/16, ::1, fd00::/8": a comma-separated list of
 * addresses and ranges; spaces around entries are ignored, an empty string
 * is an empty list. Returns 0, or -1 with the offending entry named in err. */
int netaddr_list_parse(const char *spec, netaddr_list *out, char *err, size_t errlen);
/* 1 when a lies in one of the list's ranges. */
int netaddr_list_has(const netaddr_list *l, const netaddr *a);

#endif
