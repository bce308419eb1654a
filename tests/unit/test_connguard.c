/* test_connguard.c - the per-address connection count and the receive
 * deadline, on socket pairs standing in for client connections. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/connguard.h"

static struct sockaddr_in addr(const char *ip)
{
    struct sockaddr_in s = {.sin_family = AF_INET};
    inet_pton(AF_INET, ip, &s.sin_addr);
    return s;
}

#define SA(x) ((const struct sockaddr *)&(x))

/* 1 when the peer of sv[1] sees end-of-stream within ms. */
static int closed_within(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, ms) <= 0) return 0;
    char c;
    return read(fd, &c, 1) == 0;
}

static void limit_per_address_and_trusted_exempt(void **state)
{
    (void)state;
    netaddr_list trusted;
    char err[160];
    assert_int_equal(netaddr_list_parse("10.0.0.1", &trusted, err, sizeof err), 0);
    connguard *g = connguard_new(&trusted, 2, 0);
    struct sockaddr_in a = addr("192.0.2.5"), b = addr("192.0.2.6"), proxy = addr("10.0.0.1");
    int sv[3][2];
    conn_slot *s[3];
    for (int i = 0; i < 2; i++) {
        assert_true(connguard_admit(g, SA(a)));
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]), 0);
        s[i] = connguard_open(g, SA(a), sv[i][0]);
    }
    assert_false(connguard_admit(g, SA(a)));
    assert_true(connguard_admit(g, SA(b)));
    for (int i = 0; i < 10; i++)
        assert_true(connguard_admit(g, SA(proxy)));
    /* Past the limit after all (a race between accepts): cut at once. */
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv[2]), 0);
    s[2] = connguard_open(g, SA(a), sv[2][0]);
    assert_true(closed_within(sv[2][1], 100));
    connguard_close(g, s[2]);
    assert_false(connguard_admit(g, SA(a)));
    /* A closed connection gives its place back. */
    connguard_close(g, s[0]);
    assert_true(connguard_admit(g, SA(a)));
    connguard_close(g, s[1]);
    for (int i = 0; i < 3; i++) {
        close(sv[i][0]);
        close(sv[i][1]);
    }
    connguard_free(g);
}

static void deadline_cuts_waiting_connections_only(void **state)
{
    (void)state;
    netaddr_list none = {0};
    connguard *g = connguard_new(&none, 64, 1);
    struct sockaddr_in a = addr("192.0.2.5");
    int idle[2], served[2], again[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, idle), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, served), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, again), 0);
    conn_slot *si = connguard_open(g, SA(a), idle[0]);
    conn_slot *ss = connguard_open(g, SA(a), served[0]);
    conn_slot *sa = connguard_open(g, SA(a), again[0]);
    connguard_request_in(g, ss); /* its request is in: being handled */
    connguard_request_in(g, sa);
    assert_false(closed_within(idle[1], 600));
    assert_true(closed_within(idle[1], 1500));
    connguard_next_request(g, sa); /* answered; keep-alive waits again */
    assert_false(closed_within(served[1], 300));
    assert_true(closed_within(again[1], 1700));
    assert_false(closed_within(served[1], 10));
    connguard_close(g, si);
    connguard_close(g, ss);
    connguard_close(g, sa);
    int fds[] = {idle[0], idle[1], served[0], served[1], again[0], again[1]};
    for (size_t i = 0; i < 6; i++)
        close(fds[i]);
    connguard_free(g);
}

static struct sockaddr_in6 addr6(const char *ip)
{
    struct sockaddr_in6 s = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, ip, &s.sin6_addr);
    return s;
}

/* An IPv6 client has a whole /64 to spread connections over: it is one
 * client; another /64 is another. */
static void ipv6_counted_per_64(void **state)
{
    (void)state;
    netaddr_list none;
    char err[160];
    assert_int_equal(netaddr_list_parse("", &none, err, sizeof err), 0);
    connguard *g = connguard_new(&none, 2, 0);
    struct sockaddr_in6 x = addr6("2001:db8:1:2::1"), y = addr6("2001:db8:1:2:ffff::9"),
                        z = addr6("2001:db8:1:3::1");
    int sv[2][2];
    conn_slot *s[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv[0]), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv[1]), 0);
    s[0] = connguard_open(g, SA(x), sv[0][0]);
    s[1] = connguard_open(g, SA(y), sv[1][0]);
    assert_false(connguard_admit(g, SA(x)));
    assert_false(connguard_admit(g, SA(y)));
    assert_true(connguard_admit(g, SA(z)));
    for (int i = 0; i < 2; i++) {
        connguard_close(g, s[i]);
        close(sv[i][0]);
        close(sv[i][1]);
    }
    assert_true(connguard_admit(g, SA(x)));
    connguard_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limit_per_address_and_trusted_exempt),
        cmocka_unit_test(ipv6_counted_per_64),
        cmocka_unit_test(deadline_cuts_waiting_connections_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
