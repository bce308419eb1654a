/* Unit tests: reading UTF-8 (core/utf8.h), the one decoder the form
 * checks, file names, mail, CSV, PDF and XML text share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/utf8.h"

/* The code point utf8_next reads from a literal (its bytes without the
 * closing NUL), and the length it reports. */
static long next_of(const char *s, size_t n, size_t *len)
{
    return utf8_next((const unsigned char *)s, n, len);
}
#define NEXT(lit, len) next_of((lit), sizeof(lit) - 1, (len))

static void assert_char(const char *s, size_t n, long cp, size_t want_len)
{
    size_t len = 99;
    assert_int_equal(next_of(s, n, &len), cp);
    assert_int_equal(len, want_len);
    assert_int_equal(utf8_char_len((const unsigned char *)s, n), want_len);
}
#define GOOD(lit, cp) assert_char((lit), sizeof(lit) - 1, (cp), sizeof(lit) - 1)

/* Not a character: -1, a step of one byte, length 0. */
static void assert_bad(const char *s, size_t n)
{
    size_t len = 99;
    assert_int_equal(next_of(s, n, &len), -1);
    assert_int_equal(len, 1);
    assert_int_equal(utf8_char_len((const unsigned char *)s, n), 0);
    assert_false(utf8_valid(s, n));
    assert_int_equal(utf8_valid_prefix(s, n), 0);
}
#define BAD(lit) assert_bad((lit), sizeof(lit) - 1)

static void test_valid(void **state)
{
    (void)state;
    GOOD("A", 0x41);
    GOOD("\x7F", 0x7F);
    GOOD("\xC2\x80", 0x80);
    GOOD("\xDF\xBF", 0x7FF);
    GOOD("é", 0xE9);
    GOOD("\xE0\xA0\x80", 0x800);
    GOOD("€", 0x20AC);
    GOOD("\xED\x9F\xBF", 0xD7FF); /* just below the surrogates */
    GOOD("\xEE\x80\x80", 0xE000); /* just above them */
    GOOD("\xEF\xBF\xBF", 0xFFFF);
    GOOD("\xF0\x90\x80\x80", 0x10000);
    GOOD("😀", 0x1F600);
    GOOD("\xF4\x8F\xBF\xBF", 0x10FFFF);
    /* NUL is a character; the callers that refuse it do so themselves */
    size_t len;
    assert_int_equal(next_of("\0", 1, &len), 0);
    assert_int_equal(len, 1);
    assert_true(utf8_valid("a\0b", 3));
    /* only the first character is read */
    assert_int_equal(NEXT("éa", &len), 0xE9);
    assert_int_equal(len, 2);
    assert_true(utf8_valid("Zoë – Ærø 😀", strlen("Zoë – Ærø 😀")));
    assert_true(utf8_valid("", 0));
}

static void test_overlong(void **state)
{
    (void)state;
    BAD("\xC0\x80"); /* NUL in two bytes */
    BAD("\xC0\xAF"); /* '/' in two bytes */
    BAD("\xC1\xBF");
    BAD("\xE0\x80\x80");
    BAD("\xE0\x80\xAF");
    BAD("\xE0\x9F\xBF");
    BAD("\xF0\x80\x80\x80");
    BAD("\xF0\x8F\xBF\xBF");
}

static void test_surrogates(void **state)
{
    (void)state;
    BAD("\xED\xA0\x80"); /* U+D800 */
    BAD("\xED\xAD\xBF");
    BAD("\xED\xB0\x80");
    BAD("\xED\xBF\xBF"); /* U+DFFF */
    /* a pair as CESU-8 writes it is two bad characters, not one */
    BAD("\xED\xA0\xBD\xED\xB8\x80");
}

static void test_above_max(void **state)
{
    (void)state;
    BAD("\xF4\x90\x80\x80"); /* U+110000 */
    BAD("\xF4\xBF\xBF\xBF");
    BAD("\xF5\x80\x80\x80");
    BAD("\xF7\xBF\xBF\xBF");
    BAD("\xF8\x88\x80\x80\x80"); /* the old five- and six-byte forms */
    BAD("\xFC\x84\x80\x80\x80\x80");
    BAD("\xFE");
    BAD("\xFF");
}

