/* Unit tests: PDF documents read back with pdftotext (poppler-utils), as a
 * reader would copy the text: names with accents and Polish letters, the
 * euro sign, tables over several pages; and failures as return values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/pdf.h"

#define FONTS "/usr/share/fonts/truetype/dejavu"

/* Runs "tool file tail" (pdftotext or pdfinfo) on the bytes in a file and
 * returns what it printed, in arena a. */
static char *read_back(arena *a, const char *tool, const char *tail, const char *data, size_t len)
{
    char path[] = "/tmp/kp-test-pdf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s %s %s 2>/dev/null", tool, path, tail);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    buf out;
    buf_init(&out, a, 4096);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_add(&out, chunk, n);
    int status = pclose(p);
    unlink(path);
    if (status != 0) fail_msg("%s failed (status %d): is poppler-utils installed?", tool, status);
    return out.data;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void confirmation_reads_back(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char err[256] = "";
    pdf_doc *d = pdf_new(FONTS, "Bevestiging inschrijving Łódź", err, sizeof err);
    assert_non_null(d);
    pdf_letterhead(d);
    pdf_heading(d, "Bevestiging van inschrijving");
    pdf_text(d, "Beste Deby Rummens - Heijnen,\nHierbij bevestigen wij uw inschrijving.");
    pdf_row(d, "Deelnemer", "Deby Rummens - Heijnen");
    pdf_row(d, "Contactpersoon", "Coördinator Łódź");
    pdf_row(d, "Cursus", "Medical Care (STCW)");
    pdf_row(d, "Prijs", "€ 1.895,00");
    pdf_space(d, 10);
    const pdf_col cols[] = {{"Omschrijving", 0, 0}, {"Bedrag", 90, 1}};
    const char *cells[] = {"Medical Care (STCW), 4 dagen", "€ 1.895,00"};
    pdf_table(d, cols, 2, cells, 1);
    const char *data;
    size_t len;
    assert_int_equal(pdf_finish(d, a, &data, &len), 0);
    assert_string_equal(pdf_error(d), "");
    pdf_free(d);
    assert_true(len > 1000);
    assert_memory_equal(data, "%PDF-", 5);

    const char *text = read_back(a, "pdftotext -enc UTF-8", "-", data, len);
    assert_non_null(strstr(text, "Onderwijsgroep Noordwest-Holland"));
    assert_non_null(strstr(text, "0223-611310"));
    assert_non_null(strstr(text, "info@onderwijsgroepnwh.nl"));
    assert_non_null(strstr(text, "Bevestiging van inschrijving"));
    assert_non_null(strstr(text, "Beste Deby Rummens - Heijnen,"));
    assert_non_null(strstr(text, "Coördinator Łódź"));
    assert_non_null(strstr(text, "€ 1.895,00"));
    assert_non_null(strstr(text, "Medical Care (STCW), 4 dagen"));
    assert_null(strstr(text, "Pagina")); /* one page: no page numbers */

    const char *info = read_back(a, "pdfinfo -enc UTF-8", "", data, len);
    assert_non_null(strstr(info, "Bevestiging inschrijving Łódź"));
    assert_non_null(strstr(info, "Klantportal"));
    assert_non_null(strstr(info, "A4"));
    arena_free(a);
}

static void long_tables_go_on_over_pages(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char err[256] = "";
    pdf_doc *d = pdf_new(FONTS, "Overzicht", err, sizeof err);
    assert_non_null(d);
    /* a word wider than a line is cut, not lost */
    pdf_text(d, "Zeerlangwoordzonderspatiesdatnietopééndregelpastomdathetzolangisdatmenhet"
                "welmoetafbrekenergensindemiddenvanhetwoordŁódźŁódźŁódź");
    pdf_heading(d, "Inschrijvingen");
    enum { ROWS = 120 };
    const char *cells[ROWS * 3];
    for (int r = 0; r < ROWS; r++) {
        cells[r * 3] = arena_printf(a, "Cursist %03d", r + 1);
        cells[r * 3 + 1] = r == 7 ? "Een heel lange omschrijving die in deze kolom niet op één "
                                    "regel past en dus over meer regels loopt"
                                  : "Basic Safety";
        cells[r * 3 + 2] = NULL;
    }
    const pdf_col cols[] = {{"Naam", 110, 0}, {"Cursus", 0, 0}, {"Resultaat", 80, 0}};
    pdf_table(d, cols, 3, cells, ROWS);
    const char *data;
    size_t len;
    assert_int_equal(pdf_finish(d, a, &data, &len), 0);
    pdf_free(d);

    const char *text = read_back(a, "pdftotext -enc UTF-8", "-", data, len);
    assert_non_null(strstr(text, "Cursist 001"));
    assert_non_null(strstr(text, "Cursist 120"));
    int pages = count(text, "Pagina ");
    assert_true(pages >= 3);
    assert_non_null(strstr(text, arena_printf(a, "Pagina 1 van %d", pages)));
    assert_non_null(strstr(text, arena_printf(a, "Pagina %d van %d", pages, pages)));
    assert_int_equal(count(text, "Resultaat"), pages); /* the header on every page */
    assert_non_null(strstr(text, "over meer regels loopt"));
    assert_non_null(strstr(text, "Zeerlangwoord"));
    assert_non_null(strstr(text, "ŁódźŁódźŁódź"));
    arena_free(a);
}

