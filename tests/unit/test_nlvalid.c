/* Unit tests: checks and normal forms of Dutch personal and address data
 * (core/nlvalid.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/nlvalid.h"

typedef const char *(*check_fn)(arena *a, const char *in, const char **out);

static arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(4096);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

/* in is accepted and normalised to want. */
static void accepts(check_fn f, const char *in, const char *want)
{
    const char *out = NULL;
    const char *msg = f(A, in, &out);
    if (msg) fail_msg("\"%s\" refused: %s", in, msg);
    assert_non_null(out);
    assert_string_equal(out, want);
}

/* in is refused with a Dutch message, and *out is left alone. */
static void refuses(check_fn f, const char *in)
{
    const char *out = "untouched";
    const char *msg = f(A, in, &out);
    if (!msg) fail_msg("\"%s\" accepted as \"%s\"", in ? in : "(null)", out);
    assert_true(strlen(msg) > 10);
    assert_string_equal(out, "untouched");
}

static void postcode(void **state)
{
    (void)state;
    accepts(nl_postcode, "1234ab", "1234 AB");
    accepts(nl_postcode, "1234 AB", "1234 AB");
    accepts(nl_postcode, " 1234  ab ", "1234 AB");
    accepts(nl_postcode, "1782ga", "1782 GA");
    accepts(nl_postcode, "9999 zZ", "9999 ZZ");
    accepts(nl_postcode, "1781\tJK", "1781 JK");
    refuses(nl_postcode, "0123 AB"); /* no postcode starts with 0 */
    refuses(nl_postcode, "123 AB");
    refuses(nl_postcode, "12345 AB");
    refuses(nl_postcode, "1234 A");
    refuses(nl_postcode, "1234 ABC");
    refuses(nl_postcode, "1234-AB");
    refuses(nl_postcode, "AB 1234");
    refuses(nl_postcode, "1234 4B");
    refuses(nl_postcode, "1234 ÄB");
    refuses(nl_postcode, "");
    refuses(nl_postcode, "   ");
    refuses(nl_postcode, NULL);
}

static void phone(void **state)
{
    (void)state;
    accepts(nl_phone, "0223-611310", "0223-611310");
    accepts(nl_phone, "06 12345678", "06 12345678");
    accepts(nl_phone, "+31 6 12345678", "+31 6 12345678");
    accepts(nl_phone, "  0612345678 ", "0612345678");
    accepts(nl_phone, "+31 (0)223 611310", "+31 (0)223 611310");
    accepts(nl_phone, "(0223) 61 13 10", "(0223) 61 13 10");
    accepts(nl_phone, "+44 20 7946 0958", "+44 20 7946 0958");
    accepts(nl_phone, "123456789012345", "123456789012345"); /* 15 digits */
    refuses(nl_phone, "611310");                             /* 6 digits */
    refuses(nl_phone, "061234567");                          /* 9 digits */
    refuses(nl_phone, "1234567890123456");                   /* 16 digits */
    refuses(nl_phone, "06-1234567a");
    refuses(nl_phone, "06 1234 5678 ext");
    refuses(nl_phone, "31+612345678"); /* '+' only in front */
    refuses(nl_phone, "++31612345678");
    refuses(nl_phone, "+31 (0223 611310"); /* unbalanced */
    refuses(nl_phone, "+31 0)223 611310");
    refuses(nl_phone, "(06)(12)345678"); /* one pair only */
    refuses(nl_phone, "06.12345678");
    refuses(nl_phone, "");
    refuses(nl_phone, NULL);
}

static void house_number(void **state)
{
    (void)state;
    accepts(nl_house_number, "12", "12");
    accepts(nl_house_number, "12a", "12a");
    accepts(nl_house_number, "12-2", "12-2");
    accepts(nl_house_number, "12 bis", "12 bis");
    accepts(nl_house_number, " 8 ", "8");
    accepts(nl_house_number, "1", "1");
    accepts(nl_house_number, "99999", "99999");
    accepts(nl_house_number, "12 - 2", "12 - 2");
    accepts(nl_house_number, "140-III", "140-III");
    accepts(nl_house_number, "3 hs", "3 hs");
    refuses(nl_house_number, "0");
    refuses(nl_house_number, "012");
    refuses(nl_house_number, "100000");
    refuses(nl_house_number, "a12");
    refuses(nl_house_number, "12-");
    refuses(nl_house_number, "12--2");
    refuses(nl_house_number, "12 a b");
    refuses(nl_house_number, "12/2");
    refuses(nl_house_number, "12 abcdefghi"); /* addition too long */
    refuses(nl_house_number, "twaalf");
    refuses(nl_house_number, "");
    refuses(nl_house_number, NULL);
}

