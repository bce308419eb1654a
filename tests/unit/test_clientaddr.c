/* test_clientaddr.c - addresses and ranges, the client behind trusted
 * proxies, and the escaping of what a request puts in the log and in a
 * Location header. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "core/netaddr.h"
#include "http/forwarded.h"
#include "http/http.h"

static netaddr ip(const char *s)
{
    netaddr a;
    assert_int_equal(netaddr_parse(s, strlen(s), &a), 0);
    return a;
}

static const char *text(netaddr a)
{
    static char out[NETADDR_TEXT];
    netaddr_format(&a, out);
    return out;
}

static void list(const char *spec, netaddr_list *l)
{
    char err[160] = "";
    assert_int_equal(netaddr_list_parse(spec, l, err, sizeof err), 0);
}

static void parse_addresses(void **state)
{
    (void)state;
    assert_string_equal(text(ip("192.0.2.7")), "192.0.2.7");
    assert_string_equal(text(ip("2001:DB8::1")), "2001:db8::1");
    assert_string_equal(text(ip("::ffff:192.0.2.7")), "192.0.2.7");
    netaddr a;
    const char *bad[] = {"",       "1.2.3",   "1.2.3.4:80", "[::1]",
                         "::1%lo", "unknown", "1.2.3.4 ",   "300.1.1.1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(netaddr_parse(bad[i], strlen(bad[i]), &a), -1);
    /* a NUL inside the given length is not an address either */
    assert_int_equal(netaddr_parse("1.2.3.4\0", 8, &a), -1);
}

static void from_sockaddr_unmaps(void **state)
{
    (void)state;
    struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:10.1.2.3", &s6.sin6_addr);
    netaddr a;
    assert_int_equal(netaddr_from_sockaddr((struct sockaddr *)&s6, &a), 0);
    assert_int_equal(a.family, AF_INET);
    assert_string_equal(text(a), "10.1.2.3");
}

static void ranges(void **state)
{
    (void)state;
    netaddr_list l;
    list(" 10.0.0.0/8 ,192.168.1.7, fd00::/8,::1,172.16.5.9/12", &l);
    assert_int_equal(l.n, 5);
    netaddr in[] = {ip("10.255.1.2"), ip("192.168.1.7"), ip("fd12::5"),
                    ip("::1"),        ip("172.31.0.1"),  ip("::ffff:10.0.0.1")};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_true(netaddr_list_has(&l, &in[i]));
    netaddr out[] = {ip("11.0.0.1"), ip("192.168.1.8"), ip("fe80::1"), ip("::2"), ip("172.32.0.1")};
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        assert_false(netaddr_list_has(&l, &out[i]));
    list("", &l);
    assert_int_equal(l.n, 0);
    list("0.0.0.0/0", &l);
    netaddr any = ip("8.8.8.8"), v6 = ip("2001:db8::1");
    assert_true(netaddr_list_has(&l, &any));
    assert_false(netaddr_list_has(&l, &v6));
}

static void bad_lists_name_the_entry(void **state)
{
    (void)state;
    netaddr_list l;
    char err[160];
    const char *bad[] = {"10.0.0.0/33", "10.0.0.1,proxy.local", "::1/129",           "1.2.3.4/",
                         "1.2.3.4/-1",  "1.2.3.4/8x",           "::ffff:10.0.0.0/90"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(netaddr_list_parse(bad[i], &l, err, sizeof err), -1);
        assert_non_null(strstr(err, "geen IP-adres"));
    }
    assert_int_equal(netaddr_list_parse("10.0.0.1,proxy.local", &l, err, sizeof err), -1);
    assert_non_null(strstr(err, "'proxy.local'"));
}

static const char *client(const char *trusted, const char *peer, const char *const *v, size_t n)
{
    netaddr_list l;
    list(trusted, &l);
    netaddr p = ip(peer);
    return text(forwarded_client(&l, &p, v, n));
}