static void test_cut_off(void **state)
{
    (void)state;
    BAD("\xC3");
    BAD("\xE2\x82");
    BAD("\xF0\x9F\x98");
    BAD("\xE2");
    /* the bytes are there but beyond n */
    assert_bad("é", 1);
    assert_bad("€", 2);
    assert_bad("😀", 3);
    /* a lead byte followed by something that does not continue it */
    BAD("\xC3\x41");
    BAD("\xE2\x28\xA1");
    BAD("\xE2\x82\x41");
    BAD("\xF0\x9F\x98\x41");
    BAD("\xC3\xC3\xA9");
}

static void test_continuation_alone(void **state)
{
    (void)state;
    BAD("\x80");
    BAD("\xBF");
    BAD("\xA9"); /* the second byte of é without its first */
    BAD("\x80\x80\x80\x80");
    /* after a whole character */
    assert_int_equal(utf8_valid_prefix("é\xA9", 3), 2);
    assert_int_equal(utf8_valid_prefix("\xF0\x9F\x98\x80\x80", 5), 4);
}

static void test_valid_prefix(void **state)
{
    (void)state;
    assert_int_equal(utf8_valid_prefix("abc", 3), 3);
    assert_int_equal(utf8_valid_prefix("abc\xC3", 4), 3);
    assert_int_equal(utf8_valid_prefix("ab\xED\xA0\x80"
                                       "cd",
                                       7),
                     2);
    assert_int_equal(utf8_valid_prefix("é€😀x", 10), 10);
    assert_int_equal(utf8_valid_prefix("é€😀\xF4\x90\x80\x80", 13), 9);
    assert_false(utf8_valid("naam;plaats\n\xE9t\xE9", 16)); /* Windows-1252 é */
    assert_true(utf8_valid("naam;plaats\nété", 17));
}

/* Every code point, encoded by hand, reads back as itself; surrogates
 * never do. */
static void test_every_code_point(void **state)
{
    (void)state;
    for (long cp = 0; cp <= 0x10FFFF; cp++) {
        unsigned char b[4];
        size_t n;
        if (cp < 0x80) {
            b[0] = (unsigned char)cp, n = 1;
        } else if (cp < 0x800) {
            b[0] = (unsigned char)(0xC0 | (cp >> 6)), n = 2;
        } else if (cp < 0x10000) {
            b[0] = (unsigned char)(0xE0 | (cp >> 12)), n = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | (cp >> 18)), n = 4;
        }
        for (size_t i = 1; i < n; i++)
            b[i] = (unsigned char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
        size_t len;
        long got = utf8_next(b, n, &len);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            if (got != -1) fail_msg("surrogate U+%04lX read as a character", cp);
        } else if (got != cp || len != n) {
            fail_msg("U+%04lX read as %ld (%zu bytes)", cp, got, len);
        }
    }
}

static void test_cut(void **state)
{
    (void)state;
    /* short enough: all of it */
    assert_int_equal(utf8_cut("abc", 3, 3), 3);
    assert_int_equal(utf8_cut("abc", 3, 10), 3);
    assert_int_equal(utf8_cut("", 0, 0), 0);
    assert_int_equal(utf8_cut("abc", 3, 2), 2);
    /* never half a character: "aé€😀" is 1 + 2 + 3 + 4 bytes */
    const char *s = "aé€😀";
    size_t n = strlen(s);
    size_t want[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10};
    for (size_t max = 0; max <= n; max++)
        assert_int_equal(utf8_cut(s, n, max), want[max]);
    /* only continuation bytes: nothing to keep, the caller decides */
    assert_int_equal(utf8_cut("\x80\x80\x80\x80", 4, 2), 0);
    /* it looks at continuation bytes only: a stray lead byte is a place
     * to cut like any other */
    assert_int_equal(utf8_cut("ab\xFF"
                              "cd",
                              5, 2),
                     2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_surrogates),   cmocka_unit_test(test_above_max),
        cmocka_unit_test(test_cut_off),      cmocka_unit_test(test_continuation_alone),
        cmocka_unit_test(test_valid_prefix), cmocka_unit_test(test_every_code_point),
        cmocka_unit_test(test_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