static void birth_date(void **state)
{
    (void)state;
    const char *today = "2026-03-15";
    assert_null(nl_birth_date("1980-05-17", today));
    assert_null(nl_birth_date("1900-01-01", today));
    assert_null(nl_birth_date("2026-03-15", today)); /* born today */
    assert_null(nl_birth_date("2000-02-29", today));
    assert_string_equal(nl_birth_date("2026-03-16", today),
                        "De geboortedatum kan niet in de toekomst liggen.");
    assert_non_null(nl_birth_date("2030-01-01", today));
    assert_non_null(nl_birth_date("1899-12-31", today));
    assert_non_null(nl_birth_date("1980-02-30", today));
    assert_non_null(nl_birth_date("2001-02-29", today));
    assert_non_null(nl_birth_date("17-05-1980", today)); /* not normalised */
    assert_non_null(nl_birth_date("", today));
    assert_non_null(nl_birth_date(NULL, today));
}

static void kvk(void **state)
{
    (void)state;
    accepts(nl_kvk, "12345678", "12345678");
    accepts(nl_kvk, " 01234567 ", "01234567");
    accepts(nl_kvk, "1234 5678", "12345678");
    accepts(nl_kvk, "12.34.56.78", "12345678");
    refuses(nl_kvk, "1234567");
    refuses(nl_kvk, "123456789");
    refuses(nl_kvk, "1234567a");
    refuses(nl_kvk, "NL12345678");
    refuses(nl_kvk, "");
    refuses(nl_kvk, NULL);
}

static const char *name100(arena *a, const char *in, const char **out)
{
    return nl_name(a, in, 100, out);
}

static void name(void **state)
{
    (void)state;
    accepts(name100, "Martin", "Martin");
    accepts(name100, "  Jan  ", "Jan");
    accepts(name100, "Rummens - Heijnen", "Rummens - Heijnen");
    accepts(name100, "van  der   Berg", "van der Berg");
    accepts(name100, "'s-Hertogenbosch", "'s-Hertogenbosch");
    accepts(name100, "’t Zandt", "’t Zandt");
    accepts(name100, "J.P.", "J.P.");
    accepts(name100, "Zoë", "Zoë");
    accepts(name100, "Ñúñez", "Ñúñez");
    accepts(name100, "Łukasz Żółć", "Łukasz Żółć");
    accepts(name100, "Nguyễn", "Nguyễn");
    accepts(name100, "Σοφία", "Σοφία");
    accepts(name100, "Ирина", "Ирина");
    accepts(name100, "Zoe\xcc\x88", "Zoe\xcc\x88"); /* e + combining diaeresis */
    refuses(name100, "");
    refuses(name100, "   ");
    refuses(name100, NULL);
    refuses(name100, "Jan2");
    refuses(name100, "Jan <b>");
    refuses(name100, "Jan;DROP");
    refuses(name100, "Jan\x01");
    refuses(name100, "a × b");
    refuses(name100, "…");
    refuses(name100, "-.'");             /* no letter at all */
    refuses(name100, "\xcc\x88x");       /* a combining mark cannot come first */
    refuses(name100, "Jan\xc0\xaf");     /* overlong */
    refuses(name100, "Jan\xed\xa0\x80"); /* surrogate */
    refuses(name100, "Jan\xe2\x82");     /* cut short */
    refuses(name100, "Jan 😀");

    const char *out = NULL;
    assert_null(nl_name(A, "abcde", 5, &out));
    assert_string_equal(out, "abcde");
    const char *msg = nl_name(A, "abcdef", 5, &out);
    assert_non_null(msg);
    assert_string_equal(msg, "Gebruik maximaal 5 tekens.");
    /* the limit counts bytes of the normal form, not of the padding */
    assert_null(nl_name(A, "  ab   cd  ", 5, &out));
    assert_string_equal(out, "ab cd");
    assert_non_null(nl_name(A, "Zoë", 3, &out)); /* 4 bytes */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(postcode),   cmocka_unit_test(phone), cmocka_unit_test(house_number),
        cmocka_unit_test(birth_date), cmocka_unit_test(kvk),   cmocka_unit_test(name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
