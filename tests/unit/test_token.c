/* Unit tests: tokens, their hashes and expiry, CSRF matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "auth/token.h"
#include "core/timeutil.h"

static void tokens_are_random_and_urlsafe(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char *t1 = token_new(a), *t2 = token_new(a);
    assert_int_equal(strlen(t1), 43);
    assert_string_not_equal(t1, t2);
    for (const char *p = t1; *p; p++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    arena_free(a);
}

static void hashes_are_sha256_hex(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    /* SHA-256("abc") */
    assert_string_equal(token_hash(a, "abc"),
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    char *t = token_new(a);
    assert_string_equal(token_hash(a, t), token_hash(a, t));
    assert_string_not_equal(token_hash(a, t), t);
    arena_free(a);
}

static void expiry_with_an_injected_clock(void **state)
{
    (void)state;
    time_t t = clock_now();
    long long expires = (long long)t + 3600;
    assert_true(token_valid_at(expires, t));
    clock_set_offset(3599);
    assert_true(token_valid_at(expires, clock_now()));
    clock_set_offset(3600);
    assert_false(token_valid_at(expires, clock_now()));
    clock_set_offset(3601);
    assert_false(token_valid_at(expires, clock_now()));
    clock_set_offset(0);
}

static void equality_is_exact(void **state)
{
    (void)state;
    assert_true(token_equal("abc", "abc"));
    assert_false(token_equal("abc", "abd"));
    assert_false(token_equal("abc", "abcd"));
    assert_false(token_equal(NULL, "abc"));
    assert_false(token_equal("abc", NULL));
}

static void csrf_follows_session_or_cookie(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char *s = token_new(a), *pre = token_new(a);
    assert_true(csrf_accept(s, s, NULL));
    assert_true(csrf_accept(pre, NULL, pre));
    /* with a session, the pre-session cookie no longer counts */
    assert_false(csrf_accept(pre, s, pre));
    assert_false(csrf_accept(NULL, s, pre));
    assert_false(csrf_accept("", NULL, ""));
    assert_false(csrf_accept("kort", NULL, "kort"));
    assert_false(csrf_accept(s, NULL, NULL));
    arena_free(a);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tokens_are_random_and_urlsafe),  cmocka_unit_test(hashes_are_sha256_hex),
        cmocka_unit_test(expiry_with_an_injected_clock),  cmocka_unit_test(equality_is_exact),
        cmocka_unit_test(csrf_follows_session_or_cookie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
