/* Unit tests: reading CSV files as Excel and other programs write them
 * (core/csvread.h): quotes, separators, encodings, line ends, limits and
 * the Dutch messages for what cannot be read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/csvread.h"

static const csvr_limits lim = {64 * 1024, 100, 20, 200};

static const char *rd(arena *a, const char *s, csvr_table *t)
{
    return csvr_read(a, s, strlen(s), &lim, t);
}

static void fields_are(const csvr_record *r, int line, size_t n, ...)
{
    assert_int_equal(r->line, line);
    assert_int_equal(r->n, n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(r->f[i], va_arg(ap, const char *));
    va_end(ap);
}

static void semicolon_file_with_bom_and_crlf(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    assert_null(rd(a,
                   "\xEF\xBB\xBFvoornaam;achternaam;e-mailadres\r\n"
                   "Zoë;Öztürk;zoe@example.nl\r\n"
                   "Jan;de Vries, jr.;jan@example.nl\r\n",
                   &t));
    assert_int_equal(t.encoding, CSVR_UTF8_BOM);
    assert_int_equal(t.sep, ';');
    fields_are(&t.header, 1, 3, "voornaam", "achternaam", "e-mailadres");
    assert_int_equal(t.nrows, 2);
    fields_are(&t.rows[0], 2, 3, "Zoë", "Öztürk", "zoe@example.nl");
    /* ',' is text in a ';' file */
    fields_are(&t.rows[1], 3, 3, "Jan", "de Vries, jr.", "jan@example.nl");
    assert_string_equal(csvr_encoding_name(t.encoding), "UTF-8 met BOM");
    arena_free(a);
}

static void comma_file_with_lf_and_no_newline_at_end(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    assert_null(rd(a, "a,b,c\n1,2,3\n4,,6", &t));
    assert_int_equal(t.encoding, CSVR_UTF8);
    assert_int_equal(t.sep, ',');
    assert_int_equal(t.nrows, 2);
    fields_are(&t.rows[0], 2, 3, "1", "2", "3");
    fields_are(&t.rows[1], 3, 3, "4", "", "6");
    /* a separator at the very end is one more, empty, field */
    assert_null(rd(a, "a;b\n1;", &t));
    fields_are(&t.rows[0], 2, 2, "1", "");
    /* old Mac line ends */
    assert_null(rd(a, "a;b\r1;2\r3;4\r", &t));
    assert_int_equal(t.nrows, 2);
    fields_are(&t.rows[1], 3, 2, "3", "4");
    arena_free(a);
}

static void separator_decided_by_the_header(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    /* more ',' than ';' outside quotes */
    assert_null(rd(a, "naam,\"a;b;c\",x\nJan,1,2\n", &t));
    assert_int_equal(t.sep, ',');
    fields_are(&t.header, 1, 3, "naam", "a;b;c", "x");
    /* a tie, or neither: ';' */
    assert_null(rd(a, "a;b,c\n1;2,3\n", &t));
    assert_int_equal(t.sep, ';');
    fields_are(&t.rows[0], 2, 2, "1", "2,3");
    assert_null(rd(a, "naam\nJan, de\n", &t));
    assert_int_equal(t.sep, ';');
    fields_are(&t.rows[0], 2, 1, "Jan, de");
    /* blank lines before the header do not decide */
    assert_null(rd(a, "\r\n\r\na,b\n1,2\n", &t));
    assert_int_equal(t.sep, ',');
    fields_are(&t.header, 3, 2, "a", "b");
    arena_free(a);
}

static void quotes_as_rfc_4180_says(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    assert_null(rd(a,
                   "a;b;c\r\n"
                   "\"zeg \"\"hoi\"\"\";\"met;punt\";\"twee\r\nregels\"\r\n"
                   "\"\";x\"y;\"z\" \r\n"
                   "na;de;regels\r\n",
                   &t));
    assert_int_equal(t.nrows, 3);
    fields_are(&t.rows[0], 2, 3, "zeg \"hoi\"", "met;punt", "twee\r\nregels");
    /* a quote inside an unquoted field is text; spaces after a closing
     * quote are dropped */
    fields_are(&t.rows[1], 4, 3, "", "x\"y", "z");
    /* the quoted line break moved the line count on */
    fields_are(&t.rows[2], 5, 3, "na", "de", "regels");
    arena_free(a);
}

static void blank_records_are_left_out_but_counted(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    assert_null(rd(a, "a;b\n\n;\n1;2\n;;\n\"\";\"\"\n3;4\n\n", &t));
    assert_int_equal(t.nrows, 2);
    fields_are(&t.rows[0], 4, 2, "1", "2");
    fields_are(&t.rows[1], 7, 2, "3", "4");
    /* a header alone is a table without rows */
    assert_null(rd(a, "a;b\r\n", &t));
    assert_int_equal(t.nrows, 0);
    arena_free(a);
}