static void forwarded_only_from_trusted_peers(void **state)
{
    (void)state;
    const char *v[] = {"203.0.113.9"};
    assert_string_equal(client("10.0.0.1", "198.51.100.4", v, 1), "198.51.100.4");
    assert_string_equal(client("10.0.0.1", "10.0.0.1", v, 1), "203.0.113.9");
    assert_string_equal(client("10.0.0.1", "10.0.0.1", NULL, 0), "10.0.0.1");
}

static void forwarded_rightmost_untrusted(void **state)
{
    (void)state;
    /* The client wrote the first entry itself; our proxies added the rest. */
    const char *one[] = {"6.6.6.6, 203.0.113.9,10.0.0.2 ,  10.0.0.3"};
    assert_string_equal(client("10.0.0.0/8", "10.0.0.1", one, 1), "203.0.113.9");
    /* Several headers read as one list, in order. */
    const char *many[] = {"6.6.6.6", "203.0.113.9, 10.0.0.2", "10.0.0.3"};
    assert_string_equal(client("10.0.0.0/8", "10.0.0.1", many, 3), "203.0.113.9");
    const char *v6[] = {"2001:db8::7, fd00::1"};
    assert_string_equal(client("fd00::/8", "fd00::9", v6, 1), "2001:db8::7");
    /* All trusted: the left-most is the origin. */
    const char *all[] = {"10.0.0.5, 10.0.0.6"};
    assert_string_equal(client("10.0.0.0/8", "10.0.0.1", all, 1), "10.0.0.5");
    /* An empty header adds nothing. */
    const char *empty[] = {"203.0.113.9", "  "};
    assert_string_equal(client("10.0.0.0/8", "10.0.0.1", empty, 2), "203.0.113.9");
}

static void forwarded_garbage_falls_back_to_peer(void **state)
{
    (void)state;
    const char *cases[] = {"unknown",       "203.0.113.9:1234",         "203.0.113.9,,10.0.0.2",
                           "[2001:db8::1]", "203.0.113.9, 10.0.0.2, x", ","};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *v[] = {cases[i]};
        assert_string_equal(client("10.0.0.0/8", "10.0.0.1", v, 1), "10.0.0.1");
    }
    /* Garbage left of the client was written by the client: it is ignored. */
    const char *left[] = {"junk, 203.0.113.9, 10.0.0.2"};
    assert_string_equal(client("10.0.0.0/8", "10.0.0.1", left, 1), "203.0.113.9");
}

static void log_safe_escapes_controls(void **state)
{
    arena *a = *state;
    assert_string_equal(http_log_safe(a, "/cursusagenda"), "/cursusagenda");
    assert_string_equal(http_log_safe(a, "/a\r\nGET /nep 200\x1b[31m\x7f\\"),
                        "/a\\x0d\\x0aGET /nep 200\\x1b[31m\\x7f\\x5c");
    assert_string_equal(http_log_safe(a, "caf\xc3\xa9\t"), "caf\xc3\xa9\\x09");
}

static void location_percent_encodes(void **state)
{
    arena *a = *state;
    assert_string_equal(http_location_encode(a, "/mijn?x=1&y=%2F"), "/mijn?x=1&y=%2F");
    assert_string_equal(http_location_encode(a, "/cursus/caf\xc3\xa9 x"), "/cursus/caf%C3%A9%20x");
    assert_string_equal(http_location_encode(a, "/a\r\nSet-Cookie: x"), "/a%0D%0ASet-Cookie:%20x");
    assert_string_equal(http_location_encode(a, "/100%"), "/100%25");
    assert_string_equal(http_location_encode(a, "/%zz%4"), "/%25zz%254");
}

static int setup(void **state)
{
    *state = arena_new(0);
    return 0;
}

static int teardown(void **state)
{
    arena_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_addresses),
        cmocka_unit_test(from_sockaddr_unmaps),
        cmocka_unit_test(ranges),
        cmocka_unit_test(bad_lists_name_the_entry),
        cmocka_unit_test(forwarded_only_from_trusted_peers),
        cmocka_unit_test(forwarded_rightmost_untrusted),
        cmocka_unit_test(forwarded_garbage_falls_back_to_peer),
        cmocka_unit_test_setup_teardown(log_safe_escapes_controls, setup, teardown),
        cmocka_unit_test_setup_teardown(location_percent_encodes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
