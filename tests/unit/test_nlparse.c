/* Unit tests: what staff type in the back office's forms (core/nlparse.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/nlparse.h"

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

static void euros_ok(const char *in, long long want)
{
    long long got = -7;
    const char *msg = nl_euros(in, &got);
    if (msg) fail_msg("\"%s\" refused: %s", in, msg);
    if (got != want) fail_msg("\"%s\" read as %lld, not %lld", in, got, want);
}

static void euros_bad(const char *in)
{
    long long got = -7;
    const char *msg = nl_euros(in, &got);
    if (!msg) fail_msg("\"%s\" accepted as %lld", in ? in : "(null)", got);
    assert_int_equal(got, -7);
}

static void test_euros(void **state)
{
    (void)state;
    euros_ok("125,00", 12500);
    euros_ok("125", 12500);
    euros_ok(" 125,5 ", 12550);
    euros_ok("0", 0);
    euros_ok("0,05", 5);
    euros_ok("1.250,00", 125000);
    euros_ok("1.250", 125000);
    euros_ok("1.895", 189500);
    euros_ok("999.999,99", 99999999);
    euros_ok("125.50", 12550);
    euros_ok("125.5", 12550);
    euros_ok("€ 95,-", 9500);
    euros_ok("€95,--", 9500);
    euros_ok("1000000,00", 100000000);
    euros_bad("");
    euros_bad(NULL);
    euros_bad("-5");
    euros_bad("12,345");
    euros_bad("1,2,3");
    euros_bad("12.34.56");
    euros_bad("1.25.000");
    euros_bad(",50");
    euros_bad("12a");
    euros_bad("1000000,01");
    euros_bad("1.895.000");
    euros_bad("99999999999999999999");
    euros_bad("€");
    euros_bad("1 250");
}

static void test_euros_field(void **state)
{
    (void)state;
    assert_string_equal(nl_euros_field(A, 189500), "1895,00");
    assert_string_equal(nl_euros_field(A, 5), "0,05");
    assert_string_equal(nl_euros_field(A, 0), "0,00");
    long long back = 0;
    assert_null(nl_euros(nl_euros_field(A, 123456), &back));
    assert_int_equal(back, 123456);
}

static void test_clock(void **state)
{
    (void)state;
    const char *out = NULL;
    assert_null(nl_clock(A, "9:30", &out));
    assert_string_equal(out, "09:30");
    assert_null(nl_clock(A, " 16.45 ", &out));
    assert_string_equal(out, "16:45");
    assert_null(nl_clock(A, "00:00", &out));
    assert_string_equal(out, "00:00");
    const char *bad[] = {"",       "24:00", "9:60",  "930", "9:3",
                         "123:00", "9:300", "a9:30", ":30", NULL};
    for (int i = 0; bad[i]; i++) {
        out = "untouched";
        if (!nl_clock(A, bad[i], &out)) fail_msg("\"%s\" accepted", bad[i]);
        assert_string_equal(out, "untouched");
    }
}

static void test_date(void **state)
{
    (void)state;
    const char *out = NULL;
    assert_null(nl_date(A, "5-3-2027", &out));
    assert_string_equal(out, "2027-03-05");
    assert_null(nl_date(A, "05-03-2027", &out));
    assert_string_equal(out, "2027-03-05");
    assert_null(nl_date(A, "2027-03-05", &out));
    assert_string_equal(out, "2027-03-05");
    assert_null(nl_date(A, "29-02-2028", &out));
    const char *bad[] = {"29-02-2027",  "31-04-2027", "0-1-2027", "1-13-2027",
                         "1-1-27",      "1-1-1899",   "2027-3-5", "2027/03/05",
                         "05-03-2027x", "",           NULL};
    for (int i = 0; bad[i]; i++) {
        out = "untouched";
        if (!nl_date(A, bad[i], &out)) fail_msg("\"%s\" accepted as %s", bad[i], out);
        assert_string_equal(out, "untouched");
    }
}

static void test_count(void **state)
{
    (void)state;
    long long v = -1;
    assert_null(nl_count(A, "12", 0, 100000, &v));
    assert_int_equal(v, 12);
    assert_null(nl_count(A, " 0 ", 0, 10, &v));
    assert_int_equal(v, 0);
    v = -1;
    const char *msg = nl_count(A, "11", 0, 10, &v);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "0 tot en met 10"));
    assert_non_null(nl_count(A, "-1", 0, 10, &v));
    assert_non_null(nl_count(A, "1.5", 0, 10, &v));
    assert_non_null(nl_count(A, "9999999999999999999999", 0, 10, &v));
    assert_int_equal(v, -1);
}

static void test_days(void **state)
{
    (void)state;
    nl_day d[4];
    int n = -1;
    assert_null(nl_days(A, "12-03-2027 09:00-12:30\r\n\n  13-3-2027  \n2027-03-20 13:00 - 17:00", d,
                        4, &n));
    assert_int_equal(n, 3);
    assert_string_equal(d[0].day, "2027-03-12");
    assert_string_equal(d[0].start, "09:00");
    assert_string_equal(d[0].end, "12:30");
    assert_string_equal(d[1].day, "2027-03-13");
    assert_string_equal(d[1].start, "");
    assert_string_equal(d[2].start, "13:00");
    assert_string_equal(d[2].end, "17:00");
    assert_null(nl_days(A, "", d, 4, &n));
    assert_int_equal(n, 0);
    const char *msg = nl_days(A, "12-03-2027\nmorgen", d, 4, &n);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "Regel 2"));
    msg = nl_days(A, "12-03-2027 12:00-09:00", d, 4, &n);
    assert_non_null(strstr(msg, "eindtijd"));
    msg = nl_days(A, "12-03-2027\n12-3-2027", d, 4, &n);
    assert_non_null(strstr(msg, "staat er al"));
    assert_non_null(nl_days(A, "1-1-2027\n2-1-2027\n3-1-2027", d, 2, &n));
    assert_non_null(nl_days(A, "12-03-2027 09:00", d, 4, &n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_euros), cmocka_unit_test(test_euros_field),
        cmocka_unit_test(test_clock), cmocka_unit_test(test_date),
        cmocka_unit_test(test_count), cmocka_unit_test(test_days),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
