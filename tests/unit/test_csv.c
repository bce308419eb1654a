/* Unit tests: CSV cells as Dutch Excel reads them, and the file name of a
 * download. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/csv.h"
#include "http/download.h"

static const char *cell(arena *a, const char *s)
{
    buf b;
    buf_init(&b, a, 16);
    csv_cell(&b, s);
    return b.data;
}

static void plain_and_quoted_cells(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(cell(a, "Texel"), "Texel");
    assert_string_equal(cell(a, "Café, bar"), "Café, bar"); /* ',' is not our separator */
    assert_string_equal(cell(a, ""), "");
    assert_string_equal(cell(a, NULL), "");
    assert_string_equal(cell(a, "a;b"), "\"a;b\"");
    assert_string_equal(cell(a, "zeg \"hoi\""), "\"zeg \"\"hoi\"\"\"");
    assert_string_equal(cell(a, "regel 1\nregel 2"), "\"regel 1\nregel 2\"");
    assert_string_equal(cell(a, "regel 1\r\nregel 2"), "\"regel 1\r\nregel 2\"");
    arena_free(a);
}

static void formulas_are_neutralised(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(cell(a, "=1+1"), "'=1+1");
    assert_string_equal(cell(a, "+31 6 1234"), "'+31 6 1234");
    assert_string_equal(cell(a, "-5"), "'-5");
    assert_string_equal(cell(a, "@SUM(A1)"), "'@SUM(A1)");
    assert_string_equal(cell(a, "\t=1"), "'\t=1");
    assert_string_equal(cell(a, "\r=1"), "\"'\r=1\"");
    assert_string_equal(cell(a, "=HYPERLINK(\"http://x\";\"klik\")"),
                        "\"'=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\"");
    /* only the first character counts */
    assert_string_equal(cell(a, "a=b"), "a=b");
    assert_string_equal(cell(a, " =1"), " =1");
    arena_free(a);
}

static void rows_end_in_crlf(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    buf b;
    buf_init(&b, a, 16);
    buf_puts(&b, CSV_BOM);
    const char *h[] = {"Datum", "Naam"};
    const char *r[] = {"01-02-2026", NULL};
    csv_row(&b, h, 2);
    csv_row(&b, r, 2);
    assert_int_equal(b.len, 3 + strlen("Datum;Naam\r\n01-02-2026;\r\n"));
    assert_memory_equal(b.data,
                        "\xEF\xBB\xBF"
                        "Datum;Naam\r\n01-02-2026;\r\n",
                        b.len);
    arena_free(a);
}

static void download_names(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(download_disposition(a, "cursusagenda-2026-05-01.csv"),
                        "attachment; filename=\"cursusagenda-2026-05-01.csv\"");
    /* non-ASCII: an ASCII stand-in first, the real name as filename* */
    assert_string_equal(download_disposition(a, "factuur café 2026.pdf"),
                        "attachment; filename=\"factuur caf_ 2026.pdf\"; "
                        "filename*=UTF-8''factuur%20caf%C3%A9%202026.pdf");
    /* quotes, separators, controls and header breaks never reach the header */
    assert_string_equal(download_disposition(a, "a\"b/..\\c\r\nSet-Cookie: x=1;.csv"),
                        "attachment; filename=\"a_b_.._c__Set-Cookie_ x_1_.csv\"");
    assert_string_equal(download_disposition(a, "../../etc/passwd"),
                        "attachment; filename=\"_.._etc_passwd\"");
    assert_string_equal(download_disposition(a, ".verborgen"),
                        "attachment; filename=\"verborgen\"");
    /* not UTF-8: replaced, not passed on */
    assert_string_equal(download_disposition(a, "a\xff\xc3.csv"),
                        "attachment; filename=\"a__.csv\"");
    assert_string_equal(download_disposition(a, ""), "attachment; filename=\"download\"");
    assert_string_equal(download_disposition(a, NULL), "attachment; filename=\"download\"");
    /* long names are cut */
    char longname[400];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_true(strlen(download_disposition(a, longname)) < 160);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_and_quoted_cells),
        cmocka_unit_test(formulas_are_neutralised),
        cmocka_unit_test(rows_end_in_crlf),
        cmocka_unit_test(download_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
