/* Unit tests: settings, dates and money as the portal shows them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/timeutil.h"

static void splits_listen_addresses(void **state)
{
    (void)state;
    char host[64];
    int port;
    assert_int_equal(config_split_listen("127.0.0.1:8080", host, sizeof host, &port), 0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_int_equal(config_split_listen("[::1]:0", host, sizeof host, &port), 0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 0);
    assert_int_equal(config_split_listen("localhost", host, sizeof host, &port), -1);
    assert_int_equal(config_split_listen(":80", host, sizeof host, &port), -1);
    assert_int_equal(config_split_listen("h:99999", host, sizeof host, &port), -1);
    assert_int_equal(config_split_listen("h:8x", host, sizeof host, &port), -1);
}

static void loads_config_from_environment(void **state)
{
    (void)state;
    config cfg;
    char err[256];
    setenv("KLANTPORTAL_BASE_URL", "https://portal.example.nl/", 1);
    setenv("KLANTPORTAL_LISTEN", "0.0.0.0:9000", 1);
    assert_int_equal(config_load(&cfg, err, sizeof err), 0);
    assert_string_equal(cfg.base_url, "https://portal.example.nl");
    assert_true(cfg.https);
    setenv("KLANTPORTAL_LISTEN", "geen-poort", 1);
    assert_int_equal(config_load(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "KLANTPORTAL_LISTEN"));
    setenv("KLANTPORTAL_LISTEN", "127.0.0.1:8080", 1);
    setenv("KLANTPORTAL_BASE_URL", "ftp://x", 1);
    assert_int_equal(config_load(&cfg, err, sizeof err), -1);
    unsetenv("KLANTPORTAL_BASE_URL");
    unsetenv("KLANTPORTAL_LISTEN");
    assert_int_equal(config_load(&cfg, err, sizeof err), 0);
    assert_string_equal(cfg.db_url, "sqlite:var/klantportal.db");
    assert_string_equal(cfg.listen, "127.0.0.1:8080");
    assert_false(cfg.https);
}

static void formats_dates(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(date_nl(a, "2017-01-25"), "25-01-2017");
    assert_string_equal(date_nl(a, "rubbish"), "rubbish");
    assert_string_equal(date_long_nl(a, "2027-03-05"), "5 maart 2027");
    assert_string_equal(month_nl(a, "2026-12"), "december 2026");
    assert_true(date_valid("2024-02-29"));
    assert_false(date_valid("2023-02-29"));
    assert_false(date_valid("2023-13-01"));
    assert_false(date_valid("2023-1-01"));
    arena_free(a);
}

/* A due date 30 days on: across months, leap days and years. */
static void adds_days_to_dates(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(date_plus(a, "2026-12-01", 30), "2026-12-31");
    assert_string_equal(date_plus(a, "2026-12-15", 30), "2027-01-14");
    assert_string_equal(date_plus(a, "2028-02-10", 30), "2028-03-11");
    assert_string_equal(date_plus(a, "2027-02-10", 30), "2027-03-12");
    assert_string_equal(date_plus(a, "2026-03-01", -1), "2026-02-28");
    assert_string_equal(date_plus(a, "2000-03-01", -1), "2000-02-29");
    assert_string_equal(date_plus(a, "1969-12-31", 1), "1970-01-01");
    assert_null(date_plus(a, "2026-02-30", 1));
    assert_null(date_plus(a, "9999-12-31", 1));
    arena_free(a);
}

/* The weekday in front, as lists show dates; every day from 1970 to 2100
 * agrees with the C library's calendar. */
static void formats_dates_with_weekday(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(date_short_nl(a, "2026-12-21"), "ma 21-12-2026");
    assert_string_equal(date_short_nl(a, "2024-02-29"), "do 29-02-2024");
    assert_string_equal(date_short_nl(a, "2000-01-01"), "za 01-01-2000");
    assert_string_equal(date_short_nl(a, "1900-03-01"), "do 01-03-1900");
    assert_string_equal(date_short_nl(a, "2027-01-03"), "zo 03-01-2027");
    assert_string_equal(date_short_nl(a, "2023-02-29"), "2023-02-29");
    assert_string_equal(date_short_nl(a, "rubbish"), "rubbish");
    assert_string_equal(date_short_nl(a, NULL), "");
    static const char *const days[] = {"zo", "ma", "di", "wo", "do", "vr", "za"};
    for (time_t t = 0; t < (time_t)4102444800; t += 86400) {
        struct tm tm;
        gmtime_r(&t, &tm);
        char iso[48], want[64];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        snprintf(want, sizeof want, "%s %02d-%02d-%04d", days[tm.tm_wday], tm.tm_mday,
                 tm.tm_mon + 1, tm.tm_year + 1900);
        assert_string_equal(date_short_nl(a, iso), want);
    }
    arena_free(a);
}

/* The agenda's month list steps across the turn of the year. */
static void steps_months(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(month_plus(a, "2026-12", 0), "2026-12");
    assert_string_equal(month_plus(a, "2026-12", 1), "2027-01");
    assert_string_equal(month_plus(a, "2026-01", 11), "2026-12");
    assert_string_equal(month_plus(a, "2026-03", 25), "2028-04");
    assert_null(month_plus(a, "2026-13", 1));
    assert_null(month_plus(a, "2026-1", 1));
    assert_null(month_plus(a, "2026-12", -1));
    assert_null(month_plus(a, "9999-12", 1));
    assert_null(month_plus(a, NULL, 1));
    arena_free(a);
}

static void moves_the_clock(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char *today = date_today_plus(a, 0);
    clock_set_offset(86400);
    char *tomorrow = date_today_plus(a, 0);
    clock_set_offset(0);
    assert_string_equal(date_today_plus(a, 1), tomorrow);
    assert_string_not_equal(today, tomorrow);
    arena_free(a);
}

static void formats_money(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(money_nl(a, 9500), "€ 95,00");
    assert_string_equal(money_nl(a, 189550), "€ 1.895,50");
    assert_string_equal(money_nl(a, 5), "€ 0,05");
    assert_string_equal(money_nl(a, 123456789), "€ 1.234.567,89");
    assert_string_equal(money_nl(a, -2500), "-€ 25,00");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_listen_addresses),
        cmocka_unit_test(loads_config_from_environment),
        cmocka_unit_test(formats_dates),
        cmocka_unit_test(adds_days_to_dates),
        cmocka_unit_test(moves_the_clock),
        cmocka_unit_test(formats_money),
        cmocka_unit_test(formats_dates_with_weekday),
        cmocka_unit_test(steps_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