static void bad_font_folder_is_an_error(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char err[256] = "";
    pdf_doc *d = pdf_new("/nonexistent/fonts", "x", err, sizeof err);
    assert_null(d);
    assert_non_null(strstr(err, "/nonexistent/fonts/DejaVuSans.ttf"));
    assert_non_null(strstr(err, "Lettertype"));

    /* a file that is no font, and a font cut short */
    char dir[] = "/tmp/kp-test-fonts-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = arena_printf(a, "%s/" PDF_FONT_REGULAR, dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("geen lettertype", f);
    fclose(f);
    d = pdf_new(dir, "x", err, sizeof err);
    assert_null(d);
    assert_non_null(strstr(err, path));

    FILE *in = fopen(FONTS "/" PDF_FONT_REGULAR, "rb");
    assert_non_null(in);
    char head[2048];
    size_t n = fread(head, 1, sizeof head, in);
    fclose(in);
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(head, 1, n, f);
    fclose(f);
    d = pdf_new(dir, "x", err, sizeof err);
    assert_null(d);
    assert_non_null(strstr(err, path));

    unlink(path);
    rmdir(dir);
    pdf_free(NULL);
    arena_free(a);
}

static void misuse_and_odd_text_are_errors_not_crashes(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char err[256] = "";
    pdf_doc *d = pdf_new(FONTS, NULL, err, sizeof err);
    assert_non_null(d);
    /* not UTF-8, control characters, a character the font lacks */
    pdf_text(d, "kapot \xff\xfe \xc3 en \x01\x1b tab\there emoji \xf0\x9f\x98\x80 einde");
    pdf_row(d, NULL, NULL);
    pdf_text(d, "");
    const char *data;
    size_t len;
    assert_int_equal(pdf_finish(d, a, &data, &len), 0);
    const char *text = read_back(a, "pdftotext -enc UTF-8", "-", data, len);
    assert_non_null(strstr(text, "kapot \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD en"));
    assert_non_null(strstr(text, "tab here emoji \xEF\xBF\xBD einde"));
    pdf_free(d);

    /* too many columns: the document is refused at the end */
    d = pdf_new(FONTS, "x", err, sizeof err);
    assert_non_null(d);
    pdf_col cols[PDF_MAX_COLS + 1] = {{"a", 0, 0}};
    pdf_table(d, cols, PDF_MAX_COLS + 1, NULL, 0);
    pdf_text(d, "daarna");
    assert_int_equal(pdf_finish(d, a, &data, &len), -1);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_non_null(strstr(pdf_error(d), "PDF maken mislukt"));
    pdf_free(d);
    arena_free(a);
}

/* The column (in characters) where needle ends on the layout line that
 * holds it, or -1. */
static long end_column(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    if (!at) return -1;
    const char *bol = at;
    while (bol > text && bol[-1] != '\n')
        bol--;
    long col = 0;
    for (const char *p = bol; p < at + strlen(needle); p++)
        if ((*p & 0xC0) != 0x80) col++;
    return col;
}

static void totals_line_up_with_the_amounts(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char err[256] = "";
    pdf_doc *d = pdf_new(FONTS, "Factuur", err, sizeof err);
    assert_non_null(d);
    const pdf_col cols[] = {{"Omschrijving", 0, 0}, {"Bedrag", PDF_SUM_W, 1}};
    const char *cells[] = {"Medical Care (STCW)", "€ 1.234,00"};
    pdf_table(d, cols, 2, cells, 1);
    pdf_sum(d, "Btw 21% over € 1.234,00", "€ 259,14", 0);
    pdf_sum(d, "Totaal te betalen", "€ 1.493,14", 1);
    const char *data;
    size_t len;
    assert_int_equal(pdf_finish(d, a, &data, &len), 0);
    pdf_free(d);
    const char *text = read_back(a, "pdftotext -layout -enc UTF-8", "-", data, len);
    /* label and amount on one line, the amounts' right edges in one column */
    assert_non_null(strstr(text, "Totaal te betalen"));
    long row = end_column(text, "€ 1.234,00\n");
    assert_true(row > 20);
    assert_int_equal(end_column(text, "€ 259,14\n"), row);
    assert_int_equal(end_column(text, "€ 1.493,14\n"), row);
    const char *total = strstr(text, "Totaal te betalen");
    assert_null(memchr(total, '\n', (size_t)(strstr(total, "€ 1.493,14") - total)));
    arena_free(a);
}

static void a_row_taller_than_a_page_starts_under_its_header(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char err[256] = "";
    pdf_doc *d = pdf_new(FONTS, "Lang", err, sizeof err);
    assert_non_null(d);
    pdf_text(d, "Inleiding");
    buf b;
    buf_init(&b, a, 8000);
    for (int i = 0; i < 120; i++)
        buf_printf(&b, "regel%03d\n", i);
    const pdf_col cols[] = {{"Omschrijving", 0, 0}, {"Bedrag", PDF_SUM_W, 1}};
    const char *cells[] = {b.data, "€ 1,00"};
    pdf_table(d, cols, 2, cells, 1);
    const char *data;
    size_t len;
    assert_int_equal(pdf_finish(d, a, &data, &len), 0);
    pdf_free(d);
    const char *text = read_back(a, "pdftotext -enc UTF-8", "-", data, len);
    const char *first = strstr(text, "regel000"), *foot = strstr(text, "Pagina 1 van");
    assert_non_null(first);
    assert_non_null(foot);
    assert_true(first < foot); /* not the header alone on page 1 */
    assert_non_null(strstr(text, "regel119"));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(confirmation_reads_back),
        cmocka_unit_test(long_tables_go_on_over_pages),
        cmocka_unit_test(bad_font_folder_is_an_error),
        cmocka_unit_test(misuse_and_odd_text_are_errors_not_crashes),
        cmocka_unit_test(totals_line_up_with_the_amounts),
        cmocka_unit_test(a_row_taller_than_a_page_starts_under_its_header),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
