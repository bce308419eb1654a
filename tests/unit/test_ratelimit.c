/* Unit tests: the brake's pure parts - the address an attempt is counted
 * under, the wait as the message says it, and the device cookie's tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth/device.h"
#include "auth/ratelimit.h"

static const char *key(const char *ip)
{
    static char out[RL_ADDRESS_MAX];
    rl_address_key(ip, out, sizeof out);
    return out;
}

static void ipv4_is_counted_as_is(void **state)
{
    (void)state;
    assert_string_equal(key("192.0.2.7"), "192.0.2.7");
    assert_string_equal(key("127.0.0.1"), "127.0.0.1");
}

static void ipv6_is_grouped_by_its_64(void **state)
{
    (void)state;
    assert_string_equal(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
    assert_string_equal(key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
    assert_string_equal(key("2001:0DB8:0001:0002:0:0:0:9"), "2001:db8:1:2::/64");
    assert_string_equal(key("2001:db8::5"), "2001:db8::/64");
    assert_string_equal(key("::1"), "::/64");
    /* the next /64 is another network */
    assert_string_equal(key("2001:db8:1:3::1"), "2001:db8:1:3::/64");
}

static void ipv4_mapped_ipv6_is_the_ipv4_address(void **state)
{
    (void)state;
    assert_string_equal(key("::ffff:1.2.3.4"), "1.2.3.4");
    assert_string_equal(key("::FFFF:192.0.2.7"), "192.0.2.7");
    assert_string_equal(key("::ffff:c000:0207"), "192.0.2.7");
}

static void anything_else_is_kept_and_cut_to_fit(void **state)
{
    (void)state;
    assert_string_equal(key("-"), "-");
    assert_string_equal(key(""), "");
    assert_string_equal(key("fe80::1%eth0"), "fe80::1%eth0");
    char small[8];
    rl_address_key("2001:db8:1:2::1", small, sizeof small);
    assert_string_equal(small, "2001:db");
    char longer[200];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(strlen(key(longer)), RL_ADDRESS_MAX - 1);
}

static void the_wait_in_dutch(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(rl_wait_text(a, 1), "1 seconde");
    assert_string_equal(rl_wait_text(a, 2), "2 seconden");
    assert_string_equal(rl_wait_text(a, 900), "900 seconden");
    arena_free(a);
}

#define T1 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define T2 "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE"
#define T3 "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
#define T4 "0000000000000000000000000000000000000000000"
#define T5 "_______________________________________ ___"

static void device_cookie_tokens(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char *t[DEVICE_MAX_TOKENS];
    assert_int_equal(device_split(a, NULL, t), 0);
    assert_int_equal(device_split(a, "", t), 0);
    assert_int_equal(device_split(a, "...", t), 0);
    assert_int_equal(device_split(a, T1, t), 1);
    assert_string_equal(t[0], T1);
    assert_int_equal(device_split(a, T1 "." T2, t), 2);
    assert_string_equal(t[1], T2);
    /* too short, too long, a stray character: skipped, the rest kept */
    assert_int_equal(device_split(a, "kort." T1 "x." T5 "." T3 ".", t), 1);
    assert_string_equal(t[0], T3);
    assert_int_equal(device_split(a,
                                  T1 "!"
                                     "." T2,
                                  t),
                     1);
    /* never more than the cookie may hold */
    assert_int_equal(device_split(a, T1 "." T2 "." T3 "." T4 "." T1, t), DEVICE_MAX_TOKENS);
    assert_string_equal(t[3], T4);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_is_counted_as_is),
        cmocka_unit_test(ipv6_is_grouped_by_its_64),
        cmocka_unit_test(ipv4_mapped_ipv6_is_the_ipv4_address),
        cmocka_unit_test(anything_else_is_kept_and_cut_to_fit),
        cmocka_unit_test(the_wait_in_dutch),
        cmocka_unit_test(device_cookie_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