static void windows_1252_is_converted(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    /* "Zoë;Müller;€ 5" and Excel's curly quote and en dash */
    assert_null(
        rd(a, "voornaam;achternaam;x\r\nZo\xEB;M\xFCller;\x80 5\r\nIJ\x92s;\x96;\xC9\r\n", &t));
    assert_int_equal(t.encoding, CSVR_CP1252);
    fields_are(&t.rows[0], 2, 3, "Zoë", "Müller", "€ 5");
    fields_are(&t.rows[1], 3, 3, "IJ’s", "–", "É");
    assert_string_equal(csvr_encoding_name(t.encoding), "Windows-1252");
    /* bytes Windows-1252 leaves undefined are refused, with the line */
    const char *err = rd(a, "a;b\r\n1;2\r\nx\x81y;3\r\n", &t);
    assert_non_null(err);
    assert_non_null(strstr(err, "Regel 3"));
    assert_non_null(strstr(err, "Windows-1252"));
    /* with a BOM the file must be UTF-8 throughout */
    err = rd(a,
             "\xEF\xBB\xBF"
             "a;b\n\xE9;2\n",
             &t);
    assert_non_null(err);
    assert_non_null(strstr(err, "regel 2"));
    arena_free(a);
}

static void what_is_not_csv_is_refused(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const char *err = csvr_read(a, png, sizeof png - 1, &lim, &t);
    assert_non_null(err);
    assert_non_null(strstr(err, "geen CSV-bestand"));
    const char zip[] = "PK\x03\x04\x14\0\0\0";
    err = csvr_read(a, zip, sizeof zip - 1, &lim, &t);
    assert_non_null(strstr(err, "Excel-werkmap"));
    const char utf16[] = "\xFF\xFE"
                         "a\0;\0b\0";
    err = csvr_read(a, utf16, sizeof utf16 - 1, &lim, &t);
    assert_non_null(strstr(err, "UTF-16"));
    assert_non_null(strstr(rd(a, "a;b\x01\n", &t), "geen CSV-bestand"));
    assert_string_equal(rd(a, "", &t), "Het bestand is leeg: er staat geen kopregel in.");
    assert_string_equal(rd(a, "\r\n;;\r\n\r\n", &t),
                        "Het bestand is leeg: er staat geen kopregel in.");
    arena_free(a);
}

static void broken_quotes_name_their_line(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    assert_string_equal(rd(a, "a;b\n1;2\n\"open;3\n4;5\n", &t),
                        "Regel 3: een aanhalingsteken (\") wordt niet gesloten.");
    assert_string_equal(
        rd(a, "a;b\n\"x\"y;2\n", &t),
        "Regel 2: na een afsluitend aanhalingsteken (\") staat nog tekst in hetzelfde veld.");
    arena_free(a);
}

static void limits(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    csvr_table t;
    csvr_limits small = {40, 2, 3, 5};
    assert_null(csvr_read(a, "a;b\n1;2\n3;4\n", 12, &small, &t));
    assert_string_equal(csvr_read(a, "a;b\n1;2\n3;4\n5;6\n", 16, &small, &t),
                        "Het bestand heeft meer dan 2 regels met gegevens. Splits het in kleinere "
                        "bestanden.");
    assert_string_equal(csvr_read(a, "a;b\n123456;2\n", 13, &small, &t),
                        "Regel 2: een veld is langer dan 5 tekens.");
    /* a quoted field counts its text, not its quotes */
    assert_null(csvr_read(a, "a;b\n\"12345\";2\n", 14, &small, &t));
    assert_string_equal(csvr_read(a, "a;b;c;d\n", 8, &small, &t),
                        "Regel 1 heeft meer dan 3 velden.");
    char big[41];
    memset(big, 'x', sizeof big);
    assert_string_equal(csvr_read(a, big, sizeof big, &small, &t),
                        "Het bestand is groter dan 1 kB. Splits het in kleinere bestanden.");
    csvr_limits mb = {2 * 1024 * 1024, 2, 3, 5};
    char *huge = arena_alloc(a, mb.max_bytes + 1);
    memset(huge, 'x', mb.max_bytes + 1);
    assert_string_equal(csvr_read(a, huge, mb.max_bytes + 1, &mb, &t),
                        "Het bestand is groter dan 2 MB. Splits het in kleinere bestanden.");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(semicolon_file_with_bom_and_crlf),
        cmocka_unit_test(comma_file_with_lf_and_no_newline_at_end),
        cmocka_unit_test(separator_decided_by_the_header),
        cmocka_unit_test(quotes_as_rfc_4180_says),
        cmocka_unit_test(blank_records_are_left_out_but_counted),
        cmocka_unit_test(windows_1252_is_converted),
        cmocka_unit_test(what_is_not_csv_is_refused),
        cmocka_unit_test(broken_quotes_name_their_line),
        cmocka_unit_test(limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
