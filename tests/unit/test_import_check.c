/* Unit tests: the import's header (columns found by name, in any order and
 * spelling) and the checks of one row that need no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "relations/import_internal.h"

static csvr_record rec(arena *a, int line, size_t n, ...)
{
    csvr_record r = {line, n, arena_alloc(a, n * sizeof(char *))};
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        r.f[i] = va_arg(ap, const char *);
    va_end(ap);
    return r;
}

static void header_in_any_order_and_spelling(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    imp_header h;
    csvr_record hr = rec(a, 1, 6, "E-mail", "Achternaam", "Opmerking", " Voor naam ", "KvK", "");
    assert_null(imp_header_read(a, &hr, &h));
    assert_int_equal(h.at[C_EMAIL], 0);
    assert_int_equal(h.at[C_LAST], 1);
    assert_int_equal(h.at[C_FIRST], 3);
    assert_int_equal(h.at[C_KVK], 4);
    assert_int_equal(h.at[C_ORG], -1);
    assert_string_equal(h.ignored, "Opmerking");
    assert_string_equal(imp_header_key(a, "KvK-nummer"), "kvknummer");
    hr = rec(a, 1, 2, "naam", "e-mailadres");
    assert_string_equal(imp_header_read(a, &hr, &h),
                        "De kopregel (de eerste regel van het bestand) mist de kolommen voornaam, "
                        "achternaam. De kolommen staan hieronder beschreven.");
    hr = rec(a, 1, 4, "voornaam", "achternaam", "email", "E-mailadres");
    assert_string_equal(imp_header_read(a, &hr, &h),
                        "De kolom \"e-mailadres\" staat twee keer in de kopregel.");
    arena_free(a);
}

static const char *check(arena *a, const imp_header *h, imp_row *r, csvr_record row)
{
    imp_check_row(a, h, &row, r);
    return r->refused;
}

static void rows_checked_and_normalised(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    imp_header h;
    csvr_record hr = rec(a, 1, 8, "voornaam", "tussenvoegsel", "achternaam", "e-mailadres",
                         "organisatie", "kvk-nummer", "rol", "functie");
    assert_null(imp_header_read(a, &hr, &h));
    imp_row r;
    /* trimmed (also no-break spaces), the address and number in their
     * normal form, the role lower case; a missing role is medewerker */
    assert_null(check(a, &h, &r,
                      rec(a, 2, 8, " Jan ", "de", "Vries\xC2\xA0", "Jan@Example.NL ", "Linde",
                          "12 34 56 78", "", "")));
    assert_int_equal(r.line, 2);
    assert_string_equal(r.v[C_LAST], "Vries");
    assert_string_equal(r.v[C_EMAIL], "jan@example.nl");
    assert_string_equal(r.v[C_KVK], "12345678");
    assert_string_equal(r.v[C_ROLE], "medewerker");
    assert_null(
        check(a, &h, &r, rec(a, 3, 7, "Zoë", "", "Öztürk", "z@example.nl", "L", "", "Beheerder")));
    assert_string_equal(r.v[C_ROLE], "beheerder");
    /* fewer fields than the header: the rest is empty */
    assert_null(check(a, &h, &r, rec(a, 4, 4, "Ans", "", "Bos", "a@example.nl")));
    assert_string_equal(r.v[C_ORG], "");
    assert_string_equal(r.v[C_ROLE], "");
    /* every reason of a row, in the order of the columns */
    assert_string_equal(
        check(a, &h, &r, rec(a, 5, 8, "", "", "X1", "geen", "", "1234", "baas", "")),
        "verplicht veld leeg: voornaam; achternaam bevat tekens die niet in een "
        "naam horen; e-mailadres ongeldig (geen); KvK-nummer ongeldig (8 cijfers); "
        "onbekende rol \"baas\" (medewerker of beheerder); KvK-nummer zonder "
        "organisatie; rol zonder organisatie");
    assert_string_equal(
        check(a, &h, &r, rec(a, 6, 8, "A", "", "B", "a@b.nl", "O", "1234567", "", "")),
        "KvK-nummer heeft 7 cijfers in plaats van 8 (heeft Excel de 0 vooraan "
        "weggelaten? Maak de kolom dan eerst tekst)");
    assert_string_equal(check(a, &h, &r, rec(a, 7, 4, "A", "", "B\nC", "a@b.nl")),
                        "achternaam bevat een regelovergang");
    assert_string_equal(
        check(a, &h, &r, rec(a, 8, 10, "A", "", "B", "a@b.nl", "", "", "", "", "", "x")),
        "de regel heeft meer velden dan de kopregel (10 tegen 8)");
    assert_null(check(a, &h, &r, rec(a, 9, 10, "A", "", "B", "a@b.nl", "", "", "", "", " ", "")));
    char longname[102];
    memset(longname, 'a', 101);
    longname[101] = '\0';
    assert_string_equal(check(a, &h, &r, rec(a, 10, 4, longname, "", "B", "a@b.nl")),
                        "voornaam is te lang (meer dan 100 tekens)");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_in_any_order_and_spelling),
        cmocka_unit_test(rows_checked_and_normalised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
