/* Unit tests: the loopback check resolves names and looks at every address
 * (core/privdrop.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/privdrop.h"

static void loopback_addresses(void **state)
{
    (void)state;
    assert_true(priv_is_loopback("127.0.0.1"));
    assert_true(priv_is_loopback("127.8.9.10"));
    assert_true(priv_is_loopback("::1"));
    assert_true(priv_is_loopback("::ffff:127.0.0.1"));
    assert_true(priv_is_loopback("localhost"));
}

static void other_addresses(void **state)
{
    (void)state;
    assert_false(priv_is_loopback("0.0.0.0"));
    assert_false(priv_is_loopback("::"));
    assert_false(priv_is_loopback("10.0.0.1"));
    assert_false(priv_is_loopback("128.0.0.1"));
    assert_false(priv_is_loopback("::ffff:10.0.0.1"));
    assert_false(priv_is_loopback(""));
    assert_false(priv_is_loopback(NULL));
}

/* A name that merely starts like a loopback address is not one: it does
 * not resolve here, and would resolve to whatever its owner likes. */
static void names_that_look_like_loopback(void **state)
{
    (void)state;
    assert_false(priv_is_loopback("127.0.0.1.invalid"));
    assert_false(priv_is_loopback("127.evil.invalid"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loopback_addresses),
        cmocka_unit_test(other_addresses),
        cmocka_unit_test(names_that_look_like_loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
