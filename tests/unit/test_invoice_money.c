/* The arithmetic of invoices: VAT per rate on the sum of the lines, rounded
 * half away from zero; credit notes negative; */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "invoicing/store.h"

static void vat_per_rate_on_the_sum(void **state)
{
    (void)state;
    /* three lines of 2 cents at 21 %: per line 0,42 cent rounds to 0, on
     * the sum 6 * 0,21 = 1,26 rounds to 1 cent */
    inv_line l[] = {
        {"a", 2, 21, 0, 0}, {"b", 2, 21, 0, 0}, {"c", 2, 21, 0, 0}, {"vrij", 12500, 0, 0, 0}};
    inv_invoice inv = {.lines = l, .nlines = 4};
    inv_totals(&inv);
    assert_int_equal(inv.nvats, 2);
    assert_int_equal(inv.vats[0].rate, 0);
    assert_int_equal(inv.vats[0].net_cents, 12500);
    assert_int_equal(inv.vats[0].vat_cents, 0);
    assert_int_equal(inv.vats[1].rate, 21);
    assert_int_equal(inv.vats[1].net_cents, 6);
    assert_int_equal(inv.vats[1].vat_cents, 1);
    assert_int_equal(inv.net_cents, 12506);
    assert_int_equal(inv.total_cents, 12507);
}

static void half_away_from_zero(void **state)
{
    (void)state;
    inv_line up[] = {{"x", 50, 21, 0, 0}}; /* 10,5 -> 11 */
    inv_invoice a = {.lines = up, .nlines = 1};
    inv_totals(&a);
    assert_int_equal(a.vat_cents, 11);
    inv_line down[] = {{"x", -50, 21, 0, 0}}; /* a credit note: -10,5 -> -11 */
    inv_invoice b = {.lines = down, .nlines = 1};
    inv_totals(&b);
    assert_int_equal(b.vat_cents, -11);
    assert_int_equal(b.total_cents, -61);
}

static void one_rate_only(void **state)
{
    (void)state;
    inv_line l[] = {{"x", 7851, 21, 0, 0}};
    inv_invoice inv = {.lines = l, .nlines = 1};
    inv_totals(&inv);
    assert_int_equal(inv.nvats, 1);
    assert_int_equal(inv.vat_cents, 1649);
    assert_int_equal(inv.total_cents, 9500);
}

/* Three rates at once, listed from exempt to high whatever the order of
 * the lines. */
static void three_rates_ascending(void **state)
{
    (void)state;
    inv_line l[] = {{"hoog", 10000, 21, 0, 0}, {"vrij", 5000, 0, 0, 0}, {"laag", 1000, 9, 0, 0}};
    inv_invoice inv = {.lines = l, .nlines = 3};
    inv_totals(&inv);
    assert_int_equal(inv.nvats, 3);
    assert_int_equal(inv.vats[0].rate, 0);
    assert_int_equal(inv.vats[1].rate, 9);
    assert_int_equal(inv.vats[1].vat_cents, 90);
    assert_int_equal(inv.vats[2].rate, 21);
    assert_int_equal(inv.vats[2].vat_cents, 2100);
    assert_int_equal(inv.total_cents, 16000 + 2190);
}

static void status_and_number(void **state)
{
    (void)state;
    assert_string_equal(inv_status_shown("factuur", "open", "2026-12-01", "2026-12-01"), "open");
    assert_string_equal(inv_status_shown("factuur", "open", "2026-11-30", "2026-12-01"),
                        "vervallen");
    assert_string_equal(inv_status_shown("factuur", "betaald", "2026-01-01", "2026-12-01"),
                        "betaald");
    /* a credit note is owed to the customer: it never falls due */
    assert_string_equal(inv_status_shown("creditnota", "open", "2026-11-30", "2026-12-01"), "open");
    assert_string_equal(inv_status_shown("creditnota", "betaald", "2026-11-30", "2026-12-01"),
                        "verrekend");
    assert_true(inv_number_valid("2026-000123"));
    assert_false(inv_number_valid("2026-00012"));
    assert_false(inv_number_valid("2026_000123"));
    assert_false(inv_number_valid("F2026-00012"));
    assert_false(inv_number_valid("2026-00012a"));
    assert_false(inv_number_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vat_per_rate_on_the_sum), cmocka_unit_test(half_away_from_zero),
        cmocka_unit_test(one_rate_only),           cmocka_unit_test(three_rates_ascending),
        cmocka_unit_test(status_and_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
